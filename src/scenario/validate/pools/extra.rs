//! `pools.NAME.extra`: temporary extra support, agents added to a pool on
//! the days of a date window and priced per hour.

use chrono::NaiveDate;
use toml::Spanned;

use crate::model::{Calendar, Weekday};
use crate::scenario::error::Problems;
use crate::scenario::spec::{ExtraSpec, Names};
use crate::scenario::values::parse_window;

use super::super::fields::{money, names, span, weekday_key, whole};
use super::super::grid::on_grid;

/// One entry of extra support, checked.
struct Support {
    /// First and last day (inclusive).
    from: NaiveDate,
    to: NaiveDate,
    /// Agents on duty.
    agents: u32,
    /// Price of one agent-hour.
    price: f64,
    /// The daily window; `None` for the pool's lines' opening hours.
    hours: Option<(f64, f64)>,
    /// On which weekdays (Monday first).
    weekdays: [bool; 7],
}

/// The pool's extra support: agents on duty and their price per interval of
/// the horizon (both empty when the pool has none). `works[d]` tells whether
/// the pool works on horizon day `d`; `windows(d)` gives the opening windows
/// of the pool's lines that day, used when an entry gives no `hours`.
pub(super) fn extra(
    list: &[Spanned<ExtraSpec>],
    path: &str,
    calendar: &Calendar,
    works: &[bool],
    windows: &dyn Fn(NaiveDate) -> Vec<(f64, f64)>,
    p: &mut Problems,
) -> (Vec<u32>, Vec<f64>) {
    if list.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let mut agents = vec![0u32; calendar.intervals()];
    let mut cost = vec![0.0; calendar.intervals()];
    let mut laid = false;
    for (k, e) in list.iter().enumerate() {
        if let Some(support) = support(e.get_ref(), &format!("{path}[{k}]"), calendar, p) {
            lay(&support, calendar, works, windows, &mut agents, &mut cost);
            laid = true;
        }
    }
    if !laid {
        // Every entry was left out (outside the horizon) or refused.
        return (Vec::new(), Vec::new());
    }
    (agents, cost)
}

/// One entry, or `None` after noting every problem in it.
fn support(x: &ExtraSpec, epath: &str, calendar: &Calendar, p: &mut Problems) -> Option<Support> {
    let (from, to) = (x.from.get_ref().0, x.to.get_ref().0);
    let (first, last) = (calendar.start, calendar.date(calendar.days - 1));
    let mut ok = true;
    if to < from {
        p.add(
            format!("{epath}.to"),
            span(&x.to),
            format!("must be on or after `from` ({from}), got {to}"),
        );
        ok = false;
    }
    let outside = to >= from && (to < first || from > last);
    let agents = whole(
        &x.agents,
        0..=100_000,
        "agents",
        &format!("{epath}.agents"),
        p,
    );
    let price = money(
        &x.price_per_hour,
        &format!("{epath}.price_per_hour"),
        "price per agent-hour",
        p,
    );
    let hours = match &x.hours {
        None => Some(None),
        Some(h) => hours(h, &format!("{epath}.hours"), calendar.interval, p).map(Some),
    };
    let weekdays = match &x.weekdays {
        None => Some([true; 7]),
        Some(w) => weekdays(w, &format!("{epath}.weekdays"), p),
    };
    if !ok {
        return None;
    }
    if outside {
        // A scenario moved to other dates keeps its support windows: those
        // of other dates are left out, with a note.
        p.note(
            format!("{epath}.from"),
            span(&x.from),
            format!(
                "the support from {from} to {to} lies entirely outside the horizon ({first} to {last}): left out"
            ),
        );
        return None;
    }
    Some(Support {
        from,
        to,
        agents: agents?,
        price: price?,
        hours: hours?,
        weekdays: weekdays?,
    })
}

/// The daily window of the support, on the interval grid.
fn hours(h: &Spanned<String>, path: &str, interval: f64, p: &mut Problems) -> Option<(f64, f64)> {
    match parse_window(h.get_ref()) {
        Ok(Some((open, close))) if on_grid(open, interval) && on_grid(close, interval) => {
            Some((open, close))
        }
        Ok(Some(_)) => {
            p.add(
                path,
                span(h),
                format!(
                    "the support must start and end on interval boundaries (every {} minutes): shorten horizon.interval or round the hours",
                    interval / 60.0
                ),
            );
            None
        }
        Ok(None) => {
            p.add(
                path,
                span(h),
                "give the daily window of the support, e.g. \"09:00-19:00\" (leave `hours` out for the lines' opening hours)",
            );
            None
        }
        Err(e) => {
            p.add(path, span(h), e);
            None
        }
    }
}

/// The weekdays of `"mon-fri"`, `"*"` or a list of them.
fn weekdays(w: &Spanned<Names>, path: &str, p: &mut Problems) -> Option<[bool; 7]> {
    let mut weekdays = [false; 7];
    let mut ok = true;
    for key in names(w.get_ref()) {
        if key == "*" {
            weekdays = [true; 7];
        } else if let Some(days) = weekday_key(&key, path, span(w), p) {
            days.iter().for_each(|d| weekdays[d.index()] = true);
        } else {
            ok = false;
        }
    }
    ok.then_some(weekdays)
}

/// Adds one entry's agents and cost to every interval it covers: the days
/// of its window and weekdays on which the pool works, within its hours (or
/// the pool's lines' opening windows).
fn lay(
    s: &Support,
    calendar: &Calendar,
    works: &[bool],
    windows: &dyn Fn(NaiveDate) -> Vec<(f64, f64)>,
    agents: &mut [u32],
    cost: &mut [f64],
) {
    let interval = calendar.interval;
    let per_day = calendar.intervals_per_day as usize;
    for d in 0..calendar.days {
        let date = calendar.date(d);
        if date < s.from || date > s.to || !works[d as usize] {
            continue;
        }
        if !s.weekdays[Weekday::of(date).index()] {
            continue;
        }
        let day_windows = match s.hours {
            Some(h) => vec![h],
            None => windows(date),
        };
        for j in 0..per_day {
            let start = j as f64 * interval;
            let end = start + interval;
            if day_windows.iter().any(|&(o, c)| o < end && c > start) {
                let i = d as usize * per_day + j;
                agents[i] += s.agents;
                cost[i] += f64::from(s.agents) * s.price * interval / 3600.0;
            }
        }
    }
}
