//! Backtesting: a scenario simulated over a period of its history, set
//! against what really happened there.
//!
//! The scenario's horizon becomes the history's period ([`period_overrides`]:
//! `--set horizon.start=…` and friends, so that validation stays the one
//! path); with `--replay` ([`replay`]) each theme × channel stream's
//! expected volume per interval becomes the actual offered count, and the
//! single pool's staffing the actual agents. After `R` replications
//! ([`crate::montecarlo::run`]), [`compare`] sets every day's and every
//! interval's actual figure against the simulated mean and P5–P95 band
//! (`Level::Day` and `Level::Interval` estimates of [`RunResults`]), for
//! offered, reachability (answered / offered), service level (answered
//! within the threshold / offered), ASA and the share abandoned, per live
//! channel (and per theme at day level). Coverage is the share of actual
//! values inside the band: an honest model puts about 90% of days in it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use crate::history::{IntervalHistory, IntervalRow};
use crate::model::{Channel, Metric, Model};
use crate::scenario::overrides::Override;
use crate::stats::{Estimate, Level, RunResults, Scope};

/// The figures compared, in report order.
pub const METRICS: [Metric; 5] = [
    Metric::Offered,
    Metric::Reachability,
    Metric::ServiceLevel,
    Metric::Asa,
    Metric::AbandonShare,
];

/// The figures whose day coverage `--expect-coverage` judges: the quality
/// of service, not the volume (which `--replay` takes from the history).
pub const JUDGED: [Metric; 4] = [
    Metric::Reachability,
    Metric::ServiceLevel,
    Metric::Asa,
    Metric::AbandonShare,
];

/// How many of the worst days are reported.
pub const WORST_DAYS: usize = 5;

/// The nominal coverage of a P5–P95 band.
pub const NOMINAL: f64 = 0.90;

/// Why a backtest cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BacktestError {
    /// The history has no rows in the period.
    #[error("the history has no rows{0}")]
    Empty(String),
    /// `--from` after `--to`.
    #[error("--from {from} is after --to {to}")]
    Reversed {
        /// `--from`.
        from: NaiveDate,
        /// `--to`.
        to: NaiveDate,
    },
    /// History and scenario disagree on the themes or channels.
    #[error("{0}")]
    Themes(String),
    /// Replay needs the scenario's intervals.
    #[error(
        "the history's intervals last {history} s and the scenario's {scenario} s: set the scenario's horizon.interval to the history's"
    )]
    Interval {
        /// The history's interval, seconds.
        history: u32,
        /// The scenario's interval, seconds.
        scenario: u32,
    },
}

/// The period of a history: its first and last date, narrowed by `--from`
/// and `--to`.
pub fn period(
    history: &IntervalHistory,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(NaiveDate, NaiveDate), BacktestError> {
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(BacktestError::Reversed { from, to });
    }
    let inside = |d: &NaiveDate| from.is_none_or(|f| *d >= f) && to.is_none_or(|t| *d <= t);
    let dates: Vec<NaiveDate> = history.rows.iter().map(|r| r.date).filter(inside).collect();
    let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
        let within = match (from, to) {
            (None, None) => String::new(),
            (f, t) => format!(
                " between {} and {}",
                f.map_or("its start".to_string(), |d| d.to_string()),
                t.map_or("its end".to_string(), |d| d.to_string())
            ),
        };
        return Err(BacktestError::Empty(within));
    };
    Ok((from.unwrap_or(*first), to.unwrap_or(*last)))
}

/// The history's rows within a period (inclusive).
pub fn within(history: &IntervalHistory, (from, to): (NaiveDate, NaiveDate)) -> IntervalHistory {
    IntervalHistory {
        interval: history.interval,
        thresholds: history.thresholds,
        rows: history
            .rows
            .iter()
            .filter(|r| r.date >= from && r.date <= to)
            .cloned()
            .collect(),
        warnings: history.warnings.clone(),
    }
}

