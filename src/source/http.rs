//! The one HTTP client every source and the media mirror use.
//!
//! It owns everything that makes talking to an instance safe and polite:
//! connect/read/total timeouts, a size cap on every body (read through a
//! `take`, after gzip decoding, so a compressed bomb is capped too), a
//! User-Agent naming tootbridge and the site, at most 5 redirects (each hop
//! checked by the address guard), retries with backoff for timeouts and 5xx,
//! 429 handling by `X-RateLimit-Reset` (Mastodon sends no `Retry-After`),
//! pacing below Mastodon's anonymous paging budget (300 per 15 minutes) and a
//! request counter for the sync summary. The optional token is sent only to
//! the instance's own host and never appears in a message.

use std::collections::VecDeque;
use std::io::Read;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use url::Url;

use super::guard;
use crate::error::{Error, Result};

/// JSON pages and documents are capped at 8 MiB.
pub const JSON_CAP: u64 = 8 * 1024 * 1024;
const MAX_REDIRECTS: usize = 5;

/// How the client behaves; [`HttpOptions::new`] gives the production values.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    pub user_agent: String,
    /// Allow private/loopback addresses (the configured instance is one).
    pub allow_private: bool,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub total_timeout: Duration,
    /// Retries after the first attempt for timeouts, 5xx and 429.
    pub retries: u32,
    /// First backoff delay; doubled on every retry.
    pub backoff: Duration,
    /// Longest wait for a rate-limit reset before giving up cleanly.
    pub max_rate_limit_wait: Duration,
    /// Paging requests allowed per `paging_window`.
    pub paging_budget: usize,
    pub paging_window: Duration,
}

impl HttpOptions {
    pub fn new(base_url: &str, allow_private: bool) -> Self {
        HttpOptions {
            user_agent: format!("tootbridge/{} (+{base_url})", env!("CARGO_PKG_VERSION")),
            allow_private,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(300),
            retries: 3,
            backoff: Duration::from_secs(2),
            max_rate_limit_wait: Duration::from_secs(900),
            paging_budget: 290,
            paging_window: Duration::from_secs(15 * 60),
        }
    }
}

/// A successful response, body already read under its cap.
#[derive(Debug)]
pub struct Fetched {
    /// The final URL after redirects.
    pub url: Url,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// The `rel="next"` target of a `Link` header.
    pub next: Option<Url>,
}

pub struct HttpClient {
    agent: ureq::Agent,
    options: HttpOptions,
    /// Bearer token and the only host it may be sent to.
    token: std::sync::OnceLock<(String, String)>,
    requests: AtomicUsize,
    paging: Mutex<VecDeque<Instant>>,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Deliberately no token here.
        f.debug_struct("HttpClient")
            .field("options", &self.options)
            .field("requests", &self.requests())
            .finish()
    }
}

enum Attempt {
    Done(Result<Fetched>),
    Retry { wait: Duration, why: Error },
}

impl HttpClient {
    pub fn new(options: HttpOptions) -> Self {
        let allow_private = options.allow_private;
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(options.connect_timeout)
            .timeout_read(options.read_timeout)
            .redirects(0)
            .user_agent(&options.user_agent)
            .resolver(move |addr: &str| resolve_guarded(addr, allow_private))
            .build();
        HttpClient {
            agent,
            options,
            token: std::sync::OnceLock::new(),
            requests: AtomicUsize::new(0),
            paging: Mutex::new(VecDeque::new()),
        }
    }

    /// Sends `token` as a bearer token, but only to `host` (the instance).
    pub fn set_token(&self, token: String, host: String) {
        let _ = self.token.set((token, host));
    }

