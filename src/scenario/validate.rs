//! Validation: a [`ScenarioSpec`] becomes a [`Model`], or every problem in it
//! is reported at once, each with its location and dotted path.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use toml::Spanned;

use crate::model::calendar::DAY;
use crate::model::distribution::empirical_from_csv;
use crate::model::{
    Bound, Calendar, Channel, ChannelConfig, Distribution, Line, Model, Pool, Promise,
    PromiseScope, Skill, Stream, Targets, Theme, Uncertainty, UncertaintyPeriod, Weekday,
};

use super::error::{Problems, did_you_mean};
use super::spec::*;
use super::values::{parse_clock, parse_window};

pub(crate) fn span<T>(s: &Spanned<T>) -> Option<Range<usize>> {
    Some(s.span())
}

/// Builds the model; `base_dir` resolves relative file names (empirical CSVs).
pub fn build(spec: &ScenarioSpec, base_dir: Option<&Path>, p: &mut Problems) -> Option<Model> {
    let calendar = calendar(spec, p);
    let channels = channels(&spec.channels, base_dir, p);
    let lines = lines(spec, calendar.as_ref(), p);
    let calendar = calendar?;
    let (volume_scale, agents_scale) = scales(spec.scale.as_ref(), p);
    let only_line = (spec.lines.len() == 1).then(|| lines[0].name.as_str());
    super::menu::check(spec, only_line, p);
    let mut lines = lines;
    let (themes, mut streams) = themes(spec, &calendar, &lines, &channels, base_dir, p);
    super::counter::attach_products(spec, &themes, &mut streams, &mut lines, &calendar, p);
    super::behaviour::transfers(spec, &themes, &mut streams, p);
    for s in &mut streams {
        s.expected.iter_mut().for_each(|e| *e *= volume_scale);
    }
    let pools = pools(spec, &calendar, &lines, &themes, &streams, agents_scale, p);
    let targets = targets(spec.targets.as_ref(), p);
    let expect = expect(spec.expect.as_ref(), &streams, &pools, p);
    if !p.list.is_empty() {
        return None;
    }
    Some(Model {
        name: spec
            .name
            .clone()
            .unwrap_or_else(|| "unnamed scenario".to_string()),
        description: spec.description.clone().unwrap_or_default(),
        calendar,
        lines,
        channels,
        themes,
        streams,
        pools,
        targets,
        expect,
    })
}

/// `[expect]`: each promise's figure must exist in this scenario (a channel
/// with demand, a pool by name) and its value be a bound and a threshold in
/// the figure's unit.
fn expect(
    spec: Option<&ExpectSpec>,
    streams: &[Stream],
    pools: &[Pool],
    p: &mut Problems,
) -> Vec<Promise> {
    let mut out = Vec::new();
    let Some(spec) = spec else {
        return out;
    };
    let active: Vec<&str> = Channel::ALL
        .into_iter()
        .filter(|c| streams.iter().any(|s| s.channel == *c))
        .map(Channel::name)
        .collect();
    let live: Vec<&str> = active.iter().copied().filter(|c| *c != "email").collect();
    let pool_names: Vec<&str> = pools.iter().map(|x| x.name.as_str()).collect();
    #[derive(Clone, Copy)]
    enum Unit {
        Share,
        Seconds,
        Money,
    }
    let mut one = |figure: String,
                   metric: &str,
                   scope: PromiseScope,
                   unit: Unit,
                   value: &Spanned<String>,
                   p: &mut Problems| {
        let path = format!("expect.{figure}");
        let text = value.get_ref().trim();
        let (bound, rest) = if let Some(r) = text.strip_prefix(">=") {
            (Bound::AtLeast, r)
        } else if let Some(r) = text.strip_prefix("<=") {
            (Bound::AtMost, r)
        } else {
            p.add(
                path,
                span(value),
                format!("must be a bound and a threshold, e.g. \">= 0.85\" or \"<= 45s\", got \"{text}\""),
            );
            return;
        };
        let rest = rest.trim();
        let threshold = match unit {
            Unit::Share => {
                let (number, scale) = match rest.strip_suffix('%') {
                    Some(n) => (n.trim(), 100.0),
                    None => (rest, 1.0),
                };
                match number.parse::<f64>() {
                    Ok(x) if x.is_finite() && (0.0..=1.0).contains(&(x / scale)) => x / scale,
                    _ => {
                        p.add(
                            path,
                            span(value),
                            format!("the threshold must be a share from 0 to 1 or a percentage (0.85 or 85%), got \"{rest}\""),
                        );
                        return;
                    }
                }
            }
            Unit::Seconds => match crate::model::duration::parse_duration(rest) {
                Ok(x) if x.is_finite() && x >= 0.0 => x,
                _ => {
                    p.add(
                        path,
                        span(value),
                        format!("the threshold must be a duration, e.g. \"45s\" or \"2m\", got \"{rest}\""),
                    );
                    return;
                }
            },
            Unit::Money => match rest.replace('_', "").parse::<f64>() {
                Ok(x) if x.is_finite() && x >= 0.0 => x,
                _ => {
                    p.add(
                        path,
                        span(value),
                        format!("the threshold must be an amount, e.g. 1.2e6 or 1_200_000, got \"{rest}\""),
                    );
                    return;
                }
            },
        };
        out.push(Promise {
            figure,
            metric: metric.to_string(),
            scope,
            bound,
            threshold,
        });
    };
    let channel_tables = [
        (
            "reachability",
            "reachability",
            &spec.reachability,
            true,
            &active,
            Unit::Share,
        ),
        (
            "service_level",
            "service_level",
            &spec.service_level,
            false,
            &live,
            Unit::Share,
        ),
        (
            "abandonment",
            "abandon_share",
            &spec.abandonment,
            false,
            &live,
            Unit::Share,
        ),
        ("asa", "asa", &spec.asa, false, &active, Unit::Seconds),
    ];
    for (field, metric, table, total, allowed, unit) in channel_tables {
        for (key, value) in table.iter().flatten() {
            let figure = format!("{field}.{key}");
            let scope = if total && key == "total" {
                PromiseScope::Total
            } else if allowed.contains(&key.as_str()) {
                PromiseScope::Channel(key.clone())
            } else {
                let mut keys: Vec<&str> = allowed.to_vec();
                if total {
                    keys.push("total");
                }
                let known = ["call", "chat", "email", "visit", "total"].contains(&key.as_str());
                p.add(
                    format!("expect.{figure}"),
                    span(value),
                    if known && keys.is_empty() {
                        format!("this scenario has no channel with a {field} figure")
                    } else if known {
                        format!(
                            "this scenario has no {field} figure for `{key}`: use {}",
                            keys.join(", ")
                        )
                    } else {
                        format!(
                            "`{key}` is not a channel: use {}{}",
                            keys.join(", "),
                            did_you_mean(key, keys.iter().copied())
                        )
                    },
                );
                continue;
            };
            one(figure, metric, scope, unit, value, p);
        }
    }
    for (key, value) in spec.occupancy.iter().flatten() {
        let figure = format!("occupancy.{key}");
        if !pool_names.contains(&key.as_str()) {
            p.add(
                format!("expect.{figure}"),
                span(value),
                format!(
                    "no pool `{key}`: the pools are {}{}",
                    pool_names.join(", "),
                    did_you_mean(key, pool_names.iter().copied())
                ),
            );
            continue;
        }
        one(
            figure,
            "occupancy",
            PromiseScope::Pool(key.clone()),
            Unit::Share,
            value,
            p,
        );
    }
    if let Some(value) = &spec.cost {
        one(
            "cost".to_string(),
            "cost",
            PromiseScope::Total,
            Unit::Money,
            value,
            p,
        );
    }
    out
}

