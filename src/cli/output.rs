//! Where a command's report goes: the terminal (stdout), then `--json FILE`,
//! `--csv FILE` and `--out DIR`, each file written atomically and named on
//! stderr.

use std::io::IsTerminal;
use std::path::Path;

use ccsim::report::charts::ImageFormat;
use ccsim::report::{Colour, Report, out};

use super::exit::Error;
use super::guard::STDOUT;

/// The files a command was asked to write.
#[derive(Debug, Clone, Copy, Default)]
pub struct Outputs<'a> {
    /// `--json FILE`.
    pub json: Option<&'a Path>,
    /// `--csv FILE`.
    pub csv: Option<&'a Path>,
    /// `--out DIR`.
    pub out: Option<&'a Path>,
    /// `--png`: charts as PNG.
    pub png: bool,
}

/// Prints the report's terminal view, then writes its files. With `--json -`
/// (or `--csv -`) standard output carries that document alone, for a pipe.
pub fn emit(report: &dyn Report, outputs: &Outputs) -> Result<(), Error> {
    let to_stdout = |p: Option<&Path>| p.is_some_and(|p| p.as_os_str() == STDOUT);
    if !to_stdout(outputs.json) && !to_stdout(outputs.csv) {
        print!("{}", report.terminal(terminal_colour()));
    }
    write(report, outputs)
}

/// Writes the files asked for, saying on stderr what was written.
pub fn write(report: &dyn Report, outputs: &Outputs) -> Result<(), Error> {
    let failed = |e: out::OutputError| Error::Failed(e.to_string());
    // A reader that stops reading (`| head`) is not an error.
    let stdout_failed = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::BrokenPipe => Ok(()),
        _ => Err(Error::Failed(format!(
            "cannot write to standard output: {e}"
        ))),
    };
    match outputs.json {
        Some(path) if path.as_os_str() == STDOUT => {
            if let Err(e) = report.write_json(&mut std::io::stdout().lock()) {
                stdout_failed(e)?;
            }
        }
        Some(path) => {
            out::write_json(report, path).map_err(failed)?;
            eprintln!("wrote {}", path.display());
        }
        None => {}
    }
    match (outputs.csv, report.csv()) {
        (Some(path), Some(bytes)) if path.as_os_str() == STDOUT => {
            if let Err(e) = std::io::Write::write_all(&mut std::io::stdout().lock(), &bytes) {
                stdout_failed(e)?;
            }
        }
        (Some(path), Some(bytes)) => {
            out::write_bytes(path, &bytes).map_err(failed)?;
            eprintln!("wrote {}", path.display());
        }
        _ => {}
    }
    if let Some(dir) = outputs.out {
        let format = if outputs.png {
            ImageFormat::Png
        } else {
            ImageFormat::Svg
        };
        let written = out::write_dir(report, dir, format).map_err(failed)?;
        eprint!("{}", report.announce(dir, &written));
    }
    Ok(())
}

/// Colours only on a terminal that wants them (`NO_COLOR` and `TERM=dumb` say no).
pub fn terminal_colour() -> Colour {
    let wanted = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb");
    if wanted { Colour::On } else { Colour::Off }
}

/// `--xlsx FILE`: the run's Excel workbook, written atomically and named on
/// stderr.
pub fn workbook(results: &ccsim::stats::RunResults, path: &Path) -> Result<(), Error> {
    ccsim::report::workbook::write(results, path).map_err(|e| Error::Failed(e.to_string()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
