//! Where toots come from. Every source maps its own format onto our `Toot`
//! model; everything network-facing goes through the one client in `http`.

pub mod activitypub;
pub mod api;
pub mod api_map;
pub mod archive;
mod body;
pub mod guard;
pub mod http;
pub mod limits;
pub mod neterror;
pub mod network;
pub mod outbox;
pub mod proxy;
mod redirect;
pub mod resolve;
