//! Unit tests of `view.rs`: which media files are published, dates.

use super::*;

fn i18n() -> I18n {
    super::super::theme::builtin_i18n("de")
}

#[test]
fn only_passive_media_files_are_published() {
    let i = i18n();
    let media: HashSet<String> = ["a/x.png", "a/x.PNG", "a/x.svg", "a/x.html", "a/x"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let site = Site {
        base: "https://x.org".into(),
        lang: "de".into(),
        tz: chrono_tz::Europe::Berlin,
        i18n: &i,
        media: &media,
    };
    let url = |f: &str| site.media_url(Some(&f.to_string()));
    assert_eq!(
        url("a/x.png").as_deref(),
        Some("https://x.org/media/a/x.png")
    );
    assert!(url("a/x.PNG").is_some());
    for refused in ["a/x.svg", "a/x.html", "a/x", "a/y.png"] {
        assert_eq!(url(refused), None, "{refused}");
    }
}

#[test]
fn dates_follow_the_translation_table_and_zone() {
    let i = i18n();
    let media = HashSet::new();
    let site = Site {
        base: "https://x.org".into(),
        lang: "de".into(),
        tz: chrono_tz::Europe::Berlin,
        i18n: &i,
        media: &media,
    };
    let when: DateTime<Utc> = "2022-03-08T13:05:00Z".parse().unwrap();
    assert_eq!(site.date(&when), "8. März 2022, 14:05 Uhr");
    assert_eq!(site.iso(&when), "2022-03-08T14:05:00+01:00");
    let en = super::super::theme::builtin_i18n("en");
    let site = Site { i18n: &en, ..site };
    assert_eq!(site.date(&when), "8 March 2022, 2:05 pm");
    let summer: DateTime<Utc> = "2022-07-01T22:30:00Z".parse().unwrap();
    assert_eq!(site.date(&summer), "2 July 2022, 12:30 am");
}

/// The one-pass date writer writes what replacing the placeholders in turn
/// wrote, for every short format made of placeholders, braces and text,
/// with values that hold braces or placeholder names; and it is used for
/// formats of placeholders and text.
#[test]
fn dates_in_one_pass_are_the_replaced_dates() {
    let pieces = [
        "{dd}", "{d}", "{month}", "{m}", "{yyyy}", "{HH}", "{h}", "{mm}", "{ampm}", "{", "}",
        "{x}", "d", "m", ". ", "{{", "}}",
    ];
    for month in ["März", "m", "{m}", "}", "{"] {
        for ampm in ["pm", "{h}", ""] {
            let values = [
                ("dd", "08"),
                ("d", "8"),
                ("month", month),
                ("m", "3"),
                ("yyyy", "2022"),
                ("HH", "14"),
                ("h", "2"),
                ("mm", "05"),
                ("ampm", ampm),
            ];
            for a in pieces {
                for b in pieces {
                    for c in pieces {
                        let format = format!("{a}{b}{c}");
                        let replaced = date_by_replacing(&format, &values);
                        let fast = substitute(&format, &values);
                        if let Some(fast) = &fast {
                            assert_eq!(fast, &replaced, "{format:?} {month:?} {ampm:?}");
                        }
                        let plain = !month.contains(['{', '}']) && !ampm.contains(['{', '}']);
                        let only_placeholders = [a, b, c]
                            .iter()
                            .all(|p| p.len() > 2 || !p.contains(['{', '}']))
                            && ![a, b, c].contains(&"{x}");
                        if plain && only_placeholders {
                            assert!(fast.is_some(), "{format:?} not written in one pass");
                        }
                    }
                }
            }
        }
    }
}
