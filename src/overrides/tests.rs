//! Unit tests of `overrides.rs`.

use super::*;

fn parse_str(text: &str) -> Result<Overrides> {
    parse(text, Path::new("content/overrides.toml"))
}

#[test]
fn full_file_parses() {
    let o = parse_str(
            "hide = [\"1\", \"2\"]\npin = [\"3\", \"4\", \"3\"]\n[titles]\n3 = \" Neu \"\n[notes]\n\"4\" = \"*Korrektur*\"\n",
        )
        .unwrap();
    assert_eq!(o.hide.iter().collect::<Vec<_>>(), ["1", "2"]);
    assert_eq!(o.pin, ["3", "4"]);
    assert_eq!(o.titles["3"], "Neu");
    assert_eq!(o.notes["4"], "*Korrektur*");
    assert_eq!(o.referenced()["3"], ["pin", "titles"]);
    assert!(parse_str("").unwrap().is_empty());
}

#[test]
fn mistakes_name_file_and_line() {
    let msg = parse_str("hide = [\"1\"]\nhdie = [\"2\"]\n")
        .unwrap_err()
        .to_string();
    assert!(msg.starts_with("content/overrides.toml:2:"), "{msg}");
    assert!(msg.contains("hdie"), "{msg}");
    let msg = parse_str("pin = [\"1\"]\n\nhide = [\"../x\"]\n")
        .unwrap_err()
        .to_string();
    assert!(msg.starts_with("content/overrides.toml:3:"), "{msg}");
    assert!(msg.contains("not a toot id"), "{msg}");
    let msg = parse_str("[titles]\n5 = \"  \"\n").unwrap_err().to_string();
    assert!(msg.contains("must not be empty"), "{msg}");
    let msg = parse_str("hide = [\"7\"]\npin = [\"7\"]\n")
        .unwrap_err()
        .to_string();
    assert!(msg.contains("both"), "{msg}");
}

#[test]
fn missing_file_means_no_overrides() {
    let dir = tempfile::tempdir().unwrap();
    assert!(load(&crate::store::Store::new(dir.path()))
        .unwrap()
        .is_empty());
}
