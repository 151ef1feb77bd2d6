//! Helpers shared by the integration tests: copies of the example site in
//! temporary folders, running the binary, reading the output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the example site).
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the example site's site.toml, content/ and themes/ into a fresh
/// temporary folder, so a test can change it freely.
pub(crate) fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    if repo().join("themes").exists() {
        copy_tree(&repo().join("themes"), &dir.path().join("themes"));
    }
    std::fs::copy(repo().join("site.toml"), dir.path().join("site.toml")).unwrap();
    dir
}

pub(crate) fn copy_tree(from: &Path, to: &Path) {
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
pub(crate) fn bin() -> PathBuf {
    std::env::var_os("TOOTBRIDGE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_tootbridge")))
}

/// Runs the tootbridge binary with `args` and returns its output.
pub(crate) fn tootbridge(args: &[&str]) -> Output {
    command().args(args).output().expect("the binary runs")
}

/// The binary as a `Command`, without the proxy and CA variables of the
/// machine running the tests (a test that wants them sets them).
pub(crate) fn command() -> Command {
    let mut command = Command::new(bin());
    command.env("NO_COLOR", "1");
    for var in NETWORK_VARS {
        command.env_remove(var);
    }
    command
}

pub(crate) const NETWORK_VARS: [&str; 10] = [
    "https_proxy",
    "HTTPS_PROXY",
    "http_proxy",
    "HTTP_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
];

/// Every file below `dir` as (relative path, bytes), sorted, the output's
/// bookkeeping files included.
pub(crate) fn every_file(dir: &Path) -> Vec<(String, Vec<u8>)> {
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

/// Every file below `dir` as (relative path, bytes), sorted.
/// The render record (`.tootbridge-render`) is left out: it holds the
/// output files' modification times by design, so it differs between two
/// builds of the same site. So is the toot index (`.tootbridge-toots`),
/// which holds the store files' times and inodes.
pub(crate) fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let bookkeeping = [
        tootbridge::testing::output::RENDER_RECORD,
        tootbridge::testing::output::TOOT_INDEX,
    ];
    every_file(dir)
        .into_iter()
        .filter(|(path, _)| {
            !bookkeeping
                .iter()
                .any(|b| path.rsplit('/').next() == Some(*b))
        })
        .collect()
}

pub(crate) fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The account every import test archive belongs to.
pub(crate) const ACTOR: &str = "https://social.example/users/news";
pub(crate) const AS_PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// A Mastodon export made on the fly: `outbox.json` from `items` (or a raw
/// text), `actor.json`, and any other files.
pub(crate) struct ArchiveBuilder {
    pub actor: serde_json::Value,
    pub items: Vec<serde_json::Value>,
    /// Replaces the generated outbox.json (for duplicate keys and the like).
    pub raw_outbox: Option<String>,
    pub declared_total: Option<u64>,
    pub files: Vec<(String, Vec<u8>)>,
}

impl ArchiveBuilder {
    pub(crate) fn new() -> Self {
        ArchiveBuilder {
            actor: serde_json::json!({
                "id": ACTOR,
                "type": "Person",
                "preferredUsername": "news",
                "name": "Beispielamt",
                "summary": "<p>Bio</p>",
                "url": "https://social.example/@news",
                "followers": format!("{ACTOR}/followers"),
                "outbox": "outbox.json",
                "icon": {"type": "Image", "mediaType": "image/png", "url": "avatar.png"},
                "image": {"type": "Image", "mediaType": "image/png", "url": "header.png"}
            }),
            items: Vec::new(),
            raw_outbox: None,
            declared_total: None,
            files: vec![
                ("avatar.png".into(), b"avatar-bytes".to_vec()),
                ("header.png".into(), b"header-bytes".to_vec()),
            ],
        }
    }

    pub(crate) fn item(mut self, item: serde_json::Value) -> Self {
        self.items.push(item);
        self
    }

    pub(crate) fn file(mut self, name: &str, bytes: &[u8]) -> Self {
        self.files.push((name.to_string(), bytes.to_vec()));
        self
    }

