//! `tootbridge serve`: the editors' local preview with live reload.
//!
//! ```text
//! render_site (in memory, base_url = local address, drafts included)
//!     ──► HTTP on 127.0.0.1 ◄── watch (site.toml, content/, themes/) ──► rebuild ──► reload event
//! ```
//!
//! The stack is deliberately small, because it compiles on two cores and an
//! editor's laptop: `tiny_http` (a synchronous HTTP/1.1 server, no async
//! runtime) answers requests on a few worker threads, `notify` reports file
//! changes, and live reload is a server-sent event stream on the same origin
//! (`/__tootbridge/events`), one thread per open page. The site is the exact
//! output of [`crate::render_site_with`]; only HTML pages get the reload
//! script (see `serve/page.rs`), so what editors see is what `build` writes.
//!
//! A failed build does not stop the server: every page then shows the error
//! (file and line, as the terminal does) and reloads once a save fixes it.
//!
//! This file owns startup and rebuilds; `serve/http.rs` answers requests,
//! `serve/page.rs` holds the pure parts (script injection, error page, URL
//! lookup), `serve/watch.rs` the file watcher.

mod http;
mod page;
mod watch;

use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::render::Body;

/// Request handler threads (event streams get their own).
const WORKERS: usize = 4;
/// Open event streams at most (one per open browser tab).
const MAX_STREAMS: usize = 64;
/// An event stream sends a comment this often, to notice closed tabs.
const PING: Duration = Duration::from_secs(15);

/// What `serve` needs to know.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port (the address is printed).
    pub port: u16,
    /// Open the preview in the default browser.
    pub open: bool,
}

/// One build: the site, or why it failed.
enum Outcome {
    Site(HashMap<String, Body>),
    Failed(String),
}

struct Built {
    generation: u64,
    outcome: Outcome,
}

struct Shared {
    built: RwLock<Arc<Built>>,
    generation: Mutex<u64>,
    changed: Condvar,
    streams: AtomicUsize,
    /// Host header values accepted (loopback binds only: guards the preview
    /// against DNS rebinding by a web page open in the same browser).
    hosts: Option<Vec<String>>,
}

/// Runs the preview until the process is stopped.
pub fn serve(options: &ServeOptions) -> Result<()> {
    let root = options
        .root
        .canonicalize()
        .map_err(|e| Error::io(&options.root, e))?;
    let site_toml = root.join(crate::config::FILE_NAME);
    if !site_toml.is_file() {
        return Err(Error::Other(format!(
            "{} does not exist: serve previews a site folder (create one with `tootbridge init`)",
            site_toml.display()
        )));
    }
    let listener = bind(options.bind, options.port)?;
    let local = listener
        .local_addr()
        .map_err(|e| Error::Other(format!("cannot read the bound address: {e}")))?;
    let base = base_url(local);
    let server = Arc::new(
        tiny_http::Server::from_listener(listener, None)
            .map_err(|e| Error::Other(format!("cannot start the preview server: {e}")))?,
    );
    let hosts = options.bind.is_loopback().then(|| {
        let port = local.port();
        let own = base.trim_start_matches("http://").to_string();
        let own_host = own.rsplit_once(':').map(|(h, _)| h.to_string());
        ["localhost".to_string(), "127.0.0.1".into(), "[::1]".into()]
            .into_iter()
            .flat_map(|h| [format!("{h}:{port}"), h])
            .chain([own])
            .chain(own_host)
            .collect()
    });
    // Builds are numbered from the start time, so a page left open across a
    // restart of `serve` sees a newer build and reloads.
    let first = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let shared = Arc::new(Shared {
        built: RwLock::new(Arc::new(Built {
            generation: first,
            outcome: Outcome::Failed("starting".into()),
        })),
        generation: Mutex::new(first),
        changed: Condvar::new(),
        streams: AtomicUsize::new(0),
        hosts,
    });
    let mut warnings = Vec::new();
    rebuild(&root, &base, &shared, &mut warnings);
    let mut changes = watch::Changes::new(&root)?;
    for _ in 0..WORKERS {
        let server = Arc::clone(&server);
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                http::handle(request, &shared);
            }
        });
    }
    if !options.bind.is_loopback() {
        tracing::warn!(
            "bound to {}: other machines can see this preview, drafts included",
            options.bind
        );
    }
    println!(
        "Serving {} at {base}/ (drafts included, live reload on). Press Ctrl+C to stop.",
        root.display()
    );
    let _ = std::io::stdout().flush();
    if options.open {
        open_browser(&format!("{base}/"));
    }
    while changes.wait() {
        rebuild(&root, &base, &shared, &mut warnings);
    }
    Err(Error::Other(format!(
        "watching {} stopped; restart `tootbridge serve`",
        root.display()
    )))
}

fn bind(ip: IpAddr, port: u16) -> Result<TcpListener> {
    TcpListener::bind(SocketAddr::new(ip, port)).map_err(|e| {
        let address = SocketAddr::new(ip, port);
        Error::Other(match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "port {port} on {ip} is already in use (another `tootbridge serve`?); \
                 stop that program or choose another port with --port"
            ),
            std::io::ErrorKind::PermissionDenied => {
                format!("not allowed to listen on {address}; choose a port above 1023 with --port")
            }
            _ => format!("cannot listen on {address}: {e}"),
        })
    })
}

/// The address browsers use: an unspecified bind (0.0.0.0) means loopback.
fn base_url(local: SocketAddr) -> String {
    match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("http://127.0.0.1:{}", local.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("http://[::1]:{}", local.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}", local.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}", local.port()),
    }
}

/// Renders the site and swaps it in, then wakes the event streams.
fn rebuild(root: &Path, base: &str, shared: &Shared, last_warnings: &mut Vec<String>) {
    let started = Instant::now();
    let generation = *lock(&shared.generation) + 1;
    let options = crate::RenderOptions {
        base_url: Some(format!("{base}/")),
        drafts: true,
    };
    let outcome = match crate::render_site_with(root, &options) {
        Ok(site) => {
            if site.warnings != *last_warnings {
                for warning in &site.warnings {
                    tracing::warn!("{warning}");
                }
                *last_warnings = site.warnings;
            }
            tracing::info!(
                "built {} toots, {} files in {} ms",
                site.published,
                site.files.len(),
                started.elapsed().as_millis()
            );
            let files = site
                .files
                .into_iter()
                .map(|f| {
                    let body = match f.body {
                        Body::Bytes(bytes) if f.path.ends_with(".html") => {
                            let html = String::from_utf8_lossy(&bytes);
                            Body::Bytes(page::inject_reload(&html, generation).into_bytes())
                        }
                        other => other,
                    };
                    (f.path, body)
                })
                .collect();
            Outcome::Site(files)
        }
        Err(e) => {
            tracing::error!("build failed: {e}");
            last_warnings.clear();
            Outcome::Failed(e.to_string())
        }
    };
    *shared.built.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(Built {
        generation,
        outcome,
    });
    *lock(&shared.generation) = generation;
    shared.changed.notify_all();
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    if let Err(e) = command.arg(url).spawn() {
        tracing::warn!("could not open a browser ({e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests;