/// Extra contacts per channel and horizon day from a theme's mailing waves.
/// Each wave brings `letters × response` contacts of a channel, starting the
/// day after sending, the k-th eligible day getting a share (1 − r)·r^k with
/// r = 0.5^(1 / half_life_days): calls and chats come only on the line's
/// working days, e-mails on any day. Contacts that would come after the
/// horizon are not simulated.
fn mailings(
    t: &ThemeSpec,
    path: &str,
    calendar: &Calendar,
    line: Option<&Line>,
    p: &mut Problems,
) -> [Vec<f64>; Channel::COUNT] {
    let days = calendar.days as usize;
    let mut extra: [Vec<f64>; Channel::COUNT] = std::array::from_fn(|_| vec![0.0; days]);
    for (i, m) in t.mailings.iter().enumerate() {
        let mpath = format!("{path}.mailings[{i}]");
        let ms = m.get_ref();
        let letters = *ms.letters.get_ref();
        if !(letters.is_finite() && letters >= 0.0) {
            p.add(
                format!("{mpath}.letters"),
                span(&ms.letters),
                format!("must be a non-negative number of letters, got {letters}"),
            );
            continue;
        }
        let half_life = ms.half_life_days.as_ref().map_or(2.0, |h| *h.get_ref());
        if !(half_life.is_finite() && half_life > 0.0 && half_life <= 365.0) {
            p.add(
                format!("{mpath}.half_life_days"),
                ms.half_life_days.as_ref().map(|h| h.span()),
                format!("must be a number of days above 0 and at most 365, got {half_life}"),
            );
            continue;
        }
        let r = 0.5f64.powf(1.0 / half_life);
        let sent = ms.sent.get_ref().0;
        for (cname, share) in ms.response.get_ref() {
            let x = *share.get_ref();
            let Some(channel) = Channel::from_name(cname) else {
                p.add(
                    format!("{mpath}.response.{cname}"),
                    span(share),
                    format!(
                        "unknown channel \"{cname}\": use call, chat, email or visit{}",
                        did_you_mean(cname, ["call", "chat", "email", "visit"])
                    ),
                );
                continue;
            };
            if !(x.is_finite() && (0.0..=100.0).contains(&x)) {
                p.add(
                    format!("{mpath}.response.{cname}"),
                    span(share),
                    format!("must be contacts per letter from 0 to 100, got {x}"),
                );
                continue;
            }
            let has_volume = t.volume.get_ref().get(channel).is_some();
            if !has_volume {
                p.add(
                    format!("{mpath}.response.{cname}"),
                    span(share),
                    format!("the theme has no volume.{cname}: add it (it may be `{{ per_day = 0 }}`) so that its handle time and routing are known"),
                );
                continue;
            }
            let Some(line) = line else { continue };
            let total = letters * x;
            let mut k = 0i32;
            // Walk from the day after sending, also through days before the
            // horizon (they use up the wave), until the remainder is negligible.
            let mut date = sent;
            while k < 10_000 {
                let Some(next) = date.succ_opt() else { break };
                date = next;
                let eligible = !channel.is_live() || line.window_on(date).is_some();
                if !eligible {
                    continue;
                }
                let share_today = (1.0 - r) * r.powi(k);
                if let Some(d) = calendar.day_of(date) {
                    extra[channel.index()][d as usize] += total * share_today;
                }
                k += 1;
                if r.powi(k) < 1e-6 || calendar.day_of(date).is_none() && date > calendar.start {
                    break;
                }
            }
        }
    }
    extra
}

/// A multiplier: finite, from 0 to 100.
fn multiplier(v: Option<&Spanned<f64>>, path: &str, p: &mut Problems) -> f64 {
    let Some(v) = v else {
        return 1.0;
    };
    let x = *v.get_ref();
    if x.is_finite() && (0.0..=100.0).contains(&x) {
        x
    } else {
        p.add(
            path,
            span(v),
            format!("must be a multiplier from 0 to 100, got {x}"),
        );
        1.0
    }
}

/// `[scale]`: the volume and staffing multipliers of the whole scenario.
fn scales(spec: Option<&ScaleSpec>, p: &mut Problems) -> (f64, f64) {
    match spec {
        None => (1.0, 1.0),
        Some(s) => (
            multiplier(s.volume.as_ref(), "scale.volume", p),
            multiplier(s.agents.as_ref(), "scale.agents", p),
        ),
    }
}

/// `[targets]`: shares from 0 to 1 per channel (and `total` for reachability).
fn targets(spec: Option<&TargetsSpec>, p: &mut Problems) -> Targets {
    let mut out = Targets::default();
    let Some(spec) = spec else {
        return out;
    };
    let tables = [
        (
            "reachability",
            &spec.reachability,
            &mut out.reachability,
            &["call", "chat", "email", "visit", "total"][..],
        ),
        (
            "service_level",
            &spec.service_level,
            &mut out.service_level,
            &["call", "chat"][..],
        ),
    ];
    for (field, given, into, keys) in tables {
        for (key, value) in given.iter().flatten() {
            let path = format!("targets.{field}.{key}");
            let x = *value.get_ref();
            if !keys.contains(&key.as_str()) {
                p.add(
                    path,
                    span(value),
                    format!(
                        "`{key}` has no {field} target: use {}{}",
                        keys.join(", "),
                        did_you_mean(key, keys.iter().copied())
                    ),
                );
            } else if !(x.is_finite() && (0.0..=1.0).contains(&x)) {
                p.add(
                    path,
                    span(value),
                    format!("must be a share from 0 to 1 (0.9 for 90%), got {x}"),
                );
            } else {
                into.insert(key.clone(), x);
            }
        }
    }
    out
}

