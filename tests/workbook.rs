//! The Excel workbook (`ccsim run --xlsx FILE`, `ccsim chart --xlsx`,
//! `report::workbook`), read back with calamine: its Days and Intervals
//! sheets hold the CSV tables of the same run cell for cell, as numbers,
//! dates and times; its key figures are the summary's, with their CI and
//! targets; a long table goes on in numbered sheets; the file is written
//! whole or not at all.

use std::io::Cursor;
use std::path::Path;

use assert_cmd::Command;
use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use ccsim::report::workbook::{self, Options};
use ccsim::stats::{RunResults, SummaryFile};
use serde_json::Value;

fn ccsim() -> Command {
    Command::cargo_bin("ccsim").unwrap()
}

/// Runs the quickstart week into `dir/week/` and `dir/week.xlsx`.
fn run_week(dir: &Path, extra: &[&str]) {
    ccsim()
        .args([
            "run",
            "scenarios/quickstart.toml",
            "-r",
            "6",
            "--seed",
            "11",
        ])
        .args(["--quiet", "--out"])
        .arg(dir.join("week"))
        .arg("--xlsx")
        .arg(dir.join("week.xlsx"))
        .args(extra)
        .assert()
        .success();
}

fn book(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn sheet<R: std::io::Read + std::io::Seek>(book: &mut Xlsx<R>, name: &str) -> Range<Data> {
    book.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

/// An Excel serial date as `YYYY-MM-DD` (1900 date system, after March 1900).
fn serial_date(x: f64) -> String {
    assert_eq!(x.fract(), 0.0, "a date cell holds a time: {x}");
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    (epoch + chrono::Duration::days(x as i64)).to_string()
}

/// An Excel time (fraction of a day) as `HH:MM`.
fn serial_time(x: f64) -> String {
    assert!((0.0..1.0).contains(&x), "a time cell holds a date: {x}");
    let minutes = (x * 1440.0).round() as u32;
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A cell of a table sheet as its CSV text, checking that it is of the
/// kind its column must be: dates and times as date cells, figures as
/// numbers, `few_replications` as TRUE/FALSE, the rest as text.
fn as_csv(column: &str, cell: &Data) -> String {
    match (column, cell) {
        (_, Data::Empty) => String::new(),
        ("date", Data::DateTime(d)) => serial_date(d.as_f64()),
        ("start", Data::DateTime(d)) => serial_time(d.as_f64()),
        ("mean" | "ci_low" | "ci_high" | "p5" | "p50" | "p95" | "n", Data::Float(x)) => {
            x.to_string()
        }
        ("few_replications", Data::Bool(b)) => b.to_string(),
        ("weekday" | "scope" | "name" | "channel" | "metric", Data::String(s)) => s.clone(),
        _ => panic!("column {column}: a cell of the wrong kind: {cell:?}"),
    }
}

/// Every row of `sheets` (one table over one or more sheets) equals the
/// CSV's, header included on every sheet; returns the data rows compared.
fn assert_same_table(sheets: &[Range<Data>], csv_path: &Path) -> usize {
    let mut reader = csv::Reader::from_path(csv_path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let mut csv_rows = reader.records().map(|r| r.unwrap());
    let mut compared = 0;
    for (k, range) in sheets.iter().enumerate() {
        assert_eq!(range.start(), Some((0, 0)), "sheet {k} starts at A1");
        let mut rows = range.rows();
        let top: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
        assert_eq!(top, header, "header of sheet {k}");
        for row in rows {
            let want = csv_rows
                .next()
                .unwrap_or_else(|| panic!("sheet {k} has more rows than {}", csv_path.display()));
            let got: Vec<String> = header
                .iter()
                .zip(row)
                .map(|(column, cell)| as_csv(column, cell))
                .collect();
            let want: Vec<&str> = want.iter().collect();
            assert_eq!(
                got,
                want,
                "row {} of {} differs from the CSV's",
                compared + 2,
                csv_path.display()
            );
            compared += 1;
        }
    }
    assert!(
        csv_rows.next().is_none(),
        "the workbook lacks rows of the CSV"
    );
    compared
}

#[test]
fn days_and_intervals_sheets_hold_the_csv_tables_cell_for_cell() {
    let dir = tempfile::tempdir().unwrap();
    run_week(dir.path(), &[]);
    let mut wb = book(&dir.path().join("week.xlsx"));
    assert_eq!(wb.sheet_names(), ["Key figures", "Days", "Intervals"]);
    let days = sheet(&mut wb, "Days");
    let n = assert_same_table(&[days], &dir.path().join("week/days.csv"));
    assert!(n > 100, "only {n} day rows");
    let intervals = sheet(&mut wb, "Intervals");
    let n = assert_same_table(&[intervals], &dir.path().join("week/intervals.csv"));
    assert!(n > 1000, "only {n} interval rows");
}

/// The rows of the key figures' table by (scope, name, metric), and the
/// run's details above it by label.
struct KeyFigures {
    rows: Vec<Vec<Data>>,
    header: Vec<String>,
    details: Vec<(String, Vec<Data>)>,
}

impl KeyFigures {
    fn read(range: &Range<Data>) -> KeyFigures {
        let all: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        let at = all
            .iter()
            .position(|r| r[0] == Data::String("Scope".into()))
            .expect("the key figures' header row");
        KeyFigures {
            header: all[at].iter().map(|c| c.to_string()).collect(),
            rows: all[at + 1..].to_vec(),
            details: all[..at]
                .iter()
                .map(|r| (r[0].to_string(), r[1..].to_vec()))
                .collect(),
        }
    }

    fn col(&self, title: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == title)
            .unwrap_or_else(|| panic!("no column {title}: {:?}", self.header))
    }

    fn row(&self, scope: &str, name: &str, metric: &str) -> &[Data] {
        let (s, n, m) = (
            self.col("Scope"),
            self.col("Name"),
            self.col("metric (Days, Intervals)"),
        );
        self.rows
            .iter()
            .find(|r| r[s] == *scope && r[n] == *name && r[m] == *metric)
            .unwrap_or_else(|| panic!("no key figure {scope} {name} {metric}"))
    }

    fn number(&self, row: &[Data], title: &str) -> Option<f64> {
        match &row[self.col(title)] {
            Data::Float(x) => Some(*x),
            Data::Empty => None,
            other => panic!("{title}: not a number cell: {other:?}"),
        }
    }

    fn detail(&self, label: &str) -> &[Data] {
        &self
            .details
            .iter()
            .find(|(l, _)| l == label)
            .unwrap_or_else(|| panic!("no {label} above the key figures"))
            .1
    }
}

/// The figure's mean and CI in the summary as the workbook must show them.
fn json_estimate(e: &Value) -> [Option<f64>; 3] {
    ["mean", "ci_low", "ci_high"].map(|k| e.get(k).and_then(Value::as_f64))
}

#[test]
fn key_figures_are_the_summarys_estimates_with_their_ci_and_targets() {
    let dir = tempfile::tempdir().unwrap();
    run_week(dir.path(), &[]);
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("week/summary.json")).unwrap(),
    )
    .unwrap();
    let mut wb = book(&dir.path().join("week.xlsx"));
    let k = KeyFigures::read(&sheet(&mut wb, "Key figures"));
    assert_eq!(k.detail("Seed")[0], Data::Float(11.0));
    assert_eq!(k.detail("Replications")[0], Data::Float(6.0));
    assert_eq!(
        k.detail("Scenario")[0].to_string(),
        json["scenario"]["name"].as_str().unwrap()
    );
    // The horizon's first and last days, as date cells.
    let days = json["days"].as_array().unwrap();
    for (i, day) in [(0, &days[0]), (1, &days[days.len() - 1])] {
        match &k.detail("Horizon")[i] {
            Data::DateTime(d) => {
                assert_eq!(serial_date(d.as_f64()), day["date"].as_str().unwrap())
            }
            other => panic!("the horizon's day is not a date cell: {other:?}"),
        }
    }
    assert_eq!(
        k.detail("Horizon")[2].to_string(),
        "7 days, 30-minute intervals"
    );
    assert!(
        k.details
            .iter()
            .any(|(l, _)| l.contains("95% confidence interval")),
        "the first sheet says what the CI means"
    );
    let targets = &json["scenario"]["targets"];
    let horizon = &json["horizon"];
    let mut judged = 0;
    for (channel, figures) in horizon["channels"].as_object().unwrap() {
        for (metric, target) in [
            ("reachability", &targets["reachability"][channel]),
            ("service_level", &targets["service_level"][channel]),
            ("abandon_share", &Value::Null),
            ("asa", &Value::Null),
            ("cost", &Value::Null),
        ] {
            let Some(e) = figures.get(metric) else {
                continue;
            };
            let row = k.row("channel", channel, metric);
            let got = ["Estimate (mean)", "95% CI low", "95% CI high"].map(|t| k.number(row, t));
            assert_eq!(got, json_estimate(e), "{channel} {metric}");
            assert_eq!(
                k.number(row, "Target"),
                target.as_f64(),
                "{channel} {metric}"
            );
            // The verdict is the terminal's: on the whole CI.
            if let (Some(t), [_, Some(low), Some(high)]) = (target.as_f64(), got) {
                let want = if low >= t {
                    "met"
                } else if high < t {
                    "missed"
                } else {
                    "not sure"
                };
                assert_eq!(row[k.col("Against target")].to_string(), want);
                judged += 1;
            }
        }
    }
    // call reachability and service level, e-mail reachability.
    assert_eq!(judged, 3);
    for (pool, figures) in horizon["pools"].as_object().unwrap() {
        let row = k.row("pool", pool, "occupancy");
        let got = ["Estimate (mean)", "95% CI low", "95% CI high"].map(|t| k.number(row, t));
        assert_eq!(got, json_estimate(&figures["occupancy"]), "{pool}");
    }
    let row = k.row("total", "all channels", "reachability");
    let got = ["Estimate (mean)", "95% CI low", "95% CI high"].map(|t| k.number(row, t));
    assert_eq!(got, json_estimate(&horizon["total"]["reachability"]));
    assert_eq!(
        k.number(row, "Replications defining it"),
        horizon["total"]["reachability"]["n"].as_f64()
    );
}

/// Every cell of every sheet of a workbook, by sheet name.
fn cells<R: std::io::Read + std::io::Seek>(wb: &mut Xlsx<R>) -> Vec<(String, Vec<Vec<Data>>)> {
    wb.sheet_names()
        .into_iter()
        .map(|name| {
            let range = sheet(wb, &name);
            (name, range.rows().map(|r| r.to_vec()).collect())
        })
        .collect()
}

#[test]
fn chart_and_the_library_make_the_same_workbook_from_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    run_week(dir.path(), &[]);
    let summary = dir.path().join("week/summary.json");
    ccsim()
        .arg("chart")
        .arg(&summary)
        .arg("--xlsx")
        .arg(dir.path().join("again.xlsx"))
        .assert()
        .success()
        .stderr(predicates::str::contains("again.xlsx"));
    let run = cells(&mut book(&dir.path().join("week.xlsx")));
    assert_eq!(run, cells(&mut book(&dir.path().join("again.xlsx"))));
    // The workbench's bytes are the same workbook.
    let file: SummaryFile =
        serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    let results = RunResults::from_file(&file).unwrap();
    let bytes = workbook::to_bytes(&results).unwrap();
    let mut wb = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(run, cells(&mut wb));
}

