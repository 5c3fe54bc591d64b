//! Every CSV table ccsim writes, for spreadsheets and pandas.
//!
//! Figures are tidy: one row per period × scope × metric (long format), so
//! the columns never change with the scenario and a pivot table or
//! `df.pivot_table` reads any run the same way. `docs/outputs.md` documents
//! the columns.

use crate::model::Weekday;
use crate::planning::compare::Comparison;
use crate::planning::forecast::Forecast;
use crate::planning::staff::WeeklyPattern;
use crate::planning::sweep::Sweep;
use crate::stats::{Entry, Estimate, Level, RunResults, Scope};

/// Columns after the period columns, the same in every table. `n` is how
/// many replications define the figure; `few_replications` is `true` when
/// fewer than half of them do ([`Estimate::defined_by_few`]).
pub const FIGURE_COLUMNS: [&str; 12] = [
    "scope",
    "name",
    "channel",
    "metric",
    "mean",
    "ci_low",
    "ci_high",
    "p5",
    "p50",
    "p95",
    "n",
    "few_replications",
];

/// `days.csv`: one row per date × scope × metric.
pub fn days(results: &RunResults) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Writing into memory cannot fail.
    days_to(results, &mut bytes).unwrap_or_default();
    bytes
}

/// [`days`], written row by row into `w`: the table is never held whole.
pub fn days_to(results: &RunResults, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut w = stream(w, &["date", "weekday"])?;
    for (e, x) in results.figures() {
        if let Level::Day(d) = e.level {
            let day = &results.days[d as usize];
            w.write_record(record(results, &[&day.date, day.weekday.name()], &e, &x))?;
        }
    }
    w.flush()
}

/// `intervals.csv`: one row per date × interval × scope × metric, for the
/// intervals in which some line is open.
pub fn intervals(results: &RunResults) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Writing into memory cannot fail.
    intervals_to(results, &mut bytes).unwrap_or_default();
    bytes
}

/// [`intervals`], written row by row into `w`: the table is never held whole.
pub fn intervals_to(results: &RunResults, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut w = stream(w, &["date", "start"])?;
    let mut at = results.intervals.iter().peekable();
    for (e, x) in results.figures() {
        if let Level::Interval(i) = e.level {
            // Figures come in interval order, as the labels do.
            while at.peek().is_some_and(|l| l.index != i) {
                at.next();
            }
            if let Some(l) = at.peek() {
                let date = &results.days[l.day as usize].date;
                w.write_record(record(results, &[date, &l.start], &e, &x))?;
            }
        }
    }
    w.flush()
}

/// A table of figures with these period columns, written into `w` as it
/// goes (the header first).
fn stream<'w>(
    w: &'w mut dyn std::io::Write,
    period: &[&str],
) -> std::io::Result<::csv::Writer<&'w mut dyn std::io::Write>> {
    let mut w = ::csv::Writer::from_writer(w);
    let header: Vec<&str> = period
        .iter()
        .chain(FIGURE_COLUMNS.iter())
        .copied()
        .collect();
    w.write_record(&header)?;
    Ok(w)
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
        row(&mut w, results, &[name, &start], &e, &x);
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
    w.write_record(record(results, period, entry, e))
        .unwrap_or_default();
}

/// The cells of [`row`].
fn record(results: &RunResults, period: &[&str], entry: &Entry, e: &Estimate) -> Vec<String> {
    let n = &results.names;
    let (scope, name, channel) = match entry.scope {
        Scope::Channel(c) => ("channel", "", c.name()),
        Scope::Theme(t, c) => ("theme", n.themes[t].as_str(), c.name()),
        Scope::Line(l, c) => ("line", n.lines[l].as_str(), c.name()),
        Scope::Pool(p) => ("pool", n.pools[p].as_str(), ""),
        Scope::Total => ("total", "", ""),
    };
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
        e.few_replications.to_string(),
    ]);
    record
}

