//! Errors in a scenario file, each with its location and the field's dotted path.

use std::fmt;
use std::ops::Range;

/// One problem in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// Dotted path of the field, e.g. `pools.generalists.agents` (empty for the whole file).
    pub path: String,
    /// What is wrong, and what is expected.
    pub message: String,
    /// Byte range in the file, when known.
    pub span: Option<Range<usize>>,
}

/// Every problem found in one scenario file (validation reports them all at once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioErrors {
    /// The file's name as given by the user (or `<embedded>`).
    pub file: String,
    /// The file's text, for line numbers and snippets.
    pub source: String,
    /// The problems, in file order.
    pub errors: Vec<ScenarioError>,
}

/// Line and column (both 1-based, column in characters) of a byte offset.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..source.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

impl ScenarioErrors {
    /// `file:line:column` of an error (just the file when the span is unknown).
    pub fn location(&self, error: &ScenarioError) -> String {
        match &error.span {
            Some(span) => {
                let (line, column) = line_column(&self.source, span.start);
                format!("{}:{}:{}", self.file, line, column)
            }
            None => self.file.clone(),
        }
    }
}

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            if e.path.is_empty() {
                write!(f, "{}: {}", self.location(e), e.message)?;
            } else {
                write!(f, "{}: `{}`: {}", self.location(e), e.path, e.message)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}

/// Collects problems while a scenario is validated, and the files it read.
#[derive(Debug, Default)]
pub struct Problems {
    /// The problems so far.
    pub list: Vec<ScenarioError>,
    /// The files read so far (empirical CSVs): each one's name as the
    /// scenario writes it and the SHA-256 of its bytes, for the scenario's
    /// [hash](super::Scenario::hash).
    pub files_read: Vec<(String, String)>,
}

impl Problems {
    /// Notes a problem at `path`, located at `span`.
    pub fn add(
        &mut self,
        path: impl Into<String>,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) {
        self.list.push(ScenarioError {
            path: path.into(),
            message: message.into(),
            span,
        });
    }
}

/// A serde error from reading a TOML file as a located [`ScenarioError`]:
/// the dotted path (without `toml::Spanned`'s private keys), serde's message
/// in the words of the format ([`humanize_serde`]) and the span.
pub fn from_serde(e: serde_path_to_error::Error<toml::de::Error>) -> ScenarioError {
    let path = e
        .path()
        .to_string()
        .split('.')
        .filter(|seg| !seg.contains("__serde_spanned"))
        .collect::<Vec<_>>()
        .join(".");
    let inner = e.into_inner();
    ScenarioError {
        path: if path == "." { String::new() } else { path },
        message: humanize_serde(inner.message()),
        span: inner.span(),
    }
}

/// The candidate closest to a misspelled `word`, when one is close enough
/// to be what was meant: a normalised Damerau–Levenshtein similarity of at
/// least 0.6 (`patiense` → `patience`), or `word` being a different case
/// of it.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| {
            let score = if c.to_lowercase() == lower {
                1.0
            } else {
                strsim::normalized_damerau_levenshtein(&lower, &c.to_lowercase())
            };
            (c, score)
        })
        .filter(|&(_, score)| score >= 0.6)
        .fold(None, |best: Option<(&str, f64)>, (c, score)| match best {
            Some((_, b)) if b >= score => best,
            _ => Some((c, score)),
        })
        .map(|(c, _)| c)
}

/// `"; did you mean `x`?"` for the candidate closest to `word`, or `""`.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates).map_or(String::new(), |c| format!("; did you mean `{c}`?"))
}

