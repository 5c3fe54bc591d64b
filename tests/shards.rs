//! Sharded runs: `ccsim run --shard K/N` then `ccsim merge` give exactly
//! (byte for byte) the files of one run with the same seed, and parts that do
//! not make one run are refused.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::str::contains;
use sha2::{Digest, Sha256};

fn ccsim() -> Command {
    Command::cargo_bin("ccsim").unwrap()
}

const SCENARIO: &str = "scenarios/vlaanderen-1700-2021q1.toml";
/// A week with several themes, lines and pools: every kind of figure.
const WEEK: [&str; 4] = [
    "--set",
    "horizon.start=2021-03-01",
    "--set",
    "horizon.end=2021-03-07",
];

fn shard(dir: &Path, k: u32, n: u32, reps: &str, seed: &str) {
    ccsim()
        .args(["run", SCENARIO, "-r", reps, "-s", seed, "--quiet"])
        .args(WEEK)
        .args(["--shard", &format!("{k}/{n}"), "--out"])
        .arg(dir)
        .assert()
        .success()
        .stderr(contains(format!("shard {k}/{n}")));
}

fn read(p: &Path) -> Vec<u8> {
    fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn merged_shards_equal_one_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let single = dir.path().join("single");
    let parts = dir.path().join("parts");
    let merged = dir.path().join("merged");
    // One run on 2 threads; the shards on 1 and 3 threads: the thread count
    // must not matter either.
    let single_stdout = ccsim()
        .args([
            "run", SCENARIO, "-r", "13", "-s", "99", "-t", "2", "--quiet",
        ])
        .args(WEEK)
        .arg("--out")
        .arg(&single)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    for k in 1..=3 {
        shard(&parts, k, 3, "13", "99");
    }
    let merged_stdout = ccsim()
        .arg("merge")
        .arg(parts.join("part-3-of-3.ccsim-part"))
        .arg(parts.join("part-1-of-3.ccsim-part"))
        .arg(parts.join("part-2-of-3.ccsim-part"))
        .arg("--out")
        .arg(&merged)
        .assert()
        .success()
        .stderr(contains("merged 3 parts: replications 0 to 12 (seed 99)"))
        .get_output()
        .stdout
        .clone();
    assert_eq!(single_stdout, merged_stdout, "terminal summaries differ");
    for name in ["summary.json", "days.csv", "intervals.csv", "report.html"] {
        let (a, b) = (read(&single.join(name)), read(&merged.join(name)));
        assert!(a == b, "{name} differs between the run and the merge");
    }
    let charts = |d: &Path| {
        let mut v: Vec<_> = fs::read_dir(d.join("charts"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v
    };
    let (a, b) = (charts(&single), charts(&merged));
    assert_eq!(a.len(), b.len());
    assert!(!a.is_empty());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.file_name(), y.file_name());
        assert!(read(x) == read(y), "{} differs", x.display());
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&read(&merged.join("summary.json"))).unwrap();
    assert_eq!(summary["replications"], 13);
    assert_eq!(summary["partial"], false);
    // A folder stands for its part files; --json writes the same summary.
    let json = dir.path().join("merged.json");
    ccsim()
        .arg("merge")
        .arg(&parts)
        .arg("--json")
        .arg(&json)
        .assert()
        .success();
    assert!(read(&json) == read(&single.join("summary.json")));
}

#[test]
fn shards_are_contiguous_blocks_of_the_replications() {
    let dir = tempfile::tempdir().unwrap();
    for (k, expected) in [
        (1, "replications 0 to 2 of 10"),
        (2, "replications 3 to 5 of 10"),
        (3, "replications 6 to 9 of 10"),
    ] {
        ccsim()
            .args(["run", "scenarios/quickstart.toml", "-r", "10", "--quiet"])
            .args(["--shard", &format!("{k}/3"), "--out"])
            .arg(dir.path())
            .assert()
            .success()
            .stderr(contains(expected));
    }
}