/// The `--set` overrides that make a scenario simulate `period` in
/// intervals of `interval` seconds: `horizon.start`, `horizon.end` (or
/// `horizon.days` when the scenario gives its horizon by days: `uses_days`)
/// and `horizon.interval` when it differs from the scenario's.
pub fn period_overrides(
    (from, to): (NaiveDate, NaiveDate),
    uses_days: bool,
    interval: u32,
    scenario_interval: u32,
) -> Vec<Override> {
    let mut texts = vec![format!("horizon.start={from}")];
    if uses_days {
        texts.push(format!("horizon.days={}", (to - from).num_days() + 1));
    } else {
        texts.push(format!("horizon.end={to}"));
    }
    if interval != scenario_interval {
        let value = if interval.is_multiple_of(60) {
            format!("{}m", interval / 60)
        } else {
            format!("{interval}s")
        };
        texts.push(format!("horizon.interval={value}"));
    }
    texts
        .iter()
        // These texts are well-formed by construction.
        .filter_map(|t| t.parse::<Override>().ok())
        .collect()
}

/// The (theme, channel) pairs of the history with their rows' indices.
fn pairs(history: &IntervalHistory) -> BTreeMap<(String, Channel), Vec<usize>> {
    let mut pairs: BTreeMap<(String, Channel), Vec<usize>> = BTreeMap::new();
    for (i, r) in history.rows.iter().enumerate() {
        pairs
            .entry((r.theme.clone(), r.channel))
            .or_default()
            .push(i);
    }
    pairs
}

