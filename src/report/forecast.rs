//! A theme forecast (`ccsim forecast`): volumes, hours and cost in three
//! cases, reachability with no agents added, and the extra agents that keep
//! the base's reachability; in the terminal, as JSON and CSV, and its chart.

use comfy_table::Cell;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::model::Weekday;
use crate::planning::forecast::{BandFigure, ExtraAgents, Forecast};
use crate::stats::Estimate;

use super::run::html::{legible_svg, page_head};
use super::terminal::{Colour, align_numbers, group_thousands, table};
use super::{Figure, OutFile, Report, charts, csv, json};

/// The files of `--out DIR`; `{image}` is `svg` or `png`.
pub const FILES: [&str; 5] = [
    "forecast.json",
    "periods.csv",
    "extra_agents.csv",
    "forecast_weekly.{image}",
    "report.html",
];

impl Report for Forecast {
    fn terminal(&self, colour: Colour) -> String {
        render(self, colour)
    }

    fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        json::write_pretty(self, w)
    }

    fn csv(&self) -> Option<Vec<u8>> {
        Some(csv::periods(self))
    }

    fn owns(&self, name: &str) -> bool {
        super::owned(&FILES, name)
    }

    fn files(&self) -> Vec<OutFile<'_>> {
        vec![
            OutFile::Json("forecast.json"),
            OutFile::Bytes("periods.csv", csv::periods(self)),
            OutFile::Bytes("extra_agents.csv", csv::extra_agents(self)),
            OutFile::Charts("", charts::of_forecast(self)),
            OutFile::Page("report.html", Box::new(|figures| page(self, figures))),
        ]
    }
}

fn mean(e: &Estimate, euro: bool) -> String {
    match e.mean {
        Some(m) if euro => format!("€ {}", group_thousands(m.round())),
        Some(m) => group_thousands(m.round()),
        None => "–".to_string(),
    }
}

fn mean_ci(e: &Estimate, euro: bool) -> String {
    match (e.mean, e.ci_low, e.ci_high) {
        (Some(_), Some(l), Some(h)) => format!(
            "{} [{}, {}]",
            mean(e, euro),
            group_thousands(l.round()),
            group_thousands(h.round())
        ),
        _ => mean(e, euro),
    }
}

fn pct(e: &Estimate) -> String {
    e.mean
        .map_or("–".to_string(), |m| format!("{:.1}%", m * 100.0))
}

fn pp(x: f64) -> String {
    let sign = if x > 0.0005 {
        "+"
    } else if x < -0.0005 {
        "−"
    } else {
        ""
    };
    format!("{sign}{:.1}", (x * 100.0).abs())
}

fn diff_ci(e: &Estimate) -> String {
    match (e.mean, e.ci_low, e.ci_high) {
        (Some(m), Some(l), Some(h)) => format!("{} pp [{}, {}]", pp(m), pp(l), pp(h)),
        (Some(m), _, _) => format!("{} pp", pp(m)),
        _ => "–".to_string(),
    }
}

fn channel_label(c: &str) -> String {
    match c {
        "live" => "calls and chats".to_string(),
        other => other.to_string(),
    }
}

fn figure_rows(t: &mut comfy_table::Table, first: &[String], figures: &[&BandFigure]) {
    for b in figures {
        let euro = b.metric == "cost";
        let mut row: Vec<Cell> = first.iter().map(Cell::new).collect();
        row.push(Cell::new(channel_label(&b.channel)));
        row.push(Cell::new(mean(&b.low, euro)));
        row.push(Cell::new(mean_ci(&b.likely, euro)));
        row.push(Cell::new(mean(&b.high, euro)));
        t.add_row(row);
    }
}

/// The forecast for the terminal.
pub fn render(f: &Forecast, colour: Colour) -> String {
    let mut out = heading(f);
    out += &volumes(f);
    out += &horizon_table(f, colour);
    out += &period_tables(f, colour);
    out += &reachability_table(f, colour);
    out += &extra_agents(f, colour);
    out
}

