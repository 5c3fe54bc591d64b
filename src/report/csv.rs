//! Tidy CSV tables of a summary, for spreadsheets and pandas.
//!
//! One row per period × scope × metric (long format): the columns never
//! change with the scenario, so a pivot table or `df.pivot_table` reads any
//! run the same way. `docs/outputs.md` documents the columns.

use super::summary::{Figures, Summary};
use crate::stats::Estimate;

/// Columns after the period columns, the same in every table.
const FIGURE_COLUMNS: [&str; 11] = [
    "scope", "name", "channel", "metric", "mean", "ci_low", "ci_high", "p5", "p50", "p95", "n",
];

/// `days.csv`: one row per date × scope × metric.
pub fn days(summary: &Summary) -> Vec<u8> {
    let mut w = writer(&["date", "weekday"]);
    for day in &summary.days {
        rows(&mut w, &[&day.date, &day.weekday], &day.figures);
    }
    finish(w)
}

/// `intervals.csv`: one row per date × interval × scope × metric, for the
/// intervals in which some line is open.
pub fn intervals(summary: &Summary) -> Vec<u8> {
    let mut w = writer(&["date", "start"]);
    for interval in &summary.intervals {
        rows(
            &mut w,
            &[&interval.date, &interval.start],
            &interval.figures,
        );
    }
    finish(w)
}

/// `weekdays.csv` (scenarios with visits): one row per weekday × clock hour
/// × scope × metric, `start` empty for the weekday as a whole.
pub fn weekdays(summary: &Summary) -> Vec<u8> {
    let mut w = writer(&["weekday", "start"]);
    for day in &summary.weekdays {
        rows(&mut w, &[&day.weekday, ""], &day.figures);
        for hour in &day.hours {
            rows(&mut w, &[&day.weekday, &hour.start], &hour.figures);
        }
    }
    finish(w)
}

fn writer(period: &[&str]) -> ::csv::Writer<Vec<u8>> {
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

fn finish(w: ::csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().unwrap_or_default()
}

/// Every figure of one period: scope `channel`, `theme`, `line`, `pool` or
/// `total`; `name` the theme, line or pool (empty otherwise); `channel` empty
/// for pools and the total.
fn rows(w: &mut ::csv::Writer<Vec<u8>>, period: &[&str], figures: &Figures) {
    let mut put = |scope: &str, name: &str, channel: &str, metric: &str, e: &Estimate| {
        let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
        let mut record: Vec<String> = period.iter().map(|s| s.to_string()).collect();
        record.extend([
            scope.to_string(),
            name.to_string(),
            channel.to_string(),
            metric.to_string(),
            num(e.mean),
            num(e.ci_low),
            num(e.ci_high),
            num(e.p5),
            num(e.p50),
            num(e.p95),
            e.n.to_string(),
        ]);
        w.write_record(&record).unwrap_or_default();
    };
    for (channel, metrics) in &figures.channels {
        for (metric, e) in metrics {
            put("channel", "", channel, metric, e);
        }
    }
    for (theme, channels) in &figures.themes {
        for (channel, metrics) in channels {
            for (metric, e) in metrics {
                put("theme", theme, channel, metric, e);
            }
        }
    }
    for (line, channels) in &figures.lines {
        for (channel, metrics) in channels {
            for (metric, e) in metrics {
                put("line", line, channel, metric, e);
            }
        }
    }
    for (pool, metrics) in &figures.pools {
        for (metric, e) in metrics {
            put("pool", pool, "", metric, e);
        }
    }
    for (metric, e) in &figures.total {
        put("total", "", "", metric, e);
    }
}
