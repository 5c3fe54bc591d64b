//! The files of `ccsim run --out DIR` and `ccsim chart`: complete, consistent
//! with each other, and reproducible from a saved summary.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use ccsim::stats::{RunResults, SummaryFile as Summary};
use common::{assert_same_files, files};

fn ccsim() -> Command {
    Command::cargo_bin("ccsim").unwrap()
}

fn run_out(scenario: &str, dir: &Path, extra: &[&str]) {
    ccsim()
        .args([
            "run", scenario, "-r", "6", "--seed", "11", "--quiet", "--out",
        ])
        .arg(dir)
        .args(extra)
        .assert()
        .success();
}

/// Sum of the `mean` column of a tidy CSV over the rows that match.
fn csv_sum(path: &Path, scope: &str, channel: &str, metric: &str) -> f64 {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (s, c, m, mean) = (col("scope"), col("channel"), col("metric"), col("mean"));
    let mut sum = 0.0;
    let mut rows = 0;
    for record in reader.records() {
        let r = record.unwrap();
        if &r[s] == scope && &r[c] == channel && &r[m] == metric {
            sum += r[mean].parse::<f64>().unwrap();
            rows += 1;
        }
    }
    assert!(
        rows > 0,
        "no {scope}/{channel}/{metric} rows in {}",
        path.display()
    );
    sum
}

#[test]
fn out_folder_holds_json_csv_charts_and_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("week");
    run_out("scenarios/quickstart.toml", &out, &[]);
    let all = files(&out);
    for name in ["summary.json", "days.csv", "intervals.csv", "report.html"] {
        assert!(
            all.contains_key(Path::new(name)),
            "{name} missing: {:?}",
            all.keys()
        );
    }
    let charts: Vec<_> = all.keys().filter(|p| p.starts_with("charts")).collect();
    // Intraday, flow, daily, waits, one heatmap per pool, e-mail, themes.
    assert_eq!(charts.len(), 7, "{charts:?}");
    assert!(charts.iter().all(|p| p.extension().unwrap() == "svg"));
    // No temporary files are left behind.
    assert!(all.keys().all(|p| !p.to_string_lossy().contains(".tmp")));

    // summary.json round-trips and holds the documented keys.
    let text = String::from_utf8(all[Path::new("summary.json")].clone()).unwrap();
    let summary: Summary = serde_json::from_str(&text).unwrap();
    assert!(
        ccsim::report::json::to_string(&RunResults::from_file(&summary).unwrap().to_file()) == text,
        "summary.json does not round-trip"
    );
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    for key in [
        "schema_version",
        "ccsim_version",
        "scenario",
        "seed",
        "replications",
        "horizon",
        "days",
        "intervals",
        "time_of_day",
        "wait_distribution",
    ] {
        assert!(value.get(key).is_some(), "summary.json lacks `{key}`");
    }
    for key in [
        "name",
        "hash",
        "start",
        "days",
        "interval_minutes",
        "channels",
        "targets",
    ] {
        assert!(
            value["scenario"].get(key).is_some(),
            "scenario lacks `{key}`"
        );
    }
    assert_eq!(value["seed"], 11);
    assert_eq!(value["replications"], 6);
    assert_eq!(value["scenario"]["hash"].as_str().unwrap().len(), 64);

    // The CSVs add up to the JSON's horizon figures (means are additive).
    for metric in ["offered", "answered", "abandoned"] {
        let horizon = summary.horizon.channels["call"][metric].mean.unwrap();
        let by_day = csv_sum(&out.join("days.csv"), "channel", "call", metric);
        let by_interval = csv_sum(&out.join("intervals.csv"), "channel", "call", metric);
        assert!(
            (by_day - horizon).abs() < 1e-6 * horizon.max(1.0),
            "{metric}: days {by_day} vs {horizon}"
        );
        assert!(
            (by_interval - horizon).abs() < 1e-6 * horizon.max(1.0),
            "{metric}: intervals {by_interval} vs {horizon}"
        );
    }
    let email = summary.horizon.channels["email"]["offered"].mean.unwrap();
    let by_day = csv_sum(&out.join("days.csv"), "channel", "email", "offered");
    assert!((by_day - email).abs() < 1e-6 * email);

    // The report is one self-contained page: charts inline, nothing fetched.
    let html = String::from_utf8(all[Path::new("report.html")].clone()).unwrap();
    assert_eq!(html.matches("<svg").count(), 7);
    for remote in ["src=\"http", "href=\"http", "<link", "url(http", "@import"] {
        assert!(
            !html.contains(remote),
            "report.html fetches something: {remote}"
        );
    }
    assert!(html.contains("Metric definitions") && html.contains("reachability"));
    assert!(html.contains(&summary.scenario.name));
}

