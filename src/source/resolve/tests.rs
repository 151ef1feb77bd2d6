//! Unit tests of `resolve.rs`.

use super::*;

fn addrs(list: &[&str]) -> Vec<SocketAddr> {
    list.iter()
        .map(|a| SocketAddr::new(a.parse().unwrap(), 443))
        .collect()
}

#[test]
fn only_allowed_addresses_are_used_and_none_left_is_a_refusal() {
    let mixed = addrs(&[
        "10.0.0.1",
        "93.184.216.34",
        "169.254.169.254",
        "2a01:4f8::1",
    ]);
    let kept = screen("s.example", mixed.clone(), Reach::Public).unwrap();
    assert_eq!(kept, addrs(&["93.184.216.34", "2a01:4f8::1"]));
    let kept = screen("s.example", mixed, Reach::Private).unwrap();
    assert_eq!(kept, addrs(&["10.0.0.1", "93.184.216.34", "2a01:4f8::1"]));
    let e = screen("evil.example", addrs(&["127.0.0.1", "::1"]), Reach::Public).unwrap_err();
    assert!(e.to_string().contains("evil.example"), "{e}");
    assert!(screen("l", addrs(&["127.0.0.1"]), Reach::Loopback).is_ok());
    // A name with no address at all is refused too, not connected to.
    assert!(screen("empty.example", Vec::new(), Reach::Private).is_err());
}
