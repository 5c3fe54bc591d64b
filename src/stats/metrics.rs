//! Metrics of one replication, derived from its counters, in a fixed layout.
//!
//! Definitions (the README repeats them):
//! - `offered`: contacts that arrived; `answered`: picked up by an agent;
//!   `abandoned`; `closed_out`: still waiting when the line closed.
//! - `reachability`: calls and chats, answered / offered; e-mail, the share of
//!   received e-mails picked up by their deadline (`sla_working_days` working
//!   days), among those whose fate is known at the end of the horizon (an
//!   e-mail still waiting whose deadline lies beyond the horizon is left out).
//! - `service_level`: answered within the channel's threshold / offered.
//! - `asa`: mean wait of answered contacts, seconds; `wait_p90`: 90th
//!   percentile of the wait of answered contacts, seconds.
//! - `abandon_share`: abandoned / offered.
//! - `handled_hours`: handle time of answered contacts; `cost`: handled
//!   seconds × unit price.
//! - `backlog`: e-mails waiting at the end of the day (horizon: of the last day).
//! - pools: `occupancy` = busy agent time / agent time on duty (a chat counts
//!   1/concurrency); `agents`: mean agents on duty (per interval);
//!   `agent_hours`: hours on duty, after shrinkage, including agents finishing
//!   a contact after their shift; `busy_hours`; `scheduled_hours`: hours
//!   of the pool's own agents scheduled before shrinkage (what is paid for);
//!   `absent_hours` (pools with absenteeism): of those, the hours of agents
//!   absent for the day (paid, not worked); `extra_hours` and `extra_cost`
//!   (pools with extra support): hours of extra support on duty and their
//!   price. The total's `extra_cost` sums the pools'; `cost` never includes it.
//!   `staff_cost` (pools with an `hour_price`): `scheduled_hours` × the
//!   pool's `hour_price`; the total's sums the pools'. Neither `cost` nor
//!   `extra_cost` includes it. `total_cost` (the total, when some pool has
//!   an `hour_price`): `cost` + `staff_cost` + `extra_cost`.
//!
//! Every outcome is attributed to the interval (and day) its contact arrived in.

use std::ops::Range;

pub use crate::model::Metric;
use crate::model::{Channel, Model};

use super::counters::{Counters, PoolCell, StreamCell, WAIT_BIN, WAIT_BINS};
use super::totals::{PoolTotals, Totals, ratio};

/// What a figure is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// All themes of a channel.
    Channel(Channel),
    /// One theme on one channel (theme index).
    Theme(usize, Channel),
    /// One line on one channel (line index).
    Line(usize, Channel),
    /// One agent pool (pool index).
    Pool(usize),
    /// Everything together.
    Total,
}

/// Over what time a figure is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// The whole horizon.
    Horizon,
    /// One calendar day (horizon day index).
    Day(u32),
    /// One interval (horizon interval index).
    Interval(u32),
    /// One interval of the day (index within the day) over every day on
    /// which some line is open then: the average day's profile.
    TimeOfDay(u32),
    /// One weekday (0 Monday .. 6 Sunday) over the horizon (models with visits).
    Weekday(u8),
    /// One clock hour of one weekday over the horizon (models with visits).
    WeekdayHour(u8, u8),
}

/// The waits, in seconds, at which the waiting-time distribution is reported:
/// every 5 s up to 5 minutes, every 15 s up to 20 minutes, every minute up to
/// two hours (the histogram's reach).
pub fn wait_cdf_points() -> impl Iterator<Item = u16> + Clone {
    (0..=300)
        .step_by(5)
        .chain((315..=1200).step_by(15))
        .chain((1260..=7200).step_by(60))
}

/// One reported figure: level, scope and metric, the typed key by which
/// every figure of a run is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Entry {
    /// Over what time.
    pub level: Level,
    /// About what.
    pub scope: Scope,
    /// Which figure.
    pub metric: Metric,
}

impl Entry {
    /// Whether the terminal summary of `ccsim run`
    /// (`report::run::tables::render`) reads this figure: every figure but
    /// those of intervals and, of days, only the channels' offered
    /// contacts, reachability and e-mail backlog. A run that writes no file
    /// summarises only these (`montecarlo::RunResult::results_of`), so that a
    /// long horizon does not hold a summary of each of its per-interval
    /// figures; `montecarlo::memory` counts them so.
    pub fn in_run_summary(&self) -> bool {
        match self.level {
            Level::Interval(_) => false,
            Level::Day(_) => {
                matches!(self.scope, Scope::Channel(_))
                    && matches!(
                        self.metric,
                        Metric::Offered | Metric::Reachability | Metric::Backlog
                    )
            }
            _ => true,
        }
    }
    /// Whether the report of a run writing files summarises this figure
    /// only as it writes it (`RunResults::of_run_values`): a figure of a
    /// day or an interval, but not a point of a waiting-time distribution,
    /// which has a place of its own in `summary.json`.
    pub fn summarised_when_written(&self) -> bool {
        matches!(self.level, Level::Day(_) | Level::Interval(_))
            && !(self.metric.is_wait_point() && matches!(self.scope, Scope::Channel(_)))
    }
}