#[test]
fn chart_command_reproduces_the_run_files_from_its_summary() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("run");
    let again = dir.path().join("again");
    run_out("scenarios/quickstart.toml", &first, &[]);
    ccsim()
        .arg("chart")
        .arg(first.join("summary.json"))
        .arg("--out")
        .arg(&again)
        .assert()
        .success();
    assert_same_files(&first, &again, "after ccsim chart");
}

#[test]
fn chart_command_rejects_a_file_that_is_not_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("summary.json");
    fs::write(&path, "{\"schema_version\": 1, \"seed\": \"x\"}").unwrap();
    let out = ccsim()
        .arg("chart")
        .arg(&path)
        .args(["--out", dir.path().join("o").to_str().unwrap()])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("not a ccsim summary"), "{err}");
    assert!(
        !dir.path().join("o").exists(),
        "nothing is written for a bad summary"
    );
}

#[test]
fn every_chart_of_every_curated_scenario_is_a_valid_svg_and_png() {
    let dir = tempfile::tempdir().unwrap();
    for scenario in [
        "scenarios/quickstart.toml",
        "scenarios/vlaanderen-1700-2021q1.toml",
        "scenarios/vlaanderen-1700-2021q2.toml",
    ] {
        let stem = Path::new(scenario).file_stem().unwrap().to_str().unwrap();
        let svg_dir = dir.path().join(format!("{stem}-svg"));
        let png_dir = dir.path().join(format!("{stem}-png"));
        run_out(scenario, &svg_dir, &[]);
        run_out(scenario, &png_dir, &["--png"]);
        let svgs = files(&svg_dir.join("charts"));
        let pngs = files(&png_dir.join("charts"));
        // One chart per pool plus the six others (e-mail is in every scenario).
        let summary: Summary =
            serde_json::from_slice(&fs::read(svg_dir.join("summary.json")).unwrap()).unwrap();
        assert_eq!(svgs.len(), 6 + summary.horizon.pools.len(), "{scenario}");
        assert_eq!(pngs.len(), svgs.len(), "{scenario}");
        for (path, bytes) in &svgs {
            let text = std::str::from_utf8(bytes).unwrap();
            let doc = roxmltree::Document::parse(text)
                .unwrap_or_else(|e| panic!("{scenario} {}: {e}", path.display()));
            assert_eq!(doc.root_element().tag_name().name(), "svg");
            // The scenario's name is on every chart.
            assert!(
                doc.descendants()
                    .filter_map(|n| n.text())
                    .any(|t| t.contains(&summary.scenario.name)),
                "{scenario} {}: no scenario name",
                path.display()
            );
        }
        for (path, bytes) in &pngs {
            let decoder = png::Decoder::new(std::io::Cursor::new(bytes.as_slice()));
            let mut reader = decoder.read_info().unwrap();
            let mut buf = vec![0; reader.output_buffer_size().unwrap()];
            let info = reader.next_frame(&mut buf).unwrap();
            assert!(
                info.width >= 800 && info.height >= 400,
                "{}",
                path.display()
            );
            let pixels = &buf[..info.buffer_size()];
            let distinct: std::collections::HashSet<&[u8]> = pixels.chunks(3).collect();
            assert!(
                distinct.len() > 10,
                "{scenario} {}: nearly blank",
                path.display()
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn written_files_are_readable_by_others_like_any_report() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    run_out("scenarios/quickstart.toml", &out, &[]);
    for name in ["summary.json", "days.csv", "report.html"] {
        let mode = fs::metadata(out.join(name)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "{name}");
    }
}
