//! Unit tests of `feed.rs`.

use super::*;

#[test]
fn dates_rfc_2822_cannot_write_are_left_out() {
    let date = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
    assert_eq!(
        rfc2822(&date("2025-02-27T11:00:00Z")).as_deref(),
        Some("Thu, 27 Feb 2025 11:00:00 +0000")
    );
    // The fuzzer's find: a stored toot from the year -25 made the RSS
    // writer panic.
    assert_eq!(rfc2822(&date("-0025-02-27T11:00:00Z")), None);
    assert_eq!(rfc2822(&date("+10000-01-01T00:00:00Z")), None);
}