#[test]
fn a_table_longer_than_a_sheet_goes_on_in_numbered_sheets() {
    let dir = tempfile::tempdir().unwrap();
    run_week(dir.path(), &[]);
    let file: SummaryFile = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("week/summary.json")).unwrap(),
    )
    .unwrap();
    let results = RunResults::from_file(&file).unwrap();
    // 300 rows a sheet: the header and 299 figures.
    let options = Options {
        rows_per_sheet: 300,
        ..Options::default()
    };
    let mut bytes = Vec::new();
    workbook::write_to(&results, &mut bytes, &options).unwrap();
    let mut wb = Xlsx::new(Cursor::new(bytes)).unwrap();
    let names = wb.sheet_names();
    for (table, csv) in [("Days", "days.csv"), ("Intervals", "intervals.csv")] {
        let parts: Vec<String> = names
            .iter()
            .filter(|n| *n == table || n.starts_with(&format!("{table} (")))
            .cloned()
            .collect();
        let rows = csv::Reader::from_path(dir.path().join("week").join(csv))
            .unwrap()
            .records()
            .count();
        let want: Vec<String> = (1..=rows.div_ceil(299))
            .map(|k| match k {
                1 => table.to_string(),
                k => format!("{table} ({k})"),
            })
            .collect();
        assert_eq!(parts, want, "{table}: {rows} rows");
        let sheets: Vec<Range<Data>> = parts.iter().map(|n| sheet(&mut wb, n)).collect();
        for s in &sheets[..sheets.len() - 1] {
            assert_eq!(s.height(), 300, "a full sheet of {table}");
        }
        let n = assert_same_table(&sheets, &dir.path().join("week").join(csv));
        assert_eq!(n, rows);
    }
}

