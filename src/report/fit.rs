//! The report of `ccsim fit`: what the history says, each fitted value with
//! its 95% confidence interval, in the terminal, as JSON (`--json`), and as
//! a folder (`--report DIR`) with `report.html`, `fit.json` and the charts
//! of actual against fitted.

use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Serialize;

use crate::fit::{DemandFit, FitResult, Fitted, Source};
use crate::model::Weekday;

use super::run::html::{legible_svg, page_head};
use super::terminal::{Colour, TextTable, group_thousands};
use super::{Figure, OutFile, Report, charts, json};

/// The files of `--report DIR`; `{image}` is `svg` or `png`.
pub const FILES: [&str; 2] = ["report.html", "fit.json"];

/// The folder of the charts in `--report DIR`.
pub const CHARTS: &str = "charts";

/// Version of the JSON document's layout.
pub const SCHEMA_VERSION: u32 = 1;

/// A fit and what it was made from.
#[derive(Debug, Clone)]
pub struct FitReport {
    /// The fit.
    pub fit: FitResult,
    /// The history files read.
    pub sources: Vec<String>,
    /// The scenario file written.
    pub scenario: Option<String>,
}

#[derive(Serialize)]
struct Document<'a> {
    ccsim_version: &'static str,
    schema_version: u32,
    sources: &'a [String],
    scenario: Option<&'a str>,
    fit: &'a FitResult,
}

impl Report for FitReport {
    fn terminal(&self, _colour: Colour) -> String {
        render(self, _colour)
    }

    fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        json::write_pretty(
            &Document {
                ccsim_version: env!("CARGO_PKG_VERSION"),
                schema_version: SCHEMA_VERSION,
                sources: &self.sources,
                scenario: self.scenario.as_deref(),
                fit: &self.fit,
            },
            w,
        )
    }

    fn owns(&self, name: &str) -> bool {
        super::owned(&FILES, name) || name == CHARTS
    }

    fn files(&self) -> Vec<OutFile<'_>> {
        vec![
            OutFile::Json("fit.json"),
            OutFile::Charts(CHARTS, charts::of_fit(&self.fit)),
            OutFile::Page("report.html", Box::new(|figures| page(self, figures))),
        ]
    }
}

/// "1180 [1163, 1197]".
fn with_ci(f: &Fitted, decimals: usize) -> String {
    let n = |x: f64| {
        if decimals == 0 {
            group_thousands(x.round())
        } else {
            format!("{x:.decimals$}")
        }
    };
    format!("{} [{}, {}]", n(f.value), n(f.low), n(f.high))
}

fn source_name(s: Source) -> &'static str {
    match s {
        Source::Contacts => "contact-level",
        Source::Intervals => "interval-level",
    }
}

/// The rows of one theme × channel's table.
fn demand_table(d: &DemandFit) -> TextTable {
    let mut rows = vec![
        vec!["contacts".into(), group_thousands(d.offered as f64)],
        vec![
            "per day (mean weekday weight)".into(),
            with_ci(&d.per_day, 0),
        ],
    ];
    rows.push(vec![
        "trend per month".into(),
        match &d.trend {
            Some(t) => format!(
                "{:+.1}% [{:+.1}%, {:+.1}%], p {:.3}",
                t.per_month.value * 100.0,
                t.per_month.low * 100.0,
                t.per_month.high * 100.0,
                t.p_value
            ),
            None => "none found".into(),
        },
    ]);
    for day in Weekday::ALL {
        rows.push(vec![
            format!("weekday weight {}", day.name()),
            d.weekday[day.index()].map_or("–".into(), |f| with_ci(&f, 3)),
        ]);
    }
    if let Some(u) = &d.uncertainty_cv {
        rows.push(vec!["day-to-day cv".into(), with_ci(u, 3)]);
    }
    match &d.handle_time {
        Some(h) => {
            rows.push(vec!["handle time mean (s)".into(), with_ci(&h.mean, 1)]);
            if let Some(cv) = &h.cv {
                rows.push(vec!["handle time cv".into(), with_ci(cv, 3)]);
            }
            rows.push(vec![
                "handle time family".into(),
                h.family.map_or("– (interval data: mean only)".into(), |f| {
                    f.name().to_string()
                }),
            ]);
        }
        None => rows.push(vec!["handle time".into(), "no answered contacts".into()]),
    }
    TextTable {
        header: vec![
            format!("{} · {}", d.theme, d.channel.name()),
            "95% CI".into(),
        ],
        rows,
        total: false,
    }
}

