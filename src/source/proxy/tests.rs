//! The proxy decision by classes of input: which variable wins for which
//! scheme, `[sync] proxy` and `none`, every kind of `no_proxy` entry,
//! loopback, and credentials that never show.

use super::*;

fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn via(config: &ProxyConfig, target: &str) -> Option<String> {
    config
        .proxy_for(&url(target))
        .map(|p| p.secret_url().host_str().unwrap().to_string())
}

#[test]
fn each_scheme_reads_its_variables_lower_case_first() {
    let vars = [
        ("HTTPS_PROXY", "http://upper-s:1"),
        ("https_proxy", "http://lower-s:1"),
        ("HTTP_PROXY", "http://upper-h:1"),
        ("ALL_PROXY", "http://all:1"),
    ];
    let c = ProxyConfig::decide(None, &env(&vars)).unwrap();
    assert_eq!(
        via(&c, "https://social.example/").as_deref(),
        Some("lower-s")
    );
    assert_eq!(
        via(&c, "http://social.example/").as_deref(),
        Some("upper-h")
    );

    let c = ProxyConfig::decide(None, &env(&[("HTTPS_PROXY", "http://upper-s:1")])).unwrap();
    assert_eq!(
        via(&c, "https://social.example/").as_deref(),
        Some("upper-s")
    );
    assert_eq!(via(&c, "http://social.example/"), None);

    for all in ["all_proxy", "ALL_PROXY"] {
        let c = ProxyConfig::decide(None, &env(&[(all, "http://all:3128")])).unwrap();
        assert_eq!(
            via(&c, "https://social.example/").as_deref(),
            Some("all"),
            "{all}"
        );
        assert_eq!(
            via(&c, "http://social.example/").as_deref(),
            Some("all"),
            "{all}"
        );
    }
    // Empty values count as unset, as in curl.
    let c = ProxyConfig::decide(
        None,
        &env(&[("https_proxy", " "), ("HTTPS_PROXY", "http://u:1")]),
    )
    .unwrap();
    assert_eq!(via(&c, "https://social.example/").as_deref(), Some("u"));
    let c = ProxyConfig::decide(None, &env(&[])).unwrap();
    assert!(!c.any());
    assert_eq!(via(&c, "https://social.example/"), None);
}

#[test]
fn upper_case_http_proxy_is_ignored_under_cgi() {
    let vars = [("HTTP_PROXY", "http://evil:1"), ("REQUEST_METHOD", "GET")];
    let c = ProxyConfig::decide(None, &env(&vars)).unwrap();
    assert_eq!(via(&c, "http://social.example/"), None);
    let vars = [("http_proxy", "http://ok:1"), ("REQUEST_METHOD", "GET")];
    let c = ProxyConfig::decide(None, &env(&vars)).unwrap();
    assert_eq!(via(&c, "http://social.example/").as_deref(), Some("ok"));
}

#[test]
fn the_site_setting_overrides_the_environment_and_none_disables() {
    let vars = [
        ("HTTPS_PROXY", "http://from-env:1"),
        ("NO_PROXY", "bypass.example"),
    ];
    let c = ProxyConfig::decide(Some("http://from-site:3128"), &env(&vars)).unwrap();
    assert_eq!(
        via(&c, "https://social.example/").as_deref(),
        Some("from-site")
    );
    assert_eq!(
        via(&c, "http://social.example/").as_deref(),
        Some("from-site")
    );
    // NO_PROXY still applies, as with curl's --proxy.
    assert_eq!(via(&c, "https://bypass.example/"), None);
    assert_eq!(
        c.proxy_for(&url("https://a.example/")).unwrap().from,
        "[sync] proxy in site.toml"
    );

    for none in ["none", "NONE", " none "] {
        let c = ProxyConfig::decide(Some(none), &env(&vars)).unwrap();
        assert!(!c.any(), "{none}");
        assert_eq!(via(&c, "https://social.example/"), None);
    }
    // Without a scheme, http:// is meant (as curl reads it).
    let c = ProxyConfig::decide(Some("proxy.agency.example:8080"), &env(&[])).unwrap();
    let p = c.proxy_for(&url("https://social.example/")).unwrap();
    assert_eq!(p.secret_url().as_str(), "http://proxy.agency.example:8080/");
}

