//! `--set PATH=VALUE`: change one field of a scenario from the command line,
//! e.g. `pools.frontline.agents=45`,
//! `themes.vaccination.volume.call.per_day=1200`, or an entry of a list:
//! `pools.frontline.extra[0].agents=5`, `pools.p.shifts[2].count.mon=4`.
//!
//! The override edits the text through the scenario editor ([`super::edit`],
//! which keeps the rest of the text as it is) and the result is parsed and
//! validated like any file, so an override gets exactly the checks and
//! messages a hand edit would.

use toml_edit::Value;

use super::edit::Editor;
pub use super::edit::Step;

/// One `PATH=VALUE` from the command line.
#[derive(Debug, Clone)]
pub struct Override {
    /// The path, e.g. `pools`, `frontline`, `extra`, `[0]`, `agents`.
    pub path: Vec<Step>,
    /// The value as a TOML value (`45`, `"3m"`, `{ dist = "exponential", mean = "3m" }`).
    pub value: Value,
    /// The argument as given, for messages.
    pub text: String,
}

/// Why an override cannot be applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("--set {text}: {message}")]
pub struct OverrideError {
    /// The argument as given.
    pub text: String,
    /// What is wrong with it.
    pub message: String,
}

impl std::str::FromStr for Override {
    type Err = OverrideError;

    /// `PATH=VALUE`. VALUE is read as TOML; a bare word that is not valid
    /// TOML (like `3m` or `flat`) is taken as a string, so quotes are rarely needed.
    fn from_str(text: &str) -> Result<Override, OverrideError> {
        let fail = |message: String| OverrideError {
            text: text.to_string(),
            message,
        };
        let (path, value) = text
            .split_once('=')
            .ok_or_else(|| fail("write it as PATH=VALUE, e.g. pools.frontline.agents=45".into()))?;
        let path = parse_path(path).map_err(fail)?;
        let raw = value.trim();
        if raw.is_empty() {
            return Err(fail("the value is empty".into()));
        }
        let value = match raw.parse::<Value>() {
            Ok(value) => value,
            Err(e) => {
                let what = match raw.as_bytes()[0] {
                    b'[' => "a TOML array",
                    b'{' => "a TOML inline table",
                    b'"' | b'\'' => "a TOML string",
                    _ => return Ok(Override::text(path, raw, text)),
                };
                return Err(fail(format!(
                    "the value starts like {what} but is not one ({}): write a whole value, or quote it to give a text",
                    e.message().trim().replace('\n', " ")
                )));
            }
        };
        Ok(Override {
            path,
            value,
            text: text.to_string(),
        })
    }
}

impl Override {
    /// The override setting `path` to the text `raw` (a bare word).
    fn text(path: Vec<Step>, raw: &str, text: &str) -> Override {
        Override {
            path,
            value: Value::from(raw.to_string()),
            text: text.to_string(),
        }
    }
}

/// The steps of a path: a TOML dotted key
/// (`themes."vaccination 2021".volume`, `pools.'a.b'.agents`) whose keys
/// may be followed by indices of list entries, from 0
/// (`pools.frontline.extra[0].agents`). A path that is not a dotted key but
/// has neither quotes nor brackets is split at its dots, as before TOML keys
/// were read (so `pools.é.agents` still reaches a pool named `é`).
pub fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let path = path.trim();
    let split: Vec<String> = path.split('.').map(|s| s.trim().to_string()).collect();
    if split.iter().any(String::is_empty) {
        return Err("the path has an empty part: write keys separated by single dots".into());
    }
    match toml_edit::Key::parse(path) {
        Ok(keys) => Ok(keys
            .iter()
            .map(|k| Step::Key(k.get().to_string()))
            .collect()),
        Err(_) if path.contains('[') => indexed(path),
        Err(_) if !path.contains(['"', '\'']) => Ok(split.into_iter().map(Step::Key).collect()),
        Err(e) => Err(not_a_key(&e)),
    }
}

/// The message for a path that TOML does not read as a dotted key.
fn not_a_key(e: &toml_edit::TomlError) -> String {
    format!(
        "the path is not a dotted key ({}): write keys separated by dots, in quotes when they hold other characters than letters, digits, - and _, e.g. themes.\"vaccination 2021\".volume.call.per_day",
        e.message().trim().replace('\n', " ")
    )
}

