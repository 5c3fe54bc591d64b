//! Reports: what each command found, as a person and a machine read it.
//!
//! One seam, in the manner of hyperfine's exporters: every command's result
//! implements [`Report`], which gives its terminal view, its JSON document,
//! its tidy CSV and the files of its `--out DIR` folder (tables, charts, an
//! HTML page); [`out`] writes them, each file atomically. Formats live in
//! one file each ([`csv`], [`json`], [`run::html`], [`charts`] with one file per
//! chart); the terminal views live beside their result ([`run`],
//! [`compare`], [`sweep`], [`forecast`], [`staff`], [`check`], [`erlang`]),
//! all in the house style of [`terminal`].
//!
//! Reads `planning`, `montecarlo`, `stats` and the `model`, never the engine.

pub mod backtest;
pub mod charts;
pub mod check;
pub mod compare;
pub mod csv;
pub mod erlang;
pub mod fit;
pub mod forecast;
pub mod json;
pub mod out;
pub mod run;
pub mod schedule;
pub mod staff;
pub mod sweep;
pub mod terminal;
pub mod workbook;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub use charts::AnyChart;
pub use run::html::Figure;
pub use terminal::Colour;

/// What a command found, rendered for the terminal, `--json`, `--csv` and
/// `--out DIR`.
pub trait Report {
    /// The tables a person reads in the terminal.
    fn terminal(&self, colour: Colour) -> String;

    /// Writes the JSON document (`--json FILE`, and the JSON file of
    /// `--out DIR`).
    fn write_json(&self, w: &mut dyn Write) -> io::Result<()>;

    /// The tidy table of `--csv FILE`, for commands that have one.
    fn csv(&self) -> Option<Vec<u8>> {
        None
    }

    /// The files of `--out DIR`, in the order they are written.
    fn files(&self) -> Vec<OutFile<'_>>;

    /// Whether a file or folder of that name in `--out DIR` is this
    /// report's (replaced with the report) rather than the planner's own
    /// (kept). A report owns the names it writes; this adds those it writes
    /// only sometimes (`weekdays.csv`, a chart in the other image format).
    fn owns(&self, name: &str) -> bool;

    /// What stderr says once `--out DIR` is written: by default each file.
    fn announce(&self, _dir: &Path, written: &[PathBuf]) -> String {
        written
            .iter()
            .map(|p| format!("wrote {}\n", p.display()))
            .collect()
    }
}

/// One file (or set of files) of a command's output folder.
pub enum OutFile<'a> {
    /// The report's JSON document, under this name.
    Json(&'static str),
    /// A file of these bytes (CSV, TOML).
    Bytes(&'static str, Vec<u8>),
    /// Charts, drawn as SVG (or PNG with `--png`) into this subfolder of
    /// the output folder (`""` for the folder itself).
    Charts(&'static str, Vec<Box<dyn AnyChart + 'a>>),
    /// An HTML page drawn from the charts written before it (always as SVG,
    /// which scales to any screen and prints sharp).
    Page(&'static str, DrawPage<'a>),
    /// A file of these bytes under a name made at run time (one per pool).
    Named(String, Vec<u8>),
    /// A file written as it is made (a large CSV table), never held whole.
    Stream(&'static str, WriteFile<'a>),
}

/// Writes a file's contents into a writer.
pub type WriteFile<'a> = Box<dyn Fn(&mut dyn Write) -> io::Result<()> + 'a>;

/// Draws an HTML page from the charts written before it.
pub type DrawPage<'a> = Box<dyn Fn(&[Figure]) -> String + 'a>;

/// Whether `name` is one of `files` (`{image}` standing for `svg` or `png`).
pub fn owned(files: &[&str], name: &str) -> bool {
    files.iter().any(|f| {
        *f == name
            || ["svg", "png"]
                .iter()
                .any(|x| f.replace("{image}", x) == name)
    })
}
