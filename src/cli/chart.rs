//! `ccsim chart`: the report folder of a saved run, redrawn from its
//! summary.json without simulating.

use ccsim::stats::results::SCHEMA_VERSION;
use ccsim::stats::{RunResults, SummaryFile};

use super::args::ChartArgs;
use super::exit::{Error, Exit, Outcome};
use super::guard::Planned;
use super::output::{self, Outputs};

/// Runs `ccsim chart`.
pub(super) fn run(args: ChartArgs) -> Outcome {
    let mut planned = Planned::new();
    if let Some(dir) = &args.out {
        planned.report_dir(dir);
    }
    let _cleared = planned.maybe(args.xlsx.as_ref()).check(args.force)?;
    let path = args.summary.display();
    let text = std::fs::read_to_string(&args.summary)
        .map_err(|e| Error::Invalid(format!("cannot read {path}: {e}")))?;
    let de = &mut serde_json::Deserializer::from_str(&text);
    let summary: SummaryFile = serde_path_to_error::deserialize(de).map_err(|e| {
        let inner = e.inner();
        Error::Invalid(format!(
            "{path}:{}:{}: not a ccsim summary: at `{}`: {inner}",
            inner.line(),
            inner.column(),
            e.path()
        ))
    })?;
    if summary.schema_version != SCHEMA_VERSION {
        return Err(Error::Invalid(format!(
            "{path} has summary schema {}, this ccsim reads schema {SCHEMA_VERSION}: rerun the scenario with this version",
            summary.schema_version,
        )));
    }
    let results = RunResults::from_file(&summary)
        .map_err(|e| Error::Invalid(format!("{path}: not a ccsim summary: {e}")))?;
    drop(summary);
    output::write(
        &results,
        &Outputs {
            out: args.out.as_deref(),
            png: args.png,
            ..Outputs::default()
        },
    )?;
    if let Some(path) = &args.xlsx {
        output::workbook(&results, path)?;
    }
    Ok(Exit::Ok)
}
