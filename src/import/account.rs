//! Which account an export belongs to, and what its `actor.json` adds to the
//! stored profile (name, bio, avatar, header) where the store has nothing yet:
//! a profile that sync fetched live is newer than any archive.

use std::path::Path;

use serde_json::Value;

use super::ImportReport;
use crate::config::{Handle, SiteConfig};
use crate::error::{Error, Result};
use crate::model::{AccountState, Author};
use crate::source::activitypub::Context;
use crate::source::archive::{Archive, MediaDir};

/// The account to import into: `--account`, else the one `actor.json` names
/// (`preferredUsername` at the host of its `id`). It must be configured.
pub(super) fn resolve(
    config: &SiteConfig,
    given: Option<&Handle>,
    actor: &Value,
    site_toml: &Path,
    archive: &Path,
) -> Result<Handle> {
    let from_actor = actor_handle(actor);
    let handle = match (given, &from_actor) {
        (Some(given), Some(named)) if given != named => {
            tracing::warn!(
                "{}: actor.json names {named}; importing into {given} as asked",
                archive.display()
            );
            given.clone()
        }
        (Some(given), _) => given.clone(),
        (None, Some(named)) => named.clone(),
        (None, None) => {
            return Err(Error::Other(format!(
            "{}: actor.json is missing or names no account; say which with --account @user@host",
            archive.display()
        )))
        }
    };
    if config.accounts.iter().any(|a| a.handle == handle) {
        return Ok(handle);
    }
    let source = if given.is_some() {
        "--account"
    } else {
        "the archive's actor.json"
    };
    Err(Error::Config {
        path: site_toml.to_path_buf(),
        line: None,
        message: format!(
            "{handle} (from {source}) is not an account of this site; add it with\n\n\
             [[accounts]]\nhandle = \"{handle}\"\n\nor name a configured account with --account"
        ),
    })
}

fn actor_handle(actor: &Value) -> Option<Handle> {
    let user = actor.get("preferredUsername")?.as_str()?;
    let id = actor.get("id")?.as_str()?;
    let host = url::Url::parse(id).ok()?.host_str()?.to_string();
    Handle::try_from(format!("@{user}@{host}")).ok()
}

/// The mapping context: actor URI, followers collection, instance origin.
pub(super) fn context(actor: &Value, handle: &Handle) -> Context {
    let default = format!("https://{}/users/{}", handle.host, handle.user);
    let id = actor.get("id").and_then(Value::as_str).unwrap_or(&default);
    let mut ctx = Context::new(id, &handle.host);
    ctx.followers = actor
        .get("followers")
        .and_then(Value::as_str)
        .and_then(|f| ctx.resolve(f));
    ctx
}

/// Fills the empty parts of the stored profile from `actor.json`.
pub(super) fn profile(
    archive: &mut Archive,
    actor: &Value,
    state: &mut AccountState,
    dest: &MediaDir,
    report: &mut ImportReport,
) -> Result<()> {
    let text = |key| actor.get(key).and_then(Value::as_str).map(str::to_string);
    if state.display_name.is_empty() {
        state.display_name = text("name").unwrap_or_default();
    }
    if state.note.is_empty() {
        state.note = text("summary").unwrap_or_default();
    }
    if state.url.is_none() {
        let ctx = context(
            actor,
            &Handle::try_from(state.handle.clone()).map_err(Error::Other)?,
        );
        state.url = text("url").and_then(|u| ctx.resolve(&u));
    }
    for (key, is_avatar) in [("icon", true), ("image", false)] {
        let slot = if is_avatar {
            &mut state.avatar
        } else {
            &mut state.header
        };
        if slot.is_some() {
            continue;
        }
        let image = actor.get(key).unwrap_or(&Value::Null);
        let Some(url) = image.get("url").and_then(Value::as_str) else {
            continue;
        };
        let Some(entry) = archive.relative_entry(url) else {
            report.warn(format!("actor.json: {key} {url} is not in the archive"));
            continue;
        };
        let found = if report.dry_run {
            true
        } else {
            let mime = image.get("mediaType").and_then(Value::as_str);
            match archive.copy(&entry, mime, dest) {
                Ok(copied) => {
                    *slot = Some(copied.file);
                    true
                }
                Err(e) => {
                    report.warn(format!("actor.json: {key}: {e}"));
                    false
                }
            }
        };
        if is_avatar {
            report.avatar = found;
        } else {
            report.header = found;
        }
    }
    Ok(())
}

/// The account as the author of a post it boosted from its own archive.
pub(super) fn author(actor: &Value, handle: &Handle, state: &AccountState) -> Author {
    let name = actor.get("name").and_then(Value::as_str).unwrap_or("");
    Author {
        acct: format!("{}@{}", handle.user, handle.host),
        display_name: if state.display_name.is_empty() {
            name.to_string()
        } else {
            state.display_name.clone()
        },
        url: state
            .url
            .clone()
            .unwrap_or_else(|| format!("https://{}/@{}", handle.host, handle.user)),
        avatar: state.avatar.clone(),
        emojis: Vec::new(),
    }
}
