//! Writing a report: `--json FILE`, `--csv FILE` and the files of `--out
//! DIR`, each atomically, so that no reader ever sees half a file.

use std::path::{Path, PathBuf};

use crate::files::{replace_dir, write_atomically, write_atomically_with};

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
    write_atomically(path, bytes).map_err(|source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes the files of `--out DIR` (creating it if needed), charts as SVG or
/// as `format` says, as one set: they are written into a temporary folder
/// beside `dir`, which then replaces `dir` whole (files the report does not
/// own stay). Returns the files written, in order, as paths in `dir`.
pub fn write_dir(
    report: &dyn Report,
    dir: &Path,
    format: ImageFormat,
) -> Result<Vec<PathBuf>, OutputError> {
    let mut failure: Option<OutputError> = None;
    let mut written = Vec::new();
    let done = replace_dir(dir, &|name| report.owns(name), &mut |new| match write_set(
        report, new, format,
    ) {
        Ok(names) => {
            written = names.into_iter().map(|n| dir.join(n)).collect();
            Ok(())
        }
        Err(e) => {
            let message = e.to_string();
            failure = Some(e);
            Err(std::io::Error::other(message))
        }
    });
    match (done, failure) {
        (Ok(()), _) => Ok(written),
        (Err(_), Some(e)) => Err(e),
        (Err(source), None) => Err(OutputError::Write {
            path: dir.to_path_buf(),
            source,
        }),
    }
}

/// Writes every file of the report into `dir`; returns their paths relative
/// to it, in order.
fn write_set(
    report: &dyn Report,
    dir: &Path,
    format: ImageFormat,
) -> Result<Vec<PathBuf>, OutputError> {
    let files = report.files();
    let page = files.iter().any(|f| matches!(f, OutFile::Page(..)));
    let mut written = Vec::new();
    let mut figures: Vec<Figure> = Vec::new();
    for file in files {
        match file {
            OutFile::Json(name) => {
                write_json(report, &dir.join(name))?;
                written.push(PathBuf::from(name));
            }
            OutFile::Bytes(name, bytes) => {
                write_bytes(&dir.join(name), &bytes)?;
                written.push(PathBuf::from(name));
            }
            OutFile::Charts(folder, charts) => {
                create(&dir.join(folder))?;
                let mut names = UniqueNames::default();
                for chart in charts {
                    let stem = chart.file_stem();
                    let draw = |format: ImageFormat| {
                        chart.render(format).map_err(|source| OutputError::Chart {
                            name: stem.clone(),
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
                    let name = Path::new(folder).join(names.claim(&stem, format.extension()));
                    write_bytes(&dir.join(&name), &bytes)?;
                    written.push(name);
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
                write_bytes(&dir.join(name), draw(&figures).as_bytes())?;
                written.push(PathBuf::from(name));
            }
            OutFile::Stream(name, fill) => {
                let path = dir.join(name);
                write_atomically_with(&path, &mut |file| {
                    let mut w = std::io::BufWriter::new(file);
                    fill(&mut w)?;
                    std::io::Write::flush(&mut w)
                })
                .map_err(|source| OutputError::Write { path, source })?;
                written.push(PathBuf::from(name));
            }
            OutFile::Named(name, bytes) => {
                write_bytes(&dir.join(&name), &bytes)?;
                written.push(PathBuf::from(name));
            }
        }
    }
    Ok(written)
}

/// File names unique in a folder, whatever the file system's case
/// sensitivity: two charts whose names clean to the same stem (pools `a/b`
/// and `a_b`, `Frontline` and `frontline`) get `-2`, `-3` ... after the
/// second.
#[derive(Default)]
struct UniqueNames {
    taken: std::collections::HashSet<String>,
}

impl UniqueNames {
    fn claim(&mut self, stem: &str, extension: &str) -> String {
        let mut name = format!("{stem}.{extension}");
        let mut n = 1;
        while !self.taken.insert(name.to_lowercase()) {
            n += 1;
            name = format!("{stem}-{n}.{extension}");
        }
        name
    }
}
