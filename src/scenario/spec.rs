//! The serde schema of a scenario file (`*Spec` types): what the user wrote,
//! with the locations of the values that validation may reject. Validation
//! turns it into a [`crate::model::Model`]. `docs/scenario.md` documents every
//! field.

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use super::values::{DateValue, DurationValue};

/// A whole number as written. Wider than TOML's 64-bit integers so that a
/// number beyond them (`days = 9223372036854775808`) still reaches its
/// field's check and gets the field's range in the message, as a smaller
/// wrong number does; only one beyond 128 bits is refused as it is read.
pub type Whole = i128;

/// A whole scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    /// Name shown in reports.
    pub name: Option<String>,
    /// Free text shown in reports.
    pub description: Option<String>,
    /// Days and intervals simulated.
    pub horizon: Spanned<HorizonSpec>,
    /// Default run settings (the command line overrides them).
    pub run: Option<RunSpec>,
    /// Entry points with opening hours; a line `main` open Mon–Fri 09:00–19:00 if absent.
    #[serde(default)]
    pub lines: IndexMap<String, Spanned<LineSpec>>,
    /// Behaviour per channel.
    #[serde(default)]
    pub channels: ChannelsSpec,
    /// Streams of demand.
    pub themes: Spanned<IndexMap<String, Spanned<ThemeSpec>>>,
    /// Agent pools.
    pub pools: Spanned<IndexMap<String, Spanned<PoolSpec>>>,
    /// Targets drawn on the charts.
    pub targets: Option<TargetsSpec>,
    /// Promises tested by `ccsim check`.
    pub expect: Option<ExpectSpec>,
    /// Scenario-wide multipliers, for what-if runs and sweeps.
    pub scale: Option<ScaleSpec>,
}

/// `[scale]`: multiply every volume or every pool's staffing at once.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleSpec {
    /// Multiplies every theme's expected arrivals on every channel.
    pub volume: Option<Spanned<f64>>,
    /// Multiplies every pool's staffing (on top of each pool's own `scale`).
    pub agents: Option<Spanned<f64>>,
    /// Multiplies every handle time (`1.1`), or each channel's
    /// (`{ call = 1.2, email = 0.9 }`), keeping each distribution's shape.
    pub handle_time: Option<Spanned<Factors>>,
}

/// `themes.NAME.scale`: multipliers of one theme, on top of `[scale]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeScaleSpec {
    /// Multiplies the theme's handle times: one number, or per channel.
    pub handle_time: Option<Spanned<Factors>>,
}

/// Multipliers: one number for every channel (`1.1`), or a table per
/// channel (`{ call = 1.2, email = 0.9 }`).
pub type Factors = NumberOr<IndexMap<String, Spanned<f64>>>;

/// A value written either as a number (`1.1`) or as a table (`{ call = 1.2 }`,
/// `{ from = 2021-04-06, ... }`): the number is the simple case, the table
/// the detailed one.
#[derive(Debug)]
pub enum NumberOr<T> {
    /// A number (an integer is read as a float).
    Number(f64),
    /// A table.
    Table(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for NumberOr<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Either<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Either<T> {
            type Value = NumberOr<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number or a table")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(NumberOr::Number(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(NumberOr::Number(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(NumberOr::Number(v as f64))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(NumberOr::Table)
            }
        }
        d.deserialize_any(Either(std::marker::PhantomData))
    }
}

/// `[targets]`: the figures the planner aims at, shown on charts and reports.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetsSpec {
    /// Reachability per channel or `total`: `{ total = 0.9, call = 0.88 }`.
    pub reachability: Option<IndexMap<String, Spanned<f64>>>,
    /// Service level per live channel: `{ call = 0.8 }`.
    pub service_level: Option<IndexMap<String, Spanned<f64>>>,
}

