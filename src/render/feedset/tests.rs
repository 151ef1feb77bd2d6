//! Unit tests of `feedset.rs`.

use super::*;

#[test]
fn account_feed_folders_are_portable_paths() {
    let handle = Handle::try_from("@presse@social.example".to_string()).unwrap();
    assert_eq!(account_feed_dir(&handle), "accounts/social.example/presse/");
    let local = Handle::try_from("@news@localhost:8080".to_string()).unwrap();
    let dir = account_feed_dir(&local);
    assert_eq!(dir, "accounts/localhost_8080/news/");
    assert!(crate::output::is_safe_output_path(&format!(
        "{dir}feed.xml"
    )));
}
