//! A pool's scheduled agents per interval of the horizon, from exactly one
//! of `agents` (a constant while its lines are open), `staffing` (a table
//! per weekday) and `shifts`.

use chrono::NaiveDate;
use toml::Spanned;

use crate::model::{Calendar, Shift, Weekday};
use crate::scenario::error::Problems;
use crate::scenario::spec::{PoolSpec, StaffingSpec};

use super::super::fields::{span, whole};
use super::super::grid::table;
use super::shifts::shifts;

/// The pool's shifts (empty unless it gives them) and its scheduled agents
/// per interval, multiplied by `scale`. `works[d]` tells whether the pool
/// works on horizon day `d`; `windows(date)` gives its lines' opening windows.
pub(super) fn schedule(
    ps: &Spanned<PoolSpec>,
    path: &str,
    calendar: &Calendar,
    works: &[bool],
    windows: &dyn Fn(NaiveDate) -> Vec<(f64, f64)>,
    scale: f64,
    p: &mut Problems,
) -> (Vec<Shift>, Vec<f64>) {
    let s = ps.get_ref();
    let mut scheduled = vec![0.0; calendar.intervals()];
    let mut out = Vec::new();
    match (&s.agents, &s.staffing, &s.shifts) {
        (None, None, Some(sh)) => {
            (out, scheduled) = shifts(sh, &format!("{path}.shifts"), calendar, works, scale, p);
        }
        (_, _, Some(sh)) => p.add(
            format!("{path}.shifts"),
            span(sh),
            "give only one of `agents` (a constant), `staffing` (a table) and `shifts`",
        ),
        (Some(a), None, None) => {
            if let Some(n) = whole(a, 0..=100_000, "agents", &format!("{path}.agents"), p) {
                constant(n, calendar, windows, &mut scheduled);
            }
        }
        (None, Some(st), None) => weekly(st, path, calendar, works, &mut scheduled, p),
        (Some(a), Some(_), None) => p.add(
            format!("{path}.agents"),
            span(a),
            "give either `agents` (a constant) or `staffing` (a table), not both",
        ),
        (None, None, None) => p.add(
            path,
            span(ps),
            "missing `agents` (a constant), `staffing` (agents per interval) or `shifts`",
        ),
    }
    // Scaled staffing is still whole people in every interval (shifts
    // scale their head counts instead).
    if scale != 1.0 && s.shifts.is_none() {
        scheduled.iter_mut().for_each(|n| *n = (*n * scale).round());
    }
    (out, scheduled)
}

/// `n` agents in every interval that overlaps an opening window of the day.
fn constant(
    n: u32,
    calendar: &Calendar,
    windows: &dyn Fn(NaiveDate) -> Vec<(f64, f64)>,
    scheduled: &mut [f64],
) {
    let per_day = calendar.intervals_per_day as usize;
    for d in 0..calendar.days {
        let windows = windows(calendar.date(d));
        let day = &mut scheduled[d as usize * per_day..(d as usize + 1) * per_day];
        for (i, slot) in day.iter_mut().enumerate() {
            let start = i as f64 * calendar.interval;
            let end = start + calendar.interval;
            if windows.iter().any(|&(o, c)| o < end && c > start) {
                *slot = f64::from(n);
            }
        }
    }
}

/// The staffing table's row of each working day's weekday.
fn weekly(
    st: &Spanned<StaffingSpec>,
    path: &str,
    calendar: &Calendar,
    works: &[bool],
    scheduled: &mut [f64],
    p: &mut Problems,
) {
    let per_day = calendar.intervals_per_day as usize;
    let rows = table(st, &format!("{path}.staffing"), "agents", calendar, p);
    for d in 0..calendar.days {
        if !works[d as usize] {
            continue;
        }
        if let Some(row) = &rows[Weekday::of(calendar.date(d)).index()] {
            scheduled[d as usize * per_day..(d as usize + 1) * per_day].copy_from_slice(row);
        }
    }
}
