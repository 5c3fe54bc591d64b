//! `ccsim check`: one line of verdict, then a table of the promises (all of
//! them when they hold, the failing ones otherwise); every promise with its
//! figure and verdict as JSON.

use comfy_table::{Cell, Color};

use crate::planning::promises::{Check, On, Outcome, Verdict, describe, format_value};

use super::terminal::{Colour, table};
use super::{OutFile, Report, json};

impl Report for Check {
    fn terminal(&self, colour: Colour) -> String {
        render(self, colour)
    }

    fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        json::write_pretty(self, w)
    }

    /// `ccsim check` writes no folder: its JSON says everything.
    fn owns(&self, _name: &str) -> bool {
        false
    }

    fn files(&self) -> Vec<OutFile<'_>> {
        Vec::new()
    }
}

fn found(o: &Outcome) -> String {
    let m = o.promise.metric;
    match o.estimate.as_ref() {
        Some(e) => match (e.mean, e.ci_low, e.ci_high) {
            (Some(mean), Some(l), Some(h)) => format!(
                "{} [{}, {}]",
                format_value(m, mean),
                format_value(m, l),
                format_value(m, h)
            ),
            (Some(mean), _, _) => format_value(m, mean),
            _ => "–".to_string(),
        },
        None => "–".to_string(),
    }
}

fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Holds => "holds",
        Verdict::Broken => "BROKEN",
        Verdict::Unsure => "NOT SHOWN",
        Verdict::Undefined => "UNDEFINED",
    }
}

/// The verdict line and the table.
pub fn render(check: &Check, colour: Colour) -> String {
    let on = match check.on {
        On::Ci => "on the 95% confidence interval",
        On::Mean => "on the mean",
    };
    let total = check.outcomes.len();
    let failing: Vec<&Outcome> = check.failing().collect();
    let mut out = format!(
        "{} — {} replications, seed {}: ",
        check.scenario, check.replications, check.seed
    );
    let shown: Vec<&Outcome> = if failing.is_empty() {
        out += &if total == 1 {
            format!("the promise holds, {on}\n")
        } else {
            format!("all {total} promises hold, {on}\n")
        };
        check.outcomes.iter().collect()
    } else {
        out += &format!(
            "{} of {} promise{} {} not hold, {on}\n",
            failing.len(),
            total,
            if total == 1 { "" } else { "s" },
            if failing.len() == 1 { "does" } else { "do" }
        );
        failing
    };
    let mut t = table(
        &["promise", "found: mean [95% CI]", "verdict", "why"],
        colour,
    );
    for o in shown {
        let mut v = Cell::new(verdict(o.verdict));
        if colour == Colour::On {
            v = v.fg(if o.verdict == Verdict::Holds {
                Color::Green
            } else {
                Color::Red
            });
        }
        t.add_row(vec![
            Cell::new(describe(&o.promise)),
            Cell::new(found(o)),
            v,
            Cell::new(&o.reason),
        ]);
    }
    out += &format!("{t}\n");
    out
}
