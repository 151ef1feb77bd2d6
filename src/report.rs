//! What the commands print (the binary's side of the reports). Standard
//! output carries a command's result: its summary, or with `--json` one JSON
//! document and nothing else, so a pipeline can parse it. With `--json` the
//! human summary goes to standard error, next to the log lines; `--quiet`
//! leaves it out.

use std::fmt::Display;
use std::path::PathBuf;

use indicatif::ProgressBar;
use serde::Serialize;
use tootbridge::compose::SyncedBuild;
use tootbridge::error::{Error, Result};
use tootbridge::EditorialReport;
use tootbridge::ImportReport;
use tootbridge::SyncReport;
use tootbridge::{CheckReport, InitOptions};

#[derive(Debug, Clone)]
pub(crate) struct Out {
    quiet: bool,
    json: bool,
    /// The progress spinner, cleared before anything is printed.
    bar: ProgressBar,
}

impl Out {
    pub(crate) fn new(quiet: bool, bar: &ProgressBar) -> Out {
        let bar = bar.clone();
        Out {
            quiet,
            json: false,
            bar,
        }
    }

    /// The same, printing one JSON document on standard output when `json`.
    pub(crate) fn json(&self, json: bool) -> Out {
        Out {
            json,
            ..self.clone()
        }
    }

    /// One line of the human summary.
    fn say(&self, line: impl Display) {
        self.bar.finish_and_clear();
        match (self.quiet, self.json) {
            (true, _) => {}
            (false, true) => eprintln!("{line}"),
            (false, false) => println!("{line}"),
        }
    }