/// Rewrites serde's messages for a scenario reader: an unknown key gets the
/// closest expected key as a suggestion, and a value of the wrong type says
/// what was expected and what was found, in the words of the TOML format
/// (a whole number, a table, an array) rather than Rust's (i64, struct, sequence).
pub fn humanize_serde(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((key, expected)) = rest.split_once('`')
    {
        // serde: "unknown field `x`, expected `a`", "..., expected one of
        // `a`, `b`" or "..., there are no fields".
        let fields: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let listed = match fields.as_slice() {
            [] => "this table takes no keys".to_string(),
            [one] => format!("the only key here is `{one}`"),
            many => format!(
                "the keys here are {}",
                many.iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return format!(
            "unknown key `{key}`: {listed}{}",
            did_you_mean(key, fields.iter().copied())
        );
    }
    if let Some(name) = message.strip_prefix("data did not match any variant of untagged enum ") {
        return match name.trim() {
            "Names" => "expected a name, \"*\" or an array of names".to_string(),
            "RawDuration" => {
                "expected a duration such as \"3m\", \"4m 30s\" or \"1h\", or a number of seconds"
                    .to_string()
            }
            "RawDate" => "expected a date such as 2021-04-12".to_string(),
            other => format!("expected one of the forms of {other} in docs/scenario.md"),
        };
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((found, expected)) = rest.rsplit_once(", expected ")
        {
            return format!(
                "expected {}, found {}",
                expected_words(expected),
                found_words(found)
            );
        }
    }
    message.to_string()
}

/// serde's name of an expected type, in TOML words.
fn expected_words(expected: &str) -> String {
    let e = expected.trim();
    match e {
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number".into(),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number, 0 or more".into(),
        "f32" | "f64" => "a number".into(),
        "a boolean" | "bool" => "true or false".into(),
        "a string" | "string" => "a string".into(),
        "a sequence" => "an array".into(),
        "a map" => "a table".into(),
        _ if e.starts_with("struct ") => "a table".into(),
        _ if e.starts_with("a sequence") => "an array".into(),
        _ => e.to_string(),
    }
}

/// serde's description of an unexpected value, in TOML words.
fn found_words(found: &str) -> String {
    let f = found.trim();
    let value = |prefix: &str| {
        f.strip_prefix(prefix)
            .map(|v| v.trim().trim_matches('`').to_string())
    };
    if let Some(v) = value("string ") {
        format!("the string {v}")
    } else if let Some(v) = value("integer ") {
        format!("the whole number {v}")
    } else if let Some(v) = value("floating point ") {
        format!("the number {v}")
    } else if let Some(v) = value("boolean ") {
        v
    } else {
        match f {
            "sequence" => "an array".into(),
            "map" => "a table".into(),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos_and_not_strangers() {
        let keys = ["patience", "redial", "max_queue", "announcement"];
        assert_eq!(closest("patiense", keys), Some("patience"));
        assert_eq!(closest("Patience", keys), Some("patience"));
        assert_eq!(closest("maxqueue", keys), Some("max_queue"));
        assert_eq!(closest("colour", keys), None);
        assert_eq!(did_you_mean("redail", keys), "; did you mean `redial`?");
        assert_eq!(did_you_mean("zzz", keys), "");
    }

    #[test]
    fn serde_messages_in_the_words_of_the_format() {
        assert_eq!(
            humanize_serde("unknown field `patiense`, expected one of `patience`, `redial`"),
            "unknown key `patiense`: the keys here are `patience`, `redial`; did you mean `patience`?"
        );
        assert_eq!(
            humanize_serde("unknown field `x`, expected `agents`"),
            "unknown key `x`: the only key here is `agents`"
        );
        assert_eq!(
            humanize_serde("unknown field `x`, there are no fields"),
            "unknown key `x`: this table takes no keys"
        );
        assert_eq!(
            humanize_serde("invalid type: string \"many\", expected i64"),
            "expected a whole number, found the string \"many\""
        );
        assert_eq!(
            humanize_serde("invalid type: sequence, expected struct HorizonSpec"),
            "expected a table, found an array"
        );
        assert_eq!(
            humanize_serde("missing field `themes`"),
            "missing field `themes`"
        );
    }

    #[test]
    fn line_and_column_of_offsets() {
        let s = "a = 1\nbé = 2\n";
        assert_eq!(line_column(s, 0), (1, 1));
        assert_eq!(line_column(s, 6), (2, 1));
        assert_eq!(line_column(s, 10), (2, 4));
    }
}
