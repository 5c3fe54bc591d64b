//! No lost work: before a command simulates anything, it lists the files it
//! would write and refuses to start when one of them already holds something,
//! unless `--force` is given. (Every file is then written through a temporary
//! file and a rename, so a reader never sees half a file.)

use std::path::{Path, PathBuf};

use ccsim::report::run;

use super::args::Bundle;
use super::exit::Error;

/// The files a command is about to write.
#[derive(Debug, Default)]
pub struct Planned {
    files: Vec<PathBuf>,
    chart_dirs: Vec<PathBuf>,
}

impl Planned {
    /// Nothing planned yet.
    pub fn new() -> Planned {
        Planned::default()
    }

    /// A file that will be written.
    pub fn file(&mut self, path: impl Into<PathBuf>) -> &mut Planned {
        self.files.push(path.into());
        self
    }

    /// An optional file (`--json FILE`, `--csv FILE`).
    pub fn maybe(&mut self, path: Option<&PathBuf>) -> &mut Planned {
        if let Some(p) = path {
            self.files.push(p.clone());
        }
        self
    }

    /// The report folder of `ccsim run --out DIR` (and `chart`, `merge`):
    /// its fixed files and the charts in `DIR/charts`.
    pub fn report_dir(&mut self, dir: &Path) -> &mut Planned {
        for name in run::FILES {
            self.files.push(dir.join(name));
        }
        self.chart_dirs.push(dir.join(run::CHARTS));
        self
    }

    /// The files of a command that writes `--json`, `--csv` and `names` in
    /// `--out DIR` (`{image}` standing for `svg` or `png`).
    pub fn bundle(&mut self, files: &Bundle, names: &[&str]) -> &mut Planned {
        self.maybe(files.json.as_ref()).maybe(files.csv.as_ref());
        if let Some(dir) = &files.out {
            let ext = if files.png { "png" } else { "svg" };
            for name in names {
                self.file(dir.join(name.replace("{image}", ext)));
            }
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

    /// `Ok` when nothing would be overwritten or `force` is given; else the
    /// error naming the files.
    pub fn check(&self, force: bool) -> Result<(), Error> {
        if force {
            return Ok(());
        }
        let found = self.existing();
        if found.is_empty() {
            Ok(())
        } else {
            Err(Error::WouldOverwrite(found))
        }
    }
}