fn calendar(spec: &ScenarioSpec, p: &mut Problems) -> Option<Calendar> {
    let h = spec.horizon.get_ref();
    let start = h.start.get_ref().0;
    let days = match (&h.days, &h.end) {
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
            n as u32
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
            n as u32
        }
        (Some(d), Some(_)) => {
            p.add("horizon", span(d), "give either `days` or `end`, not both");
            return None;
        }
        (None, None) => {
            p.add(
                "horizon",
                span(&spec.horizon),
                "missing `days` (number of days) or `end` (last date)",
            );
            return None;
        }
    };
    let interval = match &h.interval {
        None => 1800.0,
        Some(i) => {
            let secs = i.get_ref().0;
            let per_day = DAY / secs;
            if !(secs >= 60.0 && (per_day - per_day.round()).abs() < 1e-9) {
                p.add("horizon.interval", span(i), format!("must divide a day into whole intervals of at least a minute (e.g. \"15m\", \"30m\", \"1h\"), got {secs} s"));
                return None;
            }
            secs
        }
    };
    Some(Calendar::new(start, days, interval))
}

pub(super) fn weekday_keys(key: &str) -> Option<Vec<Weekday>> {
    if let Some(w) = Weekday::from_name(key) {
        return Some(vec![w]);
    }
    let (a, b) = key.split_once('-')?;
    let (a, b) = (Weekday::from_name(a)?, Weekday::from_name(b)?);
    (a.index() <= b.index()).then(|| Weekday::ALL[a.index()..=b.index()].to_vec())
}

fn lines(spec: &ScenarioSpec, calendar: Option<&Calendar>, p: &mut Problems) -> Vec<Line> {
    let interval = calendar.map(|c| c.interval);
    let default_hours = {
        let mut h = [None; 7];
        for w in &mut h[..5] {
            *w = Some((9.0 * 3600.0, 19.0 * 3600.0));
        }
        h
    };
    if spec.lines.is_empty() {
        return vec![Line {
            name: "main".to_string(),
            hours: default_hours,
            closed: BTreeSet::new(),
            price_per_second: 0.0,
            max_queue: None,
            announcement: None,
            callback: None,
            book: None,
        }];
    }
    let mut out = Vec::new();
    for (name, l) in &spec.lines {
        let path = format!("lines.{name}");
        let ls = l.get_ref();
        let hours = match &ls.hours {
            None => default_hours,
            Some(map) => {
                let mut h = [None; 7];
                for (key, value) in map {
                    let Some(days) = weekday_keys(key) else {
                        p.add(format!("{path}.hours.{key}"), span(value), format!("`{key}` is not a weekday or weekday range: use mon, tue, wed, thu, fri, sat, sun or a range like mon-fri"));
                        continue;
                    };
                    match parse_window(value.get_ref()) {
                        // Arrivals are spread over whole intervals, so the
                        // line must open and close on interval boundaries.
                        Ok(Some((open, close)))
                            if interval.is_some_and(|i| open % i != 0.0 || close % i != 0.0) =>
                        {
                            p.add(
                                format!("{path}.hours.{key}"),
                                span(value),
                                format!(
                                    "opening and closing must fall on interval boundaries (every {} minutes): shorten horizon.interval or round the hours",
                                    interval.unwrap_or(0.0) / 60.0
                                ),
                            );
                        }
                        Ok(w) => days.iter().for_each(|d| h[d.index()] = w),
                        Err(e) => p.add(format!("{path}.hours.{key}"), span(value), e),
                    }
                }
                h
            }
        };
        let price = price(
            ls.price_per_second.as_ref(),
            &format!("{path}.price_per_second"),
            p,
        )
        .unwrap_or(0.0);
        let mut closed: BTreeSet<NaiveDate> = ls.closed.iter().map(|d| d.get_ref().0).collect();
        if let Some(region) = &ls.holidays {
            let known = crate::model::holidays::REGIONS;
            if !known.contains(&region.get_ref().as_str()) {
                p.add(
                    format!("{path}.holidays"),
                    span(region),
                    format!(
                        "unknown holiday calendar \"{}\": use {}",
                        region.get_ref(),
                        known.join(" or ")
                    ),
                );
            } else if let Some(cal) = calendar {
                // The year after the horizon too: e-mail deadlines may fall there.
                let first = cal.start.year();
                let last = cal.date(cal.days.saturating_sub(1)).year() + 1;
                for year in first..=last {
                    let dates = crate::model::holidays::holidays(region.get_ref(), year);
                    closed.extend(dates.into_iter().flatten());
                }
            }
        }
        let max_queue = ls.max_queue.as_ref().and_then(|m| {
            let n = *m.get_ref();
            if (0..=1_000_000).contains(&n) {
                Some(n as u32)
            } else {
                p.add(
                    format!("{path}.max_queue"),
                    span(m),
                    format!(
                        "must be a whole number of waiting contacts from 0 to 1000000, got {n}"
                    ),
                );
                None
            }
        });
        let announcement = ls
            .announcement
            .as_ref()
            .and_then(|a| super::behaviour::announcement(a, &format!("{path}.announcement"), p));
        let callback = ls
            .callback
            .as_ref()
            .and_then(|c| super::behaviour::callback(c, &format!("{path}.callback"), p));
        let mut line = Line {
            name: name.clone(),
            hours,
            closed,
            price_per_second: price,
            max_queue,
            announcement,
            callback,
            book: None,
        };
        if let (Some(b), Some(calendar)) = (&ls.appointments, calendar) {
            line.book =
                super::counter::book(b, &format!("{path}.appointments"), &line, calendar, p);
        }
        out.push(line);
    }
    out
}

fn price(v: Option<&Spanned<f64>>, path: &str, p: &mut Problems) -> Option<f64> {
    let v = v?;
    let x = *v.get_ref();
    if !(x.is_finite() && x >= 0.0) {
        p.add(
            path,
            span(v),
            format!("must be a non-negative price per handled second, got {x}"),
        );
        return None;
    }
    Some(x)
}

