//! Files written whole or not at all: a reader never sees half a file, and
//! an existing file is only ever replaced by a complete one; a report folder
//! is replaced as a set. Every output of ccsim goes through here.
//!
//! Temporary files and folders carry the writer's process id in their name
//! (`.NAME.ccsim-tmp-PID-…`, `.DIR.ccsim-new-PID-…`), so that those left by a
//! killed ccsim are recognised and removed by the next write of the same
//! file or folder, and never those of a writer still running.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `contents` to `path` through a temporary file in the same folder and
/// a rename, so that a reader never sees a half-written file and an existing
/// file is only replaced by a complete one.
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    write_atomically_with(path, &mut |file| file.write_all(contents))
}

/// The folder a path lives in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// `.NAME.ccsim-KIND-`: the start of the temporaries of `path`.
fn temporary_prefix(path: &Path, kind: &str) -> OsString {
    let mut prefix = OsString::from(".");
    prefix.push(path.file_name().unwrap_or_default());
    prefix.push(format!(".ccsim-{kind}-"));
    prefix
}

/// Whether a process with this id is running (Linux; elsewhere every
/// process is taken to run, so nothing is removed).
fn running(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// The temporaries of `path` (files or folders named by `temporary_prefix`)
/// whose writer is no longer running.
fn stale_temporaries(path: &Path, kind: &str) -> Vec<PathBuf> {
    let prefix = temporary_prefix(path, kind);
    let prefix = prefix.to_string_lossy();
    let Ok(entries) = std::fs::read_dir(folder_of(path)) else {
        return Vec::new();
    };
    let mut stale: Vec<PathBuf> = entries
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().to_string_lossy().into_owned();
            let pid: u32 = name
                .strip_prefix(prefix.as_ref())?
                .split('-')
                .next()?
                .parse()
                .ok()?;
            (pid != std::process::id() && !running(pid)).then(|| e.path())
        })
        .collect();
    stale.sort();
    stale
}

