//! No lost work, found before any work: before a command simulates
//! anything, it lists the files it would write, checks that each can be
//! written (a folder that exists, is a folder and takes files), takes the
//! lock of its report folder, and refuses to start when an earlier run's
//! file would be overwritten, unless `--force` is given.

use std::path::{Path, PathBuf};

use ccsim::report::run;

use super::args::Bundle;
use super::exit::Error;
use super::lock::FolderLock;

/// `-` in `--json -` and `--csv -`: standard output, as Unix tools read it.
pub const STDOUT: &str = "-";

/// The files a command is about to write.
#[derive(Debug, Default)]
pub struct Planned {
    files: Vec<PathBuf>,
    chart_dirs: Vec<PathBuf>,
    /// Report folders: written as a set, one writer at a time.
    dirs: Vec<PathBuf>,
    /// Folders of part files, which the shards of a run share.
    shared_dirs: Vec<PathBuf>,
}

/// What a command holds while it runs: the locks of its report folders.
#[derive(Debug)]
pub struct Cleared {
    _locks: Vec<FolderLock>,
}

impl Planned {
    /// Nothing planned yet.
    pub fn new() -> Planned {
        Planned::default()
    }

    /// An optional file (`--json FILE`, `--csv FILE`); `-` is standard output.
    pub fn maybe(&mut self, path: Option<&PathBuf>) -> &mut Planned {
        if let Some(p) = path
            && p.as_os_str() != STDOUT
        {
            self.files.push(p.clone());
        }
        self
    }

    /// A part file in `dir`, a folder the shards of a run write into
    /// together (not locked).
    pub fn part(&mut self, dir: &Path, name: &str) -> &mut Planned {
        self.shared_dirs.push(dir.to_path_buf());
        self.files.push(dir.join(name));
        self
    }

    /// A report folder holding `names`.
    pub fn folder(&mut self, dir: &Path, names: &[&str]) -> &mut Planned {
        self.dirs.push(dir.to_path_buf());
        for name in names {
            self.files.push(dir.join(name));
        }
        self
    }

    /// The report folder of `ccsim run --out DIR` (and `chart`, `merge`):
    /// its fixed files and the charts in `DIR/charts`.
    pub fn report_dir(&mut self, dir: &Path) -> &mut Planned {
        self.folder(dir, &run::FILES);
        self.chart_dirs.push(dir.join(run::CHARTS));
        self
    }

    /// The files of a command that writes `--json`, `--csv` and `names` in
    /// `--out DIR` (`{image}` standing for `svg` or `png`).
    pub fn bundle(&mut self, files: &Bundle, names: &[&str]) -> &mut Planned {
        self.maybe(files.json.as_ref()).maybe(files.csv.as_ref());
        if let Some(dir) = &files.out {
            let ext = if files.png { "png" } else { "svg" };
            let names: Vec<String> = names.iter().map(|n| n.replace("{image}", ext)).collect();
            self.folder(dir, &names.iter().map(String::as_str).collect::<Vec<_>>());
        }
        self
    }

    /// Files among the planned ones that exist and are not empty.
    pub fn existing(&self) -> Vec<PathBuf> {
        let holds = |p: &Path| std::fs::metadata(p).is_ok_and(|m| !m.is_file() || m.len() > 0);
        let mut found: Vec<PathBuf> = self.files.iter().filter(|p| holds(p)).cloned().collect();
        for dir in &self.chart_dirs {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut charts: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "svg" || x == "png") && holds(p))
                .collect();
            charts.sort();
            found.extend(charts);
        }
        found.dedup();
        found
    }

    /// Checks that every planned output can be written, takes the locks of
    /// the report folders, then refuses when an earlier run's files would
    /// be overwritten, unless `force`.
    pub fn check(&self, force: bool) -> Result<Cleared, Error> {
        let folders = || self.dirs.iter().chain(&self.shared_dirs);
        for dir in folders() {
            writable_folder(dir)?;
        }
        for file in &self.files {
            if !folders().any(|d| file.starts_with(d)) {
                writable_file(file)?;
            }
        }
        let locks = self
            .dirs
            .iter()
            .map(|d| FolderLock::take(d))
            .collect::<Result<Vec<_>, _>>()?;
        let found = if force { Vec::new() } else { self.existing() };
        if found.is_empty() {
            Ok(Cleared { _locks: locks })
        } else {
            Err(Error::WouldOverwrite(found))
        }
    }
}

/// Whether a file can be written into `dir`: it takes a file (probed with a
/// temporary one, removed at once).
fn takes_files(dir: &Path) -> std::io::Result<()> {
    tempfile::Builder::new()
        .prefix(".ccsim-probe-")
        .tempfile_in(dir)
        .map(drop)
}

/// `--out DIR`: a folder, or a path where one can be made.
fn writable_folder(dir: &Path) -> Result<(), Error> {
    let cannot =
        |why: String| Error::Invalid(format!("cannot write into {}: {why}", dir.display()));
    match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => Err(cannot("it is a file, not a folder".into())),
        Ok(_) => takes_files(dir).map_err(|e| cannot(e.to_string())),
        Err(_) => {
            // The folder will be made: its nearest existing ancestor must
            // be a folder that takes it.
            let ancestor = dir
                .ancestors()
                .skip(1)
                .map(|a| {
                    if a.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        a
                    }
                })
                .find(|a| a.exists())
                .unwrap_or(Path::new("."));
            if !ancestor.is_dir() {
                return Err(cannot(format!(
                    "{} is a file, not a folder",
                    ancestor.display()
                )));
            }
            takes_files(ancestor).map_err(|e| cannot(format!("{}: {e}", ancestor.display())))
        }
    }
}

/// `--json FILE`, `--csv FILE`, a part file: a file (not a folder) in a
/// folder that exists and takes files.
fn writable_file(file: &Path) -> Result<(), Error> {
    let cannot = |why: String| Error::Invalid(format!("cannot write {}: {why}", file.display()));
    if file.is_dir() {
        return Err(cannot(format!(
            "it is a folder; give a file name, e.g. {}",
            file.join("summary.json").display()
        )));
    }
    let folder = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match std::fs::metadata(folder) {
        Ok(m) if m.is_dir() => takes_files(folder).map_err(|e| cannot(e.to_string())),
        Ok(_) => Err(cannot(format!(
            "{} is a file, not a folder",
            folder.display()
        ))),
        Err(_) => Err(cannot(format!(
            "the folder {} does not exist",
            folder.display()
        ))),
    }
}
