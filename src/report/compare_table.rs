//! The terminal view of a paired comparison: A, B and B − A with its CI.

use comfy_table::{Cell, Color};

use crate::model::duration::format_duration;
use crate::planning::compare::{Comparison, Row};
use crate::stats::Estimate;

use super::table::{Colour, group_thousands, new_table};

/// How a metric is written.
#[derive(Clone, Copy)]
enum Unit {
    Share,
    Seconds,
    Count,
    Hours,
    Euro,
}

fn unit(metric: &str) -> Unit {
    match metric {
        "reachability"
        | "service_level"
        | "abandon_share"
        | "occupancy"
        | "caller_reachability" => Unit::Share,
        "callback_delay" => Unit::Seconds,
        "asa" | "wait_p90" => Unit::Seconds,
        "handled_hours" | "agent_hours" | "busy_hours" | "scheduled_hours" => Unit::Hours,
        "cost" => Unit::Euro,
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
    let what = match r.scope.as_str() {
        "channel" => r.channel.clone(),
        "pool" => format!("pool {}", r.name),
        "total" => "total".to_string(),
        _ => format!("{} {}", r.name, r.channel),
    };
    format!("{what}: {}", r.metric.replace('_', " "))
}

/// The metrics shown per scope in the terminal (the JSON and CSV have all).
fn shown(r: &Row) -> bool {
    let m = r.metric.as_str();
    match r.scope.as_str() {
        "channel" if r.channel == "email" => ["offered", "reachability", "asa"].contains(&m),
        "channel" => [
            "offered",
            "reachability",
            "service_level",
            "asa",
            "abandon_share",
            // Only present when the scenarios have redials: the caller view.
            "callers",
            "caller_reachability",
        ]
        .contains(&m),
        "total" => ["reachability", "handled_hours", "cost"].contains(&m),
        "pool" => ["occupancy", "agent_hours"].contains(&m),
        _ => false,
    }
}

/// The comparison for the terminal: the horizon's key figures, then the
/// reachability per day when the horizon is short enough to read.
pub fn render(c: &Comparison, colour: Colour) -> String {
    let mut out = format!(
        "A: {}\nB: {}\nPaired over {} replications (seed {}): B − A is taken replication by replication.\n\n",
        c.a.label, c.b.label, c.replications, c.seed
    );
    let mut t = new_table(&["figure", "A", "B", "B − A [95% CI]"], colour);
    for r in c.rows.iter().filter(|r| r.level == "horizon" && shown(r)) {
        let u = unit(&r.metric);
        t.add_row(vec![
            Cell::new(label(r)),
            Cell::new(value(r.a.mean, u)),
            Cell::new(value(r.b.mean, u)),
            difference(&r.difference, u),
        ]);
    }
    super::table::align_numbers(&mut t, 1);
    out += &format!("Over the horizon\n{t}\n\n");
    let days: Vec<&Row> = c
        .rows
        .iter()
        .filter(|r| {
            r.level == "day"
                && r.scope == "total"
                && r.metric == "reachability"
                && r.a.mean.is_some()
        })
        .collect();
    if days.len() <= 31 {
        let mut t = new_table(&["date", "A", "B", "B − A [95% CI]"], colour);
        for r in days {
            t.add_row(vec![
                Cell::new(&r.period),
                Cell::new(value(r.a.mean, Unit::Share)),
                Cell::new(value(r.b.mean, Unit::Share)),
                difference(&r.difference, Unit::Share),
            ]);
        }
        super::table::align_numbers(&mut t, 1);
        out += &format!("Total reachability per day\n{t}\n");
    } else {
        out += &format!(
            "{} days with contacts: the per-day differences are in --json, --csv and --out.\n",
            days.len()
        );
    }
    out
}
