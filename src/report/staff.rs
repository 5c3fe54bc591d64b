//! A staffing search (`ccsim staff`): the plan per pool (per date, with its
//! weekly view), the search, the hours and staff cost and the final check,
//! in the terminal; per pool the plan as a staffing file
//! (`staffing-POOL.csv`, date,interval,agents, as
//! `pools.NAME.staffing = { file = ... }` reads it) and the weekly view as
//! CSV and as a table to paste; the scenario with the plan in it; the result
//! as JSON; a report page with a chart of each pool's plan.

use std::path::{Path, PathBuf};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, ContentArrangement, Table};
use maud::{DOCTYPE, PreEscaped, html};

use crate::model::Weekday;
use crate::planning::staff::{Check, Per, PlanKind, PoolPlan, StaffResult, WeeklyPattern};
use crate::stats::Estimate;

use super::charts::{AnyChart, StaffingHeatmap};
use super::run::html::{Figure, legible_svg, page_head};
use super::terminal::{Colour, group_thousands};
use super::{OutFile, Report, csv, json};

/// The files of `--out DIR` whose names do not depend on the pools.
pub const FILES: [&str; 3] = ["check.json", "scenario.toml", "report.html"];

/// The subfolder of the charts.
pub const CHARTS: &str = "charts";

/// A staffing search and what it was run on.
#[derive(Debug, Clone)]
pub struct StaffReport<'a> {
    /// The result of the search.
    pub result: &'a StaffResult,
    /// The scenario's name, first day and number of days.
    pub scenario: (&'a str, String, u32),
    /// The scenario's text with the plan in it, when the scenario's text is
    /// at hand.
    pub scenario_toml: Option<String>,
}

/// A pool name as it goes into a file name: letters, digits, `_` and `-`
/// kept, anything else `_`.
pub fn file_key(pool: &str) -> String {
    pool.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The files of a pool's plan in `--out DIR`.
pub fn pool_files(pool: &str) -> [String; 3] {
    let key = file_key(pool);
    [
        staffing_file(pool),
        format!("weekly-{key}.csv"),
        format!("weekly-{key}.toml"),
    ]
}

/// The staffing file of a pool's plan in `--out DIR`.
pub fn staffing_file(pool: &str) -> String {
    format!("staffing-{}.csv", file_key(pool))
}

impl Report for StaffReport<'_> {
    /// The search's tables; staffing tables are plain, whatever the
    /// terminal (they are meant to be copied).
    fn terminal(&self, _colour: Colour) -> String {
        let (name, start, days) = &self.scenario;
        let r = self.result;
        let pools: Vec<&str> = r.plans.iter().map(|p| p.pool.as_str()).collect();
        format!(
            "{name}: {days} days from {start}, pool{} {}, {} replications per simulation, seed {}\n{}",
            if pools.len() == 1 { "" } else { "s" },
            pools.join(", "),
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
            || name == CHARTS
            || ["staffing-", "weekly-"]
                .iter()
                .any(|p| name.starts_with(p) && (name.ends_with(".csv") || name.ends_with(".toml")))
    }

    fn files(&self) -> Vec<OutFile<'_>> {
        let r = self.result;
        let mut files = Vec::new();
        for plan in &r.plans {
            let key = file_key(&plan.pool);
            files.push(OutFile::Named(
                staffing_file(&plan.pool),
                dated_csv(r, plan),
            ));
            files.push(OutFile::Named(
                format!("weekly-{key}.csv"),
                csv::staffing(&plan.weekly),
            ));
            files.push(OutFile::Named(
                format!("weekly-{key}.toml"),
                plan.weekly.toml_fragment(&header(r, plan)).into_bytes(),
            ));
        }
        files.push(OutFile::Json("check.json"));
        if let Some(text) = &self.scenario_toml {
            files.push(OutFile::Bytes("scenario.toml", text.clone().into_bytes()));
        }
        files.push(OutFile::Charts(CHARTS, charts(self)));
        files.push(OutFile::Page(
            "report.html",
            Box::new(|figures| page(self, figures)),
        ));
        files
    }

    fn announce(&self, dir: &Path, written: &[PathBuf]) -> String {
        let names: Vec<String> = written
            .iter()
            .filter(|p| p.parent() == Some(dir))
            .filter_map(|p| Some(p.file_name()?.to_string_lossy().into_owned()))
            .collect();
        format!(
            "wrote {} and charts/ into {}\n",
            names.join(", "),
            dir.display()
        )
    }
}

/// The first date of the horizon.
fn start_date(r: &StaffResult) -> Option<chrono::NaiveDate> {
    r.start.parse().ok()
}