fn channels(
    spec: &ChannelsSpec,
    base_dir: Option<&Path>,
    p: &mut Problems,
) -> [ChannelConfig; Channel::COUNT] {
    let mut out = Channel::ALL.map(ChannelConfig::default_for);
    for (channel, cs) in [
        (Channel::Call, &spec.call),
        (Channel::Chat, &spec.chat),
        (Channel::Email, &spec.email),
        (Channel::Visit, &spec.visit),
    ] {
        let Some(cs) = cs else { continue };
        let path = format!("channels.{}", channel.name());
        let c = cs.get_ref();
        let cfg = &mut out[channel.index()];
        if let Some(pat) = &c.patience {
            if channel == Channel::Email {
                p.add(
                    format!("{path}.patience"),
                    span(pat),
                    "e-mails never abandon: patience applies to call, chat and visit only",
                );
            } else {
                cfg.patience = distribution(pat, &format!("{path}.patience"), base_dir, p);
            }
        }
        if let Some(k) = &c.concurrency {
            let n = *k.get_ref();
            if channel != Channel::Chat {
                p.add(
                    format!("{path}.concurrency"),
                    span(k),
                    "concurrency applies to chat only",
                );
            } else if !(1..=20).contains(&n) {
                p.add(
                    format!("{path}.concurrency"),
                    span(k),
                    format!("must be a whole number of chats from 1 to 20, got {n}"),
                );
            } else {
                cfg.concurrency = n as u32;
            }
        }
        if let Some(d) = &c.sla_working_days {
            let n = *d.get_ref();
            if channel != Channel::Email {
                p.add(
                    format!("{path}.sla_working_days"),
                    span(d),
                    "sla_working_days applies to email only",
                );
            } else if !(0..=60).contains(&n) {
                p.add(
                    format!("{path}.sla_working_days"),
                    span(d),
                    format!("must be a whole number of working days from 0 to 60, got {n}"),
                );
            } else {
                cfg.sla_working_days = n as u32;
            }
        }
        if let Some(t) = &c.service_level_threshold {
            if channel == Channel::Email {
                p.add(
                    format!("{path}.service_level_threshold"),
                    span(t),
                    "e-mail is measured by sla_working_days, not a threshold",
                );
            } else {
                cfg.service_level_threshold = t.get_ref().0;
            }
        }
        if let Some(r) = &c.redial {
            cfg.redial =
                super::behaviour::redial(r, channel, &format!("{path}.redial"), base_dir, p);
        }
        if let Some(pu) = &c.punctuality {
            if channel == Channel::Visit {
                cfg.punctuality =
                    super::counter::punctuality(pu, &format!("{path}.punctuality"), base_dir, p);
            } else {
                p.add(
                    format!("{path}.punctuality"),
                    span(pu),
                    "punctuality applies to visit only (visitors with an appointment)",
                );
            }
        }
    }
    out
}

/// "a" or "an" before a word.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Builds a distribution from what the planner wrote; `None` after noting problems.
pub fn distribution(
    s: &Spanned<DistributionSpec>,
    path: &str,
    base_dir: Option<&Path>,
    p: &mut Problems,
) -> Option<Distribution> {
    let d = s.get_ref();
    let before = p.list.len();
    let kind = d.dist.get_ref().as_str();
    let allowed: &[&str] = match kind {
        "exponential" => &["mean"],
        "lognormal" | "gamma" | "weibull" => &["mean", "cv"],
        "erlang" => &["mean", "k", "cv"],
        "uniform" => &["min", "max"],
        "constant" => &["value"],
        "empirical" => &["values", "file", "column"],
        other => {
            p.add(format!("{path}.dist"), span(&d.dist), format!("unknown distribution \"{other}\": use exponential, lognormal, gamma, erlang, weibull, uniform, constant or empirical{}", did_you_mean(other, ["exponential", "lognormal", "gamma", "erlang", "weibull", "uniform", "constant", "empirical"])));
            return None;
        }
    };
    let given: [(&str, Option<Range<usize>>); 9] = [
        ("mean", d.mean.as_ref().map(|x| x.span())),
        ("cv", d.cv.as_ref().map(|x| x.span())),
        ("k", d.k.as_ref().map(|x| x.span())),
        ("value", d.value.as_ref().map(|x| x.span())),
        ("min", d.min.as_ref().map(|x| x.span())),
        ("max", d.max.as_ref().map(|x| x.span())),
        ("values", d.values.as_ref().map(|x| x.span())),
        ("file", d.file.as_ref().map(|x| x.span())),
        ("column", d.column.as_ref().map(|_| s.span())),
    ];
    for (field, sp) in &given {
        if sp.is_some() && !allowed.contains(field) {
            p.add(
                format!("{path}.{field}"),
                sp.clone(),
                format!(
                    "`{field}` does not apply to {} {kind} distribution (it takes {})",
                    article(kind),
                    allowed.join(", ")
                ),
            );
        }
    }
    let need = |field: &str, v: Option<f64>, p: &mut Problems| -> f64 {
        v.unwrap_or_else(|| {
            p.add(
                path,
                span(s),
                format!("{} {kind} distribution needs `{field}`", article(kind)),
            );
            f64::NAN
        })
    };
    let mean = || d.mean.as_ref().map(|m| m.get_ref().0);
    let cv = || d.cv.as_ref().map(|m| *m.get_ref());
    let dist = match kind {
        "exponential" => Distribution::Exponential {
            mean: need("mean", mean(), p),
        },
        "lognormal" => Distribution::Lognormal {
            mean: need("mean", mean(), p),
            cv: need("cv", cv(), p),
        },
        "gamma" => Distribution::Gamma {
            mean: need("mean", mean(), p),
            cv: need("cv", cv(), p),
        },
        "weibull" => Distribution::Weibull {
            mean: need("mean", mean(), p),
            cv: need("cv", cv(), p),
        },
        "erlang" => {
            let m = need("mean", mean(), p);
            match (&d.k, cv()) {
                (Some(k), None) => {
                    let n = *k.get_ref();
                    if !(1..=1000).contains(&n) {
                        p.add(
                            format!("{path}.k"),
                            span(k),
                            format!("must be a whole number of phases from 1 to 1000, got {n}"),
                        );
                        return None;
                    }
                    Distribution::Erlang {
                        mean: m,
                        k: n as u32,
                    }
                }
                (None, Some(c)) if c.is_finite() && (0.0316..=1.0).contains(&c) => {
                    crate::model::distribution::erlang_from_cv(m, c)
                }
                (None, Some(c)) => {
                    p.add(
                        format!("{path}.cv"),
                        d.cv.as_ref().map(|x| x.span()),
                        format!("an erlang distribution has a cv from 0.0316 (1000 phases) to 1 (one phase), got {c}"),
                    );
                    return None;
                }
                _ => {
                    p.add(
                        path,
                        span(s),
                        "an erlang distribution needs exactly one of `k` (phases) or `cv`",
                    );
                    return None;
                }
            }
        }
        "uniform" => Distribution::Uniform {
            min: need("min", d.min.as_ref().map(|x| x.get_ref().0), p),
            max: need("max", d.max.as_ref().map(|x| x.get_ref().0), p),
        },
        "constant" => Distribution::Constant {
            value: need("value", d.value.as_ref().map(|x| x.get_ref().0), p),
        },
        _ => {
            let values = match (&d.values, &d.file) {
                (Some(v), None) => v.get_ref().iter().map(|x| x.0).collect(),
                (None, Some(f)) => {
                    let file = base_dir.map_or_else(
                        || Path::new(f.get_ref()).to_path_buf(),
                        |b| b.join(f.get_ref()),
                    );
                    let read = std::fs::File::open(&file)
                        .map_err(|e| format!("cannot read {}: {e}", file.display()))
                        .and_then(|r| {
                            empirical_from_csv(r, d.column.as_deref())
                                .map_err(|e| format!("{}: {e}", file.display()))
                        });
                    match read {
                        Ok(v) => v,
                        Err(e) => {
                            p.add(format!("{path}.file"), span(f), e);
                            return None;
                        }
                    }
                }
                _ => {
                    p.add(path, span(s), "an empirical distribution needs exactly one of `values` (a list) or `file` (a CSV)");
                    return None;
                }
            };
            let mut values: Vec<f64> = values;
            values.sort_by(f64::total_cmp);
            Distribution::Empirical { values }
        }
    };
    if p.list.len() > before {
        return None;
    }
    if let Err(e) = dist.validate() {
        p.add(path, span(s), e.to_string());
        return None;
    }
    Some(dist)
}

