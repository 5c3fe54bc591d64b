//! `ccsim compare` with N plans against a baseline: each plan's figures and
//! differences are those of the pairwise comparisons, bit for bit; a plan
//! identical to the baseline differs by exactly zero; extra support and
//! staff cost are shown as a run reports them; `report.html` carries the
//! table; a bad `--plan` is refused with an exact message.

use assert_cmd::Command;
use ccsim::model::Channel;
use ccsim::montecarlo::{self, RunOptions, RunResult};
use ccsim::planning::compare::{Comparison, Side, compare, compare_plans};
use ccsim::planning::{FigureKey, FigureLevel, ScopeKind};
use ccsim::scenario::{Scenario, load_with, overrides::Override};
use ccsim::stats::{Estimate, Metric};
use serde_json::Value;
use std::path::Path;

const QUICKSTART: &str = "scenarios/quickstart.toml";
/// Two extra agents on the Tuesday and Wednesday of the quickstart's week.
const EXTRA: &str = "pools.agents.extra=[{ from = 2021-04-13, to = 2021-04-14, agents = 2, hours = \"09:00-17:00\", price_per_hour = 38.5 }]";

fn load(sets: &[&str]) -> Scenario {
    let sets: Vec<Override> = sets.iter().map(|s| s.parse().unwrap()).collect();
    load_with(Some(Path::new(QUICKSTART)), &sets).unwrap()
}

fn run(s: &Scenario) -> RunResult {
    let opts = RunOptions {
        replications: 8,
        seed: 17,
        threads: None,
    };
    montecarlo::run(&s.model, opts, &|| {}).unwrap()
}

fn side(label: &str) -> Side {
    Side {
        label: label.into(),
        scenario: String::new(),
        hash: String::new(),
    }
}

fn ccsim() -> Command {
    Command::cargo_bin("ccsim").unwrap()
}

fn horizon(scope: ScopeKind, name: &str, channel: Option<Channel>, metric: Metric) -> FigureKey {
    FigureKey {
        name: name.into(),
        ..FigureKey::horizon(scope, channel, metric)
    }
}

#[test]
fn three_plans_equal_the_pairwise_comparisons_bit_for_bit() {
    let price = "pools.agents.hour_price=31.25";
    let a = load(&[price]);
    let b = load(&[price, "pools.agents.agents=10"]);
    // C adds extra support the baseline lacks: its figures are compared
    // against A's zero.
    let c = load(&[price, "pools.agents.agents=8", EXTRA]);
    let (ra, rb, rc) = (run(&a), run(&b), run(&c));
    let three = compare_plans(vec![
        (&a.model, &ra, side("A"), None),
        (&b.model, &rb, side("B"), None),
        (&c.model, &rc, side("C"), Some("fewer with extra".into())),
    ])
    .unwrap();
    let ab = compare((&a.model, &ra, side("A")), (&b.model, &rb, side("B"))).unwrap();
    let ac = compare((&a.model, &ra, side("A")), (&c.model, &rc, side("C"))).unwrap();
    assert_eq!(three.plans.len(), 3);
    // Every figure both pairwise comparisons have is in the three-plan one;
    // the others are C's extra support, which A and B have as zero.
    for r in &ab.rows {
        if ac.row(&r.key).is_some() {
            assert!(three.row(&r.key).is_some(), "{:?}", r.key);
        }
    }
    assert!(three.rows.len() > 200, "{}", three.rows.len());
    let bits = |e: Option<&Estimate>| {
        let e = e.unwrap();
        [e.mean, e.ci_low, e.ci_high, e.p5, e.p50, e.p95].map(|x| x.map(f64::to_bits))
    };
    let mut only_c = 0;
    for r in &three.rows {
        let y = ac.row(&r.key).unwrap();
        assert_eq!(bits(r.estimate(0)), bits(Some(&y.a)), "{:?}", r.key);
        assert_eq!(bits(r.estimate(2)), bits(Some(&y.b)), "{:?}", r.key);
        assert_eq!(
            bits(r.difference(2)),
            bits(Some(&y.difference)),
            "{:?}",
            r.key
        );
        let Some(x) = ab.row(&r.key) else {
            only_c += 1;
            assert!(
                [Metric::ExtraHours, Metric::ExtraCost].contains(&r.key.metric),
                "{:?}",
                r.key
            );
            assert_eq!(r.estimate(0).unwrap().mean, Some(0.0));
            assert_eq!(r.estimate(1).unwrap().mean, Some(0.0));
            continue;
        };
        assert_eq!(bits(r.estimate(0)), bits(Some(&x.a)), "{:?}", r.key);
        assert_eq!(bits(r.estimate(1)), bits(Some(&x.b)), "{:?}", r.key);
        assert_eq!(
            bits(r.difference(1)),
            bits(Some(&x.difference)),
            "{:?}",
            r.key
        );
        // The legacy fields are the baseline and B.
        assert_eq!(r.a, x.a);
        assert_eq!(r.b, x.b);
        assert_eq!(r.difference, x.difference);
    }
    // Extra hours and cost of the pool at every level, and the total's cost.
    assert!(only_c > 0);
    // The extra support of C is there, against A's (and B's) zero.
    let extra = three
        .row(&horizon(
            ScopeKind::Pool,
            "agents",
            None,
            Metric::ExtraHours,
        ))
        .unwrap();
    assert_eq!(extra.estimate(0).unwrap().mean, Some(0.0));
    assert_eq!(extra.estimate(1).unwrap().mean, Some(0.0));
    // Two agents, 8 hours, two days.
    assert_eq!(extra.estimate(2).unwrap().mean, Some(32.0));
    assert_eq!(extra.difference(2).unwrap().mean, Some(32.0));
}

