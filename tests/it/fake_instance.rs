//! A small Mastodon stand-in on 127.0.0.1 for the sync tests: the REST
//! endpoints sync uses, served from an in-memory world the test changes
//! between syncs, with a request log and scripted failures. Fixtures are
//! built in code, shaped like Mastodon 4.x responses.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use tiny_http::{Header, Response, Server};

pub(crate) const ACCOUNT_ID: &str = "109000000000000001";

pub(crate) type Headers = Vec<(String, String)>;

/// Called with every request's path and query before it is answered; an
/// answer it gives replaces the usual one.
pub(crate) type Hook = Box<dyn FnMut(&str) -> Option<(u16, Headers, Vec<u8>)> + Send>;

#[derive(Default)]
pub(crate) struct World {
    pub username: String,
    /// Newest first.
    pub statuses: Vec<Value>,
    pub pinned: Vec<String>,
    /// Path → (content type, bytes).
    pub files: HashMap<String, (String, Vec<u8>)>,
    /// Scripted answers, used once each, for the first request whose path
    /// starts with the key: (status, headers, body).
    pub script: Vec<(String, u16, Headers, Vec<u8>)>,
    /// Whether `GET /api/v1/statuses?id[]=` exists (Mastodon 4.3+).
    pub batch: bool,
    /// Announce activities put before the newest outbox items.
    pub announces: Vec<Value>,
    /// Extra ActivityPub objects by path (boosted posts of other accounts).
    pub objects: HashMap<String, Value>,
    /// The REST API answers 401 (`DISALLOW_UNAUTHENTICATED_API_ACCESS`).
    pub api_locked: bool,
    /// Every request: path and query.
    pub log: Vec<String>,
    /// Authorization headers seen.
    pub auth: Vec<String>,
    /// User-Agent headers seen.
    pub agents: Vec<String>,
    pub hook: Option<Hook>,
}

pub(crate) struct FakeInstance {
    pub url: String,
    /// Where it listens (plain HTTP on 127.0.0.1).
    pub addr: std::net::SocketAddr,
    pub world: Arc<Mutex<World>>,
    server: Arc<Server>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for FakeInstance {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl FakeInstance {
    pub(crate) fn start(username: &str) -> Self {
        Self::start_as(username, None)
    }

    /// Like [`FakeInstance::start`], but every URL it answers with starts
    /// with `public` (e.g. `https://social.proxyonly.test`, for a server
    /// behind a TLS front and a proxy); `url` stays the plain address.
    pub(crate) fn start_as(username: &str, public: Option<&str>) -> Self {
        let server = Arc::new(Server::http("127.0.0.1:0").expect("bind 127.0.0.1"));
        let addr = server.server_addr().to_ip().unwrap();
        let plain = format!("http://{addr}");
        let url = public.map_or(plain, str::to_string);
        let world = Arc::new(Mutex::new(World {
            username: username.to_string(),
            batch: true,
            ..Default::default()
        }));
        let (s, w, u) = (server.clone(), world.clone(), url.clone());
        let thread = std::thread::spawn(move || {
            for request in s.incoming_requests() {
                let (status, headers, body) = answer(&w, &u, &request);
                let mut response = Response::from_data(body).with_status_code(status);
                for (k, v) in headers {
                    response.add_header(Header::from_bytes(k.as_bytes(), v.as_bytes()).unwrap());
                }
                let _ = request.respond(response);
            }
        });
        FakeInstance {
            url,
            addr,
            world,
            server,
            thread: Some(thread),
        }
    }

    pub(crate) fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.world.lock().unwrap()
    }

    /// Forgets the request log (before the sync whose requests are counted).
    pub(crate) fn take_log(&self) -> Vec<String> {
        std::mem::take(&mut self.world().log)
    }
}

type Answer = (u16, Headers, Vec<u8>);

fn json_answer(status: u16, value: &Value) -> Answer {
    (
        status,
        vec![(
            "Content-Type".into(),
            "application/json; charset=utf-8".into(),
        )],
        serde_json::to_vec(value).unwrap(),
    )
}

fn not_found() -> Answer {
    json_answer(404, &json!({"error": "Record not found"}))
}

fn shorter(a: &str, b: &str) -> bool {
    (a.len(), a) < (b.len(), b)
}

fn answer(world: &Mutex<World>, base: &str, request: &tiny_http::Request) -> Answer {
    let mut w = world.lock().unwrap();
    let full = request.url().to_string();
    w.log.push(full.clone());
    for h in request.headers() {
        if h.field.equiv("Authorization") {
            w.auth.push(h.value.to_string());
        }
        if h.field.equiv("User-Agent") {
            w.agents.push(h.value.to_string());
        }
    }
    if let Some(answer) = w.hook.as_mut().and_then(|hook| hook(&full)) {
        return answer;
    }
    let (path, query) = full.split_once('?').unwrap_or((&full, ""));
    if let Some(i) = w
        .script
        .iter()
        .position(|(p, ..)| path.starts_with(p.as_str()))
    {
        let (_, status, headers, body) = w.script.remove(i);
        return (status, headers, body);
    }
    let params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let account = account_json(base, &w.username);
    if w.api_locked && path.starts_with("/api/") {
        return json_answer(
            401,
            &json!({"error": "This method requires an authenticated user"}),
        );
    }
    if let Some(answer) = activitypub(&w, base, path, &param) {
        return answer;
    }
    if path == "/.well-known/webfinger" {
        // Any domain: with an `instance` override the handle names another.
        let expected = param("resource").unwrap_or_default();
        if !expected.starts_with(&format!("acct:{}@", w.username)) {
            return not_found();
        }
        let jrd = json!({"subject": expected, "links": [
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html",
             "href": format!("{base}/@{}", w.username)},
            {"rel": "self", "type": "application/activity+json",
             "href": format!("{base}/users/{}", w.username)}]});
        return json_answer(200, &jrd);
    }
    if path == "/api/v1/accounts/lookup" {
        return if param("acct").as_deref() == Some(w.username.as_str()) {
            json_answer(200, &account)
        } else {
            not_found()
        };
    }
    if path == format!("/api/v1/accounts/{ACCOUNT_ID}/statuses") {
        if param("pinned").is_some() {
            let pinned: Vec<Value> = w
                .statuses
                .iter()
                .filter(|s| w.pinned.iter().any(|p| s["id"] == *p.as_str()))
                .cloned()
                .collect();
            return json_answer(200, &json!(pinned));
        }
        let limit: usize = param("limit")
            .and_then(|l| l.parse().ok())
            .unwrap_or(20)
            .min(40);
        let max_id = param("max_id");
        let page: Vec<Value> = w
            .statuses
            .iter()
            .filter(|s| {
                max_id
                    .as_deref()
                    .is_none_or(|m| shorter(s["id"].as_str().unwrap(), m))
            })
            .take(limit)
            .cloned()
            .collect();
        let mut answer = json_answer(200, &json!(page));
        if page.len() == limit {
            let last = page.last().unwrap()["id"].as_str().unwrap();
            answer.1.push((
                "Link".into(),
                format!("<{base}{path}?limit={limit}&max_id={last}>; rel=\"next\""),
            ));
        }
        return answer;
    }
    if path == "/api/v1/statuses" {
        if !w.batch {
            return not_found();
        }
        let ids: Vec<String> = params
            .iter()
            .filter(|(k, _)| k == "id[]")
            .map(|(_, v)| v.clone())
            .collect();
        if ids.len() > 20 {
            return json_answer(422, &json!({"error": "too many ids"}));
        }
        let found: Vec<Value> = w
            .statuses
            .iter()
            .filter(|s| ids.iter().any(|id| s["id"] == *id.as_str()))
            .cloned()
            .collect();
        return json_answer(200, &json!(found));
    }
    if let Some(id) = path.strip_prefix("/api/v1/statuses/") {
        return match w.statuses.iter().find(|s| s["id"] == id) {
            Some(s) => json_answer(200, s),
            None => not_found(),
        };
    }
    if let Some((ctype, bytes)) = w.files.get(path) {
        return (
            200,
            vec![("Content-Type".into(), ctype.clone())],
            bytes.clone(),
        );
    }
    not_found()
}

