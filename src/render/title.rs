//! Derived titles: what a toot is called in `<title>`, `og:title`, list
//! headings and feed items. Mastodon posts have no title, so one is made from
//! the content warning, else the first sentence of the visible text (without
//! the "RE: …" line of a quote), else "Media post of {date}".

use super::theme::I18n;

/// The content warning, else the first sentence of the text cut at a word
/// boundary near 80 characters, else "Media post of {date}".
pub fn derive_title(cw: &str, text: &str, date: &str, has_media: bool, i18n: &I18n) -> String {
    let cw = cw.trim();
    if !cw.is_empty() {
        return truncate_words(cw, 80);
    }
    let text = text.trim();
    if text.is_empty() {
        let key = if has_media { "media_only" } else { "untitled" };
        return i18n.get(key).replace("{date}", date);
    }
    truncate_words(first_sentence(text), 80)
}

fn first_sentence(text: &str) -> &str {
    for (i, c) in text.char_indices() {
        let next_is_space = || {
            text[i + c.len_utf8()..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
        };
        let end = match c {
            // "!" and "?" always end a sentence; a short exclamation such as
            // "Was für ein Tag!" is a fine title.
            '!' | '?' | '…' => i >= 8 && next_is_space(),
            // A full stop does not after an abbreviation ("z. B.", "bzw."), an
            // ordinal ("25. Januar") or too little text for a title.
            '.' => i >= 20 && next_is_space() && !abbreviation(&text[..i]),
            _ => false,
        };
        if end {
            return &text[..i + c.len_utf8()];
        }
    }
    text
}

/// Whether the word before a full stop is an abbreviation or a number.
fn abbreviation(before: &str) -> bool {
    const KNOWN: &[&str] = &[
        "bzw", "ca", "etc", "evtl", "ggf", "inkl", "nr", "str", "usw", "vgl", "zb", "zzgl", "dr",
        "prof", "mr", "mrs", "ms", "vs", "eg", "ie", "approx", "no", "st",
    ];
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let letters: String = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    let alphabetic = word.chars().all(|c| c.is_alphabetic() || c == '.');
    word.is_empty()
        || word.chars().all(|c| c.is_ascii_digit())
        || (alphabetic && (letters.chars().count() == 1 || word.contains('.')))
        || (alphabetic && KNOWN.contains(&letters.as_str()))
}

/// Cuts `text` to at most `max` characters at a word boundary, adding "…".
pub fn truncate_words(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at = match cut.rfind(char::is_whitespace) {
        Some(i) if i >= max / 2 => i,
        _ => cut.len(),
    };
    format!("{}…", cut[..at].trim_end_matches([',', ';', ':', ' ', '-']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i18n() -> I18n {
        super::super::theme::builtin_i18n("de")
    }

    #[test]
    fn titles_prefer_cw_then_first_sentence() {
        let i = i18n();
        assert_eq!(derive_title(" Achtung ", "x", "d", false, &i), "Achtung");
        assert_eq!(
            derive_title(
                "",
                "Heute ist das neue Portal online. Mehr dazu morgen.",
                "d",
                false,
                &i
            ),
            "Heute ist das neue Portal online."
        );
        let long = "Wir suchen zum nächstmöglichen Zeitpunkt eine Referentin oder einen Referenten für den Bereich Informationssicherheit in Bonn";
        let t = derive_title("", long, "d", false, &i);
        assert!(
            t.chars().count() <= 81 && t.ends_with('…') && !t.contains("Inform"),
            "{t}"
        );
        assert_eq!(
            derive_title("", "Was für ein Tag! Danke an alle.", "d", false, &i),
            "Was für ein Tag!"
        );
        assert_eq!(
            derive_title(
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
                "",
                "Geöffnet ist das Bürgerbüro am 25. Januar ab 8 Uhr, bzw. nach Vereinbarung. Mehr",
                "d",
                false,
                &i
            ),
            "Geöffnet ist das Bürgerbüro am 25. Januar ab 8 Uhr, bzw. nach Vereinbarung."
        );
        assert_eq!(
            derive_title("", "", "8. März 2022", true, &i),
            "Medienbeitrag vom 8. März 2022"
        );
    }
}