/// Intraday weights over the intervals of a day, from a `{start, weights}` spec.
pub(super) fn intraday(
    spec: &Spanned<IntradaySpec>,
    path: &str,
    calendar: &Calendar,
    p: &mut Problems,
) -> Option<Vec<f64>> {
    let s = spec.get_ref();
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
    let first = first.round() as usize;
    let per_day = calendar.intervals_per_day as usize;
    let w = s.weights.get_ref();
    if first + w.len() > per_day {
        p.add(
            format!("{path}.weights"),
            span(&s.weights),
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
            format!("{path}.weights"),
            span(&s.weights),
            format!("weights must be non-negative numbers, got {bad}"),
        );
        return None;
    }
    if w.iter().sum::<f64>() <= 0.0 {
        p.add(
            format!("{path}.weights"),
            span(&s.weights),
            "at least one weight must be positive",
        );
        return None;
    }
    let mut out = vec![0.0; per_day];
    out[first..first + w.len()].copy_from_slice(w);
    Some(out)
}

/// The shape of a peak on one day: its multiplier.
fn peak_factor(peak: &PeakSpec, shape: &str, date: NaiveDate) -> f64 {
    let from = peak.from.get_ref().0;
    let to = peak.to.get_ref().0;
    if date < from || date > to {
        return 1.0;
    }
    let factor = *peak.factor.get_ref();
    let len = (to - from).num_days() as f64 + 1.0;
    let pos = (date - from).num_days() as f64;
    let g = match shape {
        // Linear rise from the first day to the full factor on the last day.
        "ramp" => (pos + 1.0) / len,
        // Full factor on the first day, halving every quarter of the window.
        "decay" => 0.5f64.powf(4.0 * pos / len),
        _ => 1.0,
    };
    1.0 + (factor - 1.0) * g
}

