//! An import followed by a sync against the fake instance on 127.0.0.1:
//! nothing is stored twice, imported toots are not "added" again, and sync
//! carries on with what the export did not hold yet; `--online` boosts.

use tootbridge::model::compare_ids;
use tootbridge::{import, ImportOptions, Progress, ProgressEvent};

use serde_json::json;

use crate::fake_instance::FakeInstance;
use crate::support::{create_note, ArchiveBuilder, ACTOR, AS_PUBLIC};
use crate::sync_support::{
    account, instance_with, only, run, site, storable_ids, stored_ids, TINY_PNG,
};

#[test]
fn sync_after_import_adds_only_what_the_export_lacked() {
    let fake = instance_with(30);
    let site = site(&account("@news@social.example", &fake), "");
    // The export was taken when the first 20 of the 30 toots existed.
    let statuses = fake.world().statuses.clone();
    let cut = statuses
        .iter()
        .find(|s| s["content"] == "<p>Meldung Nummer 20</p>")
        .map(|s| s["id"].as_str().unwrap().to_string())
        .unwrap();
    let mut archive = ArchiveBuilder::new();
    let mut exported_storable = 0;
    for status in statuses.iter().rev() {
        let id = status["id"].as_str().unwrap();
        if compare_ids(id, &cut).is_gt() {
            continue;
        }
        let visibility = status["visibility"].as_str().unwrap();
        if matches!(visibility, "public" | "unlisted") {
            exported_storable += 1;
        }
        let text = status["content"].as_str().unwrap();
        let text = text.trim_start_matches("<p>").trim_end_matches("</p>");
        archive = archive.item(create_note(id, visibility, text));
    }
    let zip = site.path().join("export.zip");
    archive.zip(&zip);

    // Progress arrives as sync's events: the account, then items read.
    let events = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = events.clone();
    let report = import(&ImportOptions {
        root: site.path().to_path_buf(),
        archive: zip,
        account: None,
        dry_run: false,
        online: false,
        progress: Progress::new(move |e| sink.lock().unwrap().push(e.clone())),
    })
    .unwrap();
    assert_eq!(report.account.added, exported_storable);
    let events = events.lock().unwrap().clone();
    assert_eq!(
        events.first(),
        Some(&ProgressEvent::Account {
            handle: "@news@social.example".into(),
            index: 1,
            total: 1
        })
    );
    assert_eq!(
        events.last(),
        Some(&ProgressEvent::Listed {
            toots: report.items as usize
        })
    );
    let after_import = stored_ids(site.path()).len();

    let sync = run(site.path());
    let account = only(&sync);
    assert!(account.ok, "{:?}", account.errors);
    let all = storable_ids(&fake);
    assert_eq!(
        account.added,
        all.len() - after_import,
        "only newer toots are added"
    );
    assert_eq!(account.edited, 0);
    assert_eq!(stored_ids(site.path()), all, "every storable toot once");

    let again = run(site.path());
    assert_eq!(only(&again).added, 0);
    assert_eq!(stored_ids(site.path()), all);
}

fn announce(id: &str, object: &str) -> serde_json::Value {
    json!({
        "id": format!("{ACTOR}/statuses/{id}/activity"),
        "type": "Announce",
        "actor": ACTOR,
        "published": "2026-03-12T09:00:00Z",
        "to": [AS_PUBLIC],
        "cc": [format!("{ACTOR}/followers")],
        "object": object,
    })
}

#[test]
fn online_resolves_boosts_of_other_accounts_and_offline_never_connects() {
    let fake = FakeInstance::start("news");
    let base = fake.url.clone();
    let note = |n: u32, to: &str| {
        json!({
            "id": format!("{base}/users/anna/statuses/{n}"), "type": "Note",
            "attributedTo": format!("{base}/users/anna"),
            "published": "2026-03-01T10:00:00Z", "to": [to], "cc": [],
            "content": format!("<p>Beitrag von Anna {n}</p>"),
            "url": format!("{base}/@anna/{n}"),
            "attachment": [{"type": "Document", "mediaType": "image/png",
                "url": format!("{base}/media/pic.png"), "name": "Bild"}]
        })
    };
    {
        let mut w = fake.world();
        w.objects
            .insert("/users/anna/statuses/9".into(), note(9, AS_PUBLIC));
        let followers = format!("{base}/users/anna/followers");
        w.objects
            .insert("/users/anna/statuses/10".into(), note(10, &followers));
        w.objects.insert(
            "/users/anna".into(),
            json!({"id": format!("{base}/users/anna"), "type": "Person",
                "preferredUsername": "anna", "name": "Anna Beispiel",
                "url": format!("{base}/@anna"),
                "icon": {"type": "Image", "url": format!("{base}/media/anna.png")}}),
        );
        for name in ["/media/pic.png", "/media/anna.png"] {
            w.files
                .insert(name.into(), ("image/png".into(), TINY_PNG.to_vec()));
        }
    }
    let site = site(
        &account("@news@social.example", &fake),
        "[select]\nboosts = true\n",
    );
    let zip = site.path().join("export.zip");
    ArchiveBuilder::new()
        .item(announce("601", &format!("{base}/users/anna/statuses/9")))
        .item(announce("602", &format!("{base}/users/anna/statuses/404")))
        .item(announce("603", &format!("{base}/users/anna/statuses/10")))
        .zip(&zip);
    let run_import = |online: bool| {
        import(&ImportOptions {
            root: site.path().to_path_buf(),
            archive: zip.clone(),
            account: None,
            dry_run: false,
            online,
            progress: Default::default(),
        })
        .unwrap()
    };

    let offline = run_import(false);
    assert_eq!(offline.skipped_boosts, 3);
    assert_eq!(offline.account.requests, 0);
    assert!(
        fake.take_log().is_empty(),
        "an offline import never connects"
    );

    let online = run_import(true);
    assert_eq!(online.account.added, 1, "{online:?}");
    assert_eq!(online.skipped_boosts, 1, "the gone post");
    assert_eq!(online.account.dropped, 1, "the followers-only post");
    assert_eq!(
        online.account.requests,
        fake.take_log().len(),
        "every request to the server is counted"
    );
    assert_eq!(stored_ids(site.path()), ["601"]);
    let path = site
        .path()
        .join("content/toots/social.example/news/601.json");
    let boost = tootbridge::store::load_toot(&path).unwrap();
    let shared = boost.reblog.unwrap();
    assert_eq!(shared.author.acct, "anna@127.0.0.1");
    assert_eq!(shared.author.display_name, "Anna Beispiel");
    let media = site.path().join("content/media");
    assert!(media.join(shared.author.avatar.unwrap()).is_file());
    assert!(media
        .join(shared.toot.media[0].file.as_ref().unwrap())
        .is_file());
    assert_eq!(shared.toot.content, "<p>Beitrag von Anna 9</p>");
    let text = std::fs::read_to_string(
        site.path()
            .join("content/toots/social.example/news/601.json"),
    )
    .unwrap();
    assert!(
        !text.contains("Anna 10"),
        "nothing of the followers-only post"
    );
}
