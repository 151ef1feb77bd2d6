//! The crate's error type. Every variant names the file, key or URL at fault,
//! so the one line `main` prints is enough to find and fix the problem.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A problem in site.toml; `line` is 1-based when known.
    #[error("{}: {message}", location(path, *line))]
    Config {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },

    /// A store file that cannot be read as our schema.
    #[error("{}: {message}", path.display())]
    Store { path: PathBuf, message: String },

    /// A template that does not parse or render.
    #[error("template {name}: {message}")]
    Template { name: String, message: String },

    /// Anything else that went wrong reading or writing a file.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A request to an instance or media host that failed; `status` is the
    /// HTTP status when the server answered at all.
    #[error("{url}: {message}")]
    Http {
        url: String,
        status: Option<u16>,
        message: String,
    },

    /// The site references something outside the site (privacy rule).
    #[error("{0}")]
    Privacy(String),

    /// SIGINT or SIGTERM arrived; the run stopped at its next write and
    /// removed what it had staged (see `interrupt.rs`).
    #[error(
        "interrupted by {}; stopped at the next write and removed its temporary files \
         (a build leaves the previous output as it was, a sync or import complete toots only)",
        signal_name(*signal)
    )]
    Interrupted { signal: i32 },

    #[error("{0}")]
    Other(String),
}

fn location(path: &std::path::Path, line: Option<usize>) -> String {
    match line {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    }
}

/// The name of a signal `interrupt.rs` handles, for messages.
pub fn signal_name(signal: i32) -> &'static str {
    match signal {
        signal_hook::consts::SIGINT => "SIGINT",
        signal_hook::consts::SIGTERM => "SIGTERM",
        _ => "a signal",
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The HTTP status of a failed request, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Http { status, .. } => *status,
            _ => None,
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Flattens a Tera error chain into one line; Tera hides the useful part
/// (which variable, which filter) in the sources.
pub(crate) fn tera_message(err: &tera::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    message
}
