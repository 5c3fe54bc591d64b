//! Abandonment: a waiting contact hangs up when its patience runs out.
//!
//! Without redials abandonment is lazy (see the engine's module docs): the
//! contact is removed when it reaches the head of its queue, when the line
//! closes or when the horizon ends, and counted at its true time. With
//! redials it is an event, because the redial is planned when the caller
//! hangs up.

use crate::model::Seconds;
use crate::stats::{Ended, Recorder};

use super::super::stream::Waiting;
use super::super::{Engine, Router};

impl<P: Router> Engine<'_, P> {
    /// Removes the contacts at the head of queue `s` whose patience ran out
    /// by `now`, counting them as abandoned at their true time.
    #[inline]
    pub(in crate::engine) fn purge<R: Recorder>(
        &mut self,
        s: usize,
        now: Seconds,
        recorder: &mut R,
    ) {
        while let Some(head) = self.queues[s].front() {
            if head.abandon_at > now {
                return;
            }
            if let Some(c) = self.queues[s].pop_front() {
                self.abandoned(s, c, recorder);
            }
        }
    }

    /// The patience of contact `id` of queue `s` ran out (an `Abandon`
    /// event); nothing happens if it was served or left before.
    pub(in crate::engine) fn on_abandon<R: Recorder>(
        &mut self,
        s: usize,
        id: u32,
        recorder: &mut R,
    ) {
        if let Some(i) = self.find(s, id)
            && let Some(c) = self.queues[s].remove(i)
        {
            self.abandoned(s, c, recorder);
        }
    }

    /// Counts a contact whose patience ran out, at its true abandonment time.
    pub(in crate::engine) fn abandoned<R: Recorder>(
        &mut self,
        s: usize,
        c: Waiting,
        recorder: &mut R,
    ) {
        recorder.abandoned(s, c.interval.index(), c.abandon_at - c.arrival);
        Self::tell_end(
            s,
            &c,
            Ended::Abandoned,
            c.abandon_at - c.arrival,
            None,
            None,
            recorder,
        );
        recorder.sojourn(s, c.arrival, c.abandon_at);
        self.failed(s, c, c.abandon_at, recorder);
    }

    /// Position of the contact numbered `id` in queue `s`, if still there
    /// (numbers increase from the front to the back).
    pub(in crate::engine) fn find(&self, s: usize, id: u32) -> Option<usize> {
        self.queues[s].find(id)
    }
}
