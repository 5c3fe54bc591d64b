//! One stream of contacts (a theme on a channel) as the engine runs it: its
//! random streams, its distributions, what its callers do (copied from the
//! model so that the hot path reads one struct), and the contacts it sends
//! into a queue.

use rand_pcg::Pcg64Mcg;

use crate::model::{
    Announcement, CallbackOffer, Channel, Distribution, Model, Sampler, Seconds, Stream, Transfer,
};

use super::EngineError;
use super::ids::{IntervalId, StreamId};
use super::rng::{Source, stream_rng};

/// A caller followed across attempts, so that the end of their story is
/// told once, against their first attempt (only when the model has redials).
#[derive(Debug, Clone, Copy)]
pub(super) struct Caller {
    /// Stream of the first attempt.
    pub(super) origin: StreamId,
    /// Interval of the first attempt.
    pub(super) first_interval: IntervalId,
    /// Which attempt this is (1 for the first).
    pub(super) attempt: u32,
    /// The caller's number: the contact number of their first attempt.
    pub(super) id: u32,
}

impl Caller {
    /// A new caller's first attempt, contact number `contact`, on stream
    /// `s` in `interval`.
    #[inline]
    pub(super) fn first(s: usize, interval: IntervalId, contact: u32) -> Caller {
        Caller {
            origin: StreamId::new(s),
            first_interval: interval,
            attempt: 1,
            id: contact,
        }
    }

    /// The same caller's next attempt.
    pub(super) fn next_attempt(self) -> Caller {
        Caller {
            attempt: self.attempt + 1,
            ..self
        }
    }
}

/// A contact waiting in a queue (or a callback request waiting for an agent).
#[derive(Debug, Clone, Copy)]
pub struct Waiting {
    /// When it joined the queue (for a callback: when it was requested).
    pub(super) arrival: Seconds,
    /// When the contact hangs up if not answered (infinity for e-mail).
    pub(super) abandon_at: Seconds,
    pub(super) handle: Seconds,
    /// SLA deadline (e-mail) or the service-level limit (calls and chats).
    pub(super) on_time_until: Seconds,
    /// Interval of this attempt's arrival.
    pub(super) interval: IntervalId,
    /// Number of this attempt in the replication (from 1, in order of
    /// offering: the contact log's number), so increasing from the front to
    /// the back of its queue, where timed events (abandonment, callback
    /// offer) find it by it.
    pub(super) id: u32,
    /// The caller whose attempt this is.
    pub(super) caller: Caller,
    /// Appointment time of a visitor (minus infinity for every other contact).
    pub(super) due: Seconds,
}

/// Which random streams a new contact's handle time and patience come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Draws {
    /// A first attempt (or a visitor): the handle-time and patience streams.
    First,
    /// A redial or a caller transferred in: the redial stream, so that the
    /// first attempts keep their random numbers whatever redials and
    /// transfers do (common random numbers across scenarios).
    Later,
}

/// Run-time state of one stream.
pub(super) struct StreamState {
    pub(super) arrivals: Pcg64Mcg,
    pub(super) handle_rng: Pcg64Mcg,
    pub(super) patience_rng: Pcg64Mcg,
    /// Later attempts of this stream's callers, and the decisions to redial.
    pub(super) redial_rng: Pcg64Mcg,
    /// Callers' choices: leaving on an announcement, accepting a callback.
    pub(super) choice_rng: Pcg64Mcg,
    pub(super) handle: Sampler,
    pub(super) patience: Option<Sampler>,
    pub(super) redial_delay: Option<Sampler>,
    pub(super) channel: Channel,
    pub(super) theme: usize,
    pub(super) line: usize,
    /// The theme's e-mail stream, for redials that switch to e-mail.
    pub(super) email_stream: Option<usize>,
    /// Mean handle time, for the expected wait of announcements.
    pub(super) mean_handle: Seconds,
    /// Abandonments are events (not lazy) because a redial must be planned
    /// at the moment the caller hangs up.
    pub(super) eager_abandon: bool,
    /// Answered calls passed on to another stream.
    pub(super) transfer: Option<Transfer>,
    /// The line's announcement and callback offer, for calls.
    pub(super) announcement: Option<Announcement>,
    pub(super) callback: Option<CallbackOffer>,
    /// Whether the line limits its queue.
    pub(super) limited: bool,
    /// The interval whose arrival rate is `rate` (per second, with this
    /// replication's volume level), or `usize::MAX` before the first.
    pub(super) rate_interval: usize,
    pub(super) rate: f64,
}

