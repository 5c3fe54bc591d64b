//! What a run of a scenario with visits shows: the front-desk tables in the
//! terminal, `weekdays.csv`, the weekday charts and the report, each
//! consistent with `summary.json`; and that a scenario without visits shows
//! none of it.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use assert_cmd::Command;
use ccsim::model::duration::format_duration;
use ccsim::report::terminal::group_thousands;
use ccsim::stats::Estimate;
use ccsim::stats::SummaryFile as Summary;
use common::{assert_same_files, files};

const FRONT_DESK: &str = "scenarios/municipal-front-desk.toml";

fn ccsim() -> Command {
    Command::cargo_bin("ccsim").unwrap()
}

/// Runs `scenario` with 5 replications into `dir` and returns the terminal output.
fn run(scenario: &str, dir: &Path, extra: &[&str]) -> String {
    let out = ccsim()
        .args(["run", scenario, "-r", "5", "--seed", "7", "--out"])
        .arg(dir)
        .args(extra)
        .env("NO_COLOR", "1")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn summary(dir: &Path) -> Summary {
    serde_json::from_slice(&fs::read(dir.join("summary.json")).unwrap()).unwrap()
}

fn charts(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// The terminal's formats, written out again from their definitions.
fn count(e: Option<&Estimate>) -> String {
    e.and_then(|e| e.mean)
        .map_or("–".to_string(), |m| group_thousands(m.round()))
}

fn seconds(e: Option<&Estimate>) -> String {
    e.and_then(|e| e.mean)
        .map_or("–".to_string(), format_duration)
}

fn pct(e: Option<&Estimate>) -> String {
    e.and_then(|e| e.mean)
        .map_or("–".to_string(), |m| format!("{:.1}%", m * 100.0))
}

fn pct_ci(e: Option<&Estimate>) -> String {
    let e = e.unwrap();
    format!(
        "{:.1}% [{:.1}, {:.1}]",
        e.mean.unwrap() * 100.0,
        e.ci_low.unwrap() * 100.0,
        e.ci_high.unwrap() * 100.0
    )
}

/// The rows of the terminal table whose title line starts with `title`:
/// header first, each row as its trimmed cells.
fn table(text: &str, title: &str) -> Vec<Vec<String>> {
    let start = text
        .find(&format!("\n{title}"))
        .unwrap_or_else(|| panic!("no table {title:?} in\n{text}"));
    text[start + 1..]
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('└'))
        .filter(|l| l.starts_with('│'))
        .map(|l| {
            l.trim_matches('│')
                .split('┆')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

/// Rows of a tidy CSV as maps from column to value.
fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn the_terminal_shows_the_front_desk_with_the_figures_of_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fd");
    let text = run(FRONT_DESK, &out, &[]);
    let s = summary(&out);
    let h = &s.horizon;

    // Visits are no calls: no calls-and-chats table, no per-day reachability.
    assert!(!text.contains("Calls and chats over the horizon"), "{text}");
    assert!(!text.contains("Reachability per day"), "{text}");

    let rows = table(&text, "Front desk (visits) over the horizon");
    assert_eq!(
        rows[0],
        [
            "product",
            "booked",
            "no-shows",
            "visitors",
            "served",
            "closed out",
            "mean wait",
            "P90 wait",
            "served before appointment",
            "transaction time"
        ],
        "no deflection in the scenario, so no deflected column"
    );
    let expected = |name: &str, m: &ccsim::stats::summary_file::MetricMap| -> Vec<String> {
        vec![
            name.to_string(),
            count(m.get("booked")),
            count(m.get("no_shows")),
            count(m.get("offered")),
            count(m.get("answered")),
            count(m.get("closed_out")),
            seconds(m.get("asa")),
            seconds(m.get("wait_p90")),
            pct(m.get("served_early")),
            seconds(m.get("transaction_time")),
        ]
    };
    let products: Vec<&String> = h.themes.keys().collect();
    assert_eq!(products.len(), 6);
    assert_eq!(rows.len(), 1 + products.len() + 1, "{rows:?}");
    for (row, product) in rows[1..].iter().zip(&products) {
        assert_eq!(*row, expected(product, &h.themes[*product]["visit"]));
    }
    let total = rows.last().unwrap();
    assert_eq!(*total, expected("total", &h.channels["visit"]));
    // The walk-ins have no appointment and no P90 per product; the total has one.
    let urgent = rows.iter().find(|r| r[0] == "urgent").unwrap();
    assert_eq!((urgent[1].as_str(), urgent[8].as_str()), ("0", "–"));
    assert!(total[7].ends_with('s') && total[7] != "–");

    // The desks' utilisation with its CI.
    let desks = &h.pools["desks"]["occupancy"];
    assert!(
        text.contains(&format!(
            "Utilisation of the desks (pools that serve visits, [95% CI]): desks {}",
            pct_ci(Some(desks))
        )),
        "{text}"
    );

    // The week: one row per weekday with its share and the busiest hour.
    let week = table(&text, "Visits by weekday");
    assert_eq!(
        week[0],
        [
            "weekday",
            "days",
            "visitors",
            "share of visits [95% CI]",
            "mean wait",
            "P90 wait",
            "desk utilisation",
            "busiest hour"
        ]
    );
    assert_eq!(week.len(), 1 + s.weekdays.len());
    assert_eq!(
        s.weekdays
            .iter()
            .map(|w| w.weekday.as_str())
            .collect::<Vec<_>>(),
        ["mon", "tue", "wed", "thu", "fri"]
    );
    for (row, w) in week[1..].iter().zip(&s.weekdays) {
        let v = &w.figures.channels["visit"];
        let share = |h: &ccsim::stats::summary_file::HourFigures| {
            h.figures.channels["visit"]["visit_share"].mean.unwrap()
        };
        let busiest = w
            .hours
            .iter()
            .reduce(|a, b| if share(b) > share(a) { b } else { a })
            .unwrap();
        assert_eq!(
            *row,
            [
                w.weekday.clone(),
                w.days.to_string(),
                count(v.get("offered")),
                pct_ci(v.get("visit_share")),
                seconds(v.get("asa")),
                seconds(v.get("wait_p90")),
                pct(w.figures.pools["desks"].get("occupancy")),
                format!("{} ({:.1}%)", busiest.start, share(busiest) * 100.0),
            ]
        );
    }
    // Thursday evening is the Thursday's busiest hour, as the municipality publishes.
    let thursday = week.iter().find(|r| r[0] == "thu").unwrap();
    assert!(thursday[7].starts_with("18:00 ("), "{thursday:?}");
}

#[test]
fn deflection_gets_its_column_when_a_product_has_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fd");
    let text = run(
        FRONT_DESK,
        &out,
        &[
            "--set",
            "themes.other.deflection=0.3",
            "--set",
            "horizon.end=2021-10-01",
        ],
    );
    let s = summary(&out);
    let rows = table(&text, "Front desk (visits) over the horizon");
    let col = rows[0]
        .iter()
        .position(|c| c == "deflected")
        .expect("deflected column");
    assert_eq!(col, 3, "after booked and no-shows");
    let other = rows.iter().find(|r| r[0] == "other").unwrap();
    let deflected = s.horizon.themes["other"]["visit"].get("deflected");
    assert!(deflected.unwrap().mean.unwrap() > 0.0);
    assert_eq!(other[col], count(deflected));
    let eid = rows.iter().find(|r| r[0] == "eid_request").unwrap();
    assert_eq!(eid[col], "0");
}

#[test]
fn weekdays_csv_holds_the_weekday_figures_and_the_shares_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fd");
    run(FRONT_DESK, &out, &[]);
    let s = summary(&out);
    let rows = csv_rows(&out.join("weekdays.csv"));
    let header: Vec<&String> = rows[0].keys().collect();
    for column in [
        "weekday",
        "start",
        "scope",
        "name",
        "channel",
        "metric",
        "mean",
        "ci_low",
        "ci_high",
        "p5",
        "p50",
        "p95",
        "n",
        "few_replications",
    ] {
        assert!(header.iter().any(|h| *h == column), "{column} missing");
    }
    let text = fs::read_to_string(out.join("weekdays.csv")).unwrap();
    assert!(
        text.starts_with(
            "weekday,start,scope,name,channel,metric,mean,ci_low,ci_high,p5,p50,p95,n,few_replications\n"
        )
    );

    // Every estimate of the weekday figures is a row, and every row one of them.
    let mut expected = 0;
    for w in &s.weekdays {
        for f in std::iter::once(&w.figures).chain(w.hours.iter().map(|h| &h.figures)) {
            expected += f.channels.values().map(|m| m.len()).sum::<usize>()
                + f.pools.values().map(|m| m.len()).sum::<usize>();
        }
    }
    assert_eq!(rows.len(), expected);

    let mean = |r: &BTreeMap<String, String>| r["mean"].parse::<f64>().unwrap();
    let pick = |weekday: &str, start: &str, scope: &str, metric: &str| {
        rows.iter()
            .filter(|r| {
                r["weekday"] == weekday
                    && r["start"] == start
                    && r["scope"] == scope
                    && r["metric"] == metric
            })
            .collect::<Vec<_>>()
    };
    let mut sum = 0.0;
    for w in &s.weekdays {
        let rows = pick(&w.weekday, "", "channel", "visit_share");
        assert_eq!(rows.len(), 1);
        let json = &w.figures.channels["visit"]["visit_share"];
        // The same number, to the last bit, in both files.
        assert_eq!(mean(rows[0]), json.mean.unwrap(), "{}", w.weekday);
        assert_eq!(rows[0]["channel"], "visit");
        assert_eq!(rows[0]["n"], "5");
        for (key, value) in [("ci_low", json.ci_low), ("p95", json.p95)] {
            assert_eq!(rows[0][key].parse::<f64>().unwrap(), value.unwrap());
        }
        sum += mean(rows[0]);
        // Each replication's hour shares of a weekday add up to 1, so their
        // means do too.
        let hours: f64 = w
            .hours
            .iter()
            .map(|h| {
                let r = pick(&w.weekday, &h.start, "channel", "visit_share");
                assert_eq!(r.len(), 1, "{} {}", w.weekday, h.start);
                mean(r[0])
            })
            .sum();
        assert!((hours - 1.0).abs() < 1e-9, "{}: hours {hours}", w.weekday);
        // And the hours' visitors add up to the weekday's.
        let visitors = |start: &str| mean(pick(&w.weekday, start, "channel", "offered")[0]);
        let by_hour: f64 = w.hours.iter().map(|h| visitors(&h.start)).sum();
        assert!((by_hour - visitors("")).abs() < 1e-9 * visitors(""));
        // Pools carry their name and no channel.
        let pool = pick(&w.weekday, "", "pool", "occupancy");
        assert_eq!(pool.len(), 1);
        assert_eq!(
            (pool[0]["name"].as_str(), pool[0]["channel"].as_str()),
            ("desks", "")
        );
    }
    assert!((sum - 1.0).abs() < 1e-9, "weekday shares add up to {sum}");
    // The weekdays' visitors are the horizon's.
    let visitors: f64 = s
        .weekdays
        .iter()
        .map(|w| mean(pick(&w.weekday, "", "channel", "offered")[0]))
        .sum();
    let horizon = s.horizon.channels["visit"]["offered"].mean.unwrap();
    assert!(
        (visitors - horizon).abs() < 1e-9 * horizon,
        "{visitors} vs {horizon}"
    );
}

#[test]
fn the_visit_charts_are_drawn_deterministically_and_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("a");
    let second = dir.path().join("b");
    run(FRONT_DESK, &first, &[]);
    run(FRONT_DESK, &second, &[]);
    let s = summary(&first);
    assert_eq!(
        charts(&first),
        [
            "desk_utilisation_desks.svg",
            "occupancy_desks.svg",
            "theme_hours_cost.svg",
            "visits_by_weekday.svg",
            "wait_by_weekday_hour.svg",
            "wait_cdf.svg",
        ]
    );
    assert_same_files(&first, &second, "between runs");
    // `ccsim chart` draws the same files from the summary.
    let again = dir.path().join("again");
    ccsim()
        .arg("chart")
        .arg(first.join("summary.json"))
        .arg("--out")
        .arg(&again)
        .assert()
        .success();
    assert_same_files(&first, &again, "after ccsim chart");
    let a = files(&first);

    // The wait heatmap: a row per weekday, the mean wait in minutes in
    // every hour with visitors, nothing in the others.
    let svg = String::from_utf8(a[Path::new("charts/wait_by_weekday_hour.svg")].clone()).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    for day in ["Mon", "Tue", "Wed", "Thu", "Fri"] {
        assert!(texts.contains(&day), "{day} missing from the wait heatmap");
    }
    let mut waits = Vec::new();
    for w in &s.weekdays {
        for h in &w.hours {
            assert!(texts.contains(&h.start.as_str()), "{}", h.start);
            if let Some(asa) = h.figures.channels["visit"]["asa"].mean {
                waits.push(format!("{:.1}", asa / 60.0));
            }
        }
    }
    assert!(waits.len() > 20);
    // The numbers centred in the cells (the colour scale's are left-aligned).
    let mut written: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.attribute("text-anchor") == Some("middle"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .filter(|t| t.parse::<f64>().is_ok())
        .map(|t| t.to_string())
        .collect();
    waits.sort();
    written.sort();
    assert_eq!(written, waits);

    let util =
        String::from_utf8(a[Path::new("charts/desk_utilisation_desks.svg")].clone()).unwrap();
    assert!(util.contains("pool desks") && util.contains("Thu"));
    let bars = String::from_utf8(a[Path::new("charts/visits_by_weekday.svg")].clone()).unwrap();
    for w in &s.weekdays {
        let share = &w.figures.channels["visit"]["visit_share"];
        assert!(bars.contains(&format!("{:.1}%", share.mean.unwrap() * 100.0)));
    }

    // The report has every chart, the front-desk tables and the definitions.
    let html = String::from_utf8(a[Path::new("report.html")].clone()).unwrap();
    assert_eq!(html.matches("<svg").count(), charts(&first).len());
    for text in [
        "Front desk (visits)",
        "Visits by weekday",
        "Mean wait of visitors by weekday and hour",
        "Desk utilisation by weekday and hour: pool desks",
        "served_early",
        "visit_share",
        "transaction_time",
    ] {
        assert!(html.contains(text), "report.html lacks {text:?}");
    }

    // PNG on demand.
    let png = dir.path().join("png");
    run(FRONT_DESK, &png, &["--png"]);
    for name in [
        "visits_by_weekday",
        "wait_by_weekday_hour",
        "desk_utilisation_desks",
    ] {
        let bytes = fs::read(png.join("charts").join(format!("{name}.png"))).unwrap();
        assert!(bytes.starts_with(b"\x89PNG"), "{name}");
    }
}

#[test]
fn a_scenario_without_visits_writes_no_front_desk() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("q");
    let text = run("scenarios/quickstart.toml", &out, &[]);
    assert!(!out.join("weekdays.csv").exists());
    for name in charts(&out) {
        for visit in ["weekday", "desk_utilisation", "visits"] {
            assert!(!name.contains(visit), "{name}");
        }
    }
    assert!(!text.contains("Front desk") && !text.contains("Visits by weekday"));
    assert!(
        text.contains("Calls and chats over the horizon") && text.contains("Reachability per day")
    );
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert!(json.get("weekdays").is_none());
    assert!(json["scenario"]["channels"]["call"].get("pools").is_none());
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("Front desk") && !html.contains("visit_share"));
}

