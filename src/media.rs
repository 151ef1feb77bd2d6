//! Mirroring remote files (attachments and their previews, custom emoji,
//! card images, avatars) into `content/media/<host>/<user>/`.
//!
//! Names come from the content (the first 16 hex digits of its SHA-256 and an
//! extension derived from the checked content type), never from remote names.
//! Downloads run on at most 4 threads, each capped in size; the content type
//! must fit what the toot claims (an "image" must be an image), and a body
//! that starts like markup (HTML, SVG) is refused whatever its label. A file that
//! is already mirrored is never fetched again; a failed one leaves the slot
//! empty, the toot is stored all the same, and the next sync retries.

use std::collections::HashMap;
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::model::{MediaKind, Toot};
use crate::source::http::HttpClient;
use crate::source::kind::Media;
/// Content names and account folders are the store's; kept here by name.
pub use crate::store::content_name;
use crate::store::Store;

const WORKERS: usize = 4;

/// What a slot may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    Image,
    Video,
    /// gifv: Mastodon serves MP4, other servers a GIF.
    Animation,
    Audio,
    Any,
}

impl Want {
    fn of(kind: MediaKind) -> Want {
        match kind {
            MediaKind::Image => Want::Image,
            MediaKind::Gifv => Want::Animation,
            MediaKind::Video => Want::Video,
            MediaKind::Audio => Want::Audio,
            MediaKind::Unknown => Want::Any,
        }
    }

    fn fits(self, mime: &str) -> bool {
        match self {
            Want::Image => mime.starts_with("image/"),
            Want::Video => mime.starts_with("video/"),
            Want::Animation => mime.starts_with("video/") || mime == "image/gif",
            // Mastodon may transcode audio into an MP4 container.
            Want::Audio => mime.starts_with("audio/") || mime.starts_with("video/"),
            Want::Any => true,
        }
    }
}

pub(crate) use crate::model::media_type::extension_of_mime as extension;

/// A mirrored file: its path relative to `content/media/`, type and size.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mirrored {
    pub file: String,
    pub mime: String,
    pub size: u64,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct MediaReport {
    pub fetched: usize,
    pub failed: usize,
    /// Files a dry run would fetch.
    pub pending: usize,
    pub errors: Vec<String>,
}

pub(crate) struct Mirror<'a> {
    pub http: &'a HttpClient,
    /// Where the files go ([`Store::put_media`]).
    pub store: &'a Store,
    /// `<host>/<user>`, the folder below `content/media/`.
    pub prefix: String,
    pub cap: u64,
    pub dry_run: bool,
    /// Told of every finished download, so the caller can show progress.
    pub progress: &'a dyn MediaProgress,
}

/// Receives the mirror's progress from any download thread. The caller's
/// progress type implements it, so the mirror does not depend on sync.
pub(crate) trait MediaProgress: Sync {
    /// `done` of `total` downloads of this batch have finished.
    fn fetched(&self, done: usize, total: usize);
}

/// Nowhere: downloads nobody shows progress for.
impl MediaProgress for () {
    fn fetched(&self, _done: usize, _total: usize) {}
}

/// One place a file can go: its source, what it may be, and where the
/// mirrored path (and for attachments type and size) is recorded.
struct Slot<'t> {
    url: &'t str,
    want: Want,
    file: &'t mut Option<String>,
    meta: Option<(&'t mut Option<String>, &'t mut Option<u64>)>,
}

fn slots<'t>(toot: &'t mut Toot, out: &mut Vec<Slot<'t>>) {
    for media in &mut toot.media {
        let want = Want::of(media.kind);
        if !media.remote_url.is_empty() {
            out.push(Slot {
                url: &media.remote_url,
                want,
                file: &mut media.file,
                meta: Some((&mut media.mime, &mut media.size)),
            });
        }
        if let Some(url) = &media.preview_remote_url {
            out.push(Slot {
                url,
                want: Want::Image,
                file: &mut media.preview_file,
                meta: None,
            });
        }
    }
    for emoji in &mut toot.emojis {
        out.push(Slot {
            url: &emoji.remote_url,
            want: Want::Image,
            file: &mut emoji.file,
            meta: None,
        });
    }
    if let Some(card) = &mut toot.card {
        if let Some(url) = &card.image_remote_url {
            out.push(Slot {
                url,
                want: Want::Image,
                file: &mut card.image,
                meta: None,
            });
        }
    }
    if let Some(shared) = &mut toot.reblog {
        slots(&mut shared.toot, out);
    }
    if let Some(shared) = toot.quote.as_mut().and_then(|q| q.shared.as_mut()) {
        slots(&mut shared.toot, out);
    }
}

