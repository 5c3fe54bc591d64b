//! The validated, normalised model the engine runs on: calendar, lines,
//! channels, themes (as arrival streams), pools and distributions.
//!
//! Plain data and pure functions, no I/O. A [`Model`] is built from a scenario
//! file by [`crate::scenario`]; every number in it is already checked, so the
//! engine never has to validate anything on its hot path.

pub mod calendar;
pub mod distribution;
pub mod duration;
pub mod holidays;
pub mod metric;
pub mod numbers;

pub use calendar::{Calendar, Weekday};
pub use distribution::{Distribution, Sampler};
pub use metric::{Bounds, Metric};

/// Simulated time in seconds since midnight of the horizon's first day.
pub type Seconds = f64;

impl serde::Serialize for Channel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Channel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Channel, D::Error> {
        let name = String::deserialize(d)?;
        Channel::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown channel `{name}`")))
    }
}

/// The media a contact can come through; each fixes how a waiting contact behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    /// Phone call: waits in queue, abandons when its patience runs out.
    Call,
    /// Web chat: as a call, but an agent serves up to `concurrency` chats at once.
    Chat,
    /// E-mail: arrives around the clock, never abandons, blended into idle time.
    Email,
    /// A visit to a counter: booked as an appointment (or a walk-in), checks
    /// in at a kiosk and waits to be called to a desk.
    Visit,
}

impl Channel {
    /// All channels, in reporting order.
    pub const ALL: [Channel; Channel::COUNT] =
        [Channel::Call, Channel::Chat, Channel::Email, Channel::Visit];

    /// Number of channels, the length of per-channel arrays.
    pub const COUNT: usize = 4;

    /// Index into per-channel arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name used in scenario files, JSON and tables.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Call => "call",
            Channel::Chat => "chat",
            Channel::Email => "email",
            Channel::Visit => "visit",
        }
    }

    /// Parses a channel name as written in scenario files.
    pub fn from_name(name: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Whether contacts of this channel wait in a live queue (and may abandon or be closed out).
    pub fn is_live(self) -> bool {
        !matches!(self, Channel::Email)
    }
}

/// How contacts of one channel behave, shared by all themes.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelConfig {
    /// Time a caller or chatter is willing to wait; `None` means infinitely patient.
    pub patience: Option<Distribution>,
    /// Chats an agent serves at once (1 for calls and e-mails).
    pub concurrency: u32,
    /// E-mails must be picked up within this many working days.
    pub sla_working_days: u32,
    /// Service-level threshold: answered within this many seconds counts as on time.
    pub service_level_threshold: Seconds,
    /// Whether and how callers or chatters try again after a failed attempt.
    pub redial: Option<Redial>,
    /// When visitors with an appointment arrive, relative to its time
    /// (visit; `None`: exactly on time).
    pub punctuality: Option<Punctuality>,
}

/// When visitors arrive around their appointment time: a share comes early,
/// by a distribution of how early, the others late, by another.
#[derive(Debug, Clone, PartialEq)]
pub struct Punctuality {
    /// Share of visitors who arrive before their appointment time.
    pub early: f64,
    /// How long before their time the early ones arrive.
    pub early_by: Distribution,
    /// How long after their time the others arrive (a constant 0 for exactly on time).
    pub late_by: Distribution,
}

/// Callers who try again after a failed attempt: abandoned, blocked, closed
/// out or sent away by an announcement.
#[derive(Debug, Clone, PartialEq)]
pub struct Redial {
    /// Probability of trying again after a failed first attempt.
    pub first: f64,
    /// Probability of trying again after a failed later attempt.
    pub later: f64,
    /// Time from the failure to the next attempt.
    pub delay: Distribution,
    /// An attempt that would fall while the line is closed is made on the
    /// next opening, spread uniformly over this many seconds after it.
    pub next_day_spread: Seconds,
    /// No caller makes more attempts than this (the first included).
    pub max_attempts: u32,
    /// Share of the next attempts sent as an e-mail of the same theme
    /// instead (the theme needs an e-mail handle time).
    pub to_email: f64,
}