#[test]
fn merge_refuses_parts_that_do_not_make_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    shard(&a, 1, 2, "6", "1");
    shard(&a, 2, 2, "6", "1");
    // Same shard, another seed.
    shard(&b, 2, 2, "6", "2");
    let part = |d: &Path, k: u32| d.join(format!("part-{k}-of-2.ccsim-part"));

    let refuse = |args: Vec<&Path>, message: &str| {
        ccsim()
            .arg("merge")
            .args(args)
            .assert()
            .code(2)
            .stderr(contains(message.to_string()));
    };
    refuse(
        vec![&part(&a, 1), &part(&b, 2)],
        "are not parts of the same run: seed 1 and 2",
    );
    refuse(vec![&part(&a, 1)], "shard 2/2 missing");
    refuse(
        vec![&part(&a, 1), &part(&a, 2), &part(&a, 2)],
        "are both shard 2/2",
    );

    // Another scenario (here: another --set) has another hash.
    let c = dir.path().join("c");
    ccsim()
        .args(["run", SCENARIO, "-r", "6", "-s", "1", "--quiet"])
        .args(WEEK)
        .args(["--set", "scale.volume=1.1", "--shard", "2/2", "--out"])
        .arg(&c)
        .assert()
        .success();
    refuse(
        vec![&part(&a, 1), &part(&c, 2)],
        "are not parts of the same run: scenario SHA-256",
    );

    // A truncated part, and a file that is not a part.
    let bytes = read(&part(&a, 2));
    let cut = dir.path().join("cut");
    fs::create_dir_all(&cut).unwrap();
    fs::write(part(&cut, 2), &bytes[..bytes.len() - 100]).unwrap();
    refuse(vec![&part(&a, 1), &part(&cut, 2)], "the file is truncated");
    let junk = dir.path().join("junk.ccsim-part");
    fs::write(&junk, "hello\n").unwrap();
    refuse(vec![&junk], "not a ccsim part file");
}

#[test]
fn shard_needs_out_and_a_valid_k_of_n() {
    ccsim()
        .args(["run", "scenarios/quickstart.toml", "--shard", "1/2"])
        .assert()
        .code(2)
        .stderr(contains("--out"));
    let dir = tempfile::tempdir().unwrap();
    for bad in ["0/2", "3/2", "2", "a/b"] {
        ccsim()
            .args(["run", "scenarios/quickstart.toml", "--shard", bad, "--out"])
            .arg(dir.path())
            .assert()
            .code(2)
            .stderr(contains("expected K/N with 1 <= K <= N"));
    }
    ccsim()
        .args([
            "run",
            "scenarios/quickstart.toml",
            "-r",
            "2",
            "--shard",
            "1/3",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("use at most 2 shards"));
}

/// Where the header line, the skeleton line and the figures of a part start
/// (after the first, second and third newline).
fn sections(bytes: &[u8]) -> [usize; 3] {
    let mut starts = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1);
    [(); 3].map(|_| starts.next().expect("a part has three lines"))
}

/// Writes `bytes` with bit `mask` of byte `at` flipped into `dir`/`name`.
fn flipped(bytes: &[u8], at: usize, mask: u8, dir: &Path, name: &str) -> std::path::PathBuf {
    let mut damaged = bytes.to_vec();
    damaged[at] ^= mask;
    fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    fs::write(&path, damaged).unwrap();
    path
}

#[test]
fn merge_refuses_a_part_with_one_flipped_bit() {
    let dir = tempfile::tempdir().unwrap();
    let parts = dir.path().join("parts");
    shard(&parts, 1, 2, "6", "1");
    shard(&parts, 2, 2, "6", "1");
    let first = parts.join("part-1-of-2.ccsim-part");
    let bytes = read(&parts.join("part-2-of-2.ccsim-part"));
    let [header, skeleton, figures] = sections(&bytes);
    let text = |from: usize, to: usize| String::from_utf8(bytes[from..to].to_vec()).unwrap();
    // In the header, `"seed":1` becomes `"seed":0`.
    let seed = header + text(header, skeleton).find("\"seed\":1").unwrap() + 7;
    // In the skeleton, a letter of a name changes case.
    let letter = skeleton + text(skeleton, figures).find("\"reachability\"").unwrap() + 1;
    // In the figures, the highest exponent bit of the third number.
    let number = figures + 2 * 8 + 7;
    // What merge does with each damaged part: (where, exit code, stderr,
    // whether it printed or wrote anything), all three kept so that a failure
    // shows them all.
    let mut got = Vec::new();
    let mut expected = Vec::new();
    for (what, at, mask) in [
        ("header", seed, 0x01),
        ("skeleton", letter, 0x20),
        ("figures", number, 0x40),
    ] {
        let damaged = flipped(
            &bytes,
            at,
            mask,
            &dir.path().join(what),
            "part-2-of-2.ccsim-part",
        );
        let json = dir.path().join(format!("{what}.json"));
        let out = ccsim()
            .arg("merge")
            .arg(&first)
            .arg(&damaged)
            .arg("--json")
            .arg(&json)
            .output()
            .unwrap();
        got.push((
            what,
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            !out.stdout.is_empty() || json.exists(),
        ));
        expected.push((
            what,
            Some(2),
            format!(
                "error: {}: the file is damaged (its contents do not match the SHA-256 checksum it ends with): \
                 rerun the shard that wrote it (with --force to replace this file)\n",
                damaged.display()
            ),
            false,
        ));
    }
    assert_eq!(got, expected);
    // The undamaged parts merge.
    ccsim().arg("merge").arg(&parts).assert().success();
}

