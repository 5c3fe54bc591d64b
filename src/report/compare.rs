//! A paired comparison (`ccsim compare`): every plan and its difference
//! against the baseline A with its CI, in the terminal, as JSON and CSV, its
//! charts and `report.html`.

use comfy_table::{Cell, Color};

use crate::model::duration::format_duration;
use crate::model::{Channel, Metric};
use crate::planning::compare::{Comparison, Row};
use crate::planning::{FigureLevel, ScopeKind};
use crate::stats::Estimate;

use super::terminal::{Colour, align_numbers, group_thousands, table};
use super::{Figure, OutFile, Report, charts, csv, json};

/// The files of `--out DIR`; `{image}` is `svg` or `png`.
pub const FILES: [&str; 5] = [
    "comparison.json",
    "comparison.csv",
    "difference_by_time_of_day.{image}",
    "differences.{image}",
    "report.html",
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
        // With three plans or more, a chart by time of day per plan:
        // `difference_by_time_of_day_c.svg` ...
        super::owned(&FILES, name)
            || name
                .strip_prefix("difference_by_time_of_day_")
                .is_some_and(|rest| rest.ends_with(".svg") || rest.ends_with(".png"))
    }

    fn files(&self) -> Vec<OutFile<'_>> {
        vec![
            OutFile::Json("comparison.json"),
            OutFile::Bytes("comparison.csv", csv::comparison(self)),
            OutFile::Charts("", charts::of_comparison(self)),
            OutFile::Page("report.html", Box::new(|figures| page(self, figures))),
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
        m if m.is_share() => Unit::Share,
        Metric::CallbackDelay | Metric::Asa | Metric::WaitP90 => Unit::Seconds,
        Metric::HandledHours
        | Metric::AgentHours
        | Metric::BusyHours
        | Metric::ScheduledHours
        | Metric::AbsentHours
        | Metric::ExtraHours => Unit::Hours,
        Metric::Cost | Metric::ExtraCost | Metric::StaffCost => Unit::Euro,
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
        ScopeKind::Total => [Reachability, HandledHours, Cost, ExtraCost, StaffCost].contains(&m),
        ScopeKind::Pool => [
            Occupancy,
            AgentHours,
            ScheduledHours,
            ExtraHours,
            ExtraCost,
            StaffCost,
        ]
        .contains(&m),
        ScopeKind::Theme | ScopeKind::Line => false,
    }
}

