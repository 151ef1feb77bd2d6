//! The theme: Tera templates, static files and translation tables.
//!
//! The default theme in `themes/default/` is compiled into the binary, so a new
//! site builds without any theme files. A site overrides it file by file: a file
//! of the same relative path in `themes/<name>/` wins, and extra files there are
//! added. Translation tables (`i18n/<lang>.toml`) are data, so a third language
//! is a new file, not new code.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Deserialize;
use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::error::{tera_message, Error, Result};

macro_rules! builtin {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../themes/default/", $path)))),*]
    };
}

/// Every file of the built-in theme, by path relative to the theme folder.
pub const BUILTIN: &[(&str, &[u8])] = builtin![
    "templates/base.html",
    "templates/index.html",
    "templates/toot.html",
    "templates/tag.html",
    "templates/tags.html",
    "templates/month.html",
    "templates/archive.html",
    "templates/404.html",
    "templates/page.html",
    "templates/removed.html",
    "templates/accessibility_statement.html",
    "templates/embed/latest.html",
    "templates/embed/frame.html",
    "templates/partials/list.html",
    "templates/partials/toot.html",
    "templates/partials/toot_body.html",
    "templates/partials/media.html",
    "templates/partials/poll.html",
    "templates/partials/footer_links.html",
    "templates/partials/site_header.html",
    "templates/partials/site_footer.html",
    "static/style.css",
    "static/custom.css",
    "static/favicon.svg",
    "static/embed/latest.css",
    "i18n/de.toml",
    "i18n/en.toml",
];

/// A translation table: UI strings and how dates are written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct I18n {
    pub months: Vec<String>,
    pub date_format: String,
    pub am: String,
    pub pm: String,
    pub strings: BTreeMap<String, String>,
}

impl I18n {
    /// A UI string; a missing key shows as itself so the gap is visible.
    pub fn get(&self, key: &str) -> String {
        self.strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| format!("[{key}]"))
    }

    /// A string with `{n}` replaced, choosing the `_one` or `_many` variant.
    pub fn count(&self, key: &str, n: u64) -> String {
        if n == 1 {
            self.get(&format!("{key}_one"))
        } else {
            self.get(&format!("{key}_many"))
                .replace("{n}", &n.to_string())
        }
    }
}

pub struct Theme {
    pub tera: Tera,
    pub i18n: I18n,
    /// Static files to copy to the output root (path, bytes).
    pub statics: Vec<(String, Vec<u8>)>,
    /// The length of each template's last output, by template name: the
    /// next output's buffer starts about that large, so it is not grown by
    /// doubling (a copy each time) while Tera writes into it.
    sizes: HashMap<String, AtomicUsize>,
}

impl Theme {
    /// Loads the built-in theme with the overrides found in `theme_dir`
    /// (which need not exist for the `default` theme).
    pub fn load(theme_dir: &Path, must_exist: bool, language: &str) -> Result<Theme> {
        if must_exist && !theme_dir.is_dir() {
            return Err(Error::Other(format!(
                "theme folder {} does not exist (set `theme` in site.toml to \"default\" or create it)",
                theme_dir.display()
            )));
        }
        let mut files: BTreeMap<String, (Vec<u8>, Option<PathBuf>)> = BUILTIN
            .iter()
            .map(|(path, bytes)| (path.to_string(), (bytes.to_vec(), None)))
            .collect();
        if theme_dir.is_dir() {
            for entry in walkdir::WalkDir::new(theme_dir).sort_by_file_name() {
                let entry =
                    entry.map_err(|e| Error::Other(format!("{}: {e}", theme_dir.display())))?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(theme_dir)
                    .expect("walkdir yields paths below its root")
                    .to_string_lossy()
                    .replace('\\', "/");
                if rel.split('/').any(|part| part.starts_with('.')) {
                    continue;
                }
                let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
                files.insert(rel, (bytes, Some(entry.path().to_path_buf())));
            }
        }

        let mut tera = Tera::new();
        // Registered before the templates, which are checked for unknown
        // filters as they are added.
        tera.register_filter("filter", filter_by_attribute);
        let mut templates = Vec::new();
        let mut sizes = HashMap::new();
        let mut statics = Vec::new();
        for (rel, (bytes, origin)) in &files {
            let shown = origin
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| format!("(built-in) {rel}"));
            if let Some(name) = rel.strip_prefix("templates/") {
                let text = std::str::from_utf8(bytes)
                    .map_err(|_| Error::Other(format!("{shown}: template is not UTF-8")))?;
                templates.push((name.to_string(), text.to_string()));
                sizes.insert(name.to_string(), AtomicUsize::new(0));
            } else if let Some(name) = rel.strip_prefix("static/") {
                statics.push((name.to_string(), bytes.clone()));
            }
        }
        tera.add_raw_templates(templates)
            .map_err(|e| Error::Template {
                name: theme_dir.join("templates").display().to_string(),
                message: tera_message(&e),
            })?;
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default also escapes `/`, which makes every URL unreadable.
        tera.set_escape_fn(crate::sanitize::escape_to);

