//! The one editor of scenario text: every change a command makes to a
//! scenario file before it is validated or written out goes through
//! [`Editor`], so that the rest of the file (comments, order, layout) stays
//! as the user wrote it.
//!
//! Its users: `--set PATH=VALUE` ([`super::overrides`]) sets one field; a
//! theme file is spliced into a base scenario as a new `[themes.NAME]` with
//! skills for it in the serving pools ([`super::theme`]); `ccsim staff`
//! writes a pool's new `[pools.NAME.staffing]` table into the scenario.
//! Validation stays where it is: what an edit produces is parsed and
//! validated like any file, so an edited field gets the checks and messages
//! a hand edit would.

use toml_edit::{DocumentMut, InlineTable, Item, Table, Value};

/// A scenario's TOML text open for editing.
#[derive(Debug, Clone)]
pub struct Editor {
    doc: DocumentMut,
}

/// Sections whose tables are named by the user (`[pools.NAME]` ...): a
/// missing name on the way of an edit is a typo, not a table to create.
const NAMED: [&str; 3] = ["pools", "themes", "lines"];

impl Editor {
    /// Opens scenario text; fails when it is not TOML.
    pub fn parse(text: &str) -> Result<Editor, toml_edit::TomlError> {
        Ok(Editor { doc: text.parse()? })
    }

    /// Whether `[SECTION.NAME]` exists, e.g. `("themes", "vaccination")`.
    pub fn has(&self, section: &str, name: &str) -> bool {
        self.doc
            .get(section)
            .and_then(Item::as_table_like)
            .is_some_and(|t| t.contains_key(name))
    }

    /// The names of the tables of a section, in the file's order (the pools'
    /// names for `"pools"`).
    pub fn names(&self, section: &str) -> Vec<String> {
        self.doc
            .get(section)
            .and_then(Item::as_table_like)
            .map(|t| t.iter().map(|(k, _)| k.to_string()).collect())
            .unwrap_or_default()
    }

    /// Sets the value at a dotted path, keeping the comment after an old
    /// value (it usually says what the field is). A theme, pool or line on
    /// the way must exist; other missing tables are created (`scale.volume`
    /// works without a `[scale]` table), and the key itself may be new.
    /// The error says what stands in the way, naming what exists.
    pub fn set(&mut self, path: &[String], value: &Value) -> Result<(), String> {
        let Some((last, parents)) = path.split_last() else {
            return Err("the path is empty".into());
        };
        let mut item = self.doc.as_item_mut();
        for (depth, key) in parents.iter().enumerate() {
            let here = if depth == 0 {
                "the scenario".to_string()
            } else {
                format!("`{}`", path[..depth].join("."))
            };
            if !item.is_table_like() {
                return Err(format!("{here} is {}, not a table", kind(item)));
            }
            let keys: Vec<String> = item
                .as_table_like()
                .map(|t| t.iter().map(|(k, _)| k.to_string()).collect())
                .unwrap_or_default();
            let named = depth == 1 && NAMED.contains(&path[0].as_str());
            if !keys.iter().any(|k| k == key)
                && !named
                && let Some(t) = item.as_table_like_mut()
            {
                t.insert(key, Item::Table(Table::new()));
            }
            if !keys.iter().any(|k| k == key) && named {
                let known = if keys.is_empty() {
                    "it has no keys".to_string()
                } else {
                    format!("it has {}", keys.join(", "))
                };
                return Err(format!(
                    "{here} has no `{key}` ({known}){}",
                    super::error::did_you_mean(key, keys.iter().map(String::as_str))
                ));
            }
            item = &mut item[key.as_str()];
        }
        let Some(table) = item.as_table_like_mut() else {
            return Err(format!(
                "`{}` is {}, not a table",
                parents.join("."),
                kind(item)
            ));
        };
        match table.get_mut(last) {
            Some(existing) => {
                let decor = existing.as_value().map(|v| v.decor().clone());
                let mut value = value.clone();
                if let Some(decor) = decor {
                    *value.decor_mut() = decor;
                }
                *existing = Item::Value(value);
            }
            None => {
                table.insert(last, Item::Value(value.clone()));
            }
        }
        Ok(())
    }

    /// Adds a skill to pool `pool`'s list of skills, whether the file
    /// writes it as an inline array or as `[[pools.NAME.skills]]` tables;
    /// `false` when the pool has no such list.
    pub fn add_skill(&mut self, pool: &str, skill: InlineTable) -> bool {
        match &mut self.doc["pools"][pool]["skills"] {
            Item::Value(Value::Array(a)) => {
                a.push(Value::InlineTable(skill));
                true
            }
            Item::ArrayOfTables(a) => {
                a.push(skill.into_table());
                true
            }
            _ => false,
        }
    }

    /// Replaces pool `pool`'s staffing (its `agents` or `staffing`) by a
    /// `staffing` table; fails when the scenario has no table for the pool.
    pub fn replace_staffing(&mut self, pool: &str, staffing: Table) -> Result<(), String> {
        let table = self
            .doc
            .get_mut("pools")
            .and_then(|p| p.get_mut(pool))
            .and_then(Item::as_table_like_mut)
            .ok_or_else(|| format!("the scenario has no table for pool `{pool}`"))?;
        table.remove("agents");
        table.remove("staffing");
        table.insert("staffing", Item::Table(staffing));
        Ok(())
    }