/// The comparison for the terminal: the horizon's key figures, then the
/// reachability per day when the horizon is short enough to read.
pub fn render(c: &Comparison, colour: Colour) -> String {
    if !c.plans.is_empty() {
        return render_plans(c, colour);
    }
    let mut out = format!(
        "A: {}\nB: {}\nPaired over {} replications (seed {}): B − A is taken replication by replication.\n\n",
        c.a.label, c.b.label, c.replications, c.seed
    );
    let mut t = table(&["figure", "A", "B", "B − A [95% CI]"], colour);
    for r in key_rows(c) {
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

/// The key figures over the horizon, in the order a planner reads them:
/// per channel, then per pool, then the total (as a run lists them).
fn key_rows(c: &Comparison) -> Vec<&Row> {
    let mut rows: Vec<&Row> = c
        .rows
        .iter()
        .filter(|r| r.key.level == FigureLevel::Horizon && shown(r))
        .collect();
    // Stable: within a scope the run's order.
    // Pools in the order they first come, each with all its figures.
    let mut pools: Vec<&str> = Vec::new();
    for r in rows.iter().filter(|r| r.key.scope == ScopeKind::Pool) {
        if !pools.contains(&r.key.name.as_str()) {
            pools.push(&r.key.name);
        }
    }
    let order = |r: &Row| match r.key.scope {
        ScopeKind::Channel | ScopeKind::Theme | ScopeKind::Line => 0,
        ScopeKind::Pool => 1 + pools.iter().position(|p| *p == r.key.name).unwrap_or(0),
        ScopeKind::Total => 1 + pools.len(),
    };
    rows.sort_by_key(|r| order(r));
    rows
}

/// "85.1% [84.2%, 86.0%]": a plan's figure with its 95% CI.
fn with_ci(e: &Estimate, u: Unit) -> String {
    match (e.ci_low, e.ci_high) {
        (Some(l), Some(h)) => format!(
            "{} [{}, {}]",
            value(e.mean, u),
            value(Some(l), u),
            value(Some(h), u)
        ),
        _ => value(e.mean, u),
    }
}

/// Whether the 95% CI of a difference excludes 0: above (+1), below (−1).
fn side_of_zero(e: &Estimate) -> i8 {
    match (e.ci_low, e.ci_high) {
        (Some(l), _) if l > 0.0 => 1,
        (_, Some(h)) if h < 0.0 => -1,
        _ => 0,
    }
}

/// "+1.2 pp [+0.8 pp, +1.6 pp] *": a difference with its CI, starred when
/// the CI excludes 0.
fn difference_text(e: &Estimate, u: Unit) -> String {
    let star = if side_of_zero(e) != 0 { " *" } else { "" };
    match (e.mean, e.ci_low, e.ci_high) {
        (Some(m), Some(l), Some(h)) => {
            format!("{} [{}, {}]{star}", delta(m, u), delta(l, u), delta(h, u))
        }
        (Some(m), _, _) => delta(m, u),
        _ => "–".to_string(),
    }
}

/// Three plans or more (or named plans): one column per plan, each figure
/// with its 95% CI and, under it, the difference against A with its CI.
fn render_plans(c: &Comparison, colour: Colour) -> String {
    let sides = c.sides();
    let mut out = String::new();
    for (letter, name, side) in &sides {
        if *name == side.label {
            out += &format!("{letter}: {}\n", side.label);
        } else {
            out += &format!("{letter}: {name} ({})\n", side.label);
        }
    }
    out += &format!(
        "Paired over {} replications (seed {}): each plan − A is taken replication by replication; * the 95% CI of the difference excludes 0.\n\n",
        c.replications, c.seed
    );
    let mut header = vec!["figure".to_string()];
    header.extend(sides.iter().map(|(l, _, _)| {
        if *l == "A" {
            "A [95% CI]".to_string()
        } else {
            format!("{l} [95% CI]\n{l} − A [95% CI]")
        }
    }));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut t = table(&header, colour);
    for r in key_rows(c) {
        let u = unit(r.key.metric);
        let mut row = vec![Cell::new(label(r))];
        for i in 0..sides.len() {
            let e = r.estimate(i).map_or("–".to_string(), |e| with_ci(e, u));
            let cell = match r.difference(i) {
                None => Cell::new(e),
                Some(d) => {
                    let cell = Cell::new(format!("{e}\n{}", difference_text(d, u)));
                    match side_of_zero(d) {
                        1 => cell.fg(Color::Cyan),
                        -1 => cell.fg(Color::Magenta),
                        _ => cell,
                    }
                }
            };
            row.push(cell);
        }
        t.add_row(row);
    }
    align_numbers(&mut t, 1);
    out += &format!("Over the horizon\n{t}\n");
    out
}

/// `report.html`: the plans side by side with their CIs, the differences
/// against A (marked when their CI excludes 0), the cost, and the charts.
pub fn page(c: &Comparison, figures: &[Figure]) -> String {
    use maud::{DOCTYPE, PreEscaped, html};

    use super::run::html::{legible_svg, page_head};

    let sides = c.sides();
    let rows = key_rows(c);
    let money = |r: &&Row| matches!(unit(r.key.metric), Unit::Euro);
    let cell = |r: &Row, i: usize| {
        let u = unit(r.key.metric);
        let e = r.estimate(i).map_or("–".to_string(), |e| with_ci(e, u));
        let d = r.difference(i);
        let class = match d.map_or(0, side_of_zero) {
            1 => "n up",
            -1 => "n down",
            _ => "n",
        };
        html! {
            td class=(class) {
                (e)
                @if let Some(d) = d { br; (difference_text(d, u)) }
            }
        }
    };
    let table = |rows: &[&Row]| {
        html! {
            div.scroll { table {
                tr {
                    th { "figure" }
                    @for (letter, name, _) in &sides {
                        th { (letter) ": " (name) }
                    }
                }
                @for r in rows {
                    tr {
                        td { (label(r)) }
                        @for i in 0..sides.len() { (cell(r, i)) }
                    }
                }
            } }
        }
    };
    let costs: Vec<&Row> = rows.iter().copied().filter(money).collect();
    let title = format!("ccsim compare: {} plans", sides.len());
    html! {
        (DOCTYPE)
        html lang="en" {
            (page_head(&title))
            body {
                style { (PreEscaped(".up { color: #0b6e99; font-weight: bold; } .down { color: #a3268f; font-weight: bold; }")) }
                h1 { "Plans side by side" }
                div.scroll { table.meta {
                    tr { td { "Replications" } td { (c.replications) " per plan, paired (seed " (c.seed) ")" } }
                    tr { td { "ccsim" } td { "version " (c.ccsim_version) ", comparison schema " (c.schema_version) } }
                } }
                h2 { "Plans" }
                div.scroll { table {
                    tr { th { "plan" } th { "name" } th { "file and changes" } th { "scenario" } th { "scenario SHA-256" } }
                    @for (letter, name, side) in &sides {
                        tr {
                            td { (letter) @if letter == "A" { " (baseline)" } }
                            td { (name) }
                            td { code { (side.label) } }
                            td { (side.scenario) }
                            td { code { (side.hash) } }
                        }
                    }
                } }
                h2 { "Key figures" }
                p { "Each plan's figure over the horizon with its 95% confidence interval; under it, the plan's difference against A with the 95% CI of the paired difference (every plan sees the same random contacts, replication by replication). A star, and colour, mark a difference whose CI excludes 0: "
                    span.up { "higher" } " or " span.down { "lower" } " than A beyond chance." }
                (table(&rows))
                h2 { "Cost" }
                @if costs.is_empty() {
                    p { "No plan has a price: give themes a `price` (handling cost), pools an `hour_price` (staff cost) or extra support a price." }
                } @else {
                    p { "Handling cost (`cost`: handled seconds × the themes' price), extra support (`extra_cost`) and staff cost (`staff_cost`: scheduled hours × the pool's `hour_price`) are reported apart; none includes another." }
                    (table(&costs))
                }
                h2 { "Charts" }
                @for f in figures {
                    figure aria-label=(f.title) {
                        div.scroll { (PreEscaped(legible_svg(&f.svg))) }
                        figcaption { (f.caption) }
                    }
                }
                p { "Every figure, per day and per interval of the day too, is in comparison.json and comparison.csv." }
                p { small { "Made with ccsim, an open-source contact-center simulator." } }
            }
        }
    }
    .into_string()
}

/// One key figure of a comparison as the workbench shows it: the rows of
/// `report.html`'s table, with the same texts, and the numbers beside them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct KeyFigure {
    /// "call: reachability", "pool agents: occupancy" ...
    pub label: String,
    /// Which figure.
    #[serde(flatten)]
    pub key: crate::planning::FigureKey,
    /// One cell per plan, the baseline A first.
    pub cells: Vec<KeyCell>,
}

/// One plan's figure in a [`KeyFigure`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct KeyCell {
    /// The figure with its 95% CI.
    pub estimate: Option<Estimate>,
    /// "85.1% [84.2%, 86.0%]".
    pub text: String,
    /// This plan − A, replication by replication (none for A).
    pub difference: Option<Estimate>,
    /// "+1.2 pp [+0.8 pp, +1.6 pp] *".
    pub difference_text: Option<String>,
    /// +1 (−1) when the difference's 95% CI lies above (below) 0, else 0.
    pub significant: i8,
}

/// The key figures over the horizon, in the order of `report.html`'s table.
pub fn key_figures(c: &Comparison) -> Vec<KeyFigure> {
    let plans = c.sides().len();
    key_rows(c)
        .into_iter()
        .map(|r| {
            let u = unit(r.key.metric);
            KeyFigure {
                label: label(r),
                key: r.key.clone(),
                cells: (0..plans)
                    .map(|i| {
                        let d = r.difference(i);
                        KeyCell {
                            estimate: r.estimate(i).copied(),
                            text: r.estimate(i).map_or("–".to_string(), |e| with_ci(e, u)),
                            difference: d.copied(),
                            difference_text: d.map(|d| difference_text(d, u)),
                            significant: d.map_or(0, side_of_zero),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}
