//! What the engine tells about a replication, as it happens.
//!
//! The engine is generic over [`Recorder`] (ripgrep's sink idea): it never
//! knows whether its results are counted per interval, traced, or dropped.
//! Every contact outcome is attributed to the interval the contact *arrived*
//! in, as the published reachability counts offered contacts per period.

/// Receives the outcomes of one replication from the engine.
pub trait Recorder {
    /// A contact of `stream` arrived (one attempt, as the published figure counts).
    fn offered(&mut self, stream: usize, interval: usize);
    /// A contact was picked up by an agent after `wait` seconds; `on_time` is
    /// within the service-level threshold (calls, chats) or the SLA deadline (e-mail).
    fn answered(&mut self, stream: usize, interval: usize, wait: f64, handle: f64, on_time: bool);
    /// A caller or chatter hung up after waiting `wait` seconds.
    fn abandoned(&mut self, stream: usize, interval: usize, wait: f64);
    /// A call or chat that found its line's queue full and got a busy signal.
    fn blocked(&mut self, stream: usize, interval: usize);
    /// A contact still waiting when its line closed.
    fn closed_out(&mut self, stream: usize, interval: usize, wait: f64);
    /// A contact still waiting when the horizon ended; `deadline_passed` tells
    /// whether its SLA deadline (e-mail) had already passed by then.
    fn left_waiting(&mut self, stream: usize, interval: usize, deadline_passed: bool);
    /// Agent time of a pool in an interval: `busy` and `present` agent-seconds.
    fn pool_time(&mut self, pool: usize, interval: usize, busy: f64, present: f64);
    /// Scheduled agent time of a pool lost to absenteeism in an interval,
    /// agent-seconds (told at the interval's start). The default ignores it.
    #[inline]
    fn absent(&mut self, _pool: usize, _interval: usize, _agent_seconds: f64) {}
    /// Contacts of `stream` waiting at the end of calendar day `day` (the e-mail backlog).
    fn backlog(&mut self, stream: usize, day: usize, waiting: usize);
    /// Calendar day `day` is over: no contact arrives on it any more, and
    /// its agent time and backlog are told (the outcomes of its contacts
    /// may still come). Told at midnight, not at the end of the horizon.
    /// The default does nothing.
    #[inline]
    fn day_ended(&mut self, _day: usize) {}
    /// A contact of `stream` was in the system (waiting or in service) from
    /// `arrival` until `departure`: told once per contact, as soon as its
    /// departure is known (when it is answered, abandons, is closed out or is
    /// still waiting at the end of the horizon). Abandonment is applied
    /// lazily, so `departure` may lie before the engine's clock.
    ///
    /// The default does nothing, so recorders that do not need the number
    /// of contacts in the system cost nothing.
    #[inline]
    fn sojourn(&mut self, _stream: usize, _arrival: f64, _departure: f64) {}
    /// A call that had to queue heard the expected-wait announcement and hung up.
    #[inline]
    fn sent_away(&mut self, _stream: usize, _interval: usize) {}
    /// A call left the queue after `wait` seconds with a callback request.
    #[inline]
    fn callback_requested(&mut self, _stream: usize, _interval: usize, _wait: f64) {}
    /// An agent called back a caller `delay` seconds after the request;
    /// `interval` is the interval of the original call.
    #[inline]
    fn callback_made(&mut self, _stream: usize, _interval: usize, _delay: f64, _handle: f64) {}
    /// A callback request still not made when the horizon ended.
    #[inline]
    fn callback_left(&mut self, _stream: usize, _interval: usize) {}
    /// The contact just offered was transferred from another theme's call.
    #[inline]
    fn transferred_in(&mut self, _stream: usize, _interval: usize) {}
    /// The contact just offered is a redial (a later attempt of a caller).
    #[inline]
    fn redialled(&mut self, _stream: usize, _interval: usize) {}
    /// An appointment of visit product `stream` was booked for a time in `interval`.
    #[inline]
    fn booked(&mut self, _stream: usize, _interval: usize) {}
    /// A booked visitor did not come (`interval`: of the appointment time).
    #[inline]
    fn no_show(&mut self, _stream: usize, _interval: usize) {}
    /// A slot that product `stream` would have taken was left free because
    /// the citizen used the digital counter instead.
    #[inline]
    fn deflected(&mut self, _stream: usize, _interval: usize) {}
    /// The visitor just answered was called to a desk before their appointment time.
    #[inline]
    fn served_early(&mut self, _stream: usize, _interval: usize) {}
    /// A caller's story ended (or the horizon did) after `attempts`
    /// attempts; `origin` and `interval` are the stream and interval of the
    /// first attempt. Told only when the model has redials.
    #[inline]
    fn caller(
        &mut self,
        _origin: usize,
        _interval: usize,
        _outcome: CallerOutcome,
        _attempts: u32,
    ) {
    }
    /// A contact attempt ended: its outcome is known (see [`ContactEnd`]).
    /// Told once per contact offered, at the moment its outcome is known,
    /// so in order of the contacts' ends, not of their arrivals. The default
    /// does nothing, so recorders that do not log contacts cost nothing.
    #[inline]
    fn contact(&mut self, _ended: &ContactEnd) {}
}

/// How a contact attempt ended, as the contact log tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Picked up by an agent.
    Answered,
    /// Hung up while waiting (patience ran out).
    Abandoned,
    /// Found its line's queue full (busy signal).
    Blocked,
    /// Still waiting when its line closed.
    ClosedOut,
    /// Heard the expected-wait announcement and hung up.
    SentAway,
    /// Left the queue with a callback request.
    Callback,
    /// Still waiting when the horizon ended.
    Waiting,
}

/// One contact attempt whose outcome is known, as [`Recorder::contact`] tells it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContactEnd {
    /// Number of the attempt in its replication, from 1, in order of
    /// offering (arrivals, redials, transfers in, visitors checking in);
    /// the engine counts in 32 bits, so numbers repeat only after
    /// 4,294,967,295 contacts in one replication.
    pub contact: u64,
    /// Number of the caller: the `contact` of their first attempt, shared by
    /// their redials. A caller transferred in is a new caller of the target
    /// theme (the engine does not follow a person across a transfer).
    pub caller: u64,
    /// Stream (theme × channel) of the attempt.
    pub stream: usize,
    /// Arrival (a visitor's check-in), seconds from the horizon's start.
    pub arrival: f64,
    /// How it ended.
    pub outcome: Ended,
    /// Seconds waited: until answered, abandoning, closing, the callback
    /// request or the horizon's end; 0 when blocked or sent away.
    pub wait: f64,
    /// Handle time (talk + wrap-up) when answered, seconds.
    pub handle: Option<f64>,
    /// The pool that answered, when answered.
    pub pool: Option<usize>,
}

/// How a caller's attempts ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerOutcome {
    /// An attempt was answered, or a callback was made.
    Reached,
    /// The last attempt failed and the caller did not try again.
    GaveUp,
    /// Still trying when the horizon ended: waiting, awaiting a callback, or
    /// with a redial planned.
    Pending,
}
