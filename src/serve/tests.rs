//! Unit tests of `serve.rs`.

use super::*;

#[test]
fn base_url_is_what_a_browser_on_this_machine_uses() {
    let url = |s: &str| base_url(s.parse().unwrap());
    assert_eq!(url("127.0.0.1:1111"), "http://127.0.0.1:1111");
    assert_eq!(url("0.0.0.0:8080"), "http://127.0.0.1:8080");
    assert_eq!(url("[::]:8080"), "http://[::1]:8080");
    assert_eq!(url("[::1]:1111"), "http://[::1]:1111");
    assert_eq!(url("192.168.1.5:1111"), "http://192.168.1.5:1111");
}

#[test]
fn a_folder_without_site_toml_is_refused_before_listening() {
    let dir = tempfile::tempdir().unwrap();
    let err = serve(&ServeOptions {
        root: dir.path().to_path_buf(),
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        open: false,
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("site.toml does not exist"), "{err}");
}
