//! `ccsim check`: one line of verdict, then a table of the promises (all of
//! them when they hold, the failing ones otherwise); every promise with its
//! figure and verdict as JSON.

use comfy_table::{Cell, Color};

use crate::planning::promises::{Check, On, Outcome, Verdict, describe, format_value};

use super::terminal::{Colour, share_end, table};
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
    // A share's CI ends as the terminal writes them: never 100.0% short of it.
    let end = |x: f64| {
        if m.is_share() {
            format!("{}%", share_end(x))
        } else {
            format_value(m, x)
        }
    };
    match o.estimate.as_ref() {
        Some(e) => match (e.mean, e.ci_low, e.ci_high) {
            (Some(mean), Some(l), Some(h)) => {
                format!("{} [{}, {}]", format_value(m, mean), end(l), end(h))
            }
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

/// The verdict line: whether the promises hold, which do not, and which
/// could not be judged (and why, when that is all there is to say).
pub fn headline(check: &Check) -> String {
    let on = match check.on {
        On::Ci => "on the 95% confidence interval",
        On::Mean => "on the mean",
    };
    let total = check.outcomes.len();
    let promises = |k: usize| if k == 1 { "promise" } else { "promises" };
    let unjudged = check.unjudged().count();
    let broken = check.failing().count() - unjudged;
    let verdict = match (broken, unjudged) {
        (0, 0) if total == 1 => format!("the promise holds, {on}"),
        (0, 0) => format!("all {total} promises hold, {on}"),
        (0, u) if u == total => {
            let none = if total == 1 {
                "the promise could not be judged".to_string()
            } else {
                format!("none of the {total} promises could be judged")
            };
            // With a value but no CI: too few replications for an interval.
            let no_ci = check
                .unjudged()
                .all(|o| o.estimate.is_some_and(|e| e.mean.is_some()));
            if no_ci && check.on == On::Ci {
                format!(
                    "{none}: a 95% confidence interval needs at least 2 replications (or judge the means with --on mean)"
                )
            } else {
                format!("{none} (see why below)")
            }
        }
        (0, u) => format!(
            "{u} of {total} {} could not be judged, the others hold, {on}",
            promises(total)
        ),
        (b, 0) => format!(
            "{b} of {total} {} {} not hold, {on}",
            promises(total),
            if b == 1 { "does" } else { "do" }
        ),
        (b, u) => format!(
            "{b} of {total} {} {} not hold and {u} could not be judged, {on}",
            promises(total),
            if b == 1 { "does" } else { "do" }
        ),
    };
    format!(
        "{} — {} replication{}, seed {}: {verdict}",
        check.scenario,
        check.replications,
        if check.replications == 1 { "" } else { "s" },
        check.seed
    )
}

/// The verdict line and the table.
pub fn render(check: &Check, colour: Colour) -> String {
    let failing: Vec<&Outcome> = check.failing().collect();
    let mut out = headline(check) + "\n";
    let shown: Vec<&Outcome> = if failing.is_empty() {
        check.outcomes.iter().collect()
    } else {
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
