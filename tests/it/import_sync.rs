//! An import followed by a sync against the fake instance on 127.0.0.1:
//! nothing is stored twice, imported toots are not "added" again, and sync
//! carries on with what the export did not hold yet.

use tootbridge::import::{import, ImportOptions};
use tootbridge::model::compare_ids;

use crate::support::{create_note, ArchiveBuilder};
use crate::sync_support::{account, instance_with, only, run, site, storable_ids, stored_ids};

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

    let report = import(&ImportOptions {
        root: site.path().to_path_buf(),
        archive: zip,
        account: None,
        dry_run: false,
    })
    .unwrap();
    assert_eq!(report.imported, exported_storable);
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
