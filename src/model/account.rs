//! One mirrored account: its profile and sync bookkeeping as stored in
//! `content/state/<host>/<user>.json` ([`AccountState`], with the
//! [`Tombstone`]s of deleted toots), and everything the store holds for it
//! ([`AccountData`]), the unit that every build step reads.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{normalize, Emoji, Handle, Toot, SCHEMA_VERSION};

/// Everything stored for one account.
#[derive(Debug, Clone)]
pub struct AccountData {
    pub handle: Handle,
    pub state: AccountState,
    /// Newest first.
    pub toots: Vec<Toot>,
}

/// The mirrored account's profile and sync bookkeeping, stored in
/// `content/state/<host>/<user>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountState {
    pub schema: u32,
    /// `@user@host`, as configured.
    pub handle: String,
    /// The account id on its server, once resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default)]
    pub display_name: String,
    /// Profile text, remote HTML (untrusted).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// Where the mirrored avatar came from, so a new one is noticed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_remote_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emojis: Vec<Emoji>,
    /// Newest toot id seen by sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reconcile: Option<DateTime<Utc>>,
    /// Toots that were deleted on the instance: no content, only the fact.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tombstones: Vec<Tombstone>,
}

impl AccountState {
    pub fn new(handle: &str) -> Self {
        AccountState {
            schema: SCHEMA_VERSION,
            handle: handle.to_string(),
            id: None,
            display_name: String::new(),
            note: String::new(),
            url: None,
            avatar: None,
            avatar_remote_url: None,
            header: None,
            emojis: Vec::new(),
            newest_id: None,
            last_reconcile: None,
            tombstones: Vec::new(),
        }
    }
}

impl AccountState {
    /// Drops the code points no output format may carry from the profile.
    pub fn normalize(&mut self) {
        normalize::account(self);
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tombstone {
    pub id: String,
    pub deleted_at: DateTime<Utc>,
}