#[test]
fn extra_support_and_staff_cost_are_what_run_reports() {
    let a = load(&["pools.agents.hour_price=31.25"]);
    let b = load(&["pools.agents.hour_price=31.25", EXTRA]);
    let (ra, rb) = (run(&a), run(&b));
    let c = compare((&a.model, &ra, side("A")), (&b.model, &rb, side("B"))).unwrap();
    let from_run = |s: &Scenario, r: &RunResult, key: &FigureKey| -> Option<Estimate> {
        r.layout
            .entries
            .iter()
            .position(|e| FigureKey::of(&s.model, e).as_ref() == Some(key))
            .map(|i| r.estimates[i])
    };
    for (scope, name, metric) in [
        (ScopeKind::Pool, "agents", Metric::ExtraHours),
        (ScopeKind::Pool, "agents", Metric::ExtraCost),
        (ScopeKind::Total, "", Metric::ExtraCost),
    ] {
        let key = horizon(scope, name, None, metric);
        let row = c.row(&key).unwrap_or_else(|| panic!("{key:?} missing"));
        assert_eq!(Some(row.b), from_run(&b, &rb, &key), "{key:?}");
        // A has no extra support: exactly zero, with a zero-width CI.
        assert_eq!(from_run(&a, &ra, &key), None);
        assert_eq!(
            (row.a.mean, row.a.ci_low, row.a.ci_high),
            (Some(0.0), Some(0.0), Some(0.0))
        );
    }
    assert_eq!(
        c.row(&horizon(ScopeKind::Pool, "agents", None, Metric::ExtraCost))
            .unwrap()
            .b
            .mean,
        Some(32.0 * 38.5)
    );
    // The staff cost: scheduled hours × hour_price, replication by
    // replication, exactly (a run reports it as a row of the same key once
    // it has it; until then the comparison computes it the same way).
    let hours = horizon(ScopeKind::Pool, "agents", None, Metric::ScheduledHours);
    let i = rb
        .layout
        .entries
        .iter()
        .position(|e| FigureKey::of(&b.model, e).as_ref() == Some(&hours))
        .unwrap();
    let cost: Vec<f64> = rb.column(i).iter().map(|h| h * 31.25).collect();
    let want = Estimate::of(Metric::StaffCost.bounds(), &cost);
    for scope in [ScopeKind::Pool, ScopeKind::Total] {
        let name = if scope == ScopeKind::Pool {
            "agents"
        } else {
            ""
        };
        let key = horizon(scope, name, None, Metric::StaffCost);
        let row = c.row(&key).unwrap();
        assert_eq!(row.b, want, "{key:?}");
        if let Some(run) = from_run(&b, &rb, &key) {
            assert_eq!(row.b, run, "{key:?}");
        }
    }
    // 9 agents, 10 hours a day, 5 days.
    assert_eq!(want.mean, Some(450.0 * 31.25));
}

