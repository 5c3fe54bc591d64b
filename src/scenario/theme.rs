//! Theme files: a new theme's volume per channel in three cases (low,
//! likely, high), its handle times, start date, profiles and peaks, its price
//! and the pools of a base scenario that will serve it (see
//! `docs/forecast.md`). `ccsim forecast` reads one; `ccsim validate`
//! recognises one ([`is_theme_file`]).
//!
//! A theme file is checked in two steps, each error located in the file:
//! [`parse`] checks the file's own keys (name, pools, priority, volumes);
//! everything else is scenario text, checked when [`variants`] splices the
//! theme into a base scenario at each case and validates the result like any
//! scenario, its errors mapped back to the theme file's lines and fields.

mod variant;

use std::ops::Range;

use chrono::NaiveDate;
use indexmap::IndexMap;
use serde::Serialize;
use serde::de::IgnoredAny;
use toml::Spanned;

use super::error::{did_you_mean, from_serde};
use super::spec::Whole;
use super::values::DateValue;
use super::{ScenarioError, ScenarioErrors};
use crate::model::Channel;
use crate::model::distribution::readable;

pub use variant::{variant_text, variants};

/// One of the three volume cases of a theme file (and of its forecast).
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
    /// The volume in one case.
    pub fn of(&self, band: Band) -> f64 {
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
    priority: Option<Spanned<Whole>>,
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

/// Keys of a theme file that are its own; every other key is copied into
/// the scenario's `[themes.NAME]`.
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

/// Whether scenario-like text is a theme file rather than a scenario: it
/// names a `theme` at the top level and has no `[horizon]` (which every
/// scenario has). Text that is not TOML is no theme file.
pub fn is_theme_file(text: &str) -> bool {
    toml::de::DeTable::parse(text).is_ok_and(|root| {
        let has = |key: &str| {
            root.get_ref()
                .iter()
                .any(|(k, _)| k.get_ref().as_ref() == key)
        };
        has("theme") && !has("horizon")
    })
}

/// Parses and checks a theme file's own keys; `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<ThemeFile, ScenarioErrors> {
    let spec: ThemeFileSpec = match toml::Deserializer::parse(text) {
        Ok(de) => serde_path_to_error::deserialize(de)
            .map_err(|e| errors(file, text, vec![from_serde(e)]))?,
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
    if spec.volume.get_ref().is_empty() {
        list.push(error(
            "volume",
            Some(spec.volume.span()),
            "the theme has no volume: give volume.call, volume.chat or volume.email",
        ));
    }
    let volumes: Vec<ChannelVolume> = spec
        .volume
        .get_ref()
        .iter()
        .filter_map(|(channel, table)| channel_volume(channel, table, &mut list))
        .collect();
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

/// One channel's `volume.CHANNEL = { PER = CASES }`, or `None` with its
/// errors added to `list`.
fn channel_volume(
    channel: &str,
    table: &Spanned<ChannelVolumeSpec>,
    list: &mut Vec<ScenarioError>,
) -> Option<ChannelVolume> {
    let cpath = format!("volume.{channel}");
    if Channel::from_name(channel).is_none() {
        list.push(error(
            &cpath,
            Some(table.span()),
            format!("unknown channel \"{channel}\": use call, chat or email"),
        ));
        return None;
    }
    let entries: Vec<_> = table.get_ref().iter().collect();
    let [(per, value)] = entries.as_slice() else {
        list.push(error(
            &cpath,
            Some(table.span()),
            "give exactly one of per_day, per_month or per_year",
        ));
        return None;
    };
    let vpath = format!("{cpath}.{per}");
    const PERS: [&str; 3] = ["per_day", "per_month", "per_year"];
    if !PERS.contains(&per.as_str()) {
        list.push(error(
            &vpath,
            Some(value.span()),
            format!(
                "unknown key `{per}`: use per_day, per_month or per_year{}",
                did_you_mean(per, PERS)
            ),
        ));
        return None;
    }
    let (low, likely, high) = cases(&vpath, value, list)?;
    let mut ok = true;
    for (k, x) in [("low", low), ("likely", likely), ("high", high)] {
        if !(x.is_finite() && x >= 0.0) {
            list.push(error(
                &format!("{vpath}.{k}"),
                Some(value.span()),
                format!(
                    "must be a non-negative number of contacts, got {}",
                    readable(x)
                ),
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
    ok.then(|| ChannelVolume {
        channel: channel.to_string(),
        per: per.to_string(),
        low,
        likely,
        high,
    })
}

/// The low, likely and high case of `{ low = .., likely = .., high = .. }`
/// (low and high default to likely), or one number for all three; `None`
/// with its errors added to `list`.
fn cases(
    vpath: &str,
    value: &Spanned<toml::Value>,
    list: &mut Vec<ScenarioError>,
) -> Option<(f64, f64, f64)> {
    let number = |v: &toml::Value| match v {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) => Some(*f),
        _ => None,
    };
    let t = match value.get_ref() {
        toml::Value::Table(t) => t,
        v => {
            let x = number(v);
            if x.is_none() {
                list.push(error(
                    vpath,
                    Some(value.span()),
                    format!("must be a number or {{ low = .., likely = .., high = .. }}, got {v}"),
                ));
            }
            return x.map(|x| (x, x, x));
        }
    };
    const CASES: [&str; 3] = ["low", "likely", "high"];
    let mut ok = true;
    for k in t.keys() {
        if !CASES.contains(&k.as_str()) {
            list.push(error(
                &format!("{vpath}.{k}"),
                Some(value.span()),
                format!(
                    "unknown key `{k}`: use low, likely and high{}",
                    did_you_mean(k, CASES)
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
    let Some(likely) = get("likely", list) else {
        if !t.contains_key("likely") {
            list.push(error(
                vpath,
                Some(value.span()),
                "missing `likely`: give { low = .., likely = .., high = .. }",
            ));
        }
        return None;
    };
    let low = get("low", list).unwrap_or(likely);
    let high = get("high", list).unwrap_or(likely);
    ok.then_some((low, likely, high))
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
