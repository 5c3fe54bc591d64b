//! Figures named by what they are about rather than by a run's indices, so
//! that the same figure can be found in the runs of two scenarios: a theme,
//! line or pool by its name, a day by its date, an interval of the day by
//! its clock time.

use serde::Serialize;

use crate::model::{Channel, Metric, Model, Weekday};
use crate::stats::{Entry, Level, Scope};

/// Over what time a figure of a comparison is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureLevel {
    /// The whole horizon.
    Horizon,
    /// One date.
    Day,
    /// One interval of the day over every open day.
    TimeOfDay,
    /// One weekday over the horizon.
    Weekday,
    /// One clock hour of one weekday over the horizon.
    WeekdayHour,
}

impl FigureLevel {
    /// The name written in JSON and CSV: `horizon`, `day`, `time_of_day` ...
    pub fn name(self) -> &'static str {
        match self {
            FigureLevel::Horizon => "horizon",
            FigureLevel::Day => "day",
            FigureLevel::TimeOfDay => "time_of_day",
            FigureLevel::Weekday => "weekday",
            FigureLevel::WeekdayHour => "weekday_hour",
        }
    }
}

/// What kind of scope a figure is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeKind {
    /// A channel, all themes together.
    Channel,
    /// A theme on a channel.
    Theme,
    /// A line on a channel.
    Line,
    /// An agent pool.
    Pool,
    /// Everything together.
    Total,
}

impl ScopeKind {
    /// The name written in JSON and CSV: `channel`, `theme`, `line`, `pool`, `total`.
    pub fn name(self) -> &'static str {
        match self {
            ScopeKind::Channel => "channel",
            ScopeKind::Theme => "theme",
            ScopeKind::Line => "line",
            ScopeKind::Pool => "pool",
            ScopeKind::Total => "total",
        }
    }
}

/// A figure, named independently of a run's indices.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FigureKey {
    /// Over what time.
    pub level: FigureLevel,
    /// The date (`day`), the clock time (`time_of_day`), the weekday and
    /// hour; empty for the horizon.
    pub period: String,
    /// What kind of scope.
    pub scope: ScopeKind,
    /// The theme, line or pool; empty otherwise.
    pub name: String,
    /// The channel; none for pools and the total (written as "").
    #[serde(serialize_with = "channel_or_empty")]
    pub channel: Option<Channel>,
    /// Which figure.
    pub metric: Metric,
}

fn channel_or_empty<S: serde::Serializer>(c: &Option<Channel>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(c.map_or("", Channel::name))
}

impl FigureKey {
    /// A figure over the whole horizon.
    pub fn horizon(scope: ScopeKind, channel: Option<Channel>, metric: Metric) -> FigureKey {
        FigureKey {
            level: FigureLevel::Horizon,
            period: String::new(),
            scope,
            name: String::new(),
            channel,
            metric,
        }
    }

    /// The key of a layout entry of `model`; `None` for the figures
    /// comparisons leave out (single intervals, points of the waiting-time
    /// distribution).
    pub fn of(model: &Model, entry: &Entry) -> Option<FigureKey> {
        if entry.metric.is_wait_point() {
            return None;
        }
        let cal = &model.calendar;
        let weekday = |w: u8| Weekday::ALL[usize::from(w) % 7].name();
        let (level, period) = match entry.level {
            Level::Horizon => (FigureLevel::Horizon, String::new()),
            Level::Day(d) => (FigureLevel::Day, cal.date(d).to_string()),
            Level::TimeOfDay(s) => (FigureLevel::TimeOfDay, cal.interval_label(s as usize).1),
            Level::Weekday(w) => (FigureLevel::Weekday, weekday(w).to_string()),
            Level::WeekdayHour(w, h) => (
                FigureLevel::WeekdayHour,
                format!("{} {h:02}:00", weekday(w)),
            ),
            Level::Interval(_) => return None,
        };
        let (scope, name, channel) = match entry.scope {
            Scope::Channel(c) => (ScopeKind::Channel, String::new(), Some(c)),
            Scope::Theme(t, c) => (ScopeKind::Theme, model.themes[t].name.clone(), Some(c)),
            Scope::Line(l, c) => (ScopeKind::Line, model.lines[l].name.clone(), Some(c)),
            Scope::Pool(p) => (ScopeKind::Pool, model.pools[p].name.clone(), None),
            Scope::Total => (ScopeKind::Total, String::new(), None),
        };
        Some(FigureKey {
            level,
            period,
            scope,
            name,
            channel,
            metric: entry.metric,
        })
    }
}
