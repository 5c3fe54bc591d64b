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
//!
//! Every outcome is attributed to the interval (and day) its contact arrived in.

pub use crate::model::Metric;
use crate::model::{Channel, Model};

use super::counters::{Counters, StreamCell, WAIT_BIN, WAIT_BINS};

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

/// Sums of counters over some set of cells.
#[derive(Debug, Clone, Copy, Default)]
struct Totals {
    offered: f64,
    answered: f64,
    on_time: f64,
    abandoned: f64,
    closed_out: f64,
    blocked: f64,
    left_waiting: f64,
    left_late: f64,
    wait: f64,
    handled: f64,
    cost: f64,
    sent_away: f64,
    callbacks: f64,
    callbacks_made: f64,
    callback_delay: f64,
    redials: f64,
    transfers_in: f64,
    callers: f64,
    callers_reached: f64,
    callers_pending: f64,
    attempts: f64,
    booked: f64,
    no_shows: f64,
    deflected: f64,
    served_early: f64,
    /// Answered contacts that had an appointment.
    booked_answered: f64,
}

impl Totals {
    fn add(&mut self, c: &StreamCell, price: f64, booked: bool) {
        self.booked += f64::from(c.booked);
        self.no_shows += f64::from(c.no_shows);
        self.deflected += f64::from(c.deflected);
        self.served_early += f64::from(c.served_early);
        if booked {
            self.booked_answered += f64::from(c.answered);
        }
        self.offered += f64::from(c.offered);
        self.answered += f64::from(c.answered);
        self.on_time += f64::from(c.on_time);
        self.abandoned += f64::from(c.abandoned);
        self.closed_out += f64::from(c.closed_out);
        self.blocked += f64::from(c.blocked);
        self.left_waiting += f64::from(c.left_waiting);
        self.left_late += f64::from(c.left_late);
        self.wait += c.wait_answered;
        self.handled += c.handled;
        self.cost += c.handled * price;
        self.sent_away += f64::from(c.sent_away);
        self.callbacks += f64::from(c.callbacks);
        self.callbacks_made += f64::from(c.callbacks_made);
        self.callback_delay += c.callback_delay;
        self.redials += f64::from(c.redials);
        self.transfers_in += f64::from(c.transfers_in);
        self.callers += f64::from(c.callers);
        self.callers_reached += f64::from(c.callers_reached);
        self.callers_pending += f64::from(c.callers_pending);
        self.attempts += f64::from(c.attempts);
    }

    fn merge(&mut self, o: &Totals) {
        self.offered += o.offered;
        self.answered += o.answered;
        self.on_time += o.on_time;
        self.abandoned += o.abandoned;
        self.closed_out += o.closed_out;
        self.blocked += o.blocked;
        self.left_waiting += o.left_waiting;
        self.left_late += o.left_late;
        self.wait += o.wait;
        self.handled += o.handled;
        self.cost += o.cost;
        self.sent_away += o.sent_away;
        self.callbacks += o.callbacks;
        self.callbacks_made += o.callbacks_made;
        self.callback_delay += o.callback_delay;
        self.redials += o.redials;
        self.transfers_in += o.transfers_in;
        self.callers += o.callers;
        self.callers_reached += o.callers_reached;
        self.callers_pending += o.callers_pending;
        self.attempts += o.attempts;
        self.booked += o.booked;
        self.no_shows += o.no_shows;
        self.deflected += o.deflected;
        self.served_early += o.served_early;
        self.booked_answered += o.booked_answered;
    }

    /// E-mails whose fate (on time or late) is known at the end of the horizon.
    fn decided(&self) -> f64 {
        self.offered - (self.left_waiting - self.left_late)
    }

