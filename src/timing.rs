//! Phase timings of a build, logged at debug level (`-v`), so a slow
//! rebuild can be taken apart without a profiler: each lap logs the time
//! since the previous one.

use std::time::Instant;

/// Laps of one command, each logged as it ends.
pub(crate) struct Laps {
    what: &'static str,
    last: Instant,
}

impl Laps {
    pub(crate) fn start(what: &'static str) -> Self {
        Laps {
            what,
            last: Instant::now(),
        }
    }

    /// Logs the time since the last lap under `phase`.
    pub(crate) fn lap(&mut self, phase: &str) {
        let now = Instant::now();
        let ms = now.duration_since(self.last).as_secs_f64() * 1000.0;
        tracing::debug!("{}: {phase} {ms:.1} ms", self.what);
        self.last = now;
    }
}
