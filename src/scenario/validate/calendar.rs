//! `[horizon]`: the days simulated and the interval grid every other
//! section is laid on.

use chrono::NaiveDate;
use toml::Spanned;

use crate::model::Calendar;
use crate::model::calendar::DAY;
use crate::model::distribution::readable;
use crate::scenario::error::Problems;
use crate::scenario::spec::{HorizonSpec, ScenarioSpec};
use crate::scenario::values::{DurationValue, LAST_DATE};

use super::fields::span;

/// The horizon's calendar, or `None` after noting why there is none.
pub(super) fn calendar(spec: &ScenarioSpec, p: &mut Problems) -> Option<Calendar> {
    let h = spec.horizon.get_ref();
    let start = h.start.get_ref().0;
    let days = days(&spec.horizon, start, p)?;
    // `end` is a date, within LAST_DATE; `days` may run past it.
    let most = (LAST_DATE - start).num_days() + 1;
    if i64::from(days) > most
        && let Some(d) = &h.days
    {
        p.add(
            "horizon.days",
            span(d),
            format!(
                "the horizon must end by {LAST_DATE}, the last date ccsim handles: from {start} that is at most {most} day{}, got {days}",
                if most == 1 { "" } else { "s" }
            ),
        );
        return None;
    }
    let interval = match &h.interval {
        None => 1800.0,
        Some(i) => interval(i, p)?,
    };
    Some(Calendar::new(start, days, interval))
}

/// The number of days, from `days` or from the last day `end`: one of them,
/// up to 100 years.
fn days(horizon: &Spanned<HorizonSpec>, start: NaiveDate, p: &mut Problems) -> Option<u32> {
    let h = horizon.get_ref();
    match (&h.days, &h.end) {
        (Some(d), None) => {
            let n = *d.get_ref();
            if !(1..=36_600).contains(&n) {
                p.add(
                    "horizon.days",
                    span(d),
                    format!("must be between 1 and 36600 days, got {n}"),
                );
                return None;
            }
            Some(n as u32)
        }
        (None, Some(e)) => {
            let n = (e.get_ref().0 - start).num_days() + 1;
            if !(1..=36_600).contains(&n) {
                p.add(
                    "horizon.end",
                    span(e),
                    format!(
                        "must be on or after horizon.start ({start}) and within 100 years, got {}",
                        e.get_ref().0
                    ),
                );
                return None;
            }
            Some(n as u32)
        }
        (Some(d), Some(_)) => {
            p.add("horizon", span(d), "give either `days` or `end`, not both");
            None
        }
        (None, None) => {
            p.add(
                "horizon",
                span(horizon),
                "missing `days` (number of days) or `end` (last date)",
            );
            None
        }
    }
}

/// The interval length in seconds: at least a minute, a whole number of them a day.
fn interval(i: &Spanned<DurationValue>, p: &mut Problems) -> Option<f64> {
    let secs = i.get_ref().0;
    let per_day = DAY / secs;
    if !(secs >= 60.0 && (per_day - per_day.round()).abs() < 1e-9) {
        p.add(
            "horizon.interval",
            span(i),
            format!(
                "must divide a day into whole intervals of at least a minute (e.g. \"15m\", \"30m\", \"1h\"), got {} s",
                readable(secs)
            ),
        );
        return None;
    }
    Some(secs)
}