const LIVE: &[Metric] = &[
    Metric::Offered,
    Metric::Answered,
    Metric::Abandoned,
    Metric::ClosedOut,
    Metric::Blocked,
    Metric::Reachability,
    Metric::ServiceLevel,
    Metric::Asa,
    Metric::AbandonShare,
    Metric::HandledHours,
    Metric::Cost,
];
const EMAIL: &[Metric] = &[
    Metric::Offered,
    Metric::Answered,
    Metric::Reachability,
    Metric::Asa,
    Metric::HandledHours,
    Metric::Cost,
];
const POOL: &[Metric] = &[
    Metric::Occupancy,
    Metric::Agents,
    Metric::AgentHours,
    Metric::BusyHours,
    Metric::ScheduledHours,
];
const TOTAL: &[Metric] = &[
    Metric::Offered,
    Metric::Answered,
    Metric::Reachability,
    Metric::HandledHours,
    Metric::Cost,
];

/// The fixed list of figures reported for a model, and how to compute them.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The figures, in the order [`Layout::compute`] fills them.
    pub entries: Vec<Entry>,
    channels: Vec<Channel>,
    /// Metrics of call and chat scopes, and of e-mail scopes: the fixed
    /// ones plus those of the behaviours the model has.
    live_metrics: Vec<Metric>,
    email_metrics: Vec<Metric>,
    visit_metrics: Vec<Metric>,
    reported_intervals: Vec<u32>,
    /// Intervals of the day reported at least once, each with the number of
    /// days on which it is reported.
    reported_slots: Vec<(u32, u32)>,
    /// The weekdays with reported intervals, for models with visits.
    weekdays: Vec<WeekdayGroup>,
    /// Where each part of a replication's figures lies in `entries`.
    places: Places,
}

/// Where the parts of a replication's figures lie in the layout: first the
/// horizon and the waiting-time distributions, then every day, then every
/// reported interval, then the times of day and the weekdays. Each day has
/// the same number of figures, and so has each reported interval, so that a
/// day's figures can be written in place as soon as its counters are final
/// ([`Layout::fold_day`]).
#[derive(Debug, Clone, Copy, Default)]
struct Places {
    /// Figures of the horizon and the waiting-time distributions.
    head: usize,
    /// Figures of one day.
    per_day: usize,
    /// Figures of one reported interval.
    per_interval: usize,
    /// Days of the horizon.
    days: usize,
}

impl Places {
    fn day(&self, d: usize) -> usize {
        self.head + d * self.per_day
    }
    fn interval(&self, k: usize) -> usize {
        self.head + self.days * self.per_day + k * self.per_interval
    }
    fn tail(&self, reported: usize) -> usize {
        self.interval(reported)
    }
}

/// Where the counters of a replication are read from: every interval of the
/// horizon ([`Counters`]) or only the days not yet folded
/// (`stats::rolling::Rolling`). A day is read only while it is available.
pub trait Cells {
    /// Counters of one stream in one interval.
    fn cell(&self, interval: usize, stream: usize) -> &StreamCell;
    /// Agent time of one pool in one interval.
    fn pool_cell(&self, interval: usize, pool: usize) -> &PoolCell;
    /// Waiting-time histogram of answered contacts of one channel on one day.
    fn histogram(&self, day: usize, channel: Channel) -> &[u32];
    /// Contacts of `stream` waiting at the end of `day`.
    fn backlog(&self, day: usize, stream: usize) -> u32;
    /// Waits of the callers or chatters of one channel who hung up, over the horizon.
    fn abandon_histogram(&self, channel: Channel) -> &[u32];
}

impl Cells for Counters {
    fn cell(&self, interval: usize, stream: usize) -> &StreamCell {
        Counters::cell(self, interval, stream)
    }
    fn pool_cell(&self, interval: usize, pool: usize) -> &PoolCell {
        Counters::pool_cell(self, interval, pool)
    }
    fn histogram(&self, day: usize, channel: Channel) -> &[u32] {
        Counters::histogram(self, day, channel)
    }
    fn backlog(&self, day: usize, stream: usize) -> u32 {
        self.backlog[day * self.streams() + stream]
    }
    fn abandon_histogram(&self, channel: Channel) -> &[u32] {
        Counters::abandon_histogram(self, channel)
    }
}

/// The sums of the figures taken over more than one day (the horizon, the
/// times of day, the weekdays), accumulated day by day as the days are
/// folded, in the order of the intervals, so that every sum is made in the
/// same order as over the whole horizon at once.
#[derive(Debug, Clone)]
pub struct Folder {
    horizon: Sums,
    /// Per reported slot (in the order of `Layout::reported_slots`).
    slots: Vec<Sums>,
    /// Per slot of the day: its place in `slots`, if it is reported.
    slot_of: Vec<Option<usize>>,
    /// Per weekday group: the whole weekday and each of its hours.
    weekdays: Vec<(Sums, Vec<Sums>)>,
    /// Per channel: the merged waiting-time histogram of answered contacts.
    answered: Vec<[u64; WAIT_BINS]>,
    /// Per weekday group: the merged histogram of the visits of its days.
    visit_days: Vec<[u64; WAIT_BINS]>,
    /// Days folded so far.
    folded: usize,
}

/// Per stream and per pool, the sums of a set of cells.
#[derive(Debug, Clone)]
struct Sums {
    streams: Vec<Totals>,
    pools: Vec<PoolTotals>,
}

impl Sums {
    fn new(model: &Model) -> Sums {
        Sums {
            streams: vec![Totals::default(); model.streams.len()],
            pools: vec![PoolTotals::default(); model.pools.len()],
        }
    }

