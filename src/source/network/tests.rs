//! Unit tests of `network.rs`.

use super::*;

fn config(extra: &str) -> SiteConfig {
    let text = format!("title = \"T\"\nbase_url = \"https://example.org/\"\n{extra}");
    crate::config::parse(&text, Path::new("site.toml")).unwrap()
}

#[test]
fn a_missing_or_empty_bundle_names_its_setting_and_path() {
    let dir = tempfile::tempdir().unwrap();
    let none = |_: &str| None;
    let c = config("[sync]\nca_file = \"certs/agency.pem\"\n");
    let e = Network::decide(&c, dir.path(), &none)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("[sync] ca_file") && e.contains("certs/agency.pem"),
        "{e}"
    );
    std::fs::create_dir(dir.path().join("certs")).unwrap();
    std::fs::write(dir.path().join("certs/agency.pem"), "not pem at all\n").unwrap();
    let e = Network::decide(&c, dir.path(), &none)
        .unwrap_err()
        .to_string();
    assert!(e.contains("holds no certificate"), "{e}");
    let garbage = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    std::fs::write(dir.path().join("certs/agency.pem"), garbage).unwrap();
    let e = Network::decide(&c, dir.path(), &none)
        .unwrap_err()
        .to_string();
    assert!(e.contains("none of its 1 certificate(s) is usable"), "{e}");

    let env = |name: &str| (name == "SSL_CERT_FILE").then(|| "/nonexistent/ca.pem".to_string());
    let e = Network::decide(&config(""), dir.path(), &env)
        .unwrap_err()
        .to_string();
    assert!(e.contains("SSL_CERT_FILE /nonexistent/ca.pem"), "{e}");
}

#[test]
fn a_bad_proxy_stops_the_run_and_none_means_none() {
    let dir = tempfile::tempdir().unwrap();
    let env = |name: &str| (name == "HTTPS_PROXY").then(|| "http://p.example:3128".to_string());
    let n = Network::decide(&config(""), dir.path(), &env).unwrap();
    assert!(n.proxy.any());
    let n = Network::decide(&config("[sync]\nproxy = \"none\"\n"), dir.path(), &env).unwrap();
    assert!(!n.proxy.any());
    let bad = config("[sync]\nproxy = \"socks5://p:1\"\n");
    let e = Network::decide(&bad, dir.path(), &env)
        .unwrap_err()
        .to_string();
    assert!(e.contains("[sync] proxy"), "{e}");
}
