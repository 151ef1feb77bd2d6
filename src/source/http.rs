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
use super::limits::{backoff_delay, is_paging, next_link, pacing_delay, rate_limit_wait};
use crate::error::{Error, Result};

/// JSON pages and documents are capped at 8 MiB.
pub const JSON_CAP: u64 = 8 * 1024 * 1024;
const MAX_REDIRECTS: usize = 5;

/// How the client behaves; [`HttpOptions::new`] gives the production values.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    pub user_agent: String,
    /// Which non-global addresses may be reached (see `guard::Reach`).
    pub reach: guard::Reach,
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
    pub fn new(base_url: &str, reach: guard::Reach) -> Self {
        HttpOptions {
            user_agent: format!("tootbridge/{} (+{base_url})", env!("CARGO_PKG_VERSION")),
            reach,
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
    /// Try again after `wait` (a rate-limit reset), or after the backoff
    /// for this attempt when `None`.
    Retry {
        wait: Option<Duration>,
        why: Error,
    },
}

impl HttpClient {
    pub fn new(options: HttpOptions) -> Self {
        let reach = options.reach;
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(options.connect_timeout)
            .timeout_read(options.read_timeout)
            .redirects(0)
            .user_agent(&options.user_agent)
            .resolver(move |addr: &str| resolve_guarded(addr, reach))
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
                    let wait = wait.unwrap_or_else(|| self.backoff(attempt));
                    tracing::warn!("{why}; retry {attempt} in {:.1}s", wait.as_secs_f32());
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
                        Attempt::Retry { wait: None, why }
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
                Ok(wait) => Attempt::Retry { wait, why },
                Err(until) => Attempt::Done(Err(http_error(
                    url,
                    Some(429),
                    format!(
                        "rate limited until {}; stopping cleanly, run sync again after then",
                        until.format("%Y-%m-%d %H:%M:%S UTC")
                    ),
                ))),
            },
            500..=599 => Attempt::Retry { wait: None, why },
            _ => Attempt::Done(Err(why)),
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        backoff_delay(self.options.backoff, attempt)
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

fn resolve_guarded(addr: &str, reach: guard::Reach) -> std::io::Result<Vec<SocketAddr>> {
    let addrs: Vec<SocketAddr> = addr.to_socket_addrs()?.collect();
    let allowed: Vec<SocketAddr> = addrs
        .iter()
        .copied()
        .filter(|a| guard::address_allowed(a.ip(), reach))
        .collect();
    if allowed.is_empty() && !addrs.is_empty() {
        return Err(std::io::Error::other(format!(
            "{addr} resolves to a private address, refused by the address guard"
        )));
    }
    Ok(allowed)
}
