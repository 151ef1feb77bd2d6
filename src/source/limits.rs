//! Pure rules of polite HTTP: how long to wait after a 429, when a paging
//! request must wait to stay under the instance's budget, and where a `Link`
//! header's `rel="next"` points. Used by `http.rs`, unit tested here.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use url::Url;

/// 1×, 2×, 4×… the base delay for the 1st, 2nd, 3rd… retry.
pub fn backoff_delay(base: Duration, attempt: u32) -> Duration {
    base * 2u32.pow(attempt.saturating_sub(1).min(10))
}

/// How long to wait after a 429: `Ok(Some)` until the reset, `Ok(None)` when
/// the server sent no reset (use backoff), `Err(reset)` when it is too far.
pub fn rate_limit_wait(
    reset: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    max: Duration,
) -> std::result::Result<Option<Duration>, DateTime<Utc>> {
    let Some(reset) = reset else { return Ok(None) };
    let wait = (reset - now).to_std().unwrap_or(Duration::ZERO) + Duration::from_millis(250);
    if wait <= max {
        Ok(Some(wait))
    } else {
        Err(reset)
    }
}

/// Mastodon's paging throttle counts requests carrying a cursor.
pub fn is_paging(url: &Url) -> bool {
    url.query_pairs()
        .any(|(k, _)| matches!(k.as_ref(), "page" | "min_id" | "max_id" | "since_id"))
}

/// Delay before the next paging request, given the send times of the last
/// requests (oldest first), so at most `budget` fall in any `window`.
pub fn pacing_delay(
    history: &VecDeque<Instant>,
    now: Instant,
    budget: usize,
    window: Duration,
) -> Option<Duration> {
    if history.len() < budget {
        return None;
    }
    let oldest = history[history.len() - budget];
    let free_at = oldest + window;
    (free_at > now).then(|| free_at - now)
}

/// The `rel="next"` URL of a `Link` header, resolved against `base`.
pub fn next_link(header: &str, base: &Url) -> Option<Url> {
    header.split(',').find_map(|part| {
        let part = part.trim();
        let end = part.find('>')?;
        let target = part.strip_prefix('<')?.get(..end - 1)?;
        let is_next = part[end + 1..].split(';').any(|param| {
            let param = param.trim();
            param
                .strip_prefix("rel=")
                .map(|v| v.trim_matches('"').split_whitespace().any(|r| r == "next"))
                .unwrap_or(false)
        });
        if is_next {
            base.join(target).ok()
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
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
}
