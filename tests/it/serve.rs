//! `tootbridge serve` as editors use it: a real server on a free loopback
//! port, fetched over HTTP, with content files changed under it.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use crate::support::{example_site, http_get, read, read_tree, tootbridge, Served};

fn write(path: impl AsRef<std::path::Path>, text: &str) {
    let path = path.as_ref();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The build a page came from, as its reload script says.
fn generation(html: &str) -> u64 {
    let at = html
        .find("reload.js?since=")
        .unwrap_or_else(|| panic!("no reload script in {html}"))
        + 16;
    html[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn serve_shows_the_site_with_local_links_reload_script_and_drafts() {
    let site = example_site();
    write(
        site.path().join("content/pages/entwurf.md"),
        "+++\ntitle = \"Entwurf einer Seite\"\ndraft = true\n+++\nNoch nicht fertig.\n",
    );
    let served = Served::start(site.path());

    let home = served.get("/");
    assert_eq!(home.status, 200, "{}", served.log());
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    let length = home.body.len().to_string();
    assert_eq!(home.header("content-length"), Some(length.as_str()));
    let base = &served.base;
    assert!(
        home.body.contains(&format!("href=\"{base}/tags/\"")),
        "links are local"
    );
    assert!(
        !home.body.contains("beispielamt.example/neuigkeiten"),
        "no live base_url"
    );
    assert!(home.body.contains("script-src 'self'"));
    assert!(!home.body.contains("script-src 'none'"));
    assert!(home
        .body
        .contains("<script src=\"/__tootbridge/reload.js?since="));
    // Drafts are previewed, and linked in the navigation.
    assert!(home.body.contains(&format!("href=\"{base}/entwurf/\"")));
    let draft = served.get("/entwurf/");
    assert_eq!(draft.status, 200);
    assert!(draft.body.contains(">Entwurf einer Seite</h1>"));
    assert!(draft.body.contains("class=\"draft-note\""));

    let js = served.get("/__tootbridge/reload.js");
    assert_eq!(js.status, 200);
    assert!(js
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
    assert!(js.body.contains("EventSource"));
    let css = served.get("/style.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(
        !css.body.contains("__tootbridge"),
        "only HTML gets the script"
    );
    let tags = served.get("/tags");
    assert_eq!(tags.status, 301);
    assert_eq!(tags.header("location"), Some("/tags/"));
    let missing = served.get("/gibt-es-nicht/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Seite nicht gefunden"));
    // Another host name (DNS rebinding) gets nothing.
    assert_eq!(http_get(served.addr, "/", Some("evil.example")).status, 403);
    drop(served);

    // The built site has neither the script nor the draft.
    let out = tootbridge(&["--root", site.path().to_str().unwrap(), "build"]);
    assert!(out.status.success());
    for (path, bytes) in read_tree(&site.path().join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("__tootbridge"), "{path} has serve's script");
        if path.ends_with(".html") && text.contains("<head>") {
            assert!(
                text.contains("script-src 'none'"),
                "{path} keeps the strict CSP"
            );
        }
    }
    assert!(!read(site.path().join("public/index.html")).contains("entwurf"));
    assert!(!site.path().join("public/entwurf").exists());
}

#[test]
fn editing_the_intro_rebuilds_and_sends_a_reload_event() {
    let site = example_site();
    let served = Served::start(site.path());
    let home = served.get("/");
    assert!(!home.body.contains("Willkommen im Newsroom"));
    let since = generation(&home.body);

    // What the page's script does: listen for a newer build.
    let mut events = std::net::TcpStream::connect(served.addr).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        events,
        "GET /__tootbridge/events?since={since} HTTP/1.1\r\nHost: {}\r\n\r\n",
        served.addr
    )
    .unwrap();
    let mut received = String::new();
    let mut buf = [0u8; 1024];
    while !received.contains("retry:") {
        let n = events.read(&mut buf).unwrap();
        assert!(n > 0, "stream closed: {received}");
        received.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(received.starts_with("HTTP/1.1 200"), "{received}");
    assert!(
        received.contains("Content-Type: text/event-stream"),
        "{received}"
    );

    let saved = Instant::now();
    write(
        site.path().join("content/pages/_index.md"),
        "Willkommen im **Newsroom** des Beispielamts.\n",
    );
    while !received.contains("event: reload") {
        let n = events.read(&mut buf).expect("a reload event within 10 s");
        assert!(n > 0, "stream closed: {received}");
        received.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    let took = saved.elapsed();
    assert!(took < Duration::from_secs(5), "reload took {took:?}");
    let home = served.get("/");
    assert!(
        home.body
            .contains("<div class=\"intro\"><p>Willkommen im <strong>Newsroom</strong>"),
        "{}",
        home.body
    );
    assert!(generation(&home.body) > since);
    // A page from an older build learns about the new one at once.
    let mut late = std::net::TcpStream::connect(served.addr).unwrap();
    late.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        late,
        "GET /__tootbridge/events?since={since} HTTP/1.1\r\nHost: {}\r\n\r\n",
        served.addr
    )
    .unwrap();
    let mut text = String::new();
    while !text.contains("event: reload") {
        let n = late.read(&mut buf).unwrap();
        assert!(n > 0, "stream closed: {text}");
        text.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
}

#[test]
fn a_broken_template_config_or_store_file_shows_an_error_page_and_recovers() {
    let site = example_site();
    let served = Served::start(site.path());
    assert_eq!(served.get("/").status, 200);

    let template = site.path().join("themes/default/templates/index.html");
    let original = read(&template);
    write(
        &template,
        "{% extends \"base.html\" %}\n{% block content %}\n{% if %}\n",
    );
    let broken = served.wait_for("/", |r| r.status == 500);
    assert!(
        broken.body.contains("The site does not build"),
        "{}",
        broken.body
    );
    assert!(broken.body.contains("index.html"), "{}", broken.body);
    assert!(
        broken.body.contains("3:"),
        "names the line: {}",
        broken.body
    );
    assert!(broken.body.contains("reload.js"), "reloads when fixed");
    let log = served.log();
    assert!(
        log.contains("build failed") && log.contains("index.html"),
        "{log}"
    );

    write(&template, &original);
    served.wait_for("/", |r| r.status == 200);

    let config = site.path().join("site.toml");
    let original = read(&config);
    write(&config, &format!("{original}\ntitel = \"Tippfehler\"\n"));
    let broken = served.wait_for("/", |r| r.status == 500);
    assert!(broken.body.contains("site.toml:"), "{}", broken.body);
    assert!(broken.body.contains("titel"), "{}", broken.body);
    write(&config, &original);
    let fixed = served.wait_for("/", |r| r.status == 200);
    assert!(fixed.body.contains("Beispielamt"));

    // A hand-edited store file with a syntax error.
    let toot = site
        .path()
        .join("content/toots/social.example/news/117677909606452303.json");
    let original = read(&toot);
    write(&toot, &original.replacen("\"id\"", "\"id\" \"", 1));
    let broken = served.wait_for("/", |r| r.status == 500);
    assert!(
        broken.body.contains("117677909606452303.json"),
        "{}",
        broken.body
    );
    assert!(broken.body.contains("line"), "{}", broken.body);
    write(&toot, &original);
    served.wait_for("/", |r| r.status == 200);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = example_site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = tootbridge(&[
        "--root",
        site.path().to_str().unwrap(),
        "serve",
        "--port",
        &port,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("port {port}")), "{err}");
    assert!(err.contains("already in use"), "{err}");
    assert!(err.contains("--port"), "{err}");
}
