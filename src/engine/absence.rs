//! Absenteeism: which scheduled agents stay away for a whole day, drawn anew
//! in every replication.
//!
//! Each scheduled agent of a pool with `absenteeism = a` is absent for the
//! whole day with probability `a`, independently of the others and of other
//! days. A pool staffed by shifts draws, per shift and day, the agents present
//! from a binomial distribution of the shift's head count. A pool staffed by a
//! constant or a table has no named agents, so its day is read as agents
//! stacked by seniority: the k-th agent works every interval of the day in
//! which at least k agents are scheduled (a table of 10 in the morning and 4
//! in the afternoon is 4 agents working all day and 6 the morning only); the
//! agents with the same working intervals form one binomial draw.
//!
//! The draws come from a stream of their own per pool ([`Source::Absence`],
//! keyed by the pool's name), so absenteeism changes no other random number,
//! and a pool without absenteeism draws nothing.

use rand_distr::{Binomial, Distribution};
use rand_pcg::Pcg64Mcg;

use crate::model::{Model, Pool};
use crate::stats::Recorder;

use super::rng::{Source, stream_rng};

/// How many of `n` scheduled agents come, each with probability `keep`; a
/// fraction of an agent (a staffing file's) comes by its expected share.
fn present(n: f64, keep: f64, rng: &mut Pcg64Mcg) -> f64 {
    let whole = n.floor();
    match Binomial::new(whole as u64, keep) {
        Ok(b) => b.sample(rng) as f64 + (n - whole) * keep,
        // A probability outside [0, 1], which validation rules out.
        Err(_) => n,
    }
}

/// Agents available per pool and interval in the current replication, for
/// the pools with absenteeism; buffers reused across replications.
pub(super) struct Absence {
    /// Per pool: agents available in each interval of the horizon (empty
    /// for pools without absenteeism, which use the model's figures).
    available: Vec<Vec<u32>>,
    /// Per pool: scheduled agents absent in each interval (empty likewise).
    absent: Vec<Vec<f64>>,
    /// Scratch: agents present per interval of one day.
    day: Vec<f64>,
    /// Scratch: distinct staffing levels of one day.
    levels: Vec<f64>,
}

impl Absence {
    /// Buffers shaped for `model`.
    pub(super) fn new(model: &Model) -> Absence {
        let intervals = model.calendar.intervals();
        let sized = |p: &Pool| if p.absenteeism > 0.0 { intervals } else { 0 };
        Absence {
            available: model.pools.iter().map(|p| vec![0; sized(p)]).collect(),
            absent: model.pools.iter().map(|p| vec![0.0; sized(p)]).collect(),
            day: vec![0.0; model.calendar.intervals_per_day as usize],
            levels: Vec::new(),
        }
    }

    /// Draws the absences of replication `replication` of the run seeded with `seed`.
    pub(super) fn reset(&mut self, model: &Model, seed: u64, replication: u64) {
        let per_day = model.calendar.intervals_per_day as usize;
        for (p, pool) in model.pools.iter().enumerate() {
            if pool.absenteeism <= 0.0 {
                continue;
            }
            let mut rng = stream_rng(seed, replication, Source::Absence, &pool.name, "");
            let keep = 1.0 - pool.absenteeism;
            for d in 0..model.calendar.days as usize {
                let range = d * per_day..(d + 1) * per_day;
                self.day.fill(0.0);
                if pool.shifts.is_empty() {
                    self.draw_stacked_day(&pool.scheduled[range.clone()], keep, &mut rng);
                } else {
                    self.draw_shifts_day(pool, d, keep, &mut rng);
                }
                for (j, i) in range.enumerate() {
                    self.available[p][i] = pool.available_with(i, self.day[j]);
                    self.absent[p][i] = pool.scheduled[i] - self.day[j];
                }
            }
        }
    }

    /// Agents present in each interval of a day staffed by a constant or a
    /// table (`scheduled`, one figure per interval), into `self.day`.
    fn draw_stacked_day(&mut self, scheduled: &[f64], keep: f64, rng: &mut Pcg64Mcg) {
        // Agents stacked by seniority: the agents between two consecutive
        // staffing levels work the same intervals, so they are one draw.
        self.levels.clear();
        self.levels
            .extend(scheduled.iter().copied().filter(|&n| n > 0.0));
        self.levels.sort_by(f64::total_cmp);
        self.levels.dedup();
        let mut below = 0.0;
        let mut present_below = 0.0;
        for &level in &self.levels {
            present_below += present(level - below, keep, rng);
            below = level;
            for (slot, &n) in self.day.iter_mut().zip(scheduled) {
                if n == level {
                    *slot = present_below;
                }
            }
        }
    }

    /// Agents present in each interval of horizon day `d` of `pool`, staffed
    /// by shifts, into `self.day`: one draw per shift.
    fn draw_shifts_day(&mut self, pool: &Pool, d: usize, keep: f64, rng: &mut Pcg64Mcg) {
        for shift in &pool.shifts {
            let n = shift.count[d];
            if n == 0 {
                continue;
            }
            let k = present(f64::from(n), keep, rng);
            for &(a, b) in &shift.segments {
                for slot in &mut self.day[a as usize..b as usize] {
                    *slot += k;
                }
            }
        }
    }

    /// Agents of pool `p` available in interval `index` of this replication.
    #[inline]
    pub(super) fn available(&self, model: &Model, p: usize, index: usize) -> u32 {
        match self.available[p].get(index) {
            Some(&n) => n,
            None => model.pools[p].available[index],
        }
    }

    /// Tells `recorder` the absent agent time of every pool in interval `index`.
    pub(super) fn record<R: Recorder>(&self, model: &Model, index: usize, recorder: &mut R) {
        for (p, absent) in self.absent.iter().enumerate() {
            if let Some(&n) = absent.get(index)
                && n > 0.0
            {
                recorder.absent(p, index, n * model.calendar.interval);
            }
        }
    }
}