/// `[expect]`: promises about the horizon's figures that `ccsim check`
/// tests on their 95% confidence intervals, each a bound and a threshold:
/// `reachability.call = ">= 0.85"`, `asa.call = "<= 45s"`, `cost = "<= 1.2e6"`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectSpec {
    /// Per channel or `total`: `reachability.call = ">= 85%"`.
    pub reachability: Option<IndexMap<String, Spanned<String>>>,
    /// Per live channel: `service_level.chat = ">= 0.8"`.
    pub service_level: Option<IndexMap<String, Spanned<String>>>,
    /// Share abandoned per live channel: `abandonment.call = "<= 5%"`.
    pub abandonment: Option<IndexMap<String, Spanned<String>>>,
    /// Mean wait of answered contacts per channel: `asa.call = "<= 45s"`.
    pub asa: Option<IndexMap<String, Spanned<String>>>,
    /// Occupancy per pool: `occupancy.frontline = "<= 0.9"`.
    pub occupancy: Option<IndexMap<String, Spanned<String>>>,
    /// Cost over the horizon: of handling, `cost = "<= 1.2e6"`; or by
    /// part, `cost.staff = "<= 2.5e5"` (`handling`, `staff`, `extra`, `total`).
    pub cost: Option<Spanned<CostExpect>>,
}

/// `[expect] cost`: one promise on the handling cost, or a table of
/// promises by part of the cost.
#[derive(Debug)]
pub enum CostExpect {
    /// `cost = "<= 1.2e6"`: the handling cost.
    Handling(String),
    /// `cost.staff = "<= 2.5e5"`, ...: by part, as written.
    Parts(IndexMap<String, Spanned<String>>),
}

impl<'de> Deserialize<'de> for CostExpect {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<CostExpect, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = CostExpect;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a bound and a threshold (\"<= 1.2e6\") or a table of them by part \
                     (handling, staff, extra, total)",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<CostExpect, E> {
                Ok(CostExpect::Handling(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<CostExpect, A::Error> {
                let mut parts = IndexMap::new();
                while let Some((k, v)) = map.next_entry::<String, Spanned<String>>()? {
                    parts.insert(k, v);
                }
                Ok(CostExpect::Parts(parts))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// `[horizon]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HorizonSpec {
    /// First day simulated.
    pub start: Spanned<DateValue>,
    /// Number of days (or give `end`).
    pub days: Option<Spanned<Whole>>,
    /// Last day simulated, inclusive (or give `days`).
    pub end: Option<Spanned<DateValue>>,
    /// Interval length; default 30 minutes.
    pub interval: Option<Spanned<DurationValue>>,
}

/// `[run]`: defaults for `ccsim run`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSpec {
    /// Number of replications.
    pub replications: Option<Spanned<Whole>>,
    /// Seed.
    pub seed: Option<u64>,
}

/// `[lines.NAME]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineSpec {
    /// Opening window per weekday or weekday range: `mon-fri = "09:00-19:00"`.
    pub hours: Option<IndexMap<String, Spanned<String>>>,
    /// Dates on which the line is closed (public holidays).
    #[serde(default)]
    pub closed: Vec<Spanned<DateValue>>,
    /// A computed calendar of public holidays on which the line is closed: `BE`, `BE-VLG`.
    pub holidays: Option<Spanned<String>>,
    /// Most calls and chats waiting at once; more get a busy signal.
    pub max_queue: Option<Spanned<Whole>>,
    /// Price per handled second for this line's themes.
    pub price_per_second: Option<Spanned<f64>>,
    /// Expected-wait message that sends some callers away.
    pub announcement: Option<Spanned<AnnouncementSpec>>,
    /// Callback offered to calls that wait long.
    pub callback: Option<Spanned<CallbackSpec>>,
    /// Volume of the line per channel, split over its themes by their `menu_share`.
    pub menu: Option<Spanned<PerChannel<Spanned<VolumeSpec>>>>,
    /// The appointment book of a counter line: its visit products are booked here.
    pub appointments: Option<Spanned<BookSpec>>,
}

/// `[lines.NAME.appointments]`: the appointment book of a counter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookSpec {
    /// Desks open for appointments per interval and weekday (a staffing table).
    pub desks: Spanned<StaffingSpec>,
    /// Share of the bookable desk time that gets booked (0 to 1).
    pub fill: Spanned<f64>,
    /// Multiplies the fill rate per weekday or weekday range (default 1).
    pub fill_weekday: Option<Spanned<IndexMap<String, Spanned<f64>>>>,
    /// Multiplies the fill rate per interval of the day (default 1).
    pub fill_hours: Option<Spanned<IntradaySpec>>,
    /// Chance that a booked visitor does not come (default 0; a product may set its own).
    pub no_show: Option<Spanned<f64>>,
    /// Desks call a visitor at the earliest this long before the appointment
    /// time (default: as soon as the visitor has checked in).
    pub call_early: Option<Spanned<DurationValue>>,
}

/// `appointment = { slot = "15min", no_show = 0.05 }` of a visit product.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppointmentSpec {
    /// Length of the product's slot in the book.
    pub slot: Spanned<DurationValue>,
    /// Chance that a booked visitor does not come (default: the book's).
    pub no_show: Option<Spanned<f64>>,
}

/// `[channels.visit.punctuality]`: when visitors arrive around their appointment time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PunctualitySpec {
    /// Share of visitors who arrive early (0 to 1).
    pub early: Spanned<f64>,
    /// How early the early ones are.
    pub early_by: Option<Spanned<DistributionSpec>>,
    /// How late the others are (default: exactly on time).
    pub late_by: Option<Spanned<DistributionSpec>>,
}