pub(crate) fn account_json(base: &str, username: &str) -> Value {
    json!({
        "id": ACCOUNT_ID, "username": username, "acct": username,
        "display_name": "Beispielamt", "locked": false, "bot": false,
        "created_at": "2024-01-01T00:00:00.000Z", "note": "<p>Neuigkeiten</p>",
        "url": format!("{base}/@{username}"), "uri": format!("{base}/users/{username}"),
        "avatar": format!("{base}/media/avatar.png"),
        "avatar_static": format!("{base}/media/avatar.png"),
        "header": format!("{base}/headers/original/missing.png"),
        "followers_count": 10, "following_count": 1, "statuses_count": 300,
        "emojis": [], "fields": []
    })
}

/// A status of the mirrored account; `n` orders ids (bigger is newer).
pub(crate) fn status(base: &str, username: &str, n: u64, visibility: &str) -> Value {
    let id = format!("{}", 113_000_000_000_000_000u64 + n * 1000);
    // Six hours apart from 2026-01-01, so ids and dates agree as on a server.
    let created = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap()
        + chrono::Duration::hours(6 * n as i64);
    json!({
        "id": id,
        "created_at": created.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        "in_reply_to_id": null, "in_reply_to_account_id": null,
        "sensitive": false, "spoiler_text": "", "visibility": visibility, "language": "de",
        "uri": format!("{base}/users/{username}/statuses/{id}"),
        "url": format!("{base}/@{username}/{id}"),
        "replies_count": 0, "reblogs_count": 0, "favourites_count": n % 7, "quotes_count": 0,
        "edited_at": null,
        "content": format!("<p>Meldung Nummer {n}</p>"),
        "reblog": null,
        "application": {"name": "Web", "website": null},
        "account": account_json(base, username),
        "media_attachments": [], "mentions": [],
        "tags": [{"name": "Verwaltung", "url": format!("{base}/tags/verwaltung")}],
        "emojis": [], "quote": null, "card": null, "poll": null
    })
}

