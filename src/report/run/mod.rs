//! The run of one scenario (`ccsim run`, `chart`, `merge`): its terminal
//! tables, `summary.json`, the tidy CSV tables, the charts and the HTML page
//! of its report folder.

pub mod definitions;
pub mod html;
pub mod tables;

use std::path::{Path, PathBuf};

use crate::stats::RunResults;

use super::terminal::Colour;
use super::{OutFile, Report, charts, csv};

pub use tables::{partial_notice, render};

/// The files of `--out DIR` other than the charts (`weekdays.csv` only for
/// scenarios with visits), in the order written.
pub const FILES: [&str; 5] = [
    "summary.json",
    "days.csv",
    "intervals.csv",
    "weekdays.csv",
    "report.html",
];
/// The folder of the charts inside `--out DIR`.
pub const CHARTS: &str = "charts";

impl Report for RunResults {
    fn terminal(&self, colour: Colour) -> String {
        tables::render(self, colour)
    }

    fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        RunResults::write_json(self, w)
    }

    fn owns(&self, name: &str) -> bool {
        name == CHARTS || crate::report::owned(&FILES, name)
    }

    fn files(&self) -> Vec<OutFile<'_>> {
        let mut files = vec![
            OutFile::Json("summary.json"),
            // Streamed, row by row: a long horizon's tables are large.
            OutFile::Stream("days.csv", Box::new(|w| csv::days_to(self, w))),
            OutFile::Stream("intervals.csv", Box::new(|w| csv::intervals_to(self, w))),
        ];
        if !self.weekdays.is_empty() {
            files.push(OutFile::Bytes("weekdays.csv", csv::weekdays(self)));
        }
        files.push(OutFile::Charts(CHARTS, charts::of_run(self)));
        files.push(OutFile::Page(
            "report.html",
            Box::new(|figures| html::render(self, figures)),
        ));
        files
    }

    fn announce(&self, dir: &Path, written: &[PathBuf]) -> String {
        format!(
            "wrote {} files into {}: open {} in a browser\n",
            written.len(),
            dir.display(),
            dir.join("report.html").display()
        )
    }
}