/// Formats an optional number: the shortest text that reads back exactly,
/// empty for none.
fn num(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// `comparison.csv`: one row per figure, with A, B and B − A, then C and
/// C − A ... when there are more plans.
pub fn comparison(c: &Comparison) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["level", "period", "scope", "name", "channel", "metric"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for side in ["a", "b", "difference"] {
        for col in ["mean", "ci_low", "ci_high"] {
            header.push(format!("{side}_{col}"));
        }
    }
    // With three plans or more, each further plan's figure and its
    // difference against A: `c_mean` ... `c_difference_ci_high`.
    let more: Vec<String> = c
        .sides()
        .iter()
        .skip(2)
        .map(|(l, _, _)| l.to_lowercase())
        .collect();
    for l in &more {
        for col in [
            "mean",
            "ci_low",
            "ci_high",
            "difference_mean",
            "difference_ci_low",
            "difference_ci_high",
        ] {
            header.push(format!("{l}_{col}"));
        }
    }
    // Writing into memory cannot fail.
    w.write_record(&header).unwrap_or_default();
    for r in &c.rows {
        let k = &r.key;
        let mut rec = vec![
            k.level.name().to_string(),
            k.period.clone(),
            k.scope.name().to_string(),
            k.name.clone(),
            k.channel.map_or("", |c| c.name()).to_string(),
            k.metric.name().to_string(),
        ];
        for e in [&r.a, &r.b, &r.difference] {
            rec.extend([num(e.mean), num(e.ci_low), num(e.ci_high)]);
        }
        for i in 2..2 + more.len() {
            for e in [r.estimate(i), r.difference(i)] {
                let e = e.copied().unwrap_or_else(|| Estimate::empty(0));
                rec.extend([num(e.mean), num(e.ci_low), num(e.ci_high)]);
            }
        }
        w.write_record(&rec).unwrap_or_default();
    }
    finish(w)
}

pub fn sweep(s: &Sweep) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header = s.parameters.clone();
    header.extend(FIGURE_COLUMNS.map(str::to_string));
    // Writing into memory cannot fail.
    w.write_record(&header).unwrap_or_default();
    for point in &s.points {
        let params: Vec<String> = point.settings.values().map(|v| v.to_string()).collect();
        let mut put = |scope: &str, name: &str, channel: &str, metric: &str, e: &Estimate| {
            let mut rec = params.clone();
            rec.extend([scope, name, channel, metric].map(str::to_string));
            rec.extend([e.mean, e.ci_low, e.ci_high, e.p5, e.p50, e.p95].map(num));
            rec.push(e.n.to_string());
            rec.push(e.few_replications.to_string());
            w.write_record(&rec).unwrap_or_default();
        };
        let h = &point.horizon;
        let names = &h.names;
        // Lines are left out: the sweep's table is about channels, themes,
        // pools and the total.
        for (e, x) in h.figures() {
            let metric = e.metric.name();
            let x = &x;
            match e.scope {
                Scope::Channel(c) => put("channel", "", c.name(), metric, x),
                Scope::Theme(t, c) => put("theme", &names.themes[t], c.name(), metric, x),
                Scope::Pool(p) => put("pool", &names.pools[p], "", metric, x),
                Scope::Total => put("total", "", "", metric, x),
                Scope::Line(..) => {}
            }
        }
    }
    w.into_inner().unwrap_or_default()
}

/// `periods.csv`: the theme's contacts, handled hours and cost per ISO week
/// and month, one row per period, channel and metric.
/// `extra_agents.csv`: the extra agents per weekday and interval start,
/// the most and the mean of each case.
pub fn extra_agents(f: &Forecast) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header = vec!["weekday".to_string(), "start".to_string()];
    for e in &f.extra_agents {
        header.push(format!("{}_max", e.band.name()));
        header.push(format!("{}_mean", e.band.name()));
    }
    w.write_record(&header).unwrap_or_default();
    let mut keys: Vec<(usize, String)> = Vec::new();
    for e in &f.extra_agents {
        for s in &e.by_slot {
            let wd = Weekday::from_name(&s.weekday).map_or(7, |w| w.index());
            if !keys.contains(&(wd, s.start.clone())) {
                keys.push((wd, s.start.clone()));
            }
        }
    }
    keys.sort();
    for (wd, start) in keys {
        let mut rec = vec![
            Weekday::ALL.get(wd).map_or("", |w| w.name()).to_string(),
            start.clone(),
        ];
        for e in &f.extra_agents {
            match e.by_slot.iter().find(|s| {
                s.start == start && Weekday::from_name(&s.weekday).map(|w| w.index()) == Some(wd)
            }) {
                Some(s) => rec.extend([s.max.to_string(), format!("{:.2}", s.mean)]),
                None => rec.extend(["0".to_string(), "0".to_string()]),
            }
        }
        w.write_record(&rec).unwrap_or_default();
    }
    w.into_inner().unwrap_or_default()
}

pub fn periods(f: &Forecast) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "period_kind",
        "period",
        "first_day",
        "last_day",
        "days",
        "channel",
        "metric",
        "low",
        "likely",
        "likely_ci_low",
        "likely_ci_high",
        "high",
    ])
    .unwrap_or_default();
    for (kind, list) in [("week", &f.weeks), ("month", &f.months)] {
        for p in list {
            for b in &p.figures {
                w.write_record([
                    kind.to_string(),
                    p.period.clone(),
                    p.first_day.clone(),
                    p.last_day.clone(),
                    p.days.to_string(),
                    b.channel.clone(),
                    b.metric.clone(),
                    num(b.low.mean),
                    num(b.likely.mean),
                    num(b.likely.ci_low),
                    num(b.likely.ci_high),
                    num(b.high.mean),
                ])
                .unwrap_or_default();
            }
        }
    }
    w.into_inner().unwrap_or_default()
}

/// `staffing.csv`: weekday, interval start, agents on duty, agents scheduled.
pub fn staffing(p: &WeeklyPattern) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(["weekday", "interval_start", "agents", "scheduled"])
        .unwrap_or_default();
    for (d, day) in Weekday::ALL.iter().enumerate() {
        if !p.used[d] {
            continue;
        }
        for j in p.slots() {
            w.write_record([
                day.name().to_string(),
                p.clock(j),
                p.available[d][j].to_string(),
                p.scheduled[d][j].to_string(),
            ])
            .unwrap_or_default();
        }
    }
    finish(w)
}
