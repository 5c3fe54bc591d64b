//! Forecast of a new theme before it starts: `ccsim forecast THEME.toml --base SCENARIO`.
//!
//! A theme file gives a theme's volume per channel as low / likely / high,
//! its handle times, start date, profiles and peaks, its price per second and
//! the pools that will serve it. For each of low, likely and high the theme is
//! inserted into the base scenario's text (and the serving pools get a skill
//! for it), and the result is parsed and validated like any scenario file, so
//! every check and message of a scenario applies; errors are mapped back to
//! the theme file's own lines and fields.
//!
//! The base and the three variants run with the same seed (common random
//! numbers), so the effect of the theme on everybody's reachability is a
//! paired difference with a tight interval. The extra agents per interval
//! that keep the base's reachability are first estimated with Erlang A (the
//! agents that keep Erlang A's reachability of the interval with the theme
//! at its value without it), then checked by simulation and raised where the
//! simulation says reachability still falls short.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use indexmap::IndexMap;
use serde::Serialize;
use serde::de::IgnoredAny;
use toml::Spanned;
use toml_edit::{DocumentMut, Item};

use crate::model::{Channel, Model, Weekday};
use crate::montecarlo::{self, RunError, RunOptions, RunResult};
use crate::scenario::values::DateValue;
use crate::scenario::{self, Scenario, ScenarioError, ScenarioErrors};
use crate::stats::{Entry, Estimate, Level, Metric, Scope};

use super::compare::{self, Side};
use super::load::{Email, IntervalLoad};

/// Version of the forecast JSON layout.
pub const SCHEMA_VERSION: u32 = 1;

/// One of the three volume cases of a forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    /// The low case.
    Low,
    /// The likely case.
    Likely,
    /// The high case.
    High,
}

impl Band {
    /// Low, likely, high: the order of every list of a forecast.
    pub const ALL: [Band; 3] = [Band::Low, Band::Likely, Band::High];

    /// `low`, `likely` or `high`.
    pub fn name(self) -> &'static str {
        match self {
            Band::Low => "low",
            Band::Likely => "likely",
            Band::High => "high",
        }
    }
}

/// The volume of the theme on one channel, in three cases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelVolume {
    /// `call`, `chat` or `email`.
    pub channel: String,
    /// `per_day`, `per_month` or `per_year`, as in a scenario (§3.6.2).
    pub per: String,
    /// The low case.
    pub low: f64,
    /// The likely case.
    pub likely: f64,
    /// The high case.
    pub high: f64,
}

impl ChannelVolume {
    fn of(&self, band: Band) -> f64 {
        match band {
            Band::Low => self.low,
            Band::Likely => self.likely,
            Band::High => self.high,
        }
    }
}

/// A parsed theme file (see `docs/forecast.md`).
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// The theme's name in the scenario (`[themes.NAME]`).
    pub name: String,
    /// Free text.
    pub description: String,
    /// Pools of the base that get a skill for the theme; the first gets the extra agents.
    pub served_by: Vec<String>,
    /// Priority of the new skills (1 is served first).
    pub priority: u32,
    /// First day with contacts, if given.
    pub start: Option<NaiveDate>,
    /// Volume per channel.
    pub volumes: Vec<ChannelVolume>,
    /// The file's name as given, for messages.
    pub file: String,
    /// The file's text.
    pub text: String,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFileSpec {
    theme: Spanned<String>,
    description: Option<String>,
    served_by: Spanned<Vec<Spanned<String>>>,
    priority: Option<Spanned<i64>>,
    start: Option<Spanned<DateValue>>,
    volume: Spanned<IndexMap<String, Spanned<ChannelVolumeSpec>>>,
    // Passed to the scenario as written, and checked there.
    #[allow(dead_code)]
    line: Option<IgnoredAny>,
    #[allow(dead_code)]
    handle_time: IgnoredAny,
    #[allow(dead_code)]
    weekday_weights: Option<IgnoredAny>,
    #[allow(dead_code)]
    intraday_weights: Option<IgnoredAny>,
    #[allow(dead_code)]
    email_intraday_weights: Option<IgnoredAny>,
    #[allow(dead_code)]
    peaks: Option<IgnoredAny>,
    #[allow(dead_code)]
    uncertainty: Option<IgnoredAny>,
    #[allow(dead_code)]
    price_per_second: Option<IgnoredAny>,
}

/// `volume.call = { per_month = { low = .., likely = .., high = .. } }`: the
/// one key (`per_day`, `per_month`, `per_year`) and its value.
type ChannelVolumeSpec = IndexMap<String, Spanned<toml::Value>>;

/// Keys of a theme file that are the forecast's own; every other key is
/// copied into the scenario's `[themes.NAME]`.
const OWN_KEYS: [&str; 4] = ["theme", "description", "served_by", "priority"];

fn errors(file: &str, text: &str, list: Vec<ScenarioError>) -> ScenarioErrors {
    ScenarioErrors {
        file: file.to_string(),
        source: text.to_string(),
        errors: list,
    }
}

fn error(path: &str, span: Option<Range<usize>>, message: impl Into<String>) -> ScenarioError {
    ScenarioError {
        path: path.to_string(),
        message: message.into(),
        span,
    }
}