/// Prepares distribution `d` for sampling; `what` names it in the error.
pub(super) fn sampler(
    d: &Distribution,
    what: impl FnOnce() -> String,
) -> Result<Sampler, EngineError> {
    d.sampler().map_err(|e| EngineError::Distribution {
        what: what(),
        message: e.to_string(),
    })
}

impl StreamState {
    /// The state of `stream` of `model`, with its distributions prepared
    /// (its random streams are seeded by [`StreamState::reseed`]).
    pub(super) fn prepare(model: &Model, stream: &Stream) -> Result<StreamState, EngineError> {
        let theme = &model.themes[stream.theme].name;
        let channel = stream.channel.name();
        let handle = sampler(&stream.handle_time, || {
            format!("handle_time of theme {theme} on {channel}")
        })?;
        let config = model.channel(stream.channel);
        let live = stream.channel.is_live();
        let patience = match &config.patience {
            Some(d) if live => Some(sampler(d, || format!("patience on {channel}"))?),
            _ => None,
        };
        let redial_delay = match &config.redial {
            Some(r) if live => Some(sampler(&r.delay, || format!("redial delay on {channel}"))?),
            _ => None,
        };
        let line = &model.lines[stream.line];
        let call = stream.channel == Channel::Call;
        Ok(StreamState {
            arrivals: stream_rng(0, 0, Source::Arrivals, theme, channel),
            handle_rng: stream_rng(0, 0, Source::HandleTime, theme, channel),
            patience_rng: stream_rng(0, 0, Source::Patience, theme, channel),
            redial_rng: stream_rng(0, 0, Source::Redial, theme, channel),
            choice_rng: stream_rng(0, 0, Source::Choice, theme, channel),
            handle,
            patience,
            eager_abandon: redial_delay.is_some(),
            redial_delay,
            channel: stream.channel,
            theme: stream.theme,
            line: stream.line,
            email_stream: model.stream_of(stream.theme, Channel::Email),
            mean_handle: stream.handle_time.mean(),
            transfer: stream.transfer,
            announcement: line.announcement.filter(|_| call),
            callback: line.callback.filter(|_| call),
            limited: line.max_queue.is_some() && live,
            rate_interval: usize::MAX,
            rate: 0.0,
        })
    }

    /// Seeds the random streams for replication `replication` of the run
    /// seeded with `seed`, and numbers the queue from 0 again.
    pub(super) fn reseed(&mut self, model: &Model, seed: u64, replication: u64) {
        let theme = &model.themes[self.theme].name;
        let channel = self.channel.name();
        let rng = |source| stream_rng(seed, replication, source, theme, channel);
        self.arrivals = rng(Source::Arrivals);
        self.handle_rng = rng(Source::HandleTime);
        self.patience_rng = rng(Source::Patience);
        self.redial_rng = rng(Source::Redial);
        self.choice_rng = rng(Source::Choice);
        // The volume levels are drawn anew for each replication.
        self.rate_interval = usize::MAX;
    }

    /// Contact number `contact` of this stream arriving at `now` in
    /// `interval`, an attempt of `caller`, with its handle time and patience
    /// drawn from `draws`.
    #[inline]
    pub(super) fn contact(
        &mut self,
        model: &Model,
        now: Seconds,
        interval: IntervalId,
        draws: Draws,
        caller: Caller,
        contact: u32,
    ) -> Waiting {
        let (handle, abandon_at) = {
            let StreamState {
                handle,
                patience,
                handle_rng,
                patience_rng,
                redial_rng,
                ..
            } = self;
            let (hr, pr) = match draws {
                Draws::First => (&mut *handle_rng, Some(patience_rng)),
                Draws::Later => (&mut *redial_rng, None),
            };
            let h = handle.sample(hr);
            let a = match patience {
                Some(p) => now + p.sample(pr.unwrap_or(redial_rng)),
                None => f64::INFINITY,
            };
            (h, a)
        };
        let on_time_until = if self.channel == Channel::Email {
            model.email_deadline(self.line, now)
        } else {
            now + model.channel(self.channel).service_level_threshold
        };
        Waiting {
            arrival: now,
            abandon_at,
            handle,
            on_time_until,
            interval,
            id: contact,
            caller,
            due: f64::NEG_INFINITY,
        }
    }
}