    /// Removes a top-level key and its value.
    pub fn remove(&mut self, key: &str) {
        self.doc.remove(key);
    }

    /// Makes the table that holds the last key of `path` hold only that
    /// key, with `value` (`volume.call = { per_month = {..} }` becomes
    /// `volume.call = { per_month = 7032.0 }`).
    pub fn set_alone(&mut self, path: &[&str], value: Value) {
        let Some((last, parents)) = path.split_last() else {
            return;
        };
        let mut item = self.doc.as_item_mut();
        for key in parents {
            item = &mut item[*key];
        }
        if let Some(t) = item.as_table_like_mut() {
            let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
            for k in keys {
                t.remove(&k);
            }
        }
        item[*last] = Item::Value(value);
    }

    /// The whole document as one table, to append to another file.
    pub fn into_table(self) -> Table {
        self.doc.as_table().clone()
    }

    /// The text with a new `[SECTION.NAME]` table appended at the end,
    /// after a comment line that says where it comes from.
    pub fn append(&self, comment: &str, section: &str, name: &str, mut table: Table) -> String {
        table.set_implicit(false);
        table.set_position(None);
        let mut part = DocumentMut::new();
        let mut parent = Table::new();
        parent.set_implicit(true);
        parent.insert(name, Item::Table(table));
        part.insert(section, Item::Table(parent));
        format!("{}\n# {comment}\n{part}", self.doc.to_string().trim_end())
    }
}

impl std::fmt::Display for Editor {
    /// The edited text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.doc)
    }
}

/// What an item is, with its article: "an integer", "a string".
fn kind(item: &Item) -> String {
    let name = match item {
        Item::None => "missing value",
        Item::Value(v) => v.type_name(),
        Item::Table(_) => "table",
        Item::ArrayOfTables(_) => "array of tables",
    };
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# The team\n[pools.front]   # calls\nagents = 40   # the team\nskills = [{ themes = \"*\" }]\n\n[themes.t]\nvolume.call = { per_day = 500 }\n";

    fn path(p: &str) -> Vec<String> {
        p.split('.').map(String::from).collect()
    }

    #[test]
    fn set_keeps_everything_else_byte_for_byte() {
        let mut e = Editor::parse(TEXT).unwrap();
        e.set(&path("pools.front.agents"), &Value::from(45))
            .unwrap();
        assert_eq!(e.to_string(), TEXT.replace("agents = 40", "agents = 45"));
    }

    #[test]
    fn names_and_tables_of_a_section() {
        let e = Editor::parse(TEXT).unwrap();
        assert_eq!(e.names("pools"), ["front"]);
        assert!(e.has("themes", "t"));
        assert!(!e.has("themes", "front"));
        assert!(e.names("lines").is_empty());
    }

    #[test]
    fn a_skill_is_added_to_an_inline_list_and_to_a_list_of_tables() {
        let mut skill = InlineTable::new();
        skill.insert("themes", "new".into());
        let mut e = Editor::parse(TEXT).unwrap();
        assert!(e.add_skill("front", skill.clone()));
        assert!(
            e.to_string()
                .contains("skills = [{ themes = \"*\" }, { themes = \"new\" }]"),
            "{e}"
        );
        let tables = "[pools.front]\n[[pools.front.skills]]\nthemes = \"*\"\n";
        let mut e = Editor::parse(tables).unwrap();
        assert!(e.add_skill("front", skill.clone()));
        assert_eq!(
            e.to_string(),
            "[pools.front]\n[[pools.front.skills]]\nthemes = \"*\"\n\n[[pools.front.skills]]\nthemes = \"new\"\n"
        );
        let mut e = Editor::parse("[pools.front]\nagents = 3\n").unwrap();
        assert!(!e.add_skill("front", skill));
    }

    #[test]
    fn the_staffing_replaces_agents_and_keeps_the_rest() {
        let mut e = Editor::parse(TEXT).unwrap();
        let mut staffing = Table::new();
        staffing.insert("start", toml_edit::value("09:00"));
        e.replace_staffing("front", staffing).unwrap();
        let out = e.to_string();
        assert!(!out.contains("agents = 40"), "{out}");
        assert!(
            out.contains("[pools.front.staffing]\nstart = \"09:00\"\n"),
            "{out}"
        );
        assert!(
            out.starts_with("# The team\n[pools.front]   # calls\n"),
            "{out}"
        );
        assert_eq!(
            e.replace_staffing("back", Table::new()).unwrap_err(),
            "the scenario has no table for pool `back`"
        );
    }

    #[test]
    fn a_value_set_alone_replaces_its_siblings() {
        let mut e =
            Editor::parse("volume.call = { per_month = { low = 1, likely = 2 } }\nline = \"a\"\n")
                .unwrap();
        e.set_alone(&["volume", "call", "per_month"], Value::from(2.0));
        e.remove("line");
        assert_eq!(e.to_string(), "volume.call = { per_month = 2.0 }\n");
    }

    #[test]
    fn an_appended_table_follows_its_comment() {
        let e = Editor::parse(TEXT).unwrap();
        let mut t = Table::new();
        t.insert("line", toml_edit::value("main"));
        assert_eq!(
            e.append("added", "themes", "new", t),
            format!(
                "{}\n# added\n[themes.new]\nline = \"main\"\n",
                TEXT.trim_end()
            )
        );
    }
}