/// The steps of a path with indices: its parts between dots (outside quotes
/// and brackets), each a key, bare or quoted, and its indices.
fn indexed(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for part in parts(path) {
        let part = part.trim();
        let (key, mut rest) = match part.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let end = closing_quote(part, q).ok_or_else(|| {
                    toml_edit::Key::parse(part).map_or_else(
                        |e| not_a_key(&e),
                        |_| format!("`{part}` has no closing {q}"),
                    )
                })?;
                let key = toml_edit::Key::parse(&part[..=end]).map_err(|e| not_a_key(&e))?;
                let [key] = key.as_slice() else {
                    return Err(format!("`{}` is not one key", &part[..=end]));
                };
                (key.get().to_string(), &part[end + 1..])
            }
            _ => {
                let end = part.find('[').unwrap_or(part.len());
                (part[..end].trim().to_string(), &part[end..])
            }
        };
        if key.is_empty() {
            return Err(format!(
                "`{part}` has an index but no key before it: write the list's name before its index, e.g. extra[0]"
            ));
        }
        steps.push(Step::Key(key.clone()));
        let name = &part[..part.len() - rest.len()];
        while !rest.is_empty() {
            let Some(open) = rest.strip_prefix('[') else {
                return Err(format!(
                    "`{part}`: write a dot between an index and the next key, e.g. {name}[0].agents"
                ));
            };
            let Some(close) = open.find(']') else {
                return Err(format!(
                    "`{part}` has no closing `]`: write an index as {name}[0]"
                ));
            };
            let inner = open[..close].trim();
            let index = inner
                .parse::<usize>()
                .ok()
                .filter(|_| inner.bytes().all(|b| b.is_ascii_digit()));
            let Some(index) = index else {
                let what = if inner.is_empty() {
                    "the brackets are empty".to_string()
                } else {
                    format!("`{inner}` is not an index")
                };
                return Err(format!(
                    "`{part}`: {what}: write a whole number from 0 in the brackets, e.g. {name}[0] for the first entry"
                ));
            };
            steps.push(Step::Index(index));
            rest = &open[close + 1..];
        }
    }
    Ok(steps)
}

/// The parts of a path between its dots, outside quotes and brackets.
fn parts(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quote, mut depth, mut escaped) = (0, None, 0usize, false);
    for (i, c) in path.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '[' => depth += 1,
                ']' => depth = depth.saturating_sub(1),
                '.' if depth == 0 => {
                    out.push(&path[start..i]);
                    start = i + 1;
                }
                _ => {}
            },
        }
    }
    out.push(&path[start..]);
    out
}

/// Where the quote `q` that opens `part` closes.
fn closing_quote(part: &str, q: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in part.char_indices().skip(1) {
        if escaped {
            escaped = false;
        } else if c == '\\' && q == '"' {
            escaped = true;
        } else if c == q {
            return Some(i);
        }
    }
    None
}

