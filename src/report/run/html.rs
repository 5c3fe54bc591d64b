//! `report.html`: one self-contained page (inline CSS and SVG, nothing fetched
//! from the network) a planner can mail or open offline.

use std::collections::BTreeSet;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::definitions::{DEFINITIONS, ESTIMATES, VISIT_DEFINITIONS};
use super::tables::{
    any_pool_has, cost_parts, desk_utilisation, front_desk_table, partial_notice, replications,
    weekday_table,
};
use crate::model::Channel;
use crate::report::charts::periods::Period;
use crate::report::terminal::{
    TextTable, count, number, number_ci, pct, pct_ci, seconds, target_verdict,
};
use crate::stats::{Estimate, Metric, RunResults, Scope, Verdict};

/// A chart as it appears in the report.
pub struct Figure {
    /// Heading above the chart.
    pub title: String,
    /// One sentence under it: what it shows and how to read it.
    pub caption: String,
    /// The SVG document.
    pub svg: String,
}

pub(crate) const STYLE: &str = "
body { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; color: #222; max-width: 1100px;
       margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; overflow-wrap: anywhere; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.95em; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.7em; }
th { background: #f3f3f3; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { overflow-wrap: anywhere; }
.meet { color: #1a7f37; font-weight: bold; } .miss { color: #b42318; font-weight: bold; }
figure { margin: 1.5em 0; } figure svg { width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: 0.95em; }
dl dt { font-weight: bold; font-family: monospace; margin-top: 0.5em; } dl dd { margin-left: 1.5em; }
.meta td:first-child { color: #555; }
.partial { background: #fff4e5; border: 2px solid #b54708; padding: 0.6em 1em; }
@media (max-width: 600px) { body { margin: 1em auto; padding: 0 0.6em; } dl dd { margin-left: 0.8em; } }
";

/// A chart is never drawn narrower than this share of its natural width, so
/// that its smallest text (about 14.5 px at full size) stays at 10 px or
/// more; on a narrower screen its box scrolls sideways.
const CHART_MIN_SCALE: f64 = 0.7;

/// The whole page.
pub fn render(results: &RunResults, figures: &[Figure]) -> String {
    let s = &results.scenario;
    let run = &results.run;
    let metrics: BTreeSet<Metric> = results.keys().map(|e| e.metric).collect();
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            (page_head(&format!("ccsim report: {}", s.name)))
            body {
                h1 { (s.name) }
                @if run.partial { p.partial { strong { (partial_notice(results)) } } }
                @if !s.description.is_empty() { p { (s.description) } }
                div.scroll { table.meta {
                    tr { td { "Horizon" } td { (s.days) " days from " (s.start) ", intervals of " (s.interval_minutes) " minutes" } }
                    @if let Some(why) = Period::of_horizon(s.days as usize).reason(s.days as usize) {
                        tr { td { "Charts" } td { (why) } }
                    }
                    tr { td { "Replications" } td { @if run.partial { (run.replications) " of " (run.replications_requested) " replications asked for (partial)" } @else { (replications(run.replications)) } " (seed " (run.seed) ")" } }
                    @if let Some(p) = &results.precision {
                        tr { td { "Precision" } td { @if p.reached { (p.message()) } @else { strong { (p.message()) } } } }
                    }
                    tr { td { "Scenario SHA-256" } td { code { (s.hash) } } }
                    tr { td { "ccsim" } td { "version " (results.ccsim_version) ", summary schema " (results.schema_version) } }
                } }
                h2 { "Key figures" }
                p { (ESTIMATES) }
                (key_figures(results))
                (front_desk(results))
                h2 { "Charts" }
                @for f in figures {
                    // The chart carries its own title; the label names it for screen readers.
                    figure aria-label=(f.title) {
                        div.scroll { (PreEscaped(legible(&responsive(&f.svg)))) }
                        figcaption { (f.caption) }
                    }
                }
                h2 { "Metric definitions" }
                dl {
                    @for (name, meaning) in DEFINITIONS.iter().filter(|(name, _)| defines(&metrics, name)) {
                        dt { (name) } dd { (meaning) }
                    }
                    @if results.has_channel(Channel::Visit) {
                        @for (name, meaning) in VISIT_DEFINITIONS {
                            dt { (name) } dd { (meaning) }
                        }
                    }
                }
                p { small { "Made with ccsim, an open-source contact-center simulator." } }
            }
        }
    };
    page.into_string()
}

/// Whether the run has the figure a definition is about: the page defines
/// only those (a scenario without callbacks has no `callbacks`).
fn defines(metrics: &BTreeSet<Metric>, name: &str) -> bool {
    Metric::from_name(name).is_none_or(|m| metrics.contains(&m))
}

/// A reachability cell, marked against the target when the whole 95% CI is
/// on one side of it.
fn reach(e: Option<&Estimate>, target: Option<f64>) -> Markup {
    let class = match target_verdict(e, target) {
        Verdict::Holds => "n meet",
        Verdict::Broken => "n miss",
        Verdict::Unsure | Verdict::Undefined => "n",
    };
    html! { td class=(class) { (pct_ci(e)) } }
}

fn key_figures(results: &RunResults) -> Markup {
    let s = &results.scenario;
    let h = |scope: Scope, m: Metric| results.horizon(scope, m);
    let total = |m| h(Scope::Total, m);
    let absences = any_pool_has(results, Metric::AbsentHours);
    let extra = any_pool_has(results, Metric::ExtraHours);
    let staff = any_pool_has(results, Metric::StaffCost);
    let target_text = |t: Option<f64>| {
        t.map(|t| format!("{:.0}%", t * 100.0))
            .unwrap_or_else(|| "–".to_string())
    };
    html! {
        div.scroll { table {
            tr {
                th { "channel" } th { "offered" } th { "answered" } th { "reachability [95% CI]" }
                th { "target" } th { "service level" } th { "ASA" } th { "abandoned" } th { "handled hours" } th { "cost" }
            }
            @for c in results.channels() {
                @let m = |metric| h(Scope::Channel(c), metric);
                tr {
                    td { (c.name()) }
                    td.n { (count(m(Metric::Offered))) }
                    td.n { (count(m(Metric::Answered))) }
                    (reach(m(Metric::Reachability), s.reachability_target(c)))
                    td.n { (target_text(s.reachability_target(c))) }
                    td.n { (pct(m(Metric::ServiceLevel))) }
                    td.n { (seconds(m(Metric::Asa))) }
                    td.n { (pct(m(Metric::AbandonShare))) }
                    td.n { (number(m(Metric::HandledHours), 0)) }
                    td.n { (number(m(Metric::Cost), 0)) }
                }
            }
            tr {
                td { b { "total" } }
                td.n { (count(total(Metric::Offered))) }
                td.n { (count(total(Metric::Answered))) }
                (reach(total(Metric::Reachability), s.total_reachability_target()))
                td.n { (target_text(s.total_reachability_target())) }
                td {} td {} td {}
                td.n { (number(total(Metric::HandledHours), 0)) }
                td.n { (number(total(Metric::Cost), 0)) }
            }
        } }
        p { small { "E-mail reachability is the share picked up within the SLA; in the total, e-mails count by their deadline. Cost in euro at the scenario's unit prices." } }
        div.scroll { table {
            tr {
                th { "pool" } th { "occupancy [95% CI]" } th { "agent hours" } th { "busy hours" } th { "scheduled hours" }
                @if absences { th { "absent hours" } }
                @if extra { th { "extra hours" } th { "extra cost" } }
                @if staff { th { "staff cost" } }
            }
            @for p in results.pools() {
                @let m = |metric| h(Scope::Pool(p), metric);
                tr {
                    td { (results.names.pools[p]) }
                    td.n { (pct_ci(m(Metric::Occupancy))) }
                    td.n { (number(m(Metric::AgentHours), 0)) }
                    td.n { (number(m(Metric::BusyHours), 0)) }
                    td.n { (number(m(Metric::ScheduledHours), 0)) }
                    @if absences { td.n { (number(m(Metric::AbsentHours), 0)) } }
                    @if extra {
                        td.n { (number(m(Metric::ExtraHours), 0)) }
                        td.n { (number(m(Metric::ExtraCost), 0)) }
                    }
                    @if staff { td.n { (number(m(Metric::StaffCost), 0)) } }
                }
            }
        } }
        @if let Some(parts) = cost_parts(results) {
            (cost_table(&parts))
        } @else if let Some(e) = total(Metric::ExtraCost) {
            p { "Extra support cost: " b { (number_ci(Some(e))) } " euro [95% CI], not included in the cost above." }
        }
    }
}

/// The cost in its parts ([`cost_parts`]): handling, staff, extra support
/// and their total, each with its 95% CI.
pub fn cost_table(parts: &[(&'static str, Estimate)]) -> Markup {
    html! {
        h3 { "Cost" }
        div.scroll { table.cost {
            tr { th { "cost" } th { "euro [95% CI]" } }
            @for (name, e) in parts {
                tr {
                    td { @if *name == "total" { b { (name) } } @else { (name) } }
                    td.n { (number_ci(Some(e))) }
                }
            }
        } }
        p { small { "Handling: handled seconds × the price per second; staff: scheduled hours of the pools' own agents × their hour_price; extra support: its hours × its price per hour. The total adds them in each replication." } }
    }
}

/// The front desk, for scenarios with visits: visits per product, the
/// desks' utilisation and the week day by day, as in the terminal.
fn front_desk(results: &RunResults) -> Markup {
    let Some(products) = front_desk_table(results) else {
        return html! {};
    };
    let utilisation = desk_utilisation(results);
    html! {
        h2 { "Front desk (visits)" }
        (text_table(&products))
        @if !utilisation.is_empty() {
            p {
                "Utilisation of the desks (pools that serve visits) [95% CI]: "
                @for (i, (pool, u)) in utilisation.iter().enumerate() {
                    @if i > 0 { ", " }
                    (pool) " " b { (u) }
                }
            }
        }
        @if let Some(week) = weekday_table(results) {
            h3 { "Visits by weekday" }
            (text_table(&week))
            p { small { "Busiest hour: the clock hour with the largest share of that weekday's visits." } }
        }
    }
}

/// A table of text: the first column plain, the others numbers; a total row bold.
fn text_table(t: &TextTable) -> Markup {
    let last = t.rows.len().saturating_sub(1);
    html! {
        div.scroll { table {
            tr { @for h in &t.header { th { (h) } } }
            @for (i, row) in t.rows.iter().enumerate() {
                tr {
                    @for (j, cell) in row.iter().enumerate() {
                        @if j == 0 && t.total && i == last {
                            td { b { (cell) } }
                        } @else if j == 0 {
                            td { (cell) }
                        } @else {
                            td.n { (cell) }
                        }
                    }
                }
            }
        } }
    }
}

/// The `head` of every report page: character set, the viewport of phones,
/// the title and the house style.
pub(crate) fn page_head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) }
            style { (PreEscaped(STYLE)) }
        }
    }
}

