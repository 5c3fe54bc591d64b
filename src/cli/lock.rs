//! One writer per report folder: a run takes an exclusive lock on a file
//! beside its `--out DIR` (`.DIR.ccsim-lock`) before simulating and holds it
//! until its files are written, so that a second run into the same folder
//! is refused at once, naming the first, instead of mixing its files in.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::exit::Error;

/// The lock of a report folder, released when dropped (or when the process
/// ends, however it ends).
#[derive(Debug)]
pub struct FolderLock {
    _file: File,
}

/// The lock file of `dir`: a hidden sibling, so that the folder itself can
/// be replaced whole while the lock is held.
fn lock_path(dir: &Path) -> PathBuf {
    let name = dir
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    parent.join(format!(".{name}.ccsim-lock"))
}

impl FolderLock {
    /// Takes the lock of `dir` (creating the folder's parent if needed),
    /// recording this process and its command line for whoever is refused.
    pub fn take(dir: &Path) -> Result<FolderLock, Error> {
        let path = lock_path(dir);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::Invalid(format!("cannot create {}: {e}", parent.display())))?;
        }
        let cannot =
            |e: std::io::Error| Error::Invalid(format!("cannot lock {}: {e}", path.display()));
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(cannot)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(Error::Invalid(format!(
                    "{} is being written by another ccsim run{}: wait until it has finished, or write elsewhere",
                    dir.display(),
                    if holder.is_empty() {
                        String::new()
                    } else {
                        format!(" ({holder})")
                    }
                )));
            }
            Err(TryLockError::Error(e)) => return Err(cannot(e)),
        }
        // Who holds it, for the message of a run refused.
        let command: Vec<String> = std::env::args().collect();
        let holder = format!("pid {}: {}", std::process::id(), command.join(" "));
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(holder.as_bytes()))
            .map_err(cannot)?;
        Ok(FolderLock { _file: file })
    }
}