/// Parses and checks a theme file; `file` names it in errors.
pub fn parse_theme(text: &str, file: &str) -> Result<ThemeFile, ScenarioErrors> {
    let spec: ThemeFileSpec = match toml::Deserializer::parse(text) {
        Ok(de) => serde_path_to_error::deserialize(de)
            .map_err(|e| errors(file, text, vec![crate::scenario::error::from_serde(e)]))?,
        Err(e) => {
            return Err(errors(
                file,
                text,
                vec![error("", e.span(), e.message().trim())],
            ));
        }
    };
    let mut list = Vec::new();
    let name = spec.theme.get_ref().clone();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        list.push(error(
            "theme",
            Some(spec.theme.span()),
            format!(
                "\"{name}\" is not a theme name: use letters, digits, _ and -, like \"covid_certificates\""
            ),
        ));
    }
    if spec.served_by.get_ref().is_empty() {
        list.push(error(
            "served_by",
            Some(spec.served_by.span()),
            "name at least one pool of the base scenario that will serve the theme",
        ));
    }
    let priority = match &spec.priority {
        None => 1,
        Some(p) if (1..=100).contains(p.get_ref()) => *p.get_ref() as u32,
        Some(p) => {
            list.push(error(
                "priority",
                Some(p.span()),
                format!(
                    "must be a whole number from 1 (first) to 100, got {}",
                    p.get_ref()
                ),
            ));
            1
        }
    };
    let mut volumes = Vec::new();
    if spec.volume.get_ref().is_empty() {
        list.push(error(
            "volume",
            Some(spec.volume.span()),
            "the theme has no volume: give volume.call, volume.chat or volume.email",
        ));
    }
    for (channel, table) in spec.volume.get_ref() {
        let cpath = format!("volume.{channel}");
        if Channel::from_name(channel).is_none() {
            list.push(error(
                &cpath,
                Some(table.span()),
                format!("unknown channel \"{channel}\": use call, chat or email"),
            ));
            continue;
        }
        let entries: Vec<_> = table.get_ref().iter().collect();
        let [(per, value)] = entries.as_slice() else {
            list.push(error(
                &cpath,
                Some(table.span()),
                "give exactly one of per_day, per_month or per_year",
            ));
            continue;
        };
        let vpath = format!("{cpath}.{per}");
        if !["per_day", "per_month", "per_year"].contains(&per.as_str()) {
            list.push(error(
                &vpath,
                Some(value.span()),
                format!(
                    "unknown key `{per}`: use per_day, per_month or per_year{}",
                    crate::scenario::error::did_you_mean(per, ["per_day", "per_month", "per_year"])
                ),
            ));
            continue;
        }
        let number = |v: &toml::Value| match v {
            toml::Value::Integer(i) => Some(*i as f64),
            toml::Value::Float(f) => Some(*f),
            _ => None,
        };
        let (low, likely, high) = match value.get_ref() {
            toml::Value::Table(t) => {
                let mut ok = true;
                for k in t.keys() {
                    if !["low", "likely", "high"].contains(&k.as_str()) {
                        list.push(error(
                            &format!("{vpath}.{k}"),
                            Some(value.span()),
                            format!(
                                "unknown key `{k}`: use low, likely and high{}",
                                crate::scenario::error::did_you_mean(k, ["low", "likely", "high"])
                            ),
                        ));
                        ok = false;
                    }
                }
                let get = |k: &str, list: &mut Vec<ScenarioError>| -> Option<f64> {
                    let v = t.get(k)?;
                    let x = number(v);
                    if x.is_none() {
                        list.push(error(
                            &format!("{vpath}.{k}"),
                            Some(value.span()),
                            format!("must be a number of contacts, got {v}"),
                        ));
                    }
                    x
                };
                let Some(likely) = get("likely", &mut list) else {
                    if !t.contains_key("likely") {
                        list.push(error(
                            &vpath,
                            Some(value.span()),
                            "missing `likely`: give { low = .., likely = .., high = .. }",
                        ));
                    }
                    continue;
                };
                let low = get("low", &mut list).unwrap_or(likely);
                let high = get("high", &mut list).unwrap_or(likely);
                if !ok {
                    continue;
                }
                (low, likely, high)
            }
            v => match number(v) {
                Some(x) => (x, x, x),
                None => {
                    list.push(error(
                        &vpath,
                        Some(value.span()),
                        format!(
                            "must be a number or {{ low = .., likely = .., high = .. }}, got {v}"
                        ),
                    ));
                    continue;
                }
            },
        };
        let mut ok = true;
        for (k, x) in [("low", low), ("likely", likely), ("high", high)] {
            if !(x.is_finite() && x >= 0.0) {
                list.push(error(
                    &format!("{vpath}.{k}"),
                    Some(value.span()),
                    format!("must be a non-negative number of contacts, got {x}"),
                ));
                ok = false;
            }
        }
        if ok && !(low <= likely && likely <= high) {
            list.push(error(
                &vpath,
                Some(value.span()),
                format!(
                    "the cases must be in order low ≤ likely ≤ high, got low {low}, likely {likely}, high {high}"
                ),
            ));
            ok = false;
        }
        if ok {
            volumes.push(ChannelVolume {
                channel: channel.clone(),
                per: per.to_string(),
                low,
                likely,
                high,
            });
        }
    }
    if !list.is_empty() {
        list.sort_by_key(|e| e.span.as_ref().map_or(usize::MAX, |s| s.start));
        return Err(errors(file, text, list));
    }
    Ok(ThemeFile {
        name,
        description: spec.description.unwrap_or_default(),
        served_by: spec
            .served_by
            .get_ref()
            .iter()
            .map(|s| s.get_ref().clone())
            .collect(),
        priority,
        start: spec.start.map(|s| s.get_ref().0),
        volumes,
        file: file.to_string(),
        text: text.to_string(),
    })
}

/// The span in the theme file of the value at a dotted path (`handle_time.call.cv`,
/// `peaks[0].factor`), or of its nearest ancestor that is in the file.
fn span_in_theme(text: &str, path: &str) -> Option<Range<usize>> {
    let root = toml::de::DeTable::parse(text).ok()?;
    let mut best: Option<Range<usize>> = None;
    let mut table = Some(root.get_ref());
    let mut value: Option<&toml::de::DeValue> = None;
    for seg in path.split('.').filter(|s| !s.is_empty()) {
        let (key, indices) = match seg.find('[') {
            Some(i) => (&seg[..i], &seg[i..]),
            None => (seg, ""),
        };
        let t = match (table, value) {
            (Some(t), _) => t,
            (None, Some(toml::de::DeValue::Table(t))) => t,
            _ => return best,
        };
        let Some((_, v)) = t.iter().find(|(k, _)| k.get_ref().as_ref() == key) else {
            return best;
        };
        best = Some(v.span());
        let mut here = v;
        for idx in indices
            .split(['[', ']'])
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse::<usize>().ok())
        {
            match here.get_ref() {
                toml::de::DeValue::Array(a) if idx < a.len() => {
                    here = &a[idx];
                    best = Some(here.span());
                }
                _ => return best,
            }
        }
        table = None;
        value = Some(here.get_ref());
    }
    best
}

