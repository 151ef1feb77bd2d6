//! Small file-system helpers shared by the two writers (store and output).

use std::fs;
use std::path::Path;

use crate::error::{Error, Result};

/// Writes `bytes` to a temporary file next to `path`, then renames it over
/// `path`: readers see the old or the new file, never a torn one, even if the
/// process is killed. `durable` also flushes the file to the device first
/// (store files, which are the only copy; output files can be rebuilt).
pub fn write_atomic(path: &Path, bytes: &[u8], durable: bool) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tmp = temp_path(path);
    let result = (|| {
        use std::io::Write;
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        if durable {
            file.sync_all()?;
        }
        fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// The temporary name next to `path` that this process writes it under
/// (`.<name>.tmp-<pid>`); [`remove_stale_temps`] recognises it.
pub fn temp_path(path: &Path) -> std::path::PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    dir.join(format!(".{name}.tmp-{}", std::process::id()))
}

/// Removes the temporary files [`write_atomic`] leaves behind when a process
/// is killed between creating and renaming one (`.<name>.tmp-<pid>`), below
/// `dir`. Files of a process that still runs are left alone, so two runs on
/// the same folder do not break each other's writes.
pub fn remove_stale_temps(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(pid) = entry.file_name().to_str().and_then(temp_owner) else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The process id in a temporary file name written by [`write_atomic`].
fn temp_owner(name: &str) -> Option<u32> {
    let (stem, pid) = name.strip_prefix('.')?.rsplit_once(".tmp-")?;
    if stem.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` runs; where that cannot be told (no `/proc`), it is
/// assumed to, and its files are kept.
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_temporary_names_count() {
        assert_eq!(temp_owner(".index.html.tmp-1234"), Some(1234));
        assert_eq!(temp_owner("index.html.tmp-1234"), None);
        assert_eq!(temp_owner(".index.html.tmp-"), None);
        assert_eq!(temp_owner(".tmp-12"), None);
        assert_eq!(temp_owner(".a.tmp-12x"), None);
    }

    #[test]
    fn stale_temps_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        fs::create_dir_all(&sub).unwrap();
        // No process has this id (above the kernel's pid_max).
        let stale = sub.join(".page.html.tmp-4294967295");
        let live = sub.join(format!(".page.html.tmp-{}", std::process::id()));
        let other = sub.join(".page.html");
        for path in [&stale, &live, &other] {
            fs::write(path, b"x").unwrap();
        }
        remove_stale_temps(dir.path());
        assert!(!stale.exists() || !Path::new("/proc/self").exists());
        assert!(live.exists() && other.exists());
    }
}
