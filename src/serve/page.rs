//! What `serve` adds to or serves beside the built site: the live-reload
//! script and its injection, the build error page, URL → file lookup and
//! content types. Pure functions, so the rules are unit tested.
//!
//! The built site forbids scripts (`script-src 'none'` in the CSP meta of
//! `base.html`). Only while serving, every HTML page gets
//! `<script src="/__tootbridge/reload.js?since=N" defer>` before `</body>`
//! and its CSP is relaxed to `script-src 'self'`: the script comes from the
//! preview server itself, so no inline script and no other origin is
//! allowed. `build` never calls this code, so built output has neither.

use std::collections::HashMap;

use crate::render::Body;
use crate::sanitize::escape;

/// URL prefix of everything the preview server adds.
pub(super) const PREFIX: &str = "/__tootbridge/";

/// The reload script: listens for `reload` events on the server's event
/// stream and reloads the page. `since` (the build the page came from) lets
/// the server tell at once when a newer build already exists.
pub(super) const RELOAD_JS: &str = r#"(function () {
  "use strict";
  var me = document.currentScript;
  var since = me ? new URL(me.src).searchParams.get("since") || "0" : "0";
  var events = new EventSource("/__tootbridge/events?since=" + encodeURIComponent(since));
  events.addEventListener("reload", function () {
    events.close();
    window.location.reload();
  });
})();
"#;

/// Adds the reload script to an HTML page and lets the CSP allow it.
pub(super) fn inject_reload(html: &str, generation: u64) -> String {
    let html = html.replacen("script-src 'none'", "script-src 'self'", 1);
    let tag = format!("<script src=\"{PREFIX}reload.js?since={generation}\" defer></script>\n");
    match html.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &html[..at], &html[at..]),
        None => format!("{html}{tag}"),
    }
}

/// The page shown for every HTML request while the site does not build.
pub(super) fn error_page(message: &str, generation: u64) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'; style-src 'none'\">\n\
         <title>Build error – tootbridge serve</title>\n</head>\n<body>\n<main>\n\
         <h1>The site does not build</h1>\n<p>tootbridge could not render the site. \
         Fix the file named below and save it: this page reloads by itself.</p>\n\
         <pre>{}</pre>\n</main>\n</body>\n</html>\n",
        escape(message)
    )
    .replace("</body>", &inject_reload("</body>", generation))
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Lookup<'a> {
    /// Serve this output file.
    File(&'a str),
    /// `/folder` → `/folder/` so relative links inside work.
    Redirect(String),
    NotFound,
}

/// Finds the output file for a request URL (path and query).
pub(super) fn lookup<'a>(files: &'a HashMap<String, Body>, url: &str) -> Lookup<'a> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let Some(decoded) = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()
        .map(|p| p.trim_start_matches('/').to_string())
    else {
        return Lookup::NotFound;
    };
    let found = |key: &str| files.get_key_value(key).map(|(k, _)| k.as_str());
    if decoded.is_empty() || decoded.ends_with('/') {
        return found(&format!("{decoded}index.html")).map_or(Lookup::NotFound, Lookup::File);
    }
    if let Some(key) = found(&decoded) {
        return Lookup::File(key);
    }
    if found(&format!("{decoded}/index.html")).is_some() {
        return Lookup::Redirect(format!("{path}/"));
    }
    Lookup::NotFound
}

/// The Content-Type of an output file, by extension.
pub(super) fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        // Mirrored media: the one table the mirror and the views use.
        other => crate::model::media_type::by_extension(other)
            .map_or("application/octet-stream", |t| t.mime),
    }
}

#[cfg(test)]
mod tests;
