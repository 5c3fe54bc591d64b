//! Validation of a pool's shifts and of its temporary extra support
//! (`pools.NAME.shifts`, `pools.NAME.extra`): both become per-interval
//! figures of the model, on the same interval grid as the staffing table.

use std::ops::Range;

use chrono::NaiveDate;
use toml::Spanned;

use crate::model::{Calendar, Shift, Weekday};

use super::error::Problems;
use super::spec::{ExtraSpec, Names, ShiftSpec, StaffingSpec};
use super::validate::weekday_keys;
use super::values::{parse_clock, parse_window};

fn span<T>(s: &Spanned<T>) -> Option<Range<usize>> {
    Some(s.span())
}

/// A table of whole numbers (agents, desks) per interval from a clock time,
/// per weekday (`pools.NAME.staffing`, `lines.NAME.appointments.desks`): one
/// row of the day's intervals per weekday (Monday first), `None` for a
/// weekday without a list and no `default`. `what` names the unit in messages.
pub(super) fn table(
    st: &Spanned<StaffingSpec>,
    path: &str,
    what: &str,
    calendar: &Calendar,
    p: &mut Problems,
) -> [Option<Vec<f64>>; 7] {
    let ss = st.get_ref();
    let per_day = calendar.intervals_per_day as usize;
    let first = match parse_clock(ss.start.get_ref()) {
        Ok(t) if on_grid(t, calendar.interval) => Some((t / calendar.interval).round() as usize),
        Ok(_) => {
            p.add(
                format!("{path}.start"),
                span(&ss.start),
                format!(
                    "must be at an interval boundary (intervals are {} minutes)",
                    calendar.interval / 60.0
                ),
            );
            None
        }
        Err(e) => {
            p.add(format!("{path}.start"), span(&ss.start), e);
            None
        }
    };
    let lists = [
        &ss.mon, &ss.tue, &ss.wed, &ss.thu, &ss.fri, &ss.sat, &ss.sun,
    ];
    let mut rows: [Option<Vec<f64>>; 7] = Default::default();
    let check = |key: &str, list: &Spanned<Vec<Spanned<i64>>>, p: &mut Problems| {
        let first = first?;
        if first + list.get_ref().len() > per_day {
            p.add(
                format!("{path}.{key}"),
                span(list),
                format!(
                    "{} values from {} run past midnight ({} intervals a day)",
                    list.get_ref().len(),
                    ss.start.get_ref(),
                    per_day
                ),
            );
            return None;
        }
        let mut row = vec![0.0; per_day];
        for (j, v) in list.get_ref().iter().enumerate() {
            let n = *v.get_ref();
            if !(0..=100_000).contains(&n) {
                p.add(
                    format!("{path}.{key}[{j}]"),
                    span(v),
                    format!("must be a whole number of {what} from 0 to 100000, got {n}"),
                );
                return None;
            }
            row[first + j] = n as f64;
        }
        Some(row)
    };
    let default = ss.default.as_ref().and_then(|l| check("default", l, p));
    for (w, list) in lists.iter().enumerate() {
        rows[w] = match list {
            Some(l) => check(Weekday::ALL[w].name(), l, p),
            None => default.clone(),
        };
    }
    rows
}

