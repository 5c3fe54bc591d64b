//! When contacts arrive: the volume level of each theme and day, the
//! non-homogeneous Poisson process of each stream (phone menus and mailing
//! waves are already in the model's expected arrivals per interval), and
//! callers transferred in from another line.

use rand::RngExt;
use rand_distr::{Exp1, Gamma};

use crate::model::{Model, Seconds, UncertaintyPeriod};
use crate::stats::Recorder;

use super::ids::{IntervalId, StreamId};
use super::rng::{Source, stream_rng};
use super::stream::{Caller, Draws};
use super::{Engine, EventKind, Router};

/// The volume level factor of each theme and day in this replication: 1
/// for a theme whose volume is certain, else a draw around 1.
pub(super) struct Levels {
    days: usize,
    /// Theme-major: the factors of theme `t` are `factor[t * days..(t + 1) * days]`.
    factor: Vec<f64>,
}

impl Levels {
    /// Levels of 1 for every theme and day of `model`.
    pub(super) fn new(model: &Model) -> Levels {
        let days = model.calendar.days as usize;
        Levels {
            days,
            factor: vec![1.0; model.themes.len() * days],
        }
    }

    /// Draws the levels of replication `replication` of the run seeded with
    /// `seed`, from each uncertain theme's own stream.
    pub(super) fn draw(&mut self, model: &Model, seed: u64, replication: u64) {
        for (t, theme) in model.themes.iter().enumerate() {
            let levels = &mut self.factor[t * self.days..(t + 1) * self.days];
            let Some(u) = theme.uncertainty else {
                levels.fill(1.0);
                continue;
            };
            let mut rng = stream_rng(seed, replication, Source::Volume, &theme.name, "");
            // Gamma with mean 1 and the given cv: positive and right-skewed,
            // as forecast errors of volumes are.
            let shape = 1.0 / (u.cv * u.cv);
            let gamma = Gamma::new(shape, 1.0 / shape).ok();
            let mut draw = || gamma.map_or(1.0, |g| rng.sample(g));
            match u.per {
                UncertaintyPeriod::Replication => levels.fill(draw()),
                UncertaintyPeriod::Day => levels.iter_mut().for_each(|l| *l = draw()),
            }
        }
    }

    /// The factor of theme `t` on horizon day `day`.
    #[inline]
    fn factor(&self, t: usize, day: usize) -> f64 {
        self.factor[t * self.days + day]
    }
}

impl<P: Router> Engine<'_, P> {
    /// Schedules the first arrival of every stream not served by appointment.
    pub(super) fn schedule_first_arrivals(&mut self) {
        for s in 0..self.streams.len() {
            if self.model.streams[s].booked {
                // Its visitors come from the appointment book.
                continue;
            }
            self.schedule_arrival(s, 0.0);
        }
    }

    /// The first arrival of stream `s` after `t`, by inverting the cumulative
    /// rate from one unit-exponential draw.
    fn next_arrival_of(&mut self, s: usize, mut t: Seconds) -> Option<Seconds> {
        let calendar = &self.model.calendar;
        let expected = &self.model.streams[s].expected;
        let per_day = calendar.intervals_per_day as usize;
        let state = &mut self.streams[s];
        let mut need: f64 = state.arrivals.sample(Exp1);
        let mut i = (t / calendar.interval) as usize;
        while i < expected.len() {
            // Most arrivals fall in the interval of the one before: its rate
            // is kept rather than looked up and divided out again.
            let rate = if i == state.rate_interval {
                state.rate
            } else {
                let rate =
                    expected[i] * self.levels.factor(state.theme, i / per_day) / calendar.interval;
                state.rate_interval = i;
                state.rate = rate;
                rate
            };
            let end = (i + 1) as f64 * calendar.interval;
            if rate > 0.0 {
                let room = rate * (end - t);
                if need < room {
                    return Some(t + need / rate);
                }
                need -= room;
            }
            i += 1;
            t = end;
        }
        None
    }

    /// Schedules the next arrival of stream `s` after `now`, if one comes
    /// within the horizon.
    #[inline]
    fn schedule_arrival(&mut self, s: usize, now: Seconds) {
        if let Some(t) = self.next_arrival_of(s, now) {
            self.events.schedule(
                t,
                EventKind::Arrival {
                    stream: StreamId::new(s),
                },
            );
        }
    }

    /// A new caller of stream `s` arrives; the next one is scheduled before
    /// this one is admitted, as the order of scheduling breaks ties.
    pub(super) fn on_arrival<R: Recorder>(&mut self, s: usize, now: Seconds, recorder: &mut R) {
        let i = self.model.calendar.interval_at(now);
        recorder.offered(s, i);
        let interval = IntervalId::new(i);
        let number = self.next_contact();
        let contact = self.streams[s].contact(
            self.model,
            now,
            interval,
            Draws::First,
            Caller::first(s, interval, number),
            number,
        );
        self.schedule_arrival(s, now);
        self.admit(s, contact, now, recorder);
    }

    /// A caller transferred from another line arrives in queue `s`: a new
    /// caller of this line, whose handle time and patience come from the
    /// redial stream so that first attempts keep their random numbers.
    pub(super) fn on_transfer<R: Recorder>(&mut self, s: usize, now: Seconds, recorder: &mut R) {
        let i = self.model.calendar.interval_at(now);
        recorder.offered(s, i);
        recorder.transferred_in(s, i);
        let interval = IntervalId::new(i);
        let number = self.next_contact();
        let contact = self.streams[s].contact(
            self.model,
            now,
            interval,
            Draws::Later,
            Caller::first(s, interval, number),
            number,
        );
        self.admit(s, contact, now, recorder);
    }
}