#[test]
fn the_workbook_is_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("plan.xlsx");
    std::fs::write(&target, b"the manager's copy").unwrap();
    // The long tables are streamed to the temporary folder: without one,
    // the workbook cannot be made, and the existing file stays as it was.
    let out = ccsim()
        .args([
            "run",
            "scenarios/quickstart.toml",
            "-r",
            "2",
            "--quiet",
            "--force",
        ])
        .arg("--xlsx")
        .arg(&target)
        .env("TMPDIR", dir.path().join("no-such-folder"))
        .assert()
        .failure()
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot make the Excel workbook") && stderr.contains("set TMPDIR"),
        "stderr: {stderr}"
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"the manager's copy");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        [std::ffi::OsString::from("plan.xlsx")],
        "a temporary file left"
    );

    // A folder that cannot hold the file: a clear error, before any run.
    std::fs::write(dir.path().join("notes.txt"), "").unwrap();
    let inside_a_file = dir.path().join("notes.txt").join("plan.xlsx");
    ccsim()
        .args(["run", "scenarios/quickstart.toml", "-r", "2", "--quiet"])
        .arg("--xlsx")
        .arg(&inside_a_file)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("notes.txt"));
    // The library says which file it could not write.
    let file = week_summary(dir.path());
    let results = RunResults::from_file(&file).unwrap();
    let missing = dir.path().join("no-such-folder").join("plan.xlsx");
    let e = workbook::write(&results, &missing).unwrap_err();
    assert!(
        e.to_string().contains("no-such-folder/plan.xlsx"),
        "error: {e}"
    );
    assert!(!missing.exists());

    // A complete write replaces the file whole, with a workbook.
    workbook::write(&results, &target).unwrap();
    let wb = book(&target);
    assert_eq!(wb.sheet_names()[0], "Key figures");
}