    fn clear(&mut self) {
        self.streams.fill(Totals::default());
        self.pools.fill(PoolTotals::default());
    }

    /// Adds interval `i` of `cells`.
    fn add(&mut self, model: &Model, cells: &dyn Cells, i: usize) {
        for (s, stream) in model.streams.iter().enumerate() {
            self.streams[s].add(cells.cell(i, s), stream.price_per_second, stream.booked);
        }
        for (p, t) in self.pools.iter_mut().enumerate() {
            t.add(
                cells.pool_cell(i, p),
                &model.pools[p],
                i,
                model.calendar.interval,
            );
        }
    }
}

impl Folder {
    /// Empties the sums for a new replication.
    pub fn clear(&mut self) {
        self.horizon.clear();
        self.slots.iter_mut().for_each(Sums::clear);
        for (whole, hours) in &mut self.weekdays {
            whole.clear();
            hours.iter_mut().for_each(Sums::clear);
        }
        self.answered.iter_mut().for_each(|h| h.fill(0));
        self.visit_days.iter_mut().for_each(|h| h.fill(0));
        self.folded = 0;
    }

    /// Days folded so far (the next day to fold).
    pub fn folded(&self) -> usize {
        self.folded
    }

    /// Bytes of the sums for `model` (for the memory estimate).
    pub fn bytes(model: &Model, slots: usize, weekday_hours: usize) -> u64 {
        let sums = (model.streams.len() * size_of::<Totals>()
            + model.pools.len() * size_of::<PoolTotals>()) as u64;
        (1 + slots + weekday_hours) as u64 * sums + ((Channel::COUNT + 7) * WAIT_BINS * 8) as u64
    }
}

/// The reported intervals of one weekday over the horizon, whole and by clock hour.
#[derive(Debug, Clone)]
struct WeekdayGroup {
    weekday: u8,
    days: Vec<usize>,
    intervals: Vec<u32>,
    hours: Vec<(u8, Vec<u32>)>,
}

/// Figures of the visit channel at weekday and weekday-and-hour level.
const VISIT_WEEKDAY: &[Metric] = &[
    Metric::Offered,
    Metric::Answered,
    Metric::Asa,
    Metric::WaitP90,
    Metric::VisitShare,
];
const VISIT_HOUR: &[Metric] = &[Metric::Offered, Metric::Asa, Metric::VisitShare];

/// Groups the reported intervals by weekday and clock hour.
fn weekday_groups(model: &Model, reported: &[u32]) -> Vec<WeekdayGroup> {
    let cal = &model.calendar;
    let per_day = cal.intervals_per_day;
    let mut groups: Vec<WeekdayGroup> = (0..7u8)
        .map(|w| WeekdayGroup {
            weekday: w,
            days: Vec::new(),
            intervals: Vec::new(),
            hours: Vec::new(),
        })
        .collect();
    for &i in reported {
        let day = i / per_day;
        let w = crate::model::Weekday::of(cal.date(day)).index();
        let g = &mut groups[w];
        if g.days.last() != Some(&(day as usize)) {
            g.days.push(day as usize);
        }
        g.intervals.push(i);
        let hour = (f64::from(i % per_day) * cal.interval / 3600.0).floor() as u8;
        match g.hours.iter_mut().find(|(h, _)| *h == hour) {
            Some((_, list)) => list.push(i),
            None => g.hours.push((hour, vec![i])),
        }
    }
    for g in &mut groups {
        g.hours.sort_by_key(|(h, _)| *h);
    }
    groups.retain(|g| !g.intervals.is_empty());
    groups
}

impl Layout {
    /// The figures reported for `model`: horizon and days for every scope;
    /// intervals (those in which some line is open) per channel and pool.
    pub fn new(model: &Model) -> Layout {
        let reported_intervals = open_intervals(model);
        let mut layout = Layout {
            entries: Vec::new(),
            channels: model.active_channels(),
            live_metrics: live_metrics(model),
            email_metrics: email_metrics(model),
            visit_metrics: visit_metrics(model),
            weekdays: if model.has_visits() {
                weekday_groups(model, &reported_intervals)
            } else {
                Vec::new()
            },
            reported_slots: reported_slots(model, &reported_intervals),
            reported_intervals,
            places: Places::default(),
        };
        let mut entries = Vec::new();
        layout.walk(model, None, &mut |entry, _| entries.push(entry));
        let days = model.calendar.days as usize;
        let count = |f: fn(&Level) -> bool| entries.iter().filter(|e| f(&e.level)).count();
        let head = entries
            .iter()
            .position(|e| !matches!(e.level, Level::Horizon))
            .unwrap_or(entries.len());
        let reported = layout.reported_intervals.len();
        layout.places = Places {
            head,
            per_day: count(|l| matches!(l, Level::Day(_))) / days.max(1),
            per_interval: count(|l| matches!(l, Level::Interval(_))) / reported.max(1),
            days,
        };
        layout.entries = entries;
        layout
    }

    /// Empty sums to fold the days of a replication into.
    pub fn folder(&self, model: &Model) -> Folder {
        let per_day = model.calendar.intervals_per_day as usize;
        let mut slot_of = vec![None; per_day];
        for (k, &(slot, _)) in self.reported_slots.iter().enumerate() {
            slot_of[slot as usize] = Some(k);
        }
        Folder {
            horizon: Sums::new(model),
            slots: vec![Sums::new(model); self.reported_slots.len()],
            slot_of,
            weekdays: self
                .weekdays
                .iter()
                .map(|g| (Sums::new(model), vec![Sums::new(model); g.hours.len()]))
                .collect(),
            answered: vec![[0u64; WAIT_BINS]; Channel::COUNT],
            visit_days: vec![[0u64; WAIT_BINS]; self.weekdays.len()],
            folded: 0,
        }
    }