/// As [`write_atomically`], with the contents written by `fill` into the
/// temporary file; nothing replaces `path` unless `fill` succeeds. Temporary
/// files of `path` left by a killed ccsim are removed first.
pub fn write_atomically_with(
    path: &Path,
    fill: &mut dyn FnMut(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut tmp = temporary_for(path)?;
    fill(tmp.as_file_mut())?;
    persist(tmp, path)
}

/// A temporary file in `path`'s folder, named after `path` and this process
/// (so that one left by a killed ccsim is recognised), for a file written as
/// a stream and put in place by [`persist`] when complete; dropped without
/// [`persist`], it is removed. Temporary files of `path` left by a killed
/// ccsim are removed first.
pub fn temporary_for(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    for stale in stale_temporaries(path, "tmp") {
        let _ = std::fs::remove_file(stale);
    }
    let mut prefix = temporary_prefix(path, "tmp");
    prefix.push(format!("{}-", std::process::id()));
    tempfile::Builder::new()
        .prefix(&prefix)
        .tempfile_in(folder_of(path))
}

/// Puts the complete temporary file `tmp` (from [`temporary_for`]) in
/// `path`'s place in one rename, with the replaced file's permissions (or
/// the usual 0644: temporary files are private, a report is meant to be shared).
pub fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> std::io::Result<()> {
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

/// Replaces the folder `dir` as a set: `build` writes the new contents into
/// a temporary sibling folder, which then takes `dir`'s place in one atomic
/// exchange (Linux; elsewhere two renames), so that a reader, or a kill at
/// any moment, sees the old set or the new one, never a mix. Entries of the
/// old folder that `ours` does not claim (a planner's own notes) are carried
/// into the new one. Temporary folders of `dir` left by a killed ccsim are
/// cleaned first, their carried entries put back.
pub fn replace_dir(
    dir: &Path,
    ours: &dyn Fn(&str) -> bool,
    build: &mut dyn FnMut(&Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let parent = folder_of(dir);
    std::fs::create_dir_all(parent)?;
    for stale in stale_temporaries(dir, "new") {
        restore(&stale, dir, ours)?;
        std::fs::remove_dir_all(&stale)?;
    }
    let mut prefix = temporary_prefix(dir, "new");
    prefix.push(format!("{}-", std::process::id()));
    let new = tempfile::Builder::new()
        .prefix(&prefix)
        .tempdir_in(parent)?
        .keep();
    #[cfg(unix)]
    {
        // A report folder is meant to be shared, as its files are.
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir).map_or(0o755, |m| m.permissions().mode());
        std::fs::set_permissions(&new, std::fs::Permissions::from_mode(mode))?;
    }
    let done = build(&new).and_then(|()| {
        if std::fs::symlink_metadata(dir).is_ok() {
            carry_over(dir, &new, ours)?;
            exchange(&new, dir)?;
        } else {
            std::fs::rename(&new, dir)?;
        }
        Ok(())
    });
    // After the exchange `new` holds the old set; after a failure, a part of
    // the new one. Either way it goes.
    if std::fs::symlink_metadata(&new).is_ok() {
        let _ = std::fs::remove_dir_all(&new);
    }
    done
}

/// Puts the entries of `old` that `ours` does not claim into `new`: files as
/// hard links (the old folder keeps them until it is removed, so a kill
/// loses nothing), anything else moved.
fn carry_over(old: &Path, new: &Path, ours: &dyn Fn(&str) -> bool) -> std::io::Result<()> {
    for e in std::fs::read_dir(old)? {
        let e = e?;
        let name = e.file_name();
        let text = name.to_string_lossy();
        if ours(&text) || is_temporary(&text) || std::fs::symlink_metadata(new.join(&name)).is_ok()
        {
            continue;
        }
        let (from, to) = (e.path(), new.join(&name));
        if e.file_type()?.is_file() && std::fs::hard_link(&from, &to).is_ok() {
            continue;
        }
        std::fs::rename(&from, &to)?;
    }
    Ok(())
}

/// After a kill between [`carry_over`] and the exchange, a stale temporary
/// folder holds entries moved out of `dir`: they go back where they were.
fn restore(stale: &Path, dir: &Path, ours: &dyn Fn(&str) -> bool) -> std::io::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for e in std::fs::read_dir(stale)? {
        let e = e?;
        let name = e.file_name();
        let text = name.to_string_lossy();
        // A killed build leaves its half-written files there too: they were
        // never the planner's, so they go with the folder.
        if !ours(&text)
            && !is_temporary(&text)
            && std::fs::symlink_metadata(dir.join(&name)).is_err()
        {
            std::fs::rename(e.path(), dir.join(&name))?;
        }
    }
    Ok(())
}

/// Whether a name is one of ccsim's temporaries (`.NAME.ccsim-tmp-…` or
/// `.NAME.ccsim-new-…`).
fn is_temporary(name: &str) -> bool {
    name.starts_with('.') && (name.contains(".ccsim-tmp-") || name.contains(".ccsim-new-"))
}

/// Exchanges two paths in one step where the system can (Linux's
/// `renameat2(RENAME_EXCHANGE)`), else by two renames.
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // A file system without the exchange falls back to two renames.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(e.into()),
        }
    }
    let aside = a.with_extension("ccsim-old");
    std::fs::rename(b, &aside)?;
    std::fs::rename(a, b)?;
    std::fs::rename(&aside, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_replaced_as_a_set_and_foreign_files_stay() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("report");
        std::fs::create_dir_all(dir.join("charts")).unwrap();
        std::fs::write(dir.join("summary.json"), "old").unwrap();
        std::fs::write(dir.join("charts/a.svg"), "old chart").unwrap();
        std::fs::write(dir.join("notes.txt"), "mine").unwrap();
        std::fs::create_dir(dir.join("drafts")).unwrap();
        std::fs::write(dir.join("drafts/x"), "draft").unwrap();
        let ours = |n: &str| matches!(n, "summary.json" | "charts");
        replace_dir(&dir, &ours, &mut |new| {
            std::fs::write(new.join("summary.json"), "new")
        })
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("summary.json")).unwrap(),
            "new"
        );
        // The old set is gone whole: its chart is not carried over.
        assert!(!dir.join("charts").exists());
        assert_eq!(
            std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
            "mine"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("drafts/x")).unwrap(),
            "draft"
        );
        // Nothing is left beside it.
        let left: Vec<_> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, [std::ffi::OsString::from("report")]);
    }

    #[test]
    fn a_failed_build_leaves_the_old_set() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("report");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("summary.json"), "old").unwrap();
        let err = replace_dir(&dir, &|_| true, &mut |new| {
            std::fs::write(new.join("summary.json"), "half")?;
            Err(std::io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(
            std::fs::read_to_string(dir.join("summary.json")).unwrap(),
            "old"
        );
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
    }

    #[test]
    fn temporaries_of_a_dead_writer_are_cleaned() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("x.json");
        // No process has id 4294967 (above Linux's pid_max).
        let stale = root.path().join(".x.json.ccsim-tmp-4294967-abc");
        std::fs::write(&stale, "half").unwrap();
        let other = root.path().join(".y.json.ccsim-tmp-4294967-abc");
        std::fs::write(&other, "another file's").unwrap();
        write_atomically(&file, b"whole").unwrap();
        assert!(!stale.exists());
        assert!(other.exists());
        // A stale folder: its carried-over entry goes back.
        let dir = root.path().join("report");
        std::fs::create_dir_all(&dir).unwrap();
        let stale_dir = root.path().join(".report.ccsim-new-4294967-abc");
        std::fs::create_dir_all(&stale_dir).unwrap();
        std::fs::write(stale_dir.join("summary.json"), "half").unwrap();
        std::fs::write(stale_dir.join("notes.txt"), "mine").unwrap();
        // A file the killed writer was writing inside it is not the planner's.
        let half = ".days.csv.ccsim-tmp-4294967-abc";
        std::fs::write(stale_dir.join(half), "half").unwrap();
        replace_dir(&dir, &|n| n == "summary.json", &mut |new| {
            std::fs::write(new.join("summary.json"), "new")
        })
        .unwrap();
        assert!(!stale_dir.exists());
        assert_eq!(
            std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
            "mine"
        );
        assert!(!dir.join(half).exists());
    }
}
