//! `ccsim backtest`: a scenario simulated over the period of an actual
//! history, set against it.

use std::path::Path;

use ccsim::history::{self, IntervalHistory, Kind, Mapping};
use ccsim::model::{Channel, Model};
use ccsim::montecarlo;
use ccsim::planning::backtest::{self, Setup};
use ccsim::report;
use ccsim::scenario;
use ccsim::scenario::edit::Editor;

use super::args::BacktestArgs;
use super::exit::{Error, Exit, Outcome};
use super::guard::Planned;
use super::output::{self, Outputs};
use super::progress::Progress;
use super::{load, options};

/// Runs `ccsim backtest`.
pub(super) fn run(args: BacktestArgs) -> Outcome {
    let invalid = |e: &dyn std::fmt::Display| Error::Invalid(e.to_string());
    // The scenario as given must be valid before the history is read.
    let base = load(Some(&args.scenario), &args.sets.set)?;
    let history = read_history(&args.actual, args.mapping.as_deref(), &base.model)?;
    let period = backtest::period(&history, args.from, args.to).map_err(|e| invalid(&e))?;
    let history = backtest::within(&history, period);
    let text = scenario::read(&args.scenario).map_err(|e| invalid(&e))?;
    let uses_days = Editor::parse(&text).is_ok_and(|e| e.has("horizon", "days"));
    let mut sets = args.sets.set.clone();
    sets.extend(backtest::period_overrides(
        period,
        uses_days,
        history.interval,
        base.model.calendar.interval.round() as u32,
    ));
    let scenario = load(Some(&args.scenario), &sets)?;
    let mut model = scenario.model.clone();
    let mut warnings = history.warnings.clone();
    if args.replay {
        warnings.extend(backtest::replay(&mut model, &history).map_err(|e| invalid(&e))?);
    } else {
        backtest::check_themes(&model, &history).map_err(|e| invalid(&e))?;
    }
    let opts = options(&args.runs, &scenario, 100)?;
    let f = &args.files;
    let mut planned = Planned::new();
    planned.maybe(f.json.as_ref()).maybe(f.csv.as_ref());
    if let Some(dir) = &f.out {
        planned.folder(dir, &report::backtest::FILES);
    }
    let _cleared = planned.check(args.behaviour.force)?;
    let progress = Progress::new(u64::from(opts.replications), args.behaviour.quiet);
    let run = montecarlo::run(&model, opts, &|| progress.tick());
    progress.finish();
    let run = run.map_err(|e| Error::Failed(e.to_string()))?;
    let results = run.results(&model);
    let setup = Setup {
        scenario: label(&args.scenario, &args.sets.set),
        name: model.name.clone(),
        hash: scenario.hash.clone(),
        actual: args
            .actual
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        from: period.0.to_string(),
        to: period.1.to_string(),
        replay: args.replay,
        seed: opts.seed,
        replications: opts.replications,
    };
    let result =
        backtest::compare(&model, &results, &history, setup, warnings).map_err(|e| invalid(&e))?;
    output::emit(
        &result,
        &Outputs {
            json: f.json.as_deref(),
            csv: f.csv.as_deref(),
            out: f.out.as_deref(),
            png: f.png,
        },
    )?;
    if let Some(x) = args.expect_coverage
        && let Some(reason) = result.shortfall(x)
    {
        eprintln!("error: {reason}");
        return Ok(Exit::Failed);
    }
    Ok(Exit::Ok)
}

/// The scenario as the user named it, with its `--set`s.
fn label(path: &Path, sets: &[ccsim::scenario::overrides::Override]) -> String {
    let mut label = path.display().to_string();
    for o in sets {
        label += &format!(" --set {}", o.text);
    }
    label
}

/// Every history file read into one interval history: interval reports as
/// they are, contact logs counted into the scenario's intervals with its
/// service-level thresholds.
fn read_history(
    files: &[std::path::PathBuf],
    mapping: Option<&Path>,
    model: &Model,
) -> Result<IntervalHistory, Error> {
    let invalid = |e: &dyn std::fmt::Display| Error::Invalid(e.to_string());
    let mapping = match mapping {
        Some(p) => Mapping::load(p).map_err(|e| invalid(&e))?,
        None => Mapping::ccsim(),
    };
    let mut whole: Option<IntervalHistory> = None;
    for file in files {
        let part = match history::detect(file, &mapping).map_err(|e| invalid(&e))? {
            Kind::Intervals => history::read_intervals(file, &mapping).map_err(|e| invalid(&e))?,
            Kind::Contacts => {
                let thresholds: [Option<u32>; Channel::COUNT] = Channel::ALL.map(|c| {
                    c.is_live()
                        .then(|| model.channel(c).service_level_threshold.round() as u32)
                });
                let mut aggregator =
                    history::Aggregator::new(model.calendar.interval.round() as u32, thresholds);
                let read = history::read_contacts(file, &mapping, |c| aggregator.add(c))
                    .map_err(|e| invalid(&e))?;
                let mut h = aggregator.finish();
                h.warnings.extend(read.warnings);
                h
            }
        };
        whole = Some(match whole {
            None => part,
            Some(mut h) => {
                if h.interval != part.interval {
                    return Err(Error::Invalid(format!(
                        "{}: intervals of {} s, where the files before it have {} s",
                        file.display(),
                        part.interval,
                        h.interval
                    )));
                }
                for c in Channel::ALL {
                    let i = c.index();
                    match (h.thresholds[i], part.thresholds[i]) {
                        (None, t) => h.thresholds[i] = t,
                        (Some(a), Some(b)) if a != b => {
                            return Err(Error::Invalid(format!(
                                "{}: {} answered within {b} s, where the files before it count within {a} s",
                                file.display(),
                                c.name()
                            )));
                        }
                        _ => {}
                    }
                }
                h.rows.extend(part.rows);
                h.warnings.extend(part.warnings);
                h
            }
        });
    }
    let mut h = whole.ok_or_else(|| Error::Invalid("--actual: no history file given".into()))?;
    h.rows.sort_by(|a, b| {
        (a.date, a.start, &a.theme, a.channel.index()).cmp(&(
            b.date,
            b.start,
            &b.theme,
            b.channel.index(),
        ))
    });
    if let Some(w) = h.rows.windows(2).find(|w| {
        (w[0].date, w[0].start, &w[0].theme, w[0].channel)
            == (w[1].date, w[1].start, &w[1].theme, w[1].channel)
    }) {
        return Err(Error::Invalid(format!(
            "the history files give {} {} `{}` {} twice (are two files overlapping?)",
            w[0].date,
            clock(w[0].start),
            w[0].theme,
            w[0].channel.name()
        )));
    }
    Ok(h)
}

fn clock(seconds: u32) -> String {
    format!("{:02}:{:02}", seconds / 3600, seconds % 3600 / 60)
}
