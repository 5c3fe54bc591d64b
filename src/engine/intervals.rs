//! The start of each interval: the agent time of the interval that ended is
//! booked, the e-mail backlog is told at the end of each day, and agents
//! come on or go off duty to meet the new staffing (after this
//! replication's absences).

use crate::model::{Channel, Seconds};
use crate::stats::Recorder;

use super::ids::IntervalId;
use super::{Engine, EventKind, Router};

impl<P: Router> Engine<'_, P> {
    /// Interval `index` starts at `now`.
    pub(super) fn on_interval<R: Recorder>(
        &mut self,
        index: usize,
        now: Seconds,
        recorder: &mut R,
    ) {
        let model = self.model;
        self.book_agent_time(now, recorder);
        self.current_interval = index;
        let per_day = model.calendar.intervals_per_day as usize;
        if index > 0 && index.is_multiple_of(per_day) {
            self.record_backlog(index / per_day - 1, recorder);
            recorder.day_ended(index / per_day - 1);
        }
        self.absence.record(model, index, recorder);
        for p in 0..self.pools.len() {
            let target = self.absence.available(model, p, index);
            let pool = &mut self.pools[p];
            let effective = pool.effective();
            if target > effective {
                pool.add_agents(target - effective);
                self.dispatch_idle(p, now, recorder);
            } else if target < effective {
                // Idle agents leave now, busy ones when they finish.
                pool.remove_agents(effective - target);
            }
        }
        if index + 1 < model.calendar.intervals() {
            self.events.schedule(
                model.calendar.interval_start(index + 1),
                EventKind::Interval {
                    interval: IntervalId::new(index + 1),
                },
            );
        }
    }

    /// Tells the busy and present agent time of every pool since the last
    /// booking, against the current interval.
    pub(super) fn book_agent_time<R: Recorder>(&mut self, now: Seconds, recorder: &mut R) {
        for (p, pool) in self.pools.iter_mut().enumerate() {
            pool.advance(now);
            let (busy, present) = pool.take_time();
            if present > 0.0 || busy > 0.0 {
                recorder.pool_time(p, self.current_interval, busy, present);
            }
        }
    }

    /// Tells the e-mails waiting at the end of horizon day `day`.
    pub(super) fn record_backlog<R: Recorder>(&mut self, day: usize, recorder: &mut R) {
        for (s, queue) in self.queues.iter().enumerate() {
            if self.streams[s].channel == Channel::Email {
                recorder.backlog(s, day, queue.len());
            }
        }
    }
}
