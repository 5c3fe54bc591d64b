//! How to read one export: ccsim's own formats ([`Mapping::ccsim`]) or an
//! ACD's, described by a mapping file in TOML ([`Mapping::load`]).
//!
//! The mapping file's keys are documented in `docs/history.md`; every key
//! is checked here, and an unknown key, column or value is an error with
//! the mapping file's line.

use std::collections::HashMap;
use std::path::Path;

use chrono_tz::Tz;
use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use super::Outcome;
use super::error::HistoryError;
use crate::model::Channel;
use crate::model::duration::parse_duration;

/// The two granularities of a history file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// One row per contact.
    Contacts,
    /// One row per date × interval × theme × channel.
    Intervals,
}

impl Kind {
    /// The name used in a mapping file (`contacts`, `intervals`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Contacts => "contacts",
            Kind::Intervals => "intervals",
        }
    }
}

/// What the timestamps of an export mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timestamps {
    /// Local wall-clock time of the contact center (ccsim's model time).
    Local,
    /// UTC, converted to the local time of the mapping's time zone.
    Utc,
}

/// How durations (wait, handle, averages) are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durations {
    /// A number of seconds (`95`, `95.5`, `95,5` with a decimal comma).
    Seconds,
    /// A clock time `H:MM:SS` or `MM:SS` (fraction of a second allowed).
    Clock,
}

/// The header column(s) one field is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Header names; several are summed (handle = talk + wrap-up + hold).
    pub names: Vec<String>,
    /// Whether the header must have them (a required field, or a column
    /// the mapping names); otherwise the field is empty when they are missing.
    pub required: bool,
}

impl Column {
    fn required(name: &str) -> Column {
        Column {
            names: vec![name.to_string()],
            required: true,
        }
    }

    fn optional(name: &str) -> Column {
        Column {
            names: vec![name.to_string()],
            required: false,
        }
    }

    /// The first header name (what messages call the field).
    pub fn name(&self) -> &str {
        self.names.first().map(String::as_str).unwrap_or("")
    }
}

/// Columns of a contact-level export (one per field of [`super::Contact`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactColumns {
    /// Contact id; when missing, the row's number (1 for the first data row).
    pub contact: Column,
    /// Caller id (redials).
    pub caller: Column,
    /// Line (entry point).
    pub line: Column,
    /// Theme or ACD queue.
    pub theme: Column,
    /// Channel.
    pub channel: Column,
    /// Arrival timestamp.
    pub arrival: Column,
    /// Outcome.
    pub outcome: Column,
    /// Seconds waited.
    pub wait: Column,
    /// Handle time: talk + wrap-up (+ hold) columns, summed.
    pub handle: Column,
    /// Answering pool or agent group.
    pub pool: Column,
}

/// Columns of an interval-level export (one per field of [`super::IntervalRow`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntervalColumns {
    /// Date of the interval (with `interval`), unless `datetime` is given.
    pub date: Column,
    /// Start time of the interval within the date.
    pub interval: Column,
    /// Start of the interval as one timestamp (instead of date + interval).
    pub datetime: Option<Column>,
    /// Theme or ACD queue.
    pub theme: Column,
    /// Channel.
    pub channel: Column,
    /// Contacts offered.
    pub offered: Column,
    /// Contacts answered.
    pub answered: Column,
    /// Contacts abandoned.
    pub abandoned: Column,
    /// Contacts answered within the service-level threshold.
    pub answered_within: Column,
    /// The service-level threshold of `answered_within`, seconds.
    pub threshold: Column,
    /// Average handle time: talk + wrap-up (+ hold) averages, summed.
    pub handle_time: Column,
    /// Average speed of answer.
    pub asa: Column,
    /// Mean wait of the abandoned.
    pub abandon_wait: Column,
    /// Agents staffed, on average.
    pub agents: Column,
}