/// A chart's SVG as the page shows it: scaled to the page, never so
/// narrow that its text shrinks below legibility (for other reports' pages).
pub fn legible_svg(svg: &str) -> String {
    legible(&responsive(svg))
}

/// The SVG with a smallest width ([`CHART_MIN_SCALE`] of its own), so that
/// a narrow screen scrolls it rather than shrinking its text.
pub(crate) fn legible(svg: &str) -> String {
    let width = svg
        .find('>')
        .and_then(|end| svg[..end].find(" width=\"").map(|i| (i + 8, end)))
        .and_then(|(start, end)| {
            let len = svg[start..end].find('"')?;
            svg[start..start + len].parse::<f64>().ok()
        });
    match width {
        Some(w) if svg.starts_with("<svg") => svg.replacen(
            "<svg",
            &format!("<svg style=\"min-width: {:.0}px\"", w * CHART_MIN_SCALE),
            1,
        ),
        _ => svg.to_string(),
    }
}

/// The SVG with a `viewBox`, so that CSS can scale it to the page width.
pub(crate) fn responsive(svg: &str) -> String {
    let svg = match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => return svg.to_string(),
    };
    if svg[..svg.find('>').unwrap_or(0)].contains("viewBox") {
        return svg.to_string();
    }
    let attr = |name: &str| -> Option<&str> {
        let head = &svg[..svg.find('>')?];
        let start = head.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = start + head[start..].find('"')?;
        Some(&head[start..end])
    };
    match (attr("width"), attr("height")) {
        (Some(w), Some(h)) => svg.replacen("<svg", &format!("<svg viewBox=\"0 0 {w} {h}\""), 1),
        _ => svg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_gets_a_view_box_once() {
        let svg = "<?xml version=\"1.0\"?>\n<svg width=\"800\" height=\"400\" xmlns=\"http://www.w3.org/2000/svg\"></svg>";
        let out = responsive(svg);
        assert!(out.starts_with("<svg viewBox=\"0 0 800 400\" width=\"800\""));
        assert_eq!(responsive(&out), out);
        assert!(legible(&out).starts_with("<svg style=\"min-width: 560px\" viewBox="));
    }
}
