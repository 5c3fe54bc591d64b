//! How a command ends: its exit code, and its error rendered in one place.

use std::path::PathBuf;
use std::process::ExitCode;

use ccsim::scenario::ScenarioErrors;

use super::diagnostics;

/// The exit codes, documented in `ccsim --help` and docs/commands.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: everything worked; for `ccsim check`, every promise holds.
    Ok,
    /// 1: the run failed (I/O, an internal error).
    Failed,
    /// 2: bad arguments, an invalid scenario, or output that would be
    /// overwritten without `--force`.
    Invalid,
    /// 3: `ccsim check`: a promise does not hold (broken or not shown).
    Broken,
    /// 4: `ccsim check`: no promise is broken, but some could not be judged
    /// (undefined: no value, or too few replications for a CI).
    Unjudged,
    /// 130: stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
    Interrupted,
}

impl Exit {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::Failed => 1,
            Exit::Invalid => 2,
            Exit::Broken => 3,
            Exit::Unjudged => 4,
            Exit::Interrupted => 130,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e.code())
    }
}

/// Why a command stopped without its result.
#[derive(Debug)]
pub enum Error {
    /// Bad arguments or an unreadable input: `error: MESSAGE`, exit 2.
    Invalid(String),
    /// Every problem of a scenario (or theme) file, each with its snippet:
    /// exit 2.
    Scenario(ScenarioErrors),
    /// Output of an earlier run would be overwritten: the files, exit 2.
    WouldOverwrite(Vec<PathBuf>),
    /// The run or a write failed: `error: MESSAGE`, exit 1.
    Failed(String),
    /// Stopped by a signal before anything could be written: the message as
    /// is, exit 130.
    Stopped(String),
}

impl Error {
    /// The exit code the error ends the process with.
    pub fn exit(&self) -> Exit {
        match self {
            Error::Invalid(_) | Error::Scenario(_) | Error::WouldOverwrite(_) => Exit::Invalid,
            Error::Failed(_) => Exit::Failed,
            Error::Stopped(_) => Exit::Interrupted,
        }
    }

    /// What stderr says.
    pub fn render(&self) -> String {
        match self {
            Error::Invalid(m) | Error::Failed(m) => format!("error: {m}\n"),
            Error::Scenario(errors) => diagnostics::render(errors),
            Error::Stopped(m) => format!("{m}\n"),
            Error::WouldOverwrite(found) => {
                const SHOWN: usize = 8;
                let mut out = format!(
                    "error: {} output file{} of an earlier run would be overwritten:\n",
                    found.len(),
                    if found.len() == 1 { "" } else { "s" }
                );
                for p in found.iter().take(SHOWN) {
                    out += &format!("  {}\n", p.display());
                }
                if found.len() > SHOWN {
                    out += &format!("  ... and {} more\n", found.len() - SHOWN);
                }
                out + "Give --force to replace them, or write elsewhere.\n"
            }
        }
    }
}

/// What a command returns: how it ended, or why it could not finish.
pub type Outcome = Result<Exit, Error>;
