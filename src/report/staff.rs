//! A staffing search (`ccsim staff`): the weekly pattern found, the search,
//! the agent hours and the final check, in the terminal; the pattern as CSV
//! and as a staffing table to paste, the scenario with it pasted in, and the
//! final check as JSON.

use std::path::{Path, PathBuf};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, ContentArrangement, Table};

use crate::model::Weekday;
use crate::planning::staff::{Check, Per, StaffResult};
use crate::stats::Estimate;

use super::terminal::{Colour, group_thousands};
use super::{OutFile, Report, csv, json};

/// The files of `--out DIR`.
pub const FILES: [&str; 4] = [
    "staffing.csv",
    "staffing.toml",
    "check.json",
    "scenario.toml",
];

/// A staffing search and what it was run on.
#[derive(Debug, Clone)]
pub struct StaffReport<'a> {
    /// The result of the search.
    pub result: &'a StaffResult,
    /// The scenario's name, first day and number of days.
    pub scenario: (&'a str, String, u32),
    /// The scenario's text with the staffing found pasted in, when the
    /// scenario's text is at hand.
    pub scenario_toml: Option<String>,
}

impl Report for StaffReport<'_> {
    /// The search's tables; staffing tables are plain, whatever the
    /// terminal (they are meant to be copied).
    fn terminal(&self, _colour: Colour) -> String {
        let (name, start, days) = &self.scenario;
        let r = self.result;
        format!(
            "{name}: {days} days from {start}, pool {}, {} replications per simulation, seed {}\n{}",
            r.pool,
            r.replications,
            r.seed,
            render(r)
        )
    }

    fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        json::write_pretty(self.result, w)
    }

    fn owns(&self, name: &str) -> bool {
        super::owned(&FILES, name)
    }

    fn files(&self) -> Vec<OutFile<'_>> {
        let r = self.result;
        let mut files = vec![
            OutFile::Bytes("staffing.csv", csv::staffing(&r.pattern)),
            OutFile::Bytes(
                "staffing.toml",
                r.pattern.toml_fragment(&header(r)).into_bytes(),
            ),
            OutFile::Json("check.json"),
        ];
        if let Some(text) = &self.scenario_toml {
            files.push(OutFile::Bytes("scenario.toml", text.clone().into_bytes()));
        }
        files
    }

    fn announce(&self, dir: &Path, written: &[PathBuf]) -> String {
        let names: Vec<String> = written
            .iter()
            .filter_map(|p| Some(p.file_name()?.to_string_lossy().into_owned()))
            .collect();
        format!("wrote {} into {}\n", names.join(", "), dir.display())
    }
}

/// The comment above the staffing table to paste.
pub fn header(result: &StaffResult) -> String {
    let per = match result.per {
        Per::Interval => "in every interval",
        Per::Day => "on every day",
    };
    format!(
        "ccsim staff: scheduled agents (before shrinkage {}) of pool {} meeting {} {per}.\nPaste in place of the pool's `agents` or `staffing`.",
        result.pattern.shrinkage,
        result.pool,
        result.targets.join(", ")
    )
}

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .force_no_tty()
        .set_header(
            header
                .iter()
                .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
        );
    t
}

fn align_right(t: &mut Table, from: usize) {
    for i in from..t.column_count() {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
}

fn pct_ci(e: &Estimate) -> String {
    match (e.mean, e.ci_low, e.ci_high) {
        (Some(m), Some(l), Some(h)) => {
            format!("{:.1}% [{:.1}, {:.1}]", m * 100.0, l * 100.0, h * 100.0)
        }
        (Some(m), _, _) => format!("{:.1}%", m * 100.0),
        _ => "–".into(),
    }
}

fn group(x: f64) -> String {
    group_thousands(x)
}

/// The terminal report.
pub fn render(result: &StaffResult) -> String {
    let mut out = String::new();
    let p = &result.pattern;
    let days: Vec<usize> = (0..7).filter(|&w| p.used[w]).collect();
    let mut head = vec!["interval".to_string()];
    head.extend(days.iter().map(|&w| Weekday::ALL[w].name().to_string()));
    let head_refs: Vec<&str> = head.iter().map(String::as_str).collect();
    let mut t = table(&head_refs);
    for j in p.slots() {
        let mut row = vec![p.clock(j)];
        for &w in &days {
            row.push(format!("{} ({})", p.available[w][j], p.scheduled[w][j]));
        }
        t.add_row(row);
    }
    align_right(&mut t, 1);
    out += &format!(
        "\nStaffing of pool {}: agents on duty (scheduled before shrinkage {:.0}%) per interval\n{t}\n",
        result.pool,
        p.shrinkage * 100.0
    );
    let it = &result.iterations;
    out += &format!(
        "\nSearch: {} ISA simulation(s){}, {} correction simulation(s){}; Erlang A's first guess was {} agent hours.\n",
        it.isa,
        if it.isa_converged { " (converged)" } else { "" },
        it.correction,
        if it.converged {
            ", converged"
        } else {
            ", stopped at --max-iterations: the staffing kept is the best that met every target, if any"
        },
        group(result.first_guess_agent_hours)
    );
    let mut t = table(&["staffing", "agent hours on duty", "agent hours scheduled"]);
    t.add_row(vec![
        "found (weekly pattern)".to_string(),
        group(result.agent_hours),
        group(result.scheduled_hours),
    ]);
    t.add_row(vec![
        "the scenario's".to_string(),
        group(result.scenario_agent_hours),
        group(result.scenario_scheduled_hours),
    ]);
    align_right(&mut t, 1);
    out += &format!("\nAgent hours over the horizon\n{t}\n");
    out += &render_check(&result.check, result.per);
    out
}

fn render_check(check: &Check, per: Per) -> String {
    let mut t = table(&[
        "target",
        "met",
        "horizon [95% CI]",
        "worst interval [95% CI]",
        "intervals below (clearly)",
        "worst day",
        "days below (clearly)",
        "simulated days missing",
    ]);
    for c in &check.targets {
        let worst = c
            .worst_interval
            .as_ref()
            .map_or("–".to_string(), |(d, w, time, e)| {
                format!("{} {d} {time}: {}", w, pct_ci(e))
            });
        let worst_day = c.worst_day.as_ref().map_or("–".to_string(), |(d, w, e)| {
            format!("{w} {d}: {}", pct_ci(e))
        });
        t.add_row(vec![
            format!("{} >= {}", c.label, c.value),
            if c.met { "yes" } else { "NO" }.to_string(),
            pct_ci(&c.horizon),
            worst,
            format!(
                "{} ({}) of {}",
                c.intervals_below, c.intervals_clearly_below, c.intervals
            ),
            worst_day,
            format!("{} ({}) of {}", c.days_below, c.days_clearly_below, c.days),
            format!("{:.1}%", c.share_of_days_missing * 100.0),
        ]);
    }
    align_right(&mut t, 2);
    let rule = match per {
        Per::Interval => "a target is met when no interval's 95% CI lies wholly below it",
        Per::Day => "a target is met when no day's 95% CI lies wholly below it",
    };
    let cost = check
        .cost
        .mean
        .map_or("–".to_string(), |c| group(c.round()));
    let occupancy = pct_ci(&check.occupancy);
    format!(
        "\nFinal check: {} replications with an independent seed ({}); {rule}\n{t}\nOccupancy of the pool {occupancy}; handling cost at the scenario's prices {cost}.\n",
        check.replications, check.seed
    )
}
