//! Service: an agent takes a contact and finishes it, then looks for the
//! next one as the router decides (calls and chats first, then callbacks,
//! then e-mail: blending); idle agents are woken when work they may take
//! appears (a line opens, staffing rises, a contact waited long enough to
//! overflow to a backup pool).

use rand::RngExt;

use crate::model::calendar::DAY;
use crate::model::{Channel, Seconds};
use crate::stats::{CallerOutcome, Ended, Recorder};

use super::ids::{AgentId, PoolId, StreamId};
use super::routing::{Pick, QueueView};
use super::stream::Waiting;
use super::{Engine, EventKind, Router};

impl<P: Router> Engine<'_, P> {
    /// `agent` of pool `p` answers `contact` of stream `s` at `now`.
    #[inline]
    pub(super) fn start_service<R: Recorder>(
        &mut self,
        p: usize,
        agent: AgentId,
        s: usize,
        contact: Waiting,
        now: Seconds,
        recorder: &mut R,
    ) {
        let contact = Waiting {
            handle: self.handle_by(p, contact.handle, now),
            ..contact
        };
        let pool = &mut self.pools[p];
        pool.advance(now);
        let chat = self.streams[s].channel == Channel::Chat;
        if chat {
            pool.start_chat(agent);
        } else {
            pool.start_single(agent);
        }
        let wait = now - contact.arrival;
        let interval = contact.interval.index();
        if contact.due > now {
            recorder.served_early(s, interval);
        }
        recorder.sojourn(s, contact.arrival, now + contact.handle);
        recorder.answered(
            s,
            interval,
            wait,
            contact.handle,
            now <= contact.on_time_until,
        );
        Self::tell_end(
            s,
            &contact,
            Ended::Answered,
            wait,
            Some(contact.handle),
            Some(p),
            recorder,
        );
        self.caller_ends(contact.caller, CallerOutcome::Reached, recorder);
        let end = now + contact.handle;
        self.maybe_transfer(s, end);
        self.events.schedule(
            end,
            EventKind::Departure {
                pool: PoolId::new(p),
                agent,
                chat,
            },
        );
    }

    /// How long a contact whose drawn handle time is `handle` takes an agent
    /// of pool `p` who starts it at `now`: `handle` ÷ the pool's speed that
    /// day. The draw is the contact's, whoever answers it (common random
    /// numbers); a pool at speed 1 takes exactly `handle`.
    #[inline]
    pub(super) fn handle_by(&self, p: usize, handle: Seconds, now: Seconds) -> Seconds {
        let pool = &self.model.pools[p];
        if pool.speed.is_empty() {
            return handle;
        }
        // A float-to-integer `as` saturates: instants before the horizon give day 0.
        handle / pool.speed_on((now / DAY) as usize)
    }

    /// After a call of stream `s` that ends at `end`, the caller may be
    /// passed on to another stream's queue (a choice of the caller's stream).
    #[inline]
    fn maybe_transfer(&mut self, s: usize, end: Seconds) {
        if let Some(t) = self.streams[s].transfer
            && self.streams[s].choice_rng.random::<f64>() < t.probability
        {
            self.events.schedule(
                end + t.delay,
                EventKind::Transfer {
                    stream: StreamId::new(t.to),
                },
            );
        }
    }

    /// `agent` of pool `p` finishes a contact (one chat of several, when `chat`).
    #[inline]
    pub(super) fn on_departure<R: Recorder>(
        &mut self,
        p: usize,
        agent: AgentId,
        chat: bool,
        now: Seconds,
        recorder: &mut R,
    ) {
        let pool = &mut self.pools[p];
        pool.advance(now);
        if chat {
            if pool.end_chat(agent) > 0 {
                self.fill_chats(p, agent, now, recorder);
                return;
            }
        } else {
            pool.end_single(agent);
        }
        self.agent_free(p, agent, now, recorder);
    }

    /// A fully free agent looks for work, or goes idle or off duty.
    #[inline]
    fn agent_free<R: Recorder>(
        &mut self,
        p: usize,
        agent: AgentId,
        now: Seconds,
        recorder: &mut R,
    ) {
        // A desk due to leave after closing first serves the visitors still waiting.
        if self.has_visits
            && self.pools[p].to_release > 0
            && self.visitors_after_hours(p)
            && self.serve_next(p, agent, now, false, recorder)
        {
            return;
        }
        if !self.pools[p].release_or_idle(agent) {
            return;
        }
        if !self.serve_next(p, agent, now, false, recorder) {
            self.pools[p].push_idle(agent);
        }
    }

    /// Gives free `agent` of pool `p` the work the router picks; returns
    /// whether there was any.
    #[inline]
    fn serve_next<R: Recorder>(
        &mut self,
        p: usize,
        agent: AgentId,
        now: Seconds,
        chats_only: bool,
        recorder: &mut R,
    ) -> bool {
        match self.pick(p, now, chats_only, recorder) {
            Some(Pick::Live(s)) | Some(Pick::Email(s)) => {
                let Some(c) = self.queues[s].pop_front() else {
                    return false;
                };
                self.start_service(p, agent, s, c, now, recorder);
                if !chats_only {
                    self.fill_chats(p, agent, now, recorder);
                }
                true
            }
            Some(Pick::Callback(s)) => {
                let Some(c) = self.callbacks[s].pop_front() else {
                    return false;
                };
                self.start_callback(p, agent, s, c, now, recorder);
                true
            }
            None => false,
        }
    }

    /// An agent who is chatting below the concurrency takes waiting chats
    /// until the limit is reached or no chat waits, so that no chat waits
    /// while an agent has a free chat slot.
    fn fill_chats<R: Recorder>(
        &mut self,
        p: usize,
        agent: AgentId,
        now: Seconds,
        recorder: &mut R,
    ) {
        while self.pools[p].takes_more_chats(agent) {
            if !self.serve_next(p, agent, now, true, recorder) {
                return;
            }
        }
    }

    /// Idle agents of pool `p` take waiting work while there is some.
    pub(super) fn dispatch_idle<R: Recorder>(&mut self, p: usize, now: Seconds, recorder: &mut R) {
        while let Some(agent) = self.pools[p].idle.pop() {
            // The agent is off the idle list while serving, as a chat agent
            // taking more chats must be; put back when there is no work.
            if !self.serve_next(p, agent, now, false, recorder) {
                self.pools[p].idle.push(agent);
                break;
            }
        }
    }

    /// What a free agent of pool `p` takes, as the router decides, after
    /// removing the abandoned heads of the queues the pool watches.
    #[inline]
    fn pick<R: Recorder>(
        &mut self,
        p: usize,
        now: Seconds,
        chats_only: bool,
        recorder: &mut R,
    ) -> Option<Pick> {
        let mut anyone = false;
        for k in 0..self.router.watched(p).len() {
            let s = self.router.watched(p)[k];
            self.purge(s, now, recorder);
            anyone |= !self.queues[s].is_empty();
        }
        // Nothing waits that the pool could take: the router would say so.
        if !anyone && self.router.nothing_unwatched(p) {
            return None;
        }
        let view = QueueView {
            now,
            idle: self.pools[p].idle.len(),
            queues: &self.queues,
            callbacks: &self.callbacks,
            line_open: &self.line_open,
            stream_line: &self.stream_line,
        };
        self.router.choose(p, &view, chats_only)
    }
}
