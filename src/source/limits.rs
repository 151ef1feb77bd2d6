//! Pure rules of polite HTTP: how long to wait after a 429, when a paging
//! request must wait to stay under the instance's budget, and where a `Link`
//! header's `rel="next"` points. Used by `http.rs`, unit tested here.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use url::Url;

/// 1×, 2×, 4×… the base delay for the 1st, 2nd, 3rd… retry.
pub(crate) fn backoff_delay(base: Duration, attempt: u32) -> Duration {
    base * 2u32.pow(attempt.saturating_sub(1).min(10))
}

/// How long to wait after a 429: `Ok(Some)` until the reset, `Ok(None)` when
/// the server sent no reset (use backoff), `Err(reset)` when it is too far.
pub(crate) fn rate_limit_wait(
    reset: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    max: Duration,
) -> Result<Option<Duration>, DateTime<Utc>> {
    let Some(reset) = reset else { return Ok(None) };
    let wait = (reset - now).to_std().unwrap_or(Duration::ZERO) + Duration::from_millis(250);
    if wait <= max {
        Ok(Some(wait))
    } else {
        Err(reset)
    }
}

/// Mastodon's paging throttle counts requests carrying a cursor.
pub(crate) fn is_paging(url: &Url) -> bool {
    url.query_pairs()
        .any(|(k, _)| matches!(k.as_ref(), "page" | "min_id" | "max_id" | "since_id"))
}

/// Delay before the next paging request, given the send times of the last
/// requests (oldest first), so at most `budget` fall in any `window`.
pub(crate) fn pacing_delay(
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
pub(crate) fn next_link(header: &str, base: &Url) -> Option<Url> {
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
mod tests;
