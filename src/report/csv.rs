//! Tidy CSV tables of a summary, for spreadsheets and pandas.
//!
//! One row per period × scope × metric (long format): the columns never
//! change with the scenario, so a pivot table or `df.pivot_table` reads any
//! run the same way. `docs/outputs.md` documents the columns.

use crate::stats::{Entry, Estimate, Level, RunResults, Scope};

/// Columns after the period columns, the same in every table.
pub const FIGURE_COLUMNS: [&str; 11] = [
    "scope", "name", "channel", "metric", "mean", "ci_low", "ci_high", "p5", "p50", "p95", "n",
];

/// `days.csv`: one row per date × scope × metric.
pub fn days(results: &RunResults) -> Vec<u8> {
    let mut w = writer(&["date", "weekday"]);
    for (e, x) in results.figures() {
        if let Level::Day(d) = e.level {
            let day = &results.days[d as usize];
            row(&mut w, results, &[&day.date, day.weekday.name()], e, x);
        }
    }
    finish(w)
}

/// `intervals.csv`: one row per date × interval × scope × metric, for the
/// intervals in which some line is open.
pub fn intervals(results: &RunResults) -> Vec<u8> {
    let mut w = writer(&["date", "start"]);
    let mut at = results.intervals.iter().peekable();
    for (e, x) in results.figures() {
        if let Level::Interval(i) = e.level {
            // Figures come in interval order, as the labels do.
            while at.peek().is_some_and(|l| l.index != i) {
                at.next();
            }
            if let Some(l) = at.peek() {
                let date = &results.days[l.day as usize].date;
                row(&mut w, results, &[date, &l.start], e, x);
            }
        }
    }
    finish(w)
}

/// `weekdays.csv` (scenarios with visits): one row per weekday × clock hour
/// × scope × metric, `start` empty for the weekday as a whole.
pub fn weekdays(results: &RunResults) -> Vec<u8> {
    let mut w = writer(&["weekday", "start"]);
    for (e, x) in results.figures() {
        let (weekday, start) = match e.level {
            Level::Weekday(d) => (d, String::new()),
            Level::WeekdayHour(d, h) => (d, crate::stats::results::hour_label(h)),
            _ => continue,
        };
        let name = crate::model::Weekday::ALL[usize::from(weekday) % 7].name();
        row(&mut w, results, &[name, &start], e, x);
    }
    finish(w)
}

/// A table of figures with these period columns.
pub fn writer(period: &[&str]) -> ::csv::Writer<Vec<u8>> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = period
        .iter()
        .chain(FIGURE_COLUMNS.iter())
        .copied()
        .collect();
    // Writing into memory cannot fail.
    w.write_record(&header).unwrap_or_default();
    w
}

/// The bytes of a finished table.
pub fn finish(w: ::csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().unwrap_or_default()
}

/// One figure of one period: scope `channel`, `theme`, `line`, `pool` or
/// `total`; `name` the theme, line or pool (empty otherwise); `channel`
/// empty for pools and the total.
pub fn row(
    w: &mut ::csv::Writer<Vec<u8>>,
    results: &RunResults,
    period: &[&str],
    entry: &Entry,
    e: &Estimate,
) {
    let n = &results.names;
    let (scope, name, channel) = match entry.scope {
        Scope::Channel(c) => ("channel", "", c.name()),
        Scope::Theme(t, c) => ("theme", n.themes[t].as_str(), c.name()),
        Scope::Line(l, c) => ("line", n.lines[l].as_str(), c.name()),
        Scope::Pool(p) => ("pool", n.pools[p].as_str(), ""),
        Scope::Total => ("total", "", ""),
    };
    let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    let mut record: Vec<String> = period.iter().map(|s| s.to_string()).collect();
    record.extend([
        scope.to_string(),
        name.to_string(),
        channel.to_string(),
        entry.metric.name().to_string(),
        num(e.mean),
        num(e.ci_low),
        num(e.ci_high),
        num(e.p5),
        num(e.p50),
        num(e.p95),
        e.n.to_string(),
    ]);
    w.write_record(&record).unwrap_or_default();
}