/// Checks that the history and the scenario have the same themes on the
/// same channels: a history theme the scenario does not know, or a
/// scenario stream with volume that the history lacks, is an error naming
/// them.
pub fn check_themes(model: &Model, history: &IntervalHistory) -> Result<(), BacktestError> {
    let known: Vec<&str> = model.themes.iter().map(|t| t.name.as_str()).collect();
    let pairs = pairs(history);
    let unknown: BTreeSet<&str> = pairs
        .keys()
        .map(|(t, _)| t.as_str())
        .filter(|t| !known.contains(t))
        .collect();
    if !unknown.is_empty() {
        return Err(BacktestError::Themes(format!(
            "the history has theme{} {} that the scenario does not know (its themes: {}); name the history's queues after the scenario's themes (a mapping file maps queues to themes)",
            if unknown.len() > 1 { "s" } else { "" },
            quoted(unknown.iter().copied()),
            quoted(known.iter().copied())
        )));
    }
    let mut problems = Vec::new();
    for (theme, channel) in pairs.keys() {
        let t = known.iter().position(|k| k == theme).unwrap_or(0);
        if model.stream_of(t, *channel).is_none() {
            problems.push(format!(
                "the history has `{theme}` on {}, but the scenario's theme `{theme}` has no {} volume",
                channel.name(),
                channel.name()
            ));
        }
    }
    let missing: Vec<String> = model
        .streams
        .iter()
        .filter(|s| !s.booked && s.expected.iter().sum::<f64>() > 0.0)
        .filter(|s| !pairs.contains_key(&(model.themes[s.theme].name.clone(), s.channel)))
        .map(|s| format!("`{}` ({})", model.themes[s.theme].name, s.channel.name()))
        .collect();
    if !missing.is_empty() {
        problems.push(format!(
            "the scenario has {} with volume in the period but the history has no rows for {}: the simulated channel figures would count contacts the actual ones do not; remove {} from the scenario or add {} to the history",
            missing.join(", "),
            if missing.len() > 1 { "them" } else { "it" },
            if missing.len() > 1 { "them" } else { "it" },
            if missing.len() > 1 { "them" } else { "it" },
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(BacktestError::Themes(problems.join("; ")))
    }
}

fn quoted<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The horizon interval index of a row, if the model's horizon has it.
fn interval_of(model: &Model, row: &IntervalRow) -> Option<usize> {
    let cal = &model.calendar;
    let day = cal.day_of(row.date)?;
    let slot = (f64::from(row.start) / cal.interval).floor() as u32;
    (slot < cal.intervals_per_day).then_some((day * cal.intervals_per_day + slot) as usize)
}

/// Replays the history in `model`: each theme × channel stream's expected
/// volume per interval becomes the actual offered count (0 where the
/// history has no row; themes lose their volume uncertainty), and, when
/// the history gives agents, the single pool's agents available per
/// interval become the actual agents (scheduled = agents / (1 − shrinkage),
/// no absenteeism, no extra support). Returns what a planner should know.
pub fn replay(model: &mut Model, history: &IntervalHistory) -> Result<Vec<String>, BacktestError> {
    let scenario = model.calendar.interval.round() as u32;
    if history.interval != scenario {
        return Err(BacktestError::Interval {
            history: history.interval,
            scenario,
        });
    }
    check_themes(model, history)?;
    let mut notes = Vec::new();
    let intervals = model.calendar.intervals();
    let pairs = pairs(history);
    for s in 0..model.streams.len() {
        let key = (
            model.themes[model.streams[s].theme].name.clone(),
            model.streams[s].channel,
        );
        if model.streams[s].booked {
            notes.push(format!(
                "--replay: `{}` ({}) comes from the appointment book and keeps the scenario's volume",
                key.0,
                key.1.name()
            ));
            continue;
        }
        let mut expected = vec![0.0; intervals];
        for &i in pairs.get(&key).map(Vec::as_slice).unwrap_or_default() {
            let row = &history.rows[i];
            if let Some(at) = interval_of(model, row) {
                expected[at] += row.offered as f64;
            }
        }
        model.streams[s].expected = expected;
    }
    for t in &mut model.themes {
        t.uncertainty = None;
    }
    if model.has_redials() || model.has_transfers() {
        notes.push(
            "--replay: the scenario has redials or transfers, which it adds to the replayed offered counts; an ACD's offered counts usually include them already".to_string(),
        );
    }
    let mut agents: Vec<Option<f64>> = vec![None; intervals];
    for row in &history.rows {
        if let (Some(a), Some(at)) = (row.agents, interval_of(model, row)) {
            agents[at] = Some(agents[at].map_or(a, |b: f64| b.max(a)));
        }
    }
    if agents.iter().any(Option::is_some) && model.pools.len() != 1 {
        // Whose agents they are cannot be told apart: the volumes are
        // replayed, the scenario's own staffing stays.
        notes.push(format!(
            "--replay: the history gives the agents staffed per interval, but the scenario has {} pools ({}): which pool's staffing they are cannot be told apart, so the volumes are replayed and the scenario's staffing is kept",
            model.pools.len(),
            model.pools.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
        ));
    } else if agents.iter().any(Option::is_some) {
        let pool = &mut model.pools[0];
        let keep = 1.0 - pool.shrinkage;
        pool.available = agents
            .iter()
            .map(|a| a.unwrap_or(0.0).round().max(0.0) as u32)
            .collect();
        pool.scheduled = agents
            .iter()
            .map(|a| {
                let a = a.unwrap_or(0.0).max(0.0);
                if keep > 0.0 { a / keep } else { a }
            })
            .collect();
        pool.absenteeism = 0.0;
        pool.shifts.clear();
        pool.extra.clear();
        pool.extra_cost.clear();
        notes.push(format!(
            "--replay: pool `{}` staffed with the history's agents per interval",
            pool.name
        ));
    }
    Ok(notes)
}

/// Sums of interval rows, from which the actual figures are taken.
#[derive(Debug, Clone, Copy)]
struct Sums {
    offered: u64,
    answered: u64,
    abandoned: u64,
    /// `None` once a row lacks `answered_within`.
    within: Option<u64>,
    /// Sum of ASA × answered; `None` once a row with answers lacks its ASA.
    wait: Option<f64>,
}

impl Default for Sums {
    fn default() -> Self {
        Sums {
            offered: 0,
            answered: 0,
            abandoned: 0,
            within: Some(0),
            wait: Some(0.0),
        }
    }
}

impl Sums {
    fn add(&mut self, r: &IntervalRow) {
        self.offered += r.offered;
        self.answered += r.answered;
        self.abandoned += r.abandoned;
        self.within = self.within.zip(r.answered_within).map(|(a, b)| a + b);
        if r.answered > 0 {
            self.wait = self.wait.zip(r.asa).map(|(w, a)| w + a * r.answered as f64);
        }
    }

    fn value(&self, metric: Metric) -> Option<f64> {
        if self.offered == 0 {
            return None;
        }
        let offered = self.offered as f64;
        match metric {
            Metric::Offered => Some(offered),
            Metric::Reachability => Some(self.answered as f64 / offered),
            Metric::ServiceLevel => self.within.map(|w| w as f64 / offered),
            Metric::Asa => (self.answered > 0)
                .then_some(self.wait)
                .flatten()
                .map(|w| w / self.answered as f64),
            Metric::AbandonShare => Some(self.abandoned as f64 / offered),
            _ => None,
        }
    }
}

/// One actual figure against the simulated ones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The day, `YYYY-MM-DD`.
    pub date: String,
    /// Start of the interval, `HH:MM` (interval points only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    /// The channel.
    pub channel: Channel,
    /// The theme, for a theme's figure (day points only); `None` for the
    /// channel's figure (all its themes together).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// Which figure.
    pub metric: Metric,
    /// What happened.
    pub actual: f64,
    /// Mean over the replications.
    pub mean: f64,
    /// 5th percentile of the replications' values.
    pub p5: f64,
    /// 95th percentile of the replications' values.
    pub p95: f64,
    /// Whether the actual value lies in [P5, P95].
    pub inside: bool,
}

impl Point {
    /// |actual − simulated mean|.
    pub fn error(&self) -> f64 {
        (self.actual - self.mean).abs()
    }
}

/// The coverage and error of one figure at one level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// `day` or `interval`.
    pub level: &'static str,
    /// Which figure.
    pub metric: Metric,
    /// The channel, or `None` for every live channel together.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// Actual values compared (days or intervals with contacts).
    pub points: usize,
    /// Of which inside the simulated P5–P95 band.
    pub inside: usize,
    /// inside / points (`None` without points).
    pub coverage: Option<f64>,
    /// Mean absolute error |actual − simulated mean|.
    pub mae: Option<f64>,
}