    fn value(&self, metric: Metric, email: bool) -> f64 {
        match metric {
            Metric::Offered => self.offered,
            Metric::Answered => self.answered,
            Metric::Abandoned => self.abandoned,
            Metric::ClosedOut => self.closed_out,
            Metric::Blocked => self.blocked,
            Metric::Reachability if email => ratio(self.on_time, self.decided()),
            Metric::Reachability => ratio(self.answered, self.offered),
            Metric::ServiceLevel => ratio(self.on_time, self.offered),
            Metric::Asa => ratio(self.wait, self.answered),
            Metric::AbandonShare => ratio(self.abandoned, self.offered),
            Metric::HandledHours => self.handled / 3600.0,
            Metric::Cost => self.cost,
            Metric::SentAway => self.sent_away,
            Metric::Callbacks => self.callbacks,
            Metric::CallbacksMade => self.callbacks_made,
            Metric::CallbackDelay => ratio(self.callback_delay, self.callbacks_made),
            Metric::Redials => self.redials,
            Metric::TransfersIn => self.transfers_in,
            Metric::Callers => self.callers,
            Metric::CallerReachability => {
                ratio(self.callers_reached, self.callers - self.callers_pending)
            }
            Metric::AttemptsPerCaller => ratio(self.attempts, self.callers),
            Metric::Booked => self.booked,
            Metric::NoShows => self.no_shows,
            Metric::Deflected => self.deflected,
            Metric::ServedEarly => ratio(self.served_early, self.booked_answered),
            Metric::TransactionTime => ratio(self.handled, self.answered),
            _ => f64::NAN,
        }
    }
}

