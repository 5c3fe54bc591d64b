//! The run's tables: for the terminal, and (the front desk's) for the page.

use std::cell::Cell as Flag;

use comfy_table::{Attribute, Cell};

use crate::model::Channel;
use crate::stats::results::{WeekdayPeriod, hour_label};
use crate::stats::{Estimate, Level, Metric, RunResults, Scope};

use crate::report::terminal::{
    Colour, RUNS_NOTE, TextTable, align_numbers, count, group_thousands, number, number_ci, pct,
    pct_ci, runs_note, seconds, table,
};

/// Writes figures with how many replications define them when fewer than
/// all do ([`runs_note`]), and remembers whether it did, for the note under
/// the tables.
struct Marks {
    replications: u32,
    used: Flag<bool>,
}

impl Marks {
    fn of(results: &RunResults) -> Marks {
        Marks {
            replications: results.run.replications,
            used: Flag::new(false),
        }
    }

    /// `show(e)`, marked.
    fn show(&self, show: fn(Option<&Estimate>) -> String, e: Option<&Estimate>) -> String {
        show(e) + &self.note(e)
    }

    fn note(&self, e: Option<&Estimate>) -> String {
        let note = runs_note(e, self.replications);
        if !note.is_empty() {
            self.used.set(true);
        }
        note
    }

    /// A reachability cell against its target, marked.
    fn against_target(&self, e: Option<&Estimate>, target: Option<f64>) -> Cell {
        self.note(e);
        crate::report::terminal::against_target(e, target, self.replications)
    }
}

/// The warning a partial result carries, in the terminal and the report.
pub fn partial_notice(results: &RunResults) -> String {
    let run = &results.run;
    format!(
        "PARTIAL RESULT: the run was stopped after {} of {} replications; the figures come from replications 0 to {} only.",
        run.replications,
        run.replications_requested,
        run.replications.saturating_sub(1)
    )
}

/// "1 replication", "20 replications".
pub fn replications(n: u32) -> String {
    match n {
        1 => "1 replication".to_string(),
        n => format!("{n} replications"),
    }
}

/// The terminal summary of a run: channels, e-mail, days, pools, themes.
/// It reads only the figures [`Entry::in_run_summary`] selects: a run that
/// writes no file summarises no others.
pub fn render(results: &RunResults, colour: Colour) -> String {
    let mut out = String::new();
    let s = &results.scenario;
    out += &format!(
        "{} — {} days from {}, {}, seed {}\n\n",
        s.name,
        s.days,
        s.start,
        replications(results.run.replications),
        results.run.seed
    );
    if results.run.partial {
        out += &partial_notice(results);
        out += "\n\n";
    }
    if let Some(p) = &results.precision {
        out += &p.message();
        out += "\n\n";
    }
    let marks = Marks::of(results);
    // Visits have a table of their own: a counter is not a phone line.
    let live: Vec<Channel> = results
        .channels()
        .into_iter()
        .filter(|c| !matches!(c, Channel::Email | Channel::Visit))
        .collect();
    if !live.is_empty() {
        out += &live_table(results, &live, &marks, colour);
    }
    if results.has_channel(Channel::Email) {
        out += &email_table(results, &marks, colour);
    }
    if results.has_channel(Channel::Visit) {
        out += &front_desk(results, colour);
    }
    // Nearly every visitor who checks in is served: a visit column would
    // read 100% day after day, so the weekday table speaks for visits.
    let channels: Vec<Channel> = results
        .channels()
        .into_iter()
        .filter(|c| *c != Channel::Visit)
        .collect();
    if !channels.is_empty() {
        out += &reachability_per_day(results, &channels, &marks, colour);
    }
    out += &pools_table(results, &marks, colour);
    out += &themes_table(results, &marks, colour);
    if marks.used.get() {
        out += &format!("\n{RUNS_NOTE}\n");
    }
    out
}

