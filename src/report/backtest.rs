//! A backtest (`ccsim backtest`): coverage, errors and the worst days in the
//! terminal; every day's and interval's figures as JSON and CSV; charts of
//! actual against simulated and `report.html` in `--out DIR`.

use comfy_table::Cell;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::model::Metric;
use crate::model::duration::format_duration;
use crate::planning::backtest::{Backtest, Coverage, JUDGED, NOMINAL, Point};

use super::run::html::{legible, page_head, responsive};
use super::terminal::{Colour, align_numbers, group_thousands, table};
use super::{Figure, OutFile, Report, charts, json};

/// The files of `--out DIR`, in the order written.
pub const FILES: [&str; 6] = [
    "backtest.json",
    "days.csv",
    "intervals.csv",
    "coverage.csv",
    "report.html",
    CHARTS,
];
/// The folder of the charts inside `--out DIR`.
pub const CHARTS: &str = "charts";

impl Report for Backtest {
    fn terminal(&self, colour: Colour) -> String {
        render(self, colour)
    }

    fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        json::write_pretty(self, w)
    }

    fn csv(&self) -> Option<Vec<u8>> {
        Some(days_csv(self))
    }

    fn owns(&self, name: &str) -> bool {
        super::owned(&FILES, name)
    }

    fn files(&self) -> Vec<OutFile<'_>> {
        vec![
            OutFile::Json("backtest.json"),
            OutFile::Bytes("days.csv", days_csv(self)),
            OutFile::Bytes("intervals.csv", intervals_csv(self)),
            OutFile::Bytes("coverage.csv", coverage_csv(self)),
            OutFile::Charts(CHARTS, charts::of_backtest(self)),
            OutFile::Page("report.html", Box::new(|figures| page(self, figures))),
        ]
    }

    fn announce(&self, dir: &std::path::Path, written: &[std::path::PathBuf]) -> String {
        format!(
            "wrote {} files into {}: open {} in a browser\n",
            written.len(),
            dir.display(),
            dir.join("report.html").display()
        )
    }
}

/// A value of a figure as a person reads it.
pub fn value(metric: Metric, x: f64) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    match metric {
        m if m.is_share() => format!("{:.1}%", x * 100.0),
        Metric::Asa => format_duration(x),
        _ => group_thousands(x.round()),
    }
}

/// An error of a figure: percentage points for shares, seconds for ASA.
pub fn error(metric: Metric, x: f64) -> String {
    match metric {
        m if m.is_share() => format!("{:.1} pp", x * 100.0),
        Metric::Asa => format!("{x:.1} s"),
        _ => format!("{x:.1}"),
    }
}

/// Coverage as `88.5% (23 of 26)`.
pub fn coverage_text(c: Option<&Coverage>) -> String {
    match c {
        Some(Coverage {
            coverage: Some(x),
            inside,
            points,
            ..
        }) => format!("{:.1}% ({inside} of {points})", x * 100.0),
        _ => "–".to_string(),
    }
}

fn heading(b: &Backtest) -> String {
    let s = &b.setup;
    format!(
        "Backtest of {} against {}\n{} to {}, {} replications (seed {}){}.\n",
        s.scenario,
        s.actual.join(", "),
        s.from,
        s.to,
        s.replications,
        s.seed,
        if s.replay {
            ", with the actual volumes replayed"
        } else {
            ""
        }
    )
}

/// The backtest for the terminal: coverage and errors per figure, then the
/// worst days and the warnings.
pub fn render(b: &Backtest, colour: Colour) -> String {
    let mut out = heading(b);
    out += &format!(
        "\nCoverage: share of actual values inside the simulated P5–P95 band (nominal {:.0}%); MAE: mean |actual − simulated mean|\n",
        NOMINAL * 100.0
    );
    let mut t = table(
        &[
            "figure",
            "channel",
            "days inside",
            "MAE (days)",
            "intervals inside",
            "MAE (intervals)",
        ],
        colour,
    );
    for m in b.metrics() {
        for c in b
            .coverage
            .iter()
            .filter(|c| c.level == "day" && c.metric == m)
        {
            let at_intervals = b
                .coverage
                .iter()
                .find(|i| i.level == "interval" && i.metric == m && i.channel == c.channel);
            let judged = if JUDGED.contains(&m) { "" } else { " *" };
            t.add_row(vec![
                Cell::new(format!("{}{judged}", m.name())),
                Cell::new(c.channel.map_or("all", |c| c.name())),
                Cell::new(coverage_text(Some(c))),
                Cell::new(c.mae.map_or("–".into(), |x| error(m, x))),
                Cell::new(coverage_text(at_intervals)),
                Cell::new(
                    at_intervals
                        .and_then(|i| i.mae)
                        .map_or("–".into(), |x| error(m, x)),
                ),
            ]);
        }
    }
    align_numbers(&mut t, 2);
    out += &format!("{t}\n");
    if b.metrics().contains(&Metric::Offered) {
        out += "* offered is shown, not judged by --expect-coverage.\n";
    }
    if !b.worst_days.is_empty() {
        let mut t = table(
            &[
                "date",
                "channel",
                "actual",
                "simulated mean",
                "P5–P95",
                "inside",
            ],
            colour,
        );
        for p in &b.worst_days {
            t.add_row(worst_row(p));
        }
        align_numbers(&mut t, 2);
        out += &format!("\nWorst days (reachability farthest from the simulated mean)\n{t}\n");
    }
    for w in &b.warnings {
        out += &format!("note: {w}\n");
    }
    out
}