#[allow(clippy::type_complexity)]
fn themes(
    spec: &ScenarioSpec,
    calendar: &Calendar,
    lines: &[Line],
    channels: &[ChannelConfig; Channel::COUNT],
    base_dir: Option<&Path>,
    p: &mut Problems,
) -> (Vec<Theme>, Vec<Stream>) {
    let _ = channels;
    let mut themes = Vec::new();
    let mut streams = Vec::new();
    if spec.themes.get_ref().is_empty() {
        p.add(
            "themes",
            span(&spec.themes),
            "a scenario needs at least one theme",
        );
    }
    let per_day = calendar.intervals_per_day as usize;
    for (name, ts) in spec.themes.get_ref() {
        let path = format!("themes.{name}");
        let t = ts.get_ref();
        let line = match &t.line {
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
                        format!(
                            "unknown line \"{}\": the lines are {}{}",
                            l.get_ref(),
                            known.join(", "),
                            did_you_mean(l.get_ref(), known.iter().copied())
                        ),
                    );
                }
                found
            }
        };
        let uncertainty = t.uncertainty.as_ref().and_then(|u| {
            let us = u.get_ref();
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
                    format!("must be a coefficient of variation above 0 and at most 2, got {cv}"),
                );
                return None;
            }
            Some(Uncertainty { cv, per })
        });
        // Weekday weights, normalised to a Monday–Friday mean of 1. A weekday
        // not listed weighs 1, a Saturday or Sunday not listed a quarter
        // (e-mail keeps coming in at the weekend, and so do calls on a line
        // that opens then).
        let mut weekday = [1.0, 1.0, 1.0, 1.0, 1.0, 0.25, 0.25];
        if let Some(ww) = &t.weekday_weights {
            let mut given = [None; 7];
            for (key, v) in ww.get_ref() {
                let x = *v.get_ref();
                match weekday_keys(key) {
                    None => p.add(format!("{path}.weekday_weights.{key}"), span(v), format!("`{key}` is not a weekday: use mon, tue, wed, thu, fri, sat, sun or a range like mon-fri")),
                    Some(_) if !(x.is_finite() && x >= 0.0) => p.add(format!("{path}.weekday_weights.{key}"), span(v), format!("must be a non-negative weight, got {x}")),
                    Some(days) => days.iter().for_each(|d| given[d.index()] = Some(x)),
                }
            }
            for (w, g) in weekday.iter_mut().zip(given) {
                *w = g.unwrap_or(*w);
            }
            let mean: f64 = weekday[..5].iter().sum::<f64>() / 5.0;
            if mean <= 0.0 {
                p.add(
                    format!("{path}.weekday_weights"),
                    span(ww),
                    "at least one weekday from mon to fri needs a positive weight",
                );
            } else {
                weekday.iter_mut().for_each(|w| *w /= mean);
            }
        }
        let intraday_live = t
            .intraday_weights
            .as_ref()
            .and_then(|s| intraday(s, &format!("{path}.intraday_weights"), calendar, p));
        let intraday_email = t
            .email_intraday_weights
            .as_ref()
            .and_then(|s| intraday(s, &format!("{path}.email_intraday_weights"), calendar, p));
        let mut peaks = Vec::new();
        for (i, pk) in t.peaks.iter().enumerate() {
            let ppath = format!("{path}.peaks[{i}]");
            let ps = pk.get_ref();
            let shape = ps.shape.as_ref().map_or("flat", |s| s.get_ref().as_str());
            let mut ok = true;
            if !["flat", "ramp", "decay"].contains(&shape) {
                p.add(
                    format!("{ppath}.shape"),
                    ps.shape.as_ref().map(|s| s.span()),
                    format!(
                        "unknown shape \"{shape}\": use flat, ramp or decay{}",
                        did_you_mean(shape, ["flat", "ramp", "decay"])
                    ),
                );
                ok = false;
            }
            let f = *ps.factor.get_ref();
            if !(f.is_finite() && f >= 0.0) {
                p.add(
                    format!("{ppath}.factor"),
                    span(&ps.factor),
                    format!("must be a non-negative multiplier, got {f}"),
                );
                ok = false;
            }
            if ps.to.get_ref() < ps.from.get_ref() {
                p.add(
                    format!("{ppath}.to"),
                    span(&ps.to),
                    format!(
                        "the peak ends ({}) before it starts ({})",
                        ps.to.get_ref().0,
                        ps.from.get_ref().0
                    ),
                );
                ok = false;
            }
            let last = calendar.date(calendar.days - 1);
            if ps.from.get_ref().0 > last || ps.to.get_ref().0 < calendar.start {
                p.add(
                    ppath.clone(),
                    span(pk),
                    format!(
                        "the peak ({} to {}) lies outside the horizon ({} to {})",
                        ps.from.get_ref().0,
                        ps.to.get_ref().0,
                        calendar.start,
                        last
                    ),
                );
                ok = false;
            }
            let mut on = [true; Channel::COUNT];
            if let Some(ch) = &ps.channels {
                on = [false; Channel::COUNT];
                for c in ch.get_ref() {
                    match Channel::from_name(c) {
                        Some(c) => on[c.index()] = true,
                        None => {
                            p.add(
                                format!("{ppath}.channels"),
                                span(ch),
                                format!(
                                    "unknown channel \"{c}\": use call, chat, email or visit{}",
                                    did_you_mean(c, ["call", "chat", "email", "visit"])
                                ),
                            );
                            ok = false;
                        }
                    }
                }
            }
            if ok {
                peaks.push((ps, shape, on));
            }
        }
        // The theme's first day: no contacts before it, and per_month and
        // per_year count the days from it on.
        let last_day = calendar.date(calendar.days - 1);
        let first = match &t.start {
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
        };
        let active_days = (last_day - first).num_days() + 1;
        let volume = t.volume.get_ref();
        let handle = t.handle_time.get_ref();
        let theme_index = themes.len();
        let price = price(
            t.price_per_second.as_ref(),
            &format!("{path}.price_per_second"),
            p,
        )
        .or_else(|| line.map(|l| lines[l].price_per_second))
        .unwrap_or(0.0);
        let deflection = match &t.deflection {
            None => 0.0,
            Some(d) if (0.0..=1.0).contains(d.get_ref()) => *d.get_ref(),
            Some(d) => {
                p.add(
                    format!("{path}.deflection"),
                    span(d),
                    format!("must be a share from 0 to 1, got {}", d.get_ref()),
                );
                0.0
            }
        };
        let mailing_extra = mailings(t, &path, calendar, line.map(|l| &lines[l]), p);
        let mut any = false;
        for (channel, vol, ht) in [
            (Channel::Call, &volume.call, &handle.call),
            (Channel::Chat, &volume.chat, &handle.chat),
            (Channel::Email, &volume.email, &handle.email),
            (Channel::Visit, &volume.visit, &handle.visit),
        ] {
            let cname = channel.name();
            let Some(vol) = vol else {
                if let Some(h) = ht {
                    p.add(
                        format!("{path}.handle_time.{cname}"),
                        span(h),
                        format!("a handle time for {cname} but no volume.{cname}"),
                    );
                }
                continue;
            };
            any = true;
            // Check the handle time even when the volume is wrong, so that
            // every problem is reported in one go.
            let handle_time = match ht {
                Some(ht) => distribution(ht, &format!("{path}.handle_time.{cname}"), base_dir, p),
                None => {
                    p.add(
                        format!("{path}.handle_time"),
                        span(&t.handle_time),
                        format!("missing handle_time.{cname}: the theme has {cname} volume"),
                    );
                    None
                }
            };
            let vpath = format!("{path}.volume.{cname}");
            let vs = vol.get_ref();
            let given: Vec<(&str, &Spanned<f64>)> = [
                ("per_day", &vs.per_day),
                ("per_month", &vs.per_month),
                ("per_year", &vs.per_year),
                ("menu_share", &vs.menu_share),
                ("appointment_share", &vs.appointment_share),
            ]
            .into_iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
            .collect();
            let (mut kind, amount) = match given.as_slice() {
                [(k, v)] => (*k, v),
                _ if channel == Channel::Visit => {
                    p.add(
                        vpath,
                        span(vol),
                        "give exactly one of appointment_share (booked visits), per_day, per_month, per_year or menu_share (walk-ins)",
                    );
                    continue;
                }
                _ => {
                    p.add(
                        vpath,
                        span(vol),
                        "give exactly one of per_day, per_month, per_year or menu_share",
                    );
                    continue;
                }
            };
            let mut x = *amount.get_ref();
            let is_share = kind == "menu_share" || kind == "appointment_share";
            if !(x.is_finite() && x >= 0.0) || (is_share && x > 1.0) {
                let what = if kind == "appointment_share" {
                    "a share of the line's appointments from 0 to 1"
                } else if kind == "menu_share" {
                    "a share of the line's menu volume from 0 to 1"
                } else {
                    "a non-negative number of contacts"
                };
                p.add(
                    format!("{vpath}.{kind}"),
                    span(amount),
                    format!("must be {what}, got {x}"),
                );
                continue;
            }
            if kind == "menu_share" {
                let Some(l) = line else { continue };
                match super::menu::line_volume(spec, &lines[l].name, channel) {
                    Some((menu_kind, total)) => {
                        kind = menu_kind;
                        x *= total;
                    }
                    None => {
                        p.add(
                            format!("{vpath}.menu_share"),
                            span(amount),
                            format!(
                                "line \"{}\" has no menu.{cname}: give the line's volume there, or give this theme per_day, per_month or per_year",
                                lines[l].name
                            ),
                        );
                        continue;
                    }
                }
            }
            if kind == "appointment_share" {
                if channel != Channel::Visit {
                    p.add(
                        format!("{vpath}.appointment_share"),
                        span(amount),
                        format!("{cname} is not booked by appointment: appointment_share applies to visit only"),
                    );
                    continue;
                }
                let Some(l) = line else { continue };
                if lines[l].book.is_none() {
                    p.add(
                        format!("{vpath}.appointment_share"),
                        span(amount),
                        format!(
                            "line \"{}\" has no appointment book: give it [lines.{}.appointments], or give this theme per_day, per_month or per_year (walk-ins)",
                            lines[l].name, lines[l].name
                        ),
                    );
                    continue;
                }
                let Some(handle_time) = handle_time else {
                    continue;
                };
                // The expected visits are filled in once the book's products are known.
                streams.push(Stream {
                    theme: theme_index,
                    channel,
                    line: l,
                    expected: vec![0.0; calendar.intervals()],
                    handle_time,
                    price_per_second: price,
                    transfer: None,
                    booked: true,
                });
                continue;
            }
            let (Some(line), Some(handle_time)) = (line, handle_time) else {
                continue;
            };
            // Day factors (weekday × open) and intraday shares, before peaks.
            let mut day_factor = vec![0.0; calendar.days as usize];
            for (d, f) in day_factor.iter_mut().enumerate() {
                let date = calendar.date(d as u32);
                if date < first {
                    continue;
                }
                let wd = Weekday::of(date).index();
                let open = lines[line].is_working_day(date);
                *f = match (channel.is_live(), open) {
                    (_, true) => weekday[wd],
                    // Calls and chats only come in while the line is open.
                    (true, false) => 0.0,
                    // E-mail arrives on closed days too; a holiday on a
                    // weekday counts as a Sunday.
                    (false, false) => weekday[if wd >= 5 { wd } else { 6 }],
                };
            }
            let total_factor: f64 = day_factor.iter().sum();
            let base = match kind {
                "per_day" => x,
                "per_month" | "per_year" => {
                    let period = if kind == "per_month" {
                        365.25 / 12.0
                    } else {
                        365.25
                    };
                    let wanted = x * active_days as f64 / period;
                    if total_factor > 0.0 {
                        wanted / total_factor
                    } else {
                        0.0
                    }
                }
                _ => unreachable!("matched above"),
            };
            let mut expected = vec![0.0; calendar.intervals()];
            for d in 0..calendar.days as usize {
                let date = calendar.date(d as u32);
                let peak: f64 = peaks
                    .iter()
                    .filter(|(_, _, on)| on[channel.index()])
                    .map(|(ps, shape, _)| peak_factor(ps, shape, date))
                    .product();
                // Mailing waves add to the day; self-service takes its share of both.
                let day_volume = (base * day_factor[d] * peak
                    + mailing_extra[channel.index()]
                        .get(d)
                        .copied()
                        .unwrap_or(0.0))
                    * (1.0 - deflection);
                if day_volume <= 0.0 {
                    continue;
                }
                let row = &mut expected[d * per_day..(d + 1) * per_day];
                let mut weights = vec![0.0; per_day];
                if channel.is_live() {
                    let Some((open, close)) = lines[line].window_on(date) else {
                        continue;
                    };
                    for (i, w) in weights.iter_mut().enumerate() {
                        let start = i as f64 * calendar.interval;
                        let end = start + calendar.interval;
                        let overlap =
                            (end.min(close) - start.max(open)).max(0.0) / calendar.interval;
                        *w = overlap * intraday_live.as_ref().map_or(1.0, |v| v[i]);
                    }
                    if weights.iter().sum::<f64>() <= 0.0 {
                        // The profile does not cover this day's hours: spread evenly.
                        for (i, w) in weights.iter_mut().enumerate() {
                            let start = i as f64 * calendar.interval;
                            *w = (((start + calendar.interval).min(close) - start.max(open))
                                .max(0.0))
                                / calendar.interval;
                        }
                    }
                } else {
                    match &intraday_email {
                        Some(v) => weights.copy_from_slice(v),
                        None => weights.fill(1.0),
                    }
                }
                let sum: f64 = weights.iter().sum();
                if sum > 0.0 {
                    for (e, w) in row.iter_mut().zip(&weights) {
                        *e = day_volume * w / sum;
                    }
                }
            }
            streams.push(Stream {
                theme: theme_index,
                channel,
                line,
                expected,
                handle_time,
                price_per_second: price,
                transfer: None,
                booked: false,
            });
        }
        if !any {
            p.add(
                format!("{path}.volume"),
                span(&t.volume),
                "the theme has no volume: give volume.call, volume.chat, volume.email or volume.visit",
            );
        }
        themes.push(Theme {
            name: name.clone(),
            line: line.unwrap_or(0),
            uncertainty,
        });
    }
    (themes, streams)
}

