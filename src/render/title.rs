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
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?' | '…') {
            let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
            // "z. B." and "3." are not sentence ends: require some length.
            if next_is_space && i >= 20 {
                return &text[..i + c.len_utf8()];
            }
        }
    }
    text
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
        let text = super::super::theme::BUILTIN
            .iter()
            .find(|f| f.0 == "i18n/de.toml")
            .unwrap()
            .1;
        toml::from_str(std::str::from_utf8(text).unwrap()).unwrap()
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
            derive_title("", "", "8. März 2022", true, &i),
            "Medienbeitrag vom 8. März 2022"
        );
    }
}
