//! `ccsim fit`: a scenario fitted to contact-center history, and its report.

use ccsim::fit::run::{self as fitting, FitError, FitInput};
use ccsim::fit::scenario_writer::{self, WriteError, WriteOptions};
use ccsim::history::Mapping;
use ccsim::report::fit::{self as report, FitReport};

use super::args::FitArgs;
use super::exit::{Error, Exit, Outcome};
use super::guard::Planned;
use super::output::{self, Outputs};

/// Runs `ccsim fit`.
pub(super) fn run(args: FitArgs) -> Outcome {
    let horizon = match (args.horizon_start, args.horizon_end) {
        (Some(s), Some(e)) if e < s => {
            return Err(Error::Invalid(format!(
                "--horizon-end {e} is before --horizon-start {s}"
            )));
        }
        (Some(s), Some(e)) => Some((s, e)),
        _ => None,
    };
    let base = match &args.base {
        Some(path) => {
            let scenario = super::load(Some(path), &[])?;
            let text = ccsim::scenario::read(path).map_err(|e| Error::Invalid(e.to_string()))?;
            Some((scenario, text, path.display().to_string()))
        }
        None => None,
    };
    let interval = match args.interval {
        Some(s) if !(s.fract() == 0.0 && s >= 60.0 && 86_400.0 % s == 0.0) => {
            return Err(Error::Invalid(format!(
                "--interval must divide a day into whole intervals of at least a minute (e.g. 15m, 30m, 1h), got {s} s"
            )));
        }
        Some(s) => s as u32,
        None => base
            .as_ref()
            .map_or(1800, |(s, _, _)| s.model.calendar.interval as u32),
    };
    let mut planned = Planned::new();
    planned.maybe(Some(&args.out)).maybe(args.json.as_ref());
    if let Some(dir) = &args.report {
        planned.folder(dir, &report::FILES);
    }
    let _cleared = planned.check(args.force)?;
    let mapping = match &args.mapping {
        Some(path) => Mapping::load(path).map_err(|e| Error::Invalid(e.to_string()))?,
        None => Mapping::ccsim(),
    };
    let fit = fitting::fit(&FitInput {
        files: &args.histories,
        mapping: &mapping,
        from: args.from,
        to: args.to,
        interval,
    })
    .map_err(|e| match e {
        FitError::History(e) => Error::Invalid(e.to_string()),
        FitError::Invalid(m) => Error::Invalid(m),
    })?;
    let sources: Vec<String> = args
        .histories
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let options = WriteOptions {
        base: base
            .as_ref()
            .map(|(_, text, file)| (text.as_str(), file.as_str())),
        horizon,
        sources: sources.clone(),
    };
    scenario_writer::write(&fit, &options, &args.out).map_err(|e| match e {
        WriteError::Invalid(errors) => Error::Scenario(*errors),
        WriteError::Write { .. } => Error::Failed(e.to_string()),
        e => Error::Invalid(e.to_string()),
    })?;
    eprintln!("wrote {}", args.out.display());
    let result = FitReport {
        fit,
        sources,
        scenario: Some(args.out.display().to_string()),
    };
    output::emit(
        &result,
        &Outputs {
            json: args.json.as_deref(),
            out: args.report.as_deref(),
            png: args.png,
            ..Outputs::default()
        },
    )?;
    Ok(Exit::Ok)
}
