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

    /// A scenario with lists written both ways: inline, and as `[[...]]` tables.
    const LISTS: &str = "[lines.l]   # the line\nclosed = [2021-04-05, 2021-05-01, 2021-05-13, 2021-05-24]\n\n[pools.p]\nshifts = [\n  { start = \"08:00\", end = \"16:00\", count = { mon-fri = 6 } },   # early\n  { start = \"10:00\", end = \"18:00\", count = { mon-fri = 4, fri = 3 } },\n  { start = \"12:00\", end = \"20:00\", count = { mon-fri = 10 } },\n]\nextra = [{ from = 2021-05-10, agents = 4 }, { from = 2021-05-17, agents = 2 }]   # temps\n\n[[pools.p.skills]]   # first\nthemes = \"*\"\npriority = 1\n\n[[pools.p.skills]]\nthemes = \"t\"\npriority = 3   # second\n\n[themes.t]\npeaks = [{ factor = 1.4 }, { factor = 2.0 }]\n";

    fn on_lists(args: &[&str]) -> Result<String, OverrideError> {
        let sets = args
            .iter()
            .map(|a| a.parse())
            .collect::<Result<Vec<Override>, _>>()?;
        apply(LISTS, &sets)
    }

    /// The error message of one override on [`LISTS`], without `--set ARG: `.
    fn refusal(arg: &str) -> String {
        match arg.parse::<Override>() {
            Err(e) => e.message,
            Ok(o) => apply(LISTS, &[o]).unwrap_err().message,
        }
    }

    #[test]
    fn an_index_reaches_one_entry_of_an_inline_list_and_nothing_else() {
        let out = on_lists(&["pools.p.extra[1].agents=5"]).unwrap();
        assert_eq!(
            out,
            LISTS.replace(
                "{ from = 2021-05-17, agents = 2 }",
                "{ from = 2021-05-17, agents = 5 }"
            )
        );
        let out = on_lists(&["themes.t.peaks[1].factor=1.3"]).unwrap();
        assert_eq!(out, LISTS.replace("{ factor = 2.0 }", "{ factor = 1.3 }"));
        let out = on_lists(&["lines.l.closed[3]=2021-05-13"]).unwrap();
        assert_eq!(
            out,
            LISTS.replace("2021-05-13, 2021-05-24]", "2021-05-13, 2021-05-13]")
        );
        let out = on_lists(&["lines.l.closed[0]=2021-04-06"]).unwrap();
        assert_eq!(out, LISTS.replace("[2021-04-05,", "[2021-04-06,"));
    }

    #[test]
    fn an_index_reaches_one_table_of_an_array_of_tables_keeping_comments() {
        let out = on_lists(&["pools.p.skills[1].priority=2"]).unwrap();
        assert_eq!(
            out,
            LISTS.replace("priority = 3   # second", "priority = 2   # second")
        );
        let out = on_lists(&["pools.p.skills[0].priority=2"]).unwrap();
        assert_eq!(
            out,
            LISTS.replace(
                "themes = \"*\"\npriority = 1",
                "themes = \"*\"\npriority = 2"
            )
        );
        // A new key in an entry, and a whole entry replaced.
        let out = on_lists(&["pools.p.skills[0].channels=call"]).unwrap();
        assert_eq!(
            out,
            LISTS.replace(
                "themes = \"*\"\npriority = 1\n",
                "themes = \"*\"\npriority = 1\nchannels = \"call\"\n"
            )
        );
        let out = on_lists(&["pools.p.skills[1]={ themes = \"u\" }"]).unwrap();
        assert_eq!(
            out,
            LISTS.replace(
                "themes = \"t\"\npriority = 3   # second\n",
                "themes = \"u\"\n"
            )
        );
    }

    #[test]
    fn a_weekday_in_a_range_is_split_out_so_only_that_day_changes() {
        // shifts[2]: { mon-fri = 10 }; Monday alone becomes 4.
        let out = on_lists(&["pools.p.shifts[2].count.mon=4"]).unwrap();
        assert_eq!(
            out,
            LISTS.replace(
                "count = { mon-fri = 10 }",
                "count = { mon = 4, tue-fri = 10 }"
            )
        );
        let out = on_lists(&["pools.p.shifts[0].count.wed=7"]).unwrap();
        assert_eq!(
            out,
            LISTS.replace(
                "count = { mon-fri = 6 } },   # early",
                "count = { mon-tue = 6, wed = 7, thu-fri = 6 } },   # early"
            )
        );
        // A day with its own key keeps its place; the range gives it up.
        let out = on_lists(&["pools.p.shifts[1].count.fri=5"]).unwrap();
        assert_eq!(
            out,
            LISTS.replace("{ mon-fri = 4, fri = 3 }", "{ mon-thu = 4, fri = 5 }")
        );
        // A day no range covers is added, as any key.
        let out = on_lists(&["pools.p.shifts[0].count.sat=2"]).unwrap();
        assert!(out.contains("count = { mon-fri = 6 , sat = 2 }"), "{out}");
        // In a table written with [..] headers too.
        let out = apply(
            "[lines.l.hours]\nmon-sun = \"09:00-17:00\"   # every day\nsat = \"closed\"\n",
            &["lines.l.hours.sun=10:00-12:00".parse().unwrap()],
        )
        .unwrap();
        assert_eq!(
            out,
            "[lines.l.hours]\nmon-sat = \"09:00-17:00\"   # every day\nsun = \"10:00-12:00\"\nsat = \"closed\"\n"
        );
    }

    #[test]
    fn a_whole_entry_may_be_added_at_the_end_only() {
        let out = on_lists(&["pools.p.extra[2]={ from = 2021-05-24, agents = 1 }"]).unwrap();
        assert!(
            out.contains("extra = [{ from = 2021-05-10, agents = 4 }, { from = 2021-05-17, agents = 2 }, { from = 2021-05-24, agents = 1 }]   # temps\n"),
            "{out}"
        );
        let out = on_lists(&["lines.l.closed[4]=2021-06-01"]).unwrap();
        assert!(out.contains(", 2021-05-24, 2021-06-01]"), "{out}");
        // One entry per line stays one entry per line.
        let out = on_lists(&[
            "pools.p.shifts[3]={ start = \"14:00\", end = \"22:00\", count = { sat = 2 } }",
        ])
        .unwrap();
        assert!(
            out.contains("  { start = \"12:00\", end = \"20:00\", count = { mon-fri = 10 } },\n  { start = \"14:00\", end = \"22:00\", count = { sat = 2 } },\n]"),
            "{out}"
        );
        let out = on_lists(&["pools.p.skills[2]={ themes = \"v\", priority = 4 }"]).unwrap();
        assert!(
            out.contains("priority = 3   # second\n\n[[pools.p.skills]]\nthemes = \"v\"\npriority = 4\n\n[themes.t]\n"),
            "{out}"
        );
    }

    #[test]
    fn a_missing_entry_is_refused_naming_those_that_exist() {
        assert_eq!(
            refusal("pools.p.extra[5].agents=5"),
            "`pools.p.extra` has 2 entries (extra[0] to extra[1]); there is no extra[5]"
        );
        assert_eq!(
            refusal("pools.p.extra[2].agents=5"),
            "`pools.p.extra` has 2 entries (extra[0] to extra[1]); there is no extra[2] (a new entry is added whole: pools.p.extra[2]=VALUE)"
        );
        assert_eq!(
            refusal("pools.p.extra[3]={ agents = 1 }"),
            "`pools.p.extra` has 2 entries (extra[0] to extra[1]); there is no extra[3]"
        );
        assert_eq!(
            refusal("lines.l.closed[9]=2021-06-01"),
            "`lines.l.closed` has 4 entries (closed[0] to closed[3]); there is no closed[9]"
        );
        assert_eq!(
            refusal("pools.p.skills[7].priority=1"),
            "`pools.p.skills` has 2 entries (skills[0] to skills[1]); there is no skills[7]"
        );
        let one = apply(
            "[pools.p]\nextra = [{ agents = 1 }]\nnone = []\n",
            &["pools.p.extra[1].agents=2".parse().unwrap()],
        )
        .unwrap_err();
        assert_eq!(
            one.message,
            "`pools.p.extra` has 1 entry (extra[0]); there is no extra[1] (a new entry is added whole: pools.p.extra[1]=VALUE)"
        );
        let none = apply(
            "[pools.p]\nnone = []\n",
            &["pools.p.none[0].agents=2".parse().unwrap()],
        )
        .unwrap_err();
        assert_eq!(
            none.to_string(),
            "--set pools.p.none[0].agents=2: `pools.p.none` is empty; there is no none[0] (a new entry is added whole: pools.p.none[0]=VALUE)"
        );
        assert_eq!(
            refusal("pools.p.breaks[0].at=12:00"),
            "`pools.p` has no `breaks` (it has shifts, extra, skills), so there is no breaks[0]"
        );
    }

    #[test]
    fn an_index_on_what_is_not_a_list_and_a_key_on_a_list_are_refused() {
        assert_eq!(
            refusal("pools.p.shifts[0].start[0]=09:00"),
            "`pools.p.shifts[0].start` is a string, not an array"
        );
        assert_eq!(
            refusal("themes.t[0].peaks=1"),
            "`themes.t` is a table, not an array"
        );
        assert_eq!(
            refusal("pools.p.extra.agents=5"),
            "`pools.p.extra` is an array, not a table: name one of its entries, e.g. pools.p.extra[0].agents"
        );
        assert_eq!(
            refusal("pools.p.skills.priority=5"),
            "`pools.p.skills` is an array of tables, not a table: name one of its entries, e.g. pools.p.skills[0].priority"
        );
        assert_eq!(
            refusal("lines.l.closed[0].x=1"),
            "`lines.l.closed[0]` is a datetime, not a table"
        );
        assert_eq!(
            refusal("pools.p.skills[0]=5"),
            "`pools.p.skills` is an array of tables: give its entry as an inline table, { KEY = VALUE, ... }, or set one of its fields, e.g. pools.p.skills[0].KEY=VALUE"
        );
    }

    #[test]
    fn malformed_indices_are_explained() {
        assert_eq!(
            refusal("pools.p.extra[x].agents=5"),
            "`extra[x]`: `x` is not an index: write a whole number from 0 in the brackets, e.g. extra[0] for the first entry"
        );
        assert_eq!(
            refusal("pools.p.extra[-1].agents=5"),
            "`extra[-1]`: `-1` is not an index: write a whole number from 0 in the brackets, e.g. extra[0] for the first entry"
        );
        assert_eq!(
            refusal("pools.p.extra[+1].agents=5"),
            "`extra[+1]`: `+1` is not an index: write a whole number from 0 in the brackets, e.g. extra[0] for the first entry"
        );
        assert_eq!(
            refusal("pools.p.extra[1.5].agents=5"),
            "`extra[1.5]`: `1.5` is not an index: write a whole number from 0 in the brackets, e.g. extra[0] for the first entry"
        );
        assert_eq!(
            refusal("pools.p.extra[].agents=5"),
            "`extra[]`: the brackets are empty: write a whole number from 0 in the brackets, e.g. extra[0] for the first entry"
        );
        assert_eq!(
            refusal("pools.p.extra[=5"),
            "`extra[` has no closing `]`: write an index as extra[0]"
        );
        assert_eq!(
            refusal("pools.p.extra[0]agents=5"),
            "`extra[0]agents`: write a dot between an index and the next key, e.g. extra[0].agents"
        );
        assert_eq!(
            refusal("pools.p.[0].agents=5"),
            "`[0]` has an index but no key before it: write the list's name before its index, e.g. extra[0]"
        );
        assert_eq!(
            refusal("pools.p..extra[0].agents=5"),
            "the path has an empty part: write keys separated by single dots"
        );
        assert_eq!(
            refusal("pools.p[0]x.agents=5"),
            "`p[0]x`: write a dot between an index and the next key, e.g. p[0].agents"
        );
        assert_eq!(
            refusal("[0].agents=5"),
            "`[0]` has an index but no key before it: write the list's name before its index, e.g. extra[0]"
        );
    }

    #[test]
    fn indices_follow_quoted_keys_and_nest() {
        let path = |arg: &str| arg.parse::<Override>().unwrap().path;
        let k = |s: &str| Step::Key(s.to_string());
        assert_eq!(
            path("themes.\"vaccination 2021\".peaks[1].factor=2"),
            [
                k("themes"),
                k("vaccination 2021"),
                k("peaks"),
                Step::Index(1),
                k("factor")
            ]
        );
        assert_eq!(
            path("pools.'a.b'.extra[0].agents=2"),
            [
                k("pools"),
                k("a.b"),
                k("extra"),
                Step::Index(0),
                k("agents")
            ]
        );
        assert_eq!(
            path("a.m[1][2]=3"),
            [k("a"), k("m"), Step::Index(1), Step::Index(2)]
        );
        assert_eq!(path("a.\"x[0]\".b=3"), [k("a"), k("x[0]"), k("b")]);
        assert_eq!(path("pools.é.extra[0].agents=3")[1], k("é"));
        let out = apply("a = [[1, 2], [3, 4]]\n", &["a[1][0]=9".parse().unwrap()]).unwrap();
        assert_eq!(out, "a = [[1, 2], [9, 4]]\n");
    }

    #[test]
    fn overrides_on_lists_apply_in_order() {
        let out = on_lists(&["pools.p.extra[0].agents=7", "pools.p.extra[0].agents=8"]).unwrap();
        assert!(out.contains("{ from = 2021-05-10, agents = 8 }"), "{out}");
    }
}
