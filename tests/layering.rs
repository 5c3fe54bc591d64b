//! The house keeps its floors: each module of `src/` imports only the
//! modules on the floors below it, and no files import each other in a
//! circle. `docs/architecture.md` draws the floors; this test is their
//! guard, and fails naming the file and the import that breaks them.
//!
//! Imports are read from the code itself (comments left out): `use`
//! declarations with their nested braces, and paths written in place
//! (`crate::model::Weekday::of`, `super::table::pct`). A module's `mod.rs`
//! declaring and re-exporting its own children is not an import.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What each top-level module of the library may import, floor by floor.
/// The binary's `cli` sits above them all.
const FLOORS: &[(&str, &[&str])] = &[
    // Floor 1: plain data, formulas and file writing; they import nothing of ours.
    ("model", &[]),
    ("erlang", &[]),
    ("files", &[]),
    // Floor 2: reading scenarios; statistics and the typed results.
    ("scenario", &["model"]),
    ("stats", &["model"]),
    ("history", &["model", "files"]),
    // Floor 3: one replication.
    ("engine", &["model", "stats"]),
    // Floor 4: replications in parallel, shards; the no-panic harness.
    ("montecarlo", &["engine", "model", "stats", "files"]),
    (
        "fuzzing",
        &["engine", "model", "scenario", "stats", "montecarlo"],
    ),
    // Floor 5: planning on top of the simulator; fitting scenarios to history.
    (
        "fit",
        &["history", "model", "erlang", "stats", "scenario", "files"],
    ),
    (
        "planning",
        &[
            "history",
            "montecarlo",
            "stats",
            "scenario",
            "model",
            "erlang",
            "files",
        ],
    ),
    // Floor 6: everything a person or a machine reads.
    (
        "report",
        &[
            "fit",
            "history",
            "planning",
            "montecarlo",
            "stats",
            "scenario",
            "model",
            "erlang",
            "files",
        ],
    ),
    // Floor 7: the planner's workbench (`ccsim serve`), a web server over
    // everything below.
    (
        "workbench",
        &[
            "report",
            "fit",
            "history",
            "planning",
            "montecarlo",
            "fuzzing",
            "engine",
            "stats",
            "scenario",
            "model",
            "erlang",
            "files",
        ],
    ),
];

/// A source file and the module path it defines (`report::charts::wait`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Unit {
    file: PathBuf,
    module: Vec<String>,
}

fn units(src: &Path) -> Vec<Unit> {
    fn walk(dir: &Path, prefix: &[String], out: &mut Vec<Unit>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                let mut p = prefix.to_vec();
                p.push(name);
                walk(&path, &p, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let mut module = prefix.to_vec();
                if !matches!(name.as_str(), "mod" | "lib" | "main") {
                    module.push(name);
                }
                out.push(Unit { file: path, module });
            }
        }
    }
    let mut out = Vec::new();
    walk(src, &[], &mut out);
    out
}