/// Agent time of one pool over some set of intervals, agent-seconds, and
/// the price of its extra support.
#[derive(Debug, Clone, Copy, Default)]
struct PoolTotals {
    busy: f64,
    present: f64,
    scheduled: f64,
    absent: f64,
    extra: f64,
    extra_cost: f64,
}

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
        let channels = model.active_channels();
        let cal = &model.calendar;
        let reported_intervals: Vec<u32> = (0..cal.intervals() as u32)
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
            .collect();
        let mut slot_days = vec![0u32; cal.intervals_per_day as usize];
        for &i in &reported_intervals {
            slot_days[(i % cal.intervals_per_day) as usize] += 1;
        }
        let reported_slots = (0..cal.intervals_per_day)
            .zip(slot_days)
            .filter(|&(_, n)| n > 0)
            .collect();
        let mut live_metrics = LIVE.to_vec();
        let mut email_metrics = EMAIL.to_vec();
        if model.has_announcements() {
            live_metrics.push(Metric::SentAway);
        }
        if model.has_callbacks() {
            live_metrics.extend([
                Metric::Callbacks,
                Metric::CallbacksMade,
                Metric::CallbackDelay,
            ]);
        }
        if model.has_transfers() {
            live_metrics.push(Metric::TransfersIn);
        }
        if model.has_redials() {
            live_metrics.extend([
                Metric::Redials,
                Metric::Callers,
                Metric::CallerReachability,
                Metric::AttemptsPerCaller,
            ]);
            if model
                .channels
                .iter()
                .any(|c| c.redial.as_ref().is_some_and(|r| r.to_email > 0.0))
            {
                email_metrics.push(Metric::Redials);
            }
        }
        let mut visit_metrics = LIVE.to_vec();
        visit_metrics.push(Metric::TransactionTime);
        if model.has_appointments() {
            visit_metrics.extend([
                Metric::Booked,
                Metric::NoShows,
                Metric::Deflected,
                Metric::ServedEarly,
            ]);
        }
        let mut layout = Layout {
            entries: Vec::new(),
            channels,
            live_metrics,
            email_metrics,
            visit_metrics,
            weekdays: if model.has_visits() {
                weekday_groups(model, &reported_intervals)
            } else {
                Vec::new()
            },
            reported_intervals,
            reported_slots,
        };
        let mut entries = Vec::new();
        layout.walk(model, None, &mut |entry, _| entries.push(entry));
        layout.entries = entries;
        layout
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
        self.walk(model, Some(counters), &mut |_, v| out.push(v));
    }

    /// Visits every figure in layout order; `counters` is `None` when only the
    /// list of entries is wanted.
    fn walk(&self, model: &Model, counters: Option<&Counters>, emit: &mut dyn FnMut(Entry, f64)) {
        let cal = &model.calendar;
        let per_day = cal.intervals_per_day as usize;
        let streams = &model.streams;
        let email_metrics = |c: Channel| match c {
            Channel::Email => &self.email_metrics[..],
            Channel::Visit => &self.visit_metrics[..],
            _ => &self.live_metrics[..],
        };
        // Sum the cells of a set of intervals into per-stream totals.
        let stream_totals = |intervals: &mut dyn Iterator<Item = usize>| -> Vec<Totals> {
            let mut t = vec![Totals::default(); streams.len()];
            if let Some(c) = counters {
                for i in intervals {
                    for (s, stream) in streams.iter().enumerate() {
                        t[s].add(c.cell(i, s), stream.price_per_second, stream.booked);
                    }
                }
            }
            t
        };
        // Agent time and extra support per pool.
        let pool_totals = |intervals: &mut dyn Iterator<Item = usize>| -> Vec<PoolTotals> {
            let mut t = vec![PoolTotals::default(); model.pools.len()];
            if let Some(c) = counters {
                for i in intervals {
                    for (p, tp) in t.iter_mut().enumerate() {
                        let cell = c.pool_cell(i, p);
                        let pool = &model.pools[p];
                        tp.busy += cell.busy;
                        tp.present += cell.present;
                        tp.absent += cell.absent;
                        tp.scheduled += pool.scheduled[i] * cal.interval;
                        if pool.has_extra() {
                            tp.extra += f64::from(pool.extra[i]) * cal.interval;
                            tp.extra_cost += pool.extra_cost[i];
                        }
                    }
                }
            }
            t
        };
        let any_extra = model.pools.iter().any(|p| p.has_extra());
        let emit_level = |level: Level,
                          per_stream: &[Totals],
                          pools: &[PoolTotals],
                          duration: f64,
                          days: std::ops::Range<usize>,
                          detailed: bool,
                          emit: &mut dyn FnMut(Entry, f64)| {
            let mut put = |scope: Scope, metric: Metric, v: f64| {
                emit(
                    Entry {
                        level,
                        scope,
                        metric,
                    },
                    v,
                );
            };
            let sum = |pred: &dyn Fn(usize) -> bool| -> Totals {
                let mut t = Totals::default();
                for (s, x) in per_stream.iter().enumerate() {
                    if pred(s) {
                        t.merge(x);
                    }
                }
                t
            };
            let mut overall = Totals::default();
            for &c in &self.channels {
                let t = sum(&|s| streams[s].channel == c);
                let email = c == Channel::Email;
                for &m in email_metrics(c) {
                    put(Scope::Channel(c), m, t.value(m, email));
                }
                if detailed {
                    if email {
                        let backlog = counters.map_or(0.0, |k| {
                            let last = days.end.saturating_sub(1);
                            (0..streams.len())
                                .filter(|&s| streams[s].channel == c)
                                .map(|s| f64::from(k.backlog[last * streams.len() + s]))
                                .sum()
                        });
                        put(Scope::Channel(c), Metric::Backlog, backlog);
                    } else {
                        let p90 = counters.map_or(f64::NAN, |k| {
                            wait_quantile(days.clone().map(|d| k.histogram(d, c)), 0.9)
                        });
                        put(Scope::Channel(c), Metric::WaitP90, p90);
                    }
                }
                // The total counts e-mails by their deadline, calls and chats by answer.
                let mut contrib = t;
                if email {
                    contrib.answered = t.on_time;
                    contrib.offered = t.decided();
                }
                overall.merge(&contrib);
            }
            if detailed {
                for (th, _) in model.themes.iter().enumerate() {
                    for &c in &self.channels {
                        if model.stream_of(th, c).is_none() {
                            continue;
                        }
                        let t = sum(&|s| streams[s].theme == th && streams[s].channel == c);
                        for &m in email_metrics(c) {
                            put(Scope::Theme(th, c), m, t.value(m, c == Channel::Email));
                        }
                    }
                }
                if model.lines.len() > 1 {
                    for l in 0..model.lines.len() {
                        for &c in &self.channels {
                            if !streams.iter().any(|s| s.line == l && s.channel == c) {
                                continue;
                            }
                            let t = sum(&|s| streams[s].line == l && streams[s].channel == c);
                            for &m in email_metrics(c) {
                                put(Scope::Line(l, c), m, t.value(m, c == Channel::Email));
                            }
                        }
                    }
                }
            }
            for (p, t) in pools.iter().enumerate() {
                let pool = &model.pools[p];
                // Mean agents on duty means something per interval, not over
                // a day that includes the night.
                for &m in POOL.iter().filter(|&&m| !(detailed && m == Metric::Agents)) {
                    let v = match m {
                        Metric::Occupancy if t.present > 0.0 => t.busy / t.present,
                        Metric::Occupancy => f64::NAN,
                        Metric::Agents => t.present / duration,
                        Metric::AgentHours => t.present / 3600.0,
                        Metric::ScheduledHours => t.scheduled / 3600.0,
                        _ => t.busy / 3600.0,
                    };
                    put(Scope::Pool(p), m, v);
                }
                // Only for pools that have them, so that other scenarios'
                // outputs stay as they were.
                if pool.absenteeism > 0.0 {
                    put(Scope::Pool(p), Metric::AbsentHours, t.absent / 3600.0);
                }
                if pool.has_extra() {
                    put(Scope::Pool(p), Metric::ExtraHours, t.extra / 3600.0);
                    put(Scope::Pool(p), Metric::ExtraCost, t.extra_cost);
                }
            }
            if detailed {
                for &m in TOTAL {
                    put(Scope::Total, m, overall.value(m, false));
                }
                if any_extra {
                    let cost = pools.iter().map(|t| t.extra_cost).sum();
                    put(Scope::Total, Metric::ExtraCost, cost);
                }
            }
        };
        let days = cal.days as usize;
        let horizon = stream_totals(&mut (0..cal.intervals()));
        let horizon_pools = pool_totals(&mut (0..cal.intervals()));
        emit_level(
            Level::Horizon,
            &horizon,
            &horizon_pools,
            cal.end(),
            0..days,
            true,
            emit,
        );
        // The waiting-time distributions of calls and chats over the horizon.
        let entry = |level: Level, c: Channel, metric: Metric| Entry {
            level,
            scope: Scope::Channel(c),
            metric,
        };
        for &c in self.channels.iter().filter(|c| c.is_live()) {
            let cdf = |histogram: &mut dyn Iterator<Item = &[u32]>,
                       emit: &mut dyn FnMut(u64, u64)| {
                let mut merged = [0u64; WAIT_BINS];
                for h in histogram {
                    for (m, &x) in merged.iter_mut().zip(h) {
                        *m += u64::from(x);
                    }
                }
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
                    emit(below, total);
                }
            };
            let share = |below: u64, total: u64| {
                if total > 0 {
                    below as f64 / total as f64
                } else {
                    f64::NAN
                }
            };
            let mut points = wait_cdf_points();
            match counters {
                Some(k) => cdf(&mut (0..days).map(|d| k.histogram(d, c)), &mut |b, t| {
                    let x = points.next().unwrap_or(0);
                    emit(
                        entry(Level::Horizon, c, Metric::AnsweredWithin(x)),
                        share(b, t),
                    );
                }),
                None => wait_cdf_points().for_each(|x| {
                    emit(
                        entry(Level::Horizon, c, Metric::AnsweredWithin(x)),
                        f64::NAN,
                    )
                }),
            }
            let mut points = wait_cdf_points();
            match counters {
                Some(k) => cdf(&mut std::iter::once(k.abandon_histogram(c)), &mut |b, t| {
                    let x = points.next().unwrap_or(0);
                    emit(
                        entry(Level::Horizon, c, Metric::AbandonedWithin(x)),
                        share(b, t),
                    );
                }),
                None => wait_cdf_points().for_each(|x| {
                    emit(
                        entry(Level::Horizon, c, Metric::AbandonedWithin(x)),
                        f64::NAN,
                    )
                }),
            }
        }
        for d in 0..days {
            let range = d * per_day..(d + 1) * per_day;
            let t = stream_totals(&mut range.clone());
            let p = pool_totals(&mut range.clone());
            emit_level(Level::Day(d as u32), &t, &p, 86_400.0, d..d + 1, true, emit);
        }
        for &i in &self.reported_intervals {
            let i = i as usize;
            let t = stream_totals(&mut (i..i + 1));
            let p = pool_totals(&mut (i..i + 1));
            let day = i / per_day;
            emit_level(
                Level::Interval(i as u32),
                &t,
                &p,
                cal.interval,
                day..day + 1,
                false,
                emit,
            );
        }
        // The average day: each interval of the day over the days on which
        // it is reported, so that nights and weekends do not dilute it.
        for &(slot, n_days) in &self.reported_slots {
            let on_days = || {
                self.reported_intervals
                    .iter()
                    .map(|&i| i as usize)
                    .filter(move |i| i % per_day == slot as usize)
            };
            let t = stream_totals(&mut on_days());
            let p = pool_totals(&mut on_days());
            emit_level(
                Level::TimeOfDay(slot),
                &t,
                &p,
                cal.interval * f64::from(n_days),
                0..0,
                false,
                emit,
            );
        }
        // Visits by weekday and by weekday and hour: how the week and the
        // day spread, where the waits and the busy desks are.
        let visits = |t: &[Totals]| -> Totals {
            let mut v = Totals::default();
            for (s, x) in t.iter().enumerate() {
                if streams[s].channel == Channel::Visit {
                    v.merge(x);
                }
            }
            v
        };
        let all_visits = visits(&horizon).offered;
        let occupancy = |level: Level, pools: &[PoolTotals], emit: &mut dyn FnMut(Entry, f64)| {
            for (p, pt) in pools.iter().enumerate() {
                let entry = Entry {
                    level,
                    scope: Scope::Pool(p),
                    metric: Metric::Occupancy,
                };
                emit(entry, ratio(pt.busy, pt.present));
            }
        };
        for g in &self.weekdays {
            let t = stream_totals(&mut g.intervals.iter().map(|&i| i as usize));
            let pools = pool_totals(&mut g.intervals.iter().map(|&i| i as usize));
            let v = visits(&t);
            let level = Level::Weekday(g.weekday);
            for &m in VISIT_WEEKDAY {
                let x = match m {
                    Metric::VisitShare => ratio(v.offered, all_visits),
                    Metric::WaitP90 => counters.map_or(f64::NAN, |k| {
                        wait_quantile(g.days.iter().map(|&d| k.histogram(d, Channel::Visit)), 0.9)
                    }),
                    _ => v.value(m, false),
                };
                emit(entry(level, Channel::Visit, m), x);
            }
            occupancy(level, &pools, emit);
            for (hour, intervals) in &g.hours {
                let t = stream_totals(&mut intervals.iter().map(|&i| i as usize));
                let pools = pool_totals(&mut intervals.iter().map(|&i| i as usize));
                let vh = visits(&t);
                let level = Level::WeekdayHour(g.weekday, *hour);
                for &m in VISIT_HOUR {
                    let x = match m {
                        Metric::VisitShare => ratio(vh.offered, v.offered),
                        _ => vh.value(m, false),
                    };
                    emit(entry(level, Channel::Visit, m), x);
                }
                occupancy(level, &pools, emit);
            }
        }
    }
}

/// `a / b`, undefined (NaN) when `b` is not positive.
fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::NAN }
}

/// Quantile `q` of the waits recorded in a set of histograms, seconds
/// (0 when it falls among the contacts answered at once, linear within the
/// other bins; NaN when nothing was answered).
pub fn wait_quantile<'a>(histograms: impl Iterator<Item = &'a [u32]> + Clone, q: f64) -> f64 {
    let mut merged = [0u64; WAIT_BINS];
    for h in histograms {
        for (m, &x) in merged.iter_mut().zip(h) {
            *m += u64::from(x);
        }
    }
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