/// Date and clock time of horizon interval `i`.
fn when(r: &StaffResult, i: usize) -> (String, String) {
    let per_day = r.intervals_per_day().max(1);
    let (d, j) = (i / per_day, i % per_day);
    let date = start_date(r)
        .and_then(|s| s.checked_add_days(chrono::Days::new(d as u64)))
        .map_or_else(String::new, |x| x.to_string());
    let secs = (j as f64 * r.interval).round() as u64;
    (
        date,
        format!("{:02}:{:02}", secs / 3600, (secs % 3600) / 60),
    )
}

/// A pool's plan as the staffing file `pools.NAME.staffing = { file = ... }`
/// reads: `date,interval,agents` with the agents scheduled (before
/// shrinkage), and `on_duty` (after it), for the intervals with agents (a
/// pool that needs nobody gets one row of 0 agents: the file needs a row).
pub fn dated_csv(r: &StaffResult, plan: &PoolPlan) -> Vec<u8> {
    let mut out = String::from("date,interval,agents,on_duty\n");
    if plan.scheduled.iter().all(|&s| s == 0) {
        let (date, time) = when(r, 0);
        out.push_str(&format!("{date},{time},0,0\n"));
    }
    for (i, (&s, &a)) in plan
        .scheduled
        .iter()
        .zip(&plan.interval_staffing)
        .enumerate()
    {
        if s == 0 {
            continue;
        }
        let (date, time) = when(r, i);
        out.push_str(&format!("{date},{time},{s},{a}\n"));
    }
    out.into_bytes()
}

/// The charts of the report: each pool's plan per date and interval.
fn charts<'a>(report: &StaffReport<'a>) -> Vec<Box<dyn AnyChart + 'a>> {
    let r = report.result;
    let Some(start) = start_date(r) else {
        return Vec::new();
    };
    r.plans
        .iter()
        .map(|p| {
            Box::new(StaffingHeatmap::of_plan(
                report.scenario.0,
                &p.pool,
                start,
                r.interval,
                &p.interval_staffing,
            )) as Box<dyn AnyChart + 'a>
        })
        .collect()
}

