//! `ccsim forecast`: a new theme's load, cost, effect on reachability and
//! extra agents, on a base scenario, in three volume cases.

use std::path::Path;

use ccsim::model::distribution::readable;
use ccsim::planning::forecast::{self, Input};
use ccsim::report;
use ccsim::scenario::validate::MAX_PRICE;
use ccsim::scenario::{overrides, theme};

use super::args::ForecastArgs;
use super::exit::{Error, Exit, Outcome};
use super::guard::Planned;
use super::output::{self, Outputs};
use super::progress::Progress;
use super::{load, options};

/// A scenario or theme file's text; one that is not UTF-8 is located at its
/// first bad byte, as a scenario is.
fn read(path: &Path) -> Result<String, Error> {
    ccsim::scenario::read(path).map_err(|e| match e {
        ccsim::scenario::LoadError::Invalid(errors) => Error::Scenario(errors),
        ccsim::scenario::LoadError::Read { file, source } => {
            Error::Invalid(format!("cannot read {file}: {source}"))
        }
        e => Error::Invalid(e.to_string()),
    })
}

/// Runs `ccsim forecast`.
pub(super) fn run(args: ForecastArgs) -> Outcome {
    if let Some(p) = args.agent_hour_price
        && !(p.is_finite() && p >= 0.0)
    {
        return Err(Error::Invalid(format!(
            "--agent-hour-price must be a non-negative price, got {p}"
        )));
    }
    // As a scenario's prices: a larger one makes costs infinite.
    if let Some(p) = args.agent_hour_price
        && p > MAX_PRICE
    {
        return Err(Error::Invalid(format!(
            "--agent-hour-price must be a price from 0 to {MAX_PRICE}, got {}",
            readable(p)
        )));
    }
    if args.checks == 0 {
        return Err(Error::Invalid("--checks must be at least 1".into()));
    }
    let sets = &args.sets.set;
    let base = load(Some(&args.base), sets)?;
    let base_text =
        overrides::apply(&read(&args.base)?, sets).map_err(|e| Error::Invalid(e.to_string()))?;
    let theme_text = read(&args.theme)?;
    let theme =
        theme::parse(&theme_text, &args.theme.display().to_string()).map_err(Error::Scenario)?;
    let mut base_label = args.base.display().to_string();
    for s in sets {
        base_label += &format!(" --set {}", s.text);
    }
    let variants = theme::variants(&base_text, &base_label, args.base.parent(), &theme)
        .map_err(Error::Scenario)?;
    // The theme's notes (a peak outside the horizon, left out), once.
    super::warn(variants.first().and_then(|v| v.notes.as_ref()));
    let opts = options(&args.runs, &base, 100)?;
    let _cleared = Planned::new()
        .bundle(&args.files, &report::forecast::FILES)
        .check(args.behaviour.force)?;
    // Base, three cases, and up to `checks` simulations per case.
    let runs = 4 + 3 * u64::from(args.checks);
    let progress = Progress::new(runs * u64::from(opts.replications), args.behaviour.quiet);
    let input = Input {
        base: &base,
        base_label,
        theme: &theme,
        variants: &variants,
        options: opts,
        agent_hour_price: args.agent_hour_price,
        max_checks: args.checks,
    };
    let result = forecast::forecast(&input, &|| progress.tick());
    progress.finish();
    let f = result.map_err(|e| Error::Failed(e.to_string()))?;
    let files = &args.files;
    output::emit(
        &f,
        &Outputs {
            json: files.json.as_deref(),
            csv: files.csv.as_deref(),
            out: files.out.as_deref(),
            png: files.png,
        },
    )?;
    Ok(Exit::Ok)
}