/// What was forecast, on what, and how.
fn heading(f: &Forecast) -> String {
    let mut out = format!(
        "Forecast of theme \"{}\" ({}) on {}\nActive from {} to {} · served by {} · {} replications per run, seed {} (common random numbers)\n",
        f.theme,
        f.theme_file,
        f.base.label,
        f.start,
        f.end,
        f.served_by.join(", "),
        f.replications,
        f.seed
    );
    if !f.description.trim().is_empty() {
        out += &format!("{}\n", f.description.trim());
    }
    out
}

/// The volumes the theme file gives, per channel.
fn volumes(f: &Forecast) -> String {
    let mut out = "\nVolumes given (low / likely / high)\n".to_string();
    for v in &f.volumes {
        out += &format!(
            "  {:<6} {} / {} / {} {}\n",
            v.channel,
            group_thousands(v.low),
            group_thousands(v.likely),
            group_thousands(v.high),
            v.per.replace('_', " ")
        );
    }
    out += "\n";
    out
}

/// Contacts, handled hours and cost over the theme's active period.
fn horizon_table(f: &Forecast, colour: Colour) -> String {
    let mut t = table(
        &["figure", "channel", "low", "likely [95% CI]", "high"],
        colour,
    );
    for metric in ["contacts", "handled_hours", "cost"] {
        let rows: Vec<&BandFigure> = f.totals.iter().filter(|b| b.metric == metric).collect();
        let name = match metric {
            "contacts" => "contacts",
            "handled_hours" => "handled hours",
            _ => "cost",
        };
        figure_rows(&mut t, &[name.to_string()], &rows);
    }
    align_numbers(&mut t, 2);
    format!("The theme from {} to {}\n{t}\n\n", f.start, f.end)
}

/// Per month and per ISO week: contacts per channel, hours and cost in total.
fn period_tables(f: &Forecast, colour: Colour) -> String {
    let mut out = String::new();
    for (title, list) in [("month", &f.months), ("ISO week", &f.weeks)] {
        let mut t = table(
            &[title, "days", "figure", "low", "likely [95% CI]", "high"],
            colour,
        );
        for p in list.iter() {
            for b in p
                .figures
                .iter()
                .filter(|b| b.metric == "contacts" || b.channel == "total")
            {
                let euro = b.metric == "cost";
                let what = match (b.metric.as_str(), b.channel.as_str()) {
                    ("contacts", "total") => "contacts, total".to_string(),
                    ("contacts", c) => format!("{c}s"),
                    ("handled_hours", _) => "handled hours".to_string(),
                    _ => "cost".to_string(),
                };
                t.add_row(vec![
                    Cell::new(&p.period),
                    Cell::new(p.days),
                    Cell::new(what),
                    Cell::new(mean(&b.low, euro)),
                    Cell::new(mean_ci(&b.likely, euro)),
                    Cell::new(mean(&b.high, euro)),
                ]);
            }
        }
        align_numbers(&mut t, 3);
        out += &format!("The theme per {title}\n{t}\n\n");
    }
    out
}

/// Reachability with no agents added, against the base's.
fn reachability_table(f: &Forecast, colour: Colour) -> String {
    let mut t = table(
        &[
            "over",
            "channel",
            "base",
            "low",
            "likely",
            "high",
            "likely − base [95% CI]",
        ],
        colour,
    );
    for r in &f.reachability {
        t.add_row(vec![
            Cell::new(if r.over == "horizon" {
                "horizon".to_string()
            } else {
                format!("from {}", f.start)
            }),
            Cell::new(channel_label(&r.channel)),
            Cell::new(pct(&r.base)),
            Cell::new(pct(&r.low)),
            Cell::new(pct(&r.likely)),
            Cell::new(pct(&r.high)),
            Cell::new(diff_ci(&r.difference_likely)),
        ]);
    }
    align_numbers(&mut t, 2);
    format!(
        "Reachability of everyone if no agents are added (e-mail: picked up within its SLA; total: e-mails by deadline)\n{t}\n\n"
    )
}

/// The extra agents that keep the base's reachability: in the likely case
/// per weekday and time, then their hours (and cost) per week in every
/// case, then their simulated check.
fn extra_agents(f: &Forecast, colour: Colour) -> String {
    let mut out = String::new();
    let Some(likely) = f
        .extra_agents
        .iter()
        .find(|e| e.band == crate::planning::forecast::Band::Likely)
    else {
        return out;
    };
    out += &format!(
        "Extra agents to schedule in pool {} to keep the base's reachability (likely case; most in any week, before shrinkage {:.0}%)\n",
        likely.pool,
        likely.shrinkage * 100.0
    );
    out += &slot_table(likely, colour);
    out += &weekly_hours_table(f, likely, colour);
    out += &check_table(&f.extra_agents, colour);
    out += &cost_table(f, colour);
    out
}

