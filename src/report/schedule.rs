//! A roster (`ccsim schedule`): the head counts per template and day, the
//! paid hours and cost, the coverage of the requirement and the proof by
//! simulation, in the terminal; `roster.csv`, `coverage.csv`,
//! `schedule.json`, the scenario with the roster as the pool's shifts, the
//! coverage chart and `report.html` in `--out DIR`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::planning::schedule::{SchedulePlan, clock};

use super::charts::{AnyChart, RosterCoverage};
use super::run::html::{legible, page_head, responsive};
use super::terminal::{Colour, align_numbers, group_thousands, pct_ci, table};
use super::{Figure, OutFile, Report, json};

/// The folder of the charts inside `--out DIR`.
pub const CHARTS: &str = "charts";

/// The files of `--out DIR`, in the order written.
pub const FILES: [&str; 6] = [
    "roster.csv",
    "coverage.csv",
    "schedule.json",
    "scenario.toml",
    CHARTS,
    "report.html",
];

/// A roster and what it was made for.
#[derive(Debug, Clone)]
pub struct ScheduleReport<'a> {
    /// The result.
    pub plan: &'a SchedulePlan,
    /// The scenario's name.
    pub scenario: String,
    /// The horizon's dates.
    pub dates: Vec<NaiveDate>,
    /// Intervals per day.
    pub per_day: usize,
    /// The scenario's text with the roster as the pool's shifts.
    pub scenario_toml: Option<String>,
}

/// Money with two decimals and thousands grouped.
fn money(x: f64) -> String {
    let whole = group_thousands(x.trunc());
    format!(
        "{whole}.{:02}",
        ((x.fract().abs() * 100.0).round() as u32).min(99)
    )
}

/// Hours with one decimal.
fn hours(x: f64) -> String {
    format!("{x:.1}")
}