impl ChannelConfig {
    /// The defaults for a channel that the scenario does not configure.
    pub fn default_for(channel: Channel) -> ChannelConfig {
        ChannelConfig {
            patience: None,
            concurrency: 1,
            sla_working_days: 2,
            service_level_threshold: match channel {
                Channel::Call | Channel::Chat => 60.0,
                Channel::Email => 0.0,
                Channel::Visit => 600.0,
            },
            redial: None,
            punctuality: None,
        }
    }
}

/// An entry point (a phone number, a chat widget, a mailbox) with its own opening hours.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Name as used in the scenario.
    pub name: String,
    /// Opening window per weekday (Monday first), seconds since midnight.
    pub hours: [Option<(Seconds, Seconds)>; 7],
    /// Dates on which the line is closed although the weekday has hours (public holidays).
    pub closed: std::collections::BTreeSet<chrono::NaiveDate>,
    /// Unit price per handled second, for themes that do not set their own.
    pub price_per_second: f64,
    /// Most calls and chats that may wait in the line's queues at once; an
    /// arrival beyond it gets a busy signal (`blocked`). `None`: no limit.
    pub max_queue: Option<u32>,
    /// A message that tells callers the expected wait and sends some away.
    pub announcement: Option<Announcement>,
    /// Callers who have waited long enough are offered a callback.
    pub callback: Option<CallbackOffer>,
    /// The appointment book of the line's visit products (a counter service).
    pub book: Option<AppointmentBook>,
}

/// The appointment book of a counter: desks bookable per interval, how full
/// the book gets, and the products booked in it.
///
/// A replication fills it desk by desk: each desk's bookable time is cut into
/// consecutive slots, each slot's product drawn from the mix (its length is
/// the product's slot), and a slot is booked with the fill rate of the
/// interval it starts in. A slot that would run past the desk's bookable
/// block is not offered.
#[derive(Debug, Clone, PartialEq)]
pub struct AppointmentBook {
    /// Desks open for appointments in each interval of the horizon (day-major).
    pub desks: Vec<u32>,
    /// Share of the bookable desk time booked, per interval of the horizon.
    pub fill: Vec<f64>,
    /// The products booked, with their share of the appointments.
    pub products: Vec<Product>,
    /// Desks call a visitor at the earliest this long before the
    /// appointment time (`None`: as soon as the visitor has checked in).
    pub call_early: Option<Seconds>,
}

/// A product of the counter (a driving licence, an eID request ...): a visit
/// stream booked by appointment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Product {
    /// The visit stream of the product's theme.
    pub stream: usize,
    /// Share of the booked slots (the products' shares sum to 1).
    pub share: f64,
    /// Length of the product's appointment slot.
    pub slot: Seconds,
    /// Chance that a booked visitor does not come.
    pub no_show: f64,
    /// Share of the product's bookings that the digital counter takes over:
    /// the slot stays free.
    pub deflection: f64,
}

/// A recorded message played to a call that must queue: when the expected
/// wait exceeds `max_expected_wait`, the caller hangs up with probability
/// `leave` (counted `sent_away`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Announcement {
    /// Expected waits above this many seconds are announced.
    pub max_expected_wait: Seconds,
    /// Probability that a caller who hears the announcement leaves.
    pub leave: f64,
}

/// A callback offered to a call still waiting after `after` seconds; the
/// caller accepts with probability `accept`, leaves the queue and is called
/// back by an agent while the line is open.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CallbackOffer {
    /// Wait after which the offer is made.
    pub after: Seconds,
    /// Probability that the caller accepts.
    pub accept: f64,
}

impl Line {
    /// Opening window of `date`, seconds since that date's midnight, or `None` when closed.
    pub fn window_on(&self, date: chrono::NaiveDate) -> Option<(Seconds, Seconds)> {
        if self.closed.contains(&date) {
            return None;
        }
        self.hours[Weekday::of(date).index()]
    }

    /// Whether `date` is a working day of this line.
    pub fn is_working_day(&self, date: chrono::NaiveDate) -> bool {
        self.window_on(date).is_some()
    }
}

