//! The scenario examples in `docs/scenario.md` stay valid as the format evolves.

use std::path::Path;

/// Every ```toml block of the document that is a whole scenario (has a
/// horizon and themes), with the heading of its section.
fn whole_scenarios(doc: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut heading = String::new();
    let mut block: Option<String> = None;
    for line in doc.lines() {
        match &mut block {
            None if line.starts_with('#') => heading = line.to_string(),
            None if line.trim_start() == "```toml" => block = Some(String::new()),
            Some(b) if line.trim_start() == "```" => {
                if b.contains("[horizon]") && b.contains("[themes.") {
                    out.push((heading.clone(), b.clone()));
                }
                block = None;
            }
            Some(b) => {
                b.push_str(line);
                b.push('\n');
            }
            None => {}
        }
    }
    out
}

#[test]
fn whole_scenarios_in_the_reference_validate() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/scenario.md"))
            .expect("docs/scenario.md");
    let examples = whole_scenarios(&doc);
    assert!(
        examples.len() >= 2,
        "expected the minimal example and the appendix, found {}",
        examples.len()
    );
    for (heading, text) in examples {
        let dir = tempfile::tempdir().unwrap();
        // The appendix reads observed handle times from a CSV next to it.
        std::fs::write(
            dir.path().join("aht.csv"),
            "handle_seconds\n300\n420\n610\n",
        )
        .unwrap();
        let path = dir.path().join("example.toml");
        std::fs::write(&path, &text).unwrap();
        if let Err(e) = ccsim::scenario::load(&path) {
            panic!("the example under {heading:?} does not validate: {e}");
        }
    }
}