/// One interval of the day over the period: the average profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfilePoint {
    /// The channel.
    pub channel: Channel,
    /// Which figure.
    pub metric: Metric,
    /// Start of the interval, `HH:MM`.
    pub start: String,
    /// Intervals averaged (days with contacts then).
    pub days: usize,
    /// Average actual value.
    pub actual: f64,
    /// Average simulated mean.
    pub mean: f64,
    /// Average simulated P5.
    pub p5: f64,
    /// Average simulated P95.
    pub p95: f64,
}

/// What was backtested, and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Setup {
    /// The scenario as the user named it (file and `--set`s).
    pub scenario: String,
    /// The scenario's name.
    pub name: String,
    /// SHA-256 of the scenario text that was run.
    pub hash: String,
    /// The history files.
    pub actual: Vec<String>,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
    /// Whether the actual volumes (and agents) were replayed.
    pub replay: bool,
    /// Seed of the run.
    pub seed: u64,
    /// Replications.
    pub replications: u32,
}

/// A backtest: every actual figure against the simulated band, coverage,
/// errors, the worst days and the average intraday profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backtest {
    /// Version of this layout.
    pub schema_version: u32,
    /// Version of ccsim that produced it.
    pub ccsim_version: String,
    /// What was backtested.
    #[serde(flatten)]
    pub setup: Setup,
    /// Coverage and mean absolute error per figure, days then intervals.
    pub coverage: Vec<Coverage>,
    /// The days whose reachability is farthest from the simulated mean.
    pub worst_days: Vec<Point>,
    /// What a planner should know (figures left out, replay notes).
    pub warnings: Vec<String>,
    /// Every day's figures (channels, then themes).
    pub days: Vec<Point>,
    /// Every interval's figures (channels).
    pub intervals: Vec<Point>,
    /// The average day, actual against simulated.
    pub profile: Vec<ProfilePoint>,
}

