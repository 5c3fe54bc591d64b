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

use toml_edit::{Array, Decor, DocumentMut, InlineTable, Item, Key, Table, TableLike, Value};

use crate::model::Weekday;

/// One step of a path into a scenario: a key of a table, or an entry of a
/// list (`[0]` in `pools.frontline.extra[0].agents`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A key of a table: `agents`.
    Key(String),
    /// An entry of a list, counted from 0.
    Index(usize),
}

/// A path as the user writes it: `pools.frontline.extra[0].agents`.
pub fn render(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

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

    /// Sets the value at a path, keeping the comment after an old value (it
    /// usually says what the field is). A theme, pool or line on the way
    /// must exist; other missing tables are created (`scale.volume` works
    /// without a `[scale]` table), and the key itself may be new.
    ///
    /// An index reaches an entry of a list, written inline (`extra = [{..}]`)
    /// or as `[[pools.NAME.extra]]` tables alike: `extra[0].agents`. An entry
    /// must exist, except that a whole new entry may be added at the end
    /// (`extra[2] = { .. }` when there are two). A weekday set in a table
    /// keyed by weekdays takes that day out of the ranges that cover it, so
    /// that only that day changes (`count.mon` in `{ mon-fri = 10 }` gives
    /// `{ mon = 4, tue-fri = 10 }`). The error says what stands in the way,
    /// naming what exists.
    pub fn set(&mut self, path: &[Step], value: &Value) -> Result<(), String> {
        if path.is_empty() {
            return Err("the path is empty".into());
        }
        walk(Place::Item(self.doc.as_item_mut()), path, 0, value)
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

/// Where an edit stands on its way down a path: an item of a table, a
/// value in a list written inline, or a table of `[[...]]` tables.
enum Place<'a> {
    Item(&'a mut Item),
    Value(&'a mut Value),
    Table(&'a mut Table),
}

impl<'a> Place<'a> {
    /// What stands here, with its article: "an integer", "a table".
    fn kind(&self) -> String {
        match self {
            Place::Item(item) => kind(item),
            Place::Value(v) => article(v.type_name()),
            Place::Table(_) => article("table"),
        }
    }

    /// Whether a list stands here.
    fn is_array(&self) -> bool {
        matches!(
            self,
            Place::Item(Item::ArrayOfTables(_) | Item::Value(Value::Array(_)))
                | Place::Value(Value::Array(_))
        )
    }

    /// The table standing here, if one does.
    fn into_table_like(self) -> Option<&'a mut dyn TableLike> {
        match self {
            Place::Item(item) => item.as_table_like_mut(),
            Place::Value(v) => v.as_inline_table_mut().map(|t| t as &mut dyn TableLike),
            Place::Table(t) => Some(t),
        }
    }
}

/// Takes step `depth` of `path` from `place`, and the rest after it.
fn walk(place: Place<'_>, path: &[Step], depth: usize, value: &Value) -> Result<(), String> {
    let here = if depth == 0 {
        "the scenario".to_string()
    } else {
        format!("`{}`", render(&path[..depth]))
    };
    let last = depth + 1 == path.len();
    match &path[depth] {
        Step::Key(key) => {
            let what = place.kind();
            let hint = if place.is_array() {
                format!(
                    ": name one of its entries, e.g. {}[0].{}",
                    render(&path[..depth]),
                    render(&path[depth..])
                )
            } else {
                String::new()
            };
            let Some(table) = place.into_table_like() else {
                return Err(format!("{here} is {what}, not a table{hint}"));
            };
            if last {
                set_key(table, key, value);
                return Ok(());
            }
            if !table.contains_key(key) {
                let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
                let known = if keys.is_empty() {
                    "it has no keys".to_string()
                } else {
                    format!("it has {}", keys.join(", "))
                };
                let named =
                    depth == 1 && matches!(&path[0], Step::Key(k) if NAMED.contains(&k.as_str()));
                if named {
                    return Err(format!(
                        "{here} has no `{key}` ({known}){}",
                        super::error::did_you_mean(key, keys.iter().map(String::as_str))
                    ));
                }
                if let Some(Step::Index(i)) = path.get(depth + 1) {
                    return Err(format!(
                        "{here} has no `{key}` ({known}), so there is no {key}[{i}]"
                    ));
                }
                table.insert(key, Item::Table(Table::new()));
            }
            let item = table
                .get_mut(key)
                .ok_or_else(|| format!("{here} has no `{key}`"))?;
            walk(Place::Item(item), path, depth + 1, value)
        }
        Step::Index(i) => {
            let i = *i;
            // The list's name as written before the index: `extra`, `closed`.
            let from = path[..depth]
                .iter()
                .rposition(|s| matches!(s, Step::Key(_)))
                .unwrap_or(0);
            let list = List {
                whole: render(&path[..depth]),
                name: render(&path[from..depth]),
                index: i,
            };
            match place {
                Place::Item(Item::Value(Value::Array(a))) | Place::Value(Value::Array(a)) => {
                    if i < a.len() {
                        let Some(entry) = a.get_mut(i) else {
                            return Err(list.missing(a.len(), last));
                        };
                        if last {
                            replace_keeping_decor(entry, value);
                            return Ok(());
                        }
                        return walk(Place::Value(entry), path, depth + 1, value);
                    }
                    if i == a.len() && last {
                        push(a, value);
                        return Ok(());
                    }
                    Err(list.missing(a.len(), last))
                }
                Place::Item(Item::ArrayOfTables(a)) => {
                    let n = a.len();
                    if i > n || (i == n && !last) {
                        return Err(list.missing(n, last));
                    }
                    if !last {
                        let Some(table) = a.get_mut(i) else {
                            return Err(list.missing(n, last));
                        };
                        return walk(Place::Table(table), path, depth + 1, value);
                    }
                    let Some(inline) = value.as_inline_table() else {
                        return Err(format!(
                            "`{}` is an array of tables: give its entry as an inline table, {{ KEY = VALUE, ... }}, or set one of its fields, e.g. {}[{i}].KEY=VALUE",
                            list.whole, list.whole
                        ));
                    };
                    let mut table = inline.clone().into_table();
                    match a.get_mut(i) {
                        Some(old) => {
                            *table.decor_mut() = old.decor().clone();
                            table.set_position(old.position());
                            *old = table;
                        }
                        None => a.push(table),
                    }
                    Ok(())
                }
                other => Err(format!("{here} is {}, not an array", other.kind())),
            }
        }
    }
}

/// A list reached by an index, for messages.
struct List {
    /// Its whole path: `pools.frontline.extra`.
    whole: String,
    /// Its name before the index: `extra`.
    name: String,
    /// The index asked for.
    index: usize,
}

impl List {
    /// Why the entry asked for is not there, out of `n`; `last` when the
    /// path ends at the entry (a new entry may then be added at the end).
    fn missing(&self, n: usize, last: bool) -> String {
        let (whole, name, i) = (&self.whole, &self.name, self.index);
        let has = match n {
            0 => format!("`{whole}` is empty"),
            1 => format!("`{whole}` has 1 entry ({name}[0])"),
            _ => format!("`{whole}` has {n} entries ({name}[0] to {name}[{}])", n - 1),
        };
        let add = if i == n && !last {
            format!(" (a new entry is added whole: {whole}[{n}]=VALUE)")
        } else {
            String::new()
        };
        format!("{has}; there is no {name}[{i}]{add}")
    }
}

/// Replaces a value, keeping its decor (the space and comment around it).
fn replace_keeping_decor(old: &mut Value, value: &Value) {
    let decor = old.decor().clone();
    *old = value.clone();
    *old.decor_mut() = decor;
}

/// Adds a value at the end of an inline list, laid out like the entries
/// before it (one per line when they are).
fn push(a: &mut Array, value: &Value) {
    let decor = a.iter().last().map(|v| v.decor().clone()).filter(|d| {
        a.len() >= 2
            || d.prefix()
                .and_then(|p| p.as_str())
                .is_some_and(|p| p.contains('\n'))
    });
    match decor {
        Some(decor) => {
            let mut v = value.clone();
            *v.decor_mut() = decor;
            a.push_formatted(v);
        }
        None => a.push(value.clone()),
    }
}

/// Sets `key` of a table to `value`, keeping the decor of an old value.
/// A weekday covered by a weekday range of the table is taken out of it,
/// so that only that day changes ([`Editor::set`]).
fn set_key(table: &mut dyn TableLike, key: &str, value: &Value) {
    if let Some(day) = Weekday::from_name(key) {
        let covered = table
            .iter()
            .any(|(k, _)| k != key && weekday_range(k).is_some_and(|days| days.contains(&day)));
        if covered {
            set_day(table, day, value);
            return;
        }
    }
    match table.get_mut(key) {
        Some(existing) => {
            let decor = existing.as_value().map(|v| v.decor().clone());
            let mut value = value.clone();
            if let Some(decor) = decor {
                *value.decor_mut() = decor;
            }
            *existing = Item::Value(value);
        }
        None => {
            table.insert(key, Item::Value(value.clone()));
        }
    }
}

/// Sets one weekday of a table keyed by weekdays, splitting every range that
/// covers it into the days before and after: `{ mon-fri = 10 }` with
/// `wed = 4` becomes `{ mon-tue = 10, wed = 4, thu-fri = 10 }`. The day goes
/// where its key stood, or else where the first range covering it stood.
fn set_day(table: &mut dyn TableLike, day: Weekday, value: &Value) {
    let name = day.name();
    let exists = table.contains_key(name);
    let old: Vec<(Key, Item)> = table
        .iter()
        .map(|(k, item)| {
            let key = table.key(k).cloned().unwrap_or_else(|| Key::new(k));
            (key, item.clone())
        })
        .collect();
    let mut placed = false;
    let mut new: Vec<(Key, Item)> = Vec::with_capacity(old.len() + 2);
    let day_value = |decor: Option<&Decor>| {
        let mut v = value.clone();
        if let Some(decor) = decor {
            *v.decor_mut() = decor.clone();
        }
        Item::Value(v)
    };
    for (key, item) in old {
        if key.get() == name {
            let decor = item.as_value().map(|v| v.decor().clone());
            new.push((key, day_value(decor.as_ref())));
            continue;
        }
        let days = weekday_range(key.get()).filter(|days| days.len() > 1 && days.contains(&day));
        let Some(days) = days else {
            new.push((key, item));
            continue;
        };
        let at = days.iter().position(|d| *d == day).unwrap_or(0);
        let renamed =
            |part: &[Weekday]| Key::new(range_name(part)).with_leaf_decor(key.leaf_decor().clone());
        // The range's spacing without what follows it, for all but one of
        // its pieces.
        let decor = item.as_value().map(|v| v.decor().clone());
        let bare = decor
            .as_ref()
            .map(|d| Decor::new(d.prefix().cloned().unwrap_or_default(), ""));
        let mut pieces: Vec<(Key, Item)> = Vec::with_capacity(3);
        if at > 0 {
            pieces.push((renamed(&days[..at]), item.clone()));
        }
        if !exists && !placed {
            let key = Key::new(name).with_leaf_decor(key.leaf_decor().clone());
            pieces.push((key, day_value(None)));
            placed = true;
        }
        if at + 1 < days.len() {
            pieces.push((renamed(&days[at + 1..]), item.clone()));
        }
        // A comment after the range stays on its first piece; the space
        // before a closing brace goes to its last.
        let commented = decor.as_ref().is_some_and(|d| {
            d.suffix()
                .and_then(|s| s.as_str())
                .is_some_and(|s| s.contains('#'))
        });
        let keeper = if commented {
            0
        } else {
            pieces.len().saturating_sub(1)
        };
        for (k, (_, piece)) in pieces.iter_mut().enumerate() {
            if let Item::Value(v) = piece {
                let d = if k == keeper {
                    decor.as_ref()
                } else {
                    bare.as_ref()
                };
                if let Some(d) = d {
                    *v.decor_mut() = d.clone();
                }
            }
        }
        new.extend(pieces);
    }
    table.clear();
    for (key, item) in new {
        table.entry_format(&key).or_insert(item);
    }
}

/// The weekdays of a weekday key: `mon`, or a range `mon-fri`.
fn weekday_range(key: &str) -> Option<Vec<Weekday>> {
    if let Some(d) = Weekday::from_name(key) {
        return Some(vec![d]);
    }
    let (a, b) = key.split_once('-')?;
    let (a, b) = (Weekday::from_name(a)?, Weekday::from_name(b)?);
    (a.index() <= b.index()).then(|| Weekday::ALL[a.index()..=b.index()].to_vec())
}

/// The key of consecutive weekdays: `mon`, `tue-fri`.
fn range_name(days: &[Weekday]) -> String {
    match days {
        [one] => one.name().to_string(),
        [first, .., last] => format!("{}-{}", first.name(), last.name()),
        [] => String::new(),
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
    article(name)
}

/// A name with its article: "an array", "a table".
fn article(name: &str) -> String {
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

    fn path(p: &str) -> Vec<Step> {
        p.split('.').map(|k| Step::Key(k.to_string())).collect()
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