/// The cost of one case: the theme's handling cost, the staff cost of its
/// extra agents and the two together.
pub struct CaseCost {
    /// `low`, `likely` or `high`.
    pub case: &'static str,
    /// The theme's contacts: handled seconds × its price per second.
    pub handling: Estimate,
    /// The extra agents' scheduled hours.
    pub agent_hours: f64,
    /// Those hours × the price of an agent hour.
    pub staff: f64,
}

/// Per case, the handling cost beside the extra agents' staff cost, when
/// the forecast has a price per agent hour (`None` without one).
pub fn case_costs(f: &Forecast) -> Option<Vec<CaseCost>> {
    let price = f.agent_hour_price?;
    let handling = f
        .totals
        .iter()
        .find(|b| b.metric == "cost" && b.channel == "total")?;
    Some(
        f.extra_agents
            .iter()
            .map(|e| CaseCost {
                case: e.band.name(),
                handling: match e.band {
                    crate::planning::forecast::Band::Low => handling.low,
                    crate::planning::forecast::Band::Likely => handling.likely,
                    crate::planning::forecast::Band::High => handling.high,
                },
                agent_hours: e.agent_hours,
                staff: e.agent_hours * price,
            })
            .collect(),
    )
}

/// Where the price of an agent hour comes from, in words.
pub fn price_source(f: &Forecast) -> String {
    match (&f.agent_hour_price, &f.agent_hour_price_from) {
        (Some(p), Some(from)) => format!("€ {p} per agent hour, the scenario's {from}"),
        (Some(p), None) => format!("€ {p} per agent hour, --agent-hour-price"),
        _ => String::new(),
    }
}

/// The theme's handling cost beside the staff cost of its extra agents.
fn cost_table(f: &Forecast, colour: Colour) -> String {
    let Some(costs) = case_costs(f) else {
        return String::new();
    };
    let mut t = table(
        &[
            "case",
            "handling [95% CI]",
            "extra agent hours",
            "staff cost",
            "total",
        ],
        colour,
    );
    for c in &costs {
        t.add_row(vec![
            Cell::new(c.case),
            Cell::new(mean_ci(&c.handling, true)),
            Cell::new(format!("{} h", group_thousands(c.agent_hours.round()))),
            Cell::new(format!("€ {}", group_thousands(c.staff.round()))),
            Cell::new(c.handling.mean.map_or("–".into(), |h| {
                format!("€ {}", group_thousands((h + c.staff).round()))
            })),
        ]);
    }
    align_numbers(&mut t, 1);
    format!(
        "\nCost of the theme from {} to {}: handling (its handled seconds × price per second) and staff (extra agent hours × {})\n{t}\n",
        f.start,
        f.end,
        price_source(f)
    )
}

/// The most extra agents in any week, per time of day and weekday.
fn slot_table(likely: &ExtraAgents, colour: Colour) -> String {
    let days: Vec<Weekday> = Weekday::ALL
        .into_iter()
        .filter(|w| likely.by_slot.iter().any(|s| s.weekday == w.name()))
        .collect();
    let mut starts: Vec<String> = likely.by_slot.iter().map(|s| s.start.clone()).collect();
    starts.sort();
    starts.dedup();
    if starts.is_empty() {
        return "  none: the base's staffing keeps its reachability with the theme\n\n".to_string();
    }
    let mut header = vec!["time"];
    header.extend(days.iter().map(|w| w.name()));
    let mut t = table(&header, colour);
    for s in &starts {
        let mut row = vec![Cell::new(s)];
        for w in &days {
            let v = likely
                .by_slot
                .iter()
                .find(|x| &x.start == s && x.weekday == w.name())
                .map_or(0, |x| x.max);
            row.push(Cell::new(if v == 0 {
                "·".to_string()
            } else {
                v.to_string()
            }));
        }
        t.add_row(row);
    }
    align_numbers(&mut t, 1);
    format!("{t}\n")
}