/// A stream of demand (traffic taxes, vaccination ...), reported on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Name as used in the scenario.
    pub name: String,
    /// Index of the line the theme's contacts come in through.
    pub line: usize,
    /// Uncertainty of the theme's volume level, shared by its channels.
    pub uncertainty: Option<Uncertainty>,
}

/// Forecast error on a theme's volume: a multiplicative level factor with mean 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Uncertainty {
    /// Coefficient of variation of the level factor (gamma distributed, mean 1).
    pub cv: f64,
    /// How often a new factor is drawn.
    pub per: UncertaintyPeriod,
}

/// How often the level factor of an uncertain theme is redrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UncertaintyPeriod {
    /// A new factor every calendar day (day-to-day forecast error).
    Day,
    /// One factor for the whole horizon of a replication (level error).
    Replication,
}

/// The arrivals of one theme on one channel: the unit the engine queues and counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    /// Index of the theme.
    pub theme: usize,
    /// Channel of the contacts.
    pub channel: Channel,
    /// Index of the line (copied from the theme for the hot path).
    pub line: usize,
    /// Expected arrivals in each interval of the horizon (day-major), before uncertainty.
    pub expected: Vec<f64>,
    /// Handle-time distribution of this theme on this channel.
    pub handle_time: Distribution,
    /// Unit price per handled second.
    pub price_per_second: f64,
    /// Answered calls transferred to another stream's queue.
    pub transfer: Option<Transfer>,
    /// The contacts come from the line's appointment book, not from a
    /// Poisson process (visit products); `expected` is then what the book
    /// gives on average, for planning tools.
    pub booked: bool,
}

/// Answered calls of a stream passed on to another stream (a question for
/// another line): they arrive there `delay` seconds after the conversation
/// ends, as new callers of that line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transfer {
    /// Stream whose queue receives them.
    pub to: usize,
    /// Share of answered calls transferred.
    pub probability: f64,
    /// From the end of the first conversation to the arrival in the new queue.
    pub delay: Seconds,
}

/// A skill: a pool serves a stream with a priority (1 is served first).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Skill {
    /// Index of the stream served.
    pub stream: usize,
    /// Lower numbers are served first when several queues wait.
    pub priority: u32,
    /// The pool takes the stream's contacts only once they have waited this
    /// long (0: from the start). A positive delay makes the pool a backup.
    pub overflow_after: Seconds,
}

/// A group of interchangeable agents with the same skills and schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    /// Name as used in the scenario.
    pub name: String,
    /// Skills, sorted by priority.
    pub skills: Vec<Skill>,
    /// Agents available in each interval of the horizon: the pool's own
    /// agents after shrinkage plus the extra support, before absenteeism.
    pub available: Vec<u32>,
    /// The pool's own agents scheduled (before shrinkage) in each interval, for paid hours.
    pub scheduled: Vec<f64>,
    /// Shrinkage: share of scheduled time not available for contacts.
    pub shrinkage: f64,
    /// Chance that a scheduled agent is absent for a whole day (0: nobody ever is).
    pub absenteeism: f64,
    /// The shifts the schedule is made of (empty when it is given as a constant or a table).
    pub shifts: Vec<Shift>,
    /// Extra-support agents on duty in each interval (included in `available`;
    /// empty when the pool has no extra support).
    pub extra: Vec<u32>,
    /// Price of the extra support in each interval (empty when it has none).
    pub extra_cost: Vec<f64>,
    /// Price of one scheduled agent-hour of the pool's own agents (0 when
    /// the scenario gives none): the staff cost is scheduled hours × this.
    pub hour_price: f64,
    /// How fast the pool's agents work on each horizon day: a contact they
    /// answer takes its drawn handle time ÷ this. Empty when it is 1 on
    /// every day (the agents work at the handle times of the themes).
    pub speed: Vec<f64>,
    /// E-mail blending threshold: an agent of the pool takes an e-mail only
    /// when at least this many other agents of the pool are idle (0: whenever
    /// no call or chat waits for it).
    pub email_reserve: u32,
}

impl Pool {
    /// Agents available in interval `i` when `scheduled` of the pool's own
    /// agents are at work: `round(scheduled × (1 − shrinkage))` plus the extra support.
    pub fn available_with(&self, i: usize, scheduled: f64) -> u32 {
        (scheduled * (1.0 - self.shrinkage)).round() as u32
            + self.extra.get(i).copied().unwrap_or(0)
    }