fn names(n: &Names) -> Vec<String> {
    match n {
        Names::One(s) => vec![s.clone()],
        Names::Many(v) => v.clone(),
    }
}

fn pools(
    spec: &ScenarioSpec,
    calendar: &Calendar,
    lines: &[Line],
    themes: &[Theme],
    streams: &[Stream],
    agents_scale: f64,
    p: &mut Problems,
) -> Vec<Pool> {
    let mut out = Vec::new();
    let earlier_problems = p.list.len();
    if spec.pools.get_ref().is_empty() {
        p.add(
            "pools",
            span(&spec.pools),
            "a scenario needs at least one agent pool",
        );
    }
    let per_day = calendar.intervals_per_day as usize;
    for (name, ps) in spec.pools.get_ref() {
        let path = format!("pools.{name}");
        let s = ps.get_ref();
        let mut skills: Vec<Skill> = Vec::new();
        if s.skills.get_ref().is_empty() {
            p.add(
                format!("{path}.skills"),
                span(&s.skills),
                "a pool needs at least one skill",
            );
        }
        for (i, sk) in s.skills.get_ref().iter().enumerate() {
            let kpath = format!("{path}.skills[{i}]");
            let k = sk.get_ref();
            let priority = match &k.priority {
                None => 1,
                Some(pr) if (1..=100).contains(pr.get_ref()) => *pr.get_ref() as u32,
                Some(pr) => {
                    p.add(
                        format!("{kpath}.priority"),
                        span(pr),
                        format!(
                            "must be a whole number from 1 (first) to 100, got {}",
                            pr.get_ref()
                        ),
                    );
                    continue;
                }
            };
            let overflow_after = k.overflow_after.as_ref().map_or(0.0, |d| d.get_ref().0);
            let theme_names = names(k.themes.get_ref());
            let mut theme_idx = Vec::new();
            for tn in &theme_names {
                if tn == "*" {
                    theme_idx.extend(0..themes.len());
                } else if let Some(t) = themes.iter().position(|t| &t.name == tn) {
                    theme_idx.push(t);
                } else {
                    let known: Vec<&str> = themes.iter().map(|t| t.name.as_str()).collect();
                    p.add(
                        format!("{kpath}.themes"),
                        span(&k.themes),
                        format!(
                            "unknown theme \"{tn}\": the themes are {}{}",
                            known.join(", "),
                            did_you_mean(tn, known.iter().copied())
                        ),
                    );
                }
            }
            let mut chans = Vec::new();
            match &k.channels {
                None => chans.extend(Channel::ALL),
                Some(c) => {
                    for cn in names(c.get_ref()) {
                        if cn == "*" {
                            chans.extend(Channel::ALL);
                        } else if let Some(ch) = Channel::from_name(&cn) {
                            chans.push(ch);
                        } else {
                            p.add(
                                format!("{kpath}.channels"),
                                span(c),
                                format!(
                                    "unknown channel \"{cn}\": use call, chat, email, visit or \"*\"{}",
                                    did_you_mean(&cn, ["call", "chat", "email", "visit"])
                                ),
                            );
                        }
                    }
                }
            }
            for (si, st) in streams.iter().enumerate() {
                if theme_idx.contains(&st.theme) && chans.contains(&st.channel) {
                    match skills.iter_mut().find(|x| x.stream == si) {
                        Some(existing) => {
                            // The entry that serves the stream soonest wins,
                            // then the best priority.
                            if (overflow_after, priority)
                                < (existing.overflow_after, existing.priority)
                            {
                                existing.priority = priority;
                                existing.overflow_after = overflow_after;
                            }
                        }
                        None => skills.push(Skill {
                            stream: si,
                            priority,
                            overflow_after,
                        }),
                    }
                }
            }
        }
        skills.sort_by_key(|k| (k.priority, k.stream));
        // Only when nothing else is wrong: an invalid theme already leaves
        // its streams out, and the pool would be reported for it again.
        if skills.is_empty() && !s.skills.get_ref().is_empty() && earlier_problems == 0 {
            p.add(
                format!("{path}.skills"),
                span(&s.skills),
                "the skills match no theme and channel with volume: the pool would serve nothing",
            );
        }
        let shrinkage = match &s.shrinkage {
            None => 0.0,
            Some(x) if (0.0..1.0).contains(x.get_ref()) => *x.get_ref(),
            Some(x) => {
                p.add(
                    format!("{path}.shrinkage"),
                    span(x),
                    format!(
                        "must be a share from 0 up to (not including) 1, got {}",
                        x.get_ref()
                    ),
                );
                0.0
            }
        };
        let pool_lines: BTreeSet<usize> = skills.iter().map(|k| streams[k.stream].line).collect();
        let works: Vec<bool> = (0..calendar.days)
            .map(|d| {
                let date = calendar.date(d);
                pool_lines.iter().any(|&l| lines[l].is_working_day(date))
            })
            .collect();
        let windows = |date: NaiveDate| -> Vec<(f64, f64)> {
            pool_lines
                .iter()
                .filter_map(|&l| lines[l].window_on(date))
                .collect()
        };
        let scale = multiplier(s.scale.as_ref(), &format!("{path}.scale"), p) * agents_scale;
        let mut scheduled = vec![0.0; calendar.intervals()];
        let mut shifts = Vec::new();
        match (&s.agents, &s.staffing, &s.shifts) {
            (None, None, Some(sh)) => {
                (shifts, scheduled) = super::staffing::shifts(
                    sh,
                    &format!("{path}.shifts"),
                    calendar,
                    &works,
                    scale,
                    p,
                );
            }
            (_, _, Some(sh)) => p.add(
                format!("{path}.shifts"),
                span(sh),
                "give only one of `agents` (a constant), `staffing` (a table) and `shifts`",
            ),
            (Some(a), None, None) => {
                let n = *a.get_ref();
                if !(0..=100_000).contains(&n) {
                    p.add(
                        format!("{path}.agents"),
                        span(a),
                        format!("must be a whole number of agents from 0 to 100000, got {n}"),
                    );
                } else {
                    for d in 0..calendar.days {
                        let windows = windows(calendar.date(d));
                        for (i, slot) in scheduled[d as usize * per_day..(d as usize + 1) * per_day]
                            .iter_mut()
                            .enumerate()
                        {
                            let start = i as f64 * calendar.interval;
                            let end = start + calendar.interval;
                            if windows.iter().any(|&(o, c)| o < end && c > start) {
                                *slot = n as f64;
                            }
                        }
                    }
                }
            }
            (None, Some(st), None) => {
                let rows =
                    super::staffing::table(st, &format!("{path}.staffing"), "agents", calendar, p);
                for d in 0..calendar.days {
                    if !works[d as usize] {
                        continue;
                    }
                    if let Some(row) = &rows[Weekday::of(calendar.date(d)).index()] {
                        scheduled[d as usize * per_day..(d as usize + 1) * per_day]
                            .copy_from_slice(row);
                    }
                }
            }
            (Some(a), Some(_), None) => p.add(
                format!("{path}.agents"),
                span(a),
                "give either `agents` (a constant) or `staffing` (a table), not both",
            ),
            (None, None, None) => p.add(
                path.clone(),
                span(ps),
                "missing `agents` (a constant), `staffing` (agents per interval) or `shifts`",
            ),
        }
        // Scaled staffing is still whole people in every interval (shifts
        // scale their head counts instead).
        if scale != 1.0 && s.shifts.is_none() {
            scheduled.iter_mut().for_each(|n| *n = (*n * scale).round());
        }
        let absenteeism = match &s.absenteeism {
            None => 0.0,
            Some(x) if (0.0..1.0).contains(x.get_ref()) => *x.get_ref(),
            Some(x) => {
                p.add(
                    format!("{path}.absenteeism"),
                    span(x),
                    format!(
                        "must be a share from 0 up to (not including) 1, got {}",
                        x.get_ref()
                    ),
                );
                0.0
            }
        };
        let (extra, extra_cost) = super::staffing::extra(
            &s.extra,
            &format!("{path}.extra"),
            calendar,
            &works,
            &windows,
            p,
        );
        let mut pool = Pool {
            name: name.clone(),
            skills,
            available: Vec::new(),
            scheduled,
            shrinkage,
            absenteeism,
            shifts,
            extra,
            extra_cost,
        };
        pool.available = (0..calendar.intervals())
            .map(|i| pool.available_with(i, pool.scheduled[i]))
            .collect();
        out.push(pool);
    }
    // Every stream needs someone to serve it.
    for (si, st) in streams.iter().enumerate() {
        if !out
            .iter()
            .any(|pool| pool.skills.iter().any(|k| k.stream == si))
        {
            let theme = &themes[st.theme].name;
            // Point at the theme's volume on that channel (it has one: the
            // stream exists), else at the theme, else at `themes`.
            let at = spec.themes.get_ref().get(theme.as_str()).map(|t| {
                let v = t.get_ref().volume.get_ref();
                let on = v.get(st.channel);
                on.map_or_else(|| t.span(), |v| v.span())
            });
            p.add(format!("themes.{theme}.volume.{}", st.channel.name()), at.or_else(|| span(&spec.themes)), format!("no pool has a skill for theme \"{theme}\" on {}: its contacts would never be answered", st.channel.name()));
        }
    }
    out
}