    /// Requests sent so far (every attempt, redirect hop and retry counts).
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    /// GETs `url` JSON and parses it, capped at [`JSON_CAP`].
    pub fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        url: &Url,
        accept: &str,
    ) -> Result<(T, Fetched)> {
        let fetched = self.get(url, accept, JSON_CAP)?;
        let value = serde_json::from_slice(&fetched.body).map_err(|e| Error::Http {
            url: fetched.url.to_string(),
            status: None,
            message: format!("invalid JSON: {e}"),
        })?;
        Ok((value, fetched))
    }

    /// GETs `url`, following up to 5 checked redirects, retrying transient
    /// failures, and reads at most `cap` bytes of body.
    pub fn get(&self, url: &Url, accept: &str, cap: u64) -> Result<Fetched> {
        let mut attempt = 0;
        loop {
            match self.follow(url, accept, cap) {
                Attempt::Done(result) => return result,
                Attempt::Retry { wait, why } => {
                    if attempt >= self.options.retries {
                        return Err(why);
                    }
                    attempt += 1;
                    tracing::warn!("{why}; retry {attempt} in {}s", wait.as_secs_f32());
                    std::thread::sleep(wait);
                }
            }
        }
    }

    fn follow(&self, start: &Url, accept: &str, cap: u64) -> Attempt {
        let mut url = start.clone();
        for _ in 0..=MAX_REDIRECTS {
            if let Err(message) = guard::check_url(&url) {
                return Attempt::Done(Err(http_error(&url, None, message)));
            }
            self.pace(&url);
            let mut request = self
                .agent
                .get(url.as_str())
                .timeout(self.options.total_timeout)
                .set("Accept", accept);
            if let Some((token, host)) = self.token.get() {
                if url.host_str() == Some(host) {
                    request = request.set("Authorization", &format!("Bearer {token}"));
                }
            }
            self.requests.fetch_add(1, Ordering::Relaxed);
            tracing::debug!("GET {url}");
            let response = match request.call() {
                Ok(response) => response,
                Err(ureq::Error::Status(code, response)) => {
                    return self.failed(&url, code, response);
                }
                Err(ureq::Error::Transport(t)) => {
                    let why = http_error(&url, None, transport_message(&t));
                    // Name resolution (including the address guard's refusal)
                    // is not retried; timeouts and resets are.
                    return if t.kind() == ureq::ErrorKind::Dns {
                        Attempt::Done(Err(why))
                    } else {
                        Attempt::Retry {
                            wait: self.backoff(0),
                            why,
                        }
                    };
                }
            };
            if (300..400).contains(&response.status()) {
                let next = response.header("location").and_then(|l| url.join(l).ok());
                match next {
                    Some(next) => {
                        url = next;
                        continue;
                    }
                    None => {
                        let message =
                            format!("HTTP {} without a usable Location", response.status());
                        return Attempt::Done(Err(http_error(
                            &url,
                            Some(response.status()),
                            message,
                        )));
                    }
                }
            }
            return Attempt::Done(read_body(url, response, cap));
        }
        Attempt::Done(Err(http_error(
            start,
            None,
            format!("more than {MAX_REDIRECTS} redirects"),
        )))
    }

    fn failed(&self, url: &Url, code: u16, response: ureq::Response) -> Attempt {
        let reset = response
            .header("x-ratelimit-reset")
            .and_then(|v| DateTime::parse_from_rfc3339(v).ok())
            .map(|t| t.with_timezone(&Utc));
        let detail = error_detail(response);
        let why = http_error(url, Some(code), format!("HTTP {code}{detail}"));
        match code {
            429 => match rate_limit_wait(reset, Utc::now(), self.options.max_rate_limit_wait) {
                Ok(wait) => Attempt::Retry {
                    wait: wait.unwrap_or_else(|| self.backoff(1)),
                    why,
                },
                Err(until) => Attempt::Done(Err(http_error(
                    url,
                    Some(429),
                    format!(
                        "rate limited until {}; stopping cleanly, run sync again after then",
                        until.format("%Y-%m-%d %H:%M:%S UTC")
                    ),
                ))),
            },
            500..=599 => Attempt::Retry {
                wait: self.backoff(0),
                why,
            },
            _ => Attempt::Done(Err(why)),
        }
    }

    fn backoff(&self, extra: u32) -> Duration {
        self.options.backoff * 2u32.pow(extra)
    }

    /// Sleeps when this request would exceed the paging budget.
    fn pace(&self, url: &Url) {
        if !is_paging(url) {
            return;
        }
        let mut history = self.paging.lock().expect("pacing lock");
        let now = Instant::now();
        if let Some(wait) = pacing_delay(
            &history,
            now,
            self.options.paging_budget,
            self.options.paging_window,
        ) {
            tracing::info!(
                "pausing {}s to stay under the instance's paging limit",
                wait.as_secs()
            );
            std::thread::sleep(wait);
        }
        history.push_back(Instant::now());
        while history.len() > self.options.paging_budget {
            history.pop_front();
        }
    }
}

fn read_body(url: Url, response: ureq::Response, cap: u64) -> Result<Fetched> {
    let next = response.header("link").and_then(|h| next_link(h, &url));
    let content_type = Some(response.content_type().to_ascii_lowercase()).filter(|c| !c.is_empty());
    if let Some(length) = response
        .header("content-length")
        .and_then(|l| l.parse::<u64>().ok())
    {
        if length > cap {
            return Err(too_large(&url, cap));
        }
    }
    let mut body = Vec::new();
    response
        .into_reader()
        .take(cap + 1)
        .read_to_end(&mut body)
        .map_err(|e| http_error(&url, None, format!("reading the body: {e}")))?;
    if body.len() as u64 > cap {
        return Err(too_large(&url, cap));
    }
    Ok(Fetched {
        url,
        content_type,
        body,
        next,
    })
}

fn too_large(url: &Url, cap: u64) -> Error {
    http_error(
        url,
        None,
        format!("the response is larger than the cap of {cap} bytes"),
    )
}

fn http_error(url: &Url, status: Option<u16>, message: String) -> Error {
    Error::Http {
        url: url.to_string(),
        status,
        message,
    }
}

/// Mastodon's `{"error": "..."}` text, cleaned for a terminal.
fn error_detail(response: ureq::Response) -> String {
    let mut body = Vec::new();
    let _ = response.into_reader().take(4096).read_to_end(&mut body);
    let text = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_string));
    match text {
        Some(text) => {
            let clean: String = text.chars().filter(|c| !c.is_control()).take(200).collect();
            format!(": {clean}")
        }
        None => String::new(),
    }
}

fn transport_message(t: &ureq::Transport) -> String {
    let mut message = t.to_string();
    let mut source = std::error::Error::source(t);
    while let Some(inner) = source {
        let text = inner.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = inner.source();
    }
    message
}

fn resolve_guarded(addr: &str, allow_private: bool) -> std::io::Result<Vec<SocketAddr>> {
    let addrs: Vec<SocketAddr> = addr.to_socket_addrs()?.collect();
    let allowed: Vec<SocketAddr> = addrs
        .iter()
        .copied()
        .filter(|a| guard::address_allowed(a.ip(), allow_private))
        .collect();
    if allowed.is_empty() && !addrs.is_empty() {
        return Err(std::io::Error::other(format!(
            "{addr} resolves to a private address, refused by the address guard"
        )));
    }
    Ok(allowed)
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