/// The comment above a weekly staffing table to paste.
pub fn header(result: &StaffResult, plan: &PoolPlan) -> String {
    let per = match (plan.email, result.per) {
        (true, _) | (false, Per::Day) => "on every day",
        (false, Per::Interval) => "in every interval",
    };
    format!(
        "ccsim staff: the weekly view of the plan: scheduled agents (before shrinkage {}) of pool {} meeting {} {per}\n(each weekday and time the most any date of that weekday needed).\nPaste in place of the pool's `agents` or `staffing`.",
        plan.shrinkage,
        plan.pool,
        plan.targets.join(", ")
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

/// The weekly view of a pool's plan as a table.
fn weekly_table(p: &WeeklyPattern) -> Table {
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
    t
}

/// Per week of the horizon, a pool's plan: scheduled hours and the most
/// agents on duty in an interval.
fn weeks_table(r: &StaffResult, plan: &PoolPlan) -> Table {
    let per_day = r.intervals_per_day().max(1);
    let per_week = per_day * 7;
    let hours = r.interval / 3600.0;
    let mut t = table(&["week from", "agent hours scheduled", "most agents on duty"]);
    for (w, chunk) in plan.scheduled.chunks(per_week).enumerate() {
        let from = w * per_week;
        let on_duty = &plan.interval_staffing[from..from + chunk.len()];
        t.add_row(vec![
            when(r, from).0,
            group(chunk.iter().map(|&s| f64::from(s)).sum::<f64>() * hours),
            on_duty.iter().max().copied().unwrap_or(0).to_string(),
        ]);
    }
    align_right(&mut t, 1);
    t
}

/// Money, rounded to the unit.
fn money(x: f64) -> String {
    group(x.round())
}

/// The hours and staff cost of each plan and in total, beside the scenario's own.
fn cost_table(r: &StaffResult) -> Table {
    let mut t = table(&[
        "pool",
        "hour price",
        "scheduled hours (plan)",
        "staff cost (plan)",
        "scheduled hours (scenario)",
        "staff cost (scenario)",
    ]);
    for p in &r.plans {
        t.add_row(vec![
            p.pool.clone(),
            format!("{}", p.hour_price),
            group(p.scheduled_hours),
            money(p.staff_cost),
            group(p.scenario_scheduled_hours),
            money(p.scenario_staff_cost),
        ]);
    }
    if r.plans.len() > 1 {
        t.add_row(vec![
            "total".to_string(),
            String::new(),
            group(r.scheduled_hours),
            money(r.staff_cost),
            group(r.scenario_scheduled_hours),
            money(r.scenario_staff_cost),
        ]);
    }
    align_right(&mut t, 1);
    t
}

/// The terminal report.
pub fn render(result: &StaffResult) -> String {
    let mut out = String::new();
    for plan in &result.plans {
        let p = &plan.weekly;
        match result.plan {
            PlanKind::PerDate => {
                out += &format!(
                    "\nPlan of pool {} per date ({}): agents scheduled per week; per date and interval in staffing-{}.csv\n{}\n",
                    plan.pool,
                    if plan.email {
                        "e-mail, agents per day over the open hours"
                    } else {
                        "calls and chats"
                    },
                    file_key(&plan.pool),
                    weeks_table(result, plan)
                );
                out += &format!(
                    "\nWeekly view of pool {}: the most agents on duty (scheduled before shrinkage {:.0}%) any date of each weekday needs\n{}\n",
                    plan.pool,
                    p.shrinkage * 100.0,
                    weekly_table(p)
                );
            }
            PlanKind::Weekly => {
                out += &format!(
                    "\nStaffing of pool {}: agents on duty (scheduled before shrinkage {:.0}%) per interval\n{}\n",
                    plan.pool,
                    p.shrinkage * 100.0,
                    weekly_table(p)
                );
            }
        }
    }
    let it = &result.iterations;
    let guess: f64 = result.plans.iter().map(|p| p.first_guess_agent_hours).sum();
    out += &format!(
        "\nSearch: {} ISA simulation(s){}, {} correction simulation(s){}; replications per stage {} ({} replications run in all{}); Erlang A's first guess was {} agent hours; {} class(es) of days alike, staffed alike.\n",
        it.isa,
        if it.isa_converged { " (converged)" } else { "" },
        it.correction,
        if it.converged {
            ", converged"
        } else {
            ", stopped at --max-iterations: the staffing kept is the best that met every target, if any"
        },
        it.stages
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        group(it.replications_run as f64),
        if it.replications_reused > 0 {
            format!(
                ", {} more taken over from the simulation before",
                group(it.replications_reused as f64)
            )
        } else {
            String::new()
        },
        group(guess),
        result.day_classes
    );
    let mut t = table(&[
        "pool",
        "staffing",
        "agent hours on duty",
        "agent hours scheduled",
    ]);
    let found = match result.plan {
        PlanKind::PerDate => "found (per date)",
        PlanKind::Weekly => "found (weekly pattern)",
    };
    for p in &result.plans {
        t.add_row(vec![
            p.pool.clone(),
            found.to_string(),
            group(p.agent_hours),
            group(p.scheduled_hours),
        ]);
        t.add_row(vec![
            p.pool.clone(),
            "the scenario's".to_string(),
            group(p.scenario_agent_hours),
            group(p.scenario_scheduled_hours),
        ]);
    }
    align_right(&mut t, 2);
    out += &format!("\nAgent hours over the horizon\n{t}\n");
    out += &format!(
        "\nStaff cost (scheduled hours × the pool's hour_price)\n{}\n",
        cost_table(result)
    );
    out += &render_check(result);
    out
}

fn render_check(result: &StaffResult) -> String {
    let (check, per) = (&result.check, result.per);
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
    let occupancy: Vec<String> = result
        .plans
        .iter()
        .zip(&check.occupancy)
        .map(|(p, o)| format!("{} {}", p.pool, pct_ci(o)))
        .collect();
    format!(
        "\nFinal check of the plan: {} replications with an independent seed ({}); {rule}{}\n{t}\nOccupancy: {}; handled-contact cost at the scenario's prices {cost}.\n",
        check.replications,
        check.seed,
        if result.plans.iter().any(|p| p.email) {
            " (e-mail: no day's)"
        } else {
            ""
        },
        occupancy.join(", ")
    )
}

/// The check's table as HTML rows.
fn check_rows(check: &Check) -> Vec<Vec<String>> {
    check
        .targets
        .iter()
        .map(|c| {
            vec![
                format!("{} >= {}", c.label, c.value),
                if c.met { "yes" } else { "NO" }.to_string(),
                pct_ci(&c.horizon),
                c.worst_interval
                    .as_ref()
                    .map_or("–".to_string(), |(d, w, time, e)| {
                        format!("{w} {d} {time}: {}", pct_ci(e))
                    }),
                format!(
                    "{} ({}) of {}",
                    c.intervals_below, c.intervals_clearly_below, c.intervals
                ),
                c.worst_day.as_ref().map_or("–".to_string(), |(d, w, e)| {
                    format!("{w} {d}: {}", pct_ci(e))
                }),
                format!("{} ({}) of {}", c.days_below, c.days_clearly_below, c.days),
            ]
        })
        .collect()
}

/// `report.html`.
fn page(report: &StaffReport, figures: &[Figure]) -> String {
    let r = report.result;
    let (name, start, days) = &report.scenario;
    let title = format!("ccsim staff: {name}");
    let plan = match r.plan {
        PlanKind::PerDate => "per date (the search's own staffing per date and interval)",
        PlanKind::Weekly => "weekly (each weekday the most any date of it needed)",
    };
    let per = match r.per {
        Per::Interval => "in every interval (e-mail: on every day)",
        Per::Day => "on every day",
    };
    let hours = |x: f64| group(x);
    html! {
        (DOCTYPE)
        html lang="en" {
            (page_head(&title))
            body {
                h1 { (title) }
                div.scroll { table.meta {
                    tr { td { "Horizon" } td { (days) " days from " (start) } }
                    tr { td { "Targets" } td { (r.targets.join(", ")) ", " (per) } }
                    tr { td { "Plan" } td { (plan) } }
                    tr { td { "Search" } td { (r.replications) " replications per simulation, seed " (r.seed) "; " (r.iterations.isa) " ISA and " (r.iterations.correction) " correction simulations" @if !r.iterations.converged { " (stopped at --max-iterations)" } } }
                    tr { td { "ccsim" } td { "version " (env!("CARGO_PKG_VERSION")) } }
                } }
                h2 { "Targets and their check" }
                p { "The plan simulated with an independent seed (" (r.check.seed) "), " (r.check.replications) " replications; each figure with its 95% confidence interval. Below (clearly): means below the target (whole CI below it)." }
                div.scroll { table {
                    tr { th { "target" } th { "met" } th { "horizon [95% CI]" } th { "worst interval" } th { "intervals below (clearly)" } th { "worst day" } th { "days below (clearly)" } }
                    @for row in check_rows(&r.check) { tr { @for c in row { td { (c) } } } }
                } }
                h2 { "Hours and cost" }
                div.scroll { table {
                    tr { th { "pool" } th { "hour price" } th { "agent hours on duty" } th { "scheduled hours (plan)" } th { "staff cost (plan)" } th { "scheduled hours (scenario)" } th { "staff cost (scenario)" } }
                    @for p in &r.plans {
                        tr { td { (p.pool) } td { (p.hour_price) } td { (hours(p.agent_hours)) } td { (hours(p.scheduled_hours)) } td { (money(p.staff_cost)) } td { (hours(p.scenario_scheduled_hours)) } td { (money(p.scenario_staff_cost)) } }
                    }
                    tr { td { "total" } td {} td {} td { (hours(r.scheduled_hours)) } td { (money(r.staff_cost)) } td { (hours(r.scenario_scheduled_hours)) } td { (money(r.scenario_staff_cost)) } }
                } }
                p { "Handled-contact cost at the scenario's prices (final check): " (r.check.cost.mean.map_or("–".to_string(), money)) "." }
                h2 { "The plan per date" }
                @for f in figures {
                    figure aria-label=(f.title) {
                        div.scroll { (PreEscaped(legible_svg(&f.svg))) }
                        figcaption { (f.caption) }
                    }
                }
                p { "Per pool, " code { "staffing-POOL.csv" } " holds the plan (date, interval, agents scheduled, agents on duty), as " code { "pools.NAME.staffing = { file = ... }" } " reads it; " code { "scenario.toml" } " runs it." }
                h2 { "Weekly view" }
                @for p in &r.plans {
                    h3 { "Pool " (p.pool) }
                    p { "Agents on duty (scheduled before shrinkage " (format!("{:.0}%", p.shrinkage * 100.0)) ") per weekday and interval: the most any date of that weekday needed." }
                    (PreEscaped(weekly_html(&p.weekly)))
                }
                p { small { "Made with ccsim, an open-source contact-center simulator." } }
            }
        }
    }
    .into_string()
}

/// The weekly view as an HTML table.
fn weekly_html(p: &WeeklyPattern) -> String {
    let days: Vec<usize> = (0..7).filter(|&w| p.used[w]).collect();
    html! {
        div.scroll { table {
            tr { th { "interval" } @for &w in &days { th { (Weekday::ALL[w].name()) } } }
            @for j in p.slots() {
                tr { td { (p.clock(j)) } @for &w in &days { td { (p.available[w][j]) " (" (p.scheduled[w][j]) ")" } } }
            }
        } }
    }
    .into_string()
}
