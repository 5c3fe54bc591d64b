//! Checkers of values laid on the horizon's interval grid: clock times that
//! must fall on an interval boundary, intraday profiles (weights per
//! interval from a clock time) and weekday tables (whole numbers per
//! interval and weekday, as staffing and appointment desks are given).

use toml::Spanned;

use crate::model::distribution::readable;
use crate::model::{Calendar, Weekday};
use crate::scenario::error::Problems;
use crate::scenario::spec::{IntradaySpec, StaffingSpec, Whole};
use crate::scenario::values::parse_clock;

use super::fields::span;

/// Whether `t` seconds falls on a boundary of intervals `interval` long.
pub(super) fn on_grid(t: f64, interval: f64) -> bool {
    ((t / interval) - (t / interval).round()).abs() < 1e-9
}

/// `HH:MM` of seconds since midnight.
pub(super) fn clock(t: f64) -> String {
    let m = (t / 60.0).round() as u32;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// A clock time that must fall on the interval grid, as an interval index
/// within the day; `what` names it in the message ("a shift's start").
pub(super) fn grid_clock(
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

/// Intraday weights over the intervals of a day, from a `{start, weights}`
/// spec: 0 outside the listed intervals. Weekdays' own lists are not read
/// here (see [`intraday_week`]).
pub(super) fn intraday(
    spec: &Spanned<IntradaySpec>,
    path: &str,
    calendar: &Calendar,
    p: &mut Problems,
) -> Option<Vec<f64>> {
    let s = spec.get_ref();
    let first = intraday_start(s, path, calendar, p)?;
    intraday_row(
        &s.weights,
        first,
        s,
        &format!("{path}.weights"),
        calendar,
        p,
    )
}

/// A theme's intraday profile per weekday (Monday first): a weekday's own
/// list (`fri = [...]`) where it gives one, else `weights`.
pub(super) fn intraday_week(
    spec: &Spanned<IntradaySpec>,
    path: &str,
    calendar: &Calendar,
    p: &mut Problems,
) -> Option<[Vec<f64>; 7]> {
    let s = spec.get_ref();
    let first = intraday_start(s, path, calendar, p)?;
    let default = intraday_row(
        &s.weights,
        first,
        s,
        &format!("{path}.weights"),
        calendar,
        p,
    );
    let mut ok = default.is_some();
    let mut week: [Vec<f64>; 7] = Default::default();
    for (w, own) in s.weekdays().into_iter().enumerate() {
        let row = match own {
            Some(list) => {
                let key = Weekday::ALL[w].name();
                intraday_row(list, first, s, &format!("{path}.{key}"), calendar, p)
            }
            None => default.clone(),
        };
        match row {
            Some(row) => week[w] = row,
            None => ok = false,
        }
    }
    ok.then_some(week)
}

/// The interval of the day at which a profile's weights start.
fn intraday_start(
    s: &IntradaySpec,
    path: &str,
    calendar: &Calendar,
    p: &mut Problems,
) -> Option<usize> {
    let start = match parse_clock(s.start.get_ref()) {
        Ok(t) => t,
        Err(e) => {
            p.add(format!("{path}.start"), span(&s.start), e);
            return None;
        }
    };
    let first = start / calendar.interval;
    if (first - first.round()).abs() > 1e-9 {
        p.add(
            format!("{path}.start"),
            span(&s.start),
            format!(
                "must be at an interval boundary (intervals are {} minutes)",
                calendar.interval / 60.0
            ),
        );
        return None;
    }
    Some(first.round() as usize)
}

/// One list of a profile laid on the day's intervals from interval `first`.
fn intraday_row(
    list: &Spanned<Vec<f64>>,
    first: usize,
    s: &IntradaySpec,
    path: &str,
    calendar: &Calendar,
    p: &mut Problems,
) -> Option<Vec<f64>> {
    let per_day = calendar.intervals_per_day as usize;
    let w = list.get_ref();
    if first + w.len() > per_day {
        p.add(
            path,
            span(list),
            format!(
                "{} weights from {} run past midnight ({} intervals a day)",
                w.len(),
                s.start.get_ref(),
                per_day
            ),
        );
        return None;
    }
    if let Some(bad) = w.iter().find(|x| !(x.is_finite() && **x >= 0.0)) {
        p.add(
            path,
            span(list),
            format!(
                "weights must be non-negative numbers, got {}",
                readable(*bad)
            ),
        );
        return None;
    }
    if w.iter().sum::<f64>() <= 0.0 {
        p.add(path, span(list), "at least one weight must be positive");
        return None;
    }
    let mut out = vec![0.0; per_day];
    out[first..first + w.len()].copy_from_slice(w);
    Some(out)
}

/// Notes every weekday list of a profile that takes one list for all days
/// (`what` names the field in the message).
pub(super) fn no_weekday_lists(
    spec: &Spanned<IntradaySpec>,
    path: &str,
    what: &str,
    p: &mut Problems,
) {
    for (w, own) in spec.get_ref().weekdays().into_iter().enumerate() {
        if let Some(list) = own {
            let key = Weekday::ALL[w].name();
            p.add(
                format!("{path}.{key}"),
                span(list),
                format!("{what} takes one list of `weights` for every weekday, not `{key}`"),
            );
        }
    }
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
    let mut from_file = false;
    for (key, given) in [("file", &ss.file), ("column", &ss.column)] {
        if let Some(f) = given {
            p.add(
                format!("{path}.{key}"),
                span(f),
                format!("`{key}` applies to a pool's staffing only: give the {what} as a table"),
            );
            from_file = true;
        }
    }
    if from_file {
        return Default::default();
    }
    let Some(start) = &ss.start else {
        p.add(
            path,
            span(st),
            "missing `start`: the clock time of the table's first value, e.g. start = \"08:00\"",
        );
        return Default::default();
    };
    let first = match parse_clock(start.get_ref()) {
        Ok(t) if on_grid(t, calendar.interval) => Some((t / calendar.interval).round() as usize),
        Ok(_) => {
            p.add(
                format!("{path}.start"),
                span(start),
                format!(
                    "must be at an interval boundary (intervals are {} minutes)",
                    calendar.interval / 60.0
                ),
            );
            None
        }
        Err(e) => {
            p.add(format!("{path}.start"), span(start), e);
            None
        }
    };
    let row = |key: &str, list: &Spanned<Vec<Spanned<Whole>>>, p: &mut Problems| {
        table_row(
            list,
            first?,
            &format!("{path}.{key}"),
            start.get_ref(),
            what,
            calendar,
            p,
        )
    };
    let default = ss.default.as_ref().and_then(|l| row("default", l, p));
    let lists = [
        &ss.mon, &ss.tue, &ss.wed, &ss.thu, &ss.fri, &ss.sat, &ss.sun,
    ];
    let mut rows: [Option<Vec<f64>>; 7] = Default::default();
    for (w, list) in lists.iter().enumerate() {
        rows[w] = match list {
            Some(l) => row(Weekday::ALL[w].name(), l, p),
            None => default.clone(),
        };
    }
    rows
}

/// One weekday's row of a [`table`]: its values from interval `first` on,
/// 0 elsewhere, or `None` after noting why not.
fn table_row(
    list: &Spanned<Vec<Spanned<Whole>>>,
    first: usize,
    path: &str,
    start: &str,
    what: &str,
    calendar: &Calendar,
    p: &mut Problems,
) -> Option<Vec<f64>> {
    let per_day = calendar.intervals_per_day as usize;
    if first + list.get_ref().len() > per_day {
        p.add(
            path,
            span(list),
            format!(
                "{} values from {} run past midnight ({} intervals a day)",
                list.get_ref().len(),
                start,
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
                format!("{path}[{j}]"),
                span(v),
                format!("must be a whole number of {what} from 0 to 100000, got {n}"),
            );
            return None;
        }
        row[first + j] = n as f64;
    }
    Some(row)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    /// A week of half-hour intervals.
    fn week() -> Calendar {
        let monday = NaiveDate::from_ymd_opt(2021, 4, 12).expect("a date");
        Calendar::new(monday, 7, 1800.0)
    }

    /// Every message `check` notes, with its path.
    fn noted(check: impl FnOnce(&mut Problems)) -> Vec<(String, String)> {
        let mut p = Problems::default();
        check(&mut p);
        p.list.into_iter().map(|e| (e.path, e.message)).collect()
    }

    fn one(path: &str, message: &str) -> Vec<(String, String)> {
        vec![(path.to_string(), message.to_string())]
    }

    fn text(s: &str) -> Spanned<String> {
        Spanned::new(0..1, s.to_string())
    }

    #[test]
    fn the_grid_and_its_clock() {
        assert!(on_grid(5400.0, 1800.0));
        assert!(!on_grid(600.0, 1800.0));
        assert_eq!(clock(45_000.0), "12:30");
        assert_eq!(clock(86_400.0), "24:00");
    }

    #[test]
    fn clock_times_fall_on_the_grid() {
        let mut p = Problems::default();
        assert_eq!(
            grid_clock(&text("09:30"), "at", "a break", 1800.0, &mut p),
            Some(19)
        );
        assert!(p.list.is_empty());
        assert_eq!(
            noted(|p| assert_eq!(grid_clock(&text("09:10"), "at", "a break", 1800.0, p), None)),
            one(
                "at",
                "a break must fall on an interval boundary (every 30 minutes): shorten horizon.interval or round the time"
            )
        );
        assert_eq!(
            noted(|p| assert_eq!(grid_clock(&text("9h"), "at", "a break", 1800.0, p), None)),
            one("at", "\"9h\" is not a clock time: write it as \"09:00\"")
        );
    }

    fn profile(start: &str, weights: Vec<f64>) -> Spanned<IntradaySpec> {
        Spanned::new(
            0..1,
            IntradaySpec {
                start: text(start),
                weights: Spanned::new(2..3, weights),
                mon: None,
                tue: None,
                wed: None,
                thu: None,
                fri: None,
                sat: None,
                sun: None,
            },
        )
    }

    #[test]
    fn intraday_profiles_fill_their_intervals() {
        let mut p = Problems::default();
        let w = intraday(&profile("09:00", vec![1.0, 2.0]), "w", &week(), &mut p);
        assert!(p.list.is_empty());
        let w = w.expect("accepted");
        assert_eq!(w.len(), 48);
        assert_eq!((w[17], w[18], w[19], w[20]), (0.0, 1.0, 2.0, 0.0));
        let refuse = |start: &str, weights: Vec<f64>| {
            noted(|p| assert_eq!(intraday(&profile(start, weights), "w", &week(), p), None))
        };
        assert_eq!(
            refuse("09:10", vec![1.0]),
            one(
                "w.start",
                "must be at an interval boundary (intervals are 30 minutes)"
            )
        );
        assert_eq!(
            refuse("23:30", vec![1.0, 1.0]),
            one(
                "w.weights",
                "2 weights from 23:30 run past midnight (48 intervals a day)"
            )
        );
        assert_eq!(
            refuse("09:00", vec![1.0, -1.0]),
            one("w.weights", "weights must be non-negative numbers, got -1")
        );
        assert_eq!(
            refuse("09:00", vec![0.0]),
            one("w.weights", "at least one weight must be positive")
        );
    }

    fn list(values: &[Whole]) -> Option<Spanned<Vec<Spanned<Whole>>>> {
        Some(Spanned::new(
            4..5,
            values.iter().map(|&n| Spanned::new(6..7, n)).collect(),
        ))
    }

    fn staffing(start: &str, default: &[Whole], sat: &[Whole]) -> Spanned<StaffingSpec> {
        Spanned::new(
            0..1,
            StaffingSpec {
                start: Some(text(start)),
                file: None,
                column: None,
                default: list(default),
                mon: None,
                tue: None,
                wed: None,
                thu: None,
                fri: None,
                sat: list(sat),
                sun: None,
            },
        )
    }

    #[test]
    fn weekday_tables_give_a_row_per_weekday() {
        let mut p = Problems::default();
        let rows = table(
            &staffing("23:00", &[2, 3], &[1]),
            "s",
            "agents",
            &week(),
            &mut p,
        );
        assert!(p.list.is_empty());
        let monday = rows[0].as_ref().expect("the default");
        assert_eq!((monday[45], monday[46], monday[47]), (0.0, 2.0, 3.0));
        assert_eq!(rows[5].as_ref().map(|r| r[46]), Some(1.0));
        assert_eq!(rows[6], rows[0]);
        let refuse = |start: &str, default: &[Whole]| {
            noted(|p| {
                table(&staffing(start, default, &[1]), "s", "desks", &week(), p);
            })
        };
        assert_eq!(
            refuse("09:15", &[1]),
            one(
                "s.start",
                "must be at an interval boundary (intervals are 30 minutes)"
            )
        );
        assert_eq!(
            refuse("23:30", &[1, 1]),
            one(
                "s.default",
                "2 values from 23:30 run past midnight (48 intervals a day)"
            )
        );
        assert_eq!(
            refuse("09:00", &[1, -1]),
            one(
                "s.default[1]",
                "must be a whole number of desks from 0 to 100000, got -1"
            )
        );
    }
}