/// How to read one export: its shape, its columns and what its values mean.
///
/// [`Mapping::ccsim`] reads ccsim's own contact log and interval report;
/// [`Mapping::load`] reads a mapping file for an ACD's export. Fields are
/// public so that a program can adjust a mapping (e.g. set `interval`).
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    /// The kind of export; `None` (ccsim's formats) detects it from the header.
    pub kind: Option<Kind>,
    /// Field delimiter (`,` `;` or tab).
    pub delimiter: u8,
    /// Whether numbers use a decimal comma (`12,5`).
    pub decimal_comma: bool,
    /// chrono strftime format of timestamps; `None`: ISO 8601
    /// (`2023-10-29T02:30:00`, fraction, `Z` or an offset allowed).
    pub timestamp_format: Option<String>,
    /// chrono strftime format of an interval report's date column.
    pub date_format: String,
    /// chrono strftime format of an interval report's start column;
    /// `None`: `HH:MM` or `HH:MM:SS`.
    pub time_format: Option<String>,
    /// Whether naive timestamps are local or UTC.
    pub timestamps: Timestamps,
    /// The contact center's time zone, whose wall-clock time the model uses.
    pub time_zone: Option<Tz>,
    /// How durations are written.
    pub durations: Durations,
    /// Whether rows are sorted by time (an out-of-order row is an error).
    pub sorted: bool,
    /// The channel of every row when the export has no channel column.
    pub channel: Option<Channel>,
    /// The theme of every row when the export has no theme or queue column.
    pub theme: Option<String>,
    /// Interval length in seconds, when it cannot be inferred from the data.
    pub interval: Option<u32>,
    /// Service-level threshold of `answered_within` per channel, seconds.
    pub thresholds: [Option<u32>; Channel::COUNT],
    /// Columns of a contact export.
    pub contacts: ContactColumns,
    /// Columns of an interval export.
    pub intervals: IntervalColumns,
    /// Export values of the outcome and what they mean (matched without
    /// regard to ASCII case); ccsim's names are always understood.
    pub outcomes: Vec<(String, Outcome)>,
    /// Export values of the channel and the channel they mean (matched
    /// without regard to ASCII case); ccsim's names are always understood.
    pub channels: Vec<(String, Channel)>,
    /// Queue names renamed to themes (exact match); others keep their name.
    pub themes: HashMap<String, String>,
}

impl Mapping {
    /// ccsim's own formats: the contact log of `run --log` and the interval
    /// report of `run --log-intervals` (see `docs/history.md`).
    pub fn ccsim() -> Mapping {
        Mapping {
            kind: None,
            delimiter: b',',
            decimal_comma: false,
            timestamp_format: None,
            date_format: "%Y-%m-%d".to_string(),
            time_format: None,
            timestamps: Timestamps::Local,
            time_zone: None,
            durations: Durations::Seconds,
            sorted: false,
            channel: None,
            theme: None,
            interval: None,
            thresholds: [None; Channel::COUNT],
            contacts: ContactColumns {
                contact: Column::optional("contact"),
                caller: Column::optional("caller"),
                line: Column::optional("line"),
                theme: Column::required("theme"),
                channel: Column::required("channel"),
                arrival: Column::required("arrival"),
                outcome: Column::required("outcome"),
                wait: Column::required("wait"),
                handle: Column::optional("handle"),
                pool: Column::optional("pool"),
            },
            intervals: IntervalColumns {
                date: Column::required("date"),
                interval: Column::required("interval"),
                datetime: None,
                theme: Column::required("theme"),
                channel: Column::required("channel"),
                offered: Column::required("offered"),
                answered: Column::required("answered"),
                abandoned: Column::required("abandoned"),
                answered_within: Column::optional("answered_within"),
                threshold: Column::optional("threshold"),
                handle_time: Column::optional("handle_time"),
                asa: Column::optional("asa"),
                abandon_wait: Column::optional("abandon_wait"),
                agents: Column::optional("agents"),
            },
            outcomes: Vec::new(),
            channels: Vec::new(),
            themes: HashMap::new(),
        }
    }