    /// A line that `--quiet` does not silence (a failed account's reason,
    /// printed once, here); on standard error when quiet or with `--json`.
    fn insist(&self, line: impl Display) {
        self.bar.finish_and_clear();
        if self.quiet || self.json {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    }

    /// The JSON document, when asked for.
    fn document(&self, value: &impl Serialize) {
        self.bar.finish_and_clear();
        if self.json {
            let text = serde_json::to_string_pretty(value).expect("reports serialize");
            println!("{text}");
        }
    }

    /// Files written for another program (the man pages): one path a line
    /// on standard output, whatever `--quiet` says.
    pub(crate) fn paths(&self, written: Result<Vec<PathBuf>>) -> Result<()> {
        for path in written? {
            println!("{}", path.display());
        }
        Ok(())
    }

    pub(crate) fn init(&self, options: &InitOptions, written: &[PathBuf]) {
        let dir = &options.dir;
        for path in written {
            tracing::info!("wrote {}", path.display());
        }
        let pipeline = options.ci.map(|system| (system, dir.join(system.path())));
        if let Some((system, path)) = &pipeline {
            if written.contains(path) {
                self.say(format_args!(
                    "Wrote the {} pipeline {}; set its variables as its opening comment says.",
                    system.name(),
                    path.display()
                ));
            }
        }
        if !written.iter().any(|p| p.ends_with("site.toml")) {
            let themed = written
                .iter()
                .filter(|p| !p.ends_with(".gitignore"))
                .filter(|p| pipeline.as_ref().is_none_or(|(_, path)| *p != path))
                .count();
            if options.eject_theme {
                self.say(format_args!(
                    "Copied the built-in theme ({themed} files) into {}; files there override the built-in ones.",
                    dir.join("themes/default").display()
                ));
            }
            return;
        }
        let root = dir.display();
        let first = if options.account.is_some() {
            String::new()
        } else {
            "name your account in site.toml ([[accounts]]), then ".into()
        };
        self.say(format_args!(
            "New site in {root}. Next: {first}`tootbridge --root {root} sync` to fetch the toots, \
             then `tootbridge --root {root} build` (a CI pipeline runs `tootbridge build --sync`)."
        ));
    }

    /// `serve --sync`: the sync's summary before the preview starts; a
    /// failed account is a warning there (the preview shows the store).
    pub(crate) fn before_serve(&self, report: &SyncReport) {
        self.sync(report);
        if let Some(err) = report.failure() {
            tracing::warn!("{err}");
        }
    }

    pub(crate) fn sync(&self, report: &SyncReport) {
        self.document(report);
        self.sync_lines(report);
    }

    fn sync_lines(&self, report: &SyncReport) {
        let verb = if report.dry_run {
            "would change"
        } else {
            "synced"
        };
        for a in &report.accounts {
            if !a.ok {
                self.insist(format_args!(
                    "{}: FAILED: {}",
                    a.handle,
                    a.errors.join("; ")
                ));
                continue;
            }
            let pending = if report.dry_run {
                format!(", {} to fetch", a.media_pending)
            } else {
                String::new()
            };
            self.say(format_args!(
                "{}: {verb}: {} added, {} edited, {} deleted; media {} fetched, {} failed{pending}; {} requests.",
                a.handle, a.added, a.edited, a.deleted, a.media_fetched, a.media_failed, a.requests
            ));
            for (kind, n) in &a.skipped {
                self.say(format_args!("  skipped {n} item(s) of type {kind}"));
            }
            if report.dry_run {
                for c in &a.changes {
                    self.say(format_args!("  {} {}", c.change.as_str(), c.id));
                }
            }
        }
    }

    /// `build`: the build report alone, or with `--sync` both in one
    /// document.
    pub(crate) fn build(&self, run: &SyncedBuild) {
        match &run.sync {
            Some(sync) => {
                self.document(run);
                self.sync_lines(sync);
            }
            None => self.document(&run.build),
        }
        let r = &run.build;
        for warning in &r.warnings {
            tracing::warn!("{warning}");
        }
        self.say(format_args!(
            "Built {} toots ({} not published) into {}: {} files written, {} unchanged, {} removed.",
            r.published,
            r.skipped,
            r.output_dir.display(),
            r.files.written,
            r.files.unchanged,
            r.files.removed
        ));
    }

    /// `import`: the report, counted as sync counts (the same names), then
    /// what only an archive has.
    pub(crate) fn import(&self, result: Result<ImportReport>) -> Result<()> {
        let r = result?;
        self.document(&r);
        let a = &r.account;
        let verb = if r.dry_run {
            "would change"
        } else {
            "imported"
        };
        self.say(format_args!(
            "{}: {verb} from {}: {} added, {} edited, {} refreshed ({} given missing media), \
             {} unchanged.",
            a.handle,
            r.archive.display(),
            a.added,
            a.edited,
            a.refreshed,
            r.completed,
            a.unchanged
        ));
        let other: usize = a.skipped.values().sum();
        self.say(format_args!(
            "Skipped: {} followers-only or direct, {} boosts, {other} other activities, {} invalid items.",
            a.dropped, r.skipped_boosts, r.invalid
        ));
        let pending = if r.dry_run {
            format!(", {} to store", a.media_pending)
        } else {
            String::new()
        };
        self.say(format_args!(
            "Media: {} stored, {} already present, {} failed or missing from the archive{pending}.",
            a.media_fetched, r.media_present, a.media_failed
        ));
        for (kind, n) in &a.skipped {
            self.say(format_args!("  skipped {n} item(s) of type {kind}"));
        }
        if let Some(declared) = r.declared_items.filter(|d| *d != r.items) {
            self.say(format_args!(
                "Note: outbox.json declares {declared} items but holds {}.",
                r.items
            ));
        }
        if r.more_errors > 0 {
            self.say(format_args!("{} more warning(s) not shown.", r.more_errors));
        }
        Ok(())
    }

    /// `check`: the report, or the error that stopped it; under `strict`
    /// any warning fails the command.
    pub(crate) fn check(
        &self,
        result: Result<CheckReport>,
        newest: usize,
        strict: bool,
    ) -> Result<()> {
        let report = match result {
            Ok(report) => report,
            Err(err) => {
                self.document(&CheckDocument::failed(&err));
                return Err(err);
            }
        };
        let findings = report.strict_findings();
        self.document(&CheckDocument {
            ok: !strict || findings.is_empty(),
            errors: Vec::new(),
            warnings: findings.clone(),
            report: Some(&report),
        });
        self.check_lines(&report, newest);
        if strict && !findings.is_empty() {
            return Err(Error::Other(format!(
                "check --strict: {} warning(s); the first: {}",
                findings.len(),
                findings[0]
            )));
        }
        Ok(())
    }

    fn check_lines(&self, report: &CheckReport, newest: usize) {
        self.say(format_args!(
            "OK: {} account(s), {} stored toots, {} published, {} pages render.",
            report.accounts, report.stored, report.published, report.pages
        ));
        self.say(format_args!(
            "Privacy: {} reference(s) that load from another host.",
            report.third_party
        ));
        if !report.without_alt.is_empty() {
            let n = report.without_alt.len();
            self.say(format_args!("Toots with media that lack alt text ({n}):"));
            for line in &report.without_alt {
                self.say(format_args!("  - {line}"));
            }
        }
        self.editorial(&report.editorial, newest);
        for warning in &report.warnings {
            self.say(format_args!("warning: {warning}"));
        }
    }

    /// The editorial part of `check`, one section per question an editor asks.
    fn editorial(&self, report: &EditorialReport, newest: usize) {
        let sections = [
            ("Hidden by the rules in site.toml", &report.hidden_by_rules),
            (
                "Hidden by content/overrides.toml",
                &report.hidden_by_override,
            ),
        ];
        for (title, toots) in sections.into_iter().filter(|(_, t)| !t.is_empty()) {
            self.say(format_args!("{title} ({}):", toots.len()));
            for toot in toots {
                self.say(format_args!("  - {toot}"));
            }
        }
        if newest > 0 {
            let n = report.newest.len();
            self.say(format_args!(
                "Newest published toots ({n} of at most {newest}):"
            ));
            for toot in &report.newest {
                self.say(format_args!("  - {toot}"));
            }
        }
        for path in &report.drafts {
            self.say(format_args!("draft (shown by serve only): {path}"));
        }
        for line in &report.ineffective {
            self.say(format_args!("warning: content/overrides.toml: toot {line}"));
        }
    }
}

/// `check --json`: errors (what stopped the check), warnings (what
/// `--strict` fails on, one line each) and the report with the editorial
/// part.
#[derive(Serialize)]
struct CheckDocument<'a> {
    /// The command's outcome (false on an error, or under `--strict` on a
    /// warning).
    ok: bool,
    errors: Vec<String>,
    warnings: Vec<String>,
    report: Option<&'a CheckReport>,
}

impl CheckDocument<'_> {
    fn failed(err: &Error) -> Self {
        CheckDocument {
            ok: false,
            errors: vec![err.to_string()],
            warnings: Vec::new(),
            report: None,
        }
    }
}
