//! The `tootbridge` binary: parse the command line (bad values are usage
//! errors, exit 2, from clap), set up logging and signal handling, call one
//! library function per command, print its report (`report.rs`) and the
//! error once. Exit 0 ok, 1 failure, 2 wrong usage, 130/143 after SIGINT/
//! SIGTERM.

mod cli;
mod progress;
mod report;

use std::process::ExitCode;

use clap::Parser;
use indicatif::ProgressBar;
use tootbridge::error::Result;
use tootbridge::{compose, interrupt};

// Rendering makes many small short-lived allocations (template values,
// strings); mimalloc handles them with far less time than the system
// allocator (see the commit that added it for the measurement).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let bar = progress::bar(cli.quiet);
    progress::init_logging(cli.verbose, cli.quiet, &bar);
    if let Err(e) = interrupt::install() {
        tracing::warn!("SIGINT/SIGTERM will not clean up: {e}");
    }
    let result = run(cli, &bar);
    bar.finish_and_clear();
    match (result, interrupt::received()) {
        (Ok(()), None) => ExitCode::SUCCESS,
        (Ok(()), Some(signal)) => {
            let name = interrupt::signal_name(signal);
            eprintln!("interrupted by {name} after the command had finished its writes");
            ExitCode::from(interrupt::exit_status(signal))
        }
        // Whatever failed after a signal, the run was interrupted.
        (Err(err), signal) => {
            eprintln!("error: {err}");
            signal.map_or(ExitCode::FAILURE, |s| {
                ExitCode::from(interrupt::exit_status(s))
            })
        }
    }
}

fn run(cli: cli::Cli, bar: &ProgressBar) -> Result<()> {
    use cli::Command;
    let out = report::Out::new(cli.quiet, bar);
    let root = cli.root;
    let sync_options = |full, dry_run| tootbridge::SyncOptions {
        root: root.clone(),
        full,
        dry_run,
        progress: progress::progress_to(bar),
        ..Default::default()
    };
    match cli.command {
        Command::Completions { shell } => {
            tootbridge::manual::print_completions(cli::command(), shell)
        }
        Command::Man { dir } => {
            out.paths(tootbridge::manual::write_man_pages(cli::command(), &dir))
        }
        Command::Init {
            dir,
            account,
            title,
            eject_theme,
            ci,
        } => {
            let options = tootbridge::InitOptions {
                dir: dir.unwrap_or_else(|| root.clone()),
                account,
                title,
                eject_theme,
                ci: ci.map(Into::into),
            };
            out.init(&options, &tootbridge::init(&options)?);
            Ok(())
        }
        Command::Sync {
            json,
            dry_run,
            full,
        } => {
            let report = tootbridge::sync(&sync_options(full, dry_run))?;
            out.json(json).sync(&report);
            report.failure().map_or(Ok(()), Err)
        }
        Command::Build {
            sync,
            output,
            base_url,
            json,
        } => {
            let options = tootbridge::BuildOptions {
                root: root.clone(),
                output,
                base_url,
            };
            let synced = sync.then(|| sync_options(false, false));
            let run = compose::build(&options, synced.as_ref())?;
            out.json(json).build(&run);
            run.outcome()
        }
        Command::Serve {
            port,
            bind,
            open,
            sync,
        } => {
            let options = tootbridge::ServeOptions {
                root: root.clone(),
                bind,
                port,
                open,
            };
            let synced = sync.then(|| sync_options(false, false));
            compose::serve(&options, synced.as_ref(), |r| out.before_serve(r))
        }
        Command::Import {
            archive,
            account,
            dry_run,
            online,
            json,
        } => out
            .json(json)
            .import(tootbridge::import(&tootbridge::ImportOptions {
                root,
                archive,
                account,
                dry_run,
                online,
                progress: progress::progress_to(bar),
            })),
        Command::Check {
            newest,
            strict,
            json,
        } => out
            .json(json)
            .check(tootbridge::check_with(&root, newest), newest, strict),
    }
}
