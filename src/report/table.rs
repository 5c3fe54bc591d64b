//! The terminal summary: aligned tables a planner reads at a glance.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};

use crate::model::duration::format_duration;
use crate::stats::Estimate;

use super::summary::{HourFigures, MetricMap, Summary, WeekdayFigures};

pub(crate) fn pct(e: Option<&Estimate>) -> String {
    match e.and_then(|e| e.mean) {
        Some(m) => format!("{:.1}%", m * 100.0),
        None => "–".to_string(),
    }
}

pub(crate) fn pct_ci(e: Option<&Estimate>) -> String {
    match e {
        Some(Estimate {
            mean: Some(m),
            ci_low: Some(l),
            ci_high: Some(h),
            ..
        }) => format!("{:.1}% [{:.1}, {:.1}]", m * 100.0, l * 100.0, h * 100.0),
        other => pct(other),
    }
}

pub(crate) fn count(e: Option<&Estimate>) -> String {
    match e.and_then(|e| e.mean) {
        Some(m) => group_thousands(m.round()),
        None => "–".to_string(),
    }
}

pub(crate) fn seconds(e: Option<&Estimate>) -> String {
    match e.and_then(|e| e.mean) {
        Some(m) => format_duration(m),
        None => "–".to_string(),
    }
}

pub(crate) fn number(e: Option<&Estimate>, decimals: usize) -> String {
    match e.and_then(|e| e.mean) {
        Some(m) if decimals == 0 => group_thousands(m.round()),
        Some(m) => format!("{m:.decimals$}"),
        None => "–".to_string(),
    }
}

/// A whole amount with its 95% CI: `2,520 [2,480, 2,560]`.
pub(crate) fn number_ci(e: Option<&Estimate>) -> String {
    match e {
        Some(Estimate {
            mean: Some(m),
            ci_low: Some(l),
            ci_high: Some(h),
            ..
        }) => format!(
            "{} [{}, {}]",
            group_thousands(m.round()),
            group_thousands(l.round()),
            group_thousands(h.round())
        ),
        other => number(other, 0),
    }
}

/// `1234567` as `1,234,567`.
pub fn group_thousands(x: f64) -> String {
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if x < 0.0 { format!("-{out}") } else { out }
}

/// Colours on or off, decided once by the caller (a terminal that wants them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// Bold headers; reachability green or red against the scenario's target.
    On,
    /// Plain text, for pipes, files and `NO_COLOR`.
    Off,
}

/// A table with the house style, for the other terminal views.
pub(crate) fn new_table(header: &[&str], colour: Colour) -> Table {
    table(header, colour)
}

fn table(header: &[&str], colour: Colour) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(
            header
                .iter()
                .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
        );
    match colour {
        Colour::On => t.enforce_styling(),
        Colour::Off => t.force_no_tty(),
    };
    t
}

/// A reachability cell with its CI, green when the whole interval meets the
/// target, red when the whole interval misses it, plain otherwise.
fn against_target(e: Option<&Estimate>, target: Option<f64>) -> Cell {
    let cell = Cell::new(pct_ci(e));
    match (e, target) {
        (
            Some(Estimate {
                ci_low: Some(l),
                ci_high: Some(h),
                ..
            }),
            Some(t),
        ) => {
            if *l >= t {
                cell.fg(Color::Green)
            } else if *h < t {
                cell.fg(Color::Red)
            } else {
                cell.fg(Color::Yellow)
            }
        }
        _ => cell,
    }
}

