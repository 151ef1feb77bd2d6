//! `sitemap.xml` (every HTML page with the date it last changed) and the
//! optional `robots.txt` that points to it. Dates come from the toots shown
//! on a page, never from the clock.

use chrono::{DateTime, Utc};

use super::feed::rfc3339;

/// One page of the site for the sitemap.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SitemapEntry {
    pub url: String,
    /// The newest creation or edit among the toots the page shows.
    pub lastmod: Option<DateTime<Utc>>,
}

/// The sitemap protocol allows 50,000 URLs per file.
pub(crate) const MAX_URLS: usize = 50_000;

/// `sitemap.xml` listing `entries` in the given order (the first
/// [`MAX_URLS`]; a bigger site would need a sitemap index).
pub(crate) fn sitemap(entries: &[SitemapEntry]) -> Vec<u8> {
    let entries = &entries[..entries.len().min(MAX_URLS)];
    // Sized first (the markup around a URL and its date is under 90 bytes):
    // at 50,000 toots the file is 7 MB, and growing it by doubling held up
    // to twice that at the end of a build, when memory peaks.
    let room: usize = entries.iter().map(|e| e.url.len() + 90).sum();
    let mut out = String::with_capacity(room + 200);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for entry in entries {
        out.push_str("  <url>\n    <loc>");
        out.push_str(&crate::sanitize::escape(&entry.url));
        out.push_str("</loc>\n");
        if let Some(when) = &entry.lastmod {
            out.push_str(&format!("    <lastmod>{}</lastmod>\n", rfc3339(when)));
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

/// `robots.txt`: everything may be crawled; the sitemap is announced.
pub(crate) fn robots(base: &str) -> Vec<u8> {
    format!("User-agent: *\nDisallow:\n\nSitemap: {base}/sitemap.xml\n").into_bytes()
}

#[cfg(test)]
mod tests;
