//! The terminal summary: aligned tables a planner reads at a glance.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};

use crate::model::duration::format_duration;
use crate::stats::Estimate;

use super::summary::{MetricMap, Summary};

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
    let live: Vec<_> = h
        .channels
        .iter()
        .filter(|(c, _)| c.as_str() != "email")
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
    let channels: Vec<&String> = h.channels.keys().collect();
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
        if d.figures
            .channels
            .values()
            .all(|m| m.get("offered").and_then(|e| e.mean).unwrap_or(0.0) == 0.0)
        {
            continue;
        }
        let mut row = vec![Cell::new(&d.date), Cell::new(&d.weekday)];
        for c in &channels {
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
    out += &format!("Reachability per day\n{t}\n\n");
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
