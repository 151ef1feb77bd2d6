//! The `tootbridge` binary: parse the command line, set up logging, call the
//! library, print the error once, return the exit code (0 ok, 1 failure,
//! 2 wrong usage — clap's own code).

mod cli;
mod progress;

use std::process::ExitCode;

use clap::Parser;
use indicatif::ProgressBar;
use tootbridge::error::{Error, Result};

// Rendering makes many small short-lived allocations (template values,
// strings); mimalloc handles them with far less time than the system
// allocator (see the commit that added it for the measurement).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let bar = progress::bar(cli.quiet);
    init_logging(cli.verbose, cli.quiet, &bar);
    match run(cli, &bar) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(verbose: u8, quiet: bool, bar: &ProgressBar) {
    let level = match (quiet, verbose) {
        (true, _) => tracing::Level::ERROR,
        (false, 0) => tracing::Level::INFO,
        (false, 1) => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    };
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_target(false)
        .without_time()
        .with_writer({
            let bar = bar.clone();
            move || progress::BarWriter(bar.clone())
        })
        .init();
}

fn run(cli: cli::Cli, bar: &ProgressBar) -> Result<()> {
    use cli::Command;
    match cli.command {
        Command::Init {
            dir,
            account,
            title,
            eject_theme,
        } => {
            let account = account.map(parse_handle).transpose()?;
            let dir = dir.unwrap_or(cli.root);
            let written = tootbridge::init(&tootbridge::InitOptions {
                dir: dir.clone(),
                account,
                title,
                eject_theme,
            })?;
            let new_site = written.iter().any(|p| p.ends_with("site.toml"));
            let themed = written.iter().filter(|p| !p.ends_with("site.toml")).count();
            for path in &written {
                tracing::info!("wrote {}", path.display());
            }
            if new_site {
                println!(
                    "New site in {}. Next: edit site.toml, then `tootbridge --root {} build`.",
                    dir.display(),
                    dir.display()
                );
            } else {
                println!(
                    "Copied the built-in theme ({themed} files) into {}; files there override the built-in ones.",
                    dir.join("themes/default").display()
                );
            }
            Ok(())
        }
        Command::Build {
            sync,
            output,
            base_url,
            json,
        } => {
            let mut sync_failed = None;
            if sync {
                let report = tootbridge::sync::sync(&tootbridge::sync::SyncOptions {
                    root: cli.root.clone(),
                    progress: progress::progress_to(bar),
                    ..Default::default()
                })?;
                bar.finish_and_clear();
                // The build goes on with whatever the store holds; a failed
                // account still fails the command at the end.
                print_sync(&report, false, cli.quiet);
                sync_failed = report_failure(&report);
            }
            let report = tootbridge::build(&tootbridge::BuildOptions {
                root: cli.root,
                output,
                base_url,
            })?;
            for warning in &report.warnings {
                tracing::warn!("{warning}");
            }
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).expect("report serializes")
                );
            } else if !cli.quiet {
                println!(
                    "Built {} toots ({} not published) into {}: {} files written, {} unchanged, {} removed.",
                    report.published,
                    report.skipped,
                    report.output_dir.display(),
                    report.files.written,
                    report.files.unchanged,
                    report.files.removed
                );
            }
            sync_failed.map_or(Ok(()), Err)
        }
        Command::Check { newest } => {
            let report = tootbridge::check_with(&cli.root, newest)?;
            println!(
                "OK: {} account(s), {} stored toots, {} published, {} pages render.",
                report.accounts, report.stored, report.published, report.pages
            );
            println!(
                "Privacy: {} reference(s) that load from another host.",
                report.third_party
            );
            if !report.without_alt.is_empty() {
                println!(
                    "Toots with media that lack alt text ({}):",
                    report.without_alt.len()
                );
                for line in &report.without_alt {
                    println!("  - {line}");
                }
            }
            print_editorial(&report.editorial, newest);
            for warning in &report.warnings {
                println!("warning: {warning}");
            }
            Ok(())
        }
        Command::Sync {
            json,
            dry_run,
            full,
        } => {
            let report = tootbridge::sync::sync(&tootbridge::sync::SyncOptions {
                root: cli.root,
                full,
                dry_run,
                progress: progress::progress_to(bar),
                ..Default::default()
            })?;
            bar.finish_and_clear();
            print_sync(&report, json, cli.quiet);
            report_failure(&report).map_or(Ok(()), Err)
        }
        Command::Serve {
            port,
            bind,
            open,
            sync,
        } => {
            if sync {
                // One sync before the preview starts; a failed account is
                // reported but the preview still shows what the store has.
                let report = tootbridge::sync::sync(&tootbridge::sync::SyncOptions {
                    root: cli.root.clone(),
                    full: false,
                    dry_run: false,
                    progress: progress::progress_to(bar),
                    ..Default::default()
                })?;
                bar.finish_and_clear();
                print_sync(&report, false, cli.quiet);
                if let Some(err) = report_failure(&report) {
                    tracing::warn!("{err}");
                }
            }
            tootbridge::serve::serve(&tootbridge::serve::ServeOptions {
                root: cli.root,
                bind,
                port,
                open,
            })
        }
        Command::Import {
            archive,
            account,
            dry_run,
            online,
            json,
        } => {
            let account = account.map(parse_handle).transpose()?;
            let report = tootbridge::import::import(&tootbridge::import::ImportOptions {
                root: cli.root,
                archive,
                account,
                dry_run,
                online,
            })?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).expect("report serializes")
                );
            } else if !cli.quiet {
                print_import(&report);
            }
            Ok(())
        }
    }
}