/// Calls and chats over the horizon and, with redials, the caller view.
fn live_table(results: &RunResults, live: &[Channel], marks: &Marks, colour: Colour) -> String {
    let h = |c: Channel, m: Metric| results.horizon(Scope::Channel(c), m);
    // Busy signals only exist on lines with a `max_queue`; announcements
    // and callbacks only on lines that have them.
    let any = |m: Metric| {
        live.iter()
            .any(|&c| h(c, m).and_then(|e| e.mean).unwrap_or(0.0) > 0.0)
    };
    let any_blocked = any(Metric::Blocked);
    let any_sent_away = any(Metric::SentAway);
    let any_callbacks = any(Metric::Callbacks);
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
    for &c in live {
        let m = |metric| h(c, metric);
        let mut row = vec![
            Cell::new(c.name()),
            Cell::new(count(m(Metric::Offered))),
            Cell::new(count(m(Metric::Answered))),
            marks.against_target(
                m(Metric::Reachability),
                results.scenario.reachability_target(c),
            ),
            Cell::new(marks.show(pct, m(Metric::ServiceLevel))),
            Cell::new(marks.show(seconds, m(Metric::Asa))),
            Cell::new(marks.show(seconds, m(Metric::WaitP90))),
            Cell::new(marks.show(pct, m(Metric::AbandonShare))),
            Cell::new(count(m(Metric::ClosedOut))),
        ];
        if any_blocked {
            row.push(Cell::new(count(m(Metric::Blocked))));
        }
        if any_sent_away {
            row.push(Cell::new(count(m(Metric::SentAway))));
        }
        if any_callbacks {
            row.push(Cell::new(format!(
                "{} ({})",
                count(m(Metric::Callbacks)),
                count(m(Metric::CallbacksMade))
            )));
            row.push(Cell::new(marks.show(seconds, m(Metric::CallbackDelay))));
        }
        t.add_row(row);
    }
    align_numbers(&mut t, 1);
    let mut out = format!("Calls and chats over the horizon (mean of replications)\n{t}\n\n");
    out += &callers_table(results, live, marks, colour);
    out
}

/// With redials, the caller view of calls and chats: each person once,
/// beside the attempts the published reachability counts; empty without.
fn callers_table(results: &RunResults, live: &[Channel], marks: &Marks, colour: Colour) -> String {
    let h = |c: Channel, m: Metric| results.horizon(Scope::Channel(c), m);
    if !live.iter().any(|&c| h(c, Metric::Callers).is_some()) {
        return String::new();
    }
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
    for &c in live {
        let m = |metric| h(c, metric);
        t.add_row(vec![
            Cell::new(c.name()),
            Cell::new(count(m(Metric::Callers))),
            Cell::new(count(m(Metric::Offered))),
            Cell::new(count(m(Metric::Redials))),
            Cell::new(
                number(m(Metric::AttemptsPerCaller), 2) + &marks.note(m(Metric::AttemptsPerCaller)),
            ),
            Cell::new(marks.show(pct_ci, m(Metric::Reachability))),
            Cell::new(marks.show(pct_ci, m(Metric::CallerReachability))),
        ]);
    }
    align_numbers(&mut t, 1);
    format!(
        "Callers and attempts: the published reachability counts attempts; the caller view \
         counts each person once\n{t}\n\n"
    )
}

/// Handled hours and cost per theme and channel, with the total and, when
/// the scenario has extra support, its cost.
fn themes_table(results: &RunResults, marks: &Marks, colour: Colour) -> String {
    let h = |scope: Scope, m: Metric| results.horizon(scope, m);
    let s = &results.scenario;
    let mut out = String::new();
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
    for theme in results.themes() {
        for c in results.theme_channels(theme) {
            let m = |metric| h(Scope::Theme(theme, c), metric);
            t.add_row(vec![
                results.names.themes[theme].clone(),
                c.name().to_string(),
                count(m(Metric::Offered)),
                marks.show(pct, m(Metric::Reachability)),
                number(m(Metric::HandledHours), 0),
                number(m(Metric::Cost), 0),
            ]);
        }
    }
    let total = |metric| h(Scope::Total, metric);
    t.add_row(vec![
        Cell::new("total").add_attribute(Attribute::Bold),
        Cell::new(""),
        Cell::new(count(total(Metric::Offered))),
        marks.against_target(total(Metric::Reachability), s.total_reachability_target()),
        Cell::new(number(total(Metric::HandledHours), 0)),
        Cell::new(number(total(Metric::Cost), 0)),
    ]);
    align_numbers(&mut t, 2);
    out += &format!("Themes: handled hours and cost (EUR at the scenario's unit prices)\n{t}\n");
    if let Some(parts) = cost_parts(results) {
        out += &format!("\n{}\n", cost_line(&parts));
    } else if let Some(e) = total(Metric::ExtraCost) {
        out += &format!(
            "\nExtra support cost: {} (EUR, mean [95% CI]; not included in the cost above)\n",
            number_ci(Some(e))
        );
    }
    out
}

/// E-mail over the horizon, with the end-of-day backlog.
fn email_table(results: &RunResults, marks: &Marks, colour: Colour) -> String {
    let email = Scope::Channel(Channel::Email);
    let m = |metric| results.horizon(email, metric);
    let backlog: Vec<f64> = (0..results.days.len() as u32)
        .filter_map(|d| results.mean(Level::Day(d), email, Metric::Backlog))
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
        Cell::new(count(m(Metric::Offered))),
        Cell::new(count(m(Metric::Answered))),
        marks.against_target(
            m(Metric::Reachability),
            results.scenario.reachability_target(Channel::Email),
        ),
        Cell::new(marks.show(seconds, m(Metric::Asa))),
        Cell::new(format!(
            "{} / {}",
            group_thousands(mean_backlog),
            group_thousands(max_backlog)
        )),
    ]);
    align_numbers(&mut t, 1);
    format!("E-mail\n{t}\n\n")
}