    /// Reads a mapping file (TOML; keys in `docs/history.md`).
    pub fn load(path: &Path) -> Result<Mapping, HistoryError> {
        let text = std::fs::read(path)
            .map_err(|e| HistoryError::file(path, format!("cannot read the mapping: {e}")))?;
        let text = String::from_utf8(text)
            .map_err(|_| HistoryError::file(path, "the mapping is not UTF-8 text"))?;
        Mapping::parse(&text, path)
    }

    /// Parses a mapping file's text; `path` names it in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Mapping, HistoryError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let spec: MappingSpec = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            let message = e.message().trim().replace('\n', " ");
            HistoryError {
                line,
                ..HistoryError::file(path, message)
            }
        })?;
        Checker { text, path }.mapping(spec)
    }

    /// The outcome an export's value means, if any.
    pub fn outcome(&self, value: &[u8]) -> Option<Outcome> {
        for (name, outcome) in &self.outcomes {
            if name.as_bytes().eq_ignore_ascii_case(value) {
                return Some(*outcome);
            }
        }
        Outcome::ALL
            .into_iter()
            .find(|o| o.name().as_bytes() == value)
    }

    /// The channel an export's value means, if any.
    pub fn channel_of(&self, value: &[u8]) -> Option<Channel> {
        for (name, channel) in &self.channels {
            if name.as_bytes().eq_ignore_ascii_case(value) {
                return Some(*channel);
            }
        }
        Channel::ALL
            .into_iter()
            .find(|c| c.name().as_bytes() == value)
    }

    /// The outcome values this mapping understands, for messages.
    pub fn outcome_names(&self) -> String {
        let mut names: Vec<&str> = self.outcomes.iter().map(|(n, _)| n.as_str()).collect();
        names.extend(Outcome::ALL.iter().map(|o| o.name()));
        names.join(", ")
    }

    /// The channel values this mapping understands, for messages.
    pub fn channel_names(&self) -> String {
        let mut names: Vec<&str> = self.channels.iter().map(|(n, _)| n.as_str()).collect();
        names.extend(Channel::ALL.iter().map(|c| c.name()));
        names.join(", ")
    }

    /// The delimiter as a user writes it, for messages.
    pub fn delimiter_name(&self) -> String {
        match self.delimiter {
            b'\t' => "tab".to_string(),
            d => (d as char).to_string(),
        }
    }
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> u64 {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
        + 1
}

/// A mapping file as written (serde), checked by [`Checker`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingSpec {
    kind: Spanned<String>,
    delimiter: Option<Spanned<String>>,
    decimal_comma: Option<bool>,
    timestamp_format: Option<Spanned<String>>,
    date_format: Option<Spanned<String>>,
    time_format: Option<Spanned<String>>,
    timestamps: Option<Spanned<String>>,
    time_zone: Option<Spanned<String>>,
    durations: Option<Spanned<String>>,
    sorted: Option<bool>,
    channel: Option<Spanned<String>>,
    theme: Option<Spanned<String>>,
    interval: Option<Spanned<toml::Value>>,
    threshold: Option<Spanned<toml::Value>>,
    #[serde(default)]
    columns: IndexMap<String, Spanned<Names>>,
    #[serde(default)]
    outcomes: IndexMap<String, Spanned<String>>,
    #[serde(default)]
    channels: IndexMap<String, Spanned<String>>,
    #[serde(default)]
    themes: IndexMap<String, String>,
}

/// One column name, or several to sum.
#[derive(Deserialize)]
#[serde(untagged)]
enum Names {
    One(String),
    Many(Vec<String>),
}

/// Fields of each kind that may name several columns (summed).
const SUMMED: [&str; 2] = ["handle", "handle_time"];
/// Fields of a contact export, in the order of ccsim's log.
const CONTACT_FIELDS: [&str; 10] = [
    "contact", "caller", "line", "theme", "channel", "arrival", "outcome", "wait", "handle", "pool",
];
/// Fields of an interval export.
const INTERVAL_FIELDS: [&str; 14] = [
    "date",
    "interval",
    "datetime",
    "theme",
    "channel",
    "offered",
    "answered",
    "abandoned",
    "answered_within",
    "threshold",
    "handle_time",
    "asa",
    "abandon_wait",
    "agents",
];