fn json(args: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    let mut all: Vec<&str> = vec!["compare", "-q", "-r", "6"];
    all.extend(args);
    all.extend(["--json", path.to_str().unwrap()]);
    ccsim().args(&all).assert().success();
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// The keys of a JSON object, sorted.
fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[test]
fn a_two_plan_comparison_keeps_its_layout_and_a_named_plan_equals_it() {
    let two = json(&[QUICKSTART, "--set-b", "pools.agents.agents=10"]);
    assert_eq!(
        keys(&two),
        [
            "a",
            "b",
            "ccsim_version",
            "replications",
            "rows",
            "schema_version",
            "seed"
        ]
    );
    assert_eq!(two["schema_version"], 1);
    let row = &two["rows"][0];
    assert_eq!(
        keys(row),
        [
            "a",
            "b",
            "channel",
            "difference",
            "level",
            "metric",
            "name",
            "period",
            "scope"
        ]
    );
    // The same plans by --plan, with a third: B's figures are the same
    // numbers, and C's are those of comparing A with C alone.
    let three = json(&[
        QUICKSTART,
        "--plan",
        "ten=--set pools.agents.agents=10",
        "--plan",
        "eight=--set pools.agents.agents=8",
    ]);
    let ac = json(&[QUICKSTART, "--set-b", "pools.agents.agents=8"]);
    assert_eq!(three["plans"][1]["name"], "ten");
    assert_eq!(three["plans"][2]["letter"], "C");
    let rows = three["rows"].as_array().unwrap();
    assert_eq!(rows.len(), two["rows"].as_array().unwrap().len());
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r["a"], two["rows"][i]["a"]);
        assert_eq!(r["b"], two["rows"][i]["b"]);
        assert_eq!(r["difference"], two["rows"][i]["difference"]);
        assert_eq!(r["plans"][1]["estimate"], two["rows"][i]["b"]);
        assert_eq!(r["plans"][1]["difference"], two["rows"][i]["difference"]);
        assert_eq!(r["plans"][2]["estimate"], ac["rows"][i]["b"]);
        assert_eq!(r["plans"][2]["difference"], ac["rows"][i]["difference"]);
        assert!(r["plans"][0].get("difference").is_none());
    }
}

#[test]
fn a_plan_identical_to_the_baseline_differs_by_exactly_zero() {
    // The quickstart has 9 agents: the plan sets what is already there.
    let c = json(&[
        QUICKSTART,
        "--plan",
        "same=--set pools.agents.agents=9",
        "--plan",
        "more=--set pools.agents.agents=11",
    ]);
    let mut seen = 0;
    for r in c["rows"].as_array().unwrap() {
        let d = &r["plans"][1]["difference"];
        if d["mean"].is_null() {
            continue;
        }
        seen += 1;
        assert_eq!(d["mean"], 0.0, "{r}");
        assert_eq!(d["ci_low"], 0.0, "{r}");
        assert_eq!(d["ci_high"], 0.0, "{r}");
        assert_eq!(r["plans"][1]["estimate"], r["plans"][0]["estimate"], "{r}");
    }
    assert!(seen > 100, "{seen}");
}

#[test]
fn report_html_carries_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let json_path = dir.path().join("c.json");
    ccsim()
        .args([
            "compare",
            QUICKSTART,
            "-q",
            "-r",
            "5",
            "--set",
            "pools.agents.hour_price=30",
            "--plan",
            "ten agents=--set pools.agents.agents=10",
            "--plan",
            "eight agents=--set pools.agents.agents=8",
            "--out",
            out.to_str().unwrap(),
            "--json",
            json_path.to_str().unwrap(),
        ])
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let c: Value = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert!(html.contains("ten agents") && html.contains("eight agents"));
    let pct = |x: &Value| format!("{:.1}%", x.as_f64().unwrap() * 100.0);
    let pp = |x: &Value| {
        let v = x.as_f64().unwrap() * 100.0;
        let sign = if v > 0.0 {
            "+"
        } else if v < 0.0 {
            "−"
        } else {
            ""
        };
        format!("{sign}{:.1} pp", v.abs())
    };
    let row = c["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["level"] == "horizon" && r["channel"] == "call" && r["metric"] == "reachability"
        })
        .unwrap();
    for i in 0..3 {
        let e = &row["plans"][i]["estimate"];
        let text = format!(
            "{} [{}, {}]",
            pct(&e["mean"]),
            pct(&e["ci_low"]),
            pct(&e["ci_high"])
        );
        assert!(html.contains(&text), "{text} not in report.html");
    }
    for i in 1..3 {
        let d = &row["plans"][i]["difference"];
        let text = format!(
            "{} [{}, {}]",
            pp(&d["mean"]),
            pp(&d["ci_low"]),
            pp(&d["ci_high"])
        );
        assert!(html.contains(&text), "{text} not in report.html");
    }
    // The staff cost of C: 8 agents × 50 hours × 30.
    assert!(html.contains("€ 12,000 [€ 12,000, € 12,000]"));
    // The charts are in the page.
    assert!(html.contains("<svg") && html.contains("Each plan − A"));
    for f in [
        "comparison.json",
        "comparison.csv",
        "difference_by_time_of_day.svg",
        "difference_by_time_of_day_c.svg",
        "differences.svg",
        "cost_differences.svg",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    let csv = std::fs::read_to_string(out.join("comparison.csv")).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(
        ",c_mean,c_ci_low,c_ci_high,c_difference_mean,c_difference_ci_low,c_difference_ci_high"
    ));
}