/// The text without comments and without the contents of string and
/// character literals, so that a doc link or a message is not an import.
fn code(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '/' if next == Some('*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
                continue;
            }
            // Raw strings: r"..." and r#"..."#.
            'r' if (next == Some('"') || next == Some('#'))
                && !chars
                    .get(i.wrapping_sub(1))
                    .is_some_and(|p| p.is_alphanumeric() || *p == '_') =>
            {
                let mut hashes = 0;
                let mut k = i + 1;
                while chars.get(k) == Some(&'#') {
                    hashes += 1;
                    k += 1;
                }
                if chars.get(k) != Some(&'"') {
                    out.push(c);
                    i += 1;
                    continue;
                }
                k += 1;
                loop {
                    if k >= chars.len() {
                        break;
                    }
                    if chars[k] == '"' && (1..=hashes).all(|h| chars.get(k + h) == Some(&'#')) {
                        k += 1 + hashes;
                        break;
                    }
                    k += 1;
                }
                out.push_str("\"\"");
                i = k;
                continue;
            }
            '"' => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                out.push_str("\"\"");
                i += 1;
                continue;
            }
            // A character literal ('x', '\n', '"'), not a lifetime ('a).
            '\'' if next == Some('\\') || chars.get(i + 2) == Some(&'\'') => {
                let mut k = i + 1;
                if chars.get(k) == Some(&'\\') {
                    k += 1;
                }
                k += 1;
                while k < chars.len() && chars[k] != '\'' {
                    k += 1;
                }
                out.push_str("' '");
                i = k + 1;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Expands `a::{b, c::{d, self}}` into `a::b`, `a::c::d`, `a::c`.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or(tree).trim();
        return vec![path.trim_end_matches("::self").to_string()];
    };
    let prefix = tree[..open].trim_end_matches("::");
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, ch) in inner.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(|p| {
            expand(p).into_iter().map(move |rest| match rest.as_str() {
                "self" => prefix.to_string(),
                _ => format!("{prefix}::{rest}"),
            })
        })
        .collect()
}

/// Every path the file names: `use` trees and in-place `crate::`, `ccsim::`
/// and `super::` paths.
fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("use ") {
        let before = rest[..i].chars().last();
        rest = &rest[i + 4..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let end = rest.find(';').unwrap_or(rest.len());
        out.extend(expand(&rest[..end]));
        rest = &rest[end..];
    }
    let bytes = code.as_bytes();
    for start in ["crate::", "ccsim::", "super::"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
                continue;
            }
            // A `super::` inside a longer path was counted with its head.
            if at >= 2 && &code[at - 2..at] == "::" {
                continue;
            }
            let end = code[at..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .map_or(code.len(), |e| at + e);
            out.push(code[at..end].trim_end_matches(':').to_string());
        }
    }
    out
}

/// The module a path names, resolved from the file's own module, as the
/// longest prefix that is a module of the crate.
fn resolve(from: &Unit, path: &str, modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    let mut parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
    // A file's own module: `mod.rs` stands for its folder.
    let own = from.module.clone();
    let is_folder = from
        .file
        .file_name()
        .is_some_and(|n| n == "mod.rs" || n == "lib.rs" || n == "main.rs");
    let mut base: Vec<String> = match parts.first() {
        Some(&"crate") | Some(&"ccsim") => {
            parts.remove(0);
            Vec::new()
        }
        Some(&"super") => {
            // `super` of `a::b` (file b.rs) is `a`; of a folder's mod.rs, its parent.
            let mut b = own.clone();
            while parts.first() == Some(&"super") {
                parts.remove(0);
                b.pop();
            }
            let _ = is_folder;
            b
        }
        Some(&"self") => {
            parts.remove(0);
            own.clone()
        }
        _ => return None,
    };
    let mut found = None;
    if modules.contains(&base) && !base.is_empty() {
        found = Some(base.clone());
    }
    for p in parts {
        base.push(p.to_string());
        if modules.contains(&base) {
            found = Some(base.clone());
        } else {
            break;
        }
    }
    found
}

struct House {
    units: Vec<Unit>,
    /// Imports: file index to file index, with the path that makes each.
    edges: BTreeMap<usize, BTreeMap<usize, String>>,
}

fn house() -> House {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let units = units(&src);
    // The binary's modules live under `cli`, the library's at the top.
    let modules: BTreeSet<Vec<String>> = units.iter().map(|u| u.module.clone()).collect();
    let index: BTreeMap<Vec<String>, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.module.clone(), i))
        .collect();
    let mut edges: BTreeMap<usize, BTreeMap<usize, String>> = BTreeMap::new();
    for (i, u) in units.iter().enumerate() {
        let text = std::fs::read_to_string(&u.file).unwrap();
        for path in paths(&code(&text)) {
            let Some(target) = resolve(u, &path, &modules) else {
                continue;
            };
            let Some(&j) = index.get(&target) else {
                continue;
            };
            // Itself, or a folder's mod.rs naming its own descendants.
            let own_child = target.len() > u.module.len() && target.starts_with(&u.module);
            if j == i || (own_child && index.get(&u.module) == Some(&i)) {
                continue;
            }
            edges.entry(i).or_default().entry(j).or_insert(path);
        }
    }
    House { units, edges }
}

