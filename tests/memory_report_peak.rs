//! Memory bounded by what is reported, with files: a run writing its
//! report folder summarises the figures of days and intervals only as it
//! writes them (`stats::deferred`), and draws the charts of a long horizon
//! by week or month, while `days.csv` keeps every day. Alone in its test
//! binary, so that the child's peak is not raised by other tests of the
//! same process.

mod common;
#[cfg(target_os = "linux")]
use common::peak;

/// Ten years and fifty days of the quickstart with `--out` (1.33 million
/// figures): measured 102 MB at the peak, and 351 MB before, when every
/// figure was summarised at once (an estimate, its key and its index entry,
/// about 240 bytes a figure, on top of the layout and the values).
#[cfg(target_os = "linux")]
#[test]
fn ten_years_with_files_hold_no_summary_per_figure() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let days = 3_700;
    let bytes = peak(&[
        "run",
        "scenarios/quickstart.toml",
        "-r",
        "1",
        "-q",
        "--set",
        &format!("horizon.days={days}"),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(bytes < 180_000_000, "peak {} MB", bytes / 1_000_000);

    // The page says it draws months, and why.
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        page.contains("The charts show one point per month because the horizon (3700 days) is longer than ten years"),
        "no month level in report.html"
    );
    assert!(page.contains("Reachability per month"));
    assert!(
        page.len() < 2_000_000,
        "report.html is {} bytes",
        page.len()
    );

    // days.csv has every day of the calendar, in order.
    let mut dates: Vec<String> = Vec::new();
    let mut reader = csv::Reader::from_path(out.join("days.csv")).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        if dates.last().map(String::as_str) != Some(&row[0]) {
            dates.push(row[0].to_string());
        }
    }
    let first = chrono::NaiveDate::from_ymd_opt(2021, 4, 12).unwrap();
    let calendar: Vec<String> = (0..days)
        .map(|d| (first + chrono::Days::new(d)).to_string())
        .collect();
    assert_eq!(dates, calendar);
}
