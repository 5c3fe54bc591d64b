//! `pools.NAME.speed`: how fast the pool's agents work, as a number or as a
//! ramp over dates for new hires (`{ from, to, start, end }`), linear by date.

use toml::Spanned;

use crate::model::Calendar;
use crate::model::distribution::readable;
use crate::scenario::error::Problems;
use crate::scenario::spec::{NumberOr, SpeedRampSpec};

use super::super::fields::span;

/// The largest speed factor: ten times the themes' handle times' pace.
const MAX_SPEED: f64 = 10.0;

/// The speed on each horizon day (empty when it is 1 every day, or refused).
pub(super) fn speed(
    v: Option<&Spanned<NumberOr<SpeedRampSpec>>>,
    path: &str,
    calendar: &Calendar,
    p: &mut Problems,
) -> Vec<f64> {
    let Some(v) = v else {
        return Vec::new();
    };
    let days: Vec<f64> = match v.get_ref() {
        NumberOr::Number(x) => match factor(*x, path, span(v), p) {
            Some(x) => vec![x; calendar.days as usize],
            None => return Vec::new(),
        },
        NumberOr::Table(r) => match ramp(r, path, calendar, p) {
            Some(days) => days,
            None => return Vec::new(),
        },
    };
    if days.iter().all(|&s| s == 1.0) {
        return Vec::new();
    }
    days
}

/// A speed factor above 0 and at most [`MAX_SPEED`], or `None` after noting it.
fn factor(x: f64, path: &str, at: Option<std::ops::Range<usize>>, p: &mut Problems) -> Option<f64> {
    if x.is_finite() && x > 0.0 && x <= MAX_SPEED {
        return Some(x);
    }
    p.add(
        path,
        at,
        format!(
            "must be a speed factor above 0 and at most {MAX_SPEED} (0.7: handle times take 1/0.7 as long), got {}",
            readable(x)
        ),
    );
    None
}

/// The speed on each day of a ramp: `start` up to `from`, `end` from `to`
/// on, linear by date in between.
fn ramp(r: &SpeedRampSpec, path: &str, calendar: &Calendar, p: &mut Problems) -> Option<Vec<f64>> {
    let start = factor(
        *r.start.get_ref(),
        &format!("{path}.start"),
        span(&r.start),
        p,
    );
    let end = factor(*r.end.get_ref(), &format!("{path}.end"), span(&r.end), p);
    let (from, to) = (r.from.get_ref().0, r.to.get_ref().0);
    if to <= from {
        p.add(
            format!("{path}.to"),
            span(&r.to),
            format!("the ramp must end after it starts ({from}), got {to}"),
        );
        return None;
    }
    let (start, end) = (start?, end?);
    let len = (to - from).num_days() as f64;
    Some(
        (0..calendar.days)
            .map(|d| {
                let date = calendar.date(d);
                if date <= from {
                    start
                } else if date >= to {
                    end
                } else {
                    start + (end - start) * (date - from).num_days() as f64 / len
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar() -> Calendar {
        crate::scenario::parse_str(crate::scenario::QUICKSTART, "q.toml", None)
            .unwrap()
            .model
            .calendar
    }

    fn check(text: &str) -> (Vec<f64>, Vec<String>) {
        #[derive(serde::Deserialize)]
        struct Doc {
            speed: Spanned<NumberOr<SpeedRampSpec>>,
        }
        let doc: Doc = toml::from_str(text).unwrap();
        let mut p = Problems::default();
        let days = speed(Some(&doc.speed), "pools.p.speed", &calendar(), &mut p);
        let messages = p
            .list
            .into_iter()
            .map(|e| format!("{}: {}", e.path, e.message))
            .collect();
        (days, messages)
    }

    #[test]
    fn a_ramp_is_linear_by_date_between_its_ends() {
        let c = calendar();
        let from = c.date(1);
        let to = c.date(5);
        let (days, problems) = check(&format!(
            "speed = {{ from = {from}, to = {to}, start = 0.6, end = 1.0 }}"
        ));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(days.len(), c.days as usize);
        assert_eq!(days[0], 0.6);
        assert_eq!(days[1], 0.6);
        assert!((days[3] - 0.8).abs() < 1e-12);
        assert_eq!(days[5], 1.0);
        assert_eq!(days[6], 1.0);
    }

    #[test]
    fn a_speed_of_one_everywhere_is_no_speed() {
        assert_eq!(check("speed = 1").0, Vec::<f64>::new());
        assert_eq!(check("speed = 0.5").0, vec![0.5; 7]);
    }

    #[test]
    fn bad_speeds_are_refused_with_their_field() {
        assert_eq!(
            check("speed = 0").1,
            [
                "pools.p.speed: must be a speed factor above 0 and at most 10 (0.7: handle times take 1/0.7 as long), got 0"
            ]
        );
        let (_, problems) =
            check("speed = { from = 2021-05-01, to = 2021-04-01, start = -1, end = 1 }");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("pools.p.speed.start: must be a speed factor"));
        assert_eq!(
            problems[1],
            "pools.p.speed.to: the ramp must end after it starts (2021-05-01), got 2021-04-01"
        );
    }
}