#[test]
fn unusable_proxy_values_name_their_source() {
    let e = ProxyConfig::decide(None, &env(&[("HTTPS_PROXY", "socks5://h:1080")])).unwrap_err();
    assert!(e.starts_with("HTTPS_PROXY:") && e.contains("socks5"), "{e}");
    let e = ProxyConfig::decide(Some("ftp://h"), &env(&[])).unwrap_err();
    assert!(e.contains("[sync] proxy"), "{e}");
    let e = ProxyConfig::decide(None, &env(&[("all_proxy", "http://")])).unwrap_err();
    assert!(e.starts_with("all_proxy:"), "{e}");
    // The bad value itself (which may hold a password) is not repeated.
    let e =
        ProxyConfig::decide(None, &env(&[("HTTPS_PROXY", "socks5://u:hunter2@h")])).unwrap_err();
    assert!(!e.contains("hunter2"), "{e}");
}

#[test]
fn no_proxy_entries_of_every_kind() {
    let list = "exact.example, .dotted.example, *.star.example, 10.0.0.0/8, 192.0.2.7, [2001:db8::1], fd00::/8, ported.example:8443";
    let c = ProxyConfig::decide(
        None,
        &env(&[("HTTPS_PROXY", "http://p:1"), ("no_proxy", list)]),
    )
    .unwrap();
    for direct in [
        "https://exact.example/",
        "https://EXACT.example./",
        "https://sub.exact.example/",
        "https://dotted.example/",
        "https://a.b.dotted.example/",
        "https://x.star.example/",
        "https://10.1.2.3/",
        "https://192.0.2.7/",
        "https://[2001:db8::1]/",
        "https://[fd12::5]/",
        "https://ported.example/",
    ] {
        assert_eq!(via(&c, direct), None, "{direct} must bypass the proxy");
    }
    for proxied in [
        "https://notexact.example/",
        "https://example/",
        "https://11.0.0.1/",
        "https://192.0.2.8/",
        "https://[2001:db8::2]/",
        "https://social.example/",
    ] {
        assert_eq!(
            via(&c, proxied).as_deref(),
            Some("p"),
            "{proxied} must use the proxy"
        );
    }
    let c = ProxyConfig::decide(
        None,
        &env(&[("HTTPS_PROXY", "http://p:1"), ("NO_PROXY", "*")]),
    )
    .unwrap();
    assert_eq!(via(&c, "https://social.example/"), None);
    // Lower case wins over upper case here too.
    let vars = [
        ("HTTPS_PROXY", "http://p:1"),
        ("no_proxy", "a.example"),
        ("NO_PROXY", "b.example"),
    ];
    let c = ProxyConfig::decide(None, &env(&vars)).unwrap();
    assert_eq!(via(&c, "https://a.example/"), None);
    assert_eq!(via(&c, "https://b.example/").as_deref(), Some("p"));
}

#[test]
fn loopback_goes_direct_only_when_no_proxy_lists_it() {
    let local = [
        "http://127.0.0.1:8080/",
        "http://[::1]:3000/",
        "http://localhost:3000/",
    ];
    let c = ProxyConfig::decide(None, &env(&[("ALL_PROXY", "http://p:1")])).unwrap();
    for target in local {
        assert_eq!(via(&c, target).as_deref(), Some("p"), "{target}");
    }
    let vars = [
        ("ALL_PROXY", "http://p:1"),
        ("NO_PROXY", "localhost,127.0.0.1,::1"),
    ];
    let c = ProxyConfig::decide(None, &env(&vars)).unwrap();
    for target in local {
        assert_eq!(via(&c, target), None, "{target}");
    }
    assert_eq!(via(&c, "http://127.0.0.2/").as_deref(), Some("p"));
}

#[test]
fn credentials_are_redacted_in_every_display() {
    let c = ProxyConfig::decide(
        None,
        &env(&[("HTTPS_PROXY", "http://agent:s%3Acret@proxy.example:3128")]),
    )
    .unwrap();
    let p = c.proxy_for(&url("https://social.example/")).unwrap();
    let shown = format!("{p} {p:?} {c:?}");
    assert!(
        !shown.contains("agent") && !shown.contains("s%3Acret"),
        "{shown}"
    );
    assert!(
        shown.contains("http://***@proxy.example:3128 (from HTTPS_PROXY)"),
        "{shown}"
    );
    assert_eq!(p.secret_url().password(), Some("s%3Acret"));
    let secrets = p.secrets();
    for s in ["agent", "s%3Acret", "s:cret"] {
        assert!(secrets.iter().any(|x| x == s), "{s} in {secrets:?}");
    }
    let plain = ProxyConfig::decide(Some("http://proxy.example:3128"), &env(&[])).unwrap();
    let p = plain.proxy_for(&url("https://social.example/")).unwrap();
    assert_eq!(
        p.to_string(),
        "http://proxy.example:3128 (from [sync] proxy in site.toml)"
    );
    assert!(p.secrets().is_empty());
}
