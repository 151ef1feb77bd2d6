//! What the binary shows on standard error while it works: a spinner line on
//! a terminal (indicatif), nothing when standard error is not one (CI gets
//! the plain log lines instead), and the log lines, written around the
//! spinner so the two never garble each other.

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressStyle};
use tootbridge::{Progress, ProgressEvent};

/// A spinner when standard error is a terminal and output is wanted,
/// otherwise a hidden bar that draws nothing.
pub(crate) fn bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {prefix} {msg}").expect("static template parses"),
    );
    bar
}

/// Sync progress drawn on `bar`.
pub(crate) fn progress_to(bar: &ProgressBar) -> Progress {
    let bar = bar.clone();
    Progress::new(move |event| match event {
        ProgressEvent::Account {
            handle,
            index,
            total,
        } => {
            bar.set_prefix(format!("{handle} ({index}/{total})"));
            bar.set_message("looking up");
            bar.tick();
        }
        ProgressEvent::Listed { toots } => bar.set_message(format!("{toots} toots listed")),
        ProgressEvent::Media { done, total } => bar.set_message(format!("media {done}/{total}")),
    })
}

/// Log output that first lifts the spinner out of the way.
pub(crate) struct BarWriter(pub ProgressBar);

impl Write for BarWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.suspend(|| std::io::stderr().write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// Log lines on standard error, coloured only on a terminal and never with
/// `NO_COLOR` set (<https://no-color.org>).
pub(crate) fn init_logging(verbose: u8, quiet: bool, bar: &ProgressBar) {
    let level = match (quiet, verbose) {
        (true, _) => tracing::Level::ERROR,
        (false, 0) => tracing::Level::INFO,
        (false, 1) => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_target(false)
        .without_time()
        .with_ansi(std::io::stderr().is_terminal() && !no_color)
        .with_writer({
            let bar = bar.clone();
            move || BarWriter(bar.clone())
        })
        .init();
}