/// Checks a [`MappingSpec`] into a [`Mapping`], each message with its line.
struct Checker<'a> {
    text: &'a str,
    path: &'a Path,
}

impl Checker<'_> {
    fn error<T>(&self, span: std::ops::Range<usize>, message: String) -> Result<T, HistoryError> {
        Err(HistoryError::line(
            self.path,
            line_of(self.text, span.start),
            message,
        ))
    }

    fn key(&self, key: &str, value: &Spanned<String>, expected: &str) -> HistoryError {
        HistoryError::line(
            self.path,
            line_of(self.text, value.span().start),
            format!(
                "key `{key}`: expected {expected}, found `{}`",
                value.get_ref()
            ),
        )
    }

    fn mapping(&self, spec: MappingSpec) -> Result<Mapping, HistoryError> {
        let mut m = Mapping::ccsim();
        let kind = match spec.kind.get_ref().as_str() {
            "contacts" => Kind::Contacts,
            "intervals" => Kind::Intervals,
            _ => return Err(self.key("kind", &spec.kind, "`contacts` or `intervals`")),
        };
        m.kind = Some(kind);
        if let Some(d) = &spec.delimiter {
            m.delimiter = match d.get_ref().as_str() {
                "," => b',',
                ";" => b';',
                "\t" | "tab" => b'\t',
                "|" => b'|',
                _ => return Err(self.key("delimiter", d, "`,`, `;`, `|` or `tab`")),
            };
        }
        m.decimal_comma = spec.decimal_comma.unwrap_or(false);
        if m.decimal_comma && m.delimiter == b',' {
            let span = spec.delimiter.as_ref().map_or(0..0, |d| d.span());
            return self.error(
                span,
                "`decimal_comma = true` needs a delimiter other than `,` (e.g. `delimiter = \";\"`)"
                    .to_string(),
            );
        }
        self.formats(&spec, &mut m)?;
        self.time(&spec, &mut m)?;
        if let Some(d) = &spec.durations {
            m.durations = match d.get_ref().as_str() {
                "seconds" => Durations::Seconds,
                "clock" => Durations::Clock,
                _ => return Err(self.key("durations", d, "`seconds` or `clock`")),
            };
        }
        m.sorted = spec.sorted.unwrap_or(false);
        if let Some(c) = &spec.channel {
            m.channel = Some(
                Channel::from_name(c.get_ref())
                    .ok_or_else(|| self.key("channel", c, "one of call, chat, email, visit"))?,
            );
        }
        if let Some(t) = &spec.theme {
            if t.get_ref().trim().is_empty() {
                return Err(self.key("theme", t, "a theme name"));
            }
            m.theme = Some(t.get_ref().clone());
        }
        if let Some(i) = &spec.interval {
            m.interval = Some(self.interval(i)?);
        }
        if let Some(t) = &spec.threshold {
            m.thresholds = self.thresholds(t)?;
        }
        self.values(&spec, &mut m)?;
        match kind {
            Kind::Contacts => self.contact_columns(&spec, &mut m)?,
            Kind::Intervals => self.interval_columns(&spec, &mut m)?,
        }
        Ok(m)
    }

    fn formats(&self, spec: &MappingSpec, m: &mut Mapping) -> Result<(), HistoryError> {
        use chrono::format::{Item, StrftimeItems};
        let check = |key: &str, f: &Spanned<String>| -> Result<String, HistoryError> {
            let bad = StrftimeItems::new(f.get_ref()).any(|i| matches!(i, Item::Error));
            if bad || f.get_ref().is_empty() {
                return Err(self.key(
                    key,
                    f,
                    "a chrono strftime format such as `%d/%m/%Y %H:%M:%S`",
                ));
            }
            Ok(f.get_ref().clone())
        };
        if let Some(f) = &spec.timestamp_format {
            m.timestamp_format = Some(check("timestamp_format", f)?);
        }
        if let Some(f) = &spec.date_format {
            m.date_format = check("date_format", f)?;
        }
        if let Some(f) = &spec.time_format {
            m.time_format = Some(check("time_format", f)?);
        }
        Ok(())
    }

    fn time(&self, spec: &MappingSpec, m: &mut Mapping) -> Result<(), HistoryError> {
        if let Some(z) = &spec.time_zone {
            m.time_zone = Some(z.get_ref().parse::<Tz>().map_err(|_| {
                self.key(
                    "time_zone",
                    z,
                    "an IANA time zone name such as `Europe/Brussels`",
                )
            })?);
        }
        if let Some(t) = &spec.timestamps {
            m.timestamps = match t.get_ref().as_str() {
                "local" => Timestamps::Local,
                "utc" => Timestamps::Utc,
                _ => return Err(self.key("timestamps", t, "`local` or `utc`")),
            };
            if m.timestamps == Timestamps::Utc && m.time_zone.is_none() {
                return self.error(
                    t.span(),
                    "`timestamps = \"utc\"` needs `time_zone`: the zone whose local time ccsim's model uses (e.g. `time_zone = \"Europe/Brussels\"`)"
                        .to_string(),
                );
            }
        }
        Ok(())
    }

    fn seconds(&self, key: &str, v: &Spanned<toml::Value>) -> Result<u32, HistoryError> {
        let seconds = match v.get_ref() {
            toml::Value::Integer(i) if *i > 0 && *i <= 86_400 => Some(*i as f64),
            toml::Value::String(s) => parse_duration(s).ok(),
            _ => None,
        };
        match seconds {
            Some(s) if (1.0..=86_400.0).contains(&s) && s.fract() == 0.0 => Ok(s as u32),
            _ => self.error(
                v.span(),
                format!(
                    "key `{key}`: expected whole seconds from 1 to 86400 or a duration such as \"15m\", found `{}`",
                    v.get_ref()
                ),
            ),
        }
    }

    fn interval(&self, v: &Spanned<toml::Value>) -> Result<u32, HistoryError> {
        let s = self.seconds("interval", v)?;
        if 86_400 % s != 0 {
            return self.error(
                v.span(),
                format!("key `interval`: expected a length that divides a day, found {s} s"),
            );
        }
        Ok(s)
    }

    fn thresholds(
        &self,
        v: &Spanned<toml::Value>,
    ) -> Result<[Option<u32>; Channel::COUNT], HistoryError> {
        let mut out = [None; Channel::COUNT];
        if let toml::Value::Table(table) = v.get_ref() {
            for (name, value) in table {
                let Some(channel) = Channel::from_name(name) else {
                    return self.error(
                        v.span(),
                        format!("key `threshold`: expected channels call, chat, email, visit, found `{name}`"),
                    );
                };
                let spanned = Spanned::new(v.span(), value.clone());
                out[channel.index()] = Some(self.seconds("threshold", &spanned)?);
            }
        } else {
            let s = self.seconds("threshold", v)?;
            out = [Some(s); Channel::COUNT];
        }
        Ok(out)
    }

    fn values(&self, spec: &MappingSpec, m: &mut Mapping) -> Result<(), HistoryError> {
        for (value, meaning) in &spec.outcomes {
            let Some(outcome) = Outcome::from_name(meaning.get_ref()) else {
                let names: Vec<&str> = Outcome::ALL.iter().map(|o| o.name()).collect();
                return Err(self.key(
                    &format!("outcomes.{value}"),
                    meaning,
                    &format!("one of {}", names.join(", ")),
                ));
            };
            if m.outcomes
                .iter()
                .any(|(v, _)| v.eq_ignore_ascii_case(value))
            {
                return self.error(meaning.span(), format!("key `outcomes`: `{value}` is given twice (values match without regard to case)"));
            }
            m.outcomes.push((value.clone(), outcome));
        }
        for (value, meaning) in &spec.channels {
            let Some(channel) = Channel::from_name(meaning.get_ref()) else {
                return Err(self.key(
                    &format!("channels.{value}"),
                    meaning,
                    "one of call, chat, email, visit",
                ));
            };
            if m.channels
                .iter()
                .any(|(v, _)| v.eq_ignore_ascii_case(value))
            {
                return self.error(meaning.span(), format!("key `channels`: `{value}` is given twice (values match without regard to case)"));
            }
            m.channels.push((value.clone(), channel));
        }
        m.themes = spec
            .themes
            .iter()
            .map(|(q, t)| (q.clone(), t.clone()))
            .collect();
        Ok(())
    }

    /// The columns named under `[columns]`, checked against the kind's fields.
    fn named(
        &self,
        spec: &MappingSpec,
        kind: Kind,
        fields: &[&str],
    ) -> Result<HashMap<String, Vec<String>>, HistoryError> {
        let mut out = HashMap::new();
        for (field, names) in &spec.columns {
            if !fields.contains(&field.as_str()) {
                let close = fields
                    .iter()
                    .find(|f| strsim::normalized_damerau_levenshtein(f, field) > 0.7)
                    .map(|f| format!(" (did you mean `{f}`?)"))
                    .unwrap_or_default();
                return self.error(
                    names.span(),
                    format!(
                        "key `columns.{field}`: not a field of {} exports{close}; fields: {}",
                        kind.name(),
                        fields.join(", ")
                    ),
                );
            }
            let list = match names.get_ref() {
                Names::One(n) => vec![n.clone()],
                Names::Many(v) => v.clone(),
            };
            if list.is_empty() || list.iter().any(|n| n.trim().is_empty()) {
                return self.error(
                    names.span(),
                    format!("key `columns.{field}`: expected a column name, found an empty one"),
                );
            }
            if list.len() > 1 && !SUMMED.contains(&field.as_str()) {
                return self.error(
                    names.span(),
                    format!("key `columns.{field}`: expected one column name (only handle and handle_time sum several columns), found {}", list.len()),
                );
            }
            out.insert(field.clone(), list);
        }
        Ok(out)
    }

    fn contact_columns(&self, spec: &MappingSpec, m: &mut Mapping) -> Result<(), HistoryError> {
        let mut named = self.named(spec, Kind::Contacts, &CONTACT_FIELDS)?;
        let c = &mut m.contacts;
        for (field, column) in [
            ("contact", &mut c.contact),
            ("caller", &mut c.caller),
            ("line", &mut c.line),
            ("theme", &mut c.theme),
            ("channel", &mut c.channel),
            ("arrival", &mut c.arrival),
            ("outcome", &mut c.outcome),
            ("wait", &mut c.wait),
            ("handle", &mut c.handle),
            ("pool", &mut c.pool),
        ] {
            if let Some(names) = named.remove(field) {
                *column = Column {
                    names,
                    required: true,
                };
            }
        }
        defaults(
            &mut c.theme,
            &mut c.channel,
            m.theme.is_some(),
            m.channel.is_some(),
        );
        Ok(())
    }

    fn interval_columns(&self, spec: &MappingSpec, m: &mut Mapping) -> Result<(), HistoryError> {
        let mut named = self.named(spec, Kind::Intervals, &INTERVAL_FIELDS)?;
        let has_datetime = named.contains_key("datetime");
        if has_datetime && (named.contains_key("date") || named.contains_key("interval")) {
            let span = spec.columns.get("datetime").map_or(0..0, |s| s.span());
            return self.error(
                span,
                "key `columns.datetime`: give either `datetime` or `date` and `interval`, not both"
                    .to_string(),
            );
        }
        let c = &mut m.intervals;
        if let Some(names) = named.remove("datetime") {
            c.datetime = Some(Column {
                names,
                required: true,
            });
            c.date.required = false;
            c.interval.required = false;
        }
        for (field, column) in [
            ("date", &mut c.date),
            ("interval", &mut c.interval),
            ("theme", &mut c.theme),
            ("channel", &mut c.channel),
            ("offered", &mut c.offered),
            ("answered", &mut c.answered),
            ("abandoned", &mut c.abandoned),
            ("answered_within", &mut c.answered_within),
            ("threshold", &mut c.threshold),
            ("handle_time", &mut c.handle_time),
            ("asa", &mut c.asa),
            ("abandon_wait", &mut c.abandon_wait),
            ("agents", &mut c.agents),
        ] {
            if let Some(names) = named.remove(field) {
                *column = Column {
                    names,
                    required: true,
                };
            }
        }
        defaults(
            &mut c.theme,
            &mut c.channel,
            m.theme.is_some(),
            m.channel.is_some(),
        );
        Ok(())
    }
}

