//! Files written whole or not at all: a reader never sees half a file, and
//! an existing file is only ever replaced by a complete one. Every output
//! of ccsim goes through here.

use std::io::Write;
use std::path::Path;

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
