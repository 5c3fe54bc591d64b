//! Routing: which pool takes a new contact, and which waiting contact a free
//! agent takes next.
//!
//! Routing is a replaceable part of the engine: the engine asks a [`Router`]
//! and does what it says, so a different policy (skills-based with overflow,
//! the default [`SkillRouter`]; a test double; a future longest-queue-first
//! policy) is one type, not `if`s scattered through the event handlers.
//!
//! The engine keeps the queues and their bookkeeping (abandonment, events,
//! statistics); a router only reads them through a [`QueueView`].

use std::collections::VecDeque;

use crate::model::{Channel, Model, Seconds};

use super::Waiting;
use super::queue::Queue;

/// The kind of waiting contact a router picks for a free agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The head of a call or chat queue.
    Live(usize),
    /// The oldest callback request of a call stream (an outbound call).
    Callback(usize),
    /// The head of an e-mail queue.
    Email(usize),
}

/// The queues as a router sees them at one instant. Heads of the live queues
/// a pool watches ([`Router::watched`]) have been purged of contacts whose
/// patience ran out, so a head is a contact really waiting.
pub struct QueueView<'a> {
    pub(super) now: Seconds,
    /// Idle agents of the pool that asks, the asking agent left out.
    pub(super) idle: usize,
    pub(super) queues: &'a [Queue],
    pub(super) callbacks: &'a [VecDeque<Waiting>],
    pub(super) line_open: &'a [bool],
    pub(super) stream_line: &'a [usize],
}

impl QueueView<'_> {
    /// The current simulated time.
    #[inline]
    pub fn now(&self) -> Seconds {
        self.now
    }

    /// How many other agents of the asking pool are idle (the agent who
    /// asks is not on the idle list while it looks for work).
    #[inline]
    pub fn idle_agents(&self) -> usize {
        self.idle
    }

    /// Since when the head of `stream`'s queue waits, if anyone waits.
    #[inline]
    pub fn waiting_since(&self, stream: usize) -> Option<Seconds> {
        self.queues[stream].front().map(|c| c.arrival)
    }

    /// Since when the oldest callback request of `stream` waits.
    #[inline]
    pub fn callback_since(&self, stream: usize) -> Option<Seconds> {
        self.callbacks[stream].front().map(|c| c.arrival)
    }

    /// Whether the line of `stream` is open now (e-mail and callbacks are
    /// only worked while it is).
    #[inline]
    pub fn line_open(&self, stream: usize) -> bool {
        self.line_open[self.stream_line[stream]]
    }
}

/// A routing policy.
pub trait Router {
    /// Pools that may take a new contact of `stream` at once, in the order
    /// they are tried.
    fn arrival_pools(&self, stream: usize) -> &[usize];

    /// Call and chat streams whose queues pool `pool` looks at. The engine
    /// removes the abandoned heads of these queues before [`Router::choose`].
    fn watched(&self, pool: usize) -> &[usize];

