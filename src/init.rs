//! `tootbridge init`: a new site that builds at once, optionally with its
//! built-in theme copied out and a CI pipeline (see `ci`).

mod ci;

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::{config, fsutil, render};
pub use ci::CiSystem;

/// What `init` should write.
#[derive(Debug, Clone)]
pub struct InitOptions {
    pub dir: PathBuf,
    pub account: Option<config::Handle>,
    pub title: Option<String>,
    /// Copy the built-in theme into `themes/default/`. In a folder that
    /// already holds a site, only the theme is copied.
    pub eject_theme: bool,
    /// Write a pipeline for this CI system. In a folder that already holds
    /// a site, only the pipeline (and the theme, if asked) is written.
    pub ci: Option<CiSystem>,
}

/// `tootbridge init`: a new site that builds at once.
pub fn init(options: &InitOptions) -> Result<Vec<PathBuf>> {
    let site_toml = options.dir.join(config::FILE_NAME);
    let theme_dir = options.dir.join("themes").join("default");
    let pipeline = options
        .ci
        .map(|system| ci::pipeline_path(&options.dir, system));
    // Refuse before writing anything, so a refusal leaves no half-made site.
    if let Some(path) = pipeline.as_ref().filter(|p| p.exists()) {
        return Err(Error::Other(format!(
            "{} already exists; refusing to overwrite a pipeline",
            path.display()
        )));
    }
    if site_toml.exists() && (options.eject_theme || pipeline.is_some()) {
        let mut written = Vec::new();
        if options.eject_theme {
            written.extend(render::theme::eject(&theme_dir)?);
        }
        written.extend(write_pipeline(options)?);
        return Ok(written);
    }
    if site_toml.exists() {
        return Err(Error::Other(format!(
            "{} already exists; refusing to overwrite an existing site",
            site_toml.display()
        )));
    }
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| "Neuigkeiten".to_string());
    let accounts = match &options.account {
        Some(handle) => format!("[[accounts]]\nhandle = \"{handle}\"\n"),
        None => "# [[accounts]]\n# handle = \"@user@example.social\"\n".to_string(),
    };
    let text = format!(
        r#"# tootbridge site configuration. Every key is explained in the README.
title = "{title}"
description = ""
# The address the site is published at (used in feeds and canonical links).
base_url = "https://www.example.org/news/"
language = "de"           # "de" or "en"
timezone = "Europe/Berlin"

{accounts}
[select]
visibility = ["public"]   # add "unlisted" to publish unlisted toots too
replies = "self"          # "none", "self" (threads) or "all"
boosts = false

[pages]
per_page = 20

[feeds]
items = 50

# The legal links every page's footer shows. A German public website must
# reach its Impressum, Datenschutzerklärung and Erklärung zur
# Barrierefreiheit from every page; `check` warns while they are missing.
# Addresses are relative to base_url ("impressum/"), to its host
# ("/impressum/"), or absolute. See the README, "Legal links".
# [links]
# imprint = "/impressum/"
# privacy = "/datenschutz/"
# accessibility = "/barrierefreiheit/"
"#,
        title = title.replace('\\', "\\\\").replace('"', "\\\"")
    );
    // Parse what we are about to write, so init can never produce a site
    // that does not build.
    config::parse(&text, &site_toml)?;
    let mut written = Vec::new();
    if options.eject_theme {
        // First, so a refusal leaves no half-made site behind.
        written.extend(render::theme::eject(&theme_dir)?);
    }
    fsutil::write_atomic(&site_toml, text.as_bytes(), true)?;
    written.push(site_toml);
    let gitignore = options.dir.join(".gitignore");
    if !gitignore.exists() {
        fsutil::write_atomic(&gitignore, b"/public/\n", true)?;
        written.push(gitignore);
    }
    for dir in ["content/toots", "content/media", "content/state"] {
        let path = options.dir.join(dir);
        std::fs::create_dir_all(&path).map_err(|e| Error::io(&path, e))?;
    }
    written.extend(write_pipeline(options)?);
    Ok(written)
}

/// Writes the pipeline `options.ci` asks for, if any.
fn write_pipeline(options: &InitOptions) -> Result<Option<PathBuf>> {
    let Some(system) = options.ci else {
        return Ok(None);
    };
    let path = ci::pipeline_path(&options.dir, system);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    fsutil::write_atomic(&path, system.template().as_bytes(), true)?;
    Ok(Some(path))
}
