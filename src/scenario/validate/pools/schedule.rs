//! A pool's scheduled agents per interval of the horizon, from exactly one
//! of `agents` (a constant while its lines are open), `staffing` (a table
//! per weekday, or a CSV file per date and interval) and `shifts`.

use std::path::Path;

use chrono::NaiveDate;
use toml::Spanned;

use crate::model::{Calendar, Shift, Weekday};
use crate::scenario::error::Problems;
use crate::scenario::spec::{PoolSpec, StaffingSpec};

use super::super::fields::{span, whole};
use super::super::files::{Wanted, read};
use super::super::grid::table;
use super::Served;
use super::shifts::shifts;

/// The pool's shifts (empty unless it gives them) and its scheduled agents
/// per interval, multiplied by `scale`, for the `served` horizon (whose
/// `base_dir` resolves a staffing file). `works[d]` tells whether the pool
/// works on horizon day `d`; `windows(date)` gives its lines' opening windows.
pub(super) fn schedule(
    ps: &Spanned<PoolSpec>,
    path: &str,
    served: &Served,
    works: &[bool],
    windows: &dyn Fn(NaiveDate) -> Vec<(f64, f64)>,
    scale: f64,
    p: &mut Problems,
) -> (Vec<Shift>, Vec<f64>) {
    let (calendar, base_dir) = (served.calendar, served.base_dir);
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
        (None, Some(st), None) if st.get_ref().file.is_some() => {
            from_file(st, path, calendar, base_dir, &mut scheduled, p);
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
    // scale their head counts instead); a file's agents, which may be
    // fractions, are scaled as they are.
    let from_file = s
        .staffing
        .as_ref()
        .is_some_and(|st| st.get_ref().file.is_some());
    if scale != 1.0 && from_file {
        scheduled.iter_mut().for_each(|n| *n *= scale);
    } else if scale != 1.0 && s.shifts.is_none() {
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

/// Scheduled agents per date and interval read from a CSV file (columns
/// `date,interval,agents`): 0 where the file has no row; rows outside the
/// horizon are ignored.
fn from_file(
    st: &Spanned<StaffingSpec>,
    path: &str,
    calendar: &Calendar,
    base_dir: Option<&Path>,
    scheduled: &mut [f64],
    p: &mut Problems,
) {
    let ss = st.get_ref();
    let spath = format!("{path}.staffing");
    let table_keys = [
        ("start", ss.start.as_ref().map(|x| x.span())),
        ("default", ss.default.as_ref().map(|x| x.span())),
        ("mon", ss.mon.as_ref().map(|x| x.span())),
        ("tue", ss.tue.as_ref().map(|x| x.span())),
        ("wed", ss.wed.as_ref().map(|x| x.span())),
        ("thu", ss.thu.as_ref().map(|x| x.span())),
        ("fri", ss.fri.as_ref().map(|x| x.span())),
        ("sat", ss.sat.as_ref().map(|x| x.span())),
        ("sun", ss.sun.as_ref().map(|x| x.span())),
    ];
    let mut refused = false;
    for (key, at) in table_keys {
        if at.is_some() {
            p.add(
                format!("{spath}.{key}"),
                at,
                "give either `file` (agents per date and interval) or a table (`start` with `default`, `mon` ... `sun`), not both",
            );
            refused = true;
        }
    }
    let Some(file) = &ss.file else { return };
    if refused {
        return;
    }
    let wanted = Wanted {
        default_column: "agents",
        what: "a number of agents from 0 to 100000",
        need_interval: true,
        max: 100_000.0,
        theme: None,
        channel: None,
    };
    match read(
        file,
        ss.column.as_ref(),
        &wanted,
        calendar,
        base_dir,
        &mut p.files_read,
    ) {
        Ok(dated) => {
            let per_day = calendar.intervals_per_day as usize;
            for row in &dated.rows {
                if let Some(i) = row.interval {
                    scheduled[row.day * per_day + i] = row.count;
                }
            }
        }
        Err(e) => p.add(format!("{spath}.file"), span(file), e),
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