fn parse_handle(text: String) -> Result<tootbridge::config::Handle> {
    tootbridge::config::Handle::try_from(text).map_err(|message| Error::Config {
        path: "--account".into(),
        line: None,
        message,
    })
}

fn print_import(r: &tootbridge::import::ImportReport) {
    let verb = if r.dry_run {
        "Would import"
    } else {
        "Imported"
    };
    println!(
        "{verb} {} toots into {} ({} already present, {} updated to a later edit, \
         {} given missing media).",
        r.imported, r.account, r.already_present, r.updated, r.completed
    );
    println!(
        "Skipped: {} followers-only or direct, {} boosts, {} other activities, {} invalid items.",
        r.skipped_visibility, r.skipped_boosts, r.skipped_other, r.invalid
    );
    println!(
        "Media: {} copied, {} already present, {} missing from the archive.",
        r.media_copied, r.media_present, r.media_missing
    );
    if r.declared_items.is_some_and(|d| d != r.items) {
        println!(
            "Note: outbox.json declares {} items but holds {}.",
            r.declared_items.unwrap_or_default(),
            r.items
        );
    }
    if r.more_warnings > 0 {
        println!("{} more warning(s) not shown.", r.more_warnings);
    }
}

fn print_sync(report: &tootbridge::sync::SyncReport, json: bool, quiet: bool) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(report).expect("report serializes")
        );
        return;
    }
    if quiet {
        return;
    }
    let verb = if report.dry_run {
        "would change"
    } else {
        "synced"
    };
    for a in &report.accounts {
        if a.ok {
            println!(
                "{}: {verb}: {} added, {} edited, {} deleted; media {} fetched, {} failed{}; {} requests.",
                a.handle,
                a.added,
                a.edited,
                a.deleted,
                a.media_fetched,
                a.media_failed,
                if report.dry_run {
                    format!(", {} to fetch", a.media_pending)
                } else {
                    String::new()
                },
                a.requests
            );
            for (kind, n) in &a.skipped {
                println!("  skipped {n} item(s) of type {kind}");
            }
            if report.dry_run {
                for c in &a.changes {
                    println!("  {} {}", c.change.as_str(), c.id);
                }
            }
        } else {
            println!("{}: FAILED: {}", a.handle, a.errors.join("; "));
        }
    }
}

fn report_failure(report: &tootbridge::sync::SyncReport) -> Option<Error> {
    let failed = report.failed();
    if failed.is_empty() {
        return None;
    }
    let names: Vec<&str> = failed.iter().map(|a| a.handle.as_str()).collect();
    Some(Error::Other(format!(
        "sync failed for {} of {} account(s): {}",
        failed.len(),
        report.accounts.len(),
        names.join(", ")
    )))
}

/// The editorial part of `check`, one section per question an editor asks.
fn print_editorial(report: &tootbridge::editorial::EditorialReport, newest: usize) {
    let sections = [
        ("Hidden by the rules in site.toml", &report.hidden_by_rules),
        (
            "Hidden by content/overrides.toml",
            &report.hidden_by_override,
        ),
    ];
    for (title, toots) in sections {
        if !toots.is_empty() {
            println!("{title} ({}):", toots.len());
            for toot in toots.iter() {
                println!("  - {toot}");
            }
        }
    }
    if newest > 0 {
        println!(
            "Newest published toots ({} of at most {newest}):",
            report.newest.len()
        );
        for toot in &report.newest {
            println!("  - {toot}");
        }
    }
    for path in &report.drafts {
        println!("draft (shown by serve only): {path}");
    }
    for line in &report.ineffective {
        println!("warning: content/overrides.toml: toot {line}");
    }
}