    /// The pool's speed on horizon day `day` (the last day's after the horizon).
    #[inline]
    pub fn speed_on(&self, day: usize) -> f64 {
        match self.speed.len() {
            0 => 1.0,
            n => self.speed[day.min(n - 1)],
        }
    }

    /// Whether the pool has extra support anywhere in the horizon.
    pub fn has_extra(&self) -> bool {
        !self.extra.is_empty()
    }
}

/// A shift of a pool: the intervals of the day its agents work (breaks left
/// out) and how many agents work it on each day of the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct Shift {
    /// Worked intervals of the day, as half-open ranges of interval indices within the day.
    pub segments: Vec<(u32, u32)>,
    /// Agents working the shift on each horizon day (0 when the pool does not work that day).
    pub count: Vec<u32>,
}

/// Everything the engine needs to simulate one replication.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Scenario name, for reports.
    pub name: String,
    /// Free text from the scenario, for reports.
    pub description: String,
    /// Days and intervals of the horizon.
    pub calendar: Calendar,
    /// Entry points with their opening hours.
    pub lines: Vec<Line>,
    /// Behaviour per channel, indexed by [`Channel::index`].
    pub channels: [ChannelConfig; Channel::COUNT],
    /// Themes, in scenario order.
    pub themes: Vec<Theme>,
    /// One stream per theme and channel with demand.
    pub streams: Vec<Stream>,
    /// Agent pools.
    pub pools: Vec<Pool>,
    /// What the planner aims at (for charts and reports; the engine ignores it).
    pub targets: Targets,
    /// The promises of the `[expect]` table, tested by `ccsim check` (the
    /// engine ignores them).
    pub expect: Vec<Promise>,
}

/// Which way a promise's figure must lie from its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Bound {
    /// `>=`: the figure must be at least the threshold.
    #[serde(rename = ">=")]
    AtLeast,
    /// `<=`: the figure must be at most the threshold.
    #[serde(rename = "<=")]
    AtMost,
}

impl Bound {
    /// `>=` or `<=`.
    pub fn symbol(self) -> &'static str {
        match self {
            Bound::AtLeast => ">=",
            Bound::AtMost => "<=",
        }
    }
}

/// What a promise is about, in the summary's terms.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromiseScope {
    /// One channel (`call`, `chat`, `email`, `visit`).
    Channel(Channel),
    /// All channels together.
    Total,
    /// One agent pool, by name.
    Pool(String),
}

/// One promise of a scenario's `[expect]` table, e.g.
/// `reachability.call = ">= 0.85"`: a figure over the whole horizon, a bound
/// and a threshold.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Promise {
    /// As written in the scenario: `reachability.call`, `cost`, `occupancy.frontline`.
    pub figure: String,
    /// The figure: reachability, service level, abandon share, ASA,
    /// occupancy or cost (written by its name in JSON).
    pub metric: Metric,
    /// What the figure is about.
    pub scope: PromiseScope,
    /// At least or at most.
    pub bound: Bound,
    /// The threshold, in the metric's unit (a share from 0 to 1, seconds, money).
    pub threshold: f64,
}

/// What a target is about: one channel, or all of them together
/// (written `call` ... `visit`, or `total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetScope {
    /// One channel.
    Channel(Channel),
    /// All channels together.
    Total,
}

impl TargetScope {
    /// `call` ... `visit`, or `total`.
    pub fn name(self) -> &'static str {
        match self {
            TargetScope::Channel(c) => c.name(),
            TargetScope::Total => "total",
        }
    }
}

