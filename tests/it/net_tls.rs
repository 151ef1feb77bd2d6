//! `tootbridge sync` as on an agency network, all on 127.0.0.1: the
//! instance is behind real TLS (a test CA) and reachable only through a
//! forward proxy that alone knows its made-up name `social.proxyonly.test`
//! (so sync cannot resolve it itself and must let the proxy do so). The
//! proxy and CA settings reach the child process through its environment
//! or site.toml only; the machine's own variables are removed.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use crate::fake_instance::{status, FakeInstance};
use crate::net_support::{Behaviour, ForwardProxy, TestCa, TlsFront};
use crate::support::command;
use crate::sync_support::{storable_ids, stored_ids_on, TINY_PNG};

pub(crate) const HOST: &str = "social.proxyonly.test";

/// A TLS stand-in instance for `names`, behind a proxy that maps `HOST`
/// (and, when `ip_too`, the front's own address) to it.
pub(crate) struct Stand {
    pub fake: FakeInstance,
    pub ca: TestCa,
    pub front: std::net::SocketAddr,
    pub proxy: ForwardProxy,
}

pub(crate) fn stand_in(base: Option<&str>, auth: Option<String>) -> Stand {
    let ca = TestCa::new("Agency Test CA");
    let front = TlsFront::bind();
    let addr = front.addr;
    let public = base.map_or(format!("https://{addr}"), str::to_string);
    let fake = FakeInstance::start_as("news", Some(&public));
    {
        let mut w = fake.world();
        for i in (1..=60u64).rev() {
            let vis = match i {
                i if i % 11 == 0 => "direct",
                i if i % 7 == 0 => "private",
                i if i % 5 == 0 => "unlisted",
                _ => "public",
            };
            w.statuses.push(status(&public, "news", i, vis));
        }
        w.files.insert(
            "/media/avatar.png".into(),
            ("image/png".into(), TINY_PNG.to_vec()),
        );
    }
    let config = ca.server(&[HOST, "127.0.0.1"]);
    front.serve(config, Behaviour::Forward(fake.addr));
    let proxy = ForwardProxy::start(
        &[(&format!("{HOST}:443"), addr), (&addr.to_string(), addr)],
        auth,
    );
    Stand {
        fake,
        ca,
        front: addr,
        proxy,
    }
}

/// A site with one account (`instance` line optional) and `[sync]` keys.
pub(crate) fn site(account: &str, sync: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "title = \"Test\"\nbase_url = \"https://example.org/news/\"\n[[accounts]]\n{account}\n[sync]\n{sync}\n"
    );
    std::fs::write(dir.path().join("site.toml"), text).unwrap();
    dir
}

/// Runs `sync` on `root` with `env`; returns the output, stdout and
/// stderr together, and the time taken.
pub(crate) fn sync_with(
    root: &Path,
    env: &[(&str, &str)],
    verbose: bool,
) -> (Output, String, Duration) {
    let mut cmd = command();
    cmd.args(["--root", root.to_str().unwrap()]);
    if verbose {
        // The most verbose level, so no log line of any layer hides a leak.
        cmd.arg("-vv");
    }
    cmd.arg("sync");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let out = cmd.output().expect("the binary runs");
    let taken = start.elapsed();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out, text, taken)
}

#[test]
fn net_sync_through_https_proxy_with_ca_file_stores_every_public_and_unlisted_post() {
    let stand = stand_in(Some(&format!("https://{HOST}")), None);
    let dir = site(
        &format!("handle = \"@news@{HOST}\""),
        "ca_file = \"certs/agency.pem\"",
    );
    std::fs::create_dir(dir.path().join("certs")).unwrap();
    std::fs::write(dir.path().join("certs/agency.pem"), &stand.ca.pem).unwrap();

    let (out, text, _) = sync_with(dir.path(), &[("HTTPS_PROXY", &stand.proxy.url)], true);
    assert!(out.status.success(), "{text}");
    let expected = storable_ids(&stand.fake);
    assert!(expected.len() > 30);
    assert_eq!(stored_ids_on(dir.path(), HOST), expected, "{text}");
    // WebFinger and REST went through CONNECT tunnels to the made-up name.
    let log = stand.fake.take_log();
    assert!(
        log.iter().any(|l| l.starts_with("/.well-known/webfinger")),
        "{log:?}"
    );
    assert!(log.iter().any(|l| l.contains("/statuses?")), "{log:?}");
    let tunnels = stand.proxy.tunnels();
    eprintln!("tunnels seen through the proxy: {tunnels}");
    assert!(tunnels > 0);
    let seen = stand.proxy.seen.lock().unwrap().clone();
    assert!(
        seen.iter().all(|(t, _)| t == &format!("{HOST}:443")),
        "{seen:?}"
    );
    // The verbose log names the proxy each request used.
    let proxy_addr = stand.proxy.url.trim_start_matches("http://");
    let line = format!("through the proxy http://{proxy_addr} (from HTTPS_PROXY)");
    assert!(text.contains(&line), "{text}");
}

