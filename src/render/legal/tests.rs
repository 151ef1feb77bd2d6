//! Unit tests of `legal.rs`.

use super::*;

fn config(extra: &str, lang: &str) -> SiteConfig {
    crate::config::parse(
            &format!("title = \"Amt\"\nbase_url = \"https://www.amt.example/news/\"\nlanguage = \"{lang}\"\n{extra}"),
            std::path::Path::new("site.toml"),
        )
        .unwrap()
}

fn keys(links: &[FooterLink]) -> Vec<&str> {
    links.iter().map(|l| l.key).collect()
}

#[test]
fn order_is_fixed_whatever_the_order_in_site_toml() {
    let c = config(
            "[links]\nextra = [{ title = \"Zwei\", url = \"/2/\" }, { title = \"Eins\", url = \"/1/\" }]\n\
             sign_language = \"/dgs/\"\ncontact = \"mailto:a@amt.example\"\neasy_language = \"/ls/\"\n\
             accessibility = \"/bf/\"\nprivacy = \"/ds/\"\nimprint = \"https://other.example/imp\"\n",
            "de",
        );
    let i18n = super::super::theme::builtin_i18n("de");
    let links = footer_links(&c, "https://www.amt.example/news", &i18n);
    assert_eq!(
        keys(&links),
        [
            "imprint",
            "privacy",
            "accessibility",
            "contact",
            "easy_language",
            "sign_language",
            "extra",
            "extra"
        ]
    );
    let titles: Vec<&str> = links.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Impressum",
            "Datenschutz",
            "Barrierefreiheit",
            "Kontakt",
            "Leichte Sprache",
            "Gebärdensprache",
            "Zwei",
            "Eins"
        ]
    );
    // Only the link to another host is external; mailto is no host.
    let external: Vec<bool> = links.iter().map(|l| l.external).collect();
    assert_eq!(
        external,
        [true, false, false, false, false, false, false, false]
    );
    assert_eq!(links[1].url, "https://www.amt.example/ds/");
    let en = super::super::theme::builtin_i18n("en");
    let titles: Vec<String> = footer_links(&c, "https://www.amt.example/news", &en)
        .into_iter()
        .take(6)
        .map(|l| l.title)
        .collect();
    assert_eq!(
        titles,
        [
            "Imprint",
            "Privacy",
            "Accessibility",
            "Contact",
            "Easy language",
            "Sign language"
        ]
    );
}

#[test]
fn accessibility_falls_back_to_the_statement_and_an_external_one_wins() {
    let statement =
            "[accessibility_statement]\nstatus = \"fully\"\nprepared = 2026-01-05\nemail = \"a@amt.example\"\n";
    let i18n = super::super::theme::builtin_i18n("de");
    let base = "https://www.amt.example/news";
    assert!(footer_links(&config("", "de"), base, &i18n).is_empty());
    let de = footer_links(&config(statement, "de"), base, &i18n);
    assert_eq!(de[0].url, "https://www.amt.example/news/barrierefreiheit/");
    let en = footer_links(&config(statement, "en"), base, &i18n);
    assert_eq!(en[0].url, "https://www.amt.example/news/accessibility/");
    let both = config(
        &format!("[links]\naccessibility = \"/erklaerung/\"\n{statement}"),
        "de",
    );
    let links = footer_links(&both, base, &i18n);
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].url, "https://www.amt.example/erklaerung/");
}

#[test]
fn days_in_both_languages() {
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    assert_eq!(
        day_text(&day, &super::super::theme::builtin_i18n("de")),
        "2. März 2026"
    );
    assert_eq!(
        day_text(&day, &super::super::theme::builtin_i18n("en")),
        "2 March 2026"
    );
}
