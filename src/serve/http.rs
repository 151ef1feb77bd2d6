//! The preview server's answers: the current build's files (or its error
//! page), the reload script and the event stream, each with
//! `Cache-Control: no-store` so a reload always shows the newest build.
//! Only GET and HEAD; on a loopback bind only loopback `Host` names.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tiny_http::{Header, Method, Request, Response};

use super::{lock, page, Outcome, Shared, MAX_STREAMS, PING};
use crate::error::{Error, Result};
use crate::render::Body;

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header is valid")
}

fn respond(request: Request, status: u16, content_type: &str, body: Vec<u8>) {
    // A known length, not chunks: the whole body is in memory anyway.
    let response = Response::from_data(body)
        .with_chunked_threshold(usize::MAX)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"));
    if let Err(e) = request.respond(response) {
        tracing::debug!("response not sent: {e}");
    }
}

pub(super) fn handle(request: Request, shared: &Arc<Shared>) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return respond(
            request,
            405,
            "text/plain; charset=utf-8",
            b"GET only\n".to_vec(),
        );
    }
    if let Some(hosts) = &shared.hosts {
        let host = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Host"))
            .map(|h| h.value.as_str().to_ascii_lowercase());
        if host.is_some_and(|h| !hosts.contains(&h)) {
            return respond(
                request,
                403,
                "text/plain; charset=utf-8",
                b"unknown host\n".to_vec(),
            );
        }
    }
    let url = request.url().to_string();
    if let Some(own) = url.strip_prefix(page::PREFIX) {
        let (name, query) = own.split_once('?').unwrap_or((own, ""));
        return match name {
            "reload.js" => respond(
                request,
                200,
                page::content_type("reload.js"),
                page::RELOAD_JS.as_bytes().to_vec(),
            ),
            "events" => {
                let since = query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("since="))
                    .and_then(|v| v.parse().ok());
                stream_events(request, Arc::clone(shared), since)
            }
            _ => respond(
                request,
                404,
                "text/plain; charset=utf-8",
                b"not found\n".to_vec(),
            ),
        };
    }
    let built = Arc::clone(&shared.built.read().unwrap_or_else(|e| e.into_inner()));
    let files = match &built.outcome {
        Outcome::Failed(message) => {
            let html = page::error_page(message, built.generation);
            return respond(request, 500, page::content_type(".html"), html.into_bytes());
        }
        Outcome::Site(files) => files,
    };
    match page::lookup(files, &url) {
        page::Lookup::File(path) => match read_body(&files[path]) {
            Ok(bytes) => respond(request, 200, page::content_type(path), bytes),
            Err(e) => {
                tracing::warn!("{e}");
                not_found(request, files)
            }
        },
        page::Lookup::Redirect(to) => {
            let response = Response::empty(301)
                .with_header(header("Location", &to))
                .with_header(header("Cache-Control", "no-store"));
            let _ = request.respond(response);
        }
        page::Lookup::NotFound => not_found(request, files),
    }
}

fn read_body(body: &Body) -> Result<Vec<u8>> {
    match body {
        Body::Bytes(bytes) => Ok(bytes.clone()),
        Body::Copy(path) => std::fs::read(path).map_err(|e| Error::io(path, e)),
    }
}

fn not_found(request: Request, files: &HashMap<String, Body>) {
    match files.get("404.html").map(read_body) {
        Some(Ok(bytes)) => respond(request, 404, page::content_type(".html"), bytes),
        _ => respond(
            request,
            404,
            "text/plain; charset=utf-8",
            b"not found\n".to_vec(),
        ),
    }
}

/// `/__tootbridge/events?since=N`: a server-sent event `reload` whenever a
/// build newer than N exists (at once if one already does).
fn stream_events(request: Request, shared: Arc<Shared>, since: Option<u64>) {
    if shared.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        return respond(
            request,
            503,
            "text/plain; charset=utf-8",
            b"too many open pages\n".to_vec(),
        );
    }
    std::thread::spawn(move || {
        let mut seen = since.unwrap_or_else(|| *lock(&shared.generation));
        let mut out = request.into_writer();
        let mut result = out
            .write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
                  Cache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n\n",
            )
            .and_then(|()| out.flush());
        while result.is_ok() {
            let generation = {
                let current = lock(&shared.generation);
                let (current, _) = shared
                    .changed
                    .wait_timeout_while(current, PING, |g| *g <= seen)
                    .unwrap_or_else(|e| e.into_inner());
                *current
            };
            result = if generation > seen {
                seen = generation;
                write!(out, "event: reload\ndata: {generation}\n\n")
            } else {
                out.write_all(b": ping\n\n")
            }
            .and_then(|()| out.flush());
        }
        shared.streams.fetch_sub(1, Ordering::SeqCst);
    });
}