/// `[lines.NAME.announcement]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementSpec {
    /// Expected waits above this are announced.
    pub max_expected_wait: Spanned<DurationValue>,
    /// Probability that a caller who hears it hangs up (default 1).
    pub leave: Option<Spanned<f64>>,
}

/// `[lines.NAME.callback]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallbackSpec {
    /// Wait after which the callback is offered.
    pub after: Spanned<DurationValue>,
    /// Probability that the caller accepts.
    pub accept: Spanned<f64>,
}

/// `[channels.call.redial]`, `[channels.chat.redial]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedialSpec {
    /// Probability of trying again after a failed first attempt.
    pub probability: Spanned<f64>,
    /// Probability after a failed later attempt (default: `probability`).
    pub later: Option<Spanned<f64>>,
    /// Time from the failure to the next attempt.
    pub delay: Spanned<DistributionSpec>,
    /// Spread of the attempts moved to the line's next opening.
    pub next_day_spread: Option<Spanned<DurationValue>>,
    /// Most attempts per caller, the first included.
    pub max_attempts: Option<Spanned<Whole>>,
    /// Share of next attempts sent as an e-mail instead.
    pub to_email: Option<Spanned<f64>>,
}

/// `[channels]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelsSpec {
    /// Phone calls.
    pub call: Option<Spanned<ChannelSpec>>,
    /// Chats.
    pub chat: Option<Spanned<ChannelSpec>>,
    /// E-mails.
    pub email: Option<Spanned<ChannelSpec>>,
    /// Visits to a counter.
    pub visit: Option<Spanned<ChannelSpec>>,
}

/// `[channels.call]`, `[channels.chat]`, `[channels.email]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelSpec {
    /// How long contacts wait before hanging up (call, chat).
    pub patience: Option<Spanned<DistributionSpec>>,
    /// Chats per agent at once (chat).
    pub concurrency: Option<Spanned<Whole>>,
    /// Working days within which an e-mail must be picked up (email).
    pub sla_working_days: Option<Spanned<Whole>>,
    /// Answered within this wait counts for the service level (call, chat).
    pub service_level_threshold: Option<Spanned<DurationValue>>,
    /// Callers who try again (call, chat).
    pub redial: Option<Spanned<RedialSpec>>,
    /// When visitors arrive around their appointment time (visit).
    pub punctuality: Option<Spanned<PunctualitySpec>>,
}

/// A distribution as planners give it: `{ dist = "lognormal", mean = "5m", cv = 0.8 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistributionSpec {
    /// `exponential`, `lognormal`, `gamma`, `erlang`, `weibull`, `uniform`, `constant`, `empirical`.
    pub dist: Spanned<String>,
    /// Mean.
    pub mean: Option<Spanned<DurationValue>>,
    /// Coefficient of variation (standard deviation / mean).
    pub cv: Option<Spanned<f64>>,
    /// Number of phases (erlang).
    pub k: Option<Spanned<Whole>>,
    /// The value (constant).
    pub value: Option<Spanned<DurationValue>>,
    /// Lower bound (uniform).
    pub min: Option<Spanned<DurationValue>>,
    /// Upper bound (uniform).
    pub max: Option<Spanned<DurationValue>>,
    /// Observed values (empirical).
    pub values: Option<Spanned<Vec<DurationValue>>>,
    /// CSV file of observed values in seconds, relative to the scenario (empirical).
    pub file: Option<Spanned<String>>,
    /// Column of the CSV file (empirical; default the first).
    pub column: Option<String>,
}

