//! Unit tests of `title.rs`.

use super::*;

fn i18n() -> I18n {
    super::super::theme::builtin_i18n("de")
}

#[test]
fn titles_prefer_cw_then_first_sentence() {
    let i = i18n();
    assert_eq!(
        derive_title(None, " Achtung ", "x", "d", false, &i),
        "Achtung"
    );
    assert_eq!(
        derive_title(
            None,
            "",
            "Heute ist das neue Portal online. Mehr dazu morgen.",
            "d",
            false,
            &i
        ),
        "Heute ist das neue Portal online."
    );
    let long = "Wir suchen zum nächstmöglichen Zeitpunkt eine Referentin oder einen Referenten für den Bereich Informationssicherheit in Bonn";
    let t = derive_title(None, "", long, "d", false, &i);
    assert!(
        t.chars().count() <= 81 && t.ends_with('…') && !t.contains("Inform"),
        "{t}"
    );
    assert_eq!(
        derive_title(None, "", "Was für ein Tag! Danke an alle.", "d", false, &i),
        "Was für ein Tag!"
    );
    assert_eq!(
        derive_title(
            None,
            "",
            "Now as #OpenData (CSV, CC BY 4.0). More",
            "d",
            false,
            &i
        ),
        "Now as #OpenData (CSV, CC BY 4.0)."
    );
    assert_eq!(
        derive_title(
            None,
            "",
            "Geöffnet ist das Bürgerbüro am 25. Januar ab 8 Uhr, bzw. nach Vereinbarung. Mehr",
            "d",
            false,
            &i
        ),
        "Geöffnet ist das Bürgerbüro am 25. Januar ab 8 Uhr, bzw. nach Vereinbarung."
    );
    assert_eq!(
        derive_title(None, "", "", "8. März 2022", true, &i),
        "Medienbeitrag vom 8. März 2022"
    );
}

#[test]
fn own_titles_win() {
    let i = i18n();
    assert_eq!(
        derive_title(Some(" Neue Satzung "), "CW", "Text.", "d", false, &i),
        "Neue Satzung"
    );
    assert_eq!(derive_title(Some(" "), "CW", "x", "d", false, &i), "CW");
}

#[test]
fn cuts_never_end_in_a_number_with_a_full_stop() {
    let text = "Die Ausstellung im Foyer des Rathauses ist geöffnet ab 1. Dezember jeden Tag";
    for max in 50..text.chars().count() {
        let t = truncate_words(text, max);
        let body = t.trim_end_matches('…');
        assert!(!ends_in_ordinal(body), "{max}: {t}");
        assert!(body.chars().count() <= max, "{max}: {t}");
        assert!(text.starts_with(body), "{max}: {t}");
    }
    // Room for "… ab 1." and a little more: the cut goes before "1.".
    let upto = text.find(" Dezember").unwrap();
    let max = text[..upto].chars().count() + 3;
    assert_eq!(
        truncate_words(text, max),
        "Die Ausstellung im Foyer des Rathauses ist geöffnet ab…"
    );
    assert_eq!(truncate_words("ab 1. Mai", 20), "ab 1. Mai");
}

#[test]
fn emoji_codes_leave_titles() {
    let codes = ["beispielamt", "verified", "pacman"];
    assert_eq!(
        without_emoji_codes(
            "Digitaltag im Beispielamt :beispielamt: Von 10 bis 15 Uhr",
            &codes
        ),
        "Digitaltag im Beispielamt Von 10 bis 15 Uhr"
    );
    assert_eq!(
        without_emoji_codes(":pacman: :verified: :verified:", &codes),
        ""
    );
    // Not listed, glued to a word, or a time: text, not emoji.
    for kept in [
        "Treffen :unbekannt: heute",
        "a:verified: b",
        "um 10:30:00 Uhr",
        "::verified::",
    ] {
        assert_eq!(without_emoji_codes(kept, &codes), kept);
    }
    let i = i18n();
    let text = without_emoji_codes(":pacman: :verified:", &codes);
    assert_eq!(
        derive_title(None, "", &text, "1. Mai 2026", false, &i),
        derive_title(None, "", "", "1. Mai 2026", false, &i)
    );
}