/// The scenario text with the overrides applied, in order. A theme, pool or
/// line on the way must exist (a misspelt name is an error here, naming
/// those that exist); other missing tables are created (`scale.volume=1.2`
/// works without a `[scale]` table in the file), and the key itself may be
/// new. What results is checked by the scenario's own validation, so a
/// misspelt field is reported there like any key in a file.
pub fn apply(text: &str, overrides: &[Override]) -> Result<String, OverrideError> {
    if overrides.is_empty() {
        return Ok(text.to_string());
    }
    let mut editor = Editor::parse(text).map_err(|e| OverrideError {
        text: String::new(),
        message: format!("the scenario is not valid TOML: {}", e.message()),
    })?;
    for o in overrides {
        editor
            .set(&o.path, &o.value)
            .map_err(|message| OverrideError {
                text: o.text.clone(),
                message,
            })?;
    }
    Ok(editor.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[pools.frontline]\nagents = 40   # the team\nskills = [{ themes = \"*\" }]\n\n[themes.t]\nvolume.call = { per_day = 500 }\n";

    fn apply1(arg: &str) -> Result<String, OverrideError> {
        apply(TEXT, &[arg.parse()?])
    }

    #[test]
    fn replaces_a_value_and_keeps_its_comment() {
        let out = apply1("pools.frontline.agents=45").unwrap();
        assert!(out.contains("agents = 45   # the team"), "{out}");
    }

    #[test]
    fn reaches_into_dotted_keys_and_inline_tables() {
        let out = apply1("themes.t.volume.call.per_day=1200").unwrap();
        assert!(out.contains("volume.call = { per_day = 1200 }"), "{out}");
    }

    #[test]
    fn bare_words_are_strings_and_toml_values_are_values() {
        let o: Override = "channels.call.patience.mean=3m".parse().unwrap();
        assert_eq!(o.value.as_str(), Some("3m"));
        let o: Override = "a.b={ dist = \"exponential\", mean = \"3m\" }"
            .parse()
            .unwrap();
        assert!(o.value.is_inline_table());
        let o: Override = "a.b=0.25".parse().unwrap();
        assert_eq!(o.value.as_float(), Some(0.25));
    }

    #[test]
    fn an_unknown_table_on_the_way_names_what_exists() {
        let e = apply1("pools.frontlines.agents=45").unwrap_err();
        assert_eq!(
            e.to_string(),
            "--set pools.frontlines.agents=45: `pools` has no `frontlines` (it has frontline); did you mean `frontline`?"
        );
        let e = apply1("pools.frontline.agents.x=1").unwrap_err();
        assert_eq!(
            e.to_string(),
            "--set pools.frontline.agents.x=1: `pools.frontline.agents` is an integer, not a table"
        );
    }

    #[test]
    fn optional_tables_are_created_on_the_way() {
        let out = apply1("scale.volume=1.5").unwrap();
        let doc: toml_edit::DocumentMut = out.parse().unwrap();
        assert_eq!(doc["scale"]["volume"].as_float(), Some(1.5));
    }

    #[test]
    fn paths_take_quoted_keys_as_toml_does() {
        let path = |arg: &str| {
            let path = arg.parse::<Override>().unwrap().path;
            path.iter()
                .map(|s| match s {
                    Step::Key(k) => k.clone(),
                    Step::Index(i) => format!("[{i}]"),
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            path("themes.\"vaccination 2021\".volume.call.per_day=10"),
            ["themes", "vaccination 2021", "volume", "call", "per_day"]
        );
        assert_eq!(path("pools.'a.b'.agents=3"), ["pools", "a.b", "agents"]);
        assert_eq!(
            path("pools . frontline . agents=3"),
            ["pools", "frontline", "agents"]
        );
        // Not a TOML key but without quotes: split at the dots as before.
        assert_eq!(path("pools.é.agents=3"), ["pools", "é", "agents"]);
        let e = "pools.\"a.agents=3".parse::<Override>().unwrap_err();
        assert!(
            e.message.starts_with("the path is not a dotted key ("),
            "{}",
            e.message
        );
        let out = apply(
            "[themes.\"vaccination 2021\"]\nvolume.call = { per_day = 500 }\n",
            &["themes.\"vaccination 2021\".volume.call.per_day=10"
                .parse()
                .unwrap()],
        )
        .unwrap();
        assert!(out.contains("volume.call = { per_day = 10 }"), "{out}");
    }

    #[test]
    fn values_that_start_like_toml_must_be_toml() {
        let message = |arg: &str| arg.parse::<Override>().unwrap_err().message;
        assert_eq!(
            message("x=[1"),
            "the value starts like a TOML array but is not one (unclosed array, expected `]`): write a whole value, or quote it to give a text"
        );
        assert_eq!(
            message("x=[1] x"),
            "the value starts like a TOML array but is not one (unexpected content, expected nothing): write a whole value, or quote it to give a text"
        );
        assert_eq!(
            message("x={a=1"),
            "the value starts like a TOML inline table but is not one (unclosed inline table, expected `}`): write a whole value, or quote it to give a text"
        );
        assert_eq!(
            message("x='abc"),
            "the value starts like a TOML string but is not one (invalid literal string, expected `'`): write a whole value, or quote it to give a text"
        );
        let o: Override = "x=\"[1\"".parse().unwrap();
        assert_eq!(o.value.as_str(), Some("[1"));
        let o: Override = "x=1 [a]".parse().unwrap();
        assert_eq!(o.value.as_str(), Some("1 [a]"));
    }

    #[test]
    fn malformed_arguments_are_explained() {
        assert!(
            "pools.frontline.agents"
                .parse::<Override>()
                .unwrap_err()
                .message
                .contains("PATH=VALUE")
        );
        assert!(
            "pools..agents=4"
                .parse::<Override>()
                .unwrap_err()
                .message
                .contains("empty part")
        );
    }
}
