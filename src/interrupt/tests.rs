//! Unit tests of `interrupt.rs`.

use super::*;

#[test]
fn without_install_no_signal_is_ever_seen() {
    // Unit tests never install the handlers (that would take Ctrl-C
    // away from the test runner); writers must then always proceed.
    assert_eq!(received(), None);
    assert!(check().is_ok());
}

#[test]
fn exit_status_is_128_plus_the_signal() {
    assert_eq!(exit_status(signal_hook::consts::SIGINT), 130);
    assert_eq!(exit_status(signal_hook::consts::SIGTERM), 143);
    assert_eq!(signal_name(signal_hook::consts::SIGTERM), "SIGTERM");
}
