//! The command line (clap derive types only). Values are checked as they
//! are parsed (a malformed `--base-url` or `--account` is a usage error, exit
//! 2); `main.rs` turns the rest into the option structs the library takes, so
//! the core never sees a flag.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use tootbridge::config::{BaseUrl, Handle};

/// `--account`: `@user@host` (or `user@host`).
fn handle(text: &str) -> Result<Handle, String> {
    Handle::try_from(text.to_string())
}

/// `--base-url`: an http(s) URL with a host.
fn base_url(text: &str) -> Result<BaseUrl, String> {
    BaseUrl::try_from(text.to_string())
}

/// Mirror the public Mastodon posts of your organisation's accounts into a
/// static news section: HTML pages, an RSS feed, tag pages and media, all
/// served from your own web space with no request to a third-party host.
#[derive(Debug, Parser)]
#[command(name = "tootbridge", version, propagate_version = true)]
pub(crate) struct Cli {
    /// The site folder (where site.toml lives).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,

    /// More log output (-v: debug, -vv: trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,

    /// Only print errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create a new site (site.toml and content/) that builds at once.
    Init {
        /// Folder to create the site in (default: --root).
        dir: Option<PathBuf>,
        /// The Mastodon account to mirror, as @user@host.
        #[arg(long, value_name = "@USER@HOST", value_parser = handle)]
        account: Option<Handle>,
        /// The site title.
        #[arg(long)]
        title: Option<String>,
        /// Also copy the built-in theme into themes/default/ to edit it (in
        /// an existing site: only copy the theme).
        #[arg(long)]
        eject_theme: bool,
        /// Also write a CI pipeline that syncs, keeps the store in the
        /// repository and publishes public/ (in an existing site: only the
        /// pipeline).
        #[arg(long, value_name = "SYSTEM")]
        ci: Option<CiSystem>,
    },
    /// Fetch new, edited and deleted toots (and their media) into content/.
    Sync {
        /// Print a machine-readable summary (one JSON document) on standard
        /// output.
        #[arg(long)]
        json: bool,
        /// Show what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Check every stored toot for deletion and edits now.
        #[arg(long)]
        full: bool,
    },
    /// Render the site from content/ into the output folder (offline).
    Build {
        /// Sync every account before building.
        #[arg(long)]
        sync: bool,
        /// Write into this folder instead of output_dir from site.toml.
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Use this base URL instead of base_url from site.toml.
        #[arg(long, value_name = "URL", value_parser = base_url)]
        base_url: Option<BaseUrl>,
        /// Print a machine-readable summary (one JSON document; with --sync
        /// it holds "sync" and "build") on standard output.
        #[arg(long)]
        json: bool,
    },
    /// Preview the site on this computer, drafts included; pages reload
    /// by themselves when site.toml, content/ or themes/ change.
    Serve {
        /// Port to listen on (0: any free port; the address is printed).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. Keep the default unless others must see
        /// the preview (they would see drafts too).
        #[arg(long, default_value = "127.0.0.1", value_name = "IP")]
        bind: std::net::IpAddr,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
        /// Sync every account once before the preview starts.
        #[arg(long)]
        sync: bool,
    },
    /// Backfill content/ from a Mastodon account export (Preferences →
    /// Import and export → Request your archive). Only public and unlisted
    /// posts are stored.
    Import {
        /// The archive: a .zip, a .tar.gz or an unpacked folder.
        archive: PathBuf,
        /// Import into this configured account instead of the one named in
        /// the archive's actor.json.
        #[arg(long, value_name = "@USER@HOST", value_parser = handle)]
        account: Option<Handle>,
        /// Report what would be imported without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Fetch boosted posts that are not in the archive from the network
        /// (only with `boosts = true`); without it, import stays offline.
        #[arg(long)]
        online: bool,
        /// Print a machine-readable summary (one JSON document) on standard
        /// output.
        #[arg(long)]
        json: bool,
    },
    /// Validate config, templates and store, and print the editorial
    /// report: missing alt text, hidden toots and why, the newest toots that
    /// would be published, overrides naming unknown toots.
    Check {
        /// How many of the newest published toots to list.
        #[arg(long, default_value_t = 10, value_name = "N")]
        newest: usize,
        /// Fail (exit 1) on any warning: missing alt text, media not
        /// mirrored, a file a stylesheet loads but the site lacks, ...
        #[arg(long)]
        strict: bool,
        /// Print errors, warnings and the editorial report as one JSON
        /// document on standard output.
        #[arg(long)]
        json: bool,
    },
    /// Print the shell completion script (e.g. `tootbridge completions bash
    /// > /etc/bash_completion.d/tootbridge`).
    Completions {
        /// The shell to complete in.
        shell: tootbridge::manual::Shell,
    },
    /// Write the man pages (roff) into DIR, for packaging.
    #[command(hide = true)]
    Man {
        /// The folder to write tootbridge.1 and tootbridge-<command>.1 into.
        dir: PathBuf,
    },
}

/// The CI systems `init --ci` writes a pipeline for.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CiSystem {
    /// .gitlab-ci.yml: GitLab CI with GitLab Pages.
    Gitlab,
    /// .github/workflows/tootbridge.yml: GitHub Actions with GitHub Pages.
    Github,
}

impl From<CiSystem> for tootbridge::CiSystem {
    fn from(system: CiSystem) -> Self {
        match system {
            CiSystem::Gitlab => tootbridge::CiSystem::Gitlab,
            CiSystem::Github => tootbridge::CiSystem::Github,
        }
    }
}

/// The clap definition, for completions and man pages.
pub(crate) fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}
