//! Every relative link of the project's documents leads somewhere: README.md,
//! CONTRIBUTING.md, CHANGELOG.md and docs/*.md may link only to files that
//! exist and, with `#anchor`, to headings that exist, by GitHub's anchor
//! rules. A document moved or a heading renamed breaks this test, not the
//! reader's click.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The documents whose links are checked, relative to the repository root.
fn documents(root: &Path) -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = ["README.md", "CONTRIBUTING.md", "CHANGELOG.md"]
        .iter()
        .map(|name| root.join(name))
        .collect();
    let mut in_docs: Vec<PathBuf> = fs::read_dir(root.join("docs"))
        .expect("docs/ exists")
        .map(|entry| entry.expect("docs/ is readable").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    in_docs.sort();
    docs.extend(in_docs);
    docs
}

/// A line of prose: its number (from 1), its text, and its text with every
/// inline code span blanked, so that `[a](b)` written as code is not taken
/// for a link.
struct Prose {
    number: usize,
    text: String,
    blanked: String,
}

/// The lines of a Markdown text outside fenced code blocks.
fn prose_lines(text: &str) -> Vec<Prose> {
    let mut out = Vec::new();
    // The fence that is open: its character and length.
    let mut fence: Option<(char, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        let first = trimmed.chars().next().unwrap_or(' ');
        let run = trimmed.chars().take_while(|&c| c == first).count();
        let is_marker = indent < 4 && (first == '`' || first == '~') && run >= 3;
        match fence {
            // A fence closes with the same character, at least as long, alone.
            Some((c, len)) => {
                if is_marker && first == c && run >= len && trimmed[run..].trim().is_empty() {
                    fence = None;
                }
            }
            None if is_marker => fence = Some((first, run)),
            None => out.push(Prose {
                number: i + 1,
                text: line.to_string(),
                blanked: blank_code_spans(line),
            }),
        }
    }
    out
}

/// The line with every inline code span (`...`, ``...``) replaced by spaces.
fn blank_code_spans(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '`' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|&&c| c == '`').count();
        // The span ends at the next run of exactly as many backticks.
        let mut j = i + run;
        let mut end = None;
        while j < chars.len() {
            if chars[j] == '`' {
                let close = chars[j..].iter().take_while(|&&c| c == '`').count();
                if close == run {
                    end = Some(j + close);
                    break;
                }
                j += close;
            } else {
                j += 1;
            }
        }
        match end {
            Some(end) => {
                out.extend(std::iter::repeat_n(' ', end - i));
                i = end;
            }
            // An unmatched backtick is plain text.
            None => {
                out.extend(&chars[i..i + run]);
                i += run;
            }
        }
    }
    out
}

/// The targets of the inline links and images of a line (`[text](target)`,
/// `![alt](target "title")`) and of a reference definition (`[label]: target`).
fn link_targets(line: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        // The target runs to the parenthesis that closes this one.
        let mut depth = 0usize;
        let mut end = after.len();
        for (k, c) in after.char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => {
                    end = k;
                    break;
                }
                ')' => depth -= 1,
                _ => {}
            }
        }
        targets.push(clean_target(&after[..end]));
        rest = &after[end.min(after.len())..];
    }
    let trimmed = line.trim_start();
    if trimmed.starts_with('[')
        && let Some(close) = trimmed.find("]:")
        && !trimmed[..close].contains("](")
    {
        targets.push(clean_target(&trimmed[close + 2..]));
    }
    targets.retain(|t| !t.is_empty());
    targets
}

/// A link destination without its title and angle brackets.
fn clean_target(raw: &str) -> String {
    let raw = raw.trim();
    if let Some(inner) = raw.strip_prefix('<') {
        return inner.split('>').next().unwrap_or("").to_string();
    }
    raw.split_whitespace().next().unwrap_or("").to_string()
}

/// Whether a target leaves the repository (a URL with a scheme, e-mail).
fn is_external(target: &str) -> bool {
    let scheme: String = target
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "+-.".contains(*c))
        .collect();
    !scheme.is_empty() && target[scheme.len()..].starts_with(':')
}

/// GitHub's anchor for a heading's text: the rendered text lower-cased,
/// every character that is not a letter, digit, space, hyphen or underscore
/// dropped, and each space turned into a hyphen (hyphens are not merged).
fn github_slug(heading: &str) -> String {
    rendered_text(heading)
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// The text a heading renders to: links reduced to their text, code-span
/// backticks and emphasis asterisks removed.
fn rendered_text(heading: &str) -> String {
    let mut text = String::new();
    let mut rest = heading;
    // `[text](url)` renders as `text`.
    while let Some(open) = rest.find('[') {
        let Some(mid) = rest[open..].find("](") else {
            break;
        };
        let Some(close) = rest[open + mid..].find(')') else {
            break;
        };
        text.push_str(&rest[..open]);
        text.push_str(&rest[open + 1..open + mid]);
        rest = &rest[open + mid + close + 1..];
    }
    text.push_str(rest);
    text.retain(|c| c != '`' && c != '*');
    text.trim().to_string()
}

/// The anchors a Markdown document offers: one per ATX heading, with
/// GitHub's `-1`, `-2` ... for repeated slugs, plus explicit `id=`/`name=`.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut seen: Vec<String> = Vec::new();
    for line in prose_lines(text) {
        let indent = line.text.len() - line.text.trim_start().len();
        let trimmed = line.text.trim_start();
        let level = trimmed.chars().take_while(|&c| c == '#').count();
        let body = &trimmed[level..];
        if (1..=6).contains(&level)
            && indent < 4
            && (body.is_empty() || body.starts_with([' ', '\t']))
        {
            let body = body.trim().trim_end_matches('#').trim_end();
            let slug = github_slug(body);
            let repeats = seen.iter().filter(|s| **s == slug).count();
            seen.push(slug.clone());
            found.insert(if repeats == 0 {
                slug
            } else {
                format!("{slug}-{repeats}")
            });
        }
        for key in ["id=\"", "name=\""] {
            let mut rest = line.blanked.as_str();
            while let Some(at) = rest.find(key) {
                let value = &rest[at + key.len()..];
                let end = value.find('"').unwrap_or(value.len());
                found.insert(value[..end].to_string());
                rest = &value[end..];
            }
        }
    }
    found
}

