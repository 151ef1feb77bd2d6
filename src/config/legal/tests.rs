//! `[links]` and `[accessibility_statement]`: which values parse, which are
//! refused with their key, and where relative links point.

use std::path::Path;

use super::*;
use crate::config::{parse, SiteConfig};

const HEAD: &str = "title = \"T\"\nbase_url = \"https://www.amt.example/news/\"\n";

fn site(extra: &str) -> crate::error::Result<SiteConfig> {
    parse(&format!("{HEAD}{extra}"), Path::new("site.toml"))
}

fn link(value: &str) -> Result<LinkUrl, String> {
    LinkUrl::try_from(value.to_string())
}

#[test]
fn named_links_and_extra_list_parse() {
    let c = site(
        "[links]\nimprint = \"/impressum/\"\nprivacy = \"https://www.amt.example/datenschutz\"\n\
         accessibility = \"barrierefreiheit.html\"\ncontact = \"mailto:presse@amt.example\"\n\
         easy_language = \"https://other.example/ls\"\nsign_language = \"http://other.example/dgs\"\n\
         extra = [{ title = \"Über uns\", url = \"/ueber-uns/\" }, { title = \"Presse\", url = \"https://p.example/\" }]\n",
    )
    .unwrap();
    let l = &c.links;
    assert_eq!(l.imprint.as_ref().unwrap().as_str(), "/impressum/");
    assert_eq!(l.extra.len(), 2);
    assert_eq!(l.extra[0].title.0, "Über uns");
    assert!(site("").unwrap().links.imprint.is_none());
    assert!(site("").unwrap().accessibility_statement.is_none());
}

#[test]
fn unknown_keys_are_errors_with_their_name() {
    for (toml, key) in [
        ("[links]\nimpressum = \"/i/\"\n", "impressum"),
        (
            "[links]\nextra = [{ title = \"a\", url = \"/a/\", rel = \"x\" }]\n",
            "rel",
        ),
        (
            "[accessibility_statement]\nstatus = \"fully\"\nprepared = 2026-01-01\nemail = \"a@b.example\"\nstand = 1\n",
            "stand",
        ),
    ] {
        let msg = site(toml).unwrap_err().to_string();
        assert!(msg.contains(key), "{msg}");
    }
}

#[test]
fn link_classes() {
    // Relative paths of every shape, absolute links on any host, mailto.
    for ok in [
        "/impressum/",
        "impressum/",
        "../impressum",
        "kontakt.html#form",
        "?a=1",
        "#footer",
        "https://www.amt.example/x",
        "HTTPS://other.example/x?y=1#z",
        "http://other.example/",
        "mailto:presse@amt.example",
        "mailto:presse@amt.example?subject=Barriere",
    ] {
        assert!(link(ok).is_ok(), "{ok} should be accepted");
    }
    // Schemes that run code, load data, or are not web links.
    for bad in [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "vbscript:x",
        "data:text/html,<p>x",
        "file:///etc/passwd",
        "ftp://files.example/",
        "tel:+4930123",
        "blob:https://x.example/1",
    ] {
        let msg = link(bad).unwrap_err();
        assert!(msg.contains("only https:"), "{bad}: {msg}");
    }
    // Missing parts, other hosts in disguise, characters that are typos.
    for bad in [
        "",
        "https://",
        "mailto:",
        "mailto:nobody",
        "//other.example/x",
        "/\\other.example/x",
        "/impressum /",
        "/a\tb",
        "/a\nb",
        "/a\u{0}b",
    ] {
        assert!(link(bad).is_err(), "{bad:?} should be refused");
    }
    let long = format!("/{}", "ä".repeat(1500));
    assert!(link(&long).unwrap_err().contains("longer"));
}

#[test]
fn a_bad_link_names_key_and_line() {
    let msg = site("[links]\nimprint = \"/i/\"\nprivacy = \"javascript:x\"\n")
        .unwrap_err()
        .to_string();
    assert!(msg.contains("site.toml:5"), "{msg}");
    assert!(msg.contains("javascript:x"), "{msg}");
}

