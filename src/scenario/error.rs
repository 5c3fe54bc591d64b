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
    /// Notes: what validation changed in a valid scenario and the user
    /// should know (a peak outside the horizon, left out). They do not make
    /// the scenario invalid.
    pub notes: Vec<ScenarioError>,
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

impl Problems {
    /// Notes something validation changed at `path` (located at `span`)
    /// without refusing the scenario.
    pub fn note(
        &mut self,
        path: impl Into<String>,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) {
        self.notes.push(ScenarioError {
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
    if let Some(too_large) = whole_out_of_range(message) {
        return too_large;
    }
    if message == "integer number overflowed" {
        return WHOLE_TOO_LARGE.to_string();
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

/// What a whole number beyond every field's range gets: the scenario's
/// whole numbers are read up to 128 bits, so that larger ones than a field
/// takes get its range from the field's own check.
const WHOLE_TOO_LARGE: &str =
    "the whole number is too large; see this field's range in docs/scenario.md";

/// serde's "invalid value: integer `N` as i128, expected u64" (and the
/// like) for a whole number beyond the range of the type read, in words:
/// that it is too large or too small, and the range; `None` for any other
/// message, and for a negative number where one of 0 or more is expected
/// (which says so as a wrong type does).
fn whole_out_of_range(message: &str) -> Option<String> {
    // serde says "invalid value" when the type read has a range check for
    // the number's width, "invalid type" when it has none (u64 from i128).
    let rest = message
        .strip_prefix("invalid value: integer `")
        .or_else(|| message.strip_prefix("invalid type: integer `"))?;
    let (number, expected) = rest.split_once('`')?;
    let expected = expected
        .trim_start_matches(" as i128")
        .trim_start_matches(" as u128")
        .strip_prefix(", expected ")?
        .trim();
    let n: i128 = match number.parse() {
        Ok(n) => n,
        // Beyond i128: only a whole number of 128 bits gets here.
        Err(_) => {
            return Some(format!(
                "the whole number {number} is too large; see this field's range in docs/scenario.md"
            ));
        }
    };
    let (min, max): (i128, i128) = match expected {
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" => (i64::MIN.into(), i64::MAX.into()),
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" => (0, u64::MAX.into()),
        _ => return None,
    };
    if n > max {
        Some(format!(
            "the whole number {n} is too large: expected a whole number from {min} to {max}"
        ))
    } else if n < min && min < 0 {
        Some(format!(
            "the whole number {n} is too small: expected a whole number from {min} to {max}"
        ))
    } else {
        None
    }
}

/// A TOML parser's message for a whole file, in plain words, with a
/// location when the parser gave none: `recursion limit` (a key of more
/// than 80 parts) is located at the part where the key goes too deep, and
/// "max recursion depth met" (a value nested more than 80 deep) keeps the
/// parser's location and says what it means.
pub fn humanize_toml(message: &str, span: Option<Range<usize>>, text: &str) -> ScenarioError {
    let message = message.trim();
    let (message, span) = match message {
        "recursion limit" => match deep_key(text) {
            Some((at, parts)) => (
                format!(
                    "the key nests too deeply: ccsim reads keys of at most {TOML_DEPTH} parts, this one has {parts}"
                ),
                Some(at),
            ),
            None => (
                format!("a key nests too deeply: ccsim reads keys of at most {TOML_DEPTH} parts"),
                span,
            ),
        },
        "cannot recurse further; max recursion depth met" => (
            format!(
                "the value nests too deeply: ccsim reads arrays and inline tables nested at most {TOML_DEPTH} levels deep"
            ),
            span,
        ),
        other => (other.to_string(), span),
    };
    ScenarioError {
        path: String::new(),
        message,
        span,
    }
}

/// How deep the TOML reader goes: keys of at most this many parts, values
/// nested at most this deep (the `toml` crate's limit).
const TOML_DEPTH: usize = 80;

/// The first key of more than [`TOML_DEPTH`] parts in `text`: the span of
/// its first part too many, and how many parts it has. A light scan that
/// skips comments and strings and follows runs of bare or quoted keys
/// joined by dots; `None` when it finds no such key.
fn deep_key(text: &str) -> Option<(Range<usize>, usize)> {
    let bytes = text.as_bytes();
    let bare = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    // The end of the quoted key or string starting at `i`.
    let quoted = |i: usize| -> usize {
        let q = bytes[i];
        let mut j = i + 1;
        while j < bytes.len() && bytes[j] != q && bytes[j] != b'\n' {
            if q == b'"' && bytes[j] == b'\\' {
                j += 1;
            }
            j += 1;
        }
        (j + 1).min(bytes.len())
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'#' {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if !(bare(b) || b == b'"' || b == b'\'') {
            i += 1;
            continue;
        }
        // A run of key parts joined by dots (spaces and tabs around them).
        let mut parts = 0;
        let mut too_deep: Option<Range<usize>> = None;
        loop {
            let start = i;
            i = if bytes[i] == b'"' || bytes[i] == b'\'' {
                quoted(i)
            } else {
                let mut j = i;
                while j < bytes.len() && bare(bytes[j]) {
                    j += 1;
                }
                j
            };
            parts += 1;
            if parts == TOML_DEPTH + 1 {
                too_deep = Some(start..i);
            }
            let mut j = i;
            while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'.' {
                j += 1;
                while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
                    j += 1;
                }
                if j < bytes.len() && (bare(bytes[j]) || bytes[j] == b'"' || bytes[j] == b'\'') {
                    i = j;
                    continue;
                }
            }
            break;
        }
        if let Some(at) = too_deep {
            return Some((at, parts));
        }
    }
    None
}

/// The text of a scenario file, or, when it is not UTF-8, an error located
/// at its first invalid byte (line and column), shown in the file's text
/// with that byte replaced.
pub fn utf8(bytes: Vec<u8>, file: &str) -> Result<String, ScenarioErrors> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let source = String::from_utf8_lossy(&bytes).into_owned();
        // The valid prefix is kept as is, and the bad byte becomes U+FFFD.
        let span = at..at + '\u{FFFD}'.len_utf8();
        ScenarioErrors {
            file: file.to_string(),
            source,
            errors: vec![ScenarioError {
                path: String::new(),
                message: format!(
                    "the file is not UTF-8 text: the byte 0x{:02X} here is not valid UTF-8; save the file as UTF-8",
                    bytes[at]
                ),
                span: Some(span),
            }],
        }
    })
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
            humanize_serde("invalid type: integer `18446744073709551616` as i128, expected u64"),
            "the whole number 18446744073709551616 is too large: expected a whole number from 0 to 18446744073709551615"
        );
        assert_eq!(
            humanize_serde("invalid value: integer `-1`, expected u64"),
            "expected a whole number, 0 or more, found the whole number -1"
        );
        assert_eq!(
            humanize_serde("invalid type: integer `5`, expected a string"),
            "expected a string, found the whole number 5"
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