/// Extra agent hours (and their cost) per ISO week of the likely case, in
/// every case, and in total.
fn weekly_hours_table(f: &Forecast, likely: &ExtraAgents, colour: Colour) -> String {
    let price = f.agent_hour_price;
    let mut header = vec!["ISO week"];
    header.extend(f.extra_agents.iter().map(|e| e.band.name()));
    let mut t = table(&header, colour);
    for w in likely.weeks.iter().map(|w| &w.week) {
        let mut row = vec![Cell::new(w)];
        for e in &f.extra_agents {
            let h = e
                .weeks
                .iter()
                .find(|x| &x.week == w)
                .map_or(0.0, |x| x.agent_hours);
            row.push(Cell::new(hours_cost(h, price)));
        }
        t.add_row(row);
    }
    let mut row = vec![Cell::new("total")];
    for e in &f.extra_agents {
        row.push(Cell::new(hours_cost(e.agent_hours, price)));
    }
    t.add_row(row);
    align_numbers(&mut t, 1);
    format!(
        "Extra agent hours per week{}\n{t}\n\n",
        if price.is_some() {
            " and their cost"
        } else {
            " (give --agent-hour-price for their cost)"
        }
    )
}

fn hours_cost(h: f64, price: Option<f64>) -> String {
    match price {
        Some(p) => format!(
            "{} h · € {}",
            group_thousands(h.round()),
            group_thousands((h * p).round())
        ),
        None => format!("{} h", group_thousands(h.round())),
    }
}

fn check_table(list: &[ExtraAgents], colour: Colour) -> String {
    let mut t = table(
        &[
            "case",
            "Erlang A first guess",
            "after check",
            "checks",
            "reachability from start: base → with extra",
            "difference [95% CI]",
            "kept?",
        ],
        colour,
    );
    for e in list {
        let row = e
            .check
            .iter()
            .find(|r| r.over == "active" && r.channel == "total");
        t.add_row(vec![
            Cell::new(e.band.name()),
            Cell::new(format!(
                "{} h",
                group_thousands(e.erlang_agent_hours.round())
            )),
            Cell::new(format!("{} h", group_thousands(e.agent_hours.round()))),
            Cell::new(e.checks),
            Cell::new(row.map_or("–".to_string(), |r| {
                format!("{} → {}", pct(&r.base), pct(&r.with_extra))
            })),
            Cell::new(row.map_or("–".to_string(), |r| diff_ci(&r.difference))),
            Cell::new(if e.reached {
                "yes".to_string()
            } else {
                format!("short in {}", e.short_slots.join(", "))
            }),
        ]);
    }
    align_numbers(&mut t, 1);
    format!(
        "Simulated check of the extra agents (paired with the base; kept = no interval of the week significantly below the base)\n{t}\n"
    )
}

