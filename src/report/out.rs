//! Writing a report: `--json FILE`, `--csv FILE` and the files of `--out
//! DIR`, each atomically, so that no reader ever sees half a file.

use std::path::{Path, PathBuf};

use crate::files::{write_atomically, write_atomically_with};

use super::charts::{ChartError, ImageFormat};
use super::{Figure, OutFile, Report};

/// Why an output could not be written.
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
        source: ChartError,
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

fn create(dir: &Path) -> Result<(), OutputError> {
    std::fs::create_dir_all(dir).map_err(|source| OutputError::Write {
        path: dir.to_path_buf(),
        source,
    })
}

/// Writes the report's JSON document into `path`, streamed (a five-year
/// run's summary is hundreds of megabytes).
pub fn write_json(report: &dyn Report, path: &Path) -> Result<(), OutputError> {
    write_atomically_with(path, &mut |file| report.write_json(file)).map_err(|source| {
        OutputError::Write {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// Writes bytes into `path`.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write(path.to_path_buf(), bytes, &mut Vec::new())
}

/// Writes the files of `--out DIR` (creating it if needed), charts as SVG or
/// as `format` says; returns the files written, in order.
pub fn write_dir(
    report: &dyn Report,
    dir: &Path,
    format: ImageFormat,
) -> Result<Vec<PathBuf>, OutputError> {
    create(dir)?;
    let files = report.files();
    let page = files.iter().any(|f| matches!(f, OutFile::Page(..)));
    let mut written = Vec::new();
    let mut figures: Vec<Figure> = Vec::new();
    for file in files {
        match file {
            OutFile::Json(name) => {
                let path = dir.join(name);
                write_json(report, &path)?;
                written.push(path);
            }
            OutFile::Bytes(name, bytes) => write(dir.join(name), &bytes, &mut written)?,
            OutFile::Charts(folder, charts) => {
                let folder = dir.join(folder);
                create(&folder)?;
                for chart in charts {
                    let name = chart.file_stem();
                    let draw = |format: ImageFormat| {
                        chart.render(format).map_err(|source| OutputError::Chart {
                            name: name.clone(),
                            source,
                        })
                    };
                    // A page embeds SVG; the files are drawn once in `format`.
                    let svg = match (page, format) {
                        (true, _) | (_, ImageFormat::Svg) => Some(draw(ImageFormat::Svg)?),
                        _ => None,
                    };
                    let bytes = match (&svg, format) {
                        (Some(svg), ImageFormat::Svg) => svg.clone(),
                        _ => draw(format)?,
                    };
                    write(
                        folder.join(format!("{name}.{}", format.extension())),
                        &bytes,
                        &mut written,
                    )?;
                    if let (true, Some(svg)) = (page, svg) {
                        figures.push(Figure {
                            title: chart.title(),
                            caption: chart.caption(),
                            svg: String::from_utf8_lossy(&svg).into_owned(),
                        });
                    }
                }
            }
            OutFile::Page(name, draw) => {
                write(dir.join(name), draw(&figures).as_bytes(), &mut written)?
            }
        }
    }
    Ok(written)
}