#[test]
fn a_bad_plan_is_refused_with_an_exact_message() {
    let cases = [
        (
            "no name here",
            "no `=` after the plan's name: write it as NAME=[SCENARIO] --set PATH=VALUE ..., e.g. 'extra staff=--set pools.frontline.scale=1.1'",
        ),
        (
            "=--set pools.agents.agents=10",
            "the plan has no name: write it as NAME=[SCENARIO] --set PATH=VALUE ..., e.g. 'extra staff=--set pools.frontline.scale=1.1'",
        ),
        (
            "x=",
            "plan `x` changes nothing: give it a scenario file or at least one --set PATH=VALUE",
        ),
        (
            "x=--set",
            "plan `x`: `--set` at the end needs PATH=VALUE after it",
        ),
        (
            "x=--sett pools.agents.agents=10",
            "plan `x`: expected `--set PATH=VALUE` or a scenario file, found `--sett`",
        ),
        (
            "x=--set pools.agents.agents=10 pools.agents.agents=11",
            "plan `x`: expected `--set PATH=VALUE`, found `pools.agents.agents=11`",
        ),
        (
            "x=--set pools.agents.agents",
            "plan `x`: --set pools.agents.agents: write it as PATH=VALUE, e.g. pools.frontline.agents=45",
        ),
        (
            "x=--set 'pools.agents.agents=10",
            "plan `x`: unbalanced quotes in `--set 'pools.agents.agents=10`",
        ),
    ];
    for (plan, reason) in cases {
        let out = ccsim()
            .args(["compare", QUICKSTART, "--plan", plan])
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = String::from_utf8(out.stderr).unwrap();
        let want = format!("error: invalid value '{plan}' for '--plan <NAME=CHANGES>': {reason}\n");
        assert!(
            stderr.starts_with(&want),
            "{plan}:\n{stderr}\nwanted:\n{want}"
        );
    }
    // Checked against the scenario: named after the plan.
    let out = ccsim()
        .args([
            "compare",
            QUICKSTART,
            "--plan",
            "x=--set pools.agents.agents=10",
            "--plan",
            "x=--set pools.agents.agents=11",
        ])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: two plans are named `x`: give each --plan a name of its own\n"
    );
    let out = ccsim()
        .args(["compare", QUICKSTART, "--plan", "x=missing.toml"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error: plan `x`: ") && stderr.contains("missing.toml"),
        "{stderr}"
    );
}

#[test]
fn comparisons_list_their_plans_with_letters() {
    let c = Comparison {
        schema_version: 1,
        ccsim_version: String::new(),
        a: side("base"),
        b: side("other"),
        plans: Vec::new(),
        seed: 1,
        replications: 1,
        rows: Vec::new(),
    };
    let sides = c.sides();
    assert_eq!(sides.len(), 2);
    assert_eq!((sides[0].0.as_str(), sides[1].1), ("A", "other"));
    assert_eq!(ccsim::planning::compare::letter(0), "A");
    assert_eq!(ccsim::planning::compare::letter(25), "Z");
    assert_eq!(ccsim::planning::compare::letter(26), "AA");
    assert_eq!(ccsim::planning::compare::letter(27), "AB");
    let _ = FigureLevel::Horizon;
}
