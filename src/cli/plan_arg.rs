//! A named plan of `ccsim compare` as written on the command line:
//! `--plan 'NAME=[SCENARIO] --set PATH=VALUE ...'`.

use std::path::PathBuf;

use ccsim::scenario::overrides::Override;

/// One `--plan NAME=[SCENARIO] --set PATH=VALUE ...`: a named plan.
#[derive(Debug, Clone)]
pub(super) struct PlanArg {
    /// The plan's name, as tables and the report show it.
    pub name: String,
    /// Its scenario file, when not A's.
    pub file: Option<PathBuf>,
    /// Its changes, after the `--set` shared by every plan.
    pub sets: Vec<Override>,
}

/// How a plan is written.
const PLAN_FORM: &str = "write it as NAME=[SCENARIO] --set PATH=VALUE ..., e.g. 'extra staff=--set pools.frontline.scale=1.1'";

impl std::str::FromStr for PlanArg {
    type Err = String;

    fn from_str(text: &str) -> Result<PlanArg, String> {
        let (name, changes) = text
            .split_once('=')
            .ok_or_else(|| format!("no `=` after the plan's name: {PLAN_FORM}"))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(format!("the plan has no name: {PLAN_FORM}"));
        }
        let words = shlex::split(changes)
            .ok_or_else(|| format!("plan `{name}`: unbalanced quotes in `{changes}`"))?;
        let mut words = words.into_iter().peekable();
        let file = words.next_if(|w| !w.starts_with('-')).map(PathBuf::from);
        let mut sets = Vec::new();
        while let Some(word) = words.next() {
            let set = match word.strip_prefix("--set") {
                Some("") => words.next().ok_or_else(|| {
                    format!("plan `{name}`: `--set` at the end needs PATH=VALUE after it")
                })?,
                Some(rest) if rest.starts_with('=') => rest[1..].to_string(),
                _ => {
                    return Err(format!(
                        "plan `{name}`: expected `--set PATH=VALUE`{}, found `{word}`",
                        if file.is_none() && sets.is_empty() {
                            " or a scenario file"
                        } else {
                            ""
                        }
                    ));
                }
            };
            let set: Override =
                set.parse()
                    .map_err(|e: ccsim::scenario::overrides::OverrideError| {
                        format!("plan `{name}`: {e}")
                    })?;
            sets.push(set);
        }
        if file.is_none() && sets.is_empty() {
            return Err(format!(
                "plan `{name}` changes nothing: give it a scenario file or at least one --set PATH=VALUE"
            ));
        }
        Ok(PlanArg {
            name: name.to_string(),
            file,
            sets,
        })
    }
}
