//! A paired comparison (`ccsim compare`): A, B and B − A with its CI, in the
//! terminal, as JSON and CSV, and its chart.

use comfy_table::{Cell, Color};

use crate::model::duration::format_duration;
use crate::model::{Channel, Metric};
use crate::planning::compare::{Comparison, Row};
use crate::planning::{FigureLevel, ScopeKind};
use crate::stats::Estimate;

use super::terminal::{Colour, align_numbers, group_thousands, table};
use super::{OutFile, Report, charts, csv, json};

/// The files of `--out DIR`; `{image}` is `svg` or `png`.
pub const FILES: [&str; 3] = [
    "comparison.json",
    "comparison.csv",
    "difference_by_time_of_day.{image}",
];

impl Report for Comparison {
    fn terminal(&self, colour: Colour) -> String {
        render(self, colour)
    }

    fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        json::write_pretty(self, w)
    }

    fn csv(&self) -> Option<Vec<u8>> {
        Some(csv::comparison(self))
    }

    fn owns(&self, name: &str) -> bool {
        super::owned(&FILES, name)
    }

    fn files(&self) -> Vec<OutFile<'_>> {
        vec![
            OutFile::Json("comparison.json"),
            OutFile::Bytes("comparison.csv", csv::comparison(self)),
            OutFile::Charts("", vec![charts::of_comparison(self)]),
        ]
    }
}

/// How a metric is written.
#[derive(Clone, Copy)]
enum Unit {
    Share,
    Seconds,
    Count,
    Hours,
    Euro,
}

fn unit(metric: Metric) -> Unit {
    match metric {
        Metric::Reachability
        | Metric::ServiceLevel
        | Metric::AbandonShare
        | Metric::Occupancy
        | Metric::CallerReachability => Unit::Share,
        Metric::CallbackDelay | Metric::Asa | Metric::WaitP90 => Unit::Seconds,
        Metric::HandledHours | Metric::AgentHours | Metric::BusyHours | Metric::ScheduledHours => {
            Unit::Hours
        }
        Metric::Cost => Unit::Euro,
        _ => Unit::Count,
    }
}

fn value(x: Option<f64>, u: Unit) -> String {
    let Some(x) = x else {
        return "–".to_string();
    };
    match u {
        Unit::Share => format!("{:.1}%", x * 100.0),
        Unit::Seconds => format_duration(x),
        Unit::Count | Unit::Hours => group_thousands(x.round()),
        Unit::Euro => format!("€ {}", group_thousands(x.round())),
    }
}

/// A difference with its sign, in percentage points for shares.
fn delta(x: f64, u: Unit) -> String {
    let sign = if x > 0.0 {
        "+"
    } else if x < 0.0 {
        "−"
    } else {
        ""
    };
    let a = x.abs();
    match u {
        Unit::Share => format!("{sign}{:.1} pp", a * 100.0),
        Unit::Seconds if a < 60.0 => format!("{sign}{a:.1} s"),
        Unit::Seconds => format!("{sign}{}", format_duration(a)),
        Unit::Count | Unit::Hours => format!("{sign}{}", group_thousands(a.round())),
        Unit::Euro => format!("{sign}€ {}", group_thousands(a.round())),
    }
}

fn difference(e: &Estimate, u: Unit) -> Cell {
    match (e.mean, e.ci_low, e.ci_high) {
        (Some(m), Some(l), Some(h)) => {
            let cell = Cell::new(format!(
                "{} [{}, {}]",
                delta(m, u),
                delta(l, u),
                delta(h, u)
            ));
            // Colour only what the CI says is a real difference.
            if l > 0.0 {
                cell.fg(Color::Cyan)
            } else if h < 0.0 {
                cell.fg(Color::Magenta)
            } else {
                cell
            }
        }
        (Some(m), _, _) => Cell::new(delta(m, u)),
        _ => Cell::new("–"),
    }
}

fn label(r: &Row) -> String {
    let k = &r.key;
    let channel = k.channel.map_or("", Channel::name);
    let what = match k.scope {
        ScopeKind::Channel => channel.to_string(),
        ScopeKind::Pool => format!("pool {}", k.name),
        ScopeKind::Total => "total".to_string(),
        ScopeKind::Theme | ScopeKind::Line => format!("{} {channel}", k.name),
    };
    format!("{what}: {}", k.metric.name().replace('_', " "))
}

/// The metrics shown per scope in the terminal (the JSON and CSV have all).
fn shown(r: &Row) -> bool {
    use Metric::*;
    let m = r.key.metric;
    match r.key.scope {
        ScopeKind::Channel if r.key.channel == Some(Channel::Email) => {
            [Offered, Reachability, Asa].contains(&m)
        }
        ScopeKind::Channel => [
            Offered,
            Reachability,
            ServiceLevel,
            Asa,
            AbandonShare,
            // Only present when the scenarios have redials: the caller view.
            Callers,
            CallerReachability,
        ]
        .contains(&m),
        ScopeKind::Total => [Reachability, HandledHours, Cost].contains(&m),
        ScopeKind::Pool => [Occupancy, AgentHours].contains(&m),
        ScopeKind::Theme | ScopeKind::Line => false,
    }
}

/// The comparison for the terminal: the horizon's key figures, then the
/// reachability per day when the horizon is short enough to read.
pub fn render(c: &Comparison, colour: Colour) -> String {
    let mut out = format!(
        "A: {}\nB: {}\nPaired over {} replications (seed {}): B − A is taken replication by replication.\n\n",
        c.a.label, c.b.label, c.replications, c.seed
    );
    let mut t = table(&["figure", "A", "B", "B − A [95% CI]"], colour);
    for r in c
        .rows
        .iter()
        .filter(|r| r.key.level == FigureLevel::Horizon && shown(r))
    {
        let u = unit(r.key.metric);
        t.add_row(vec![
            Cell::new(label(r)),
            Cell::new(value(r.a.mean, u)),
            Cell::new(value(r.b.mean, u)),
            difference(&r.difference, u),
        ]);
    }
    align_numbers(&mut t, 1);
    out += &format!("Over the horizon\n{t}\n\n");
    let days: Vec<&Row> = c
        .rows
        .iter()
        .filter(|r| {
            r.key.level == FigureLevel::Day
                && r.key.scope == ScopeKind::Total
                && r.key.metric == Metric::Reachability
                && r.a.mean.is_some()
        })
        .collect();
    if days.len() <= 31 {
        let mut t = table(&["date", "A", "B", "B − A [95% CI]"], colour);
        for r in days {
            t.add_row(vec![
                Cell::new(&r.key.period),
                Cell::new(value(r.a.mean, Unit::Share)),
                Cell::new(value(r.b.mean, Unit::Share)),
                difference(&r.difference, Unit::Share),
            ]);
        }
        align_numbers(&mut t, 1);
        out += &format!("Total reachability per day\n{t}\n");
    } else {
        out += &format!(
            "{} days with contacts: the per-day differences are in --json, --csv and --out.\n",
            days.len()
        );
    }
    out
}