fn worst_row(p: &Point) -> Vec<Cell> {
    let m = p.metric;
    vec![
        Cell::new(&p.date),
        Cell::new(p.channel.name()),
        Cell::new(value(m, p.actual)),
        Cell::new(value(m, p.mean)),
        Cell::new(format!("{} – {}", value(m, p.p5), value(m, p.p95))),
        Cell::new(if p.inside { "yes" } else { "no" }),
    ]
}

fn num(x: f64) -> String {
    if x.is_finite() {
        x.to_string()
    } else {
        String::new()
    }
}

fn points_csv(points: &[Point], with_interval: bool) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header = vec!["date"];
    if with_interval {
        header.push("interval");
    }
    header.extend([
        "channel", "theme", "metric", "actual", "mean", "p5", "p95", "inside",
    ]);
    // Writing into memory cannot fail.
    w.write_record(&header).unwrap_or_default();
    for p in points {
        let mut record = vec![p.date.clone()];
        if with_interval {
            record.push(p.interval.clone().unwrap_or_default());
        }
        record.extend([
            p.channel.name().to_string(),
            p.theme.clone().unwrap_or_default(),
            p.metric.name().to_string(),
            num(p.actual),
            num(p.mean),
            num(p.p5),
            num(p.p95),
            p.inside.to_string(),
        ]);
        w.write_record(&record).unwrap_or_default();
    }
    w.into_inner().unwrap_or_default()
}

/// `days.csv` (and `--csv`): one row per day × channel (or theme) × figure.
pub fn days_csv(b: &Backtest) -> Vec<u8> {
    points_csv(&b.days, false)
}

/// `intervals.csv`: one row per interval × channel × figure.
pub fn intervals_csv(b: &Backtest) -> Vec<u8> {
    points_csv(&b.intervals, true)
}

/// `coverage.csv`: coverage and MAE per level, figure and channel (`all`
/// for every live channel together).
pub fn coverage_csv(b: &Backtest) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "level", "metric", "channel", "points", "inside", "coverage", "mae",
    ])
    .unwrap_or_default();
    for c in &b.coverage {
        w.write_record([
            c.level.to_string(),
            c.metric.name().to_string(),
            c.channel.map_or("all", |c| c.name()).to_string(),
            c.points.to_string(),
            c.inside.to_string(),
            c.coverage.map(num).unwrap_or_default(),
            c.mae.map(num).unwrap_or_default(),
        ])
        .unwrap_or_default();
    }
    w.into_inner().unwrap_or_default()
}

fn coverage_table(b: &Backtest) -> Markup {
    html! {
        div.scroll { table {
            tr { th { "figure" } th { "channel" } th { "days inside P5–P95" } th { "MAE (days)" } th { "intervals inside" } th { "MAE (intervals)" } }
            @for m in b.metrics() {
                @for c in b.coverage.iter().filter(|c| c.level == "day" && c.metric == m) {
                    @let i = b.coverage.iter().find(|i| i.level == "interval" && i.metric == m && i.channel == c.channel);
                    tr {
                        td { (m.name()) }
                        td { (c.channel.map_or("all", |c| c.name())) }
                        td.n { (coverage_text(Some(c))) }
                        td.n { (c.mae.map_or("–".into(), |x| error(m, x))) }
                        td.n { (coverage_text(i)) }
                        td.n { (i.and_then(|i| i.mae).map_or("–".into(), |x| error(m, x))) }
                    }
                }
            }
        } }
    }
}

/// `report.html`: the setup, coverage, worst days and every chart.
pub fn page(b: &Backtest, figures: &[Figure]) -> String {
    let s = &b.setup;
    html! {
        (DOCTYPE)
        html lang="en" {
            (page_head(&format!("ccsim backtest: {}", s.name)))
            body {
                h1 { "Backtest: " (s.name) }
                div.scroll { table.meta {
                    tr { td { "Scenario" } td { code { (s.scenario) } } }
                    tr { td { "Actual history" } td { (s.actual.join(", ")) } }
                    tr { td { "Period" } td { (s.from) " to " (s.to) } }
                    tr { td { "Volumes" } td { @if s.replay { "replayed from the history" } @else { "the scenario's" } } }
                    tr { td { "Replications" } td { (s.replications) " (seed " (s.seed) ")" } }
                    tr { td { "Scenario SHA-256" } td { code { (s.hash) } } }
                    tr { td { "ccsim" } td { "version " (b.ccsim_version) } }
                } }
                h2 { "Coverage" }
                p { "The share of actual values inside the simulated band from the 5th to the 95th percentile of the replications: about "
                    (format!("{:.0}%", NOMINAL * 100.0)) " when the scenario describes the period well. Much less means the scenario misses something (volume, staffing, handle time, patience); much more, that its spread is wider than reality's. MAE: the mean absolute difference between the actual value and the simulated mean." }
                (coverage_table(b))
                @if !b.worst_days.is_empty() {
                    h2 { "Worst days" }
                    div.scroll { table {
                        tr { th { "date" } th { "channel" } th { "actual reachability" } th { "simulated mean" } th { "P5–P95" } }
                        @for p in &b.worst_days {
                            tr {
                                td { (p.date) } td { (p.channel.name()) }
                                td.n { (value(p.metric, p.actual)) }
                                td.n { (value(p.metric, p.mean)) }
                                td.n { (value(p.metric, p.p5)) " – " (value(p.metric, p.p95)) }
                            }
                        }
                    } }
                }
                @if !b.warnings.is_empty() {
                    h2 { "Notes" }
                    ul { @for w in &b.warnings { li { (w) } } }
                }
                h2 { "Charts" }
                @for f in figures {
                    figure aria-label=(f.title) {
                        div.scroll { (PreEscaped(legible(&responsive(&f.svg)))) }
                        figcaption { (f.caption) }
                    }
                }
                p { small { "Made with ccsim, an open-source contact-center simulator." } }
            }
        }
    }
    .into_string()
}