        let i18n_rel = format!("i18n/{language}.toml");
        let (bytes, origin) = files.get(&i18n_rel).ok_or_else(|| {
            Error::Other(format!(
                "no translation table {i18n_rel} for `language = \"{language}\"` in theme {} or the built-in theme",
                theme_dir.display()
            ))
        })?;
        let shown = origin
            .as_ref()
            .map(|p| p.to_path_buf())
            .unwrap_or_else(|| PathBuf::from(format!("(built-in) {i18n_rel}")));
        let text = String::from_utf8_lossy(bytes);
        let i18n: I18n = toml::from_str(&text).map_err(|e| Error::Config {
            path: shown.clone(),
            line: None,
            message: e.to_string(),
        })?;
        if i18n.months.len() != 12 {
            return Err(Error::Config {
                path: shown,
                line: None,
                message: "`months` must list 12 names".into(),
            });
        }
        Ok(Theme {
            tera,
            i18n,
            statics,
            sizes,
        })
    }

    pub fn render(&self, template: &str, context: &tera::Context) -> Result<String> {
        let bytes = self.render_bytes(template, context)?;
        String::from_utf8(bytes).map_err(|e| Error::Template {
            name: template.to_string(),
            message: format!("the output is not UTF-8: {e}"),
        })
    }

    /// [`Theme::render`] as bytes, for output files: they are written as
    /// bytes, so the text is not checked for UTF-8 once more (Tera writes
    /// only its templates' text and string values, both UTF-8).
    pub fn render_bytes(&self, template: &str, context: &tera::Context) -> Result<Vec<u8>> {
        let size = self.sizes.get(template);
        // A little more than last time: most outputs of a template are about
        // as long as the one before.
        let last = size.map_or(0, |s| s.load(Ordering::Relaxed));
        let mut out = Vec::with_capacity(last + last / 8);
        self.tera
            .render_to(template, context, &mut out)
            .map_err(|e| Error::Template {
                name: template.to_string(),
                message: tera_message(&e),
            })?;
        if let Some(size) = size {
            size.store(out.len(), Ordering::Relaxed);
        }
        Ok(out)
    }
}

/// Tera 1's `filter` filter, which Tera 2 dropped: the items of a list whose
/// `attribute` (a dotted path) equals `value`, or, without `value`, is set
/// and not null. Kept so that themes written for Tera 1 (and the built-in
/// embed fragment) need no change for it.
fn filter_by_attribute(items: &[Value], kwargs: Kwargs, _: &State<'_>) -> TeraResult<Value> {
    let attribute = kwargs.must_get::<&str>("attribute")?;
    let wanted = kwargs.get::<Value>("value")?;
    let kept: Vec<Value> = items
        .iter()
        .filter(|item| match (item.get_from_path(attribute), &wanted) {
            (None, _) => false,
            (Some(found), None) => !found.is_none() && !found.is_undefined(),
            (Some(found), Some(wanted)) => found == wanted,
        })
        .cloned()
        .collect();
    Ok(Value::from(kept))
}

/// The built-in translation table of `lang` (`de` or `en`), for tests.
#[cfg(test)]
pub(crate) fn builtin_i18n(lang: &str) -> I18n {
    let name = format!("i18n/{lang}.toml");
    let text = BUILTIN
        .iter()
        .find(|f| f.0 == name)
        .expect("built-in table")
        .1;
    toml::from_str(std::str::from_utf8(text).expect("UTF-8")).expect("valid table")
}

/// Copies the built-in theme into `dir` (normally `themes/default/` of a
/// site), so a web team can edit any file. Refuses, before writing anything,
/// when one of the files already exists: an earlier eject may hold edits.
pub(crate) fn eject(dir: &Path) -> Result<Vec<PathBuf>> {
    let targets: Vec<(PathBuf, &[u8])> = BUILTIN
        .iter()
        .map(|(rel, bytes)| (dir.join(rel), *bytes))
        .collect();
    if let Some((existing, _)) = targets.iter().find(|(path, _)| path.exists()) {
        return Err(Error::Other(format!(
            "{} already exists; refusing to overwrite a theme file (move the folder {} away to eject again)",
            existing.display(),
            dir.display()
        )));
    }
    for (path, bytes) in &targets {
        crate::fsutil::write_atomic(path, bytes, false)?;
    }
    Ok(targets.into_iter().map(|(path, _)| path).collect())
}

#[cfg(test)]
mod tests;
