//! `pools.NAME.shifts`: shifts with unpaid breaks and a head count per
//! weekday, laid on the interval grid as the pool's scheduled agents.

use indexmap::IndexMap;
use toml::Spanned;

use crate::model::{Calendar, Shift, Weekday};
use crate::scenario::error::Problems;
use crate::scenario::spec::{BreakSpec, ShiftSpec, Whole};

use super::super::fields::{span, weekday_key, whole};
use super::super::grid::{clock, grid_clock, on_grid};

/// The runs of a shift's worked intervals, as (first, past the last)
/// interval of the day.
type Segments = Vec<(u32, u32)>;

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
        let Some((segments, counts)) = shift(sh.get_ref(), &format!("{path}[{j}]"), calendar, p)
        else {
            continue;
        };
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

/// One shift's worked segments (intervals of the day, breaks left out) and
/// its head count per weekday, or `None` after noting what is wrong.
fn shift(
    s: &ShiftSpec,
    spath: &str,
    calendar: &Calendar,
    p: &mut Problems,
) -> Option<(Segments, [u32; 7])> {
    let interval = calendar.interval;
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
    let (start, end) = (start?, end?);
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
        return None;
    }
    let mut worked = vec![false; calendar.intervals_per_day as usize];
    worked[start as usize..end as usize].fill(true);
    let breaks_ok = take_breaks(&s.breaks, spath, (start, end), interval, &mut worked, p);
    let counts = counts?;
    breaks_ok.then(|| (segments(&worked), counts))
}

/// Takes the shift's breaks out of `worked` (the intervals from `shift.0`
/// to `shift.1`): whether every break lies within the shift on the grid,
/// without overlapping another.
fn take_breaks(
    breaks: &[Spanned<BreakSpec>],
    spath: &str,
    shift: (u32, u32),
    interval: f64,
    worked: &mut [bool],
    p: &mut Problems,
) -> bool {
    let (start, end) = shift;
    let hhmm = |i: u32| clock(f64::from(i) * interval);
    let mut ok = true;
    let mut taken: Vec<(u32, u32)> = Vec::new();
    for (k, b) in breaks.iter().enumerate() {
        let bpath = format!("{spath}.breaks[{k}]");
        let br = b.get_ref();
        let Some(at) = grid_clock(&br.at, &format!("{bpath}.at"), "a break", interval, p) else {
            ok = false;
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
            ok = false;
            continue;
        }
        let until = at + (length / interval).round() as u32;
        let refused = if at < start || until > end {
            Some(format!(
                "the break {}-{} must lie within its shift {}-{}",
                hhmm(at),
                hhmm(until),
                hhmm(start),
                hhmm(end)
            ))
        } else {
            taken
                .iter()
                .find(|&&(a, u)| at < u && until > a)
                .map(|&(a, u)| {
                    format!(
                        "the break {}-{} overlaps the break {}-{}",
                        hhmm(at),
                        hhmm(until),
                        hhmm(a),
                        hhmm(u)
                    )
                })
        };
        if let Some(message) = refused {
            p.add(bpath, span(b), message);
            ok = false;
            continue;
        }
        taken.push((at, until));
        worked[at as usize..until as usize].fill(false);
    }
    ok
}

/// The runs of worked intervals, as (first, past the last) interval of the day.
fn segments(worked: &[bool]) -> Segments {
    let mut segments = Vec::new();
    let mut i = 0;
    while i < worked.len() {
        if worked[i] {
            let from = i;
            while i < worked.len() && worked[i] {
                i += 1;
            }
            segments.push((from as u32, i as u32));
        } else {
            i += 1;
        }
    }
    segments
}

/// Head counts per weekday (Monday first) from `{ mon-fri = 10, sat = 2 }`;
/// later keys override earlier ones, weekdays not named get 0.
fn weekday_counts(
    map: &Spanned<IndexMap<String, Spanned<Whole>>>,
    path: &str,
    p: &mut Problems,
) -> Option<[u32; 7]> {
    let mut out = [0u32; 7];
    let mut ok = true;
    for (key, value) in map.get_ref() {
        let kpath = format!("{path}.{key}");
        let Some(days) = weekday_key(key, &kpath, span(value), p) else {
            ok = false;
            continue;
        };
        let Some(n) = whole(value, 0..=100_000, "agents", &kpath, p) else {
            ok = false;
            continue;
        };
        days.iter().for_each(|d| out[d.index()] = n);
    }
    ok.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::segments;

    #[test]
    fn segments_are_the_runs_of_worked_intervals() {
        let worked = [false, true, true, false, true, false, true];
        assert_eq!(segments(&worked), [(1, 3), (4, 5), (6, 7)]);
        assert_eq!(segments(&[false; 3]), []);
    }
}
