//! An attachment as stored: its kind, where it came from, the mirrored
//! file (relative to `content/media/`) and what a page shows of it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    Image,
    Gifv,
    Video,
    Audio,
    Unknown,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Gifv => "gifv",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::Unknown => "unknown",
        }
    }
}

/// One attachment. `file` is `None` while the file is not mirrored (yet);
/// pages then say so instead of hot-linking the remote copy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Media {
    pub id: String,
    pub kind: MediaKind,
    /// Where the original lives on the instance (never shown to visitors).
    pub remote_url: String,
    /// Where the preview image lives on the instance (never shown to visitors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_remote_url: Option<String>,
    /// Mirrored original, relative to `content/media/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Mirrored preview image (poster for video), relative to `content/media/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_file: Option<String>,
    /// Width of the preview image in pixels, when the server said (Mastodon's
    /// `meta.small`): lists offer it in `srcset` next to the original.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_width: Option<u32>,
    /// MIME type of the mirrored original, e.g. `image/png`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime: Option<String>,
    /// Size of the mirrored original in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// The alt text (plain text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Duration in seconds for video and audio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blurhash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus: Option<Focus>,
}

/// Focal point, both axes from -1 to 1, (0,0) the centre, y upwards.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Focus {
    pub x: f64,
    pub y: f64,
}