/// An image attachment served from `/media/<name>`.
pub(crate) fn image(base: &str, id: &str, name: &str) -> Value {
    json!({
        "id": id, "type": "image",
        "url": format!("{base}/media/{name}"), "preview_url": null,
        "remote_url": null, "preview_remote_url": null, "text_url": null,
        "meta": {"original": {"width": 2, "height": 2, "size": "2x2", "aspect": 1.0}},
        "description": "Ein Testbild", "blurhash": null
    })
}

const AS_PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// Actor, outbox (pages of 20) and object endpoints, from the same world.
fn activitypub(
    w: &World,
    base: &str,
    path: &str,
    param: &dyn Fn(&str) -> Option<String>,
) -> Option<Answer> {
    let actor = format!("{base}/users/{}", w.username);
    let actor_path = format!("/users/{}", w.username);
    let ap = |value: &Value| {
        let mut a = json_answer(200, value);
        a.1[0].1 = "application/activity+json; charset=utf-8".into();
        a
    };
    if let Some(object) = w.objects.get(path) {
        return Some(ap(object));
    }
    if path == actor_path {
        return Some(ap(&json!({
            "@context": ["https://www.w3.org/ns/activitystreams"],
            "id": actor, "type": "Person", "preferredUsername": w.username,
            "name": "Beispielamt", "summary": "<p>Neuigkeiten</p>",
            "url": format!("{base}/@{}", w.username),
            "outbox": format!("{actor}/outbox"),
            "featured": format!("{actor}/collections/featured"),
            "icon": {"type": "Image", "mediaType": "image/png", "url": format!("{base}/media/avatar.png")}
        })));
    }
    if path == format!("{actor_path}/collections/featured") {
        let items: Vec<Value> = w
            .statuses
            .iter()
            .filter(|s| w.pinned.iter().any(|p| s["id"] == *p.as_str()))
            .map(|s| create_of(&actor, s)["object"].clone())
            .collect();
        return Some(ap(&json!({"id": format!("{actor}/collections/featured"),
            "type": "OrderedCollection", "totalItems": items.len(), "orderedItems": items})));
    }
    if path == format!("{actor_path}/outbox") {
        if param("page").is_none() {
            return Some(ap(&json!({
                "id": format!("{actor}/outbox"), "type": "OrderedCollection",
                "totalItems": w.statuses.len(),
                "first": format!("{actor}/outbox?page=true"),
                "last": format!("{actor}/outbox?min_id=0&page=true")
            })));
        }
        let max_id = param("max_id");
        let mut items: Vec<Value> = w
            .statuses
            .iter()
            .filter(|s| {
                max_id
                    .as_deref()
                    .is_none_or(|m| shorter(s["id"].as_str().unwrap(), m))
            })
            .take(20)
            .map(|s| create_of(&actor, s))
            .collect();
        if max_id.is_none() {
            items.splice(0..0, w.announces.iter().cloned());
            items.truncate(20);
        }
        let mut page = json!({"id": format!("{actor}/outbox?page=true"),
            "type": "OrderedCollectionPage", "partOf": format!("{actor}/outbox"),
            "orderedItems": items});
        if items.len() == 20 {
            let last = items[19]["object"]["id"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap();
            page["next"] = json!(format!("{actor}/outbox?max_id={last}&page=true"));
        }
        return Some(ap(&page));
    }
    if let Some(id) = path.strip_prefix(&format!("{actor_path}/statuses/")) {
        return Some(match w.statuses.iter().find(|s| s["id"] == id) {
            Some(s) => ap(&create_of(&actor, s)["object"]),
            None => not_found(),
        });
    }
    None
}

/// The outbox `Create` of a REST status, addressed as Mastodon does.
fn create_of(actor: &str, s: &Value) -> Value {
    let followers = format!("{actor}/followers");
    let (to, cc) = match s["visibility"].as_str().unwrap() {
        "public" => (json!([AS_PUBLIC]), json!([followers])),
        "unlisted" => (json!([followers]), json!([AS_PUBLIC])),
        "private" => (json!([followers]), json!([])),
        _ => (json!(["https://other.example/users/someone"]), json!([])),
    };
    let attachment: Vec<Value> = s["media_attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            json!({"type": "Document", "mediaType": "image/png", "url": m["url"],
                         "name": m["description"], "blurhash": null})
        })
        .collect();
    let mut note = json!({
        "id": s["uri"], "type": "Note", "summary": null, "inReplyTo": null,
        "published": s["created_at"], "url": s["url"], "attributedTo": actor,
        "to": to, "cc": cc, "sensitive": false, "content": s["content"],
        "contentMap": {"de": s["content"]}, "attachment": attachment,
        "tag": [{"type": "Hashtag", "href": "https://x/tags/verwaltung", "name": "#Verwaltung"}]
    });
    if !s["edited_at"].is_null() {
        note["updated"] = s["edited_at"].clone();
    }
    json!({"id": format!("{}/activity", s["uri"].as_str().unwrap()), "type": "Create",
           "actor": actor, "published": s["created_at"], "to": to, "cc": cc, "object": note})
}