/// `HH:MM` of seconds since midnight.
fn clock(t: f64) -> String {
    let m = (t / 60.0).round() as u32;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Whether `t` seconds falls on a boundary of intervals `interval` long.
fn on_grid(t: f64, interval: f64) -> bool {
    ((t / interval) - (t / interval).round()).abs() < 1e-9
}

/// A clock time that must fall on the interval grid, as an interval index within the day.
fn grid_clock(
    value: &Spanned<String>,
    path: &str,
    what: &str,
    interval: f64,
    p: &mut Problems,
) -> Option<u32> {
    match parse_clock(value.get_ref()) {
        Ok(t) if on_grid(t, interval) => Some((t / interval).round() as u32),
        Ok(_) => {
            p.add(
                path,
                span(value),
                format!(
                    "{what} must fall on an interval boundary (every {} minutes): shorten horizon.interval or round the time",
                    interval / 60.0
                ),
            );
            None
        }
        Err(e) => {
            p.add(path, span(value), e);
            None
        }
    }
}

/// Head counts per weekday (Monday first) from `{ mon-fri = 10, sat = 2 }`;
/// later keys override earlier ones, weekdays not named get 0.
fn weekday_counts(
    map: &Spanned<indexmap::IndexMap<String, Spanned<i64>>>,
    path: &str,
    p: &mut Problems,
) -> Option<[u32; 7]> {
    let mut out = [0u32; 7];
    let mut ok = true;
    for (key, value) in map.get_ref() {
        let Some(days) = weekday_keys(key) else {
            p.add(format!("{path}.{key}"), span(value), format!("`{key}` is not a weekday or weekday range: use mon, tue, wed, thu, fri, sat, sun or a range like mon-fri"));
            ok = false;
            continue;
        };
        let n = *value.get_ref();
        if !(0..=100_000).contains(&n) {
            p.add(
                format!("{path}.{key}"),
                span(value),
                format!("must be a whole number of agents from 0 to 100000, got {n}"),
            );
            ok = false;
            continue;
        }
        days.iter().for_each(|d| out[d.index()] = n as u32);
    }
    ok.then_some(out)
}

/// The pool's shifts, and its scheduled agents per interval of the horizon.
/// `works[d]` tells whether the pool works on horizon day `d` (one of its
/// lines has a working day); `scale` multiplies every shift's head count,
/// rounded to whole agents.
pub(super) fn shifts(
    list: &Spanned<Vec<Spanned<ShiftSpec>>>,
    path: &str,
    calendar: &Calendar,
    works: &[bool],
    scale: f64,
    p: &mut Problems,
) -> (Vec<Shift>, Vec<f64>) {
    let interval = calendar.interval;
    let per_day = calendar.intervals_per_day as usize;
    let mut scheduled = vec![0.0; calendar.intervals()];
    let mut out = Vec::new();
    if list.get_ref().is_empty() {
        p.add(
            path,
            span(list),
            "give at least one shift, e.g. [{ start = \"09:00\", end = \"17:00\", count = { mon-fri = 10 } }]",
        );
    }
    for (j, sh) in list.get_ref().iter().enumerate() {
        let spath = format!("{path}[{j}]");
        let s = sh.get_ref();
        let start = grid_clock(
            &s.start,
            &format!("{spath}.start"),
            "a shift's start",
            interval,
            p,
        );
        let end = grid_clock(
            &s.end,
            &format!("{spath}.end"),
            "a shift's end",
            interval,
            p,
        );
        let counts = weekday_counts(&s.count, &format!("{spath}.count"), p);
        let (Some(start), Some(end)) = (start, end) else {
            continue;
        };
        if end <= start {
            p.add(
                format!("{spath}.end"),
                span(&s.end),
                format!(
                    "a shift must end after it starts, the same day (\"{}\" to \"{}\"): split a night shift in two, until \"24:00\" and from \"00:00\"",
                    s.start.get_ref(),
                    s.end.get_ref()
                ),
            );
            continue;
        }
        let mut worked = vec![false; per_day];
        worked[start as usize..end as usize].fill(true);
        let mut breaks_ok = true;
        let mut taken: Vec<(u32, u32)> = Vec::new();
        for (k, b) in s.breaks.iter().enumerate() {
            let bpath = format!("{spath}.breaks[{k}]");
            let br = b.get_ref();
            let Some(at) = grid_clock(&br.at, &format!("{bpath}.at"), "a break", interval, p)
            else {
                breaks_ok = false;
                continue;
            };
            let length = br.length.get_ref().0;
            if !(length > 0.0 && on_grid(length, interval)) {
                p.add(
                    format!("{bpath}.length"),
                    span(&br.length),
                    format!(
                        "a break must last a whole number of intervals ({} minutes): shorten horizon.interval, or count short breaks in shrinkage",
                        interval / 60.0
                    ),
                );
                breaks_ok = false;
                continue;
            }
            let until = at + (length / interval).round() as u32;
            if at < start || until > end {
                p.add(
                    bpath,
                    span(b),
                    format!(
                        "the break {}-{} must lie within its shift {}-{}",
                        clock(f64::from(at) * interval),
                        clock(f64::from(until) * interval),
                        clock(f64::from(start) * interval),
                        clock(f64::from(end) * interval)
                    ),
                );
                breaks_ok = false;
                continue;
            }
            let hhmm = |i: u32| clock(f64::from(i) * interval);
            if let Some(&(a, u)) = taken.iter().find(|&&(a, u)| at < u && until > a) {
                p.add(
                    bpath,
                    span(b),
                    format!(
                        "the break {}-{} overlaps the break {}-{}",
                        hhmm(at),
                        hhmm(until),
                        hhmm(a),
                        hhmm(u)
                    ),
                );
                breaks_ok = false;
                continue;
            }
            taken.push((at, until));
            worked[at as usize..until as usize].fill(false);
        }
        let Some(counts) = counts else {
            continue;
        };
        if !breaks_ok {
            continue;
        }
        let mut segments = Vec::new();
        let mut i = 0;
        while i < per_day {
            if worked[i] {
                let from = i;
                while i < per_day && worked[i] {
                    i += 1;
                }
                segments.push((from as u32, i as u32));
            } else {
                i += 1;
            }
        }
        let count: Vec<u32> = (0..calendar.days)
            .map(|d| {
                if !works[d as usize] {
                    return 0;
                }
                let n = counts[Weekday::of(calendar.date(d)).index()];
                (f64::from(n) * scale).round() as u32
            })
            .collect();
        for (d, &n) in count.iter().enumerate() {
            if n == 0 {
                continue;
            }
            for &(a, b) in &segments {
                for slot in &mut scheduled[d * per_day + a as usize..d * per_day + b as usize] {
                    *slot += f64::from(n);
                }
            }
        }
        out.push(Shift { segments, count });
    }
    (out, scheduled)
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
    let interval = calendar.interval;
    let per_day = calendar.intervals_per_day as usize;
    let mut agents_out = vec![0u32; calendar.intervals()];
    let mut cost_out = vec![0.0; calendar.intervals()];
    let first = calendar.start;
    let last = calendar.date(calendar.days - 1);
    for (k, e) in list.iter().enumerate() {
        let epath = format!("{path}[{k}]");
        let x = e.get_ref();
        let (from, to) = (x.from.get_ref().0, x.to.get_ref().0);
        let mut ok = true;
        if to < from {
            p.add(
                format!("{epath}.to"),
                span(&x.to),
                format!("must be on or after `from` ({from}), got {to}"),
            );
            ok = false;
        } else if to < first || from > last {
            p.add(
                format!("{epath}.from"),
                span(&x.from),
                format!(
                    "the support from {from} to {to} lies entirely outside the horizon ({first} to {last})"
                ),
            );
            ok = false;
        }
        let n = *x.agents.get_ref();
        if !(0..=100_000).contains(&n) {
            p.add(
                format!("{epath}.agents"),
                span(&x.agents),
                format!("must be a whole number of agents from 0 to 100000, got {n}"),
            );
            ok = false;
        }
        let price = *x.price_per_hour.get_ref();
        if !(price.is_finite() && price >= 0.0) {
            p.add(
                format!("{epath}.price_per_hour"),
                span(&x.price_per_hour),
                format!("must be a non-negative price per agent-hour, got {price}"),
            );
            ok = false;
        }
        let hours = match &x.hours {
            None => None,
            Some(h) => match parse_window(h.get_ref()) {
                Ok(Some((open, close))) if on_grid(open, interval) && on_grid(close, interval) => {
                    Some((open, close))
                }
                Ok(Some(_)) => {
                    p.add(
                        format!("{epath}.hours"),
                        span(h),
                        format!(
                            "the support must start and end on interval boundaries (every {} minutes): shorten horizon.interval or round the hours",
                            interval / 60.0
                        ),
                    );
                    ok = false;
                    None
                }
                Ok(None) => {
                    p.add(
                        format!("{epath}.hours"),
                        span(h),
                        "give the daily window of the support, e.g. \"09:00-19:00\" (leave `hours` out for the lines' opening hours)",
                    );
                    ok = false;
                    None
                }
                Err(e) => {
                    p.add(format!("{epath}.hours"), span(h), e);
                    ok = false;
                    None
                }
            },
        };
        let mut weekdays = [true; 7];
        if let Some(w) = &x.weekdays {
            let keys = match w.get_ref() {
                Names::One(s) => vec![s.clone()],
                Names::Many(v) => v.clone(),
            };
            weekdays = [false; 7];
            for key in keys {
                if key == "*" {
                    weekdays = [true; 7];
                } else if let Some(days) = weekday_keys(&key) {
                    days.iter().for_each(|d| weekdays[d.index()] = true);
                } else {
                    p.add(format!("{epath}.weekdays"), span(w), format!("`{key}` is not a weekday or weekday range: use mon, tue, wed, thu, fri, sat, sun or a range like mon-fri"));
                    ok = false;
                }
            }
        }
        if !ok {
            continue;
        }
        let n = n as u32;
        for d in 0..calendar.days {
            let date = calendar.date(d);
            if date < from || date > to || !works[d as usize] {
                continue;
            }
            if !weekdays[Weekday::of(date).index()] {
                continue;
            }
            let day_windows = match hours {
                Some(h) => vec![h],
                None => windows(date),
            };
            for j in 0..per_day {
                let start = j as f64 * interval;
                let end = start + interval;
                if day_windows.iter().any(|&(o, c)| o < end && c > start) {
                    let i = d as usize * per_day + j;
                    agents_out[i] += n;
                    cost_out[i] += f64::from(n) * price * interval / 3600.0;
                }
            }
        }
    }
    (agents_out, cost_out)
}
