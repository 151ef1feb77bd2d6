//! Shell completions and the man page, both generated from the clap
//! definition of the command line, so they cannot drift from `--help`.
//! `tootbridge completions <shell>` prints the first (the convention of
//! ripgrep, cargo and gh); the hidden `tootbridge man DIR` writes the second
//! (one page per command) for the Debian package (see scripts/package/deb.sh).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub use clap_complete::Shell;

/// Writes the completion script for `shell` to standard output.
pub fn print_completions(mut command: clap::Command, shell: Shell) -> Result<()> {
    let mut script = Vec::new();
    let name = command.get_name().to_string();
    clap_complete::generate(shell, &mut command, name, &mut script);
    write_stdout(&script)
}

/// Writes the man pages (roff, section 1) into `dir`: `tootbridge.1` and
/// one `tootbridge-<command>.1` per command that `--help` lists, which the
/// first refers to. Each page is rendered in memory and written with the
/// atomic-write helper, so a killed run leaves whole pages only. Returns the
/// files written, sorted.
pub fn write_man_pages(command: clap::Command, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut command = command.disable_help_subcommand(true);
    command.build();
    let mut pages = Vec::new();
    write_pages(command, dir, &mut pages)?;
    pages.sort();
    Ok(pages)
}

/// The page of `command` and, first, those of its visible subcommands.
fn write_pages(command: clap::Command, dir: &Path, pages: &mut Vec<PathBuf>) -> Result<()> {
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub.clone(), dir, pages)?;
    }
    let man = clap_mangen::Man::new(command);
    let path = dir.join(man.get_filename());
    let mut roff = Vec::new();
    man.render(&mut roff).map_err(|e| Error::io(&path, e))?;
    crate::fsutil::write_atomic(&path, &roff, false)?;
    pages.push(path);
    Ok(())
}

fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("<stdout>", e))
}
