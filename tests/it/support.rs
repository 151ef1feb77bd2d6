//! Helpers shared by the integration tests: copies of the example site in
//! temporary folders, running the binary, reading the output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the example site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the example site's site.toml, content/ and themes/ into a fresh
/// temporary folder, so a test can change it freely.
pub fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    if repo().join("themes").exists() {
        copy_tree(&repo().join("themes"), &dir.path().join("themes"));
    }
    std::fs::copy(repo().join("site.toml"), dir.path().join("site.toml")).unwrap();
    dir
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The binary under test. `TOOTBRIDGE_BIN` overrides Cargo's path, for
/// checkouts that share one target folder (where another checkout's build
/// can replace `target/debug/tootbridge` while these tests run).
pub fn bin() -> PathBuf {
    std::env::var_os("TOOTBRIDGE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_tootbridge")))
}

/// Runs the tootbridge binary with `args` and returns its output.
pub fn tootbridge(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// Every file below `dir` as (relative path, bytes), sorted.
pub fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `tootbridge build --json` for `site` (into `output` when given) and
/// returns the JSON report; panics when the build fails.
pub fn build_json(site: &Path, output: Option<&Path>) -> serde_json::Value {
    let mut args = vec!["--root", site.to_str().unwrap(), "build", "--json"];
    if let Some(out) = output {
        args.extend(["--output", out.to_str().unwrap()]);
    }
    let out = tootbridge(&args);
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("--json prints a report")
}

/// Every feed file below `dir` (`feed.xml`, `atom.xml`, `feed.json`), sorted.
pub fn feed_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n == "feed.xml" || n == "atom.xml" || n == "feed.json")
        })
        .collect();
    files.sort();
    files
}

/// Modification time of every file below `dir`.
pub fn mtimes(dir: &Path) -> Vec<(PathBuf, std::time::SystemTime)> {
    let mut out: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().to_path_buf(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Builds the site at `root` into `root/public` through the library. Tests
/// that only need the output use this instead of the binary: the binary's
/// path is shared by every worktree that builds into the same target folder.
pub fn build_site(root: &Path) -> PathBuf {
    let options = tootbridge::BuildOptions {
        root: root.to_path_buf(),
        output: Some(root.join("public")),
        base_url: None,
    };
    if let Err(e) = tootbridge::build(&options) {
        panic!("build of {} failed: {e:#}", root.display());
    }
    root.join("public")
}

/// A `tootbridge serve` child on a free loopback port, stopped on drop.
/// Its log (standard error) goes to a file the test can read.
pub struct Served {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
    pub addr: std::net::SocketAddr,
    log: PathBuf,
    _log_dir: tempfile::TempDir,
}

impl Served {
    /// Starts `serve --port 0` for `site` and waits for the address it prints.
    pub fn start(site: &Path) -> Served {
        use std::io::BufRead;
        let log_dir = tempfile::tempdir().unwrap();
        let log = log_dir.path().join("serve.log");
        let mut child = Command::new(bin())
            .args(["--root", site.to_str().unwrap(), "serve", "--port", "0"])
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("the binary runs");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://127.0.0.1:"))
            .map(|w| w.trim_end_matches('/').to_string())
            .unwrap_or_else(|| {
                let _ = child.kill();
                panic!("serve printed {line:?}; log: {}", read(&log))
            });
        let addr = base.trim_start_matches("http://").parse().unwrap();
        Served {
            child,
            base,
            addr,
            log,
            _log_dir: log_dir,
        }
    }

    /// What the server logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn get(&self, path: &str) -> HttpResponse {
        http_get(self.addr, path, None)
    }

    /// Polls `path` until `done` holds (or panics after 15 s).
    pub fn wait_for(&self, path: &str, done: impl Fn(&HttpResponse) -> bool) -> HttpResponse {
        let start = std::time::Instant::now();
        loop {
            let response = self.get(path);
            if done(&response) {
                return response;
            }
            if start.elapsed() > std::time::Duration::from_secs(15) {
                panic!(
                    "{path} did not change as expected: {} {}\nlog: {}",
                    response.status,
                    response.body,
                    self.log()
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    /// Header lines, names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A minimal HTTP/1.1 GET to a loopback address (never anywhere else).
pub fn http_get(addr: std::net::SocketAddr, path: &str, host: Option<&str>) -> HttpResponse {
    use std::io::{Read, Write};
    assert!(addr.ip().is_loopback(), "tests only talk to loopback");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let host = host.map(str::to_string).unwrap_or_else(|| addr.to_string());
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    HttpResponse {
        status,
        headers,
        body: body.to_string(),
    }
}
