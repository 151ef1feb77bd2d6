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
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
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
