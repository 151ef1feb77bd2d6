//! The HTTP client against servers that lie, stall and never stop, on
//! 127.0.0.1: every case ends in a clear error within a bounded time. (The
//! address guard's refusal of other hosts is unit tested in
//! `source/guard.rs`; no request here leaves the loopback interface.)

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tootbridge::testing::source::guard::Reach;
use tootbridge::testing::source::http::{HttpClient, HttpOptions};
use url::Url;

use crate::raw_server::{respond, send, RawServer};

/// A client with short timeouts and one quick retry.
fn client() -> HttpClient {
    let mut options = HttpOptions::new("https://example.org/", Reach::Loopback);
    options.connect_timeout = Duration::from_secs(2);
    options.read_timeout = Duration::from_millis(800);
    options.total_timeout = Duration::from_secs(2);
    options.retries = 1;
    options.backoff = Duration::from_millis(5);
    HttpClient::new(options).unwrap()
}

/// GETs `path` with a 64 KiB cap; returns the error text and the time taken.
fn fail(server: &RawServer, path: &str) -> (String, Duration) {
    let start = Instant::now();
    let url = Url::parse(&format!("{}{path}", server.url)).unwrap();
    let result = client().get(&url, "*/*", 64 * 1024);
    let taken = start.elapsed();
    match result {
        Ok(fetched) => panic!(
            "{path}: expected an error, got {} bytes",
            fetched.body.len()
        ),
        Err(e) => (e.to_string(), taken),
    }
}

fn trickle(stream: &mut std::net::TcpStream, stop: &AtomicBool, head: &[u8]) {
    if !send(stream, head) {
        return;
    }
    while !stop.load(Ordering::Relaxed) && send(stream, b" ") {
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_body_that_trickles_forever_times_out() {
    let server = RawServer::start(|_, s, stop| {
        trickle(
            s,
            stop,
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n",
        )
    });
    let (error, taken) = fail(&server, "/api/v1/accounts/lookup");
    assert!(error.contains("127.0.0.1"), "{error}");
    assert!(
        error.contains("timed out") || error.contains("Timeout") || error.contains("timeout"),
        "{error}"
    );
    // The body's deadline is the total timeout; body errors are not retried.
    assert!(taken < Duration::from_secs(4), "{taken:?}");
}

#[test]
fn headers_that_trickle_forever_time_out() {
    let server = RawServer::start(|_, s, stop| trickle(s, stop, b"HTTP/1.1 200 OK\r\nX-Slow: "));
    let (error, taken) = fail(&server, "/");
    assert!(error.to_lowercase().contains("time"), "{error}");
    // Two attempts (one retry), each bounded by the total timeout.
    assert!(taken < Duration::from_secs(6), "{taken:?}");
}

#[test]
fn an_endless_body_stops_at_the_cap() {
    let server = RawServer::start(|_, s, stop| {
        let chunk = vec![b'['; 16 * 1024];
        if send(
            s,
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n",
        ) {
            while !stop.load(Ordering::Relaxed) && send(s, &chunk) {}
        }
    });
    let (error, taken) = fail(&server, "/");
    assert!(
        error.contains("larger than the cap of 65536 bytes"),
        "{error}"
    );
    assert!(taken < Duration::from_secs(2), "{taken:?}");
}

#[test]
fn a_redirect_loop_ends_after_five_hops() {
    let server = RawServer::start(|path, s, _| {
        let next = if path == "/a" { "/b" } else { "/a" };
        respond(s, "302 Found", &[("Location", next)], b"");
    });
    let (error, _) = fail(&server, "/a");
    assert!(error.contains("more than 5 redirects"), "{error}");
}

#[test]
fn redirects_to_other_schemes_are_refused() {
    for target in [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "ftp://127.0.0.1/x",
        "data:text/html,<script>alert(1)</script>",
        "gopher://127.0.0.1:70/",
    ] {
        let server = RawServer::start(move |_, s, _| {
            respond(s, "301 Moved Permanently", &[("Location", target)], b"")
        });
        let (error, taken) = fail(&server, "/");
        assert!(
            error.contains("is not allowed") || error.contains("has no host"),
            "{target}: {error}"
        );
        assert!(taken < Duration::from_secs(1), "{target}: {taken:?}");
    }
}

#[test]
fn a_content_length_that_lies_short_is_an_error_not_a_torn_file() {
    // Promises 1000 bytes, sends 10 and hangs up.
    let server = RawServer::start(|_, s, _| {
        let _ = send(
            s,
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 1000\r\n\r\n0123456789",
        );
    });
    let (error, _) = fail(&server, "/media/pic.png");
    assert!(error.contains("/media/pic.png"), "{error}");
}

#[test]
fn a_content_length_that_promises_more_and_stalls_times_out() {
    let server = RawServer::start(|_, s, stop| {
        if send(
            s,
            b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789",
        ) {
            while !stop.load(Ordering::Relaxed) && send(s, b"") {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    });
    let (error, taken) = fail(&server, "/");
    assert!(error.to_lowercase().contains("time"), "{error}");
    assert!(taken < Duration::from_secs(4), "{taken:?}");
}

#[test]
fn a_content_length_over_the_cap_is_refused_before_reading() {
    let server = RawServer::start(|_, s, _| {
        let _ = send(s, b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n");
    });
    let (error, _) = fail(&server, "/");
    assert!(error.contains("larger than the cap"), "{error}");
}

#[test]
fn a_content_length_that_lies_long_yields_only_what_it_announced() {
    // Announces 4 bytes, sends more: the extra bytes are not part of the body.
    let server = RawServer::start(|_, s, _| {
        let _ = send(
            s,
            b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\n[1]  EXTRA BYTES",
        );
    });
    let url = Url::parse(&format!("{}/", server.url)).unwrap();
    let fetched = client().get(&url, "*/*", 1024).unwrap();
    assert_eq!(fetched.body, b"[1] ");
}
