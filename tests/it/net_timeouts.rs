//! Peers that stall, on 127.0.0.1 over real TLS: a server that never
//! completes the handshake, one that completes it and then says nothing,
//! and a port nobody listens on. Each ends with an error that names the
//! URL and what fired, within the configured timeouts; a stalled account's
//! whole sync ends within four read timeouts plus the back-off.

use std::time::{Duration, Instant};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use tootbridge::testing::source::guard::Reach;
use tootbridge::testing::source::http::{HttpClient, HttpOptions};
use tootbridge::testing::source::network::Network;
use url::Url;

use crate::net_support::{Behaviour, TestCa, TlsFront};
use crate::net_tls::{site, sync_with};

/// A client trusting `ca`, with a 1 s read timeout and no retries.
fn client(ca: &TestCa) -> HttpClient {
    let mut options = HttpOptions::new("https://example.org/", Reach::Loopback);
    options.connect_timeout = Duration::from_secs(5);
    options.read_timeout = Duration::from_secs(1);
    options.retries = 0;
    options.network = Network {
        extra_roots: vec![CertificateDer::from_pem_slice(ca.pem.as_bytes()).unwrap()],
        ..Network::direct()
    };
    HttpClient::new(options).unwrap()
}

fn fail(client: &HttpClient, url: &str) -> (String, Duration) {
    let start = Instant::now();
    let result = client.get(&Url::parse(url).unwrap(), "*/*", 1024);
    let taken = start.elapsed();
    (
        result.expect_err("the request must fail").to_string(),
        taken,
    )
}

fn stalled(behaviour: Behaviour) -> (TestCa, String) {
    let ca = TestCa::new("Stall Test CA");
    let front = TlsFront::bind();
    let url = format!("https://{}/api/v1/instance", front.addr);
    front.serve(ca.server(&["127.0.0.1"]), behaviour);
    (ca, url)
}

#[test]
fn net_a_handshake_that_never_completes_ends_at_the_read_timeout() {
    let (ca, url) = stalled(Behaviour::NeverHandshake);
    let (error, taken) = fail(&client(&ca), &url);
    assert!(error.starts_with(&format!("{url}: ")), "{error}");
    assert!(
        error.contains("no answer for 1 s (read_timeout_secs)"),
        "{error}"
    );
    assert_eq!(error.matches(&url).count(), 1, "{error}");
    assert!(
        taken >= Duration::from_millis(900) && taken < Duration::from_secs(4),
        "{taken:?}"
    );
}

#[test]
fn net_a_server_silent_after_the_handshake_ends_at_the_read_timeout() {
    let (ca, url) = stalled(Behaviour::SilentAfterHandshake);
    let (error, taken) = fail(&client(&ca), &url);
    assert!(
        error.contains("no answer for 1 s (read_timeout_secs)"),
        "{error}"
    );
    assert_eq!(error.matches(&url).count(), 1, "{error}");
    assert!(
        taken >= Duration::from_millis(900) && taken < Duration::from_secs(4),
        "{taken:?}"
    );
}

#[test]
fn net_a_refused_connection_without_a_proxy_suggests_one() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let ca = TestCa::new("Refused Test CA");
    let url = format!("https://127.0.0.1:{port}/.well-known/webfinger");
    let (error, taken) = fail(&client(&ca), &url);
    assert!(error.contains("connection refused"), "{error}");
    assert!(error.contains("set HTTPS_PROXY"), "{error}");
    assert_eq!(error.matches(&url).count(), 1, "{error}");
    assert!(taken < Duration::from_secs(4), "{taken:?}");
}

#[test]
fn net_a_stalled_account_gives_up_within_four_read_timeouts_plus_backoff() {
    let ca = TestCa::new("Silent Test CA");
    let front = TlsFront::bind();
    let instance = format!("https://{}", front.addr);
    front.serve(ca.server(&["127.0.0.1"]), Behaviour::SilentAfterHandshake);
    let account = format!("handle = \"@news@social.example\"\ninstance = \"{instance}\"");
    let dir = site(&account, "ca_file = \"ca.pem\"\nread_timeout_secs = 3");
    std::fs::write(dir.path().join("ca.pem"), &ca.pem).unwrap();

    let (out, text, taken) = sync_with(dir.path(), &[], false);
    eprintln!(
        "a silent server with read_timeout_secs = 3: sync gave up after {:.1} s",
        taken.as_secs_f32()
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    // 4 attempts of 3 s plus 2 + 4 + 8 s of back-off, far below the old
    // 300 s per try; never less than the four timeouts.
    assert!(taken >= Duration::from_secs(12), "{taken:?}");
    assert!(taken < Duration::from_secs(60), "{taken:?}");
    let url = format!("{instance}/api/v1/accounts/lookup?acct=news");
    let failure = format!("{url}: timed out: no answer for 3 s (read_timeout_secs)");
    assert!(text.contains(&failure), "{text}");
    assert_eq!(text.matches("retry ").count(), 3, "{text}");
}

/// Only meaningful in a network namespace with nothing but loopback
/// (`scripts/netns-check.sh`): there a name cannot resolve, and the lookup
/// cannot leave the machine. Elsewhere it does nothing.
#[test]
fn net_isolated_an_unresolvable_name_suggests_https_proxy() {
    // /proc/net is this process's namespace (/sys/class/net may not be).
    let only_loopback = std::fs::read_to_string("/proc/net/dev").is_ok_and(|dev| {
        dev.lines()
            .skip(2)
            .filter_map(|l| l.split(':').next())
            .all(|name| name.trim() == "lo")
    });
    if !only_loopback {
        eprintln!("skipped: not in a loopback-only network namespace");
        return;
    }
    let dir = site("handle = \"@news@social.proxyonly.test\"", "");
    let (out, text, _) = sync_with(dir.path(), &[], false);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let url = "https://social.proxyonly.test/.well-known/webfinger";
    assert_eq!(text.matches(url).count(), 1, "the URL once: {text}");
    assert_eq!(
        text.matches("does not resolve").count(),
        1,
        "printed once: {text}"
    );
    assert!(text.contains("set HTTPS_PROXY"), "{text}");
}