/// Volume of a theme on one channel: exactly one of `per_day`, `per_month`,
/// `per_year`, `menu_share`, `appointment_share` and `file`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolumeSpec {
    /// Contacts on an average working day (Monday–Friday, weight 1).
    pub per_day: Option<Spanned<f64>>,
    /// Contacts per month (30.44 days), spread over the calendar.
    pub per_month: Option<Spanned<f64>>,
    /// Contacts per year (365.25 days), spread over the calendar.
    pub per_year: Option<Spanned<f64>>,
    /// Share of the line's menu volume on this channel (a phone-menu option).
    pub menu_share: Option<Spanned<f64>>,
    /// Share of the line's appointments booked for this product (visit).
    pub appointment_share: Option<Spanned<f64>>,
    /// CSV file of the expected contacts per date (columns `date,volume`) or
    /// per date and interval (`date,interval,volume`), relative to the scenario.
    pub file: Option<Spanned<String>>,
    /// The file's count column (default `volume`).
    pub column: Option<Spanned<String>>,
}

/// Per-channel values of a theme.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerChannel<T> {
    /// Phone calls.
    pub call: Option<T>,
    /// Chats.
    pub chat: Option<T>,
    /// E-mails.
    pub email: Option<T>,
    /// Visits.
    pub visit: Option<T>,
}

impl<T> PerChannel<T> {
    /// The value of one channel.
    pub fn get(&self, channel: crate::model::Channel) -> Option<&T> {
        use crate::model::Channel;
        match channel {
            Channel::Call => self.call.as_ref(),
            Channel::Chat => self.chat.as_ref(),
            Channel::Email => self.email.as_ref(),
            Channel::Visit => self.visit.as_ref(),
        }
    }
}

/// Weights per interval from a clock time: `{ start = "09:00", weights = [...] }`,
/// with a weekday's own weights beside them: `fri = [...]` (themes' profiles only).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntradaySpec {
    /// Clock time of the first weight.
    pub start: Spanned<String>,
    /// One relative weight per interval (every weekday without its own list).
    pub weights: Spanned<Vec<f64>>,
    /// Monday's own weights.
    pub mon: Option<Spanned<Vec<f64>>>,
    /// Tuesday's own weights.
    pub tue: Option<Spanned<Vec<f64>>>,
    /// Wednesday's own weights.
    pub wed: Option<Spanned<Vec<f64>>>,
    /// Thursday's own weights.
    pub thu: Option<Spanned<Vec<f64>>>,
    /// Friday's own weights.
    pub fri: Option<Spanned<Vec<f64>>>,
    /// Saturday's own weights.
    pub sat: Option<Spanned<Vec<f64>>>,
    /// Sunday's own weights.
    pub sun: Option<Spanned<Vec<f64>>>,
}

impl IntradaySpec {
    /// The weekdays' own lists, Monday first.
    pub fn weekdays(&self) -> [Option<&Spanned<Vec<f64>>>; 7] {
        [
            self.mon.as_ref(),
            self.tue.as_ref(),
            self.wed.as_ref(),
            self.thu.as_ref(),
            self.fri.as_ref(),
            self.sat.as_ref(),
            self.sun.as_ref(),
        ]
    }
}

/// A peak in a theme's demand.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeakSpec {
    /// First day of the peak.
    pub from: Spanned<DateValue>,
    /// Last day of the peak (inclusive).
    pub to: Spanned<DateValue>,
    /// Multiplier of the volume at the peak's height.
    pub factor: Spanned<f64>,
    /// `flat` (default), `ramp` (rises to the factor) or `decay` (falls from it).
    pub shape: Option<Spanned<String>>,
    /// Channels the peak applies to (default all).
    pub channels: Option<Spanned<Vec<String>>>,
}

/// Forecast error of a theme's volume level.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncertaintySpec {
    /// Coefficient of variation of the level.
    pub cv: Spanned<f64>,
    /// `day` (default) or `replication`.
    pub per: Option<Spanned<String>>,
}

