//! Phase 1 of the search: Erlang A's first guess per interval. The
//! interval's load on the pool ([`IntervalLoad`]) is taken as stationary, and
//! the guess is the fewest agents whose Erlang A figures meet every target.
//! Each interval also gets the delay probability Erlang A associates with
//! its guess, which ISA then keeps stable.

use crate::planning::load::IntervalLoad;

use super::problem::{Problem, pick};

/// Erlang A's first guess.
pub(super) struct FirstGuess {
    /// Agents on duty per slot (staffed pool × horizon interval).
    pub(super) staffing: Vec<u32>,
    /// Per slot, the delay probability `α(i)` of the guess.
    pub(super) alpha: Vec<f64>,
}

/// The first guess for every slot (0 where the pool is not staffed); an
/// e-mail desk gets, on each working day, the agents that work the e-mails
/// arrived since the previous working day at 85% occupancy over its open
/// hours.
pub(super) fn first_guess(problem: &Problem) -> FirstGuess {
    let slots = problem.active.len();
    let mut alpha = vec![0.5; slots];
    let mut staffing: Vec<u32> = (0..slots)
        .map(|i| {
            if !problem.active[i] || problem.pools[problem.slot(i).0].email {
                return 0;
            }
            let load = problem.loads[i];
            let n = erlang_staffing(problem, i, &load);
            if n > 0 && load.rate > 0.0 {
                let figures = load.figures(n, 0.0);
                alpha[i] = figures.map_or(0.5, |f| f.p_wait).clamp(0.001, 0.999);
            }
            n
        })
        .collect();
    for p in 0..problem.pools.len() {
        if problem.pools[p].email {
            email_guess(problem, p, &mut staffing);
        }
    }
    FirstGuess { staffing, alpha }
}

/// An e-mail desk's first guess (see [`first_guess`]).
fn email_guess(problem: &Problem, p: usize, staffing: &mut [u32]) {
    let cal = &problem.model.calendar;
    let per_day = cal.intervals_per_day as usize;
    let n = problem.intervals();
    let pool = &problem.pools[p];
    let mut pending = 0.0;
    for d in 0..cal.days as usize {
        pending += problem.email_work(p, d);
        let open: Vec<usize> = (p * n + d * per_day..p * n + (d + 1) * per_day)
            .filter(|&k| problem.active[k])
            .collect();
        if open.is_empty() {
            continue;
        }
        let seconds = open.len() as f64 * cal.interval;
        let agents = ((pending / seconds / 0.85).ceil() as u32).clamp(1, pool.cap);
        for k in open {
            staffing[k] = agents;
        }
        pending = 0.0;
    }
}

impl Problem {
    /// The streams that staffed pool `p` is the one to staff for, each once.
    pub(super) fn targeted_streams(&self, p: usize) -> Vec<usize> {
        let mut streams: Vec<usize> = self.pools[p]
            .objectives
            .iter()
            .flat_map(|&o| self.objectives[o].streams.clone())
            .collect();
        streams.sort_unstable();
        streams.dedup();
        streams
    }

    /// Expected agent-seconds of the e-mails that staffed pool `p` is the
    /// one to staff for, arriving on day `d`.
    pub(super) fn email_work(&self, p: usize, d: usize) -> f64 {
        let per_day = self.model.calendar.intervals_per_day as usize;
        self.targeted_streams(p)
            .iter()
            .map(|&s| {
                let st = &self.model.streams[s];
                st.expected[d * per_day..(d + 1) * per_day]
                    .iter()
                    .sum::<f64>()
                    * st.handle_time.mean()
            })
            .sum()
    }
}

/// Fewest agents whose Erlang A figures meet every objective of slot `k`'s
/// pool (at most the cap).
fn erlang_staffing(problem: &Problem, k: usize, load: &IntervalLoad) -> u32 {
    if load.rate <= 0.0 {
        return 0;
    }
    let cap = problem.cap(k);
    problem
        .objectives_of(k)
        .iter()
        .map(|&o| {
            let g = &problem.objectives[o];
            let (metric, value) = (g.metric, g.value);
            load.fewest_agents(metric.threshold(), cap, |f| pick(f, metric) >= value)
                .unwrap_or(cap)
        })
        .max()
        .unwrap_or(0)
}
