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
//! Every byte of every HTML and CSS file is scanned, each file in one piece
//! (`privacy/loads.rs` keeps that cheap: it does work only where a load can
//! start). Pure functions over rendered files; [`Scanning`] runs them on
//! each file as the site renders, for `build` (which fails under
//! `strict_privacy = true`) and `check`.

mod bytes;
mod css;
mod decode;
#[cfg(test)]
mod equivalence;
mod loads;
#[cfg(test)]
mod reference;

use std::sync::Mutex;

use rayon::prelude::*;

pub(crate) use css::css_loads;
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

/// Scans every HTML and CSS file of the output.
pub fn scan(files: &[OutputFile], base: &str) -> Vec<Finding> {
    let own = url::Url::parse(base).ok();
    let origin = own.as_ref().map(|u| u.origin().ascii_serialization());
    // Files are independent: scan them in parallel, keep the order.
    files
        .par_iter()
        .flat_map_iter(|file| scan_file_with(file, own.as_ref(), origin.as_deref()))
        .collect()
}

/// The references to other hosts in one file (HTML and CSS only).
fn scan_file_with(file: &OutputFile, own: Option<&url::Url>, origin: Option<&str>) -> Vec<Finding> {
    let Body::Bytes(bytes) = &file.body else {
        return Vec::new();
    };
    let is_html = file.path.ends_with(".html");
    if !is_html && !file.path.ends_with(".css") {
        return Vec::new();
    }
    let urls = if is_html {
        // Read as bytes: no pass over the page to check its UTF-8 (only a
        // URL found is read as text, see `privacy/loads.rs`).
        let mut urls = Vec::new();
        loads::html_bytes_loads(bytes, &mut urls);
        urls
    } else {
        css_loads(&String::from_utf8_lossy(bytes))
    };
    urls.into_iter()
        .filter(|url| !on_origin(url, origin) && is_foreign(url, own))
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
}

impl<'a> Scanning<'a> {
    pub(crate) fn new(inner: &'a dyn Sink, base: &str) -> Self {
        let own = url::Url::parse(base).ok();
        Scanning {
            inner,
            origin: own.as_ref().map(|u| u.origin().ascii_serialization()),
            own,
            findings: Mutex::new(Vec::new()),
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
        let found = scan_file_with(file, self.own.as_ref(), self.origin.as_deref());
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
