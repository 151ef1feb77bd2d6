//! The commands that chain two pipelines: `build --sync` and `serve --sync`.
//! Sync comes first; a failed account does not stop what follows, which
//! works with whatever the store holds, but still fails the command at the
//! end (`build`) or is reported before the preview starts (`serve`).

use serde::Serialize;

use crate::error::Result;
use crate::serve::ServeOptions;
use crate::sync::{SyncOptions, SyncReport};
use crate::{BuildOptions, BuildReport};

/// What `build` (with `--sync`: sync, then build) did. `--json` prints it as
/// one document, `{"sync": ..., "build": ...}`.
#[derive(Debug, Clone, Serialize)]
pub struct SyncedBuild {
    /// Present with `--sync`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync: Option<SyncReport>,
    pub build: BuildReport,
}

impl SyncedBuild {
    /// The command's result: an account that failed to sync fails it, even
    /// though the build ran.
    pub fn outcome(&self) -> Result<()> {
        match self.sync.as_ref().and_then(SyncReport::failure) {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }
}

/// `tootbridge build [--sync]`: with `sync` options, sync every account
/// first.
pub fn build(options: &BuildOptions, sync: Option<&SyncOptions>) -> Result<SyncedBuild> {
    let sync = sync.map(crate::sync::sync).transpose()?;
    crate::interrupt::check()?;
    let build = crate::build(options)?;
    Ok(SyncedBuild { sync, build })
}

/// `tootbridge serve [--sync]`: with `sync` options, sync once and hand the
/// report to `synced` (the binary prints it) before the preview starts; a
/// failed account is in that report, and the preview shows the store.
pub fn serve(
    options: &ServeOptions,
    sync: Option<&SyncOptions>,
    synced: impl FnOnce(&SyncReport),
) -> Result<()> {
    if let Some(sync) = sync {
        synced(&crate::sync::sync(sync)?);
        crate::interrupt::check()?;
    }
    // The preview writes nothing: Ctrl-C ends it at once.
    crate::interrupt::exit_at_once();
    crate::serve::serve(options)
}
