//! The one HTTP client every source and the media mirror use (reqwest,
//! blocking, rustls, gzip).
//!
//! It owns everything that makes talking to an instance safe and polite:
//! connect/read/overall timeouts, a size cap on every body (counted while
//! streaming, after gzip decoding, so a compressed bomb is capped too:
//! `body.rs`), a User-Agent naming tootbridge and the site, at most 5
//! redirects (each hop checked by the address guard in a custom redirect
//! policy: `redirect.rs`), retries with
//! backoff for timeouts, resets and 5xx, 429 handling by `X-RateLimit-Reset`
//! (Mastodon sends no `Retry-After`), pacing below Mastodon's anonymous
//! paging budget (300 per 15 minutes) and a request counter for the sync
//! summary. Proxies, extra CAs and the system's CA store come from
//! [`Network`]; names are resolved through the guarded resolver unless a
//! proxy resolves them (`guard::judge_host` decides). The optional token is
//! sent only to the instance's own host and never appears in a message.

use std::collections::VecDeque;
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::blocking::Response;
use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION};
use url::Url;

use super::body;
use super::guard;
use super::limits::{backoff_delay, is_paging, pacing_delay, rate_limit_wait};
use super::neterror;
use super::network::Network;
use super::redirect::{check_target, redirect_policy};
use super::resolve::GuardedResolver;
use crate::error::{Error, Result};

/// JSON pages and documents are capped at 8 MiB.
pub(crate) const JSON_CAP: u64 = 8 * 1024 * 1024;

/// How the client behaves; [`HttpOptions::new`] gives the production values.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    pub user_agent: String,
    /// Which non-global addresses may be reached (see `guard::Reach`).
    pub reach: guard::Reach,
    /// TCP connect, proxy tunnel and TLS handshake together.
    pub connect_timeout: Duration,
    /// Longest silence: until the response starts (connecting included),
    /// and between any two reads of the body.
    pub read_timeout: Duration,
    /// Overall limit of one request, body included.
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
    /// Proxies and extra CAs.
    pub network: Network,
}