    /// Folds day `folder.folded()` of a replication: writes its figures and
    /// those of its reported intervals into their places in `out` (as long
    /// as `entries`), and adds its cells to the sums over more than one day.
    /// Days must be folded in order, each once, while `cells` holds it.
    pub fn fold_day(&self, model: &Model, cells: &dyn Cells, folder: &mut Folder, out: &mut [f64]) {
        let d = folder.folded;
        let per_day = model.calendar.intervals_per_day as usize;
        let first = d * per_day;
        let day = first..first + per_day;
        // The day's and its intervals' own figures.
        let mut pos = self.places.day(d);
        let mut emit = |_: Entry, v: f64| {
            out[pos] = v;
            pos += 1;
        };
        let mut walk = Walk::new(self, model, Some(cells), None, &mut emit);
        walk.day(d);
        let from = self
            .reported_intervals
            .partition_point(|&i| (i as usize) < first);
        let to = self
            .reported_intervals
            .partition_point(|&i| (i as usize) < day.end);
        let mut pos = self.places.interval(from);
        let mut emit = |_: Entry, v: f64| {
            out[pos] = v;
            pos += 1;
        };
        let mut walk = Walk::new(self, model, Some(cells), None, &mut emit);
        for &i in &self.reported_intervals[from..to] {
            walk.interval(i);
        }
        // The sums over more than one day, interval by interval.
        let group = self
            .weekdays
            .iter()
            .position(|g| g.days.binary_search(&d).is_ok());
        for i in day {
            folder.horizon.add(model, cells, i);
            if self.reported_intervals[from..to]
                .binary_search(&(i as u32))
                .is_err()
            {
                continue;
            }
            if let Some(k) = folder.slot_of[i - first] {
                folder.slots[k].add(model, cells, i);
            }
            if let Some(g) = group {
                let (whole, hours) = &mut folder.weekdays[g];
                whole.add(model, cells, i);
                let hour = (((i - first) as f64) * model.calendar.interval / 3600.0).floor() as u8;
                if let Some(h) = self.weekdays[g].hours.iter().position(|(x, _)| *x == hour) {
                    hours[h].add(model, cells, i);
                }
            }
        }
        for &c in &self.channels {
            if c != Channel::Email {
                merge_histograms(
                    &mut folder.answered[c.index()],
                    std::iter::once(cells.histogram(d, c)),
                );
            }
        }
        if let Some(g) = group {
            merge_histograms(
                &mut folder.visit_days[g],
                std::iter::once(cells.histogram(d, Channel::Visit)),
            );
        }
        folder.folded += 1;
    }

    /// Writes the figures taken over more than one day (the horizon, the
    /// waiting-time distributions, the times of day, the weekdays) into
    /// their places in `out`, once every day is folded; `cells` gives the
    /// backlog of the last day and the waits of those who hung up.
    pub fn finish(&self, model: &Model, cells: &dyn Cells, folder: &Folder, out: &mut [f64]) {
        debug_assert_eq!(folder.folded, self.places.days);
        let mut pos = 0;
        let mut emit = |_: Entry, v: f64| {
            out[pos] = v;
            pos += 1;
        };
        let mut walk = Walk::new(self, model, Some(cells), Some(folder), &mut emit);
        let horizon = walk.horizon();
        walk.wait_distributions();
        let mut pos = self.places.tail(self.reported_intervals.len());
        let mut emit = |_: Entry, v: f64| {
            out[pos] = v;
            pos += 1;
        };
        let mut walk = Walk::new(self, model, Some(cells), Some(folder), &mut emit);
        walk.times_of_day();
        walk.weekdays(&horizon);
    }

    /// Intervals reported at interval level.
    pub fn reported_intervals(&self) -> &[u32] {
        &self.reported_intervals
    }

    /// Intervals of the day reported at time-of-day level (index within the day).
    pub fn reported_slots(&self) -> impl Iterator<Item = u32> + '_ {
        self.reported_slots.iter().map(|&(slot, _)| slot)
    }

    /// The figures of one replication, in the order of `entries`, into `out`.
    pub fn compute(&self, model: &Model, counters: &Counters, out: &mut Vec<f64>) {
        out.clear();
        out.resize(self.entries.len(), f64::NAN);
        let mut folder = self.folder(model);
        for _ in 0..model.calendar.days {
            self.fold_day(model, counters, &mut folder, out);
        }
        self.finish(model, counters, &folder, out);
    }

    /// Visits every figure in layout order; `counters` is `None` when only the
    /// list of entries is wanted.
    fn walk(&self, model: &Model, counters: Option<&dyn Cells>, emit: &mut dyn FnMut(Entry, f64)) {
        let mut walk = Walk::new(self, model, counters, None, emit);
        let horizon = walk.horizon();
        walk.wait_distributions();
        walk.days();
        walk.intervals();
        walk.times_of_day();
        walk.weekdays(&horizon);
    }
}

