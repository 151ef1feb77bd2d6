//! Unit tests of `limits.rs`.

use super::*;

#[test]
fn link_header_next_is_found() {
    let base = Url::parse("https://s.example/api/v1/accounts/1/statuses").unwrap();
    let h = "<https://s.example/api/v1/accounts/1/statuses?limit=40&max_id=9>; rel=\"next\", <https://s.example/api/v1/accounts/1/statuses?limit=40&min_id=20>; rel=\"prev\"";
    assert_eq!(
        next_link(h, &base).unwrap().as_str(),
        "https://s.example/api/v1/accounts/1/statuses?limit=40&max_id=9"
    );
    let only_prev = "<https://s.example/x?min_id=20>; rel=\"prev\"";
    assert!(next_link(only_prev, &base).is_none());
    assert!(next_link("garbage", &base).is_none());
    assert_eq!(
        next_link("</x?max_id=3>; rel=next", &base)
            .unwrap()
            .as_str(),
        "https://s.example/x?max_id=3"
    );
}

#[test]
fn rate_limit_waits_until_reset_within_bound() {
    let now = Utc::now();
    let max = Duration::from_secs(60);
    let soon = now + chrono::Duration::seconds(10);
    let wait = rate_limit_wait(Some(soon), now, max).unwrap().unwrap();
    assert!(wait >= Duration::from_secs(10) && wait < Duration::from_secs(11));
    let late = now + chrono::Duration::seconds(600);
    assert_eq!(rate_limit_wait(Some(late), now, max), Err(late));
    assert_eq!(rate_limit_wait(None, now, max), Ok(None));
    let past = now - chrono::Duration::seconds(5);
    assert!(rate_limit_wait(Some(past), now, max).unwrap().unwrap() < Duration::from_secs(1));
}

#[test]
fn backoff_doubles() {
    let base = Duration::from_secs(2);
    let waits: Vec<u64> = (1..=4).map(|a| backoff_delay(base, a).as_secs()).collect();
    assert_eq!(waits, [2, 4, 8, 16]);
}

#[test]
fn paging_is_paced_to_the_budget() {
    let start = Instant::now();
    let window = Duration::from_secs(900);
    let mut history = VecDeque::new();
    for i in 0..3 {
        history.push_back(start + Duration::from_secs(i));
    }
    assert_eq!(
        pacing_delay(&history, start + Duration::from_secs(5), 4, window),
        None
    );
    let wait = pacing_delay(&history, start + Duration::from_secs(5), 3, window).unwrap();
    assert_eq!(wait, Duration::from_secs(895));
    assert_eq!(
        pacing_delay(&history, start + Duration::from_secs(1000), 3, window),
        None
    );
}

#[test]
fn cursor_requests_count_as_paging() {
    let u = |s: &str| Url::parse(s).unwrap();
    assert!(is_paging(&u(
        "https://s/api/v1/accounts/1/statuses?limit=40&max_id=5"
    )));
    assert!(is_paging(&u("https://s/users/a/outbox?page=true")));
    assert!(!is_paging(&u(
        "https://s/api/v1/accounts/1/statuses?limit=40"
    )));
}
