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
/// one `tootbridge-<command>.1` per command, which the first refers to.
/// Returns the files written, sorted.
pub fn write_man_pages(command: clap::Command, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    clap_mangen::generate_to(command, dir).map_err(|e| Error::io(dir, e))?;
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.extension().is_some_and(|x| x == "1") {
            pages.push(path);
        }
    }
    pages.sort();
    Ok(pages)
}

fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("<stdout>", e))
}