/// Calls on one line, walk-ins at a counter; the floaters serve both.
const MIXED: &str = r#"
name = "Phone line and counter"
[horizon]
start = 2021-04-12
days = 14
interval = "30m"
[lines.phone]
hours = { mon-fri = "09:00-17:00" }
[lines.counter]
hours = { mon-fri = "09:00-12:00", thu = "09:00-19:00" }
[channels.call]
patience = { dist = "exponential", mean = "3m" }
service_level_threshold = "60s"
[channels.visit]
service_level_threshold = "10m"
[themes.phone]
line = "phone"
volume.call = { per_day = 300 }
handle_time.call = { dist = "lognormal", mean = "4m", cv = 0.8 }
[themes.walkin]
line = "counter"
volume.visit = { per_day = 40 }
handle_time.visit = { dist = "lognormal", mean = "8m", cv = 0.5 }
[pools.agents]
agents = 5
skills = [{ themes = "phone", channels = "call" }]
[pools.desks]
agents = 2
skills = [{ themes = "walkin", channels = "visit" }]
[pools.floaters]
agents = 1
skills = [{ themes = "*", channels = ["call", "visit"] }]
"#;

#[test]
fn with_calls_and_visits_each_gets_its_own_tables_and_the_desks_their_charts() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("mixed.toml");
    fs::write(&scenario, MIXED).unwrap();
    let out = dir.path().join("m");
    let text = run(scenario.to_str().unwrap(), &out, &[]);
    let s = summary(&out);
    assert_eq!(s.scenario.channels["visit"].pools, ["desks", "floaters"]);
    assert!(s.scenario.channels["call"].pools.is_empty());

    let calls = table(&text, "Calls and chats over the horizon");
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[1][0], "call");
    let days = table(&text, "Reachability per day");
    assert_eq!(days[0], ["date", "day", "call reachability [95% CI]"]);

    let desk = table(&text, "Front desk (visits) over the horizon");
    // Walk-ins only: no appointment columns.
    assert_eq!(
        desk[0],
        [
            "product",
            "visitors",
            "served",
            "closed out",
            "mean wait",
            "P90 wait",
            "transaction time"
        ]
    );
    assert_eq!(desk[1][0], "walkin");
    assert_eq!(
        desk[1][1],
        count(s.horizon.themes["walkin"]["visit"].get("offered"))
    );
    let week = table(&text, "Visits by weekday");
    assert_eq!(
        &week[0][6..],
        ["desks utilisation", "floaters utilisation", "busiest hour"]
    );
    for pool in ["desks", "floaters"] {
        let u = pct_ci(s.horizon.pools[pool].get("occupancy"));
        assert!(text.contains(&format!("{pool} {u}")), "{pool}");
    }

    let names = charts(&out);
    assert!(names.contains(&"desk_utilisation_desks.svg".to_string()));
    assert!(names.contains(&"desk_utilisation_floaters.svg".to_string()));
    assert!(!names.contains(&"desk_utilisation_agents.svg".to_string()));
    // The call charts stay, for the calls.
    for name in [
        "intraday_reachability.svg",
        "interval_flow.svg",
        "daily_reachability.svg",
    ] {
        assert!(names.contains(&name.to_string()), "{name}");
    }
}