/// The span of a top-level key's value in the theme file.
fn key_span(text: &str, key: &str) -> Option<Range<usize>> {
    span_in_theme(text, key)
}

/// Errors found in a variant scenario, told in the theme file's terms where
/// they come from the theme: its path and its line.
fn map_errors(theme: &ThemeFile, variant: &ScenarioErrors, band: Band) -> ScenarioErrors {
    let prefix = format!("themes.{}", theme.name);
    let list = variant
        .errors
        .iter()
        .map(|e| {
            if e.path == prefix || e.path.starts_with(&format!("{prefix}.")) {
                let rest = e.path[prefix.len()..].trim_start_matches('.').to_string();
                let span = span_in_theme(&theme.text, &rest).or_else(|| key_span(&theme.text, "theme"));
                error(&rest, span, e.message.clone())
            } else if e.path.starts_with("pools.") {
                error(
                    "served_by",
                    key_span(&theme.text, "served_by"),
                    format!("in the base scenario with the theme added: `{}`: {}", e.path, e.message),
                )
            } else {
                let (line, column) = e
                    .span
                    .as_ref()
                    .map(|s| scenario::error::line_column(&variant.source, s.start))
                    .unwrap_or((0, 0));
                error(
                    "",
                    None,
                    format!(
                        "in the base scenario with the theme added ({} case, line {line}, column {column}): `{}`: {}",
                        band.name(),
                        e.path,
                        e.message
                    ),
                )
            }
        })
        .collect();
    errors(&theme.file, &theme.text, list)
}

/// The base scenario's text with the theme inserted at one volume case and
/// the serving pools given a skill for it. `base_pools` are the base's pool
/// names, for the message when `served_by` names another.
pub fn variant_text(
    base_text: &str,
    theme: &ThemeFile,
    band: Band,
) -> Result<String, ScenarioErrors> {
    let fail = |path: &str, key: &str, message: String| {
        errors(
            &theme.file,
            &theme.text,
            vec![error(path, key_span(&theme.text, key), message)],
        )
    };
    let mut base: DocumentMut = base_text.parse().map_err(|e: toml_edit::TomlError| {
        fail(
            "",
            "theme",
            format!("the base scenario is not valid TOML: {}", e.message()),
        )
    })?;
    let themes_exist = base
        .get("themes")
        .and_then(Item::as_table_like)
        .is_some_and(|t| t.contains_key(&theme.name));
    if themes_exist {
        return Err(fail(
            "theme",
            "theme",
            format!(
                "the base scenario already has a theme \"{}\": give the new theme another name",
                theme.name
            ),
        ));
    }
    let pool_names: Vec<String> = base
        .get("pools")
        .and_then(Item::as_table_like)
        .map(|t| t.iter().map(|(k, _)| k.to_string()).collect())
        .unwrap_or_default();
    let channels: Vec<&str> = theme.volumes.iter().map(|v| v.channel.as_str()).collect();
    for (i, pool) in theme.served_by.iter().enumerate() {
        if !pool_names.contains(pool) {
            return Err(errors(
                &theme.file,
                &theme.text,
                vec![error(
                    &format!("served_by[{i}]"),
                    span_in_theme(&theme.text, &format!("served_by[{i}]")),
                    format!(
                        "unknown pool \"{pool}\": the base scenario's pools are {}",
                        pool_names.join(", ")
                    ),
                )],
            ));
        }
        let mut skill = toml_edit::InlineTable::new();
        skill.insert("themes", theme.name.as_str().into());
        let mut list = toml_edit::Array::new();
        for c in &channels {
            list.push(*c);
        }
        skill.insert("channels", toml_edit::Value::Array(list));
        skill.insert("priority", i64::from(theme.priority).into());
        let skills = &mut base["pools"][pool.as_str()]["skills"];
        match skills {
            Item::Value(toml_edit::Value::Array(a)) => {
                a.push(toml_edit::Value::InlineTable(skill));
            }
            Item::ArrayOfTables(a) => a.push(skill.into_table()),
            _ => {
                return Err(fail(
                    "served_by",
                    "served_by",
                    format!("pool \"{pool}\" of the base scenario has no list of skills"),
                ));
            }
        }
    }
    let doc: DocumentMut = theme
        .text
        .parse()
        .map_err(|e: toml_edit::TomlError| fail("", "theme", e.message().to_string()))?;
    let mut table = doc.as_table().clone();
    for key in OWN_KEYS {
        table.remove(key);
    }
    for v in &theme.volumes {
        let x = v.of(band);
        let cell = &mut table["volume"][v.channel.as_str()];
        if let Some(t) = cell.as_table_like_mut() {
            let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
            for k in keys {
                t.remove(&k);
            }
        }
        cell[v.per.as_str()] = toml_edit::value(x);
    }
    table.set_implicit(false);
    table.set_position(None);
    let mut part = DocumentMut::new();
    let mut themes = toml_edit::Table::new();
    themes.set_implicit(true);
    themes.insert(&theme.name, Item::Table(table));
    part.insert("themes", Item::Table(themes));
    Ok(format!(
        "{}\n# ---- theme \"{}\" from {} ({} case), added by ccsim forecast ----\n{}",
        base.to_string().trim_end(),
        theme.name,
        theme.file,
        band.name(),
        part
    ))
}

