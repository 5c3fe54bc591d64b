//! `[pools.NAME]`: agent pools with their skills, their staffing (a
//! constant, a table or shifts), the time they lose and their temporary
//! extra support; and no stream left without a pool to serve it.

mod extra;
mod schedule;
mod shifts;
mod skills;
mod speed;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use toml::Spanned;

use crate::model::{Calendar, Line, Pool, Stream, Theme};
use crate::scenario::error::Problems;
use crate::scenario::spec::{PoolSpec, ScenarioSpec};

use super::fields::{money, multiplier, share_below_one, span, whole};

/// What the pools are checked against: the validated calendar, lines,
/// themes and their streams.
pub(super) struct Served<'a> {
    /// The horizon.
    pub calendar: &'a Calendar,
    /// The lines, whose hours tell when a pool works.
    pub lines: &'a [Line],
    /// The themes, which skills name.
    pub themes: &'a [Theme],
    /// The streams of demand the skills serve.
    pub streams: &'a [Stream],
    /// Where relative file names (staffing files) are resolved.
    pub base_dir: Option<&'a std::path::Path>,
}

/// Every pool of the scenario; `agents_scale` multiplies every pool's staffing.
pub(super) fn pools(
    spec: &ScenarioSpec,
    served: &Served,
    agents_scale: f64,
    p: &mut Problems,
) -> Vec<Pool> {
    // A pool whose skills match nothing is reported only when nothing else
    // is wrong: an invalid theme already leaves its streams out, and the
    // pool would be reported for it again.
    let report_idle = p.list.is_empty();
    if spec.pools.get_ref().is_empty() {
        p.add(
            "pools",
            span(&spec.pools),
            "a scenario needs at least one agent pool",
        );
    }
    let out: Vec<Pool> = spec
        .pools
        .get_ref()
        .iter()
        .map(|(name, ps)| pool(name, ps, served, agents_scale, report_idle, p))
        .collect();
    unserved(spec, served, &out, p);
    out
}

/// One pool, with what was refused left out.
fn pool(
    name: &str,
    ps: &Spanned<PoolSpec>,
    served: &Served,
    agents_scale: f64,
    report_idle: bool,
    p: &mut Problems,
) -> Pool {
    let path = format!("pools.{name}");
    let s = ps.get_ref();
    let calendar = served.calendar;
    let skills = skills::skills(s, &path, served.themes, served.streams, report_idle, p);
    let shrinkage = share_below_one(s.shrinkage.as_ref(), &format!("{path}.shrinkage"), p);
    // The pool works when one of the lines it serves is open.
    let pool_lines: BTreeSet<usize> = skills
        .iter()
        .map(|k| served.streams[k.stream].line)
        .collect();
    let works: Vec<bool> = (0..calendar.days)
        .map(|d| {
            let date = calendar.date(d);
            pool_lines
                .iter()
                .any(|&l| served.lines[l].is_working_day(date))
        })
        .collect();
    let windows = |date: NaiveDate| -> Vec<(f64, f64)> {
        pool_lines
            .iter()
            .filter_map(|&l| served.lines[l].window_on(date))
            .collect()
    };
    let scale = multiplier(s.scale.as_ref(), &format!("{path}.scale"), p) * agents_scale;
    let (shifts, scheduled) = schedule::schedule(ps, &path, served, &works, &windows, scale, p);
    let absenteeism = share_below_one(s.absenteeism.as_ref(), &format!("{path}.absenteeism"), p);
    let (extra, extra_cost) = extra::extra(
        &s.extra,
        &format!("{path}.extra"),
        calendar,
        &works,
        &windows,
        p,
    );
    let hour_price = s
        .hour_price
        .as_ref()
        .and_then(|v| money(v, &format!("{path}.hour_price"), "price per agent-hour", p))
        .unwrap_or(0.0);
    let speed = speed::speed(s.speed.as_ref(), &format!("{path}.speed"), calendar, p);
    let email_reserve = s.email_reserve.as_ref().map_or(0, |v| {
        whole(
            v,
            0..=100_000,
            "agents",
            &format!("{path}.email_reserve"),
            p,
        )
        .unwrap_or(0)
    });
    let mut pool = Pool {
        name: name.to_string(),
        skills,
        available: Vec::new(),
        scheduled,
        shrinkage,
        absenteeism,
        shifts,
        extra,
        extra_cost,
        hour_price,
        speed,
        email_reserve,
    };
    pool.available = (0..calendar.intervals())
        .map(|i| pool.available_with(i, pool.scheduled[i]))
        .collect();
    pool
}

/// Notes every stream that no pool has a skill for: its contacts would
/// never be answered.
fn unserved(spec: &ScenarioSpec, served: &Served, pools: &[Pool], p: &mut Problems) {
    for (si, st) in served.streams.iter().enumerate() {
        if pools
            .iter()
            .any(|pool| pool.skills.iter().any(|k| k.stream == si))
        {
            continue;
        }
        let theme = &served.themes[st.theme].name;
        // Point at the theme's volume on that channel (it has one: the
        // stream exists), else at the theme, else at `themes`.
        let at = spec.themes.get_ref().get(theme.as_str()).map(|t| {
            let v = t.get_ref().volume.get_ref();
            let on = v.get(st.channel);
            on.map_or_else(|| t.span(), |v| v.span())
        });
        p.add(
            format!("themes.{theme}.volume.{}", st.channel.name()),
            at.or_else(|| span(&spec.themes)),
            format!(
                "no pool has a skill for theme \"{theme}\" on {}: its contacts would never be answered",
                st.channel.name()
            ),
        );
    }
}
