//! Adding and removing a theme's peaks from the workbench's Peaks tab.
//!
//! A peak's fields are edited like any other field (through `--set`
//! paths); what a path cannot do is add a peak or take one away. These
//! edits change the document in place, with toml_edit, so that every
//! comment and the layout of the rest of the file stay byte for byte; the
//! result is validated as any edit is (a date out of order or a factor of 0
//! comes back as a located error, as from `ccsim validate`).

use serde::Deserialize;
use toml_edit::{DocumentMut, InlineTable, Item, Table, Value};

/// One change to a theme's list of peaks.
#[derive(Debug, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum PeakEdit {
    /// Adds a peak at the end of the theme's list (creating the list).
    Add {
        /// The theme, as `[themes.NAME]` names it.
        theme: String,
        /// First day, `YYYY-MM-DD`.
        from: String,
        /// Last day (inclusive), `YYYY-MM-DD`.
        to: String,
        /// The volume's multiplier at the peak's height.
        factor: f64,
        /// `flat` (the default when left out), `ramp` or `decay`.
        #[serde(default)]
        shape: Option<String>,
    },
    /// Removes the theme's peak number `index` (from 0, as the Peaks tab's
    /// paths count them); the list goes when it is left empty.
    Remove {
        /// The theme.
        theme: String,
        /// Which peak.
        index: usize,
    },
}

const SHAPES: [&str; 3] = ["flat", "ramp", "decay"];

/// A date from the page as a TOML date (`2021-06-01`, not a string).
fn date(field: &str, text: &str) -> Result<Value, String> {
    let text = text.trim();
    let bad = || format!("{field}: `{text}` is not a date (YYYY-MM-DD)");
    let value: Value = text.parse().map_err(|_| bad())?;
    match &value {
        Value::Datetime(d) if d.value().date.is_some() && d.value().time.is_none() => Ok(value),
        _ => Err(bad()),
    }
}

/// The theme's table, or why there is none.
fn theme<'d>(
    doc: &'d mut DocumentMut,
    name: &str,
) -> Result<&'d mut dyn toml_edit::TableLike, String> {
    let known = |doc: &DocumentMut| -> Vec<String> {
        doc.get("themes")
            .and_then(Item::as_table_like)
            .map(|t| t.iter().map(|(k, _)| k.to_string()).collect())
            .unwrap_or_default()
    };
    let names = known(doc);
    doc.get_mut("themes")
        .and_then(|t| t.get_mut(name))
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| {
            if names.is_empty() {
                format!("no theme `{name}`: the scenario has no [themes]")
            } else {
                format!("no theme `{name}`: the themes are {}", names.join(", "))
            }
        })
}

/// Applies one peak edit to the document.
pub fn apply(doc: &mut DocumentMut, edit: &PeakEdit) -> Result<(), String> {
    match edit {
        PeakEdit::Add {
            theme: name,
            from,
            to,
            factor,
            shape,
        } => {
            let at = format!("themes.{name}.peaks");
            if !factor.is_finite() || *factor <= 0.0 {
                return Err(format!(
                    "{at}: the factor must be a number above 0, not {factor}"
                ));
            }
            let shape = shape.as_deref().map(str::trim).filter(|s| !s.is_empty());
            if let Some(s) = shape
                && !SHAPES.contains(&s)
            {
                return Err(format!(
                    "{at}: the shape `{s}` is none of {}",
                    SHAPES.join(", ")
                ));
            }
            let mut peak = InlineTable::new();
            peak.insert("from", date(&format!("{at}: from"), from)?);
            peak.insert("to", date(&format!("{at}: to"), to)?);
            peak.insert("factor", Value::from(*factor));
            if let Some(s) = shape.filter(|&s| s != "flat") {
                peak.insert("shape", Value::from(s));
            }
            let table = theme(doc, name)?;
            match table.get_mut("peaks") {
                None => {
                    let mut list = toml_edit::Array::new();
                    list.push(peak);
                    table.insert("peaks", Item::Value(Value::Array(list)));
                }
                Some(Item::Value(Value::Array(list))) => {
                    // A one-line list gets its new peak after a space; a
                    // list written one peak per line, on a line of its own
                    // with the same indent, the comment after the last peak
                    // staying with that peak.
                    let indent = list.iter().next().and_then(|first| {
                        let prefix = first.decor().prefix()?.as_str()?;
                        let (_, indent) = prefix.rsplit_once('\n')?;
                        Some(indent.to_string())
                    });
                    let trailing = list.trailing().as_str().unwrap_or("").to_string();
                    list.push(peak);
                    if let Some(indent) = indent {
                        let (after_last, before_bracket) = match trailing.rsplit_once('\n') {
                            Some((line, rest)) => (format!("{line}\n"), rest.to_string()),
                            None => ("\n".to_string(), trailing),
                        };
                        if let Some(last) = list.iter_mut().last() {
                            last.decor_mut().set_prefix(format!("{after_last}{indent}"));
                        }
                        list.set_trailing(format!("\n{before_bracket}"));
                    }
                }
                Some(Item::ArrayOfTables(tables)) => {
                    let mut t = Table::new();
                    for (k, v) in peak.iter() {
                        t.insert(k, Item::Value(v.clone()));
                    }
                    tables.push(t);
                }
                Some(_) => {
                    return Err(format!(
                        "{at} is not a list of peaks; fix it in the scenario file tab"
                    ));
                }
            }
            Ok(())
        }
        PeakEdit::Remove { theme: name, index } => {
            let at = format!("themes.{name}.peaks");
            let table = theme(doc, name)?;
            let len = match table.get_mut("peaks") {
                Some(Item::Value(Value::Array(list))) if *index < list.len() => {
                    list.remove(*index);
                    list.len()
                }
                Some(Item::ArrayOfTables(tables)) if *index < tables.len() => {
                    tables.remove(*index);
                    tables.len()
                }
                Some(Item::Value(Value::Array(list))) => {
                    return Err(out_of(&at, *index, list.len()));
                }
                Some(Item::ArrayOfTables(tables)) => return Err(out_of(&at, *index, tables.len())),
                _ => return Err(format!("{at}: the theme has no peaks to remove")),
            };
            if len == 0 {
                table.remove("peaks");
            }
            Ok(())
        }
    }
}

