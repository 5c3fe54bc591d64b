//! JSON output, written atomically.

use std::io::Write;
use std::path::Path;

use super::summary::Summary;

/// The summary as pretty-printed JSON.
pub fn to_json(summary: &Summary) -> String {
    // Serialising plain maps of numbers cannot fail.
    serde_json::to_string_pretty(summary).unwrap_or_default() + "\n"
}

/// Writes the summary as [`to_json`] does, straight into `path` (atomically),
/// without holding the whole text in memory: a five-year run's summary is
/// hundreds of megabytes.
pub fn write_summary(path: &Path, summary: &Summary) -> std::io::Result<()> {
    write_atomically_with(path, &mut |file| {
        let mut w = std::io::BufWriter::new(file);
        serde_json::to_writer_pretty(&mut w, summary)?;
        w.write_all(b"\n")?;
        w.flush()
    })
}

/// Writes `contents` to `path` through a temporary file in the same folder and
/// a rename, so that a reader never sees a half-written file and an existing
/// file is only replaced by a complete one.
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    write_atomically_with(path, &mut |file| file.write_all(contents))
}

/// As [`write_atomically`], with the contents written by `fill` into the
/// temporary file; nothing replaces `path` unless `fill` succeeds.
pub fn write_atomically_with(
    path: &Path,
    fill: &mut dyn FnMut(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    fill(tmp.as_file_mut())?;
    // Temporary files are private (0600); a report is meant to be shared, so
    // it gets the replaced file's permissions, or the usual 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let permissions = std::fs::metadata(path)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
        tmp.as_file().set_permissions(permissions)?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