/// Every relative link of `doc` that does not resolve, as
/// `file:line: target (why)`.
fn broken_links(doc: &Path) -> Vec<String> {
    let text = fs::read_to_string(doc).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
    let dir = doc.parent().expect("a document lies in a folder");
    let mut broken = Vec::new();
    for line in prose_lines(&text) {
        let number = line.number;
        for target in link_targets(&line.blanked) {
            if is_external(&target) {
                continue;
            }
            let (path, anchor) = match target.split_once('#') {
                Some((path, anchor)) => (path, Some(anchor)),
                None => (target.as_str(), None),
            };
            let file = if path.is_empty() {
                doc.to_path_buf()
            } else {
                dir.join(path)
            };
            let shown = doc.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(doc);
            let place = format!("{}:{number}: {target}", shown.display());
            if !file.exists() {
                broken.push(format!("{place} (no file {})", file.display()));
                continue;
            }
            let Some(anchor) = anchor else { continue };
            if file.extension().is_none_or(|ext| ext != "md") {
                broken.push(format!(
                    "{place} (an anchor into a file that is not Markdown)"
                ));
                continue;
            }
            let target_text = fs::read_to_string(&file).unwrap_or_default();
            if !anchors(&target_text).contains(anchor) {
                broken.push(format!("{place} (no heading with anchor #{anchor})"));
            }
        }
    }
    broken
}

#[test]
fn every_relative_link_and_anchor_of_the_docs_resolves() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = documents(root);
    let mut broken = Vec::new();
    let mut links = 0;
    for doc in &docs {
        assert!(doc.exists(), "{} is missing", doc.display());
        links += prose_lines(&fs::read_to_string(doc).unwrap())
            .iter()
            .map(|line| link_targets(&line.blanked).len())
            .sum::<usize>();
        broken.extend(broken_links(doc));
    }
    assert!(
        links > 50,
        "only {links} links found in {} documents: is the link reader broken?",
        docs.len()
    );
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

#[test]
fn anchors_follow_githubs_rules() {
    assert_eq!(
        github_slug("3.10 `[expect]` — promises for `ccsim check` (optional)"),
        "310-expect--promises-for-ccsim-check-optional"
    );
    assert_eq!(
        github_slug("Long runs: no lost work, Ctrl-C, shards, memory"),
        "long-runs-no-lost-work-ctrl-c-shards-memory"
    );
    assert_eq!(
        github_slug("Promises in CI: `ccsim check`"),
        "promises-in-ci-ccsim-check"
    );
    assert_eq!(
        github_slug("[Unreleased]"),
        "unreleased",
        "a bracket without a link target is plain text"
    );
    assert_eq!(
        github_slug("See [the docs](docs/x.md) for `sla_working_days`"),
        "see-the-docs-for-sla_working_days"
    );
    let doc = "# Title\n## Part\n## Part\n```\n# not a heading\n```\n<a id=\"here\"></a>\n";
    let found = anchors(doc);
    for anchor in ["title", "part", "part-1", "here"] {
        assert!(found.contains(anchor), "{anchor} in {found:?}");
    }
    assert!(!found.contains("not-a-heading"), "{found:?}");
}

#[test]
fn a_broken_file_or_anchor_is_reported_and_code_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("other.md"), "# Other\n## A section\n").unwrap();
    fs::write(
        dir.path().join("doc.md"),
        "# Doc\n\
         Fine: [other](other.md#a-section), [here](#doc), ![img](other.md), [web](https://x.org/y).\n\
         Gone: [missing](missing.md) and [bad anchor](other.md#no-such-section).\n\
         `[code](missing-in-code.md)` is code.\n\
         ```\n[fenced](missing-in-fence.md)\n```\n\
         [ref]: missing-ref.md\n",
    )
    .unwrap();
    let broken = broken_links(&dir.path().join("doc.md"));
    let joined = broken.join("\n");
    assert_eq!(broken.len(), 3, "{joined}");
    assert!(joined.contains(":3: missing.md (no file"), "{joined}");
    assert!(
        joined.contains(":3: other.md#no-such-section (no heading"),
        "{joined}"
    );
    assert!(joined.contains(":8: missing-ref.md (no file"), "{joined}");
}