fn patience_table(fit: &FitResult) -> TextTable {
    TextTable {
        header: [
            "patience",
            "family",
            "mean (s) [95% CI]",
            "cv [95% CI]",
            "abandoned",
            "censored",
            "naive mean (s)",
        ]
        .map(String::from)
        .to_vec(),
        rows: fit
            .patience
            .iter()
            .map(|p| {
                vec![
                    p.channel.name().to_string(),
                    p.family.name().to_string(),
                    with_ci(&p.mean, 0),
                    with_ci(&p.cv, 2),
                    group_thousands(p.abandoned as f64),
                    group_thousands(p.censored as f64),
                    p.naive_mean.map_or("–".into(), |m| format!("{m:.0}")),
                ]
            })
            .collect(),
        total: false,
    }
}

/// The terminal view.
fn render(r: &FitReport, colour: Colour) -> String {
    let fit = &r.fit;
    let mut out = format!(
        "Fit of {} history from {} to {} ({} s intervals)\n",
        source_name(fit.source),
        fit.from,
        fit.to,
        fit.interval
    );
    for d in &fit.demand {
        out += &format!("{}\n", demand_table(d).render(colour, 1));
    }
    if fit.patience.is_empty() {
        out += "Patience: no waits in the history, none fitted.\n";
    } else {
        out += &format!("{}\n", patience_table(fit).render(colour, 2));
    }
    out += &opening_line(fit);
    for w in &fit.warnings {
        out += &format!("warning: {w}\n");
    }
    if let Some(s) = &r.scenario {
        out += &format!("Scenario written to {s}.\n");
    }
    out
}

fn opening_line(fit: &FitResult) -> String {
    let mut hours: Vec<String> = fit
        .opening
        .iter()
        .map(|o| {
            format!(
                "{} {:02}:{:02}-{:02}:{:02}",
                o.weekday.name(),
                o.open / 3600,
                o.open % 3600 / 60,
                o.close / 3600,
                o.close % 3600 / 60
            )
        })
        .collect();
    if hours.is_empty() {
        hours.push("none (no live contacts)".into());
    }
    let closed = if fit.closed_days.is_empty() {
        "none".to_string()
    } else {
        fit.closed_days
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "Opening hours found: {}.\nClosed days found: {closed}.\n",
        hours.join(", ")
    )
}

fn table_html(t: &TextTable) -> Markup {
    html! {
        div.scroll { table {
            tr { @for h in &t.header { th { (h) } } }
            @for row in &t.rows {
                tr { @for (j, cell) in row.iter().enumerate() {
                    @if j == 0 { td { (cell) } } @else { td.n { (cell) } }
                } }
            }
        } }
    }
}

/// `report.html`.
fn page(r: &FitReport, figures: &[Figure]) -> String {
    let fit = &r.fit;
    let title = format!("ccsim fit: {} to {}", fit.from, fit.to);
    html! {
        (DOCTYPE)
        html lang="en" {
            (page_head(&title))
            body {
                h1 { (title) }
                div.scroll { table.meta {
                    tr { td { "History" } td { (source_name(fit.source)) ", " (r.sources.join(", ")) } }
                    tr { td { "Fit period" } td { (fit.from) " to " (fit.to) ", intervals of " (fit.interval / 60) " minutes" } }
                    @if let Some(s) = &r.scenario { tr { td { "Scenario written" } td { code { (s) } } } }
                    tr { td { "ccsim" } td { "version " (env!("CARGO_PKG_VERSION")) } }
                } }
                @if !fit.warnings.is_empty() {
                    h2 { "Warnings" }
                    ul { @for w in &fit.warnings { li { (w) } } }
                }
                h2 { "Demand and handle time" }
                p { "Every value with its 95% confidence interval in brackets. Weekday weights have mean 1 over the weekdays with contacts." }
                @for d in &fit.demand { (table_html(&demand_table(d))) }
                h2 { "Patience" }
                @if fit.patience.is_empty() { p { "No waits in the history: no patience was fitted." } }
                @else { (table_html(&patience_table(fit))) }
                h2 { "Opening hours and closed days" }
                p { (opening_line(fit)) }
                h2 { "Charts" }
                @for f in figures {
                    figure aria-label=(f.title) {
                        div.scroll { (PreEscaped(legible_svg(&f.svg))) }
                        figcaption { (f.caption) }
                    }
                }
                p { small { "Made with ccsim, an open-source contact-center simulator." } }
            }
        }
    }
    .into_string()
}
