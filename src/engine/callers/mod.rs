//! What a caller does beyond waiting in line: hears an announcement of the
//! expected wait and may leave, abandons when their patience runs out,
//! accepts a callback offer, and after a failed attempt may redial.
//!
//! Each behaviour draws from its stream's own random source (choices from
//! `choice`, redials from `redial`), so that switching one on leaves the
//! other behaviours' random numbers where they were.

mod abandonment;
mod announcement;
mod callback;
mod redial;

pub(super) use redial::PlannedRedials;

use crate::stats::{CallerOutcome, Recorder};

use super::stream::Caller;
use super::{Engine, Router};

impl<P: Router> Engine<'_, P> {
    /// Tells the end of `caller`'s story (when callers are followed).
    #[inline]
    pub(super) fn caller_ends<R: Recorder>(
        &self,
        caller: Caller,
        outcome: CallerOutcome,
        recorder: &mut R,
    ) {
        if self.track_callers {
            recorder.caller(
                caller.origin.index(),
                caller.first_interval.index(),
                outcome,
                caller.attempt,
            );
        }
    }
}