#[test]
fn merge_refuses_a_part_of_the_previous_format() {
    let dir = tempfile::tempdir().unwrap();
    let parts = dir.path().join("parts");
    shard(&parts, 1, 1, "2", "1");
    let path = parts.join("part-1-of-1.ccsim-part");
    let bytes = read(&path);
    let [header, ..] = sections(&bytes);
    let mut old = b"CCSIM-PART 1\n".to_vec();
    old.extend_from_slice(&bytes[header..]);
    fs::write(&path, old).unwrap();
    ccsim()
        .arg("merge")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(format!(
            "error: {}: part file format 1, this ccsim reads format 2: rerun the shards with this version\n",
            path.display()
        ));
}

/// Quickstart with its calls' handle time read from `aht.csv`, in `dir`.
fn with_csv(dir: &Path, csv: &str) -> std::path::PathBuf {
    let text = read(Path::new("scenarios/quickstart.toml"));
    let text = String::from_utf8(text).unwrap().replace(
        r#"handle_time.call = { dist = "lognormal", mean = "4m", cv = 0.8 }"#,
        r#"handle_time.call = { dist = "empirical", file = "aht.csv" }"#,
    );
    assert!(text.contains("aht.csv"));
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("aht.csv"), csv).unwrap();
    let scenario = dir.join("scenario.toml");
    fs::write(&scenario, text).unwrap();
    scenario
}

#[test]
fn merge_refuses_shards_whose_scenarios_read_different_files() {
    let dir = tempfile::tempdir().unwrap();
    let parts = dir.path().join("parts");
    let x = with_csv(&dir.path().join("x"), "seconds\n200\n240\n300\n");
    let y = with_csv(&dir.path().join("y"), "seconds\n200\n240\n900\n");
    assert_eq!(read(&x), read(&y), "the same scenario text");
    for (k, scenario) in [(1, &x), (2, &y)] {
        ccsim()
            .arg("run")
            .arg(scenario)
            .args(["-r", "4", "--quiet", "--shard", &format!("{k}/2"), "--out"])
            .arg(&parts)
            .assert()
            .success();
    }
    ccsim()
        .arg("merge")
        .arg(&parts)
        .assert()
        .code(2)
        .stderr(contains("are not parts of the same run: scenario SHA-256"));
}

/// SHA-256 in lowercase hexadecimal.
fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// `scenario.hash` of the summary of a one-replication run of `scenario`.
fn summary_hash(scenario: &Path, dir: &Path) -> String {
    let json = dir.join("summary.json");
    ccsim()
        .arg("run")
        .arg(scenario)
        .args(["-r", "1", "--quiet", "--force", "--json"])
        .arg(&json)
        .assert()
        .success();
    let summary: serde_json::Value = serde_json::from_slice(&read(&json)).unwrap();
    summary["scenario"]["hash"].as_str().unwrap().to_string()
}

#[test]
fn the_scenario_hash_covers_the_files_it_reads() {
    let dir = tempfile::tempdir().unwrap();
    // A scenario that reads no file: the SHA-256 of its text.
    let quickstart = Path::new("scenarios/quickstart.toml");
    assert_eq!(
        summary_hash(quickstart, dir.path()),
        sha256(&read(quickstart))
    );
    // One that reads a file: its text, then a zero byte, the file's name as
    // written, a zero byte and the SHA-256 of the file's bytes.
    let csv = "seconds\n200\n240\n300\n";
    let scenario = with_csv(&dir.path().join("x"), csv);
    let mut covered = read(&scenario);
    covered.extend_from_slice(format!("\0aht.csv\0{}", sha256(csv.as_bytes())).as_bytes());
    assert_eq!(summary_hash(&scenario, dir.path()), sha256(&covered));
}
