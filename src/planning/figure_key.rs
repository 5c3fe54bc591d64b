//! Figures named by what they are about rather than by a model's indices,
//! so that the same figure can be found in the runs of two scenarios.

use crate::model::Model;
use crate::stats::{Entry, Level, Metric, Scope};

/// A figure named independently of the model's indices, so that the same
/// figure can be found in the runs of two different scenarios.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FigureKey {
    /// `horizon`, `day` or `time_of_day`.
    pub level: &'static str,
    /// The date (`day`), the clock time (`time_of_day`), empty for the horizon.
    pub period: String,
    /// `channel`, `theme`, `line`, `pool` or `total`.
    pub scope: &'static str,
    /// The theme, line or pool; empty otherwise.
    pub name: String,
    /// `call`, `chat` or `email`; empty for pools and the total.
    pub channel: String,
    /// The metric's name.
    pub metric: &'static str,
}

/// The key of a layout entry; `None` for the figures analyses leave out
/// (single intervals, points of the waiting-time distribution).
pub fn figure_key(model: &Model, entry: &Entry) -> Option<FigureKey> {
    if matches!(
        entry.metric,
        Metric::AnsweredWithin(_) | Metric::AbandonedWithin(_)
    ) {
        return None;
    }
    let cal = &model.calendar;
    let (level, period) = match entry.level {
        Level::Horizon => ("horizon", String::new()),
        Level::Day(d) => ("day", cal.date(d).to_string()),
        Level::TimeOfDay(s) => ("time_of_day", cal.interval_label(s as usize).1),
        Level::Weekday(w) => (
            "weekday",
            crate::model::Weekday::ALL[usize::from(w) % 7]
                .name()
                .to_string(),
        ),
        Level::WeekdayHour(w, h) => (
            "weekday_hour",
            format!(
                "{} {h:02}:00",
                crate::model::Weekday::ALL[usize::from(w) % 7].name()
            ),
        ),
        Level::Interval(_) => return None,
    };
    let (scope, name, channel) = match &entry.scope {
        Scope::Channel(c) => ("channel", String::new(), c.name().to_string()),
        Scope::Theme(t, c) => ("theme", model.themes[*t].name.clone(), c.name().to_string()),
        Scope::Line(l, c) => ("line", model.lines[*l].name.clone(), c.name().to_string()),
        Scope::Pool(p) => ("pool", model.pools[*p].name.clone(), String::new()),
        Scope::Total => ("total", String::new(), String::new()),
    };
    Some(FigureKey {
        level,
        period,
        scope,
        name,
        channel,
        metric: entry.metric.name(),
    })
}