/// The summary of a short quickstart run, written into `dir/s.json`.
fn week_summary(dir: &Path) -> SummaryFile {
    let json = dir.join("s.json");
    ccsim()
        .args([
            "run",
            "scenarios/quickstart.toml",
            "-r",
            "2",
            "--quiet",
            "--json",
        ])
        .arg(&json)
        .assert()
        .success();
    serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap()
}

#[test]
fn the_xlsx_flag_is_in_the_help_of_run_chart_and_merge() {
    for command in ["run", "chart", "merge"] {
        let out = ccsim()
            .args([command, "--help"])
            .env("COLUMNS", "1000")
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let help = String::from_utf8(out).unwrap();
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with("--xlsx <FILE>"))
            .unwrap_or_else(|| panic!("ccsim {command} --help has no --xlsx <FILE>"));
        assert!(line.contains("Excel workbook"), "{command}: {line}");
    }
    // Without --out, chart needs --xlsx, and the other way round.
    ccsim()
        .args(["chart", "week/summary.json"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--out <DIR>"));
}

#[test]
fn merge_writes_the_workbook_of_the_unsharded_run() {
    let dir = tempfile::tempdir().unwrap();
    run_week(dir.path(), &[]);
    let parts = dir.path().join("parts");
    for k in ["1/2", "2/2"] {
        ccsim()
            .args([
                "run",
                "scenarios/quickstart.toml",
                "-r",
                "6",
                "--seed",
                "11",
            ])
            .args(["--quiet", "--shard", k, "--out"])
            .arg(&parts)
            .assert()
            .success();
    }
    ccsim()
        .arg("merge")
        .arg(&parts)
        .arg("--xlsx")
        .arg(dir.path().join("merged.xlsx"))
        .assert()
        .success();
    assert_eq!(
        cells(&mut book(&dir.path().join("week.xlsx"))),
        cells(&mut book(&dir.path().join("merged.xlsx")))
    );
}
