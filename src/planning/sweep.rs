//! Sweeps: the same scenario run at every value of one or two parameters
//! (`--vary pools.frontline.scale=0.8..1.2:0.1`), every point with the same
//! seed, so that the curves are smooth and differences between points are
//! differences of the model, not of the random numbers.

use std::path::Path;
use std::str::FromStr;
use std::sync::atomic::AtomicBool;

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Serialize;

use crate::montecarlo::{self, RunError, RunOptions};
use crate::scenario::overrides::Override;
use crate::scenario::{LoadError, Scenario, load_with};
use crate::stats::{Level, RunResults};

/// Most points a sweep may have, so that a typo in a step cannot start a
/// run of days.
pub const MAX_POINTS: usize = 1000;

/// One swept parameter: a dotted path and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Dotted path, as for `--set`.
    pub path: String,
    /// The values, from FROM to TO (inclusive) by STEP.
    pub values: Vec<f64>,
    /// Whether every value is a whole number (written without decimals, so
    /// that integer fields such as `agents` accept them).
    pub whole: bool,
}

/// Why a `--vary` argument is not understood.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("--vary {text}: {message}")]
pub struct ParameterError {
    /// The argument.
    pub text: String,
    /// What is wrong.
    pub message: String,
}

impl FromStr for Parameter {
    type Err = ParameterError;

    /// `PATH=FROM..TO:STEP`, e.g. `pools.frontline.agents=30..60:5` or
    /// `scale.volume=1.0..2.5:0.25`.
    fn from_str(text: &str) -> Result<Parameter, ParameterError> {
        let fail = |message: &str| ParameterError {
            text: text.to_string(),
            message: message.to_string(),
        };
        let usage = "write PATH=FROM..TO:STEP, e.g. pools.frontline.agents=30..60:5";
        let (path, range) = text.split_once('=').ok_or_else(|| fail(usage))?;
        let (span, step) = range.split_once(':').ok_or_else(|| fail(usage))?;
        let (from, to) = span.split_once("..").ok_or_else(|| fail(usage))?;
        let num = |s: &str, what: &str| -> Result<f64, ParameterError> {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| fail(&format!("{what} `{}` is not a number", s.trim())))
        };
        let (from, to, step) = (num(from, "FROM")?, num(to, "TO")?, num(step, "STEP")?);
        let path = path.trim().to_string();
        if path.is_empty() || path.split('.').any(|p| p.trim().is_empty()) {
            return Err(fail("the path is empty or has an empty part"));
        }
        // The path is read as --set reads it (keys, quotes, `extra[0]`).
        crate::scenario::overrides::parse_path(&path).map_err(|m| fail(&m))?;
        if step <= 0.0 {
            return Err(fail("STEP must be positive"));
        }
        if to < from {
            return Err(fail("TO must not be below FROM"));
        }
        let count = ((to - from) / step + 1e-9).floor() as usize + 1;
        if count > MAX_POINTS {
            return Err(fail(&format!(
                "{count} values: at most {MAX_POINTS}, take a larger step"
            )));
        }
        let whole = [from, step].iter().all(|x| x.fract() == 0.0);
        // Computed from FROM by multiplication, not by repeated addition, so
        // that 0.1 steps do not drift; rounded to 10 decimals for the same reason.
        let values = (0..count)
            .map(|k| ((from + k as f64 * step) * 1e10).round() / 1e10)
            .collect();
        Ok(Parameter {
            path,
            values,
            whole,
        })
    }
}

impl Parameter {
    /// The override for one value.
    fn set(&self, value: f64) -> Override {
        let text = if self.whole {
            format!("{}={value:.0}", self.path)
        } else {
            format!("{}={value}", self.path)
        };
        // The path was checked when parsed and the value is a number, so
        // this parses; an error would show as a scenario error anyway.
        text.parse().unwrap_or_else(|_| Override {
            path: crate::scenario::overrides::parse_path(&self.path).unwrap_or_default(),
            value: toml_edit::Value::from(value),
            text,
        })
    }
}

/// The figures of one point of the sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The parameter values of this point, by path.
    pub settings: IndexMap<String, f64>,
    /// The horizon figures of the run at this point (written as
    /// `summary.json`'s `horizon`).
    #[serde(serialize_with = "crate::stats::summary_file::serialize_horizon")]
    pub horizon: RunResults,
}

/// A whole sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sweep {
    /// Version of this layout.
    pub schema_version: u32,
    /// Version of ccsim that produced it.
    pub ccsim_version: String,
    /// The scenario's name.
    pub scenario: String,
    /// What the planner aims at (from the scenario).
    pub targets: crate::model::Targets,
    /// The swept paths, in order; the first varies slowest.
    pub parameters: Vec<String>,
    /// Seed of every point.
    pub seed: u64,
    /// Replications per point.
    pub replications: u32,
    /// The points, in order of the parameters' values.
    pub points: Vec<Point>,
}