/// Sets the actual history (already narrowed to the simulated period)
/// against the simulated `results` of `model`; `warnings` are carried into
/// the result.
pub fn compare(
    model: &Model,
    results: &RunResults,
    history: &IntervalHistory,
    setup: Setup,
    mut warnings: Vec<String>,
) -> Result<Backtest, BacktestError> {
    check_themes(model, history)?;
    let metrics = compared_metrics(model, history, &mut warnings);
    let cal = &model.calendar;
    let same_intervals = history.interval == cal.interval.round() as u32;
    if !same_intervals {
        warnings.push(format!(
            "the history's intervals last {} s and the scenario's {} s: intervals are not compared",
            history.interval, cal.interval
        ));
    }
    // Sums per day × channel, day × theme × channel, interval × channel.
    let mut day_channel: BTreeMap<(u32, Channel), Sums> = BTreeMap::new();
    let mut day_theme: BTreeMap<(u32, Channel, String), Sums> = BTreeMap::new();
    let mut interval_channel: BTreeMap<(usize, Channel), Sums> = BTreeMap::new();
    let mut outside = 0usize;
    for r in history.rows.iter().filter(|r| r.channel.is_live()) {
        let Some(day) = cal.day_of(r.date) else {
            outside += 1;
            continue;
        };
        day_channel.entry((day, r.channel)).or_default().add(r);
        day_theme
            .entry((day, r.channel, r.theme.clone()))
            .or_default()
            .add(r);
        if same_intervals && let Some(i) = interval_of(model, r) {
            interval_channel.entry((i, r.channel)).or_default().add(r);
        }
    }
    if outside > 0 {
        warnings.push(format!(
            "{outside} history rows fall outside the simulated horizon and are left out"
        ));
    }
    let point =
        |level: Level, scope: Scope, metric: Metric, sums: &Sums| -> Option<(f64, Estimate)> {
            let actual = sums.value(metric)?;
            let e = *results.get(level, scope, metric)?;
            e.mean?;
            e.p5?;
            e.p95?;
            Some((actual, e))
        };
    let make = |date: String,
                interval: Option<String>,
                channel: Channel,
                theme: Option<String>,
                metric: Metric,
                (actual, e): (f64, Estimate)| {
        let (mean, p5, p95) = (
            e.mean.unwrap_or(f64::NAN),
            e.p5.unwrap_or(f64::NAN),
            e.p95.unwrap_or(f64::NAN),
        );
        // A hair of tolerance: a share computed two ways (counts here, the
        // replications' figures there) may differ in the last bit.
        let eps = 1e-9 * (1.0 + actual.abs());
        Point {
            date,
            interval,
            channel,
            theme,
            metric,
            actual,
            mean,
            p5,
            p95,
            inside: actual >= p5 - eps && actual <= p95 + eps,
        }
    };
    let mut days = Vec::new();
    for (&(d, c), sums) in &day_channel {
        for &m in &metrics {
            if let Some(p) = point(Level::Day(d), Scope::Channel(c), m, sums) {
                days.push(make(cal.date(d).to_string(), None, c, None, m, p));
            }
        }
    }
    for ((d, c, theme), sums) in &day_theme {
        let Some(t) = results.theme(theme) else {
            continue;
        };
        for &m in &metrics {
            if let Some(p) = point(Level::Day(*d), Scope::Theme(t, *c), m, sums) {
                days.push(make(
                    cal.date(*d).to_string(),
                    None,
                    *c,
                    Some(theme.clone()),
                    m,
                    p,
                ));
            }
        }
    }
    let mut intervals = Vec::new();
    for (&(i, c), sums) in &interval_channel {
        for &m in &metrics {
            if let Some(p) = point(Level::Interval(i as u32), Scope::Channel(c), m, sums) {
                let (d, start) = cal.interval_label(i);
                intervals.push(make(cal.date(d).to_string(), Some(start), c, None, m, p));
            }
        }
    }
    let channels: Vec<Channel> = day_channel
        .keys()
        .map(|&(_, c)| c)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut coverage = Vec::new();
    for (level, points) in [("day", &days), ("interval", &intervals)] {
        for &m in &metrics {
            let of = |c: Option<Channel>| {
                coverage_of(
                    level,
                    m,
                    c,
                    points.iter().filter(|p| {
                        p.theme.is_none() && p.metric == m && c.is_none_or(|c| p.channel == c)
                    }),
                )
            };
            coverage.push(of(None));
            if channels.len() > 1 {
                for &c in &channels {
                    coverage.push(of(Some(c)));
                }
            }
        }
    }
    coverage.retain(|c| c.points > 0 || c.channel.is_none());
    let mut worst: Vec<Point> = days
        .iter()
        .filter(|p| p.theme.is_none() && p.metric == Metric::Reachability)
        .cloned()
        .collect();
    worst.sort_by(|a, b| b.error().total_cmp(&a.error()).then(a.date.cmp(&b.date)));
    worst.truncate(WORST_DAYS);
    let profile = profile(&intervals);
    Ok(Backtest {
        schema_version: 1,
        ccsim_version: env!("CARGO_PKG_VERSION").to_string(),
        setup,
        coverage,
        worst_days: worst,
        warnings,
        days,
        intervals,
        profile,
    })
}

