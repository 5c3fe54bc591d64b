//! The announcement of the expected wait: a call that must queue hears how
//! long it will wait, and when that is above the line's limit the caller
//! may hang up at once (`sent_away`).

use rand::RngExt;

use crate::model::Seconds;

use super::super::{Engine, Router};

impl<P: Router> Engine<'_, P> {
    /// Whether a new call of stream `s` that must queue hears an
    /// announcement and leaves. The choice is drawn only when the
    /// announcement plays.
    #[inline(always)]
    pub(in crate::engine) fn leaves_on_announcement(&mut self, s: usize, now: Seconds) -> bool {
        if let Some(a) = self.streams[s].announcement
            && self.expected_wait(s, now) > a.max_expected_wait
        {
            return self.streams[s].choice_rng.random::<f64>() < a.leave;
        }
        false
    }

    /// The wait a new call of stream `s` can expect, as a queue message
    /// would announce it: the calls ahead plus this one, each taking the mean
    /// handle time, shared by the agents on duty of the pools that serve the
    /// stream at once.
    fn expected_wait(&mut self, s: usize, now: Seconds) -> Seconds {
        let ahead = self.waiting_in(s, now);
        let agents: u32 = self
            .router
            .arrival_pools(s)
            .iter()
            .map(|&p| self.pools[p].effective())
            .sum();
        if agents == 0 {
            return f64::INFINITY;
        }
        (ahead + 1) as f64 * self.streams[s].mean_handle / f64::from(agents)
    }
}
