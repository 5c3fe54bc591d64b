//! What the report's charts and page show (issue 15, items 10 and 14): the
//! daily reachability total leaves out days without calls or chats, figures
//! that few replications define are not drawn, the occupancy heatmap's
//! colours span the data, the definitions list only the figures the run has,
//! and one replication is "1 replication".

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use ccsim::model::Channel;
use ccsim::report::charts::{
    AnyChart, DailyReachability, EmailBacklog, ImageFormat, OccupancyHeatmap,
};
use ccsim::stats::{Level, Metric, RunResults, Scope, SummaryFile};

const Q: &str = "scenarios/quickstart.toml";

/// Runs Q (from a Monday: calls on weekdays, e-mails every day) for `days`
/// days into `dir` and returns its results.
fn run_q(dir: &Path, replications: &str, days: &str) -> RunResults {
    Command::cargo_bin("ccsim")
        .unwrap()
        .args(["run", Q, "-r", replications, "-s", "3", "--quiet"])
        .args(["--set", &format!("horizon.days={days}"), "--out"])
        .arg(dir)
        .assert()
        .success();
    let text = fs::read_to_string(dir.join("summary.json")).unwrap();
    let file: SummaryFile = serde_json::from_str(&text).unwrap();
    RunResults::from_file(&file).unwrap()
}

fn series<'a>(chart: &'a DailyReachability, label: &str) -> &'a ccsim::report::charts::DailySeries {
    chart.series.iter().find(|s| s.label == label).unwrap()
}

#[test]
fn the_daily_total_leaves_out_days_without_calls_or_chats() {
    let dir = tempfile::tempdir().unwrap();
    // Two weeks, so that the first weekend's e-mails meet their deadline
    // within the horizon.
    let results = run_q(&dir.path().join("q"), "4", "14");
    let chart = DailyReachability::of(&results).unwrap();
    let (total, call, email) = (
        series(&chart, "total"),
        series(&chart, "call"),
        series(&chart, "email"),
    );
    // Saturday and Sunday: e-mails only.
    let weekend: Vec<usize> = (0..7).filter(|&d| call.mean[d].is_nan()).collect();
    assert_eq!(weekend, [5, 6]);
    for d in weekend {
        assert!(email.mean[d].is_finite(), "e-mail on day {d}");
        assert!(
            total.mean[d].is_nan() && total.p5[d].is_nan() && total.p95[d].is_nan(),
            "day {d}: the total of a day with e-mails only is drawn at {} (e-mail {})",
            total.mean[d],
            email.mean[d]
        );
    }
    assert!(total.mean[..5].iter().all(|v| v.is_finite()));
}

#[test]
fn figures_few_replications_define_are_not_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let mut results = run_q(&dir.path().join("q"), "4", "7");
    // E-mail reachability on Wednesday defined by 1 of 4 replications.
    let wednesday = (
        Level::Day(2),
        Scope::Channel(Channel::Email),
        Metric::Reachability,
    );
    let i = results
        .figures()
        .position(|(e, _)| (e.level, e.scope, e.metric) == wednesday)
        .unwrap();
    results.estimates_mut()[i].n = 1;
    let daily = DailyReachability::of(&results).unwrap();
    let email = series(&daily, "email");
    assert!(
        email.mean[2].is_nan() && email.p5[2].is_nan() && email.p95[2].is_nan(),
        "daily chart draws a figure 1 of 4 replications define: {} [{}, {}]",
        email.mean[2],
        email.p5[2],
        email.p95[2]
    );
    assert!(email.mean[1].is_finite() && email.mean[3].is_finite());
    let backlog = EmailBacklog::of(&results).unwrap();
    let sla = &backlog.within_sla;
    assert!(
        sla.mean[2].is_nan() && sla.low[2].is_nan() && sla.high[2].is_nan(),
        "backlog chart draws a figure 1 of 4 replications define: {} [{}, {}]",
        sla.mean[2],
        sla.low[2],
        sla.high[2]
    );
    assert!(sla.mean[1].is_finite() && backlog.backlog.mean[2].is_finite());
    // Exactly half still counts as defined (the rule is 2·n < R).
    results.estimates_mut()[i].n = 2;
    assert!(series(&DailyReachability::of(&results).unwrap(), "email").mean[2].is_finite());
}

/// The texts of an SVG.
fn texts(svg: &[u8]) -> Vec<String> {
    let svg = String::from_utf8(svg.to_vec()).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect()
}

#[test]
fn the_occupancy_heatmap_scale_spans_the_data() {
    let days = 10;
    let slots: Vec<u32> = (18..38).map(|k| k * 30).collect();
    let values = (0..days)
        .map(|d| {
            (0..slots.len())
                .map(|j| 0.955 + 0.003 * ((d * 7 + j * 3) % 11) as f64)
                .collect()
        })
        .collect();
    let chart = OccupancyHeatmap {
        scenario: "busy".into(),
        pool: "frontline".into(),
        dates: (0..days)
            .map(|d| {
                chrono::NaiveDate::from_ymd_opt(2021, 6, 1).unwrap() + chrono::Days::new(d as u64)
            })
            .collect(),
        slots,
        values,
        period: Default::default(),
    };
    let svg = chart.render(ImageFormat::Svg).unwrap();
    let marks: Vec<f64> = texts(&svg)
        .iter()
        .filter_map(|t| t.strip_suffix('%')?.parse::<f64>().ok())
        .collect();
    assert!(marks.len() >= 2, "{marks:?}");
    let lowest = marks.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(
        (90.0..=95.5).contains(&lowest),
        "occupancy between 95.5% and 98.5% on a scale from {lowest}%: {marks:?}"
    );
    assert!(
        chart.caption().contains("95%") && chart.caption().contains("100%"),
        "{}",
        chart.caption()
    );
}

#[test]
fn the_page_defines_only_the_run_s_figures_and_counts_one_replication() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("q");
    run_q(&out, "1", "7");
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    for present in ["reachability", "backlog", "occupancy", "asa", "blocked"] {
        assert!(html.contains(&format!("<dt>{present}</dt>")), "{present}");
    }
    for absent in [
        "sent_away",
        "callbacks",
        "transfers_in",
        "redials",
        "caller_reachability",
        "absent_hours",
        "extra_hours",
        "extra_cost",
        "visits",
    ] {
        assert!(
            !html.contains(&format!("<dt>{absent}</dt>")),
            "Q has no {absent}, yet the page defines it"
        );
    }
    assert!(
        html.contains("<td>1 replication (seed 3)</td>"),
        "{}",
        &html[html.find("Replications").unwrap()..][..80]
    );
}