/// The figures compared: service level only where the history's threshold
/// is the scenario's (else a warning says why it is left out).
fn compared_metrics(
    model: &Model,
    history: &IntervalHistory,
    warnings: &mut Vec<String>,
) -> Vec<Metric> {
    let channels: BTreeSet<Channel> = history
        .rows
        .iter()
        .filter(|r| r.channel.is_live())
        .map(|r| r.channel)
        .collect();
    let has_within = history.rows.iter().any(|r| r.answered_within.is_some());
    let mut service_level = has_within;
    if has_within {
        for c in channels {
            let scenario = model.channel(c).service_level_threshold;
            match history.thresholds[c.index()] {
                None => {
                    warnings.push(format!(
                        "service level left out: the history does not say within how many seconds its {} answers count",
                        c.name()
                    ));
                    service_level = false;
                }
                Some(t) if (f64::from(t) - scenario).abs() > 0.5 => {
                    warnings.push(format!(
                        "service level left out: the history counts {} answered within {t} s, the scenario within {scenario} s (set channels.{}.service_level_threshold to compare)",
                        c.name(),
                        c.name()
                    ));
                    service_level = false;
                }
                Some(_) => {}
            }
        }
    }
    METRICS
        .into_iter()
        .filter(|&m| m != Metric::ServiceLevel || service_level)
        .collect()
}

fn coverage_of<'a>(
    level: &'static str,
    metric: Metric,
    channel: Option<Channel>,
    points: impl Iterator<Item = &'a Point>,
) -> Coverage {
    let (mut n, mut inside, mut error) = (0usize, 0usize, 0.0);
    for p in points {
        n += 1;
        inside += usize::from(p.inside);
        error += p.error();
    }
    Coverage {
        level,
        metric,
        channel,
        points: n,
        inside,
        coverage: (n > 0).then(|| inside as f64 / n as f64),
        mae: (n > 0).then(|| error / n as f64),
    }
}

/// The average day from the interval points: per channel, figure and start.
fn profile(intervals: &[Point]) -> Vec<ProfilePoint> {
    let mut groups: BTreeMap<(Channel, Metric, String), Vec<&Point>> = BTreeMap::new();
    for p in intervals {
        let start = p.interval.clone().unwrap_or_default();
        groups
            .entry((p.channel, p.metric, start))
            .or_default()
            .push(p);
    }
    groups
        .into_iter()
        .map(|((channel, metric, start), points)| {
            let n = points.len() as f64;
            let avg = |f: fn(&Point) -> f64| points.iter().map(|p| f(p)).sum::<f64>() / n;
            ProfilePoint {
                channel,
                metric,
                start,
                days: points.len(),
                actual: avg(|p| p.actual),
                mean: avg(|p| p.mean),
                p5: avg(|p| p.p5),
                p95: avg(|p| p.p95),
            }
        })
        .collect()
}

impl Backtest {
    /// The coverage of a figure at a level, for every channel together.
    pub fn coverage_of(&self, level: &str, metric: Metric) -> Option<&Coverage> {
        self.coverage
            .iter()
            .find(|c| c.level == level && c.metric == metric && c.channel.is_none())
    }

