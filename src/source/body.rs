//! Reading a response body under its limits: at most `cap` bytes, counted
//! while streaming (after gzip decoding, so a compressed bomb is capped
//! too), each read bounded by the read timeout (the client's), the whole
//! by the overall limit of the request.

use std::io::Read;
use std::time::{Duration, Instant};

use reqwest::blocking::Response;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
use url::Url;

use super::http::{header, http_error, too_large, Fetched};
use super::limits::next_link;
use super::neterror;
use crate::error::Result;

/// The limits a body is read under, and the secrets kept out of messages.
pub(super) struct Limits<'a> {
    pub read_timeout: Duration,
    pub total_timeout: Duration,
    pub secrets: &'a [String],
}

/// Reads at most `cap` bytes of body, in chunks: each read is bounded
/// by the read timeout (the client's), the whole by the overall limit.
pub(super) fn read(
    url: Url,
    mut response: Response,
    cap: u64,
    started: Instant,
    limits: &Limits<'_>,
) -> Result<Fetched> {
    let headers = response.headers();
    let next = header(headers, "link").and_then(|h| next_link(h, &url));
    let content_type = header(headers, CONTENT_TYPE.as_str())
        .and_then(|c| c.split(';').next())
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty());
    if let Some(length) =
        header(headers, CONTENT_LENGTH.as_str()).and_then(|l| l.parse::<u64>().ok())
    {
        if length > cap {
            return Err(too_large(&url, cap));
        }
    }
    let mut body = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        if started.elapsed() > limits.total_timeout {
            let message = format!(
                "timed out: the response took longer than the overall limit of {} s (request_timeout_secs)",
                limits.total_timeout.as_secs_f32()
            );
            return Err(http_error(&url, None, message));
        }
        let n = match response.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(http_error(&url, None, body_error(&e, limits))),
        };
        body.extend_from_slice(&chunk[..n]);
        if body.len() as u64 > cap {
            return Err(too_large(&url, cap));
        }
    }
    Ok(Fetched {
        url,
        content_type,
        body,
        next,
    })
}

fn body_error(e: &std::io::Error, limits: &Limits<'_>) -> String {
    let timed_out = e.kind() == std::io::ErrorKind::TimedOut
        || neterror::find::<reqwest::Error>(e).is_some_and(|r| r.is_timeout());
    let message = if timed_out {
        format!(
            "timed out reading the body: no data for {} s (read_timeout_secs)",
            limits.read_timeout.as_secs_f32()
        )
    } else {
        format!("reading the body: {e}")
    };
    neterror::scrub(message, limits.secrets)
}
