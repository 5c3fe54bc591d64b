//! A sweep (`ccsim sweep`): one row per point in the terminal, as JSON and
//! CSV, and its chart.

use comfy_table::Cell;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::model::Channel;
use crate::model::duration::format_duration;
use crate::planning::sweep::Sweep;
use crate::stats::{Estimate, Metric, RunResults, Scope};

use super::run::html::{legible_svg, page_head};
use super::terminal::{
    Colour, align_numbers, group_thousands, number_ci, pct_ci, runs_note, seconds, table,
};
use super::{Figure, OutFile, Report, charts, csv, json};

/// The files of `--out DIR`; `{image}` is `svg` or `png`.
pub const FILES: [&str; 4] = ["sweep.json", "sweep.csv", "sweep.{image}", "report.html"];

impl Report for Sweep {
    fn terminal(&self, colour: Colour) -> String {
        render(self, colour)
    }

    fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        json::write_pretty(self, w)
    }

    fn csv(&self) -> Option<Vec<u8>> {
        Some(csv::sweep(self))
    }

    fn owns(&self, name: &str) -> bool {
        super::owned(&FILES, name)
    }

    fn files(&self) -> Vec<OutFile<'_>> {
        vec![
            OutFile::Json("sweep.json"),
            OutFile::Bytes("sweep.csv", csv::sweep(self)),
            OutFile::Charts("", vec![charts::of_sweep(self)]),
            OutFile::Page("report.html", Box::new(|figures| page(self, figures))),
        ]
    }
}

fn parameter_value(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// A column of the cost a sweep's points show beside the handling cost,
/// when some point has it (so that sweeps without them read as before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostColumn {
    /// `staff_cost` of the total: scheduled hours × hour_price.
    Staff,
    /// The pools' `extra_hours` together.
    ExtraHours,
    /// `extra_cost` of the total.
    ExtraCost,
    /// `total_cost`: handling + staff + extra support.
    Total,
}

impl CostColumn {
    /// The column's heading.
    pub fn header(self) -> &'static str {
        match self {
            CostColumn::Staff => "staff cost",
            CostColumn::ExtraHours => "extra hours",
            CostColumn::ExtraCost => "extra cost",
            CostColumn::Total => "total cost",
        }
    }

    /// The point's mean.
    pub fn mean(self, h: &RunResults) -> Option<f64> {
        self.estimate(h).and_then(|e| e.mean)
    }

    /// The point's estimate (the extra hours: the pools' summed, which do
    /// not vary between replications; `None` when no pool has any).
    pub fn estimate(self, h: &RunResults) -> Option<Estimate> {
        let total = |m| h.horizon(Scope::Total, m).copied();
        match self {
            CostColumn::Staff => total(Metric::StaffCost),
            CostColumn::ExtraCost => total(Metric::ExtraCost),
            CostColumn::Total => total(Metric::TotalCost),
            CostColumn::ExtraHours => {
                let pools: Vec<Estimate> = h
                    .pools()
                    .into_iter()
                    .filter_map(|p| h.horizon(Scope::Pool(p), Metric::ExtraHours).copied())
                    .collect();
                let first = *pools.first()?;
                let add = |f: fn(&Estimate) -> Option<f64>| pools.iter().map(f).sum();
                Some(Estimate {
                    mean: add(|e| e.mean),
                    ci_low: add(|e| e.ci_low),
                    ci_high: add(|e| e.ci_high),
                    ..Estimate::empty(first.n)
                })
            }
        }
    }

    /// A value as the terminal shows it: hours as a number, money in euro.
    pub fn show(self, x: f64) -> String {
        match self {
            CostColumn::ExtraHours => group_thousands(x.round()),
            _ => format!("€ {}", group_thousands(x)),
        }
    }
}

/// The cost columns some point of the sweep has, in order.
pub fn cost_columns(s: &Sweep) -> Vec<CostColumn> {
    [
        CostColumn::Staff,
        CostColumn::ExtraHours,
        CostColumn::ExtraCost,
        CostColumn::Total,
    ]
    .into_iter()
    .filter(|c| s.points.iter().any(|p| c.estimate(&p.horizon).is_some()))
    .collect()
}