/// The intervals in which some line is open: those reported at interval level.
fn open_intervals(model: &Model) -> Vec<u32> {
    let cal = &model.calendar;
    (0..cal.intervals() as u32)
        .filter(|&i| {
            let start = cal.interval_start(i as usize);
            let end = start + cal.interval;
            let day = i / cal.intervals_per_day;
            (0..model.lines.len()).any(|l| {
                model
                    .line_window(l, day)
                    .is_some_and(|(open, close)| open < end && close > start)
            })
        })
        .collect()
}

/// The intervals of the day that are reported at least once, each with the
/// number of days on which it is.
fn reported_slots(model: &Model, reported: &[u32]) -> Vec<(u32, u32)> {
    let per_day = model.calendar.intervals_per_day;
    let mut slot_days = vec![0u32; per_day as usize];
    for &i in reported {
        slot_days[(i % per_day) as usize] += 1;
    }
    (0..per_day)
        .zip(slot_days)
        .filter(|&(_, n)| n > 0)
        .collect()
}

/// Metrics of call and chat scopes: the fixed ones plus those of the
/// behaviours the model has.
fn live_metrics(model: &Model) -> Vec<Metric> {
    let mut metrics = LIVE.to_vec();
    if model.has_announcements() {
        metrics.push(Metric::SentAway);
    }
    if model.has_callbacks() {
        metrics.extend([
            Metric::Callbacks,
            Metric::CallbacksMade,
            Metric::CallbackDelay,
        ]);
    }
    if model.has_transfers() {
        metrics.push(Metric::TransfersIn);
    }
    if model.has_redials() {
        metrics.extend([
            Metric::Redials,
            Metric::Callers,
            Metric::CallerReachability,
            Metric::AttemptsPerCaller,
        ]);
    }
    metrics
}

/// Metrics of e-mail scopes: the fixed ones, and redials when callers may
/// redial by e-mail.
fn email_metrics(model: &Model) -> Vec<Metric> {
    let mut metrics = EMAIL.to_vec();
    if model.has_redials()
        && model
            .channels
            .iter()
            .any(|c| c.redial.as_ref().is_some_and(|r| r.to_email > 0.0))
    {
        metrics.push(Metric::Redials);
    }
    metrics
}

/// Metrics of visit scopes: those of calls and chats, the transaction time,
/// and those of the appointment book when the model has one.
fn visit_metrics(model: &Model) -> Vec<Metric> {
    let mut metrics = LIVE.to_vec();
    metrics.push(Metric::TransactionTime);
    if model.has_appointments() {
        metrics.extend([
            Metric::Booked,
            Metric::NoShows,
            Metric::Deflected,
            Metric::ServedEarly,
        ]);
    }
    metrics
}

/// One pass over the figures of a layout, in its order: the figures of one
/// replication's counters, or (without counters) only their entries.
struct Walk<'a> {
    layout: &'a Layout,
    model: &'a Model,
    counters: Option<&'a dyn Cells>,
    /// The sums over more than one day, once every day is folded.
    folder: Option<&'a Folder>,
    /// Some pool has extra support: the total then reports its price.
    any_extra: bool,
    /// Some pool has a price per hour: the total then reports the staff cost.
    any_price: bool,
    emit: &'a mut dyn FnMut(Entry, f64),
}

/// What the figures of a level are taken over, besides its sums.
struct Span {
    level: Level,
    /// Seconds the level lasts together, for the mean agents on duty.
    duration: f64,
    /// For the horizon and days, which also report themes, lines and the
    /// total: the days whose e-mail backlog and waits they report. `None`
    /// for intervals and times of day.
    days: Option<Range<usize>>,
}