impl ScheduleReport<'_> {
    /// Per template: agents over the horizon, paid hours, cost.
    fn by_template(&self) -> Vec<(String, u32, f64, f64)> {
        let mut rows: Vec<(String, u32, f64, f64)> = Vec::new();
        for l in &self.plan.roster.lines {
            let row = match rows.iter_mut().find(|r| r.0 == l.name) {
                Some(r) => r,
                None => {
                    rows.push((l.name.clone(), 0, 0.0, 0.0));
                    rows.last_mut().expect("just pushed")
                }
            };
            row.1 += l.count;
            row.2 += l.paid_hours * f64::from(l.count);
            row.3 += l.cost();
        }
        rows
    }

    /// Per date: agents, paid hours and cost.
    fn by_date(&self) -> Vec<(String, u32, f64, f64)> {
        let mut rows: Vec<(String, u32, f64, f64)> = Vec::new();
        for l in &self.plan.roster.lines {
            match rows.last_mut() {
                Some(r) if r.0 == l.date => {
                    r.1 += l.count;
                    r.2 += l.paid_hours * f64::from(l.count);
                    r.3 += l.cost();
                }
                _ => rows.push((
                    l.date.clone(),
                    l.count,
                    l.paid_hours * f64::from(l.count),
                    l.cost(),
                )),
            }
        }
        rows
    }

    /// The lines that sum the plan up.
    fn summary(&self) -> Vec<(String, String)> {
        let p = self.plan;
        let mut out = vec![
            ("pool".to_string(), p.pool.clone()),
            ("requirement".to_string(), p.source.clone()),
            ("paid agent-hours".to_string(), hours(p.paid_hours)),
            ("cost (paid hours × price)".to_string(), money(p.cost)),
            (
                "over-staffed agent-hours on duty".to_string(),
                hours(p.coverage.over_hours),
            ),
            (
                "under-staffed agent-hours on duty".to_string(),
                hours(p.coverage.under_hours),
            ),
            (
                "templates, integer variables".to_string(),
                format!("{}, {}", p.templates, p.columns),
            ),
            (
                "MILP solve".to_string(),
                if p.roster.optimal {
                    format!("{:.2} s, proven optimal", p.solve_seconds)
                } else {
                    format!(
                        "{:.2} s, time limit: best found, at most {:.1}% above the optimum (LP bound {})",
                        p.solve_seconds,
                        100.0 * (p.roster.cost() / p.roster.lower_bound.max(1e-9) - 1.0),
                        money(p.roster.lower_bound)
                    )
                },
            ),
        ];
        if let Some(s) = p.staff_seconds {
            out.push(("staffing search".to_string(), format!("{s:.1} s")));
        }
        out
    }

    fn render(&self, colour: Colour) -> String {
        let p = self.plan;
        let mut out = String::new();
        let _ = writeln!(out, "{}: roster for pool {}", self.scenario, p.pool);
        let mut t = table(&["figure", "value"], colour);
        for (k, v) in self.summary() {
            t.add_row(vec![k, v]);
        }
        align_numbers(&mut t, 1);
        let _ = writeln!(out, "{t}");
        let mut t = table(&["template", "agent-days", "paid hours", "cost"], colour);
        for (name, n, h, c) in self.by_template() {
            t.add_row(vec![name, n.to_string(), hours(h), money(c)]);
        }
        align_numbers(&mut t, 1);
        let _ = writeln!(out, "Per template\n{t}");
        let mut t = table(&["date", "agents", "paid hours", "cost"], colour);
        for (date, n, h, c) in self.by_date() {
            t.add_row(vec![date, n.to_string(), hours(h), money(c)]);
        }
        align_numbers(&mut t, 1);
        let _ = writeln!(out, "Per date\n{t}");
        if let Some(proof) = &p.proof {
            let mut t = table(
                &[
                    "simulation",
                    "paid hours",
                    "cost",
                    "intervals missing",
                    "targets",
                ],
                colour,
            );
            for r in &proof.rounds {
                t.add_row(vec![
                    r.number.to_string(),
                    hours(r.paid_hours),
                    money(r.cost),
                    r.missing_intervals.to_string(),
                    if r.met { "met" } else { "missed" }.to_string(),
                ]);
            }
            align_numbers(&mut t, 1);
            let _ = writeln!(
                out,
                "Proof by simulation ({} replications, seed {})\n{t}",
                proof.check.replications, proof.check.seed
            );
            for tc in &proof.check.targets {
                let _ = writeln!(
                    out,
                    "  {}: {} over the horizon; {} of {} intervals below on average, {} clearly (whole 95% CI below)",
                    tc.target,
                    pct_ci(Some(&tc.horizon)),
                    tc.intervals_below,
                    tc.intervals,
                    tc.intervals_clearly_below
                );
            }
            match &proof.reason {
                None => {
                    let _ = writeln!(out, "The simulated roster meets every target.");
                }
                Some(r) => {
                    let _ = writeln!(out, "The targets are NOT met: {r}");
                }
            }
        }
        for n in &p.notes {
            let _ = writeln!(out, "note: {n}");
        }
        out
    }

    /// `roster.csv`.
    pub fn roster_csv(&self) -> Vec<u8> {
        let interval = self.plan.interval;
        let hhmm = |j: u32| clock(f64::from(j) * interval);
        let mut out =
            String::from("template,date,start,end,breaks,count,paid_hours,hour_price,cost\n");
        for l in &self.plan.roster.lines {
            let end = l.segments.last().map_or(l.start, |s| s.1);
            let breaks: Vec<String> = l
                .segments
                .windows(2)
                .map(|w| format!("{}-{}", hhmm(w[0].1), hhmm(w[1].0)))
                .collect();
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{:.2}",
                csv_field(&l.name),
                l.date,
                hhmm(l.start),
                hhmm(end),
                breaks.join(" "),
                l.count,
                l.paid_hours,
                l.hour_price,
                l.cost()
            );
        }
        out.into_bytes()
    }

    /// `coverage.csv`.
    pub fn coverage_csv(&self) -> Vec<u8> {
        let p = self.plan;
        let mut out = String::from("date,interval,requirement,scheduled,on_duty,over,under\n");
        for (i, (&need, &on)) in p
            .final_requirement
            .iter()
            .zip(&p.roster.on_duty)
            .enumerate()
        {
            let d = i / self.per_day.max(1);
            let Some(date) = self.dates.get(d) else { break };
            let _ = writeln!(
                out,
                "{date},{},{need},{},{on},{},{}",
                clock((i % self.per_day.max(1)) as f64 * p.interval),
                p.roster.scheduled[i],
                on.saturating_sub(need),
                need.saturating_sub(on)
            );
        }
        out.into_bytes()
    }

    fn chart(&self) -> RosterCoverage {
        RosterCoverage {
            scenario: self.scenario.clone(),
            pool: self.plan.pool.clone(),
            dates: self.dates.clone(),
            per_day: self.per_day,
            requirement: self
                .plan
                .final_requirement
                .iter()
                .map(|&n| f64::from(n))
                .collect(),
            on_duty: self
                .plan
                .roster
                .on_duty
                .iter()
                .map(|&n| f64::from(n))
                .collect(),
        }
    }

    fn page(&self, figures: &[Figure]) -> String {
        let p = self.plan;
        let body: Markup = html! {
            h1 { "Roster: " (self.scenario) }
            div.scroll { table.meta {
                @for (k, v) in self.summary() { tr { td { (k) } td { (v) } } }
            } }
            h2 { "Per template" }
            div.scroll { table {
                tr { th { "template" } th { "agent-days" } th { "paid hours" } th { "cost" } }
                @for (name, n, h, c) in self.by_template() {
                    tr { td { (name) } td.n { (n) } td.n { (hours(h)) } td.n { (money(c)) } }
                }
            } }
            h2 { "Per date" }
            div.scroll { table {
                tr { th { "date" } th { "agents" } th { "paid hours" } th { "cost" } }
                @for (date, n, h, c) in self.by_date() {
                    tr { td { (date) } td.n { (n) } td.n { (hours(h)) } td.n { (money(c)) } }
                }
            } }
            @if let Some(proof) = &p.proof {
                h2 { "Proof by simulation" }
                p { "The roster simulated with seed " (proof.check.seed) " and " (proof.check.replications)
                    " replications; a target holds when no interval's whole 95% CI lies below it. Where one does, the interval's requirement is raised by one agent on duty above the roster's and the program is solved again." }
                div.scroll { table {
                    tr { th { "simulation" } th { "paid hours" } th { "cost" } th { "intervals missing" } th { "targets" } }
                    @for r in &proof.rounds {
                        tr { td.n { (r.number) } td.n { (hours(r.paid_hours)) } td.n { (money(r.cost)) } td.n { (r.missing_intervals) } td { (if r.met { "met" } else { "missed" }) } }
                    }
                } }
                ul { @for tc in &proof.check.targets {
                    li { (tc.target) ": " (pct_ci(Some(&tc.horizon))) " over the horizon; " (tc.intervals_clearly_below) " of " (tc.intervals) " intervals clearly below" }
                } }
                p { @match &proof.reason { None => { "The simulated roster meets every target." } Some(r) => { strong { "The targets are not met: " } (r) } } }
            }
            @if !p.notes.is_empty() {
                h2 { "Notes" }
                ul { @for n in &p.notes { li { (n) } } }
            }
            h2 { "Coverage" }
            @for f in figures {
                figure aria-label=(f.title) {
                    div.scroll { (PreEscaped(legible(&responsive(&f.svg)))) }
                    figcaption { (f.caption) }
                }
            }
            p { "Files: " code { "roster.csv" } " (template, date, start, end, breaks, count, paid hours, price, cost), "
                code { "coverage.csv" } " (requirement, scheduled and on-duty agents per interval), "
                code { "scenario.toml" } " (the scenario with the roster as the pool's shifts: " code { "ccsim run scenario.toml" } " simulates it)." }
            p { small { "Made with ccsim, an open-source contact-center simulator." } }
        };
        html! {
            (DOCTYPE)
            html lang="en" {
                (page_head(&format!("ccsim schedule: {}", self.scenario)))
                body { (body) }
            }
        }
        .into_string()
    }
}

/// A CSV field, quoted when it must be.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

impl Report for ScheduleReport<'_> {
    fn terminal(&self, colour: Colour) -> String {
        self.render(colour)
    }

    fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        json::write_pretty(self.plan, w)
    }

    fn owns(&self, name: &str) -> bool {
        super::owned(&FILES, name)
    }

    fn files(&self) -> Vec<OutFile<'_>> {
        let mut files = vec![
            OutFile::Bytes("roster.csv", self.roster_csv()),
            OutFile::Bytes("coverage.csv", self.coverage_csv()),
            OutFile::Json("schedule.json"),
        ];
        if let Some(text) = &self.scenario_toml {
            files.push(OutFile::Bytes("scenario.toml", text.clone().into_bytes()));
        }
        let charts: Vec<Box<dyn AnyChart>> = vec![Box::new(self.chart())];
        files.push(OutFile::Charts(CHARTS, charts));
        files.push(OutFile::Page(
            "report.html",
            Box::new(|figures| self.page(figures)),
        ));
        files
    }

    fn announce(&self, dir: &Path, written: &[PathBuf]) -> String {
        format!(
            "wrote {} files into {}: open {} in a browser\n",
            written.len(),
            dir.display(),
            dir.join("report.html").display()
        )
    }
}