    /// Why the backtest misses `--expect-coverage X`: the first judged
    /// figure ([`JUDGED`]) whose day coverage (every live channel
    /// together) is below `x`, in one line; `None` when every one reaches it.
    pub fn shortfall(&self, x: f64) -> Option<String> {
        let low: Vec<String> = JUDGED
            .iter()
            .filter_map(|&m| self.coverage_of("day", m))
            .filter_map(|c| {
                let got = c.coverage?;
                (got < x).then(|| {
                    format!(
                        "{} {:.1}% ({} of {} days)",
                        c.metric.name(),
                        got * 100.0,
                        c.inside,
                        c.points
                    )
                })
            })
            .collect();
        (!low.is_empty()).then(|| {
            format!(
                "day coverage below the expected {:.1}%: {}",
                x * 100.0,
                low.join(", ")
            )
        })
    }

    /// Every live channel compared, in channel order.
    pub fn channels(&self) -> Vec<Channel> {
        let set: BTreeSet<Channel> = self.days.iter().map(|p| p.channel).collect();
        set.into_iter().collect()
    }

    /// The figures compared, in report order.
    pub fn metrics(&self) -> Vec<Metric> {
        METRICS
            .into_iter()
            .filter(|m| self.days.iter().any(|p| p.metric == *m))
            .collect()
    }
}

/// Offered counts per (day, channel) of a history, for checks and reports.
pub fn offered_per_day(history: &IntervalHistory) -> HashMap<(NaiveDate, Channel), u64> {
    let mut out = HashMap::new();
    for r in &history.rows {
        *out.entry((r.date, r.channel)).or_insert(0) += r.offered;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(date: &str, start: u32, offered: u64, answered: u64) -> IntervalRow {
        IntervalRow {
            date: date.parse().unwrap(),
            start,
            theme: "general".into(),
            channel: Channel::Call,
            offered,
            answered,
            abandoned: offered - answered,
            answered_within: Some(answered / 2),
            handle_time: None,
            asa: Some(30.0),
            abandon_wait: None,
            agents: None,
        }
    }

    fn history(rows: Vec<IntervalRow>) -> IntervalHistory {
        IntervalHistory {
            interval: 1800,
            thresholds: [Some(60), None, None, None],
            rows,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn period_is_the_history_narrowed() {
        let h = history(vec![
            row("2021-04-12", 32_400, 10, 9),
            row("2021-04-20", 32_400, 10, 9),
        ]);
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            period(&h, None, None).unwrap(),
            (d("2021-04-12"), d("2021-04-20"))
        );
        assert_eq!(
            period(&h, Some(d("2021-04-13")), None).unwrap(),
            (d("2021-04-13"), d("2021-04-20"))
        );
        assert_eq!(
            period(&h, Some(d("2021-05-01")), None)
                .unwrap_err()
                .to_string(),
            "the history has no rows between 2021-05-01 and its end"
        );
        assert!(matches!(
            period(&h, Some(d("2021-04-20")), Some(d("2021-04-12"))),
            Err(BacktestError::Reversed { .. })
        ));
    }

    #[test]
    fn sums_weigh_asa_by_answered_and_need_every_row() {
        let mut s = Sums::default();
        let mut a = row("2021-04-12", 0, 10, 8);
        a.asa = Some(10.0);
        let mut b = row("2021-04-12", 1800, 10, 2);
        b.asa = Some(60.0);
        s.add(&a);
        s.add(&b);
        assert_eq!(s.value(Metric::Asa), Some((80.0 + 120.0) / 10.0));
        assert_eq!(s.value(Metric::Reachability), Some(0.5));
        assert_eq!(s.value(Metric::ServiceLevel), Some(5.0 / 20.0));
        b.answered_within = None;
        s.add(&b);
        assert_eq!(s.value(Metric::ServiceLevel), None);
    }

    #[test]
    fn overrides_follow_the_scenarios_horizon_form() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let texts = |v: Vec<Override>| v.into_iter().map(|o| o.text).collect::<Vec<_>>();
        assert_eq!(
            texts(period_overrides(
                (d("2021-04-12"), d("2021-04-25")),
                true,
                1800,
                1800
            )),
            ["horizon.start=2021-04-12", "horizon.days=14"]
        );
        assert_eq!(
            texts(period_overrides(
                (d("2021-04-12"), d("2021-04-25")),
                false,
                900,
                1800
            )),
            [
                "horizon.start=2021-04-12",
                "horizon.end=2021-04-25",
                "horizon.interval=15m"
            ]
        );
    }
}
