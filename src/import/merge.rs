//! The pure merge rules of `import`: whether an archived toot is new, already
//! stored, or a later edit of a stored one, and what a replaced stored copy
//! passes on.

use chrono::{DateTime, Utc};

use crate::model::Toot;

/// How an archived toot relates to what is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Not stored yet.
    New,
    /// Stored, and the archive's copy is not newer.
    Present,
    /// Stored, but the archive holds a later edit.
    Update,
}

/// Merge rule: an archived copy replaces a stored one only when its edit date
/// is later (an unedited copy is older than any edit).
pub fn decide(stored: Option<Option<DateTime<Utc>>>, archived: Option<DateTime<Utc>>) -> Decision {
    match stored {
        None => Decision::New,
        Some(edited) if archived > edited => Decision::Update,
        Some(_) => Decision::Present,
    }
}

/// What the stored copy has that an archive lacks (card details, pin,
/// mirrored previews) is kept when a later edit replaces it.
pub fn carry_over(toot: &mut Toot, stored: &Toot) {
    toot.pinned = stored.pinned;
    if let Some(old) = &stored.card {
        if toot.card.as_ref().is_none_or(|c| c.url == old.url) {
            toot.card = Some(old.clone());
        }
    }
    for media in &mut toot.media {
        if let Some(old) = stored.media.iter().find(|m| m.id == media.id) {
            media.preview_file = media.preview_file.take().or(old.preview_file.clone());
            if media.file.is_none() {
                media.file = old.file.clone();
                media.mime = old.mime.clone();
                media.size = old.size;
            }
        }
    }
}
