//! Opening an account's source for `sync`: the REST API (resolving the
//! account first unless its id and server are known, and once more when the
//! remembered id has gone stale) or the ActivityPub outbox, with `auto`
//! falling back from the one to the other; and the token a site may give.

use std::path::PathBuf;

use url::Url;

use super::remote::{apply_profile, falls_back, Known, Listing, Remote, Sink};
use super::Run;
use crate::config::{self, SourceKind};
use crate::error::{Error, Result};
use crate::model::AccountState;
use crate::source::api::{instance_base, origin, Api};
use crate::source::api_map::ApiAccount;
use crate::source::outbox::Outbox;

impl<'a> Run<'a> {
    /// Opens the configured source and reads its listing; `auto` falls back
    /// to the outbox when the REST API refuses anonymous use or is missing.
    pub(super) fn open_and_list(
        &self,
        known: &Known<'_>,
        state: &mut AccountState,
        reconcile_due: bool,
        sink: &mut Sink<'_>,
    ) -> Result<(Remote<'a>, Listing)> {
        // An account synced before whose REST id never became known was
        // read from its outbox: go there directly until the daily reconcile
        // tries the API again, instead of a refused request every time.
        let outbox_before = state.id.is_none() && state.newest_id.is_some() && !reconcile_due;
        match self.account.source {
            SourceKind::Api => self.open_api(known, state, reconcile_due, sink),
            SourceKind::Outbox => self.open_outbox(known, state, sink),
            SourceKind::Auto if outbox_before => self.open_outbox(known, state, sink),
            // Pages the API gave before refusing stay written; the outbox
            // lists them again and leaves them as they are.
            SourceKind::Auto => match self.open_api(known, state, reconcile_due, sink) {
                Err(e) if falls_back(&e) => {
                    tracing::warn!(
                        "{}: REST API unavailable ({e}); reading the outbox",
                        self.account.handle
                    );
                    self.open_outbox(known, state, sink)
                        .map_err(|e2| Error::Other(format!("REST API: {e}; outbox: {e2}")))
                }
                other => other,
            },
        }
    }

    fn open_outbox(
        &self,
        known: &Known<'_>,
        state: &mut AccountState,
        sink: &mut Sink<'_>,
    ) -> Result<(Remote<'a>, Listing)> {
        let handle = &self.account.handle;
        let mut outbox = Outbox::discover(self.http, handle, self.account.instance.as_ref())?;
        // Marks self-replies: the REST id when a sync or import learnt it,
        // else the one a numeric actor URI (`/ap/users/<id>`) carries.
        if state.id.is_some() {
            outbox.ctx.account_id = state.id.clone();
        }
        let remote = Remote::Outbox(Box::new(outbox));
        let listing = remote.list(known, state, sink)?;
        Ok((remote, listing))
    }

    fn open_api(
        &self,
        known: &Known<'_>,
        state: &mut AccountState,
        reconcile_due: bool,
        sink: &mut Sink<'_>,
    ) -> Result<(Remote<'a>, Listing)> {
        let handle = &self.account.handle;
        // Resolve the account, unless its id and server are known.
        let known_base = match &self.account.instance {
            Some(instance) => Some(instance.0.clone()),
            None => state
                .url
                .as_deref()
                .and_then(|u| Url::parse(u).ok())
                .map(|u| origin(&u)),
        };
        let (api, account_id, cached) = match (&state.id, known_base) {
            (Some(id), Some(base)) if !reconcile_due => {
                (Api::new(self.http, base), id.clone(), true)
            }
            _ => {
                let (api, found) = self.look_up()?;
                apply_profile(state, &found);
                let id = found.id.clone();
                (api, id, false)
            }
        };
        self.token(api.base())?;
        let listed = self.list_api(api, account_id.clone(), known, state, sink);
        let stale = cached
            && matches!(&listed, Err(Error::Http { status: Some(404), url, .. })
                if url.contains(&format!("/api/v1/accounts/{account_id}/statuses")));
        if !stale {
            return listed;
        }
        // The remembered id answers 404: the account was deleted and made
        // again, or the server's data was restored. Look it up once, on the
        // server the handle names (as a first sync does, never the cached
        // address), instead of failing until the next reconcile.
        tracing::info!("{handle}: account id {account_id} is unknown to the server; looking it up");
        let (api, found) = self.look_up()?;
        if found.id == account_id {
            return listed;
        }
        apply_profile(state, &found);
        self.list_api(api, found.id, known, state, sink)
    }

    /// Finds the account's server from its handle (or the configured
    /// instance) and looks the account up there by name.
    fn look_up(&self) -> Result<(Api<'a>, ApiAccount)> {
        let base = instance_base(
            self.http,
            &self.account.handle,
            self.account.instance.as_ref(),
        )?;
        self.token(&base)?;
        let api = Api::new(self.http, base);
        let found = api.lookup(&self.account.handle.user)?;
        Ok((api, found))
    }

    fn list_api(
        &self,
        api: Api<'a>,
        account_id: String,
        known: &Known<'_>,
        state: &mut AccountState,
        sink: &mut Sink<'_>,
    ) -> Result<(Remote<'a>, Listing)> {
        if !crate::model::is_safe_id(&account_id) {
            return Err(Error::Other(format!(
                "{}: account id {account_id:?} is not safe",
                self.account.handle
            )));
        }
        let remote = Remote::Api { api, account_id };
        let listing = remote.list(known, state, sink)?;
        Ok((remote, listing))
    }

    fn token(&self, base: &Url) -> Result<()> {
        let Some(name) = &self.account.token_env else {
            return Ok(());
        };
        let token = std::env::var(&name.0).ok().filter(|t| !t.trim().is_empty());
        let token = token.ok_or_else(|| Error::Config {
            path: PathBuf::from(config::FILE_NAME),
            line: None,
            message: format!(
                "account {}: token_env names {}, which is not set",
                self.account.handle, name.0
            ),
        })?;
        if let Some(host) = base.host_str() {
            self.http
                .set_token(token.trim().to_string(), host.to_string());
        }
        Ok(())
    }
}
