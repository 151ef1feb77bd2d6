//! How a date is written from the translation table's `date_format`: each
//! `{name}` placeholder replaced by its value, in one pass where that is
//! provably what replacing them one after the other writes.

/// The date format with each `{name}` replaced by its value, one
/// placeholder after the other, in the order of `values`.
pub(super) fn date_by_replacing(format: &str, values: &[(&str, &str)]) -> String {
    let mut out = format.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// [`date_by_replacing`] in one pass, where that is provably the same: no
/// value holds a brace, and every brace of the format belongs to a
/// placeholder. Then each replacement can only match that placeholder's own
/// occurrences (a match starts at a `{`, which starts a placeholder whose
/// name then equals the one replaced), so replacing them in turn writes
/// what replacing each occurrence as it is read writes. `None` otherwise.
pub(super) fn substitute(format: &str, values: &[(&str, &str)]) -> Option<String> {
    if values.iter().any(|(_, value)| value.contains(['{', '}'])) {
        return None;
    }
    let mut out = String::with_capacity(format.len() + 16);
    let mut rest = format;
    while let Some(open) = rest.find(['{', '}']) {
        let (text, tail) = rest.split_at(open);
        out.push_str(text);
        // A `}` before any `{`, or a `{` without its `}`: not a placeholder.
        let close = tail.find('}').filter(|_| tail.starts_with('{'))?;
        let name = &tail[1..close];
        if name.contains('{') {
            return None;
        }
        out.push_str(values.iter().find(|(n, _)| *n == name)?.1);
        rest = &tail[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}
