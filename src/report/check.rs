//! `ccsim check`: one line of verdict, then a table of the promises (all of
//! them when they hold, the failing ones otherwise); every promise with its
//! figure and verdict as JSON.

use comfy_table::{Cell, Color};

use crate::planning::promises::{Check, On, Outcome, Verdict, describe, format_value};

use super::terminal::{Colour, RUNS_NOTE, runs_note, share_end, table};
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

/// The figure as found: its mean and 95% CI, and how many of the run's
/// `replications` define it when fewer than all do.
fn found(o: &Outcome, replications: u32) -> String {
    let m = o.promise.metric;
    // A share's CI ends as the terminal writes them: never 100.0% short of it.
    let end = |x: f64| {
        if m.is_share() {
            format!("{}%", share_end(x))
        } else {
            format_value(m, x)
        }
    };
    let value = match o.estimate.as_ref() {
        Some(e) => match (e.mean, e.ci_low, e.ci_high) {
            (Some(mean), Some(l), Some(h)) => {
                format!("{} [{}, {}]", format_value(m, mean), end(l), end(h))
            }
            (Some(mean), _, _) => format_value(m, mean),
            _ => "–".to_string(),
        },
        None => "–".to_string(),
    };
    value + &runs_note(o.estimate.as_ref(), replications)
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
    let mut noted = false;
    for o in shown {
        let found = found(o, check.replications);
        noted |= found.ends_with(" runs)");
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
            Cell::new(found),
            v,
            Cell::new(&o.reason),
        ]);
    }
    out += &format!("{t}\n");
    if noted {
        out += RUNS_NOTE;
        out += "\n";
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Bound, Channel, Metric, Promise, PromiseScope};
    use crate::stats::Estimate;

    /// A check whose promises have these verdicts, each on a figure with a
    /// value (and a CI when `ci`).
    fn check(verdicts: &[Verdict], ci: bool) -> Check {
        let values: &[f64] = if ci { &[0.9, 0.92] } else { &[0.9] };
        let outcomes: Vec<Outcome> = verdicts
            .iter()
            .map(|&verdict| Outcome {
                promise: Promise {
                    figure: "reachability.call".into(),
                    metric: Metric::Reachability,
                    scope: PromiseScope::Channel(Channel::Call),
                    bound: Bound::AtLeast,
                    threshold: 0.85,
                },
                estimate: Some(Estimate::from_values(values)),
                verdict,
                reason: String::new(),
            })
            .collect();
        Check {
            scenario: "S".into(),
            hash: String::new(),
            seed: 1,
            replications: values.len() as u32,
            on: On::Ci,
            holds: verdicts.iter().all(|v| *v == Verdict::Holds),
            outcomes,
        }
    }

    /// A promise on a figure that few replications define says so, with
    /// the note that explains it.
    #[test]
    fn a_figure_few_replications_define_says_how_many() {
        let mut c = check(&[Verdict::Holds], true);
        c.replications = 5;
        c.outcomes[0].estimate = Some(Estimate::from_values(&[
            0.9,
            0.92,
            f64::NAN,
            f64::NAN,
            f64::NAN,
        ]));
        let text = render(&c, Colour::Off);
        assert!(text.contains("(only 2 of 5 runs)"), "{text}");
        assert!(text.ends_with(&format!("{RUNS_NOTE}\n")), "{text}");
        // Defined by all: no note.
        let c = check(&[Verdict::Holds], true);
        assert!(!render(&c, Colour::Off).contains("runs)"));
    }

    /// The headline counts the promises that could not be judged apart
    /// from those that do not hold; `only_unjudged` (exit code 4) is true
    /// only when nothing else fails.
    #[test]
    fn the_headline_tells_unjudged_from_broken() {
        use Verdict::{Broken, Holds, Undefined, Unsure};
        let on = ", on the 95% confidence interval";
        let cases: [(&[Verdict], bool, &str, bool); 5] = [
            (&[Holds, Holds], true, "all 2 promises hold", false),
            (
                &[Holds, Undefined],
                true,
                "1 of 2 promises could not be judged, the others hold",
                true,
            ),
            (
                &[Broken, Holds],
                true,
                "1 of 2 promises does not hold",
                false,
            ),
            (
                &[Unsure, Undefined, Holds],
                true,
                "1 of 3 promises does not hold and 1 could not be judged",
                false,
            ),
            (
                &[Undefined, Undefined],
                false,
                "none of the 2 promises could be judged: a 95% confidence interval needs at least 2 replications (or judge the means with --on mean)",
                true,
            ),
        ];
        for (verdicts, ci, text, only_unjudged) in cases {
            let c = check(verdicts, ci);
            let r = c.replications;
            let runs = if r == 1 {
                "replication"
            } else {
                "replications"
            };
            let end = if text.starts_with("none") { "" } else { on };
            assert_eq!(
                headline(&c),
                format!("S — {r} {runs}, seed 1: {text}{end}"),
                "{verdicts:?}"
            );
            assert_eq!(c.only_unjudged(), only_unjudged, "{verdicts:?}");
        }
    }
}
