//! A new contact (first attempt, redial, transfer or visitor) meets the
//! center: an agent takes it at once, it is turned away (a full queue, an
//! announcement that sends it away), or it joins its queue with the timers
//! its behaviour needs (abandonment, callback offer, overflow).

use crate::model::{Channel, Seconds};
use crate::stats::{Ended, Recorder};

use super::ids::{PoolId, StreamId};
use super::stream::Waiting;
use super::{Engine, EventKind, Router};

// `admit` runs once per offered contact. Its steps are forced inline so
// that it compiles as one body, as it did before it was split into them:
// left to the optimiser they stayed separate calls and the year-of-calls
// benchmark took about 1% more instructions.
impl<P: Router> Engine<'_, P> {
    /// A new contact of stream `s` is served at once, turned away, or joins
    /// its queue.
    #[inline]
    pub(super) fn admit<R: Recorder>(
        &mut self,
        s: usize,
        contact: Waiting,
        now: Seconds,
        recorder: &mut R,
    ) {
        if self.serve_at_once(s, contact, now, recorder) {
            return;
        }
        if self.turned_away(s, contact, now, recorder) {
            return;
        }
        self.enqueue(s, contact, now);
    }

    /// Gives the contact to the first pool with a free agent among those
    /// that take stream `s` without delay; returns whether one took it.
    /// E-mail waits while its line is closed, whoever is free, and goes only
    /// to a pool with more idle agents than its e-mail reserve.
    #[inline(always)]
    fn serve_at_once<R: Recorder>(
        &mut self,
        s: usize,
        contact: Waiting,
        now: Seconds,
        recorder: &mut R,
    ) -> bool {
        let channel = self.streams[s].channel;
        if channel == Channel::Email && !self.line_open[self.streams[s].line] {
            return false;
        }
        for k in 0..self.router.arrival_pools(s).len() {
            let p = self.router.arrival_pools(s)[k];
            // Blending threshold: an e-mail leaves the reserve of idle agents.
            if channel == Channel::Email && self.pools[p].idle.len() <= self.router.email_reserve(p)
            {
                continue;
            }
            let agent = match channel {
                Channel::Chat => self.pools[p].take_for_chat(),
                _ => self.pools[p].take_idle(),
            };
            if let Some(agent) = agent {
                self.start_service(p, agent, s, contact, now, recorder);
                return true;
            }
        }
        false
    }

    /// Whether a contact that no agent took at once is turned away: by a
    /// full queue (blocked) or by the announcement of the expected wait
    /// (sent away). Either way the attempt has failed.
    #[inline(always)]
    fn turned_away<R: Recorder>(
        &mut self,
        s: usize,
        contact: Waiting,
        now: Seconds,
        recorder: &mut R,
    ) -> bool {
        let interval = contact.interval.index();
        let outcome = if self.streams[s].limited && self.queue_full(self.streams[s].line, now) {
            recorder.blocked(s, interval);
            Ended::Blocked
        } else if self.leaves_on_announcement(s, now) {
            recorder.sent_away(s, interval);
            Ended::SentAway
        } else {
            return false;
        };
        Self::tell_end(s, &contact, outcome, 0.0, None, None, recorder);
        recorder.sojourn(s, now, now);
        self.failed(s, contact, now, recorder);
        true
    }

    /// Puts the contact at the back of queue `s`, numbered, and schedules
    /// what may happen to it while it waits.
    #[inline(always)]
    fn enqueue(&mut self, s: usize, contact: Waiting, now: Seconds) {
        let state = &self.streams[s];
        let id = contact.id;
        let abandon_at = contact.abandon_at;
        self.queues[s].push_back(contact);
        let stream = StreamId::new(s);
        if state.eager_abandon && abandon_at.is_finite() {
            self.events
                .schedule(abandon_at, EventKind::Abandon { stream, id });
        }
        // Timers that would fire after the caller hung up are not scheduled.
        if let Some(cb) = state.callback
            && now + cb.after < abandon_at
        {
            self.events
                .schedule(now + cb.after, EventKind::CallbackOffer { stream, id });
        }
        for k in 0..self.router.overflow(s).len() {
            let (delay, pool) = self.router.overflow(s)[k];
            if now + delay < abandon_at {
                self.events.schedule(
                    now + delay,
                    EventKind::Overflow {
                        stream,
                        pool: PoolId::new(pool),
                    },
                );
            }
        }
    }

    /// Contacts in queue `s` still waiting at `now`: those whose patience
    /// ran out may still be there (lazy abandonment) and are not counted.
    /// The queue keeps the count (see the `queue` module): only the streams
    /// of a line with a queue limit or an announcement may ask.
    pub(super) fn waiting_in(&mut self, s: usize, now: Seconds) -> usize {
        self.queues[s].waiting(now)
    }

    /// Whether the calls and chats waiting on `line` fill its `max_queue`.
    fn queue_full(&mut self, line: usize, now: Seconds) -> bool {
        let Some(max) = self.model.lines[line].max_queue else {
            return false;
        };
        let max = max as usize;
        let mut waiting = 0;
        for s in 0..self.streams.len() {
            let stream = &self.streams[s];
            if stream.line == line && stream.channel.is_live() {
                waiting += self.waiting_in(s, now);
                if waiting >= max {
                    return true;
                }
            }
        }
        waiting >= max
    }
}