#[test]
fn net_an_unknown_ca_is_refused_naming_the_host_then_accepted_with_ca_file() {
    let stand = stand_in(Some(&format!("https://{HOST}")), None);
    let dir = site(&format!("handle = \"@news@{HOST}\""), "");
    let env = [("https_proxy", stand.proxy.url.as_str())];
    let (out, text, _) = sync_with(dir.path(), &env, false);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let why = format!("the TLS certificate of {HOST} is signed by a CA that is not trusted");
    assert_eq!(text.matches(&why).count(), 1, "printed once: {text}");
    for how in ["[sync] ca_file", "SSL_CERT_FILE", "system's CA store"] {
        assert!(text.contains(how), "{how}: {text}");
    }
    let url = format!("https://{HOST}/.well-known/webfinger");
    assert_eq!(text.matches(&url).count(), 1, "the URL once: {text}");
    assert!(stored_ids_on(dir.path(), HOST).is_empty());

    // The same CA handed over as SSL_CERT_FILE, then as ca_file.
    let pem = dir.path().join("agency.pem");
    std::fs::write(&pem, &stand.ca.pem).unwrap();
    let env = [
        ("https_proxy", stand.proxy.url.as_str()),
        ("SSL_CERT_FILE", pem.to_str().unwrap()),
    ];
    let (out, text, _) = sync_with(dir.path(), &env, false);
    assert!(out.status.success(), "{text}");
    std::fs::remove_dir_all(dir.path().join("content")).unwrap();
    let toml = std::fs::read_to_string(dir.path().join("site.toml")).unwrap();
    std::fs::write(
        dir.path().join("site.toml"),
        format!("{toml}ca_file = \"agency.pem\"\n"),
    )
    .unwrap();
    let (out, text, _) = sync_with(dir.path(), &[("https_proxy", &stand.proxy.url)], false);
    assert!(out.status.success(), "{text}");
    assert_eq!(stored_ids_on(dir.path(), HOST), storable_ids(&stand.fake));
}

#[test]
fn net_no_proxy_bypasses_the_proxy_and_site_toml_overrides_the_environment() {
    let stand = stand_in(None, None);
    let instance = format!("https://{}", stand.front);
    let account = format!("handle = \"@news@{HOST}\"\ninstance = \"{instance}\"");
    let dir = site(&account, "ca_file = \"ca.pem\"");
    std::fs::write(dir.path().join("ca.pem"), &stand.ca.pem).unwrap();
    let proxy = stand.proxy.url.as_str();

    let (out, text, _) = sync_with(
        dir.path(),
        &[("HTTPS_PROXY", proxy), ("NO_PROXY", "127.0.0.1")],
        true,
    );
    assert!(out.status.success(), "{text}");
    assert_eq!(stand.proxy.tunnels(), 0, "NO_PROXY lists the host: {text}");
    assert!(text.contains("(direct)"), "{text}");
    assert_eq!(stored_ids_on(dir.path(), HOST), storable_ids(&stand.fake));

    // Without NO_PROXY the same requests go through the proxy.
    let (out, text, _) = sync_with(dir.path(), &[("HTTPS_PROXY", proxy)], false);
    assert!(out.status.success(), "{text}");
    let tunnels = stand.proxy.tunnels();
    assert!(tunnels > 0);

    // `proxy = "none"` in site.toml wins over the environment.
    let none = site(&account, "ca_file = \"ca.pem\"\nproxy = \"none\"");
    std::fs::write(none.path().join("ca.pem"), &stand.ca.pem).unwrap();
    let (out, text, _) = sync_with(none.path(), &[("HTTPS_PROXY", proxy)], false);
    assert!(out.status.success(), "{text}");
    assert_eq!(stand.proxy.tunnels(), tunnels);

    // And `proxy = URL` in site.toml wins over an unusable environment.
    let set = site(
        &account,
        &format!("ca_file = \"ca.pem\"\nproxy = \"{proxy}\""),
    );
    std::fs::write(set.path().join("ca.pem"), &stand.ca.pem).unwrap();
    let (out, text, _) = sync_with(set.path(), &[("HTTPS_PROXY", "http://127.0.0.1:9")], false);
    assert!(out.status.success(), "{text}");
    assert!(stand.proxy.tunnels() > tunnels);
}

#[test]
fn net_proxy_credentials_are_used_but_never_shown() {
    // base64("agent:s3cret-pw"), what the proxy expects.
    let stand = stand_in(
        Some(&format!("https://{HOST}")),
        Some("Basic YWdlbnQ6czNjcmV0LXB3".into()),
    );
    let dir = site(
        &format!("handle = \"@news@{HOST}\""),
        "ca_file = \"ca.pem\"",
    );
    std::fs::write(dir.path().join("ca.pem"), &stand.ca.pem).unwrap();
    let port = stand.proxy.url.rsplit(':').next().unwrap().to_string();

    let wrong = format!("http://agent:wr0ng-pw@127.0.0.1:{port}");
    let (out, text, _) = sync_with(dir.path(), &[("HTTPS_PROXY", &wrong)], true);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        !text.contains("wr0ng-pw") && !text.contains("agent"),
        "{text}"
    );
    assert!(
        text.contains(&format!("http://***@127.0.0.1:{port}")),
        "{text}"
    );

    let right = format!("http://agent:s3cret-pw@127.0.0.1:{port}");
    let (out, text, _) = sync_with(dir.path(), &[("HTTPS_PROXY", &right)], true);
    assert!(out.status.success(), "{text}");
    assert!(
        !text.contains("s3cret-pw") && !text.contains("agent"),
        "{text}"
    );
    assert!(
        text.contains(&format!("through the proxy http://***@127.0.0.1:{port}")),
        "{text}"
    );
    assert_eq!(stored_ids_on(dir.path(), HOST), storable_ids(&stand.fake));
}