/// `[themes.NAME]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeSpec {
    /// Line the theme comes in through (default: the only line).
    pub line: Option<Spanned<String>>,
    /// First day with contacts (default: the horizon's first day); `per_month`
    /// and `per_year` count from it.
    pub start: Option<Spanned<DateValue>>,
    /// Volume per channel.
    pub volume: Spanned<PerChannel<Spanned<VolumeSpec>>>,
    /// Handle time per channel.
    pub handle_time: Spanned<PerChannel<Spanned<DistributionSpec>>>,
    /// Relative volume per weekday (`mon` ... `sun`), normalised to a Monday–Friday mean of 1.
    pub weekday_weights: Option<Spanned<IndexMap<String, Spanned<f64>>>>,
    /// Intraday weights of calls and chats over the opening hours.
    pub intraday_weights: Option<Spanned<IntradaySpec>>,
    /// Intraday weights of e-mails over the whole day (default flat around the clock).
    pub email_intraday_weights: Option<Spanned<IntradaySpec>>,
    /// Peaks.
    #[serde(default)]
    pub peaks: Vec<Spanned<PeakSpec>>,
    /// Forecast error of the volume.
    pub uncertainty: Option<Spanned<UncertaintySpec>>,
    /// Price per handled second, overriding the line's.
    pub price_per_second: Option<Spanned<f64>>,
    /// Share of the theme's contacts that self-service answers instead (0 to 1).
    pub deflection: Option<Spanned<f64>>,
    /// Letters sent that bring contacts over the following days.
    #[serde(default)]
    pub mailings: Vec<Spanned<MailingSpec>>,
    /// Answered calls transferred to another theme's queue.
    pub transfer: Option<Spanned<TransferSpec>>,
    /// The product's appointment slot (visit themes with an `appointment_share`).
    pub appointment: Option<Spanned<AppointmentSpec>>,
    /// The theme's own multipliers (`scale.handle_time`), on top of `[scale]`.
    pub scale: Option<Spanned<ThemeScaleSpec>>,
}

/// `transfer = { to = "certificates", probability = 0.05, delay = "20s" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferSpec {
    /// Theme whose call queue receives the transferred callers.
    pub to: Spanned<String>,
    /// Share of answered calls transferred.
    pub probability: Spanned<f64>,
    /// Time from the end of the first conversation to the arrival in the new queue (default 0).
    pub delay: Option<Spanned<DurationValue>>,
}

/// A mailing wave: letters sent on a date, some of whose readers get in touch.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailingSpec {
    /// Day the letters are sent; contacts start the next day.
    pub sent: Spanned<DateValue>,
    /// Number of letters.
    pub letters: Spanned<f64>,
    /// Contacts per letter, per channel: `{ call = 0.04, email = 0.01 }`.
    pub response: Spanned<IndexMap<String, Spanned<f64>>>,
    /// Days after which half of the remaining response has come in (default 2).
    pub half_life_days: Option<Spanned<f64>>,
}

/// Themes or channels: `"*"`, one name, or a list.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Names {
    /// One name, or `"*"` for all.
    One(String),
    /// Several names.
    Many(Vec<String>),
}

/// One skill line of a pool.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillSpec {
    /// Themes served (`"*"` for all).
    pub themes: Spanned<Names>,
    /// Channels served (`"*"` for all; default all).
    pub channels: Option<Spanned<Names>>,
    /// 1 is served first; default 1.
    pub priority: Option<Spanned<Whole>>,
    /// The pool takes these contacts only after they waited this long (backup pool).
    pub overflow_after: Option<Spanned<DurationValue>>,
}

/// Agents per interval from a clock time, per weekday; or (pools only) a
/// CSV file of agents per date and interval.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffingSpec {
    /// Clock time of the first value (required unless `file` is given).
    pub start: Option<Spanned<String>>,
    /// CSV file of scheduled agents per date and interval (columns
    /// `date,interval,agents`), relative to the scenario, instead of the table.
    pub file: Option<Spanned<String>>,
    /// The file's count column (default `agents`).
    pub column: Option<Spanned<String>>,
    /// Agents per interval on weekdays without their own list.
    pub default: Option<Spanned<Vec<Spanned<Whole>>>>,
    /// Monday.
    pub mon: Option<Spanned<Vec<Spanned<Whole>>>>,
    /// Tuesday.
    pub tue: Option<Spanned<Vec<Spanned<Whole>>>>,
    /// Wednesday.
    pub wed: Option<Spanned<Vec<Spanned<Whole>>>>,
    /// Thursday.
    pub thu: Option<Spanned<Vec<Spanned<Whole>>>>,
    /// Friday.
    pub fri: Option<Spanned<Vec<Spanned<Whole>>>>,
    /// Saturday.
    pub sat: Option<Spanned<Vec<Spanned<Whole>>>>,
    /// Sunday.
    pub sun: Option<Spanned<Vec<Spanned<Whole>>>>,
}