impl HttpOptions {
    pub fn new(base_url: &str, reach: guard::Reach) -> Self {
        HttpOptions {
            user_agent: format!("tootbridge/{} (+{base_url})", env!("CARGO_PKG_VERSION")),
            reach,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(120),
            retries: 3,
            backoff: Duration::from_secs(2),
            max_rate_limit_wait: Duration::from_secs(900),
            paging_budget: 290,
            paging_window: Duration::from_secs(15 * 60),
            network: Network::direct(),
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
    client: reqwest::blocking::Client,
    options: HttpOptions,
    /// Bearer token and the only host it may be sent to.
    token: std::sync::OnceLock<(String, String)>,
    /// Shared with the redirect policy, which counts the hops it follows.
    requests: Arc<AtomicUsize>,
    paging: Mutex<VecDeque<Instant>>,
    /// Proxy credentials, kept out of every message.
    secrets: Vec<String>,
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
    /// Builds the client; fails only when the TLS set-up does.
    pub fn new(options: HttpOptions) -> Result<Self> {
        let requests = Arc::new(AtomicUsize::new(0));
        let proxy = options.network.proxy.clone();
        let trusted = proxy.proxies().filter_map(|p| p.host()).collect();
        let resolver = GuardedResolver {
            reach: options.reach,
            trusted,
        };
        let policy = redirect_policy(options.reach, proxy.clone(), requests.clone());
        let tls = options.network.tls_config()?;
        let client = reqwest::blocking::Client::builder()
            .user_agent(&options.user_agent)
            .connect_timeout(options.connect_timeout)
            // The blocking client's timeout bounds the wait for the response
            // head (from the start, connecting included) and every single
            // read of the body: the read timeout. The overall limit is
            // counted in `read_body`.
            .timeout(options.read_timeout.min(options.total_timeout))
            .redirect(policy)
            .proxy(reqwest::Proxy::custom(move |url| {
                proxy.proxy_for(url).map(|p| p.secret_url().clone())
            }))
            .dns_resolver(Arc::new(resolver))
            .tls_backend_preconfigured(tls)
            .gzip(true)
            .referer(false)
            .build()
            .map_err(|e| Error::Other(format!("HTTP client set-up: {e}")))?;
        let secrets = options
            .network
            .proxy
            .proxies()
            .flat_map(|p| p.secrets())
            .collect();
        Ok(HttpClient {
            client,
            options,
            token: std::sync::OnceLock::new(),
            requests,
            paging: Mutex::new(VecDeque::new()),
            secrets,
        })
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
            match self.attempt(url, accept, cap) {
                Attempt::Done(result) => return result,
                Attempt::Retry { wait, why } => {
                    if attempt >= self.options.retries {
                        return Err(why);
                    }
                    attempt += 1;
                    let wait = wait.unwrap_or_else(|| self.backoff(attempt));
                    // A short notice; the full message (with its hint) is
                    // printed once, if the last attempt fails too.
                    let cause = match &why {
                        Error::Http { message, .. } => message.split("; ").next().unwrap_or(""),
                        _ => "",
                    };
                    tracing::warn!(
                        "{url}: {cause}; retry {attempt} of {} in {:.1} s",
                        self.options.retries,
                        wait.as_secs_f32()
                    );
                    std::thread::sleep(wait);
                }
            }
        }
    }

    fn attempt(&self, url: &Url, accept: &str, cap: u64) -> Attempt {
        let proxy = self.options.network.proxy.proxy_for(url);
        if let Err(message) = check_target(url, self.options.reach, proxy.is_some()) {
            return Attempt::Done(Err(http_error(url, None, message)));
        }
        self.pace(url);
        let mut request = self.client.get(url.clone()).header(ACCEPT, accept);
        if let Some((token, host)) = self.token.get() {
            if url.host_str() == Some(host) {
                request = request.header(AUTHORIZATION, format!("Bearer {token}"));
            }
        }
        self.requests.fetch_add(1, Ordering::Relaxed);
        match proxy {
            Some(p) => tracing::debug!("GET {url} through the proxy {p}"),
            None => tracing::debug!("GET {url} (direct)"),
        }
        let started = Instant::now();
        let response = match request.send() {
            Ok(response) => response,
            Err(e) => {
                let ctx = neterror::Context {
                    url,
                    proxy,
                    any_proxy: self.options.network.proxy.any(),
                    connect_timeout: self.options.connect_timeout,
                    read_timeout: self.options.read_timeout,
                    secrets: &self.secrets,
                };
                let (message, retry) = neterror::describe(&e, &ctx);
                let why = http_error(url, None, message);
                return if retry {
                    Attempt::Retry { wait: None, why }
                } else {
                    Attempt::Done(Err(why))
                };
            }
        };
        let status = response.status().as_u16();
        let url = response.url().clone();
        if status >= 400 {
            return self.failed(&url, status, response);
        }
        if (300..400).contains(&status) {
            // A redirect the policy never saw: its Location is not an
            // http(s) URL (file:, data:, javascript:...) or is missing.
            let next = header(response.headers(), "location").and_then(|l| url.join(l).ok());
            let message = match next {
                Some(next) => match check_target(&next, self.options.reach, false) {
                    Err(why) => format!("redirect to {next} refused: {why}"),
                    Ok(()) => format!("HTTP {status}: the redirect to {next} was not followed"),
                },
                None => format!("HTTP {status} without a usable Location"),
            };
            return Attempt::Done(Err(http_error(&url, Some(status), message)));
        }
        let limits = body::Limits {
            read_timeout: self.options.read_timeout,
            total_timeout: self.options.total_timeout,
            secrets: &self.secrets,
        };
        Attempt::Done(body::read(url, response, cap, started, &limits))
    }

    fn failed(&self, url: &Url, code: u16, response: Response) -> Attempt {
        let reset = header(response.headers(), "x-ratelimit-reset")
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

pub(super) fn too_large(url: &Url, cap: u64) -> Error {
    http_error(
        url,
        None,
        format!("the response is larger than the cap of {cap} bytes"),
    )
}

pub(super) fn http_error(url: &Url, status: Option<u16>, message: String) -> Error {
    Error::Http {
        url: url.to_string(),
        status,
        message,
    }
}

/// Mastodon's `{"error": "..."}` text, cleaned for a terminal.
fn error_detail(response: Response) -> String {
    let mut body = Vec::new();
    let _ = response.take(4096).read_to_end(&mut body);
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

pub(super) fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}