/// Why a sweep failed.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// The scenario at some point is invalid.
    #[error("{0}")]
    Scenario(#[from] LoadError),
    /// A run failed.
    #[error("{0}")]
    Run(#[from] RunError),
    /// Nothing to sweep, or too much.
    #[error("{0}")]
    Shape(String),
    /// Told to stop before every point finished.
    #[error("the sweep was stopped before every point finished")]
    Stopped,
}

/// Runs the scenario at every combination of the parameters' values (one or
/// two parameters), every point with the same seed. The points run in
/// parallel, each with its replications in parallel too (rayon balances
/// both); the result does not depend on the number of threads.
/// `progress` is called after each replication of each point.
pub fn run(
    scenario: Option<&Path>,
    sets: &[Override],
    parameters: &[Parameter],
    options: RunOptions,
    progress: &(dyn Fn() + Sync),
) -> Result<Sweep, SweepError> {
    let load = |extra: &[Override]| {
        let mut all = sets.to_vec();
        all.extend_from_slice(extra);
        load_with(scenario, &all)
    };
    run_stoppable(&load, parameters, options, progress, None)
}

/// [`run`] over any scenario source, stopped early (with
/// [`SweepError::Stopped`]) once `stop` is set: no further replication of any
/// point starts. `load` reads the scenario with the given overrides applied
/// (the workbench's scenario text, say, rather than a file).
pub fn run_stoppable(
    load: &(dyn Fn(&[Override]) -> Result<Scenario, LoadError> + Sync),
    parameters: &[Parameter],
    options: RunOptions,
    progress: &(dyn Fn() + Sync),
    stop: Option<&AtomicBool>,
) -> Result<Sweep, SweepError> {
    let grid = grid(parameters)?;
    // Every point's scenario is checked before anything runs.
    let models = grid
        .iter()
        .map(|values| {
            let point: Vec<Override> = parameters
                .iter()
                .zip(values)
                .map(|(p, &v)| p.set(v))
                .collect();
            load(&point)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let horizons = horizons(&models, options, progress, stop)?.ok_or(SweepError::Stopped)?;
    let first = &models[0].model;
    Ok(Sweep {
        schema_version: 1,
        ccsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: first.name.clone(),
        targets: first.targets.clone(),
        parameters: parameters.iter().map(|p| p.path.clone()).collect(),
        seed: options.seed,
        replications: options.replications,
        points: grid
            .into_iter()
            .zip(horizons)
            .map(|(values, horizon)| Point {
                settings: parameters
                    .iter()
                    .map(|p| p.path.clone())
                    .zip(values)
                    .collect(),
                horizon,
            })
            .collect(),
    })
}

/// Every combination of the parameters' values (one or two parameters, at
/// most [`MAX_POINTS`]), the first parameter's value varying slowest.
fn grid(parameters: &[Parameter]) -> Result<Vec<Vec<f64>>, SweepError> {
    if parameters.is_empty() || parameters.len() > 2 {
        return Err(SweepError::Shape(format!(
            "give one or two --vary parameters, got {}",
            parameters.len()
        )));
    }
    let mut grid: Vec<Vec<f64>> = vec![Vec::new()];
    for p in parameters {
        grid = grid
            .into_iter()
            .flat_map(|prefix| {
                p.values.iter().map(move |&v| {
                    let mut next = prefix.clone();
                    next.push(v);
                    next
                })
            })
            .collect();
    }
    if grid.len() > MAX_POINTS {
        return Err(SweepError::Shape(format!(
            "{} points: at most {MAX_POINTS}, take larger steps",
            grid.len()
        )));
    }
    Ok(grid)
}

/// Runs every point's model and keeps its horizon figures (wait points
/// left out), in the points' order.
/// `None` when `stop` was set before every point finished.
fn horizons(
    models: &[Scenario],
    options: RunOptions,
    progress: &(dyn Fn() + Sync),
    stop: Option<&AtomicBool>,
) -> Result<Option<Vec<RunResults>>, RunError> {
    let point_options = RunOptions {
        threads: None,
        ..options
    };
    let work = || {
        models
            .par_iter()
            .map(|s| {
                let control = montecarlo::Control {
                    replications: 0..point_options.replications,
                    stop,
                };
                montecarlo::run_controlled(&s.model, point_options, &control, progress).map(|r| {
                    (!r.interrupted).then(|| {
                        let mut results = r.results(&s.model);
                        results.retain(|e| e.level == Level::Horizon && !e.metric.is_wait_point());
                        results
                    })
                })
            })
            .collect::<Result<Option<Vec<_>>, _>>()
    };
    montecarlo::on_threads(options.threads, work)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_include_both_ends_without_drift() {
        let p: Parameter = "scale.volume=1.0..1.3:0.1".parse().unwrap();
        assert_eq!(p.values, vec![1.0, 1.1, 1.2, 1.3]);
        assert!(!p.whole);
        let p: Parameter = "pools.a.agents=30..40:5".parse().unwrap();
        assert_eq!(p.values, vec![30.0, 35.0, 40.0]);
        assert!(p.whole);
        assert_eq!(p.set(35.0).text, "pools.a.agents=35");
    }

    #[test]
    fn malformed_ranges_are_explained() {
        let e = |s: &str| s.parse::<Parameter>().unwrap_err().to_string();
        assert_eq!(
            e("pools.a.agents=30-40"),
            "--vary pools.a.agents=30-40: write PATH=FROM..TO:STEP, e.g. pools.frontline.agents=30..60:5"
        );
        assert_eq!(
            e("a.b=5..1:1"),
            "--vary a.b=5..1:1: TO must not be below FROM"
        );
        assert_eq!(e("a.b=1..5:0"), "--vary a.b=1..5:0: STEP must be positive");
        assert_eq!(e("a.b=1..x:1"), "--vary a.b=1..x:1: TO `x` is not a number");
        assert!(e("a.b=0..100000:1").contains("at most 1000"));
    }
}
