//! Callbacks: a call still waiting after the line's `after` seconds is
//! offered a callback; a caller who accepts leaves the queue, and an agent
//! of a pool that serves the stream calls back while the line is open, when
//! no call or chat waits for them.

use rand::RngExt;

use crate::model::Seconds;
use crate::stats::{CallerOutcome, Ended, Recorder};

use super::super::ids::{AgentId, PoolId};
use super::super::stream::Waiting;
use super::super::{Engine, EventKind, Router};

impl<P: Router> Engine<'_, P> {
    /// Call `id` of stream `s` is offered a callback, if it still waits.
    pub(in crate::engine) fn on_callback_offer<R: Recorder>(
        &mut self,
        s: usize,
        id: u32,
        now: Seconds,
        recorder: &mut R,
    ) {
        let Some(offer) = self.model.lines[self.streams[s].line].callback else {
            return;
        };
        let Some(i) = self.find(s, id) else { return };
        // A caller who already hung up (lazy abandonment) hears no offer.
        if self.queues[s].get(i).is_none_or(|c| c.abandon_at <= now)
            || self.streams[s].choice_rng.random::<f64>() >= offer.accept
        {
            return;
        }
        let Some(mut c) = self.queues[s].remove(i) else {
            return;
        };
        recorder.callback_requested(s, c.interval.index(), now - c.arrival);
        Self::tell_end(
            s,
            &c,
            Ended::Callback,
            now - c.arrival,
            None,
            None,
            recorder,
        );
        recorder.sojourn(s, c.arrival, now);
        c.arrival = now;
        c.abandon_at = f64::INFINITY;
        self.callbacks[s].push_back(c);
        for k in 0..self.router.arrival_pools(s).len() {
            let p = self.router.arrival_pools(s)[k];
            self.dispatch_idle(p, now, recorder);
        }
    }

    /// `agent` of pool `p` calls back the caller of callback request `c`.
    pub(in crate::engine) fn start_callback<R: Recorder>(
        &mut self,
        p: usize,
        agent: AgentId,
        s: usize,
        c: Waiting,
        now: Seconds,
        recorder: &mut R,
    ) {
        let c = Waiting {
            handle: self.handle_by(p, c.handle, now),
            ..c
        };
        let pool = &mut self.pools[p];
        pool.advance(now);
        pool.start_single(agent);
        recorder.callback_made(s, c.interval.index(), now - c.arrival, c.handle);
        self.caller_ends(c.caller, CallerOutcome::Reached, recorder);
        self.events.schedule(
            now + c.handle,
            EventKind::Departure {
                pool: PoolId::new(p),
                agent,
                chat: false,
            },
        );
    }
}