/// With a default theme or channel and no column named for it, the
/// column becomes optional (read when the header has it).
fn defaults(theme: &mut Column, channel: &mut Column, default_theme: bool, default_channel: bool) {
    if default_theme && theme.names == ["theme"] {
        theme.required = false;
    }
    if default_channel && channel.names == ["channel"] {
        channel.required = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Mapping, String> {
        Mapping::parse(text, Path::new("m.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_every_key() {
        let m = parse(
            r#"
kind = "contacts"
delimiter = ";"
decimal_comma = true
timestamp_format = "%d/%m/%Y %H:%M:%S"
timestamps = "utc"
time_zone = "Europe/Brussels"
durations = "clock"
sorted = true
channel = "call"
threshold = { call = 20, chat = "1m" }
[columns]
arrival = "Start"
handle = ["Talk", "Wrap"]
[outcomes]
ABANDON = "abandoned"
[channels]
Voice = "call"
[themes]
Q1 = "vaccination"
"#,
        )
        .unwrap();
        assert_eq!(m.kind, Some(Kind::Contacts));
        assert_eq!(m.delimiter, b';');
        assert!(m.decimal_comma && m.sorted);
        assert_eq!(m.time_zone, Some(chrono_tz::Europe::Brussels));
        assert_eq!(m.timestamps, Timestamps::Utc);
        assert_eq!(m.durations, Durations::Clock);
        assert_eq!(m.thresholds, [Some(20), Some(60), None, None]);
        assert_eq!(m.contacts.handle.names, ["Talk", "Wrap"]);
        assert!(!m.contacts.channel.required);
        assert_eq!(m.outcome(b"abandon"), Some(Outcome::Abandoned));
        assert_eq!(m.outcome(b"answered"), Some(Outcome::Answered));
        assert_eq!(m.channel_of(b"VOICE"), Some(Channel::Call));
        assert_eq!(m.themes["Q1"], "vaccination");
    }

    #[test]
    fn names_the_line_of_a_bad_key() {
        assert_eq!(
            parse("kind = \"contacts\"\n\ntime_zone = \"Europe/Bruxelles\"\n").unwrap_err(),
            "m.toml:3: key `time_zone`: expected an IANA time zone name such as `Europe/Brussels`, found `Europe/Bruxelles`"
        );
        assert_eq!(
            parse("kind = \"intervals\"\n[columns]\nofered = \"Offered\"\n").unwrap_err(),
            "m.toml:3: key `columns.ofered`: not a field of intervals exports (did you mean `offered`?); fields: date, interval, datetime, theme, channel, offered, answered, abandoned, answered_within, threshold, handle_time, asa, abandon_wait, agents"
        );
        assert_eq!(
            parse("kind = \"contacts\"\ntimestamps = \"utc\"\n").unwrap_err(),
            "m.toml:2: `timestamps = \"utc\"` needs `time_zone`: the zone whose local time ccsim's model uses (e.g. `time_zone = \"Europe/Brussels\"`)"
        );
        assert_eq!(
            parse("kind = \"contacts\"\n[outcomes]\nABN = \"abandon\"\n").unwrap_err(),
            "m.toml:3: key `outcomes.ABN`: expected one of answered, abandoned, blocked, closed_out, sent_away, callback, waiting, found `abandon`"
        );
        assert!(
            parse("kind = \"contacts\"\nzone = 1\n")
                .unwrap_err()
                .starts_with("m.toml:2: unknown field `zone`")
        );
        assert_eq!(
            parse("kind = \"intervals\"\ninterval = \"7m\"\n").unwrap_err(),
            "m.toml:2: key `interval`: expected a length that divides a day, found 420 s"
        );
    }
}
