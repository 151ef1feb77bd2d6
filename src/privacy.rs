//! The privacy check: nothing a browser loads may come from another host.
//!
//! Scans every rendered HTML and CSS file for references that make a browser
//! fetch something on its own: `src`, `poster`, `srcset`, `data` of media and
//! embedding elements, `href` of `<link>`s that load (stylesheet, icon,
//! preload, ...), inline `style` attributes and `<style>` blocks, and CSS
//! `url()`/`@import`. A reference is fine when it is relative, a `data:` URI,
//! or on the site's own scheme, host and port. Ordinary links (`<a href>`) are
//! not loads and are not reported.
//!
//! Pure functions over rendered files; [`Scanning`] runs them on each file
//! as the site renders, for `build` (which fails under `strict_privacy =
//! true`) and `check`.

mod chunks;
mod decode;
mod loads;

use std::sync::Mutex;

use rayon::prelude::*;

pub(crate) use loads::css_loads;
pub use loads::html_loads;

use crate::render::{Body, OutputFile, Sink};

/// One reference to another host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub file: String,
    pub url: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} loads {}", self.file, self.url)
    }
}

/// Scans every HTML and CSS file of the output (each distinct chunk of
/// HTML once, see `privacy/chunks.rs`).
pub fn scan(files: &[OutputFile], base: &str) -> Vec<Finding> {
    let own = url::Url::parse(base).ok();
    let origin = own.as_ref().map(|u| u.origin().ascii_serialization());
    let chunks = chunks::Chunks::new();
    // Files are independent: scan them in parallel, keep the order.
    files
        .par_iter()
        .flat_map_iter(|file| scan_file_with(file, own.as_ref(), origin.as_deref(), Some(&chunks)))
        .collect()
}

/// The references to other hosts in one file (HTML and CSS only); HTML by
/// chunks when `chunks` is given, else in one piece.
fn scan_file_with(
    file: &OutputFile,
    own: Option<&url::Url>,
    origin: Option<&str>,
    chunks: Option<&chunks::Chunks>,
) -> Vec<Finding> {
    let Body::Bytes(bytes) = &file.body else {
        return Vec::new();
    };
    let is_html = file.path.ends_with(".html");
    if !is_html && !file.path.ends_with(".css") {
        return Vec::new();
    }
    // Rendered pages are UTF-8; the lossy path is only a fallback.
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    let foreign = |url: &str| !on_origin(url, origin) && is_foreign(url, own);
    let urls = match (is_html, chunks) {
        (true, Some(chunks)) => chunks.foreign_loads(&text, &foreign),
        (true, None) => html_loads(&text),
        (false, _) => css_loads(&text),
    };
    urls.into_iter()
        .filter(|url| foreign(url))
        .map(|url| Finding {
            file: file.path.clone(),
            url,
        })
        .collect()
}

/// A [`Sink`] that scans every file on its way to another sink.
pub(crate) struct Scanning<'a> {
    inner: &'a dyn Sink,
    own: Option<url::Url>,
    /// `own`'s origin as text (`https://host[:port]`).
    origin: Option<String>,
    findings: Mutex<Vec<Finding>>,
    /// The chunks of HTML already scanned in this build.
    chunks: chunks::Chunks,
}

impl<'a> Scanning<'a> {
    pub(crate) fn new(inner: &'a dyn Sink, base: &str) -> Self {
        let own = url::Url::parse(base).ok();
        Scanning {
            inner,
            origin: own.as_ref().map(|u| u.origin().ascii_serialization()),
            own,
            findings: Mutex::new(Vec::new()),
            chunks: chunks::Chunks::new(),
        }
    }

    /// What the scan found, sorted by file.
    pub(crate) fn findings(self) -> Vec<Finding> {
        let mut findings = self
            .findings
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        findings.sort_by(|a, b| a.file.cmp(&b.file).then_with(|| a.url.cmp(&b.url)));
        findings
    }
}

impl Sink for Scanning<'_> {
    fn put(&self, file: OutputFile) -> crate::error::Result<()> {
        self.scan(&file);
        self.inner.put(file)
    }

    fn keyed(&self) -> bool {
        self.inner.keyed()
    }

    /// A file the inner sink keeps from the last build is not scanned again:
    /// its bytes are those scanned then, and the output writer keeps files
    /// only from builds without findings.
    fn put_keyed(
        &self,
        path: &str,
        key: crate::render::keys::Key,
        make: &mut dyn FnMut() -> crate::error::Result<OutputFile>,
    ) -> crate::error::Result<()> {
        self.inner.put_keyed(path, key, &mut || {
            let file = make()?;
            self.scan(&file);
            Ok(file)
        })
    }
}

impl Scanning<'_> {
    fn scan(&self, file: &OutputFile) {
        let found = scan_file_with(
            file,
            self.own.as_ref(),
            self.origin.as_deref(),
            Some(&self.chunks),
        );
        if !found.is_empty() {
            self.findings
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(found);
        }
    }
}

/// Whether `reference` plainly starts with the site's own origin
/// (`https://host[:port]` followed by `/`): the common case, answered
/// without parsing the URL. Anything else is left to [`is_foreign`].
fn on_origin(reference: &str, origin: Option<&str>) -> bool {
    origin.is_some_and(|origin| {
        reference
            .strip_prefix(origin)
            .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// Whether loading `reference` would contact a host other than the site's.
pub(crate) fn is_foreign(reference: &str, own: Option<&url::Url>) -> bool {
    let reference = reference.trim();
    if reference.is_empty() || reference.starts_with('#') {
        return false;
    }
    if reference.starts_with("//") {
        return true; // scheme-relative: another host unless proven otherwise
    }
    match url::Url::parse(reference) {
        Ok(url) if url.scheme() == "data" => false,
        Ok(url) => match own {
            Some(own) => {
                url.scheme() != own.scheme()
                    || url.host_str() != own.host_str()
                    || url.port_or_known_default() != own.port_or_known_default()
            }
            None => true,
        },
        // A relative reference stays on the site.
        Err(url::ParseError::RelativeUrlWithoutBase) => false,
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests;
