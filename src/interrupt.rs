//! Stopping cleanly on SIGINT (Ctrl-C) and SIGTERM (a CI job cancelled).
//!
//! The binary calls [`install`] once. From then on the first signal only
//! raises a flag; every writer asks [`check`] before it makes a temporary
//! file (see `fsutil`) and fails with [`Error::Interrupted`], so the error
//! unwinds through the ordinary paths: the output staging's `Drop` removes
//! what it staged and the staging mark, temporary files are removed by
//! theirs, and `main` exits with 128 + the signal number (130, 143). A
//! second signal ends the process at once, for when a run is stuck in a
//! request that will not finish. A command that writes nothing from some
//! point on (the preview server, after its sync) calls [`exit_at_once`], and
//! then the first signal ends it, as if no handler were installed.
//!
//! The flags are process-wide statics because a signal is process-wide: a
//! handler has no other place to put what it saw, and may only store to an
//! atomic. "A signal arrived" is written by the handlers only (there is no
//! setter), so tests and library users that never call [`install`] always
//! see "no signal".

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use crate::error::{Error, Result};

struct Flags {
    /// Set by [`exit_at_once`]: any signal ends the process.
    at_once: Arc<AtomicBool>,
    /// Set by the first signal; arms the immediate exit on the second.
    seen: Arc<AtomicBool>,
    /// The number of the last signal seen.
    signal: Arc<AtomicUsize>,
}

static FLAGS: OnceLock<Flags> = OnceLock::new();

/// Takes over SIGINT and SIGTERM as described at the top of this file.
/// Calling it again does nothing.
pub fn install() -> std::io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    if FLAGS.get().is_some() {
        return Ok(());
    }
    let flags = Flags {
        at_once: Arc::new(AtomicBool::new(false)),
        seen: Arc::new(AtomicBool::new(false)),
        signal: Arc::new(AtomicUsize::new(0)),
    };
    for signal in [SIGINT, SIGTERM] {
        // The order matters: actions run in the order registered, so the
        // second shutdown runs before `seen` is set and fires only on a
        // second signal.
        signal_hook::flag::register_conditional_shutdown(
            signal,
            128 + signal,
            Arc::clone(&flags.at_once),
        )?;
        signal_hook::flag::register_conditional_shutdown(
            signal,
            128 + signal,
            Arc::clone(&flags.seen),
        )?;
        signal_hook::flag::register_usize(signal, Arc::clone(&flags.signal), signal as usize)?;
        signal_hook::flag::register(signal, Arc::clone(&flags.seen))?;
    }
    let _ = FLAGS.set(flags);
    Ok(())
}

/// From now on SIGINT and SIGTERM end the process at once (exit 130/143):
/// for a command with nothing left to clean up.
pub fn exit_at_once() {
    if let Some(flags) = FLAGS.get() {
        flags.at_once.store(true, Ordering::SeqCst);
    }
}

/// The signal that arrived since [`install`], if any.
pub fn received() -> Option<i32> {
    let flags = FLAGS.get()?;
    if !flags.seen.load(Ordering::SeqCst) {
        return None;
    }
    i32::try_from(flags.signal.load(Ordering::SeqCst)).ok()
}

/// `Err(Error::Interrupted)` once a signal has arrived: writers call this
/// before each new temporary file, long loops between their steps.
pub fn check() -> Result<()> {
    match received() {
        Some(signal) => Err(Error::Interrupted { signal }),
        None => Ok(()),
    }
}

/// The exit status for an interrupted run: 128 + the signal number, as
/// shells report a process a signal ended.
pub fn exit_status(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(1)
}

pub use crate::error::signal_name;

#[cfg(test)]
mod tests;
