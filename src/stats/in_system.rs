//! The number of contacts in the system over time, per interval: what the
//! staffing optimiser's iterative-staffing algorithm needs (the distribution
//! of the number of contacts waiting or in service at each time).
//!
//! [`InSystem`] is a recorder that keeps the usual [`Counters`] and, from the
//! engine's [`Recorder::sojourn`] calls, the time each interval spends with
//! `n` agents' worth of contacts in the system, for every `n`. A call counts
//! as one agent's worth; a chat as `1 / concurrency` (an agent serves that
//! many at once). Only the streams given a weight are counted, so the
//! optimiser can count the live contacts of the pool it staffs.
//!
//! Sojourns are buffered and swept once at the end of the replication
//! ([`InSystem::finish`]), because abandonment is applied lazily by the
//! engine and a sojourn may end before the moment it is told. The buffer is
//! reused across replications.

use crate::model::{Channel, Model};

use super::counters::Counters;
use super::recorder::Recorder;

/// Counters plus the time-weighted distribution of contacts in the system.
#[derive(Debug, Clone)]
pub struct InSystem {
    /// The usual per-interval counters.
    pub counters: Counters,
    /// Per stream: weight of one contact in units of 1/`unit` agent (0: not counted).
    weight: Vec<i64>,
    /// Units per agent (the chat concurrency).
    unit: i64,
    interval: f64,
    end: f64,
    /// (time, change in units) of every counted arrival and departure.
    deltas: Vec<(f64, i64)>,
    /// `[interval][n]`: seconds of the interval with `n` agents' worth of
    /// contacts in the system (rounded up), filled by [`InSystem::finish`].
    histogram: Vec<Vec<f64>>,
}

impl InSystem {
    /// A recorder for `model` counting the contacts of the streams for which
    /// `counted(stream)` is true (e-mail is never counted).
    pub fn new(model: &Model, counted: impl Fn(usize) -> bool) -> InSystem {
        let unit = i64::from(model.channel(Channel::Chat).concurrency.max(1));
        let weight = model
            .streams
            .iter()
            .enumerate()
            .map(|(s, stream)| match stream.channel {
                _ if !counted(s) => 0,
                Channel::Call | Channel::Visit => unit,
                Channel::Chat => 1,
                Channel::Email => 0,
            })
            .collect();
        InSystem {
            counters: Counters::new(model),
            weight,
            unit,
            interval: model.calendar.interval,
            end: model.calendar.end(),
            deltas: Vec::new(),
            histogram: vec![Vec::new(); model.calendar.intervals()],
        }
    }

    /// Zeroes everything for the next replication, keeping the buffers.
    pub fn reset(&mut self) {
        self.counters.reset();
        self.deltas.clear();
        for h in &mut self.histogram {
            h.clear();
        }
    }

    /// Sweeps the buffered sojourns into the per-interval histograms; call
    /// once at the end of the replication, before [`InSystem::histogram`].
    pub fn finish(&mut self) {
        self.deltas.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut level: i64 = 0;
        let mut t = 0.0;
        let deltas = std::mem::take(&mut self.deltas);
        for &(time, change) in &deltas {
            let time = time.clamp(0.0, self.end);
            self.spend(t, time, level);
            t = time;
            level += change;
        }
        self.spend(t, self.end, level);
        self.deltas = deltas;
    }

    /// Books the time from `from` to `to` at `level` units, interval by interval.
    fn spend(&mut self, mut from: f64, to: f64, level: i64) {
        if to <= from {
            return;
        }
        // Agents' worth of contacts, rounded up: the agents needed to serve them all.
        let n = ((level.max(0) + self.unit - 1) / self.unit) as usize;
        while from < to {
            let i = ((from / self.interval) as usize).min(self.histogram.len() - 1);
            let boundary = ((i + 1) as f64 * self.interval).min(to);
            let boundary = if boundary <= from { to } else { boundary };
            let h = &mut self.histogram[i];
            if h.len() <= n {
                h.resize(n + 1, 0.0);
            }
            h[n] += boundary - from;
            from = boundary;
        }
    }

    /// Seconds of interval `i` with `n` agents' worth of contacts in the
    /// system, for `n` from 0 (empty after the last `n` with time).
    pub fn histogram(&self, i: usize) -> &[f64] {
        &self.histogram[i]
    }

    /// All the histograms, by interval.
    pub fn histograms(&self) -> &[Vec<f64>] {
        &self.histogram
    }
}

impl Recorder for InSystem {
    #[inline]
    fn offered(&mut self, stream: usize, interval: usize) {
        self.counters.offered(stream, interval);
    }

    #[inline]
    fn answered(&mut self, stream: usize, interval: usize, wait: f64, handle: f64, on_time: bool) {
        self.counters
            .answered(stream, interval, wait, handle, on_time);
    }

    #[inline]
    fn abandoned(&mut self, stream: usize, interval: usize, wait: f64) {
        self.counters.abandoned(stream, interval, wait);
    }

    #[inline]
    fn blocked(&mut self, stream: usize, interval: usize) {
        self.counters.blocked(stream, interval);
    }

    #[inline]
    fn closed_out(&mut self, stream: usize, interval: usize, wait: f64) {
        self.counters.closed_out(stream, interval, wait);
    }

    fn left_waiting(&mut self, stream: usize, interval: usize, deadline_passed: bool) {
        self.counters
            .left_waiting(stream, interval, deadline_passed);
    }

    #[inline]
    fn pool_time(&mut self, pool: usize, interval: usize, busy: f64, present: f64) {
        self.counters.pool_time(pool, interval, busy, present);
    }

    fn backlog(&mut self, stream: usize, day: usize, waiting: usize) {
        self.counters.backlog(stream, day, waiting);
    }

    fn booked(&mut self, stream: usize, interval: usize) {
        self.counters.booked(stream, interval);
    }

    fn no_show(&mut self, stream: usize, interval: usize) {
        self.counters.no_show(stream, interval);
    }

    fn deflected(&mut self, stream: usize, interval: usize) {
        self.counters.deflected(stream, interval);
    }

    fn served_early(&mut self, stream: usize, interval: usize) {
        self.counters.served_early(stream, interval);
    }

    #[inline]
    fn sojourn(&mut self, stream: usize, arrival: f64, departure: f64) {
        let w = self.weight[stream];
        if w > 0 && departure > arrival {
            self.deltas.push((arrival, w));
            self.deltas.push((departure, -w));
        }
    }
}