/// `report.html`: what was forecast, the theme's figures in the three
/// cases, everyone's reachability without agents added, the extra agents
/// (per week, checked by simulation), the cost and the chart.
pub fn page(f: &Forecast, figures: &[Figure]) -> String {
    let bands = |b: &BandFigure| -> Markup {
        let euro = b.metric == "cost";
        html! {
            td.n { (mean(&b.low, euro)) }
            td.n { (mean_ci(&b.likely, euro)) }
            td.n { (mean(&b.high, euro)) }
        }
    };
    let price = f.agent_hour_price;
    html! {
        (DOCTYPE)
        html lang="en" {
            (page_head(&format!("ccsim forecast: {}", f.theme)))
            body {
                h1 { "Forecast: " (f.theme) }
                @if !f.description.trim().is_empty() { p { (f.description.trim()) } }
                div.scroll { table.meta {
                    tr { td { "Theme file" } td { code { (f.theme_file) } } }
                    tr { td { "Base" } td { code { (f.base.label) } } }
                    tr { td { "Active" } td { "from " (f.start) " to " (f.end) } }
                    tr { td { "Served by" } td { (f.served_by.join(", ")) } }
                    tr { td { "Replications" } td { (f.replications) " per run, seed " (f.seed) " (common random numbers)" } }
                    @if price.is_some() { tr { td { "Agent hour" } td { (price_source(f)) } } }
                    tr { td { "ccsim" } td { "version " (f.ccsim_version) } }
                } }
                h2 { "Volumes given" }
                div.scroll { table {
                    tr { th { "channel" } th { "low" } th { "likely" } th { "high" } th { "per" } }
                    @for v in &f.volumes {
                        tr { td { (v.channel) } td.n { (group_thousands(v.low)) } td.n { (group_thousands(v.likely)) } td.n { (group_thousands(v.high)) } td { (v.per.replace('_', " ")) } }
                    }
                } }
                h2 { "The theme from " (f.start) " to " (f.end) }
                div.scroll { table {
                    tr { th { "figure" } th { "channel" } th { "low" } th { "likely [95% CI]" } th { "high" } }
                    @for b in &f.totals {
                        tr { td { (b.metric.replace('_', " ")) } td { (channel_label(&b.channel)) } (bands(b)) }
                    }
                } }
                p { small { "Cost: the theme's handled seconds × its price per second (euro)." } }
                h2 { "Reachability of everyone if no agents are added" }
                div.scroll { table {
                    tr { th { "over" } th { "channel" } th { "base" } th { "low" } th { "likely" } th { "high" } th { "likely − base [95% CI]" } }
                    @for r in &f.reachability {
                        tr {
                            td { @if r.over == "horizon" { "horizon" } @else { "from " (f.start) } }
                            td { (channel_label(&r.channel)) }
                            td.n { (pct(&r.base)) } td.n { (pct(&r.low)) } td.n { (pct(&r.likely)) } td.n { (pct(&r.high)) }
                            td.n { (diff_ci(&r.difference_likely)) }
                        }
                    }
                } }
                h2 { "Extra agents" }
                p { "The extra agents (scheduled, before shrinkage) that keep the base's reachability, first estimated with Erlang A, then checked by simulation and raised where it fell short." }
                div.scroll { table {
                    tr { th { "case" } th { "pool" } th { "Erlang A first guess" } th { "after check" } th { "checks" } th { "kept?" } }
                    @for e in &f.extra_agents {
                        tr {
                            td { (e.band.name()) } td { (e.pool) }
                            td.n { (group_thousands(e.erlang_agent_hours.round())) " h" }
                            td.n { (group_thousands(e.agent_hours.round())) " h" }
                            td.n { (e.checks) }
                            td { @if e.reached { "yes" } @else { "short in " (e.short_slots.join(", ")) } }
                        }
                    }
                } }
                @if let Some(likely) = f.extra_agents.iter().find(|e| e.band == crate::planning::forecast::Band::Likely) {
                    div.scroll { table {
                        tr { th { "ISO week" } @for e in &f.extra_agents { th { (e.band.name()) } } }
                        @for w in likely.weeks.iter().map(|w| &w.week) {
                            tr {
                                td { (w) }
                                @for e in &f.extra_agents {
                                    td.n { (hours_cost(e.weeks.iter().find(|x| &x.week == w).map_or(0.0, |x| x.agent_hours), price)) }
                                }
                            }
                        }
                        tr { td { b { "total" } } @for e in &f.extra_agents { td.n { (hours_cost(e.agent_hours, price)) } } }
                    } }
                }
                @if let Some(costs) = case_costs(f) {
                    h2 { "Cost" }
                    p { "Handling: the theme's handled seconds × its price per second; staff: the extra agent hours × " (price_source(f)) "." }
                    div.scroll { table.cost {
                        tr { th { "case" } th { "handling [95% CI]" } th { "extra agent hours" } th { "staff cost" } th { "total" } }
                        @for c in &costs {
                            tr {
                                td { (c.case) }
                                td.n { (mean_ci(&c.handling, true)) }
                                td.n { (group_thousands(c.agent_hours.round())) " h" }
                                td.n { "€ " (group_thousands(c.staff.round())) }
                                td.n { (c.handling.mean.map_or("–".into(), |h| format!("€ {}", group_thousands((h + c.staff).round())))) }
                            }
                        }
                    } }
                }
                h2 { "Charts" }
                @for fig in figures {
                    figure aria-label=(fig.title) {
                        div.scroll { (PreEscaped(legible_svg(&fig.svg))) }
                        figcaption { (fig.caption) }
                    }
                }
                p { small { "Made with ccsim, an open-source contact-center simulator." } }
            }
        }
    }
    .into_string()
}