fn top(u: &Unit) -> &str {
    u.module.first().map_or("lib", String::as_str)
}

fn name(u: &Unit) -> String {
    u.file
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(&u.file)
        .display()
        .to_string()
}

#[test]
fn every_module_imports_only_the_floors_below_it() {
    let h = house();
    let allowed: BTreeMap<&str, &[&str]> = FLOORS.iter().copied().collect();
    let mut wrong = Vec::new();
    for (&i, targets) in &h.edges {
        let from = &h.units[i];
        // The binary (main.rs, cli/) may import everything; lib.rs declares.
        let Some(may) = allowed.get(top(from)) else {
            continue;
        };
        for (&j, path) in targets {
            let to = top(&h.units[j]);
            if to != top(from) && !may.contains(&to) {
                wrong.push(format!("{} imports {to} (`{path}`)", name(from)));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that run up or sideways:\n{}",
        wrong.join("\n")
    );
    // Every module of the library has its floor.
    for u in &h.units {
        let t = top(u);
        if u.module.is_empty() || t == "cli" || t == "lib" {
            continue;
        }
        assert!(
            allowed.contains_key(t),
            "{} has no floor in FLOORS",
            name(u)
        );
    }
}

#[test]
fn no_files_import_each_other_in_a_circle() {
    let h = house();
    // Depth-first search for a back edge; report the circle it closes.
    fn visit(
        h: &House,
        i: usize,
        state: &mut Vec<u8>,
        stack: &mut Vec<usize>,
        circles: &mut Vec<String>,
    ) {
        state[i] = 1;
        stack.push(i);
        for &j in h.edges.get(&i).map(|t| t.keys()).into_iter().flatten() {
            match state[j] {
                0 => visit(h, j, state, stack, circles),
                1 => {
                    let at = stack.iter().position(|&k| k == j).unwrap_or(0);
                    let mut ring: Vec<String> =
                        stack[at..].iter().map(|&k| name(&h.units[k])).collect();
                    ring.push(name(&h.units[j]));
                    circles.push(ring.join(" -> "));
                }
                _ => {}
            }
        }
        stack.pop();
        state[i] = 2;
    }
    let mut state = vec![0u8; h.units.len()];
    let mut circles = Vec::new();
    for i in 0..h.units.len() {
        if state[i] == 0 {
            visit(&h, i, &mut state, &mut Vec::new(), &mut circles);
        }
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_reader_finds_imports_in_use_trees_and_paths() {
    let text = "use super::{plot::{self, AxisSpec}, style::X};\n\
                // use crate::engine::Engine;\n\
                fn f() { crate::model::Weekday::of(d); super::table::pct(x) }\n\
                let s = \"crate::report\";";
    let found = paths(&code(text));
    for want in [
        "super::plot",
        "super::plot::AxisSpec",
        "super::style::X",
        "crate::model::Weekday::of",
        "super::table::pct",
    ] {
        assert!(found.iter().any(|p| p == want), "{want} not in {found:?}");
    }
    assert!(!found.iter().any(|p| p.contains("engine")), "{found:?}");
    assert!(!found.iter().any(|p| p.contains("report")), "{found:?}");
    let tricky = "let q = '\"'; let r = r#\"use crate::engine;\"#; use crate::stats::Estimate;";
    let found: BTreeSet<String> = paths(&code(tricky)).into_iter().collect();
    assert_eq!(
        found,
        BTreeSet::from(["crate::stats::Estimate".to_string()])
    );
}