    fn entries(&self) -> Vec<(String, Vec<u8>)> {
        let outbox = self.raw_outbox.clone().unwrap_or_else(|| {
            serde_json::json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": "outbox.json",
                "type": "OrderedCollection",
                "totalItems": self.declared_total.unwrap_or(self.items.len() as u64),
                "orderedItems": self.items,
            })
            .to_string()
        });
        let mut entries = vec![
            ("outbox.json".to_string(), outbox.into_bytes()),
            (
                "actor.json".to_string(),
                self.actor.to_string().into_bytes(),
            ),
        ];
        entries.extend(self.files.iter().cloned());
        entries
    }

    /// Writes a zip (deflated, as Mastodon's are) to `path`.
    pub(crate) fn zip(&self, path: &Path) {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in self.entries() {
            zip.start_file(name, options).unwrap();
            zip.write_all(&bytes).unwrap();
        }
        zip.finish().unwrap();
    }

    /// Writes a gzipped tar whose entries sit below a top folder.
    pub(crate) fn tar_gz(&self, path: &Path) {
        let gz = flate2::write::GzEncoder::new(
            std::fs::File::create(path).unwrap(),
            flate2::Compression::fast(),
        );
        let mut tar = tar::Builder::new(gz);
        for (name, bytes) in self.entries() {
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, format!("archive/{name}"), &bytes[..])
                .unwrap();
        }
        tar.into_inner().unwrap().finish().unwrap();
    }

    /// Writes the unpacked folder.
    pub(crate) fn dir(&self, path: &Path) {
        for (name, bytes) in self.entries() {
            let target = path.join(name);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, bytes).unwrap();
        }
    }
}

/// A `Create` of a Note addressed as `visibility` (public, unlisted,
/// private or direct), as Mastodon's exports write it.
pub(crate) fn create_note(id: &str, visibility: &str, content: &str) -> serde_json::Value {
    let followers = format!("{ACTOR}/followers");
    let (to, cc) = match visibility {
        "public" => (vec![AS_PUBLIC.to_string()], vec![followers]),
        "unlisted" => (vec![followers], vec![AS_PUBLIC.to_string()]),
        "private" => (vec![followers], vec![]),
        "direct" => (vec!["https://other.example/users/anna".to_string()], vec![]),
        other => panic!("unknown visibility {other}"),
    };
    serde_json::json!({
        "id": format!("{ACTOR}/statuses/{id}/activity"),
        "type": "Create",
        "actor": ACTOR,
        "published": "2026-03-08T13:05:00Z",
        "to": to,
        "cc": cc,
        "object": {
            "id": format!("{ACTOR}/statuses/{id}"),
            "type": "Note",
            "summary": null,
            "inReplyTo": null,
            "published": "2026-03-08T13:05:00Z",
            "url": format!("https://social.example/@news/{id}"),
            "attributedTo": ACTOR,
            "to": to,
            "cc": cc,
            "sensitive": false,
            "content": format!("<p>{content}</p>"),
            "contentMap": {"de": format!("<p>{content}</p>")},
            "attachment": [],
            "tag": []
        }
    })
}

/// A new site for @news@social.example with `[select]` lines added.
pub(crate) fn import_site(select: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.toml"),
        format!(
            "title = \"Test\"\nbase_url = \"https://www.example.org/news/\"\n\n\
             [[accounts]]\nhandle = \"@news@social.example\"\n\n[select]\n{select}\n"
        ),
    )
    .unwrap();
    dir
}

/// Runs `tootbridge build --json` for `site` (into `output` when given) and
/// returns the JSON report; panics when the build fails.
pub(crate) fn build_json(site: &Path, output: Option<&Path>) -> serde_json::Value {
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
pub(crate) fn feed_files(dir: &Path) -> Vec<PathBuf> {
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
pub(crate) fn mtimes(dir: &Path) -> Vec<(PathBuf, std::time::SystemTime)> {
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
pub(crate) fn build_site(root: &Path) -> PathBuf {
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
pub(crate) struct Served {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
    pub addr: std::net::SocketAddr,
    log: PathBuf,
    _log_dir: tempfile::TempDir,
}

impl Served {
    /// Starts `serve --port 0` for `site` and waits for the address it prints.
    pub(crate) fn start(site: &Path) -> Served {
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
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub(crate) fn get(&self, path: &str) -> HttpResponse {
        http_get(self.addr, path, None)
    }

    /// Polls `path` until `done` holds (or panics after 15 s).
    pub(crate) fn wait_for(
        &self,
        path: &str,
        done: impl Fn(&HttpResponse) -> bool,
    ) -> HttpResponse {
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
pub(crate) struct HttpResponse {
    pub status: u16,
    /// Header lines, names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A minimal HTTP/1.1 GET to a loopback address (never anywhere else).
pub(crate) fn http_get(addr: std::net::SocketAddr, path: &str, host: Option<&str>) -> HttpResponse {
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