#[test]
fn relative_links_resolve_against_the_base_url() {
    let base = "https://www.amt.example/news";
    assert_eq!(
        link("/impressum/").unwrap().resolve(base),
        "https://www.amt.example/impressum/"
    );
    assert_eq!(
        link("impressum/").unwrap().resolve(base),
        "https://www.amt.example/news/impressum/"
    );
    assert_eq!(
        link("../kontakt").unwrap().resolve(base),
        "https://www.amt.example/kontakt"
    );
    assert_eq!(
        link("https://other.example/a").unwrap().resolve(base),
        "https://other.example/a"
    );
    assert_eq!(
        link("mailto:a@b.example").unwrap().resolve(base),
        "mailto:a@b.example"
    );
    // A preview on another base points there.
    assert_eq!(
        link("/impressum/")
            .unwrap()
            .resolve("http://127.0.0.1:1111"),
        "http://127.0.0.1:1111/impressum/"
    );
}

#[test]
fn emails() {
    for ok in ["a@b.example", "barriere-frei+web@amt.bund.example"] {
        assert!(Email::try_from(ok.to_string()).is_ok(), "{ok}");
    }
    for bad in [
        "",
        "a",
        "@b.example",
        "a@",
        "a@localhost",
        "a b@c.example",
        "a@b..example",
        "a@-b.example",
        "ä@b.example",
        "a@b.example?subject=x",
        "a@b@c.example",
        "<a@b.example>",
    ] {
        assert!(Email::try_from(bad.to_string()).is_err(), "{bad:?}");
    }
}

const STATEMENT: &str = "[accessibility_statement]\nprepared = 2026-03-01\n";

#[test]
fn statement_parses_with_limitations_and_dates() {
    let c = site(&format!(
        "{STATEMENT}status = \"partially\"\nreviewed = \"2026-06-01\"\nassessment = \"self\"\n\
         email = \"barrierefreiheit@amt.example\"\ncontact_url = \"/kontakt/\"\n\
         [[accessibility_statement.limitations]]\ntext = \"Alte Videos\"\nreason = \"vor 2020\"\n\
         alternative = \"Transkript auf Anfrage\"\n"
    ))
    .unwrap();
    let s = c.accessibility_statement.unwrap();
    assert_eq!(s.status, Conformance::Partially);
    assert_eq!(s.prepared.to_string(), "2026-03-01");
    assert_eq!(s.reviewed.unwrap().to_string(), "2026-06-01");
    assert_eq!(s.assessment, Some(Assessment::SelfAssessment));
    assert_eq!(s.limitations[0].reason.as_ref().unwrap().0, "vor 2020");
}

#[test]
fn statement_rules_name_their_keys() {
    let contact = "email = \"a@b.example\"\n";
    let limitation = "[[accessibility_statement.limitations]]\ntext = \"PDF\"\n";
    for (body, needle) in [
        ("status = \"fully\"\n".to_string(), "`email` or `contact_url`"),
        (
            format!("status = \"fully\"\n{contact}{limitation}"),
            "lists `limitations`",
        ),
        (
            format!("status = \"partially\"\n{contact}"),
            "needs `limitations`",
        ),
        (format!("status = \"not\"\n{contact}"), "needs `limitations`"),
        (
            format!("status = \"fully\"\nreviewed = 2026-02-01\n{contact}"),
            "`reviewed` lies before",
        ),
        (
            format!("status = \"fully\"\n{contact}enforcement_url = \"https://x.example/\"\n"),
            "enforcement_title",
        ),
        (format!("status = \"maybe\"\n{contact}"), "maybe"),
        ("status = \"fully\"\nemail = \"nobody\"\n".to_string(), "nobody"),
        (
            format!("status = \"partially\"\n{contact}[[accessibility_statement.limitations]]\ntext = \"  \"\n"),
            "must not be empty",
        ),
    ] {
        let msg = site(&format!("{STATEMENT}{body}")).unwrap_err().to_string();
        assert!(msg.contains(needle), "{body}: {msg}");
    }
    // Without `prepared` the statement cannot say when it was made.
    let msg = site("[accessibility_statement]\nstatus = \"fully\"\nemail = \"a@b.example\"\n")
        .unwrap_err()
        .to_string();
    assert!(msg.contains("prepared"), "{msg}");
    assert!(site(&format!(
        "{STATEMENT}status = \"fully\"\ncontact_url = \"/k/\"\n"
    ))
    .is_ok());
}
