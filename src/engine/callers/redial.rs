//! Redials: after a failed attempt (abandoned, blocked, closed out, sent
//! away) a caller may try again later, on the same stream or by e-mail, up
//! to the channel's `max_attempts`. A redial that would fall while the line
//! is closed is made after the next opening.

use rand::RngExt;

use crate::model::Seconds;
use crate::stats::{CallerOutcome, Recorder};

use super::super::ids::{IntervalId, RedialSlot, StreamId};
use super::super::stream::{Caller, Draws, Waiting};
use super::super::{Engine, EventKind, Router};

/// A redial planned for later: the caller's next attempt, on `stream`.
#[derive(Debug, Clone, Copy)]
struct PlannedRedial {
    stream: StreamId,
    caller: Caller,
}

/// Redials planned for later, found by the slot their `Redial` event
/// carries. A slot is reused once its redial is made, so the store stops
/// growing at the most redials pending at once (no allocation per event).
#[derive(Debug, Default)]
pub(in crate::engine) struct PlannedRedials {
    planned: Vec<PlannedRedial>,
    free: Vec<RedialSlot>,
}

impl PlannedRedials {
    /// Forgets every planned redial, keeping the buffers.
    pub(in crate::engine) fn clear(&mut self) {
        self.planned.clear();
        self.free.clear();
    }

    /// Keeps `redial` and returns its slot.
    fn plan(&mut self, redial: PlannedRedial) -> RedialSlot {
        match self.free.pop() {
            Some(slot) => {
                self.planned[slot.index()] = redial;
                slot
            }
            None => {
                self.planned.push(redial);
                RedialSlot::new(self.planned.len() - 1)
            }
        }
    }

    /// The redial in `slot`, which is freed for another.
    fn take(&mut self, slot: RedialSlot) -> PlannedRedial {
        let redial = self.planned[slot.index()];
        self.free.push(slot);
        redial
    }

    /// The redial in `slot`, left in place.
    fn get(&self, slot: RedialSlot) -> PlannedRedial {
        self.planned[slot.index()]
    }
}

impl<P: Router> Engine<'_, P> {
    /// An attempt of stream `s` failed at `at` (abandoned, blocked, closed
    /// out, sent away): the caller may try again, else gives up.
    pub(in crate::engine) fn failed<R: Recorder>(
        &mut self,
        s: usize,
        c: Waiting,
        at: Seconds,
        recorder: &mut R,
    ) {
        if !self.track_callers {
            return;
        }
        if self.tries_again(s, c.caller.attempt) {
            self.plan_redial(s, c.caller, at);
        } else {
            self.caller_ends(c.caller, CallerOutcome::GaveUp, recorder);
        }
    }

    /// Whether a caller of stream `s` whose attempt number `attempt` failed
    /// tries again (a draw from the redial stream, unless the attempts are used up).
    fn tries_again(&mut self, s: usize, attempt: u32) -> bool {
        let model = self.model;
        let state = &mut self.streams[s];
        match (&model.channel(state.channel).redial, &state.redial_delay) {
            (Some(r), Some(_)) => {
                let p = if attempt <= 1 { r.first } else { r.later };
                attempt < r.max_attempts && state.redial_rng.random::<f64>() < p
            }
            _ => false,
        }
    }

    /// Schedules `caller`'s next attempt after the one on stream `s` that
    /// failed at `at`: after the redial delay, by e-mail for some, and for
    /// the others not before their line opens again.
    fn plan_redial(&mut self, s: usize, caller: Caller, at: Seconds) {
        let model = self.model;
        let state = &mut self.streams[s];
        let (Some(r), Some(delay)) = (&model.channel(state.channel).redial, &state.redial_delay)
        else {
            return;
        };
        let mut t = at + delay.sample(&mut state.redial_rng);
        let mut target = s;
        if r.to_email > 0.0
            && let Some(e) = state.email_stream
            && state.redial_rng.random::<f64>() < r.to_email
        {
            target = e;
        }
        if target == s {
            // Callers who find the line closed call back soon after it opens,
            // not all at the opening instant.
            let spread = r.next_day_spread * state.redial_rng.random::<f64>();
            let line = state.line;
            match self.open_at_or_after(line, t) {
                Some(open) if open > t => t = open + spread,
                Some(_) => {}
                // No opening left in the horizon: the caller will try after it.
                None => t = model.calendar.end() + 1.0,
            }
        }
        let slot = self.redials.plan(PlannedRedial {
            stream: StreamId::new(target),
            caller: caller.next_attempt(),
        });
        self.events.schedule(t, EventKind::Redial { slot });
    }

    /// A planned redial is made: a new attempt, offered again.
    pub(in crate::engine) fn on_redial<R: Recorder>(
        &mut self,
        slot: RedialSlot,
        now: Seconds,
        recorder: &mut R,
    ) {
        let r = self.redials.take(slot);
        let s = r.stream.index();
        let i = self.model.calendar.interval_at(now);
        recorder.offered(s, i);
        recorder.redialled(s, i);
        let number = self.next_contact();
        let contact = self.streams[s].contact(
            self.model,
            now,
            IntervalId::new(i),
            Draws::Later,
            r.caller,
            number,
        );
        self.admit(s, contact, now, recorder);
    }

    /// Tells the callers whose redial is still planned at the end of the
    /// horizon as pending, emptying the event calendar.
    pub(in crate::engine) fn tell_pending_redials<R: Recorder>(&mut self, recorder: &mut R) {
        while let Some(event) = self.events.pop() {
            if let EventKind::Redial { slot } = event.kind
                && self.track_callers
            {
                let caller = self.redials.get(slot).caller;
                // The planned attempt was never made.
                recorder.caller(
                    caller.origin.index(),
                    caller.first_interval.index(),
                    CallerOutcome::Pending,
                    caller.attempt - 1,
                );
            }
        }
    }
}