fn out_of(at: &str, index: usize, len: usize) -> String {
    format!(
        "{at}[{index}]: there is no such peak; the theme has {len} (0 to {})",
        len.saturating_sub(1)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
# A scenario.
[themes.general]   # the one theme
volume.call = { per_day = 500 }
peaks = [{ from = 2021-05-10, to = 2021-05-14, factor = 1.6 }]   # the May wave

[themes.quiet]
volume.call = { per_day = 50 }   # no peaks yet
";

    fn edited(edit: PeakEdit) -> Result<String, String> {
        let mut doc: DocumentMut = TEXT.parse().unwrap();
        apply(&mut doc, &edit)?;
        Ok(doc.to_string())
    }

    fn add(theme: &str, from: &str, to: &str, factor: f64, shape: Option<&str>) -> PeakEdit {
        PeakEdit::Add {
            theme: theme.into(),
            from: from.into(),
            to: to.into(),
            factor,
            shape: shape.map(Into::into),
        }
    }

    #[test]
    fn a_peak_is_added_after_the_others_and_every_comment_stays() {
        let out = edited(add(
            "general",
            "2021-06-01",
            "2021-06-30",
            2.5,
            Some("ramp"),
        ))
        .unwrap();
        assert_eq!(
            out,
            TEXT.replace(
                "factor = 1.6 }]",
                "factor = 1.6 }, { from = 2021-06-01, to = 2021-06-30, factor = 2.5, shape = \"ramp\" }]"
            )
        );
    }

    #[test]
    fn a_list_written_one_peak_per_line_gets_its_new_peak_on_a_line_of_its_own() {
        let text = "[themes.t]\npeaks = [\n    { from = 2021-05-10, to = 2021-05-14, factor = 1.6 },  # May\n]\n";
        let mut doc: DocumentMut = text.parse().unwrap();
        apply(&mut doc, &add("t", "2021-06-01", "2021-06-02", 2.0, None)).unwrap();
        assert_eq!(
            doc.to_string(),
            "[themes.t]\npeaks = [\n    { from = 2021-05-10, to = 2021-05-14, factor = 1.6 },  # May\n    { from = 2021-06-01, to = 2021-06-02, factor = 2.0 },\n]\n"
        );
    }

    #[test]
    fn a_first_peak_makes_the_list_and_a_flat_shape_is_left_out() {
        let out = edited(add("quiet", "2021-06-01", "2021-06-02", 2.0, Some("flat"))).unwrap();
        assert_eq!(
            out,
            TEXT.replace(
                "volume.call = { per_day = 50 }   # no peaks yet\n",
                "volume.call = { per_day = 50 }   # no peaks yet\npeaks = [{ from = 2021-06-01, to = 2021-06-02, factor = 2.0 }]\n"
            )
        );
    }

    #[test]
    fn removing_the_last_peak_removes_the_list_and_nothing_else() {
        let out = edited(PeakEdit::Remove {
            theme: "general".into(),
            index: 0,
        })
        .unwrap();
        assert_eq!(
            out,
            TEXT.replace(
                "peaks = [{ from = 2021-05-10, to = 2021-05-14, factor = 1.6 }]   # the May wave\n",
                ""
            )
        );
    }

    #[test]
    fn bad_edits_say_what_is_wrong() {
        assert_eq!(
            edited(add("nope", "2021-06-01", "2021-06-02", 2.0, None)).unwrap_err(),
            "no theme `nope`: the themes are general, quiet"
        );
        assert_eq!(
            edited(add("general", "2021-06-31", "2021-07-02", 2.0, None)).unwrap_err(),
            "themes.general.peaks: from: `2021-06-31` is not a date (YYYY-MM-DD)"
        );
        assert_eq!(
            edited(add("general", "2021-06-01", "2021-06-02", 0.0, None)).unwrap_err(),
            "themes.general.peaks: the factor must be a number above 0, not 0"
        );
        assert_eq!(
            edited(add(
                "general",
                "2021-06-01",
                "2021-06-02",
                2.0,
                Some("wave")
            ))
            .unwrap_err(),
            "themes.general.peaks: the shape `wave` is none of flat, ramp, decay"
        );
        assert_eq!(
            edited(PeakEdit::Remove {
                theme: "general".into(),
                index: 3
            })
            .unwrap_err(),
            "themes.general.peaks[3]: there is no such peak; the theme has 1 (0 to 0)"
        );
        assert_eq!(
            edited(PeakEdit::Remove {
                theme: "quiet".into(),
                index: 0
            })
            .unwrap_err(),
            "themes.quiet.peaks: the theme has no peaks to remove"
        );
    }
}