impl Mirror<'_> {
    /// Fills every empty (or vanished) file slot of `toots` it can.
    pub(crate) fn toots(&self, toots: &mut [Toot], report: &mut MediaReport) {
        let mut all = Vec::new();
        for toot in toots.iter_mut() {
            slots(toot, &mut all);
        }
        let mut missing: Vec<Slot<'_>> = all
            .into_iter()
            .filter(|s| !s.file.as_deref().is_some_and(|f| self.store.has_media(f)))
            .collect();
        let mut jobs: Vec<(String, Want)> = Vec::new();
        for slot in &missing {
            if !jobs.iter().any(|(url, _)| url == slot.url) {
                jobs.push((slot.url.to_string(), slot.want));
            }
        }
        if self.dry_run {
            report.pending += jobs.len();
            return;
        }
        let results = self.run(&jobs);
        for slot in &mut missing {
            match results.get(slot.url) {
                Some(Ok(done)) if slot.want.fits(&done.mime) => {
                    *slot.file = Some(done.file.clone());
                    if let Some((mime, size)) = &mut slot.meta {
                        **mime = Some(done.mime.clone());
                        **size = Some(done.size);
                    }
                }
                Some(Ok(done)) => {
                    *slot.file = None;
                    report.failed += 1;
                    report.errors.push(format!(
                        "{}: content type {} does not fit the toot's claim",
                        slot.url, done.mime
                    ));
                }
                Some(Err(e)) => {
                    *slot.file = None;
                    report.failed += 1;
                    report.errors.push(e.clone());
                }
                None => {}
            }
        }
        report.fetched += results.values().filter(|r| r.is_ok()).count();
    }

    /// Whether `toot` has a file slot that is empty or whose file vanished.
    pub(crate) fn has_missing(&self, toot: &mut Toot) -> bool {
        let mut all = Vec::new();
        slots(toot, &mut all);
        all.iter()
            .any(|s| !s.file.as_deref().is_some_and(|f| self.store.has_media(f)))
    }

    /// Mirrors one image (an avatar); `None` in a dry run.
    pub(crate) fn image(&self, url: &str) -> Option<Result<Mirrored, String>> {
        if self.dry_run {
            return None;
        }
        Some(self.fetch(url, Want::Image))
    }

    fn run(&self, jobs: &[(String, Want)]) -> HashMap<String, Result<Mirrored, String>> {
        let next = AtomicUsize::new(0);
        let results = Mutex::new(HashMap::new());
        std::thread::scope(|scope| {
            for _ in 0..WORKERS.min(jobs.len()) {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((url, want)) = jobs.get(i) else {
                        break;
                    };
                    let result = self.fetch(url, *want);
                    let mut results = results.lock().expect("results lock");
                    results.insert(url.clone(), result);
                    self.progress.fetched(results.len(), jobs.len());
                });
            }
        });
        results.into_inner().expect("results lock")
    }

    /// Fetches through the [`Media`] capability the network sources share.
    fn fetch(&self, url: &str, want: Want) -> Result<Mirrored, String> {
        let mut http = self.http;
        let body = http
            .open_media(url, self.cap)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("{url}: not found"))?;
        let mime = body
            .mime
            .unwrap_or_default()
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        let mut bytes = Vec::new();
        let mut reader = body.reader;
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{url}: {e}"))?;
        if !want.fits(&mime) {
            return Err(format!(
                "{url}: content type {mime:?} does not fit the toot's claim"
            ));
        }
        if extension(&mime).is_none() {
            return Err(format!("{url}: content type {mime:?} is not mirrored"));
        }
        if looks_like_markup(&bytes) {
            return Err(format!(
                "{url}: the body is markup (HTML, SVG or XML), not {mime}"
            ));
        }
        let stored = self
            .store
            .put_media(&bytes[..], &self.prefix, &mime, self.cap, url)
            .map_err(|e| e.to_string())?;
        Ok(Mirrored {
            file: stored.file,
            mime,
            size: stored.size,
        })
    }
}

/// Whether `bytes` start like HTML, SVG or XML. No image, video or audio
/// format does, so a server that labels a page `image/png` cannot get it
/// mirrored (and served from the site's own origin).
fn looks_like_markup(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'<')
}

/// Every mirrored file a toot refers to.
pub(crate) fn files_of(toot: &Toot) -> Vec<String> {
    let mut copy = toot.clone();
    let mut all = Vec::new();
    slots(&mut copy, &mut all);
    all.into_iter().filter_map(|s| s.file.clone()).collect()
}

#[cfg(test)]
mod tests;
