//! Phase 1 of the search: Erlang A's first guess per interval. The
//! interval's load on the pool ([`IntervalLoad`]) is taken as stationary, and
//! the guess is the fewest agents whose Erlang A figures meet every target.
//! Each interval also gets the delay probability Erlang A associates with
//! its guess, which ISA then keeps stable.

use crate::erlang::QueueFigures;
use crate::planning::load::IntervalLoad;

use super::problem::{Metric, Problem};

/// Erlang A's first guess.
pub(super) struct FirstGuess {
    /// Agents on duty per horizon interval.
    pub(super) staffing: Vec<u32>,
    /// Per horizon interval, the delay probability `α(i)` of the guess.
    pub(super) alpha: Vec<f64>,
}

/// The first guess for every interval of the horizon (0 where the pool is not staffed).
pub(super) fn first_guess(problem: &Problem) -> FirstGuess {
    let intervals = problem.model.calendar.intervals();
    let mut alpha = vec![0.5; intervals];
    let staffing: Vec<u32> = (0..intervals)
        .map(|i| {
            if !problem.active[i] {
                return 0;
            }
            let load = problem.loads[i];
            let n = erlang_staffing(problem, &load);
            if n > 0 && load.rate > 0.0 {
                let figures = load.figures(n, 0.0);
                alpha[i] = figures.map_or(0.5, |f| f.p_wait).clamp(0.001, 0.999);
            }
            n
        })
        .collect();
    FirstGuess { staffing, alpha }
}

/// Fewest agents whose Erlang A figures meet every goal (at most the cap).
fn erlang_staffing(problem: &Problem, load: &IntervalLoad) -> u32 {
    if load.rate <= 0.0 {
        return 0;
    }
    problem
        .goals
        .iter()
        .map(|g| {
            let (metric, value) = (g.metric, g.value);
            load.fewest_agents(metric.threshold(), problem.cap, |f| {
                pick(f, metric) >= value
            })
            .unwrap_or(problem.cap)
        })
        .max()
        .unwrap_or(0)
}

/// The Erlang A figure of a target's metric with `n` agents at a load
/// (everything is reached where nothing arrives).
pub(super) fn figure(load: &IntervalLoad, metric: Metric, n: u32) -> f64 {
    if load.rate <= 0.0 {
        return 1.0;
    }
    // No agents, or Erlang C without patience at or above the load: nobody is served.
    load.figures(n, metric.threshold())
        .map_or(0.0, |f| pick(&f, metric))
}

/// A metric's figure.
fn pick(f: &QueueFigures, metric: Metric) -> f64 {
    match metric {
        Metric::Reachability => f.reachability,
        Metric::ServiceLevel(_) => f.service_level,
    }
}
