//! What `zola_site.rs` and `hugo_site.rs` share: loading a tootbridge site
//! the way `build` does, writing each published toot as a Markdown file whose
//! body is the HTML tootbridge would show (the content after our sanitizer,
//! then the images, with the mirrored files copied to `static/media/`), and
//! the theme's stylesheet. Each generator only adds its front matter, its
//! configuration and its templates.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use tootbridge::config::{self, SiteConfig};
use tootbridge::model::AccountData;
use tootbridge::store::Store;
use tootbridge::testing::render::theme::Theme;
use tootbridge::testing::render::view::{self, Site, TootView};
use tootbridge::testing::select;

/// A site folder, loaded as `build` loads it.
pub(crate) struct Loaded {
    pub(crate) config: SiteConfig,
    pub(crate) store: Store,
    pub(crate) accounts: Vec<AccountData>,
    pub(crate) media: std::collections::HashSet<String>,
    pub(crate) theme: Theme,
}

/// The `[root, out]` arguments, or exit 2 with `usage`.
pub(crate) fn args(usage: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [root, out] = args.as_slice() else {
        eprintln!("usage: {usage}");
        std::process::exit(2);
    };
    (root.into(), out.into())
}

pub(crate) fn load(root: &Path) -> Result<Loaded, Box<dyn std::error::Error>> {
    let config = config::load(root)?;
    let store = Store::new(root);
    let mut accounts = tootbridge::testing::load_accounts(&store, &config)?;
    tootbridge::testing::drop_deleted(&mut accounts);
    let media = tootbridge::testing::media_index(&store.media_dir())?;
    let theme = tootbridge::testing::load_theme(root, &config)?;
    Ok(Loaded {
        config,
        store,
        accounts,
        media,
        theme,
    })
}

impl Loaded {
    /// The site's base URL, without a trailing slash.
    pub(crate) fn base(&self) -> String {
        self.config.base_url.trimmed().to_string()
    }

    /// Writes `<out>/content/toots/<id>.md` for every published toot: the
    /// front matter `front` makes (between the `+++` lines), then the body.
    /// Returns how many toots and how many media files were written.
    pub(crate) fn write_toots(
        &self,
        out: &Path,
        front: impl Fn(&TootView) -> Result<String, std::fmt::Error>,
    ) -> Result<(usize, usize), Box<dyn std::error::Error>> {
        let selection = select::select(&self.config.select, &self.accounts);
        let base = self.base();
        let site = Site {
            base: base.clone(),
            lang: self.config.language.code().to_string(),
            tz: self.config.timezone.0,
            i18n: &self.theme.i18n,
            media: &self.media,
        };
        let content = out.join("content/toots");
        fs::create_dir_all(&content)?;
        let media_prefix = format!("{base}/media/");
        let mut copied = 0;
        for entry in &selection.entries {
            let v = view::toot_view(entry, &site);
            let mut md = String::from("+++\n");
            md.push_str(&front(&v)?);
            md.push_str("+++\n\n");
            md.push_str(v.content.as_str());
            md.push('\n');
            for m in &v.media {
                if let Some(url) = &m.url {
                    let rel = url.strip_prefix(&media_prefix).unwrap_or(url);
                    let src = self.store.media_dir().join(rel);
                    let dest = out.join("static/media").join(rel);
                    if !dest.exists() && src.is_file() {
                        fs::create_dir_all(dest.parent().unwrap())?;
                        fs::copy(&src, &dest)?;
                        copied += 1;
                    }
                    writeln!(
                        md,
                        "\n<img src=\"{media_prefix}{rel}\" alt=\"{}\" width=\"{}\" height=\"{}\">",
                        tootbridge::testing::sanitize::escape(&m.alt),
                        m.width.unwrap_or(0),
                        m.height.unwrap_or(0)
                    )?;
                }
            }
            fs::write(content.join(format!("{}.md", v.id)), md)?;
        }
        Ok((selection.entries.len(), copied))
    }

    /// Writes the templates (`name`, `text`) below `dir`, and the theme's
    /// stylesheet as `<out>/static/style.css`.
    pub(crate) fn write_theme(
        &self,
        out: &Path,
        dir: &str,
        templates: &[(&str, &str)],
    ) -> std::io::Result<()> {
        for (name, text) in templates {
            let path = out.join(dir).join(name);
            fs::create_dir_all(path.parent().unwrap())?;
            fs::write(path, text)?;
        }
        fs::create_dir_all(out.join("static"))?;
        let css = self.theme.statics.iter().find(|(n, _)| n == "style.css");
        fs::write(
            out.join("static/style.css"),
            css.map(|(_, b)| b.clone()).unwrap_or_default(),
        )
    }
}

/// `s` as a TOML basic string (a JSON string, for our purposes).
pub(crate) fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}
