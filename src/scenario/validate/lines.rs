//! `[lines.NAME]`: entry points with their opening hours, closed days, queue
//! limit and price, and the line's announcement, callback offer and
//! appointment book.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use indexmap::IndexMap;
use toml::Spanned;

use crate::model::holidays::{REGIONS, holidays};
use crate::model::{Calendar, Line, Seconds};
use crate::scenario::error::Problems;
use crate::scenario::spec::{LineSpec, ScenarioSpec};
use crate::scenario::values::parse_window;

use super::behaviour::{announcement, callback};
use super::counter::book;
use super::fields::{price, span, weekday_key, whole};

/// Opening window per weekday (Monday first), `None` on a closed day.
type Hours = [Option<(Seconds, Seconds)>; 7];

/// Monday to Friday 09:00-19:00: the hours of a line that gives none.
fn default_hours() -> Hours {
    let mut h = [None; 7];
    for w in &mut h[..5] {
        *w = Some((9.0 * 3600.0, 19.0 * 3600.0));
    }
    h
}

/// The scenario's lines: one line `main` with the default hours when it
/// names none. Without a calendar (the horizon is wrong) the hours are not
/// held against the interval grid, and no holiday or appointment is laid out.
pub(super) fn lines(
    spec: &ScenarioSpec,
    calendar: Option<&Calendar>,
    p: &mut Problems,
) -> Vec<Line> {
    if spec.lines.is_empty() {
        return vec![Line {
            name: "main".to_string(),
            hours: default_hours(),
            closed: BTreeSet::new(),
            price_per_second: 0.0,
            max_queue: None,
            announcement: None,
            callback: None,
            book: None,
        }];
    }
    spec.lines
        .iter()
        .map(|(name, l)| line(name, l.get_ref(), calendar, p))
        .collect()
}

/// One line, with what was refused left out.
fn line(name: &str, ls: &LineSpec, calendar: Option<&Calendar>, p: &mut Problems) -> Line {
    let path = format!("lines.{name}");
    let hours = match &ls.hours {
        None => default_hours(),
        Some(map) => hours(map, &path, calendar.map(|c| c.interval), p),
    };
    let price = price(
        ls.price_per_second.as_ref(),
        &format!("{path}.price_per_second"),
        p,
    )
    .unwrap_or(0.0);
    let closed = closed_days(ls, &path, calendar, p);
    let max_queue = ls.max_queue.as_ref().and_then(|m| {
        whole(
            m,
            0..=1_000_000,
            "waiting contacts",
            &format!("{path}.max_queue"),
            p,
        )
    });
    let announcement = ls
        .announcement
        .as_ref()
        .and_then(|a| announcement(a, &format!("{path}.announcement"), p));
    let callback = ls
        .callback
        .as_ref()
        .and_then(|c| callback(c, &format!("{path}.callback"), p));
    let mut line = Line {
        name: name.to_string(),
        hours,
        closed,
        price_per_second: price,
        max_queue,
        announcement,
        callback,
        book: None,
    };
    if let (Some(b), Some(calendar)) = (&ls.appointments, calendar) {
        line.book = book(b, &format!("{path}.appointments"), &line, calendar, p);
    }
    line
}

/// `hours = { mon-fri = "09:00-19:00", sat = "closed" }`: a weekday not
/// named is closed. Arrivals are spread over whole intervals, so a line
/// opens and closes on interval boundaries.
fn hours(
    map: &IndexMap<String, Spanned<String>>,
    path: &str,
    interval: Option<Seconds>,
    p: &mut Problems,
) -> Hours {
    let mut h = [None; 7];
    for (key, value) in map {
        let kpath = format!("{path}.hours.{key}");
        let Some(days) = weekday_key(key, &kpath, span(value), p) else {
            continue;
        };
        match parse_window(value.get_ref()) {
            Ok(Some((open, close)))
                if interval.is_some_and(|i| open % i != 0.0 || close % i != 0.0) =>
            {
                p.add(
                    kpath,
                    span(value),
                    format!(
                        "opening and closing must fall on interval boundaries (every {} minutes): shorten horizon.interval or round the hours",
                        interval.unwrap_or(0.0) / 60.0
                    ),
                );
            }
            Ok(w) => days.iter().for_each(|d| h[d.index()] = w),
            Err(e) => p.add(kpath, span(value), e),
        }
    }
    h
}

/// The dates the line is closed: those listed, and the public holidays of
/// its `holidays` region over the horizon's years and the year after (an
/// e-mail's deadline may fall there).
fn closed_days(
    ls: &LineSpec,
    path: &str,
    calendar: Option<&Calendar>,
    p: &mut Problems,
) -> BTreeSet<NaiveDate> {
    let mut closed: BTreeSet<NaiveDate> = ls.closed.iter().map(|d| d.get_ref().0).collect();
    let Some(region) = &ls.holidays else {
        return closed;
    };
    if !REGIONS.contains(&region.get_ref().as_str()) {
        p.add(
            format!("{path}.holidays"),
            span(region),
            format!(
                "unknown holiday calendar \"{}\": use {}",
                region.get_ref(),
                REGIONS.join(" or ")
            ),
        );
    } else if let Some(cal) = calendar {
        let first = cal.start.year();
        let last = cal.date(cal.days.saturating_sub(1)).year() + 1;
        for year in first..=last {
            closed.extend(holidays(region.get_ref(), year).into_iter().flatten());
        }
    }
    closed
}