impl<'a> Walk<'a> {
    fn new(
        layout: &'a Layout,
        model: &'a Model,
        counters: Option<&'a dyn Cells>,
        folder: Option<&'a Folder>,
        emit: &'a mut dyn FnMut(Entry, f64),
    ) -> Walk<'a> {
        Walk {
            layout,
            model,
            counters,
            folder,
            any_extra: model.pools.iter().any(|p| p.has_extra()),
            any_price: model.pools.iter().any(|p| p.hour_price > 0.0),
            emit,
        }
    }

    /// Hands on one figure.
    fn put(&mut self, level: Level, scope: Scope, metric: Metric, value: f64) {
        (self.emit)(
            Entry {
                level,
                scope,
                metric,
            },
            value,
        );
    }

    /// The figures over the whole horizon; returns its per-stream totals.
    fn horizon(&mut self) -> Vec<Totals> {
        let cal = &self.model.calendar;
        let span = Span {
            level: Level::Horizon,
            duration: cal.end(),
            days: Some(0..cal.days as usize),
        };
        let (streams, pools) = match self.folder {
            Some(f) => (f.horizon.streams.clone(), f.horizon.pools.clone()),
            None => self.sums(0..cal.intervals()),
        };
        self.level(&span, &streams, &pools);
        streams
    }

    /// The figures of each day.
    fn days(&mut self) {
        for d in 0..self.model.calendar.days as usize {
            self.day(d);
        }
    }

    /// The figures of day `d`.
    fn day(&mut self, d: usize) {
        let per_day = self.model.calendar.intervals_per_day as usize;
        let span = Span {
            level: Level::Day(d as u32),
            duration: 86_400.0,
            days: Some(d..d + 1),
        };
        let (streams, pools) = self.sums(d * per_day..(d + 1) * per_day);
        self.level(&span, &streams, &pools);
    }

    /// The figures of each interval in which some line is open.
    fn intervals(&mut self) {
        for &i in &self.layout.reported_intervals {
            self.interval(i);
        }
    }

    /// The figures of reported interval `i`.
    fn interval(&mut self, i: u32) {
        let span = Span {
            level: Level::Interval(i),
            duration: self.model.calendar.interval,
            days: None,
        };
        let (streams, pools) = self.sums(i as usize..i as usize + 1);
        self.level(&span, &streams, &pools);
    }

    /// The average day: each interval of the day over the days on which it
    /// is reported, so that nights and weekends do not dilute it.
    fn times_of_day(&mut self) {
        let layout = self.layout;
        let cal = &self.model.calendar;
        let per_day = cal.intervals_per_day as usize;
        for (k, &(slot, n_days)) in layout.reported_slots.iter().enumerate() {
            let span = Span {
                level: Level::TimeOfDay(slot),
                duration: cal.interval * f64::from(n_days),
                days: None,
            };
            if let Some(f) = self.folder {
                let sums = &f.slots[k];
                self.level(&span, &sums.streams, &sums.pools);
                continue;
            }
            let on_days = layout
                .reported_intervals
                .iter()
                .map(|&i| i as usize)
                .filter(move |i| i % per_day == slot as usize);
            let (streams, pools) = self.sums(on_days);
            self.level(&span, &streams, &pools);
        }
    }

    /// Per stream and per pool, the sums of the cells of `intervals` (zero
    /// without counters).
    fn sums(
        &self,
        intervals: impl Iterator<Item = usize> + Clone,
    ) -> (Vec<Totals>, Vec<PoolTotals>) {
        let model = self.model;
        let mut streams = vec![Totals::default(); model.streams.len()];
        let mut pools = vec![PoolTotals::default(); model.pools.len()];
        if let Some(c) = self.counters {
            for i in intervals.clone() {
                for (s, stream) in model.streams.iter().enumerate() {
                    streams[s].add(c.cell(i, s), stream.price_per_second, stream.booked);
                }
            }
            for i in intervals {
                for (p, t) in pools.iter_mut().enumerate() {
                    t.add(
                        c.pool_cell(i, p),
                        &model.pools[p],
                        i,
                        model.calendar.interval,
                    );
                }
            }
        }
        (streams, pools)
    }

    /// The figures of one level from its sums: per channel, per theme and
    /// line (horizon and days), per pool, and the total (horizon and days).
    fn level(&mut self, span: &Span, streams: &[Totals], pools: &[PoolTotals]) {
        let overall = self.channels(span, streams);
        if span.days.is_some() {
            self.themes(span.level, streams);
            self.lines(span.level, streams);
        }
        self.pools(span, pools);
        if span.days.is_some() {
            self.total(span.level, &overall, pools);
        }
    }

    /// The figures per channel; returns the sum of every channel the way
    /// the total counts it.
    fn channels(&mut self, span: &Span, per_stream: &[Totals]) -> Totals {
        let (layout, streams) = (self.layout, &self.model.streams);
        let mut overall = Totals::default();
        for &c in &layout.channels {
            let t = sum(per_stream, |s| streams[s].channel == c);
            self.contact_figures(span.level, Scope::Channel(c), c, &t);
            if let Some(days) = &span.days {
                self.day_figures(span.level, c, days.clone());
            }
            // The total counts e-mails by their deadline, calls and chats by answer.
            if c == Channel::Email {
                overall.merge(&t.by_deadline());
            } else {
                overall.merge(&t);
            }
        }
        overall
    }

    /// The figures of a channel that are taken over whole days: the e-mails
    /// waiting at the end of the last day, the 90th percentile of the other
    /// channels' waits.
    fn day_figures(&mut self, level: Level, c: Channel, days: Range<usize>) {
        let streams = &self.model.streams;
        if c == Channel::Email {
            let backlog = self.counters.map_or(0.0, |k| {
                let last = days.end.saturating_sub(1);
                (0..streams.len())
                    .filter(|&s| streams[s].channel == c)
                    .map(|s| f64::from(k.backlog(last, s)))
                    .sum()
            });
            self.put(level, Scope::Channel(c), Metric::Backlog, backlog);
        } else {
            let p90 = match (self.folder, level) {
                (Some(f), Level::Horizon) => merged_quantile(&f.answered[c.index()], 0.9),
                _ => self.counters.map_or(f64::NAN, |k| {
                    wait_quantile(days.map(|d| k.histogram(d, c)), 0.9)
                }),
            };
            self.put(level, Scope::Channel(c), Metric::WaitP90, p90);
        }
    }

    /// The figures per theme, on each channel it has.
    fn themes(&mut self, level: Level, per_stream: &[Totals]) {
        let (layout, model) = (self.layout, self.model);
        let streams = &model.streams;
        for th in 0..model.themes.len() {
            for &c in &layout.channels {
                if model.stream_of(th, c).is_none() {
                    continue;
                }
                let t = sum(per_stream, |s| {
                    streams[s].theme == th && streams[s].channel == c
                });
                self.contact_figures(level, Scope::Theme(th, c), c, &t);
            }
        }
    }

    /// The figures per line, on each channel it has (models with several lines).
    fn lines(&mut self, level: Level, per_stream: &[Totals]) {
        let (layout, model) = (self.layout, self.model);
        let streams = &model.streams;
        if model.lines.len() <= 1 {
            return;
        }
        for l in 0..model.lines.len() {
            for &c in &layout.channels {
                if !streams.iter().any(|s| s.line == l && s.channel == c) {
                    continue;
                }
                let t = sum(per_stream, |s| {
                    streams[s].line == l && streams[s].channel == c
                });
                self.contact_figures(level, Scope::Line(l, c), c, &t);
            }
        }
    }

    /// The figures of one scope of contacts on channel `c` from its totals.
    fn contact_figures(&mut self, level: Level, scope: Scope, c: Channel, t: &Totals) {
        let layout = self.layout;
        let metrics = match c {
            Channel::Email => &layout.email_metrics,
            Channel::Visit => &layout.visit_metrics,
            _ => &layout.live_metrics,
        };
        let email = c == Channel::Email;
        for &m in metrics {
            self.put(level, scope, m, t.value(m, email));
        }
    }

    /// The figures per pool.
    fn pools(&mut self, span: &Span, pools: &[PoolTotals]) {
        let model = self.model;
        // Mean agents on duty means something per interval, not over a day
        // that includes the night.
        let detailed = span.days.is_some();
        for (p, t) in pools.iter().enumerate() {
            let pool = &model.pools[p];
            for &m in POOL.iter().filter(|&&m| !(detailed && m == Metric::Agents)) {
                self.put(span.level, Scope::Pool(p), m, t.value(m, span.duration));
            }
            // Only for pools that have them, so that other scenarios'
            // outputs stay as they were.
            if pool.absenteeism > 0.0 {
                let m = Metric::AbsentHours;
                self.put(span.level, Scope::Pool(p), m, t.value(m, span.duration));
            }
            if pool.has_extra() {
                for m in [Metric::ExtraHours, Metric::ExtraCost] {
                    self.put(span.level, Scope::Pool(p), m, t.value(m, span.duration));
                }
            }
            if pool.hour_price > 0.0 {
                let m = Metric::StaffCost;
                self.put(span.level, Scope::Pool(p), m, t.value(m, span.duration));
            }
        }
    }

    /// The figures of every channel together, the price of all the extra
    /// support and of all the pools' scheduled hours.
    fn total(&mut self, level: Level, overall: &Totals, pools: &[PoolTotals]) {
        for &m in TOTAL {
            self.put(level, Scope::Total, m, overall.value(m, false));
        }
        if self.any_extra {
            let cost = pools.iter().map(|t| t.extra_cost).sum();
            self.put(level, Scope::Total, Metric::ExtraCost, cost);
        }
        if self.any_price {
            let staff: f64 = pools.iter().map(PoolTotals::staff_cost).sum();
            let extra: f64 = pools.iter().map(|t| t.extra_cost).sum();
            self.put(level, Scope::Total, Metric::StaffCost, staff);
            let all = overall.value(Metric::Cost, false) + staff + extra;
            self.put(level, Scope::Total, Metric::TotalCost, all);
        }
    }

    /// The waiting-time distributions of calls and chats over the horizon:
    /// of the answered contacts' waits, then of the abandoned contacts'.
    fn wait_distributions(&mut self) {
        let (layout, counters) = (self.layout, self.counters);
        let days = self.model.calendar.days as usize;
        for &c in layout.channels.iter().filter(|c| c.is_live()) {
            // Without counters there are no histograms, and every share is NaN.
            let mut merged = [0u64; WAIT_BINS];
            match self.folder {
                Some(f) => merged = f.answered[c.index()],
                None => merge_histograms(
                    &mut merged,
                    counters
                        .into_iter()
                        .flat_map(|k| (0..days).map(move |d| k.histogram(d, c))),
                ),
            }
            self.wait_shares(c, Metric::AnsweredWithin, &merged);
            let mut merged = [0u64; WAIT_BINS];
            merge_histograms(
                &mut merged,
                counters.map(|k| k.abandon_histogram(c)).into_iter(),
            );
            self.wait_shares(c, Metric::AbandonedWithin, &merged);
        }
    }

    /// At each point of [`wait_cdf_points`], the share of the contacts in
    /// the merged histogram `merged` that waited less, as the figure `within(point)`.
    fn wait_shares(&mut self, c: Channel, within: fn(u16) -> Metric, merged: &[u64; WAIT_BINS]) {
        let total: u64 = merged.iter().sum();
        // Bin 0 holds the zero waits and bin b >= 1 the waits in
        // [(b-1)·5, b·5), so bins 0..=k are the waits below 5k seconds.
        let mut below = merged[0];
        let mut next_bin = 1;
        for x in wait_cdf_points() {
            let upto = (usize::from(x) / WAIT_BIN as usize).min(WAIT_BINS - 1);
            while next_bin <= upto {
                below += merged[next_bin];
                next_bin += 1;
            }
            let share = ratio(below as f64, total as f64);
            self.put(Level::Horizon, Scope::Channel(c), within(x), share);
        }
    }

    /// Visits by weekday and by weekday and hour: how the week and the day
    /// spread, where the waits and the busy desks are. `horizon` holds the
    /// horizon's per-stream totals.
    fn weekdays(&mut self, horizon: &[Totals]) {
        let layout = self.layout;
        let all_visits = self.visits(horizon).offered;
        for (k, g) in layout.weekdays.iter().enumerate() {
            let level = Level::Weekday(g.weekday);
            let (streams, pools) = match self.folder {
                Some(f) => (
                    f.weekdays[k].0.streams.clone(),
                    f.weekdays[k].0.pools.clone(),
                ),
                None => self.sums(g.intervals.iter().map(|&i| i as usize)),
            };
            let visits = self.visits(&streams);
            for &m in VISIT_WEEKDAY {
                let x = match m {
                    Metric::VisitShare => ratio(visits.offered, all_visits),
                    Metric::WaitP90 => match self.folder {
                        Some(f) => merged_quantile(&f.visit_days[k], 0.9),
                        None => self.counters.map_or(f64::NAN, |c| {
                            wait_quantile(
                                g.days.iter().map(|&d| c.histogram(d, Channel::Visit)),
                                0.9,
                            )
                        }),
                    },
                    _ => visits.value(m, false),
                };
                self.put(level, Scope::Channel(Channel::Visit), m, x);
            }
            self.occupancy(level, &pools);
            self.weekday_hours(k, g, &visits);
        }
    }

    /// The visits of one weekday by clock hour; `day` holds the visits of
    /// the whole weekday.
    fn weekday_hours(&mut self, k: usize, g: &WeekdayGroup, day: &Totals) {
        for (h, (hour, intervals)) in g.hours.iter().enumerate() {
            let level = Level::WeekdayHour(g.weekday, *hour);
            let (streams, pools) = match self.folder {
                Some(f) => {
                    let sums = &f.weekdays[k].1[h];
                    (sums.streams.clone(), sums.pools.clone())
                }
                None => self.sums(intervals.iter().map(|&i| i as usize)),
            };
            let visits = self.visits(&streams);
            for &m in VISIT_HOUR {
                let x = match m {
                    Metric::VisitShare => ratio(visits.offered, day.offered),
                    _ => visits.value(m, false),
                };
                self.put(level, Scope::Channel(Channel::Visit), m, x);
            }
            self.occupancy(level, &pools);
        }
    }

    /// The sum of the visit streams' totals.
    fn visits(&self, per_stream: &[Totals]) -> Totals {
        let streams = &self.model.streams;
        sum(per_stream, |s| streams[s].channel == Channel::Visit)
    }

    /// The occupancy of every pool.
    fn occupancy(&mut self, level: Level, pools: &[PoolTotals]) {
        for (p, t) in pools.iter().enumerate() {
            self.put(level, Scope::Pool(p), Metric::Occupancy, t.occupancy());
        }
    }
}