/// The base scenario with the theme at each of low, likely and high, validated.
pub fn variants(
    base_text: &str,
    base_label: &str,
    base_dir: Option<&Path>,
    theme: &ThemeFile,
) -> Result<Vec<Scenario>, ScenarioErrors> {
    let mut out = Vec::new();
    for band in Band::ALL {
        let text = variant_text(base_text, theme, band)?;
        let label = format!("{base_label} with {} ({})", theme.file, band.name());
        match scenario::parse_str(&text, &label, base_dir) {
            Ok(s) => out.push(s),
            Err(e) => return Err(map_errors(theme, &e, band)),
        }
    }
    Ok(out)
}

/// One figure of the theme in the three cases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandFigure {
    /// `call`, `chat`, `email` or `total`.
    pub channel: String,
    /// `contacts`, `handled_hours` or `cost`.
    pub metric: String,
    /// The low case (mean, CI, quantiles over replications).
    pub low: Estimate,
    /// The likely case.
    pub likely: Estimate,
    /// The high case.
    pub high: Estimate,
}

/// The theme's figures over a week or a month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodFigures {
    /// `2021-W07` or `2021-02`.
    pub period: String,
    /// First day of the period with the theme active, within the horizon.
    pub first_day: String,
    /// Last day of the period within the horizon.
    pub last_day: String,
    /// Days of the period with the theme active.
    pub days: u32,
    /// Per channel and total: contacts, handled hours and cost.
    pub figures: Vec<BandFigure>,
}

/// Reachability of everyone: the base, and with the theme in each case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReachabilityRow {
    /// `horizon` (the whole base horizon) or `active` (from the theme's start).
    pub over: String,
    /// `call`, `chat`, `email`, `live` (calls and chats) or `total`.
    pub channel: String,
    /// The base scenario.
    pub base: Estimate,
    /// With the theme, low case.
    pub low: Estimate,
    /// With the theme, likely case.
    pub likely: Estimate,
    /// With the theme, high case.
    pub high: Estimate,
    /// Paired difference (theme − base), low case.
    pub difference_low: Estimate,
    /// Paired difference, likely case.
    pub difference_likely: Estimate,
    /// Paired difference, high case.
    pub difference_high: Estimate,
}

/// Extra agents of one interval of the week, over the theme's active weeks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlotAgents {
    /// `mon` ... `sun`.
    pub weekday: String,
    /// Clock time the interval starts, `HH:MM`.
    pub start: String,
    /// Most extra agents scheduled in this interval in any week.
    pub max: u32,
    /// Mean over the active days of this weekday.
    pub mean: f64,
}

/// Extra agents of one interval of one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalAgents {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub start: String,
    /// Extra agents scheduled (before shrinkage).
    pub agents: u32,
}

/// Extra agent hours of one ISO week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekAgents {
    /// `2021-W07`.
    pub week: String,
    /// Extra agent hours scheduled.
    pub agent_hours: f64,
    /// At `agent_hour_price`, if given.
    pub cost: Option<f64>,
}

/// Reachability with the extra agents against the base.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckRow {
    /// `horizon` or `active`.
    pub over: String,
    /// `call`, `chat`, `email`, `live` or `total`.
    pub channel: String,
    /// The base scenario.
    pub base: Estimate,
    /// With the theme and the extra agents.
    pub with_extra: Estimate,
    /// Paired difference (with extra − base).
    pub difference: Estimate,
}

/// The extra agents that keep the base's reachability, for one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtraAgents {
    /// The volume case.
    pub band: Band,
    /// The pool that gets them.
    pub pool: String,
    /// The pool's shrinkage: agents on duty = round(scheduled × (1 − shrinkage)).
    pub shrinkage: f64,
    /// Extra agent hours of Erlang A's first estimate.
    pub erlang_agent_hours: f64,
    /// Simulations run to check (and raise) the estimate.
    pub checks: u32,
    /// Whether the last check found no interval of the week (nor the active
    /// period as a whole) significantly below the base.
    pub reached: bool,
    /// Intervals of the week (weekday × time) still below the base at the last check.
    pub short_slots: Vec<String>,
    /// Per interval of the week: the most and the mean extra agents.
    pub by_slot: Vec<SlotAgents>,
    /// Per interval and date (only those with extra agents).
    pub by_interval: Vec<IntervalAgents>,
    /// Extra agent hours per ISO week.
    pub weeks: Vec<WeekAgents>,
    /// Extra agent hours over the horizon (scheduled, what is paid for).
    pub agent_hours: f64,
    /// Their cost at `agent_hour_price`, if given.
    pub cost: Option<f64>,
    /// Reachability with the extra agents, against the base.
    pub check: Vec<CheckRow>,
}

/// Everything `ccsim forecast` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// Version of this layout.
    pub schema_version: u32,
    /// Version of ccsim that produced it.
    pub ccsim_version: String,
    /// The theme's name.
    pub theme: String,
    /// The theme file's description.
    pub description: String,
    /// The theme file.
    pub theme_file: String,
    /// The base scenario.
    pub base: Side,
    /// First day with the theme's contacts.
    pub start: String,
    /// Last day of the horizon.
    pub end: String,
    /// Pools serving the theme; the first gets the extra agents.
    pub served_by: Vec<String>,
    /// Seed of every run.
    pub seed: u64,
    /// Replications of every run.
    pub replications: u32,
    /// The volumes of the theme file.
    pub volumes: Vec<ChannelVolume>,
    /// The theme over the horizon: contacts, handled hours and cost.
    pub totals: Vec<BandFigure>,
    /// Per ISO week from the start.
    pub weeks: Vec<PeriodFigures>,
    /// Per calendar month from the start.
    pub months: Vec<PeriodFigures>,
    /// Reachability of everyone with no agents added.
    pub reachability: Vec<ReachabilityRow>,
    /// Extra agents per case (low, likely, high).
    pub extra_agents: Vec<ExtraAgents>,
    /// Price of an extra agent hour, if given.
    pub agent_hour_price: Option<f64>,
}

