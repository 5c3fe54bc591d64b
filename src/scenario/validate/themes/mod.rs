//! `[themes.NAME]`: streams of demand. A theme's own fields (line,
//! uncertainty, profiles, peaks, start, price, self-service, mailing waves)
//! are checked first; then each channel with volume becomes a stream.

mod arrivals;
mod mailings;
mod peaks;
mod streams;

use chrono::NaiveDate;
use toml::Spanned;

use crate::model::distribution::readable;
use crate::model::{Calendar, Line, Stream, Theme, Uncertainty, UncertaintyPeriod};
use crate::scenario::error::{Problems, did_you_mean};
use crate::scenario::spec::ThemeSpec;

use super::fields::{price, share, span, unknown, weekday_factors};
use super::grid::intraday_week;
use arrivals::Pattern;
pub(in crate::scenario::validate) use streams::Source;
use streams::{Demand, streams};

/// The themes and their streams, in the file's order.
pub(super) fn themes(src: &Source, p: &mut Problems) -> (Vec<Theme>, Vec<Stream>) {
    let mut themes = Vec::new();
    let mut streams = Vec::new();
    let spec = src.spec;
    if spec.themes.get_ref().is_empty() {
        p.add(
            "themes",
            span(&spec.themes),
            "a scenario needs at least one theme",
        );
    }
    for (name, ts) in spec.themes.get_ref() {
        let index = themes.len();
        themes.push(theme(src, name, ts, index, &mut streams, p));
    }
    (themes, streams)
}

/// One theme, whose streams go to `streams`.
fn theme(
    src: &Source,
    name: &str,
    ts: &Spanned<ThemeSpec>,
    index: usize,
    streams_out: &mut Vec<Stream>,
    p: &mut Problems,
) -> Theme {
    let path = format!("themes.{name}");
    let t = ts.get_ref();
    let calendar = src.calendar;
    let line = line_of(ts, &path, src.lines, p);
    let uncertainty = uncertainty(t, &path, p);
    let weekday = weekday_weights(t, &path, p);
    let intraday_live = t
        .intraday_weights
        .as_ref()
        .and_then(|s| intraday_week(s, &format!("{path}.intraday_weights"), calendar, p));
    let intraday_email = t
        .email_intraday_weights
        .as_ref()
        .and_then(|s| intraday_week(s, &format!("{path}.email_intraday_weights"), calendar, p));
    let peaks = peaks::peaks(t, &path, calendar, p);
    let first = first_day(t, &path, calendar, p);
    let price = price(
        t.price_per_second.as_ref(),
        &format!("{path}.price_per_second"),
        p,
    )
    .or_else(|| line.map(|l| src.lines[l].price_per_second))
    .unwrap_or(0.0);
    let deflection = t
        .deflection
        .as_ref()
        .and_then(|d| share(d, &format!("{path}.deflection"), p))
        .unwrap_or(0.0);
    let mailing_extra = mailings::mailings(t, &path, calendar, line.map(|l| &src.lines[l]), p);
    let last_day = calendar.date(calendar.days - 1);
    let demand = Demand {
        t,
        path: &path,
        theme: index,
        line,
        price,
        pattern: Pattern {
            first,
            active_days: (last_day - first).num_days() + 1,
            weekday,
            intraday_live,
            intraday_email,
            peaks,
            deflection,
            mailing_extra,
        },
    };
    streams_out.extend(streams(src, &demand, p));
    Theme {
        name: name.to_string(),
        line: line.unwrap_or(0),
        uncertainty,
    }
}

/// The index of the line the theme comes in through: the only line when it
/// names none.
fn line_of(ts: &Spanned<ThemeSpec>, path: &str, lines: &[Line], p: &mut Problems) -> Option<usize> {
    match &ts.get_ref().line {
        None if lines.len() == 1 => Some(0),
        None => {
            p.add(
                format!("{path}.line"),
                span(ts),
                format!(
                    "the scenario has {} lines: say which one this theme comes in through",
                    lines.len()
                ),
            );
            None
        }
        Some(l) => {
            let found = lines.iter().position(|x| &x.name == l.get_ref());
            if found.is_none() {
                let known: Vec<&str> = lines.iter().map(|x| x.name.as_str()).collect();
                p.add(
                    format!("{path}.line"),
                    span(l),
                    unknown("line", l.get_ref(), &known),
                );
            }
            found
        }
    }
}

/// The forecast error of the theme's volume level, when it gives one.
fn uncertainty(t: &ThemeSpec, path: &str, p: &mut Problems) -> Option<Uncertainty> {
    let us = t.uncertainty.as_ref()?.get_ref();
    let cv = *us.cv.get_ref();
    let per = match us.per.as_ref().map(|x| x.get_ref().as_str()) {
        None | Some("day") => UncertaintyPeriod::Day,
        Some("replication") => UncertaintyPeriod::Replication,
        Some(other) => {
            p.add(
                format!("{path}.uncertainty.per"),
                us.per.as_ref().map(|x| x.span()),
                format!(
                    "unknown period \"{other}\": use \"day\" or \"replication\"{}",
                    did_you_mean(other, ["day", "replication"])
                ),
            );
            return None;
        }
    };
    if !(cv.is_finite() && cv > 0.0 && cv <= 2.0) {
        p.add(
            format!("{path}.uncertainty.cv"),
            span(&us.cv),
            format!(
                "must be a coefficient of variation above 0 and at most 2, got {}",
                readable(cv)
            ),
        );
        return None;
    }
    Some(Uncertainty { cv, per })
}

/// Weekday weights, normalised to a Monday–Friday mean of 1. A weekday not
/// listed weighs 1, a Saturday or Sunday not listed a quarter (e-mail keeps
/// coming in at the weekend, and so do calls on a line that opens then).
fn weekday_weights(t: &ThemeSpec, path: &str, p: &mut Problems) -> [f64; 7] {
    let mut weekday = [1.0, 1.0, 1.0, 1.0, 1.0, 0.25, 0.25];
    let Some(ww) = &t.weekday_weights else {
        return weekday;
    };
    let wpath = format!("{path}.weekday_weights");
    let given = weekday_factors(ww.get_ref(), &wpath, "a non-negative weight", p);
    for (w, g) in weekday.iter_mut().zip(given) {
        *w = g.unwrap_or(*w);
    }
    let mean: f64 = weekday[..5].iter().sum::<f64>() / 5.0;
    if mean <= 0.0 {
        p.add(
            wpath,
            span(ww),
            "at least one weekday from mon to fri needs a positive weight",
        );
    } else {
        weekday.iter_mut().for_each(|w| *w /= mean);
    }
    weekday
}

/// The theme's first day: no contacts before it, and `per_month` and
/// `per_year` count the days from it on.
fn first_day(t: &ThemeSpec, path: &str, calendar: &Calendar, p: &mut Problems) -> NaiveDate {
    let last_day = calendar.date(calendar.days - 1);
    match &t.start {
        Some(s) if s.get_ref().0 > last_day => {
            p.add(
                format!("{path}.start"),
                span(s),
                format!(
                    "the theme starts ({}) after the horizon ends ({last_day}): it would have no contacts",
                    s.get_ref().0
                ),
            );
            calendar.start
        }
        Some(s) => s.get_ref().0.max(calendar.start),
        None => calendar.start,
    }
}