/// The sum of the totals of the streams `keep` selects, in stream order.
fn sum(per_stream: &[Totals], keep: impl Fn(usize) -> bool) -> Totals {
    let mut t = Totals::default();
    for (s, x) in per_stream.iter().enumerate() {
        if keep(s) {
            t.merge(x);
        }
    }
    t
}

/// Adds waiting-time histograms into `merged`, bin by bin. (Filled in
/// place: returned by value, the array would be copied at every call.)
fn merge_histograms<'a>(
    merged: &mut [u64; WAIT_BINS],
    histograms: impl Iterator<Item = &'a [u32]>,
) {
    for h in histograms {
        for (m, &x) in merged.iter_mut().zip(h) {
            *m += u64::from(x);
        }
    }
}

/// Quantile `q` of the waits recorded in a set of histograms, seconds
/// (0 when it falls among the contacts answered at once, linear within the
/// other bins; NaN when nothing was answered).
pub fn wait_quantile<'a>(histograms: impl Iterator<Item = &'a [u32]> + Clone, q: f64) -> f64 {
    let mut merged = [0u64; WAIT_BINS];
    merge_histograms(&mut merged, histograms);
    merged_quantile(&merged, q)
}

/// Quantile `q` of the waits of a merged histogram, as [`wait_quantile`].
fn merged_quantile(merged: &[u64; WAIT_BINS], q: f64) -> f64 {
    let total: u64 = merged.iter().sum();
    if total == 0 {
        return f64::NAN;
    }
    let target = q * total as f64;
    let mut seen = 0.0;
    for (b, &n) in merged.iter().enumerate() {
        let n = n as f64;
        if seen + n >= target && n > 0.0 {
            if b == 0 {
                return 0.0;
            }
            let within = (target - seen) / n;
            return (b as f64 - 1.0 + within) * WAIT_BIN;
        }
        seen += n;
    }
    (WAIT_BINS - 1) as f64 * WAIT_BIN
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::stats::counters::wait_bin;

    #[test]
    fn wait_quantile_keeps_immediate_answers_at_zero() {
        let mut h = vec![0u32; WAIT_BINS];
        // 85 answered at once, 10 waited 0-5 s, 5 waited 60-65 s.
        h[wait_bin(0.0)] = 85;
        h[wait_bin(2.0)] = 10;
        h[wait_bin(61.0)] = 5;
        assert_eq!(wait_quantile(std::iter::once(h.as_slice()), 0.8), 0.0);
        // P90: the 90th of 100 is the 5th of the 10 in [0, 5): 2.5 s.
        assert!((wait_quantile(std::iter::once(h.as_slice()), 0.9) - 2.5).abs() < 1e-12);
        // P99: the 4th of the 5 in [60, 65), linearly: 60 + 5 * 4/5 = 64 s.
        assert!((wait_quantile(std::iter::once(h.as_slice()), 0.99) - 64.0).abs() < 1e-12);
        assert!(wait_quantile(std::iter::once(vec![0u32; WAIT_BINS].as_slice()), 0.9).is_nan());
    }
}
