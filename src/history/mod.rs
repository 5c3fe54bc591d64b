//! Contact-center history: what an ACD (automatic call distributor)
//! exported, read into plain records that `fit` and `backtest` consume.
//!
//! Two granularities:
//! - contact level ([`Contact`]): one row per contact (ccsim's own
//!   `run --log` format, or an ACD's export through a column mapping);
//! - interval level ([`IntervalRow`]): one row per date × interval × queue
//!   or theme × channel, as ACD interval reports give them.
//!
//! Times are local wall-clock times of the contact center (the model has
//! no daylight-saving shift: a day is 24 h of wall-clock time); exports in
//! UTC or with offsets are converted to the mapping's time zone.
//!
//! Floor 2: imports `model` and `files` only.

use chrono::{NaiveDate, NaiveDateTime};

use crate::model::Channel;

/// How a contact ended, as a log records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Picked up by an agent.
    Answered,
    /// The caller or chatter hung up while waiting.
    Abandoned,
    /// Found the queue full (busy signal).
    Blocked,
    /// Still waiting when the line closed.
    ClosedOut,
    /// Heard the expected-wait announcement and hung up.
    SentAway,
    /// Left the queue with a callback request.
    Callback,
    /// Still waiting when the log ends (the horizon's end).
    Waiting,
}

impl Outcome {
    /// Every outcome, in the order of the log format's documentation.
    pub const ALL: [Outcome; 7] = [
        Outcome::Answered,
        Outcome::Abandoned,
        Outcome::Blocked,
        Outcome::ClosedOut,
        Outcome::SentAway,
        Outcome::Callback,
        Outcome::Waiting,
    ];

    /// The name in ccsim's contact log (`answered`, `closed_out` ...).
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::Abandoned => "abandoned",
            Outcome::Blocked => "blocked",
            Outcome::ClosedOut => "closed_out",
            Outcome::SentAway => "sent_away",
            Outcome::Callback => "callback",
            Outcome::Waiting => "waiting",
        }
    }

    /// Parses a name of [`Outcome::name`].
    pub fn from_name(name: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.name() == name)
    }
}

/// One contact of a contact-level history.
///
/// A reader reuses one `Contact` for every row (no allocation per record):
/// copy what you keep.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    /// Contact id, unique in the log.
    pub contact: u64,
    /// Caller id: the same for every attempt (redial) of one caller, when known.
    pub caller: Option<u64>,
    /// Line (entry point) the contact came in through; empty when unknown.
    pub line: String,
    /// Theme (or the ACD queue, mapped to a theme).
    pub theme: String,
    /// Channel.
    pub channel: Channel,
    /// Arrival, local wall-clock time of the contact center.
    pub arrival: NaiveDateTime,
    /// How it ended.
    pub outcome: Outcome,
    /// Seconds waited: until answered, until abandoning, until closing time
    /// (closed out), until the callback request; 0 when blocked.
    pub wait: f64,
    /// Handle time in seconds (talk + wrap-up) when answered.
    pub handle: Option<f64>,
    /// Pool (agent group) that answered, when answered and known.
    pub pool: Option<String>,
}

/// One row of an interval-level history: one interval of one date, one
/// theme (or queue) on one channel.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalRow {
    /// Local date.
    pub date: NaiveDate,
    /// Start of the interval, seconds since local midnight.
    pub start: u32,
    /// Theme (or the ACD queue, mapped to a theme).
    pub theme: String,
    /// Channel.
    pub channel: Channel,
    /// Contacts offered (each attempt counts).
    pub offered: u64,
    /// Contacts answered.
    pub answered: u64,
    /// Contacts abandoned.
    pub abandoned: u64,
    /// Contacts answered within the service-level threshold, when given.
    pub answered_within: Option<u64>,
    /// Average handle time (talk + wrap-up) of the answered contacts, seconds.
    pub handle_time: Option<f64>,
    /// Average speed of answer (mean wait of the answered), seconds.
    pub asa: Option<f64>,
    /// Mean wait of the abandoned contacts before hanging up, seconds.
    pub abandon_wait: Option<f64>,
    /// Agents staffed (logged in) in the interval, on average.
    pub agents: Option<f64>,
}

/// An interval-level history, read whole (it is small: one row per interval).
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalHistory {
    /// Length of an interval in seconds (found from the data or the mapping).
    pub interval: u32,
    /// Service-level threshold of `answered_within` per channel (indexed by
    /// [`Channel::index`]), seconds, when known.
    pub thresholds: [Option<u32>; Channel::COUNT],
    /// Rows sorted by date, start, theme, channel.
    pub rows: Vec<IntervalRow>,
    /// What the reader accepted but a planner should know.
    pub warnings: Vec<String>,
}

pub mod aggregate;
pub mod log;

pub use aggregate::Aggregator;
pub use log::{ContactLogWriter, write_intervals};
mod contacts;
mod detect;
mod error;
mod intervals;
mod mapping;
mod read;

pub use contacts::{ContactsRead, read_contacts};
pub use detect::detect;
pub use error::HistoryError;
pub use intervals::read_intervals;
pub use mapping::{Column, ContactColumns, Durations, IntervalColumns, Kind, Mapping, Timestamps};