/// The sweep for the terminal: per point, the total and per-channel
/// reachability with CI, the calls' service level and ASA, cost (with the
/// staff cost, the extra support's hours and cost and the total cost when
/// the scenario has them) and the pools' occupancy.
pub fn render(s: &Sweep, colour: Colour) -> String {
    let first = match s.points.first() {
        Some(p) => p,
        None => return "no points\n".to_string(),
    };
    let channels = first.horizon.channels();
    let live: Vec<Channel> = channels
        .iter()
        .copied()
        .filter(|&c| c != Channel::Email)
        .collect();
    let pools = first.horizon.pools();
    let mut header: Vec<String> = s.parameters.clone();
    header.push("total reachability [95% CI]".into());
    for c in &channels {
        header.push(format!("{} reachability", c.name()));
    }
    for c in &live {
        header.push(format!("{} service level", c.name()));
        header.push(format!("{} ASA", c.name()));
    }
    header.push("cost".into());
    let costs = cost_columns(s);
    header.extend(costs.iter().map(|c| c.header().to_string()));
    for &p in &pools {
        header.push(format!("{} occupancy", first.horizon.names.pools[p]));
    }
    let mut t = table(
        &header.iter().map(String::as_str).collect::<Vec<_>>(),
        colour,
    );
    let share = |e: Option<f64>| e.map_or("–".into(), |x| format!("{:.1}%", x * 100.0));
    for point in &s.points {
        let h = &point.horizon;
        let mean = |scope, metric| h.horizon(scope, metric).and_then(|e| e.mean);
        let mut row: Vec<Cell> = point
            .settings
            .values()
            .map(|&v| Cell::new(parameter_value(v)))
            .collect();
        let total = h.horizon(Scope::Total, Metric::Reachability);
        row.push(Cell::new(pct_ci(total) + &runs_note(total, s.replications)));
        for c in h.channels() {
            row.push(Cell::new(share(mean(
                Scope::Channel(c),
                Metric::Reachability,
            ))));
        }
        for &c in &live {
            row.push(Cell::new(share(mean(
                Scope::Channel(c),
                Metric::ServiceLevel,
            ))));
            row.push(Cell::new(
                mean(Scope::Channel(c), Metric::Asa).map_or("–".into(), format_duration),
            ));
        }
        row.push(Cell::new(
            mean(Scope::Total, Metric::Cost)
                .map_or("–".into(), |x| format!("€ {}", group_thousands(x))),
        ));
        for c in &costs {
            row.push(Cell::new(c.mean(h).map_or("–".into(), |x| c.show(x))));
        }
        for p in h.pools() {
            row.push(Cell::new(share(mean(Scope::Pool(p), Metric::Occupancy))));
        }
        t.add_row(row);
    }
    align_numbers(&mut t, 0);
    format!(
        "{} — sweep of {}, {} replications per point, seed {} (the same random numbers at every point)\n{t}\n",
        s.scenario,
        s.parameters.join(" × "),
        s.replications,
        s.seed
    )
}

/// `report.html`: what was swept, the chart, and every point's figures with
/// their 95% confidence intervals (the table of the terminal, with CIs).
pub fn page(s: &Sweep, figures: &[Figure]) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            (page_head(&format!("ccsim sweep: {}", s.scenario)))
            body {
                h1 { "Sweep: " (s.scenario) }
                div.scroll { table.meta {
                    tr { td { "Swept" } td { (s.parameters.join(" × ")) } }
                    tr { td { "Points" } td { (s.points.len()) } }
                    tr { td { "Replications" } td { (s.replications) " per point, seed " (s.seed) " at every point (the same random numbers: differences between points are the model's)" } }
                    tr { td { "ccsim" } td { "version " (s.ccsim_version) } }
                } }
                h2 { "Points" }
                p { "Each figure is the mean over the replications with its 95% confidence interval. Cost: handled seconds × the price per second (euro)."
                    @if !cost_columns(s).is_empty() { " Staff cost: scheduled hours of the pools' own agents × their hour_price; extra hours and cost: the temporary extra support; total cost: handling + staff + extra support." } }
                (points_table(s))
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

/// The points with their CIs: the parameters, reachability (total and per
/// channel), service level and ASA of calls and chats, the costs and the
/// pools' occupancy.
fn points_table(s: &Sweep) -> Markup {
    let Some(first) = s.points.first() else {
        return html! { p { "No points." } };
    };
    let channels = first.horizon.channels();
    let live: Vec<Channel> = channels
        .iter()
        .copied()
        .filter(|&c| c != Channel::Email)
        .collect();
    let pools = first.horizon.pools();
    let costs = cost_columns(s);
    html! {
        div.scroll { table {
            tr {
                @for p in &s.parameters { th { code { (p) } } }
                th { "total reachability" }
                @for c in &channels { th { (c.name()) " reachability" } }
                @for c in &live { th { (c.name()) " service level" } th { (c.name()) " ASA" } }
                th { "cost" }
                @for c in &costs { th { (c.header()) } }
                @for &p in &pools { th { (first.horizon.names.pools[p]) " occupancy" } }
            }
            @for point in &s.points {
                @let h = &point.horizon;
                @let e = |scope, m| h.horizon(scope, m);
                tr {
                    @for &v in point.settings.values() { td.n { (parameter_value(v)) } }
                    td.n { (pct_ci(e(Scope::Total, Metric::Reachability))) }
                    @for &c in &channels { td.n { (pct_ci(e(Scope::Channel(c), Metric::Reachability))) } }
                    @for &c in &live {
                        td.n { (pct_ci(e(Scope::Channel(c), Metric::ServiceLevel))) }
                        td.n { (seconds(e(Scope::Channel(c), Metric::Asa))) }
                    }
                    td.n { (number_ci(e(Scope::Total, Metric::Cost))) }
                    @for c in &costs { td.n { (number_ci(c.estimate(h).as_ref())) } }
                    @for &p in &pools { td.n { (pct_ci(e(Scope::Pool(p), Metric::Occupancy))) } }
                }
            }
        } }
    }
}
