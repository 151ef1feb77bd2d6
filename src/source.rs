//! Where toots come from. Every source maps its own format onto our `Toot`
//! model and has the same three capabilities ([`kind::Source`]: pages of
//! toots, existence checks, media readers), which sync and import drive;
//! everything network-facing goes through the one client in `http`.

pub(crate) mod activitypub;
pub(crate) mod api;
pub(crate) mod api_map;
pub(crate) mod archive;
mod body;
pub(crate) mod guard;
pub(crate) mod http;
pub(crate) mod kind;
pub(crate) mod limits;
pub(crate) mod neterror;
pub(crate) mod network;
pub(crate) mod outbox;
pub(crate) mod proxy;
mod redirect;
pub(crate) mod resolve;