/// What a forecast needs.
pub struct Input<'a> {
    /// The base scenario (with its `--set` overrides).
    pub base: &'a Scenario,
    /// How the user named the base.
    pub base_label: String,
    /// The theme file.
    pub theme: &'a ThemeFile,
    /// The base with the theme, low, likely and high (from [`variants`]).
    pub variants: &'a [Scenario],
    /// Replications, seed and threads of every run.
    pub options: RunOptions,
    /// Price of an extra agent hour.
    pub agent_hour_price: Option<f64>,
    /// Most simulations to check the extra agents, per case (at least 1).
    pub max_checks: u32,
}

/// Indices of a run's figures by their entry.
struct Figures<'a> {
    run: &'a RunResult,
    index: HashMap<&'a Entry, usize>,
}

impl<'a> Figures<'a> {
    fn new(run: &'a RunResult) -> Self {
        let index = run
            .layout
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e, i))
            .collect();
        Figures { run, index }
    }

    fn get(&self, level: Level, scope: Scope, metric: Metric) -> Option<usize> {
        self.index
            .get(&Entry {
                level,
                scope,
                metric,
            })
            .copied()
    }

    /// Per replication, the sum of the figures `entries`.
    fn sum(&self, entries: &[usize]) -> Vec<f64> {
        let n = self.run.layout.entries.len();
        (0..self.run.options.replications as usize)
            .map(|r| entries.iter().map(|&e| self.run.values[r * n + e]).sum())
            .collect()
    }

    /// Per replication, Σ answered / Σ offered of `scopes` at `levels`.
    fn ratio(&self, levels: &[Level], scopes: &[Scope]) -> Vec<f64> {
        let pick = |m: Metric| -> Vec<usize> {
            levels
                .iter()
                .flat_map(|&l| scopes.iter().filter_map(move |s| self.get(l, s.clone(), m)))
                .collect()
        };
        let a = self.sum(&pick(Metric::Answered));
        let o = self.sum(&pick(Metric::Offered));
        a.iter()
            .zip(&o)
            .map(|(a, o)| if *o > 0.0 { a / o } else { f64::NAN })
            .collect()
    }

    fn column(&self, level: Level, scope: Scope, metric: Metric) -> Vec<f64> {
        match self.get(level, scope, metric) {
            Some(e) => self.run.column(e),
            None => vec![f64::NAN; self.run.options.replications as usize],
        }
    }
}

fn diff(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| y - x).collect()
}