/// `[pools.NAME]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolSpec {
    /// Agents scheduled whenever one of the pool's lines is open.
    pub agents: Option<Spanned<Whole>>,
    /// Agents scheduled per interval and weekday (instead of `agents`).
    pub staffing: Option<Spanned<StaffingSpec>>,
    /// Shifts with breaks and a head count per weekday (instead of `agents` or `staffing`).
    pub shifts: Option<Spanned<Vec<Spanned<ShiftSpec>>>>,
    /// Chance that a scheduled agent is absent for a whole day (0 to below 1).
    pub absenteeism: Option<Spanned<f64>>,
    /// Temporary extra agents for a date window, priced per hour.
    #[serde(default)]
    pub extra: Vec<Spanned<ExtraSpec>>,
    /// Share of scheduled time not available for contacts (breaks, training).
    pub shrinkage: Option<Spanned<f64>>,
    /// Multiplies the pool's staffing (whole agents per interval, rounded).
    pub scale: Option<Spanned<f64>>,
    /// Price of one scheduled agent-hour of the pool's own agents (staff cost).
    pub hour_price: Option<Spanned<f64>>,
    /// How fast the pool's agents work (handle time ÷ speed): a number, or a
    /// ramp over dates for new hires (`{ from, to, start, end }`).
    pub speed: Option<Spanned<NumberOr<SpeedRampSpec>>>,
    /// E-mail blending threshold: an agent takes an e-mail only when at
    /// least this many other agents of the pool stay idle (default 0).
    pub email_reserve: Option<Spanned<Whole>>,
    /// What the pool serves.
    pub skills: Spanned<Vec<Spanned<SkillSpec>>>,
}

/// `pools.NAME.speed` as a ramp: `start` up to `from`, `end` from `to` on,
/// linear by date in between.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeedRampSpec {
    /// The last day at the `start` speed.
    pub from: Spanned<DateValue>,
    /// The first day at the `end` speed.
    pub to: Spanned<DateValue>,
    /// The speed up to `from`.
    pub start: Spanned<f64>,
    /// The speed from `to` on.
    pub end: Spanned<f64>,
}

/// One shift of a pool: `{ start = "08:30", end = "17:00", breaks = [...], count = { mon-fri = 10 } }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftSpec {
    /// Clock time the shift starts.
    pub start: Spanned<String>,
    /// Clock time the shift ends, the same day (`"24:00"` for midnight).
    pub end: Spanned<String>,
    /// Unpaid breaks within the shift, when its agents are off duty.
    #[serde(default)]
    pub breaks: Vec<Spanned<BreakSpec>>,
    /// Agents working the shift per weekday or weekday range: `{ mon-fri = 10, sat = 2 }`.
    pub count: Spanned<IndexMap<String, Spanned<Whole>>>,
}

/// A break within a shift: `{ at = "12:00", length = "30m" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakSpec {
    /// Clock time the break starts.
    pub at: Spanned<String>,
    /// How long it lasts.
    pub length: Spanned<DurationValue>,
}

/// Temporary extra support: agents added to a pool on the days of a date window.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraSpec {
    /// First day of the support.
    pub from: Spanned<DateValue>,
    /// Last day of the support (inclusive).
    pub to: Spanned<DateValue>,
    /// Extra agents on duty during `hours`.
    pub agents: Spanned<Whole>,
    /// Daily window of the support, `"09:00-19:00"` (default: the pool's lines' opening hours).
    pub hours: Option<Spanned<String>>,
    /// Weekdays of the support, `"mon-fri"` or a list (default every working day of the pool's lines).
    pub weekdays: Option<Spanned<Names>>,
    /// Price of one extra agent-hour.
    pub price_per_hour: Spanned<f64>,
}
