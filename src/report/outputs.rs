//! The files of `--out DIR`: everything a planner looks at or reuses, each
//! written atomically so that no reader ever sees half a file.

use std::path::{Path, PathBuf};

use super::charts::{self, ImageFormat};
use super::html::{self, Figure};
use super::{csv, json};
use crate::files::write_atomically;
use crate::stats::RunResults;

/// The files of `--out DIR` other than the charts, in the order written
/// (`weekdays.csv` only for scenarios with visits).
pub const FILES: [&str; 5] = [
    "summary.json",
    "days.csv",
    "intervals.csv",
    "weekdays.csv",
    "report.html",
];
/// The folder of the charts inside `--out DIR`.
pub const CHARTS: &str = "charts";

/// Why the output folder could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file or folder could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A chart could not be drawn.
    #[error("cannot draw the chart {name}: {source}")]
    Chart {
        /// The chart's file name.
        name: String,
        /// What went wrong.
        source: charts::ChartError,
    },
}

fn write(path: PathBuf, bytes: &[u8], written: &mut Vec<PathBuf>) -> Result<(), OutputError> {
    write_atomically(&path, bytes).map_err(|source| OutputError::Write {
        path: path.clone(),
        source,
    })?;
    written.push(path);
    Ok(())
}

/// Writes `summary.json`, `days.csv`, `intervals.csv`, `weekdays.csv` (when
/// the results have visits by weekday), `charts/*` (SVG, or PNG when `format`
/// says so) and `report.html` into `dir`, creating it if needed. Returns the
/// files written, in that order.
pub fn write_dir(
    results: &RunResults,
    dir: &Path,
    format: ImageFormat,
) -> Result<Vec<PathBuf>, OutputError> {
    let charts_dir = dir.join(CHARTS);
    std::fs::create_dir_all(&charts_dir).map_err(|source| OutputError::Write {
        path: charts_dir.clone(),
        source,
    })?;
    let mut written = Vec::new();
    let path = dir.join("summary.json");
    json::write_summary(&path, results).map_err(|source| OutputError::Write {
        path: path.clone(),
        source,
    })?;
    written.push(path);
    write(dir.join("days.csv"), &csv::days(results), &mut written)?;
    write(
        dir.join("intervals.csv"),
        &csv::intervals(results),
        &mut written,
    )?;
    if !results.weekdays.is_empty() {
        write(
            dir.join("weekdays.csv"),
            &csv::weekdays(results),
            &mut written,
        )?;
    }
    let mut figures = Vec::new();
    for chart in charts::of_run(results) {
        let name = chart.file_stem();
        let draw = |format: ImageFormat| {
            chart.render(format).map_err(|source| OutputError::Chart {
                name: name.clone(),
                source,
            })
        };
        // The report always embeds SVG: it scales to any screen and prints sharp.
        let svg = draw(ImageFormat::Svg)?;
        let file = if format == ImageFormat::Svg {
            svg.clone()
        } else {
            draw(format)?
        };
        write(
            charts_dir.join(format!("{name}.{}", format.extension())),
            &file,
            &mut written,
        )?;
        figures.push(Figure {
            title: chart.title(),
            caption: chart.caption(),
            svg: String::from_utf8_lossy(&svg).into_owned(),
        });
    }
    write(
        dir.join("report.html"),
        html::render(results, &figures).as_bytes(),
        &mut written,
    )?;
    Ok(written)
}
