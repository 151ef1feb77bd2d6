//! What a live mirror needs around the mapping: the loose `href` reading of
//! links (outbox pages, actor fields), the status id an outbox item stands
//! for without mapping it, and the pinned ids of a `featured` collection.

use std::collections::HashSet;

use serde_json::Value;

use super::{status_id, str_of, uri_of, Context};

/// A link in any of the shapes ActivityPub allows: a string, or the
/// `href`/`url`/`id` of an object, or the first usable one of an array.
/// Returned as written (not resolved); callers join it to the page's URL.
pub fn href(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => items.iter().find_map(|i| href(Some(i))),
        Value::Object(o) => ["href", "url", "id"].iter().find_map(|k| href(o.get(*k))),
        _ => None,
    }
}

/// The status id an outbox item stands for, without mapping it: the
/// embedded post's for a `Create` of a post-like object ([`super::Kind`]), the
/// activity's own (`…/statuses/<id>/activity`) for an `Announce` of
/// something. `None` for the items a mirror skips: other types, a `Create`
/// whose object is not embedded, an `Announce` without an object.
pub fn item_id(item: &Value, ctx: &Context) -> Option<String> {
    let uri = match str_of(item, "type")? {
        "Create" => {
            let object = item.get("object").filter(|o| o.is_object())?;
            super::Kind::of(object)?;
            uri_of(object, ctx)?
        }
        "Announce" if href(item.get("object")).is_some() => uri_of(item, ctx)?,
        _ => return None,
    };
    status_id(&uri)
}

/// The status ids in an actor's `featured` collection (pinned posts).
/// Items may be URIs or embedded objects (Mastodon embeds the `Note`s);
/// an item that is an activity counts for its status. Ids that are not
/// safe as file names are left out.
pub fn featured_ids(collection: &Value, ctx: &Context) -> HashSet<String> {
    let items = collection
        .get("orderedItems")
        .or_else(|| collection.get("items"))
        .and_then(Value::as_array);
    items
        .into_iter()
        .flatten()
        .filter_map(|item| match item {
            Value::String(uri) => ctx.resolve(uri),
            other => href(other.get("id")).and_then(|id| ctx.resolve(&id)),
        })
        .filter_map(|uri| status_id(&uri))
        .collect()
}

#[cfg(test)]
mod tests;
