//! Unit tests of `guard.rs`.

use super::*;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

#[test]
fn https_anywhere_http_only_on_loopback() {
    assert!(check_url(&url("https://social.example/api")).is_ok());
    assert!(check_url(&url("http://127.0.0.1:8080/api")).is_ok());
    assert!(check_url(&url("http://[::1]:8080/api")).is_ok());
    assert!(check_url(&url("http://localhost/api")).is_ok());
    assert!(check_url(&url("http://social.example/api")).is_err());
    assert!(check_url(&url("http://10.0.0.1/api")).is_err());
    assert!(check_url(&url("ftp://social.example/x")).is_err());
    assert!(check_url(&url("file:///etc/passwd")).is_err());
    assert!(check_url(&url("https://user:pw@social.example/")).is_err());
}

#[test]
fn non_global_addresses_are_refused_by_default() {
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    for bad in [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "100.64.0.1",
        "255.255.255.255",
        "224.0.0.1",
        "::1",
        "::",
        "fe80::1",
        "fd00::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "64:ff9b::a00:1",
    ] {
        assert!(
            !address_allowed(ip(bad), Reach::Public),
            "{bad} must be refused"
        );
    }
    for good in ["1.1.1.1", "93.184.216.34", "2a01:4f8::1", "::ffff:8.8.8.8"] {
        for reach in [Reach::Public, Reach::Loopback, Reach::Private] {
            assert!(address_allowed(ip(good), reach), "{good} is global");
        }
    }
}

#[test]
fn a_private_instance_unlocks_its_own_class_only() {
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    assert!(address_allowed(ip("127.0.0.1"), Reach::Loopback));
    assert!(address_allowed(ip("::1"), Reach::Loopback));
    assert!(!address_allowed(ip("10.0.0.1"), Reach::Loopback));
    assert!(address_allowed(ip("10.0.0.1"), Reach::Private));
    assert!(address_allowed(ip("fd00::1"), Reach::Private));
    assert!(address_allowed(ip("127.0.0.1"), Reach::Private));
    for never in ["169.254.169.254", "fe80::1", "0.0.0.0", "224.0.0.1"] {
        assert!(!address_allowed(ip(never), Reach::Private), "{never}");
    }
}

#[test]
fn direct_names_are_resolved_and_checked_literals_judged_at_once() {
    let judge = |h: &str, reach, proxy| judge_host(&Host::parse(h).unwrap(), reach, proxy);
    for reach in [Reach::Public, Reach::Loopback, Reach::Private] {
        for name in ["social.example", "localhost", "intranet", "printer.local"] {
            assert_eq!(
                judge(name, reach, false),
                Ok(HostCheck::ResolveAndCheck),
                "{name}"
            );
        }
        for via_proxy in [false, true] {
            assert_eq!(
                judge("93.184.216.34", reach, via_proxy),
                Ok(HostCheck::Allowed)
            );
            assert_eq!(
                judge("[2a01:4f8::1]", reach, via_proxy),
                Ok(HostCheck::Allowed)
            );
            for never in [
                "169.254.169.254",
                "[fe80::1]",
                "0.0.0.0",
                "[::ffff:169.254.1.1]",
            ] {
                let e = judge(never, reach, via_proxy).unwrap_err();
                assert!(e.contains("address guard"), "{never}: {e}");
            }
        }
    }
    assert!(judge("127.0.0.1", Reach::Public, false).is_err());
    assert!(judge("10.0.0.1", Reach::Loopback, true).is_err());
    assert_eq!(
        judge("10.0.0.1", Reach::Private, false),
        Ok(HostCheck::Allowed)
    );
}

#[test]
fn through_a_proxy_only_the_literal_name_is_judged() {
    let judge = |h: &str, reach| judge_host(&Host::parse(h).unwrap(), reach, true);
    for public in ["social.example", "social.proxyonly.test", "a.b.c.example."] {
        for reach in [Reach::Public, Reach::Loopback, Reach::Private] {
            assert_eq!(judge(public, reach), Ok(HostCheck::Allowed), "{public}");
        }
    }
    for loopback in ["localhost", "LOCALHOST.", "api.localhost", "ip6-localhost"] {
        assert!(judge(loopback, Reach::Public).is_err(), "{loopback}");
        assert_eq!(judge(loopback, Reach::Loopback), Ok(HostCheck::Allowed));
    }
    for internal in [
        "intranet",
        "metadata.google.internal",
        "nas.local",
        "router.lan",
        "box.home.arpa",
        "files.corp",
    ] {
        let e = judge(internal, Reach::Public).unwrap_err();
        assert!(e.contains(internal), "{e}");
        assert!(judge(internal, Reach::Loopback).is_err(), "{internal}");
        assert_eq!(judge(internal, Reach::Private), Ok(HostCheck::Allowed));
    }
}

#[test]
fn private_instances_are_recognised() {
    assert_eq!(reach_of(&url("http://127.0.0.1:3000")), Reach::Loopback);
    assert_eq!(reach_of(&url("http://localhost:3000")), Reach::Loopback);
    assert_eq!(reach_of(&url("http://[::1]:3000")), Reach::Loopback);
    assert_eq!(reach_of(&url("https://10.0.0.5")), Reach::Private);
    assert_eq!(reach_of(&url("https://social.example")), Reach::Public);
    assert_eq!(reach_of(&url("https://1.1.1.1")), Reach::Public);
    assert_eq!(reach_of(&url("https://169.254.169.254")), Reach::Public);
}