/// The cost of a run in its parts, for scenarios where some pool has a
/// price per agent hour (`hour_price`): handling (handled seconds × the
/// price per second), staff (scheduled hours × the price per hour), extra
/// support (when some pool has it), and their total (`total_cost`, summed
/// in each replication). `None` without a price per hour.
pub fn cost_parts(results: &RunResults) -> Option<Vec<(&'static str, Estimate)>> {
    let total = |m| results.horizon(Scope::Total, m).copied();
    let mut parts = vec![
        ("handling", total(Metric::Cost)?),
        ("staff", total(Metric::StaffCost)?),
    ];
    if let Some(e) = total(Metric::ExtraCost) {
        parts.push(("extra support", e));
    }
    parts.push(("total", total(Metric::TotalCost)?));
    Some(parts)
}

/// The line a planner reads the cost from: `Cost (EUR, mean [95% CI]):
/// handling …, staff …, extra support …, total …`.
pub fn cost_line(parts: &[(&'static str, Estimate)]) -> String {
    let shown: Vec<String> = parts
        .iter()
        .map(|(name, e)| format!("{name} {}", number_ci(Some(e))))
        .collect();
    format!("Cost (EUR, mean [95% CI]): {}", shown.join(", "))
}

/// Whether some pool has a figure: absences and extra support get columns
/// only when some pool has them.
pub fn any_pool_has(results: &RunResults, metric: Metric) -> bool {
    results
        .pools()
        .into_iter()
        .any(|p| results.horizon(Scope::Pool(p), metric).is_some())
}

/// The agent pools over the horizon.
fn pools_table(results: &RunResults, marks: &Marks, colour: Colour) -> String {
    let absences = any_pool_has(results, Metric::AbsentHours);
    let extra = any_pool_has(results, Metric::ExtraHours);
    let staff = any_pool_has(results, Metric::StaffCost);
    let mut header = vec!["pool", "occupancy [95% CI]", "agent hours", "busy hours"];
    if absences || extra || staff {
        header.push("scheduled hours");
    }
    if absences {
        header.push("absent hours");
    }
    if extra {
        header.extend(["extra hours", "extra cost"]);
    }
    if staff {
        header.push("staff cost");
    }
    let mut t = table(&header, colour);
    for p in results.pools() {
        let m = |metric| results.horizon(Scope::Pool(p), metric);
        let mut row = vec![
            results.names.pools[p].clone(),
            marks.show(pct_ci, m(Metric::Occupancy)),
            number(m(Metric::AgentHours), 0),
            number(m(Metric::BusyHours), 0),
        ];
        if absences || extra || staff {
            row.push(number(m(Metric::ScheduledHours), 0));
        }
        if absences {
            row.push(number(m(Metric::AbsentHours), 0));
        }
        if extra {
            row.push(number(m(Metric::ExtraHours), 0));
            row.push(number(m(Metric::ExtraCost), 0));
        }
        if staff {
            row.push(number(m(Metric::StaffCost), 0));
        }
        t.add_row(row);
    }
    align_numbers(&mut t, 1);
    format!("Agent pools\n{t}\n\n")
}

/// Reachability per day of `channels`, days without any of their contacts
/// left out.
fn reachability_per_day(
    results: &RunResults,
    channels: &[Channel],
    marks: &Marks,
    colour: Colour,
) -> String {
    let mut header = vec!["date".to_string(), "day".to_string()];
    header.extend(
        channels
            .iter()
            .map(|c| format!("{} reachability [95% CI]", c.name())),
    );
    let mut t = table(
        &header.iter().map(String::as_str).collect::<Vec<_>>(),
        colour,
    );
    for (d, day) in results.days.iter().enumerate() {
        let level = Level::Day(d as u32);
        let offered = |&c: &Channel| {
            results
                .mean(level, Scope::Channel(c), Metric::Offered)
                .unwrap_or(0.0)
        };
        if channels.iter().all(|c| offered(c) == 0.0) {
            continue;
        }
        let mut row = vec![Cell::new(&day.date), Cell::new(day.weekday.name())];
        for &c in channels {
            row.push(
                marks.against_target(
                    results
                        .estimate(level, Scope::Channel(c), Metric::Reachability)
                        .as_ref(),
                    results.scenario.reachability_target(c),
                ),
            );
        }
        t.add_row(row);
    }
    align_numbers(&mut t, 2);
    format!("Reachability per day\n{t}\n\n")
}

/// The busiest clock hour of a weekday and its share of that weekday's
/// visits, `18:00 (16.4%)`; the earlier hour on a tie.
pub fn busiest_hour(results: &RunResults, day: &WeekdayPeriod) -> String {
    let w = day.weekday.index() as u8;
    let share = |h: u8| {
        results.get(
            Level::WeekdayHour(w, h),
            Scope::Channel(Channel::Visit),
            Metric::VisitShare,
        )
    };
    let mut best: Option<(u8, f64)> = None;
    for &h in &day.hours {
        if let Some(m) = share(h).and_then(|e| e.mean)
            && best.is_none_or(|(_, b)| m > b)
        {
            best = Some((h, m));
        }
    }
    match best {
        Some((h, _)) => format!("{} ({})", hour_label(h), pct(share(h))),
        None => "–".to_string(),
    }
}

/// Visits per product (theme on the visit channel) and in total over the
/// horizon; `None` without visits. The appointment columns come with a
/// book, the deflection column only when some product sends citizens to
/// the digital counter.
pub fn front_desk_table(results: &RunResults) -> Option<TextTable> {
    let visit = Scope::Channel(Channel::Visit);
    results.horizon(visit, Metric::Offered)?;
    let booked = results.horizon(visit, Metric::Booked).is_some();
    let deflected = results
        .horizon(visit, Metric::Deflected)
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
    let row = |name: &str, scope: Scope| {
        let get = |m| results.horizon(scope, m);
        let mut row = vec![name.to_string()];
        if booked {
            row.push(count(get(Metric::Booked)));
            row.push(count(get(Metric::NoShows)));
        }
        if deflected {
            row.push(count(get(Metric::Deflected)));
        }
        row.extend([
            count(get(Metric::Offered)),
            count(get(Metric::Answered)),
            count(get(Metric::ClosedOut)),
            seconds(get(Metric::Asa)),
            seconds(get(Metric::WaitP90)),
        ]);
        if booked {
            row.push(pct(get(Metric::ServedEarly)));
        }
        row.push(seconds(get(Metric::TransactionTime)));
        row
    };
    let mut rows: Vec<Vec<String>> = results
        .themes()
        .into_iter()
        .filter(|&t| results.theme_channels(t).contains(&Channel::Visit))
        .map(|t| row(&results.names.themes[t], Scope::Theme(t, Channel::Visit)))
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
pub fn desk_utilisation(results: &RunResults) -> Vec<(String, String)> {
    results
        .visit_pools()
        .into_iter()
        .filter_map(|p| {
            let e = results.horizon(Scope::Pool(p), Metric::Occupancy)?;
            Some((results.names.pools[p].clone(), pct_ci(Some(e))))
        })
        .collect()
}

/// Visits by weekday over the horizon: how many, their share of the week
/// with its 95% CI, the waits, the desks' utilisation and the busiest hour;
/// `None` without weekday figures.
pub fn weekday_table(results: &RunResults) -> Option<TextTable> {
    if results.weekdays.is_empty() {
        return None;
    }
    let pools = results.visit_pools();
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
        _ => header.extend(
            pools
                .iter()
                .map(|&p| format!("{} utilisation", results.names.pools[p])),
        ),
    }
    header.push("busiest hour".to_string());
    let rows = results
        .weekdays
        .iter()
        .map(|w| {
            let level = w.level();
            let metric = |m| results.get(level, Scope::Channel(Channel::Visit), m);
            let mut row = vec![
                w.weekday.name().to_string(),
                w.days.to_string(),
                count(metric(Metric::Offered)),
                pct_ci(metric(Metric::VisitShare)),
                seconds(metric(Metric::Asa)),
                seconds(metric(Metric::WaitP90)),
            ];
            for &p in &pools {
                row.push(pct(results.get(level, Scope::Pool(p), Metric::Occupancy)));
            }
            row.push(busiest_hour(results, w));
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
fn front_desk(results: &RunResults, colour: Colour) -> String {
    let Some(products) = front_desk_table(results) else {
        return String::new();
    };
    let mut out = format!(
        "Front desk (visits) over the horizon (mean of replications)\n{}\n",
        products.render(colour, 1)
    );
    let utilisation: Vec<String> = desk_utilisation(results)
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
    if let Some(week) = weekday_table(results) {
        out += &format!(
            "Visits by weekday over the horizon (busiest hour: the clock hour with the largest share of that weekday's visits)\n{}\n\n",
            week.render(colour, 1)
        );
    }
    out
}