    /// What a free agent of `pool` takes next, if anything. With
    /// `chats_only` the agent already chats and has a free slot, so only a
    /// chat stream may be picked.
    fn choose(&self, pool: usize, view: &QueueView<'_>, chats_only: bool) -> Option<Pick>;

    /// `(delay, pool)` pairs: once a contact of `stream` has waited `delay`
    /// seconds, idle agents of `pool` may take it, so the engine wakes them then.
    fn overflow(&self, stream: usize) -> &[(Seconds, usize)];

    /// E-mail blending threshold of `pool`: an agent of it takes an e-mail
    /// (a new one at once, or a waiting one in [`Router::choose`]) only when
    /// at least this many other agents of the pool stay idle. 0, the
    /// default: whenever no call or chat waits for it.
    fn email_reserve(&self, pool: usize) -> usize {
        let _ = pool;
        0
    }

    /// Whether [`Router::choose`] for `pool` surely picks nothing when every
    /// queue of [`Router::watched`]`(pool)` is empty: the pool takes no
    /// e-mail and no callbacks. The engine then skips the choice (a free
    /// agent with nothing waiting, the common case of a quiet queue). The
    /// default, `false`, always asks.
    fn nothing_unwatched(&self, pool: usize) -> bool {
        let _ = pool;
        false
    }
}

/// A skill as the router uses it.
#[derive(Debug, Clone, Copy)]
struct RouteSkill {
    priority: u32,
    stream: usize,
    chat: bool,
    /// Overflow delay: the pool takes the contact only after it waited this long.
    after: Seconds,
}

/// The default policy: skills with priorities and overflow delays.
///
/// - A new contact goes to the first pool with a free agent among the pools
///   that serve its stream without delay, by priority, then pool order.
/// - A free agent takes, among the call and chat queues of its best priority
///   that have an eligible contact waiting, the contact that waited longest
///   (first come, first served within a priority). A contact is eligible for
///   a pool once it has waited the skill's overflow delay.
/// - With no call or chat to take, it calls back the oldest eligible callback
///   request of its call skills whose line is open, by the same rule; then it
///   takes e-mail (blending), only from lines that are open, and only when at
///   least the pool's `email_reserve` other agents stay idle for the calls
///   and chats still to come (threshold blending; 0 by default).
#[derive(Debug, Clone)]
pub struct SkillRouter {
    arrival: Vec<Vec<usize>>,
    live: Vec<Vec<RouteSkill>>,
    email: Vec<Vec<RouteSkill>>,
    watched: Vec<Vec<usize>>,
    overflow: Vec<Vec<(Seconds, usize)>>,
    /// Whether any line offers callbacks (else their queues stay empty).
    callbacks: bool,
    /// Each pool's e-mail blending threshold ([`Router::email_reserve`]).
    email_reserve: Vec<usize>,
    /// Per pool: no e-mail skill and no callbacks ([`Router::nothing_unwatched`]).
    live_only: Vec<bool>,
}

impl SkillRouter {
    /// The routing of `model`'s pools and skills.
    pub fn new(model: &Model) -> SkillRouter {
        let streams = model.streams.len();
        let mut arrival: Vec<Vec<(u32, usize)>> = vec![Vec::new(); streams];
        let mut overflow: Vec<Vec<(Seconds, usize)>> = vec![Vec::new(); streams];
        let mut live = Vec::with_capacity(model.pools.len());
        let mut email = Vec::with_capacity(model.pools.len());
        for (p, pool) in model.pools.iter().enumerate() {
            let mut l = Vec::new();
            let mut e = Vec::new();
            for k in &pool.skills {
                let channel = model.streams[k.stream].channel;
                let skill = RouteSkill {
                    priority: k.priority,
                    stream: k.stream,
                    chat: channel == Channel::Chat,
                    after: k.overflow_after,
                };
                if channel == Channel::Email {
                    e.push(skill);
                } else {
                    l.push(skill);
                }
                if k.overflow_after > 0.0 {
                    overflow[k.stream].push((k.overflow_after, p));
                } else {
                    arrival[k.stream].push((k.priority, p));
                }
            }
            l.sort_by_key(|k| (k.priority, k.stream));
            e.sort_by_key(|k| (k.priority, k.stream));
            live.push(l);
            email.push(e);
        }
        let watched = live
            .iter()
            .map(|l: &Vec<RouteSkill>| l.iter().map(|k| k.stream).collect())
            .collect();
        let callbacks = model.has_callbacks();
        let live_only = email.iter().map(|e| e.is_empty() && !callbacks).collect();
        for o in &mut overflow {
            o.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        }
        SkillRouter {
            arrival: arrival
                .into_iter()
                .map(|mut a| {
                    a.sort();
                    a.into_iter().map(|(_, p)| p).collect()
                })
                .collect(),
            live,
            email,
            watched,
            overflow,
            callbacks,
            live_only,
            email_reserve: model
                .pools
                .iter()
                .map(|p| p.email_reserve as usize)
                .collect(),
        }
    }

    /// Among `skills`, the best priority with an eligible contact, then the
    /// one waiting longest; `since` tells since when a stream's candidate waits.
    #[inline]
    fn best(
        skills: &[RouteSkill],
        now: Seconds,
        want: impl Fn(&RouteSkill) -> bool,
        since: impl Fn(usize) -> Option<Seconds>,
    ) -> Option<usize> {
        let mut best: Option<(u32, usize, Seconds)> = None;
        for skill in skills {
            if let Some((priority, _, _)) = best
                && skill.priority > priority
            {
                break;
            }
            if !want(skill) {
                continue;
            }
            if let Some(t) = since(skill.stream)
                && t + skill.after <= now
                && best.is_none_or(|(_, _, b)| t < b)
            {
                best = Some((skill.priority, skill.stream, t));
            }
        }
        best.map(|(_, s, _)| s)
    }
}

impl Router for SkillRouter {
    #[inline]
    fn arrival_pools(&self, stream: usize) -> &[usize] {
        &self.arrival[stream]
    }

    #[inline]
    fn watched(&self, pool: usize) -> &[usize] {
        &self.watched[pool]
    }

    #[inline]
    fn choose(&self, pool: usize, view: &QueueView<'_>, chats_only: bool) -> Option<Pick> {
        let now = view.now;
        let live = &self.live[pool];
        if let Some(s) = Self::best(
            live,
            now,
            |k| !chats_only || k.chat,
            |s| view.waiting_since(s),
        ) {
            return Some(Pick::Live(s));
        }
        if chats_only {
            return None;
        }
        if self.callbacks
            && let Some(s) = Self::best(
                live,
                now,
                |k| !k.chat && view.line_open(k.stream),
                |s| view.callback_since(s),
            )
        {
            return Some(Pick::Callback(s));
        }
        if view.idle < self.email_reserve[pool] {
            return None;
        }
        Self::best(
            &self.email[pool],
            now,
            |k| view.line_open(k.stream),
            |s| view.waiting_since(s),
        )
        .map(Pick::Email)
    }

    #[inline]
    fn overflow(&self, stream: usize) -> &[(Seconds, usize)] {
        &self.overflow[stream]
    }

    #[inline]
    fn email_reserve(&self, pool: usize) -> usize {
        self.email_reserve[pool]
    }

    #[inline]
    fn nothing_unwatched(&self, pool: usize) -> bool {
        self.live_only[pool]
    }
}