fn iso_week(date: NaiveDate) -> String {
    let w = date.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

/// Runs the base and the variants and works out the forecast.
pub fn forecast(input: &Input, progress: &(dyn Fn() + Sync)) -> Result<Forecast, RunError> {
    let base = &input.base.model;
    let cal = &base.calendar;
    let opts = input.options;
    let base_run = montecarlo::run(base, opts, progress)?;
    let mut runs = Vec::new();
    for v in input.variants {
        runs.push(montecarlo::run(&v.model, opts, progress)?);
    }
    let theme_index = |m: &Model| {
        m.themes
            .iter()
            .position(|t| t.name == input.theme.name)
            .unwrap_or(0)
    };
    let first_day = input
        .theme
        .start
        .and_then(|s| cal.day_of(s.max(cal.start)))
        .unwrap_or(0);
    let active: Vec<u32> = (first_day..cal.days).collect();
    let channels: Vec<Channel> = input
        .theme
        .volumes
        .iter()
        .filter_map(|v| Channel::from_name(&v.channel))
        .collect();
    let figures: Vec<Figures> = runs.iter().map(Figures::new).collect();
    let base_fig = Figures::new(&base_run);

    // The theme's contacts, hours and cost over a set of days (or the horizon).
    let band_figures = |levels: &[Level]| -> Vec<BandFigure> {
        let mut out = Vec::new();
        for (metric, name) in [
            (Metric::Offered, "contacts"),
            (Metric::HandledHours, "handled_hours"),
            (Metric::Cost, "cost"),
        ] {
            let mut per_channel = Vec::new();
            for c in channels.iter().copied().map(Some).chain([None]) {
                let est: Vec<Estimate> = figures
                    .iter()
                    .zip(input.variants)
                    .map(|(f, v)| {
                        let t = theme_index(&v.model);
                        let scopes: Vec<Channel> = match c {
                            Some(c) => vec![c],
                            None => channels.clone(),
                        };
                        let entries: Vec<usize> = levels
                            .iter()
                            .flat_map(|&l| {
                                scopes
                                    .iter()
                                    .filter_map(move |&ch| f.get(l, Scope::Theme(t, ch), metric))
                            })
                            .collect();
                        Estimate::from_values(&f.sum(&entries))
                    })
                    .collect();
                per_channel.push(BandFigure {
                    channel: c.map_or("total", |c| c.name()).to_string(),
                    metric: name.to_string(),
                    low: est[0],
                    likely: est[1],
                    high: est[2],
                });
            }
            out.extend(per_channel);
        }
        out
    };
    let totals = band_figures(&[Level::Horizon]);
    let periods = |label: &dyn Fn(NaiveDate) -> String| -> Vec<PeriodFigures> {
        let mut groups: IndexMap<String, Vec<u32>> = IndexMap::new();
        for &d in &active {
            groups.entry(label(cal.date(d))).or_default().push(d);
        }
        groups
            .into_iter()
            .map(|(period, days)| {
                let levels: Vec<Level> = days.iter().map(|&d| Level::Day(d)).collect();
                PeriodFigures {
                    period,
                    first_day: cal.date(days[0]).to_string(),
                    last_day: cal.date(*days.last().unwrap_or(&days[0])).to_string(),
                    days: days.len() as u32,
                    figures: band_figures(&levels),
                }
            })
            .collect()
    };
    let weeks = periods(&iso_week);
    let months = periods(&|d: NaiveDate| d.format("%Y-%m").to_string());

    // Reachability of everyone with no agents added.
    let side = |label: &str, s: &Scenario| Side {
        label: label.to_string(),
        scenario: s.model.name.clone(),
        hash: s.hash.clone(),
    };
    let base_side = side(&input.base_label, input.base);
    let comparisons = runs
        .iter()
        .zip(input.variants)
        .map(|(r, v)| {
            compare::compare(
                (base, &base_run, base_side.clone()),
                (&v.model, r, side(&v.model.name, v)),
            )
        })
        .collect::<Result<Vec<_>, _>>()
        // Every run above used the same options, so they are always paired.
        .map_err(|e| RunError::Internal(e.to_string()))?;
    let mut reachability = Vec::new();
    let all_channels = base_active_channels(base, &input.variants[1].model);
    for ch in all_channels.iter().map(|c| Some(*c)).chain([None]) {
        let (scope, name) = match ch {
            Some(c) => ("channel", c.name()),
            None => ("total", ""),
        };
        let rows: Vec<_> = comparisons
            .iter()
            .map(|c| c.row("horizon", "", scope, "", name, "reachability"))
            .collect();
        let base_est = rows
            .iter()
            .flatten()
            .next()
            .map(|r| r.a)
            .unwrap_or_else(|| Estimate::from_values(&[]));
        let pick = |i: usize, f: &dyn Fn(&compare::Row) -> Estimate| {
            rows[i].map(f).unwrap_or_else(|| Estimate::from_values(&[]))
        };
        reachability.push(ReachabilityRow {
            over: "horizon".into(),
            channel: ch.map_or("total", |c| c.name()).to_string(),
            base: base_est,
            low: pick(0, &|r| r.b),
            likely: pick(1, &|r| r.b),
            high: pick(2, &|r| r.b),
            difference_low: pick(0, &|r| r.difference),
            difference_likely: pick(1, &|r| r.difference),
            difference_high: pick(2, &|r| r.difference),
        });
    }
    // Over the active period: calls and chats, and the total (whose e-mails
    // count by their deadline, so that days add up).
    let day_levels: Vec<Level> = active.iter().map(|&d| Level::Day(d)).collect();
    let live: Vec<Channel> = all_channels
        .iter()
        .copied()
        .filter(|c| c.is_live())
        .collect();
    let mut active_sets: Vec<(String, Vec<Scope>)> = live
        .iter()
        .map(|c| (c.name().to_string(), vec![Scope::Channel(*c)]))
        .collect();
    if live.len() > 1 {
        active_sets.push((
            "live".into(),
            live.iter().map(|c| Scope::Channel(*c)).collect(),
        ));
    }
    active_sets.push(("total".into(), vec![Scope::Total]));
    for (name, scopes) in &active_sets {
        let b = base_fig.ratio(&day_levels, scopes);
        let w: Vec<Vec<f64>> = figures
            .iter()
            .map(|f| f.ratio(&day_levels, scopes))
            .collect();
        reachability.push(ReachabilityRow {
            over: "active".into(),
            channel: name.clone(),
            base: Estimate::from_values(&b),
            low: Estimate::from_values(&w[0]),
            likely: Estimate::from_values(&w[1]),
            high: Estimate::from_values(&w[2]),
            difference_low: Estimate::from_values(&diff(&b, &w[0])),
            difference_likely: Estimate::from_values(&diff(&b, &w[1])),
            difference_high: Estimate::from_values(&diff(&b, &w[2])),
        });
    }

    // Extra agents, per case.
    let mut extra_agents = Vec::new();
    for (k, band) in Band::ALL.into_iter().enumerate() {
        extra_agents.push(extra_agents_for(
            input,
            band,
            &input.variants[k].model,
            &base_run,
            &active,
            progress,
        )?);
    }

    Ok(Forecast {
        schema_version: SCHEMA_VERSION,
        ccsim_version: env!("CARGO_PKG_VERSION").to_string(),
        theme: input.theme.name.clone(),
        description: input.theme.description.clone(),
        theme_file: input.theme.file.clone(),
        base: base_side,
        start: cal.date(first_day).to_string(),
        end: cal.date(cal.days - 1).to_string(),
        served_by: input.theme.served_by.clone(),
        seed: opts.seed,
        replications: opts.replications,
        volumes: input.theme.volumes.clone(),
        totals,
        weeks,
        months,
        reachability,
        extra_agents,
        agent_hour_price: input.agent_hour_price,
    })
}

fn base_active_channels(base: &Model, with: &Model) -> Vec<Channel> {
    Channel::ALL
        .into_iter()
        .filter(|c| base.active_channels().contains(c) || with.active_channels().contains(c))
        .collect()
}

/// The score Erlang A gives `agents` at a load: reachability, or with
/// infinitely patient callers the service level (a stable Erlang C queue
/// answers everyone); 0 where it cannot be computed.
fn erlang_score(load: &IntervalLoad, threshold: f64, agents: u32) -> f64 {
    match load.figures(agents, threshold) {
        Some(f) if load.patience.is_finite() => f.reachability,
        Some(f) => f.service_level,
        None => 0.0,
    }
}

/// The fewest agents on duty to add to `agents` so that the load `with`
/// scores (Erlang A) at least what `agents` score at the load `without`
/// (at most 2,000).
fn extra_on_duty(without: &IntervalLoad, with: &IntervalLoad, threshold: f64, agents: u32) -> u32 {
    const MOST: u32 = 2_000;
    let target = erlang_score(without, threshold, agents) - 1e-9;
    if erlang_score(with, threshold, agents) >= target {
        return 0;
    }
    // The score grows with the agents, so the fewest agents that reach the
    // target are more than `agents`.
    let meets = |f: &crate::erlang::QueueFigures| {
        let score = if with.patience.is_finite() {
            f.reachability
        } else {
            f.service_level
        };
        score >= target
    };
    with.fewest_agents(threshold, agents + MOST, meets)
        .map_or(MOST, |n| n.saturating_sub(agents))
}

fn extra_agents_for(
    input: &Input,
    band: Band,
    with: &Model,
    base_run: &RunResult,
    active: &[u32],
    progress: &(dyn Fn() + Sync),
) -> Result<ExtraAgents, RunError> {
    let base = &input.base.model;
    let cal = &base.calendar;
    let per_day = cal.intervals_per_day as usize;
    let pool_name = input.theme.served_by.first().cloned().unwrap_or_default();
    let pb = base
        .pools
        .iter()
        .position(|p| p.name == pool_name)
        .unwrap_or(0);
    let pw = with
        .pools
        .iter()
        .position(|p| p.name == pool_name)
        .unwrap_or(0);
    let shrinkage = with.pools[pw].shrinkage;
    let threshold = with.channel(Channel::Call).service_level_threshold.max(1.0);
    let on_duty: Vec<bool> = base.pools[pb].available.iter().map(|&n| n > 0).collect();
    let active_intervals: Vec<usize> = active
        .iter()
        .flat_map(|&d| d as usize * per_day..(d as usize + 1) * per_day)
        .collect();
    // Erlang A: the fewest extra agents on duty that keep the interval's
    // Erlang reachability at its value without the theme, converted to
    // scheduled agents (before shrinkage).
    let mut extra = vec![0u32; cal.intervals()];
    let to_scheduled = |i: usize, on_duty_extra: u32| -> u32 {
        let sched = with.pools[pw].scheduled[i];
        let want = with.pools[pw].available[i] + on_duty_extra;
        (0..=10_000u32)
            .find(|&y| ((sched + f64::from(y)) * (1.0 - shrinkage)).round() as u32 >= want)
            .unwrap_or(10_000)
    };
    for &i in &active_intervals {
        let n0 = base.pools[pb].available[i];
        if n0 == 0 {
            continue;
        }
        let without = IntervalLoad::of_pool(base, pb, i, Email::SpreadOverDuty(&on_duty));
        let load = IntervalLoad::of_pool(with, pw, i, Email::SpreadOverDuty(&on_duty));
        if load.rate <= 0.0 || load.work <= without.work {
            continue;
        }
        let x = extra_on_duty(&without, &load, threshold, n0);
        if x > 0 {
            extra[i] = to_scheduled(i, x);
        }
    }
    let hours = |extra: &[u32]| -> f64 {
        extra.iter().map(|&x| f64::from(x)).sum::<f64>() * cal.interval / 3600.0
    };
    let erlang_agent_hours = hours(&extra);

    // The cells of the week (weekday × interval of the day) in the active
    // period, with the intervals in which some line is open.
    let reported: std::collections::HashSet<u32> = base_run
        .layout
        .reported_intervals()
        .iter()
        .copied()
        .collect();
    let mut cells: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for &i in &active_intervals {
        if reported.contains(&(i as u32)) {
            let date = cal.date((i / per_day) as u32);
            cells
                .entry((Weekday::of(date).index(), i % per_day))
                .or_default()
                .push(i);
        }
    }
    let live: Vec<Scope> = base
        .active_channels()
        .into_iter()
        .chain(with.active_channels())
        .filter(|c| c.is_live())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(Scope::Channel)
        .collect();
    let base_fig = Figures::new(base_run);
    let cell_base: BTreeMap<(usize, usize), Vec<f64>> = cells
        .iter()
        .map(|(k, is)| {
            let levels: Vec<Level> = is.iter().map(|&i| Level::Interval(i as u32)).collect();
            (*k, base_fig.ratio(&levels, &live))
        })
        .collect();
    let day_levels: Vec<Level> = active.iter().map(|&d| Level::Day(d)).collect();
    let label = |(w, slot): (usize, usize)| {
        format!("{} {}", Weekday::ALL[w].name(), cal.interval_label(slot).1)
    };
    let mut checks = 0;
    let mut reached = false;
    let mut short_slots = Vec::new();
    let mut check = Vec::new();
    while checks < input.max_checks.max(1) {
        checks += 1;
        let mut model = with.clone();
        {
            let pool = &mut model.pools[pw];
            for (i, &x) in extra.iter().enumerate() {
                if x > 0 {
                    pool.scheduled[i] += f64::from(x);
                    pool.available[i] = (pool.scheduled[i] * (1.0 - shrinkage)).round() as u32;
                }
            }
        }
        let run = montecarlo::run(&model, input.options, progress)?;
        let fig = Figures::new(&run);
        // Which cells are significantly below the base?
        let mut short: Vec<((usize, usize), f64)> = Vec::new();
        for (k, is) in &cells {
            let levels: Vec<Level> = is.iter().map(|&i| Level::Interval(i as u32)).collect();
            let d = Estimate::from_values(&diff(&cell_base[k], &fig.ratio(&levels, &live)));
            if let (Some(m), Some(h)) = (d.mean, d.ci_high)
                && h < 0.0
            {
                short.push((*k, m));
            }
        }
        check = check_rows(base, base_run, &model, &run, &day_levels, &live);
        let overall_short = check
            .iter()
            .filter(|r| r.over == "active")
            .any(|r| r.difference.ci_high.is_some_and(|h| h < 0.0));
        short_slots = short.iter().map(|(k, _)| label(*k)).collect();
        if short.is_empty() && !overall_short {
            reached = true;
            break;
        }
        if checks >= input.max_checks.max(1) {
            break;
        }
        if short.is_empty() {
            // Short overall but in no cell on its own: help the worst cell.
            let worst = cells
                .iter()
                .map(|(k, is)| {
                    let levels: Vec<Level> =
                        is.iter().map(|&i| Level::Interval(i as u32)).collect();
                    let d = Estimate::from_values(&diff(&cell_base[k], &fig.ratio(&levels, &live)));
                    (*k, d.mean.unwrap_or(0.0))
                })
                .min_by(|a, b| a.1.total_cmp(&b.1));
            short.extend(worst);
        }
        for (k, _) in &short {
            for &i in &cells[k] {
                if base.pools[pb].available[i] > 0 || extra[i] > 0 {
                    extra[i] += 1;
                }
            }
        }
    }

    // Summaries of the extra agents.
    let mut by_slot = Vec::new();
    for (k, is) in &cells {
        let values: Vec<u32> = is.iter().map(|&i| extra[i]).collect();
        let max = values.iter().copied().max().unwrap_or(0);
        if max == 0 {
            continue;
        }
        by_slot.push(SlotAgents {
            weekday: Weekday::ALL[k.0].name().to_string(),
            start: cal.interval_label(k.1).1,
            max,
            mean: values.iter().map(|&x| f64::from(x)).sum::<f64>() / values.len() as f64,
        });
    }
    let by_interval = extra
        .iter()
        .enumerate()
        .filter(|(_, x)| **x > 0)
        .map(|(i, &agents)| {
            let (day, start) = cal.interval_label(i);
            IntervalAgents {
                date: cal.date(day).to_string(),
                start,
                agents,
            }
        })
        .collect();
    let mut week_hours: IndexMap<String, f64> = IndexMap::new();
    for &d in active {
        let h: f64 = extra[d as usize * per_day..(d as usize + 1) * per_day]
            .iter()
            .map(|&x| f64::from(x))
            .sum::<f64>()
            * cal.interval
            / 3600.0;
        *week_hours.entry(iso_week(cal.date(d))).or_default() += h;
    }
    let price = input.agent_hour_price;
    let weeks = week_hours
        .into_iter()
        .map(|(week, agent_hours)| WeekAgents {
            week,
            agent_hours,
            cost: price.map(|p| p * agent_hours),
        })
        .collect();
    let agent_hours = hours(&extra);
    Ok(ExtraAgents {
        band,
        pool: pool_name,
        shrinkage,
        erlang_agent_hours,
        checks,
        reached,
        short_slots,
        by_slot,
        by_interval,
        weeks,
        agent_hours,
        cost: price.map(|p| p * agent_hours),
        check,
    })
}

/// Reachability with the extra agents against the base: over the horizon
/// per channel and total, and over the active period.
fn check_rows(
    base: &Model,
    base_run: &RunResult,
    with: &Model,
    run: &RunResult,
    day_levels: &[Level],
    live: &[Scope],
) -> Vec<CheckRow> {
    let (fb, fw) = (Figures::new(base_run), Figures::new(run));
    let mut rows = Vec::new();
    for c in base_active_channels(base, with) {
        let b = fb.column(Level::Horizon, Scope::Channel(c), Metric::Reachability);
        let w = fw.column(Level::Horizon, Scope::Channel(c), Metric::Reachability);
        rows.push(CheckRow {
            over: "horizon".into(),
            channel: c.name().into(),
            base: Estimate::from_values(&b),
            with_extra: Estimate::from_values(&w),
            difference: Estimate::from_values(&diff(&b, &w)),
        });
    }
    let b = fb.column(Level::Horizon, Scope::Total, Metric::Reachability);
    let w = fw.column(Level::Horizon, Scope::Total, Metric::Reachability);
    rows.push(CheckRow {
        over: "horizon".into(),
        channel: "total".into(),
        base: Estimate::from_values(&b),
        with_extra: Estimate::from_values(&w),
        difference: Estimate::from_values(&diff(&b, &w)),
    });
    for (name, scopes) in [("live", live.to_vec()), ("total", vec![Scope::Total])] {
        let b = fb.ratio(day_levels, &scopes);
        let w = fw.ratio(day_levels, &scopes);
        rows.push(CheckRow {
            over: "active".into(),
            channel: name.into(),
            base: Estimate::from_values(&b),
            with_extra: Estimate::from_values(&w),
            difference: Estimate::from_values(&diff(&b, &w)),
        });
    }
    rows
}

/// The extra agents of every case per interval of the week, as CSV:
/// weekday, start, then the most and the mean extra agents of each case.
pub fn extra_agents_csv(f: &Forecast) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header = vec!["weekday".to_string(), "start".to_string()];
    for e in &f.extra_agents {
        header.push(format!("{}_max", e.band.name()));
        header.push(format!("{}_mean", e.band.name()));
    }
    w.write_record(&header).unwrap_or_default();
    let mut keys: Vec<(usize, String)> = Vec::new();
    for e in &f.extra_agents {
        for s in &e.by_slot {
            let wd = Weekday::from_name(&s.weekday).map_or(7, |w| w.index());
            if !keys.contains(&(wd, s.start.clone())) {
                keys.push((wd, s.start.clone()));
            }
        }
    }
    keys.sort();
    for (wd, start) in keys {
        let mut rec = vec![
            Weekday::ALL.get(wd).map_or("", |w| w.name()).to_string(),
            start.clone(),
        ];
        for e in &f.extra_agents {
            match e.by_slot.iter().find(|s| {
                s.start == start && Weekday::from_name(&s.weekday).map(|w| w.index()) == Some(wd)
            }) {
                Some(s) => rec.extend([s.max.to_string(), format!("{:.2}", s.mean)]),
                None => rec.extend(["0".to_string(), "0".to_string()]),
            }
        }
        w.write_record(&rec).unwrap_or_default();
    }
    w.into_inner().unwrap_or_default()
}

/// The theme's contacts, handled hours and cost per ISO week and month, as
/// tidy CSV: one row per period, channel and metric.
pub fn periods_csv(f: &Forecast) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "period_kind",
        "period",
        "first_day",
        "last_day",
        "days",
        "channel",
        "metric",
        "low",
        "likely",
        "likely_ci_low",
        "likely_ci_high",
        "high",
    ])
    .unwrap_or_default();
    let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    for (kind, list) in [("week", &f.weeks), ("month", &f.months)] {
        for p in list {
            for b in &p.figures {
                w.write_record([
                    kind.to_string(),
                    p.period.clone(),
                    p.first_day.clone(),
                    p.last_day.clone(),
                    p.days.to_string(),
                    b.channel.clone(),
                    b.metric.clone(),
                    num(b.low.mean),
                    num(b.likely.mean),
                    num(b.likely.ci_low),
                    num(b.likely.ci_high),
                    num(b.high.mean),
                ])
                .unwrap_or_default();
            }
        }
    }
    w.into_inner().unwrap_or_default()
}