impl serde::Serialize for TargetScope {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for TargetScope {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<TargetScope, D::Error> {
        let name = String::deserialize(d)?;
        match name.as_str() {
            "total" => Ok(TargetScope::Total),
            _ => Channel::from_name(&name)
                .map(TargetScope::Channel)
                .ok_or_else(|| serde::de::Error::custom(format!("unknown channel `{name}`"))),
        }
    }
}

/// Targets of a scenario, as shares from 0 to 1, by channel or for the total.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Targets {
    /// Reachability of `call`, `chat`, `email`, `visit` or `total`.
    #[serde(default, skip_serializing_if = "indexmap::IndexMap::is_empty")]
    pub reachability: indexmap::IndexMap<TargetScope, f64>,
    /// Service level of `call` or `chat`.
    #[serde(default, skip_serializing_if = "indexmap::IndexMap::is_empty")]
    pub service_level: indexmap::IndexMap<Channel, f64>,
}

impl Targets {
    /// The reachability target of one channel, if set.
    pub fn reachability_of(&self, channel: Channel) -> Option<f64> {
        self.reachability
            .get(&TargetScope::Channel(channel))
            .copied()
    }

    /// The reachability target of all channels together, if set.
    pub fn total_reachability(&self) -> Option<f64> {
        self.reachability.get(&TargetScope::Total).copied()
    }

    /// The service-level target of a channel, if set.
    pub fn service_level_of(&self, channel: Channel) -> Option<f64> {
        self.service_level.get(&channel).copied()
    }
}

impl Model {
    /// The configuration of a channel.
    pub fn channel(&self, channel: Channel) -> &ChannelConfig {
        &self.channels[channel.index()]
    }

    /// Opening window of line `line` on horizon day `day` in absolute seconds.
    pub fn line_window(&self, line: usize, day: u32) -> Option<(Seconds, Seconds)> {
        let date = self.calendar.date(day);
        let midnight = f64::from(day) * 86_400.0;
        self.lines[line]
            .window_on(date)
            .map(|(open, close)| (midnight + open, midnight + close))
    }

    /// Deadline of an e-mail arriving at `arrival` on `line`: the arrival instant,
    /// moved to the next opening time if the line was closed then, advanced by
    /// `sla_working_days` working days (same clock time, capped at that day's closing).
    ///
    /// Days after the horizon are looked up in the line's weekly hours and closed
    /// dates, so a deadline may fall beyond the horizon.
    pub fn email_deadline(&self, line: usize, arrival: Seconds) -> Seconds {
        let line_ref = &self.lines[line];
        let working_days = self.channel(Channel::Email).sla_working_days;
        let mut day = (arrival / 86_400.0).floor() as i64;
        let window = |day: i64| -> Option<(f64, f64)> {
            let date = self.calendar.date_signed(day)?;
            line_ref.window_on(date).map(|(o, c)| {
                let midnight = day as f64 * 86_400.0;
                (midnight + o, midnight + c)
            })
        };
        // Move the arrival to the next opening instant when it came in while closed.
        let mut start = None;
        for _ in 0..400 {
            if let Some((open, close)) = window(day) {
                if arrival < open {
                    start = Some(open);
                } else if arrival < close {
                    start = Some(arrival);
                }
                if start.is_some() {
                    break;
                }
            }
            day += 1;
        }
        let Some(start) = start else {
            // A line with no working day within a year never meets any deadline.
            return f64::INFINITY;
        };
        let time_of_day = start - day as f64 * 86_400.0;
        let mut remaining = working_days;
        let mut guard = 0;
        while remaining > 0 && guard < 4_000 {
            day += 1;
            guard += 1;
            if window(day).is_some() {
                remaining -= 1;
            }
        }
        if remaining > 0 {
            return f64::INFINITY;
        }
        let (open, close) = window(day).unwrap_or((0.0, 0.0));
        (day as f64 * 86_400.0 + time_of_day).clamp(open, close)
    }

    /// Whether any channel has redials, so callers must be followed across attempts.
    pub fn has_redials(&self) -> bool {
        self.channels.iter().any(|c| c.redial.is_some())
    }

    /// Whether any stream transfers calls to another.
    pub fn has_transfers(&self) -> bool {
        self.streams.iter().any(|s| s.transfer.is_some())
    }

    /// Whether any line offers callbacks.
    pub fn has_callbacks(&self) -> bool {
        self.lines.iter().any(|l| l.callback.is_some())
    }

    /// Whether the model has visits (a counter service).
    pub fn has_visits(&self) -> bool {
        self.streams.iter().any(|s| s.channel == Channel::Visit)
    }

