//! A theme file spliced into a base scenario at one volume case, and the
//! errors of the result told in the theme file's terms.

use std::path::Path;

use toml_edit::{Array, InlineTable, Value};

use super::{Band, OWN_KEYS, ThemeFile, error, errors, key_span, span_in_theme};
use crate::scenario::edit::Editor;
use crate::scenario::error::line_column;
use crate::scenario::{self, Scenario, ScenarioErrors};

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
            Ok(mut s) => {
                s.notes = theme_notes(theme, s.notes.take());
                out.push(s);
            }
            Err(e) => return Err(map_errors(theme, &e, band)),
        }
    }
    Ok(out)
}

/// The base scenario's text with the theme appended as `[themes.NAME]` at
/// one volume case and the serving pools given a skill for it; the base's
/// own text is kept as it is.
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
    let mut base = Editor::parse(base_text).map_err(|e| {
        fail(
            "",
            "theme",
            format!("the base scenario is not valid TOML: {}", e.message()),
        )
    })?;
    if base.has("themes", &theme.name) {
        return Err(fail(
            "theme",
            "theme",
            format!(
                "the base scenario already has a theme \"{}\": give the new theme another name",
                theme.name
            ),
        ));
    }
    let pool_names = base.names("pools");
    for (i, pool) in theme.served_by.iter().enumerate() {
        if !pool_names.contains(pool) {
            let path = format!("served_by[{i}]");
            return Err(errors(
                &theme.file,
                &theme.text,
                vec![error(
                    &path,
                    span_in_theme(&theme.text, &path),
                    format!(
                        "unknown pool \"{pool}\": the base scenario's pools are {}",
                        pool_names.join(", ")
                    ),
                )],
            ));
        }
        if !base.add_skill(pool, skill(theme)) {
            return Err(fail(
                "served_by",
                "served_by",
                format!("pool \"{pool}\" of the base scenario has no list of skills"),
            ));
        }
    }
    let mut own =
        Editor::parse(&theme.text).map_err(|e| fail("", "theme", e.message().to_string()))?;
    for key in OWN_KEYS {
        own.remove(key);
    }
    for v in &theme.volumes {
        own.set_alone(
            &["volume", v.channel.as_str(), v.per.as_str()],
            Value::from(v.of(band)),
        );
    }
    let comment = format!(
        "---- theme \"{}\" from {} ({} case), added by ccsim forecast ----",
        theme.name,
        theme.file,
        band.name()
    );
    Ok(base.append(&comment, "themes", &theme.name, own.into_table()))
}

/// The skill a serving pool gets: the theme on its channels, at its priority.
fn skill(theme: &ThemeFile) -> InlineTable {
    let mut skill = InlineTable::new();
    skill.insert("themes", theme.name.as_str().into());
    let mut list = Array::new();
    for v in &theme.volumes {
        list.push(v.channel.as_str());
    }
    skill.insert("channels", Value::Array(list));
    skill.insert("priority", i64::from(theme.priority).into());
    skill
}

/// Errors found in a variant scenario, told in the theme file's terms where
/// they come from the theme: its path and its line.
/// The notes of a variant about the theme, told in the theme file's terms
/// (the base's own notes come with the base).
fn theme_notes(theme: &ThemeFile, notes: Option<ScenarioErrors>) -> Option<ScenarioErrors> {
    let prefix = format!("themes.{}.", theme.name);
    let list: Vec<_> = notes?
        .errors
        .iter()
        .filter_map(|e| {
            let rest = e.path.strip_prefix(&prefix)?;
            let span = span_in_theme(&theme.text, rest).or_else(|| key_span(&theme.text, "theme"));
            Some(error(rest, span, e.message.clone()))
        })
        .collect();
    (!list.is_empty()).then(|| errors(&theme.file, &theme.text, list))
}

fn map_errors(theme: &ThemeFile, variant: &ScenarioErrors, band: Band) -> ScenarioErrors {
    let prefix = format!("themes.{}", theme.name);
    let list = variant
        .errors
        .iter()
        .map(|e| {
            if e.path == prefix || e.path.starts_with(&format!("{prefix}.")) {
                let rest = e.path[prefix.len()..].trim_start_matches('.').to_string();
                let span =
                    span_in_theme(&theme.text, &rest).or_else(|| key_span(&theme.text, "theme"));
                error(&rest, span, e.message.clone())
            } else if e.path.starts_with("pools.") {
                error(
                    "served_by",
                    key_span(&theme.text, "served_by"),
                    format!(
                        "in the base scenario with the theme added: `{}`: {}",
                        e.path, e.message
                    ),
                )
            } else {
                let (line, column) = e
                    .span
                    .as_ref()
                    .map(|s| line_column(&variant.source, s.start))
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