pub(crate) fn align_numbers(t: &mut Table, from: usize) {
    for i in from..t.column_count() {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
}

/// The warning a partial result carries, in the terminal and the report.
pub fn partial_notice(summary: &Summary) -> String {
    format!(
        "PARTIAL RESULT: the run was stopped after {} of {} replications; the figures come from replications 0 to {} only.",
        summary.replications,
        summary.replications_requested,
        summary.replications.saturating_sub(1)
    )
}

/// The terminal summary of a run: channels, e-mail, days, pools, themes.
pub fn render(summary: &Summary, colour: Colour) -> String {
    let mut out = String::new();
    let s = &summary.scenario;
    out += &format!(
        "{} — {} days from {}, {} replications, seed {}\n\n",
        s.name, s.days, s.start, summary.replications, summary.seed
    );
    if summary.partial {
        out += &partial_notice(summary);
        out += "\n\n";
    }
    let h = &summary.horizon;
    let get = |m: &MetricMap, k: &str| m.get(k).copied();
    let target = |c: &str| s.targets.reachability.get(c).copied();
    // Visits have a table of their own: a counter is not a phone line.
    let live: Vec<_> = h
        .channels
        .iter()
        .filter(|(c, _)| !matches!(c.as_str(), "email" | "visit"))
        .collect();
    if !live.is_empty() {
        // Busy signals only exist on lines with a `max_queue`.
        let any = |key: &str| {
            live.iter()
                .any(|(_, m)| m.get(key).and_then(|e| e.mean).unwrap_or(0.0) > 0.0)
        };
        let any_blocked = any("blocked");
        // Announcements and callbacks only exist on lines that have them.
        let any_sent_away = any("sent_away");
        let any_callbacks = any("callbacks");
        let mut header = vec![
            "channel",
            "offered",
            "answered",
            "reachability [95% CI]",
            "service level",
            "ASA",
            "wait P90",
            "abandoned",
            "closed out",
        ];
        if any_blocked {
            header.push("blocked");
        }
        if any_sent_away {
            header.push("sent away");
        }
        if any_callbacks {
            header.extend(["callbacks (made)", "callback delay"]);
        }
        let mut t = table(&header, colour);
        for (c, m) in &live {
            let mut row = vec![
                Cell::new(c),
                Cell::new(count(get(m, "offered").as_ref())),
                Cell::new(count(get(m, "answered").as_ref())),
                against_target(get(m, "reachability").as_ref(), target(c)),
                Cell::new(pct(get(m, "service_level").as_ref())),
                Cell::new(seconds(get(m, "asa").as_ref())),
                Cell::new(seconds(get(m, "wait_p90").as_ref())),
                Cell::new(pct(get(m, "abandon_share").as_ref())),
                Cell::new(count(get(m, "closed_out").as_ref())),
            ];
            if any_blocked {
                row.push(Cell::new(count(get(m, "blocked").as_ref())));
            }
            if any_sent_away {
                row.push(Cell::new(count(get(m, "sent_away").as_ref())));
            }
            if any_callbacks {
                row.push(Cell::new(format!(
                    "{} ({})",
                    count(get(m, "callbacks").as_ref()),
                    count(get(m, "callbacks_made").as_ref())
                )));
                row.push(Cell::new(seconds(get(m, "callback_delay").as_ref())));
            }
            t.add_row(row);
        }
        align_numbers(&mut t, 1);
        out += &format!("Calls and chats over the horizon (mean of replications)\n{t}\n\n");
        if live.iter().any(|(_, m)| m.contains_key("callers")) {
            let mut t = table(
                &[
                    "channel",
                    "callers",
                    "attempts",
                    "redials",
                    "attempts per caller",
                    "per attempt: reachability",
                    "per caller: reached [95% CI]",
                ],
                colour,
            );
            for (c, m) in &live {
                t.add_row(vec![
                    Cell::new(c),
                    Cell::new(count(get(m, "callers").as_ref())),
                    Cell::new(count(get(m, "offered").as_ref())),
                    Cell::new(count(get(m, "redials").as_ref())),
                    Cell::new(number(get(m, "attempts_per_caller").as_ref(), 2)),
                    Cell::new(pct_ci(get(m, "reachability").as_ref())),
                    Cell::new(pct_ci(get(m, "caller_reachability").as_ref())),
                ]);
            }
            align_numbers(&mut t, 1);
            out += &format!(
                "Callers and attempts: the published reachability counts attempts; the caller view \
                 counts each person once\n{t}\n\n"
            );
        }
    }
    if let Some(m) = h.channels.get("email") {
        let backlog: Vec<f64> = summary
            .days
            .iter()
            .filter_map(|d| d.figures.channels.get("email")?.get("backlog")?.mean)
            .collect();
        let mean_backlog = if backlog.is_empty() {
            f64::NAN
        } else {
            backlog.iter().sum::<f64>() / backlog.len() as f64
        };
        let max_backlog = backlog.iter().copied().fold(f64::NAN, f64::max);
        let mut t = table(
            &[
                "channel",
                "received",
                "picked up",
                "within SLA [95% CI]",
                "mean pick-up delay",
                "end-of-day backlog (mean / worst day)",
            ],
            colour,
        );
        t.add_row(vec![
            Cell::new("email"),
            Cell::new(count(get(m, "offered").as_ref())),
            Cell::new(count(get(m, "answered").as_ref())),
            against_target(get(m, "reachability").as_ref(), target("email")),
            Cell::new(seconds(get(m, "asa").as_ref())),
            Cell::new(format!(
                "{} / {}",
                group_thousands(mean_backlog),
                group_thousands(max_backlog)
            )),
        ]);
        align_numbers(&mut t, 1);
        out += &format!("E-mail\n{t}\n\n");
    }
    if h.channels.contains_key("visit") {
        out += &front_desk(summary, colour);
    }
    // Nearly every visitor who checks in is served: a visit column would
    // read 100% day after day, so the weekday table speaks for visits.
    let channels: Vec<&String> = h.channels.keys().filter(|c| *c != "visit").collect();
    if !channels.is_empty() {
        out += &reachability_per_day(summary, &channels, colour);
    }
    // Absences and extra support get columns only when some pool has them.
    let any = |k: &str| h.pools.values().any(|m| m.contains_key(k));
    let (absences, extra) = (any("absent_hours"), any("extra_hours"));
    let mut header = vec!["pool", "occupancy [95% CI]", "agent hours", "busy hours"];
    if absences || extra {
        header.push("scheduled hours");
    }
    if absences {
        header.push("absent hours");
    }
    if extra {
        header.extend(["extra hours", "extra cost"]);
    }
    let mut t = table(&header, colour);
    for (p, m) in &h.pools {
        let mut row = vec![
            p.clone(),
            pct_ci(get(m, "occupancy").as_ref()),
            number(get(m, "agent_hours").as_ref(), 0),
            number(get(m, "busy_hours").as_ref(), 0),
        ];
        if absences || extra {
            row.push(number(get(m, "scheduled_hours").as_ref(), 0));
        }
        if absences {
            row.push(number(get(m, "absent_hours").as_ref(), 0));
        }
        if extra {
            row.push(number(get(m, "extra_hours").as_ref(), 0));
            row.push(number(get(m, "extra_cost").as_ref(), 0));
        }
        t.add_row(row);
    }
    align_numbers(&mut t, 1);
    out += &format!("Agent pools\n{t}\n\n");
    let mut t = table(
        &[
            "theme",
            "channel",
            "offered",
            "reachability",
            "handled hours",
            "cost",
        ],
        colour,
    );
    for (theme, per_channel) in &h.themes {
        for (c, m) in per_channel {
            t.add_row(vec![
                theme.clone(),
                c.clone(),
                count(get(m, "offered").as_ref()),
                pct(get(m, "reachability").as_ref()),
                number(get(m, "handled_hours").as_ref(), 0),
                number(get(m, "cost").as_ref(), 0),
            ]);
        }
    }
    t.add_row(vec![
        Cell::new("total").add_attribute(Attribute::Bold),
        Cell::new(""),
        Cell::new(count(get(&h.total, "offered").as_ref())),
        against_target(get(&h.total, "reachability").as_ref(), target("total")),
        Cell::new(number(get(&h.total, "handled_hours").as_ref(), 0)),
        Cell::new(number(get(&h.total, "cost").as_ref(), 0)),
    ]);
    align_numbers(&mut t, 2);
    out += &format!("Themes: handled hours and cost (EUR at the scenario's unit prices)\n{t}\n");
    if let Some(e) = h.total.get("extra_cost") {
        out += &format!(
            "\nExtra support cost: {} (EUR, mean [95% CI]; not included in the cost above)\n",
            number_ci(Some(e))
        );
    }
    out
}

/// Reachability per day of `channels`, days without any of their contacts
/// left out.
fn reachability_per_day(summary: &Summary, channels: &[&String], colour: Colour) -> String {
    let target = |c: &str| summary.scenario.targets.reachability.get(c).copied();
    let mut header = vec!["date".to_string(), "day".to_string()];
    header.extend(
        channels
            .iter()
            .map(|c| format!("{c} reachability [95% CI]")),
    );
    let mut t = table(
        &header.iter().map(String::as_str).collect::<Vec<_>>(),
        colour,
    );
    for d in &summary.days {
        let offered = |c: &&String| {
            d.figures
                .channels
                .get(*c)
                .and_then(|m| m.get("offered")?.mean)
                .unwrap_or(0.0)
        };
        if channels.iter().all(|c| offered(c) == 0.0) {
            continue;
        }
        let mut row = vec![Cell::new(&d.date), Cell::new(&d.weekday)];
        for c in channels {
            row.push(against_target(
                d.figures
                    .channels
                    .get(*c)
                    .and_then(|m| m.get("reachability")),
                target(c),
            ));
        }
        t.add_row(row);
    }
    align_numbers(&mut t, 2);
    format!("Reachability per day\n{t}\n\n")
}

/// The busiest clock hour of a weekday and its share of that weekday's
/// visits, `18:00 (16.4%)`; the earlier hour on a tie.
pub(crate) fn busiest_hour(day: &WeekdayFigures) -> String {
    fn share(h: &HourFigures) -> Option<&Estimate> {
        h.figures.channels.get("visit")?.get("visit_share")
    }
    let mut best: Option<(&HourFigures, f64)> = None;
    for h in &day.hours {
        if let Some(m) = share(h).and_then(|e| e.mean)
            && best.is_none_or(|(_, b)| m > b)
        {
            best = Some((h, m));
        }
    }
    match best {
        Some((h, _)) => format!("{} ({})", h.start, pct(share(h))),
        None => "–".to_string(),
    }
}

/// A table as text, for the terminal and the HTML report alike.
pub(crate) struct TextTable {
    /// Column titles.
    pub header: Vec<String>,
    /// The rows, each as wide as the header.
    pub rows: Vec<Vec<String>>,
    /// Whether the last row is a total (bold).
    pub total: bool,
}

impl TextTable {
    /// The table in the terminal's house style, numbers right-aligned from
    /// column `from`.
    fn render(&self, colour: Colour, from: usize) -> Table {
        let header: Vec<&str> = self.header.iter().map(String::as_str).collect();
        let mut t = table(&header, colour);
        for (i, row) in self.rows.iter().enumerate() {
            let bold = self.total && i + 1 == self.rows.len();
            t.add_row(row.iter().enumerate().map(|(j, x)| {
                let cell = Cell::new(x);
                if bold && j == 0 {
                    cell.add_attribute(Attribute::Bold)
                } else {
                    cell
                }
            }));
        }
        align_numbers(&mut t, from);
        t
    }
}

/// Visits per product (theme on the visit channel) and in total over the
/// horizon; `None` without visits. The appointment columns come with a
/// book, the deflection column only when some product sends citizens to
/// the digital counter.
pub(crate) fn front_desk_table(summary: &Summary) -> Option<TextTable> {
    let h = &summary.horizon;
    let visit = h.channels.get("visit")?;
    let booked = visit.contains_key("booked");
    let deflected = visit
        .get("deflected")
        .and_then(|e| e.mean)
        .is_some_and(|m| m > 0.0);
    let mut header = vec!["product"];
    if booked {
        header.extend(["booked", "no-shows"]);
    }
    if deflected {
        header.push("deflected");
    }
    header.extend(["visitors", "served", "closed out", "mean wait", "P90 wait"]);
    if booked {
        header.push("served before appointment");
    }
    header.push("transaction time");
    let row = |name: &str, m: &MetricMap| {
        let get = |k: &str| m.get(k);
        let mut row = vec![name.to_string()];
        if booked {
            row.push(count(get("booked")));
            row.push(count(get("no_shows")));
        }
        if deflected {
            row.push(count(get("deflected")));
        }
        row.extend([
            count(get("offered")),
            count(get("answered")),
            count(get("closed_out")),
            seconds(get("asa")),
            seconds(get("wait_p90")),
        ]);
        if booked {
            row.push(pct(get("served_early")));
        }
        row.push(seconds(get("transaction_time")));
        row
    };
    let mut rows: Vec<Vec<String>> = h
        .themes
        .iter()
        .filter_map(|(product, per_channel)| Some(row(product, per_channel.get("visit")?)))
        .collect();
    rows.push(row("total", visit));
    Some(TextTable {
        header: header.into_iter().map(String::from).collect(),
        rows,
        total: true,
    })
}

/// The occupancy over the horizon of each pool that serves visits, with its
/// 95% CI: `("desks", "31.6% [31.5, 31.7]")`.
pub(crate) fn desk_utilisation(summary: &Summary) -> Vec<(String, String)> {
    summary
        .visit_pools()
        .into_iter()
        .filter_map(|p| {
            let e = summary.horizon.pools.get(&p)?.get("occupancy")?;
            let text = pct_ci(Some(e));
            Some((p, text))
        })
        .collect()
}

/// Visits by weekday over the horizon: how many, their share of the week
/// with its 95% CI, the waits, the desks' utilisation and the busiest hour;
/// `None` without weekday figures.
pub(crate) fn weekday_table(summary: &Summary) -> Option<TextTable> {
    if summary.weekdays.is_empty() {
        return None;
    }
    let pools = summary.visit_pools();
    let mut header: Vec<String> = [
        "weekday",
        "days",
        "visitors",
        "share of visits [95% CI]",
        "mean wait",
        "P90 wait",
    ]
    .map(String::from)
    .to_vec();
    match pools.as_slice() {
        [_] => header.push("desk utilisation".to_string()),
        _ => header.extend(pools.iter().map(|p| format!("{p} utilisation"))),
    }
    header.push("busiest hour".to_string());
    let rows = summary
        .weekdays
        .iter()
        .map(|w| {
            let v = w.figures.channels.get("visit");
            let metric = |k: &str| v.and_then(|m| m.get(k));
            let mut row = vec![
                w.weekday.clone(),
                w.days.to_string(),
                count(metric("offered")),
                pct_ci(metric("visit_share")),
                seconds(metric("asa")),
                seconds(metric("wait_p90")),
            ];
            for p in &pools {
                row.push(pct(w.figures.pools.get(p).and_then(|m| m.get("occupancy"))));
            }
            row.push(busiest_hour(w));
            row
        })
        .collect();
    Some(TextTable {
        header,
        rows,
        total: false,
    })
}

/// The front desk in the terminal: visits per product over the horizon, the
/// desks' utilisation, and the week day by day.
fn front_desk(summary: &Summary, colour: Colour) -> String {
    let Some(products) = front_desk_table(summary) else {
        return String::new();
    };
    let mut out = format!(
        "Front desk (visits) over the horizon (mean of replications)\n{}\n",
        products.render(colour, 1)
    );
    let utilisation: Vec<String> = desk_utilisation(summary)
        .into_iter()
        .map(|(p, u)| format!("{p} {u}"))
        .collect();
    if !utilisation.is_empty() {
        out += &format!(
            "Utilisation of the desks (pools that serve visits, [95% CI]): {}\n",
            utilisation.join(", ")
        );
    }
    out += "\n";
    if let Some(week) = weekday_table(summary) {
        out += &format!(
            "Visits by weekday over the horizon (busiest hour: the clock hour with the largest share of that weekday's visits)\n{}\n\n",
            week.render(colour, 1)
        );
    }
    out
}