    /// Whether any line has an appointment book.
    pub fn has_appointments(&self) -> bool {
        self.lines.iter().any(|l| l.book.is_some())
    }

    /// Whether any line plays an expected-wait announcement.
    pub fn has_announcements(&self) -> bool {
        self.lines.iter().any(|l| l.announcement.is_some())
    }

    /// Index of the stream for a theme and channel, if that theme has demand there.
    pub fn stream_of(&self, theme: usize, channel: Channel) -> Option<usize> {
        self.streams
            .iter()
            .position(|s| s.theme == theme && s.channel == channel)
    }

    /// Channels that have at least one stream, in reporting order.
    pub fn active_channels(&self) -> Vec<Channel> {
        Channel::ALL
            .into_iter()
            .filter(|c| self.streams.iter().any(|s| s.channel == *c))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// A model with one line open Mon–Fri 09:00–19:00 from Monday 2021-05-10,
    /// closed on Thursday 2021-05-13 (Ascension).
    fn model() -> Model {
        let mut hours = [None; 7];
        for h in &mut hours[..5] {
            *h = Some((9.0 * 3600.0, 19.0 * 3600.0));
        }
        Model {
            name: String::new(),
            description: String::new(),
            calendar: Calendar::new(NaiveDate::from_ymd_opt(2021, 5, 10).unwrap(), 14, 1800.0),
            lines: vec![Line {
                name: "1700".into(),
                hours,
                closed: [NaiveDate::from_ymd_opt(2021, 5, 13).unwrap()].into(),
                price_per_second: 0.0,
                max_queue: None,
                announcement: None,
                callback: None,
                book: None,
            }],
            channels: Channel::ALL.map(ChannelConfig::default_for),
            themes: vec![],
            streams: vec![],
            pools: vec![],
            targets: Targets::default(),
            expect: Vec::new(),
        }
    }

    fn at(day: u32, h: f64, m: f64) -> f64 {
        f64::from(day) * 86_400.0 + h * 3600.0 + m * 60.0
    }

    #[test]
    fn email_deadline_in_working_days() {
        let m = model();
        // Monday 10:30 -> Wednesday 10:30.
        assert_eq!(m.email_deadline(0, at(0, 10.0, 30.0)), at(2, 10.0, 30.0));
        // Tuesday 10:30 -> Friday 10:30: Thursday is a holiday.
        assert_eq!(m.email_deadline(0, at(1, 10.0, 30.0)), at(4, 10.0, 30.0));
        // Friday 20:00 (after closing) -> next opening Monday 09:00 -> Wednesday 09:00.
        assert_eq!(m.email_deadline(0, at(4, 20.0, 0.0)), at(9, 9.0, 0.0));
        // Saturday 11:00 -> Monday 09:00 -> Wednesday 09:00.
        assert_eq!(m.email_deadline(0, at(5, 11.0, 0.0)), at(9, 9.0, 0.0));
        // Monday 07:00 (before opening) -> Monday 09:00 -> Wednesday 09:00.
        assert_eq!(m.email_deadline(0, at(7, 7.0, 0.0)), at(9, 9.0, 0.0));
        // On the holiday itself -> Friday 09:00 -> Tuesday 09:00.
        assert_eq!(m.email_deadline(0, at(3, 12.0, 0.0)), at(8, 9.0, 0.0));
    }

    #[test]
    fn email_deadline_beyond_the_horizon_uses_the_weekly_hours() {
        let m = model();
        // Friday of the second week, 18:00 -> Tuesday after the horizon, 18:00.
        assert_eq!(m.email_deadline(0, at(11, 18.0, 0.0)), at(15, 18.0, 0.0));
    }

    #[test]
    fn email_deadline_is_capped_at_a_shorter_closing() {
        let mut m = model();
        // Wednesdays close at 12:00: Monday 15:00 -> Wednesday, capped at 12:00.
        m.lines[0].hours[2] = Some((9.0 * 3600.0, 12.0 * 3600.0));
        assert_eq!(m.email_deadline(0, at(0, 15.0, 0.0)), at(2, 12.0, 0.0));
    }
}
