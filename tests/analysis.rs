//! Comparisons and sweeps: common random numbers make paired differences
//! precise and staffing curves monotone.

use assert_cmd::Command;
use ccsim::model::Channel;
use ccsim::montecarlo::{self, RunOptions};
use ccsim::planning::compare::{Side, compare};
use ccsim::planning::sweep;
use ccsim::planning::{FigureKey, ScopeKind};
use ccsim::scenario::{load_with, overrides::Override};
use ccsim::stats::{Level, Metric, Scope};
use std::path::Path;

const QUICKSTART: &str = "scenarios/quickstart.toml";

fn set(text: &str) -> Override {
    text.parse().unwrap()
}

fn side(label: &str) -> Side {
    Side {
        label: label.into(),
        scenario: String::new(),
        hash: String::new(),
    }
}

fn opts(seed: u64) -> RunOptions {
    RunOptions {
        replications: 20,
        seed,
        threads: None,
    }
}

#[test]
fn paired_difference_is_far_narrower_than_two_independent_runs() {
    let path = Some(Path::new(QUICKSTART));
    let a = load_with(path, &[]).unwrap();
    let b = load_with(path, &[set("pools.agents.agents=10")]).unwrap();
    let run_a = montecarlo::run(&a.model, opts(5), &|| {}).unwrap();
    let run_b = montecarlo::run(&b.model, opts(5), &|| {}).unwrap();
    let c = compare((&a.model, &run_a, side("A")), (&b.model, &run_b, side("B"))).unwrap();
    let row = c
        .row(&FigureKey::horizon(
            ScopeKind::Channel,
            Some(Channel::Call),
            Metric::Reachability,
        ))
        .unwrap();
    let paired = row.difference.ci_high.unwrap() - row.difference.ci_low.unwrap();
    // The same B with other random numbers: the CI of a difference of
    // independent means is sqrt(hw_a² + hw_b²) wide (both t-based, n = 20).
    let run_b_indep = montecarlo::run(&b.model, opts(6), &|| {}).unwrap();
    let c_indep = compare(
        (&b.model, &run_b_indep, side("B'")),
        (&b.model, &run_b_indep, side("B'")),
    )
    .unwrap();
    let width = |e: &ccsim::stats::Estimate| e.ci_high.unwrap() - e.ci_low.unwrap();
    let independent = width(&row.a).hypot(width(
        &c_indep
            .row(&FigureKey::horizon(
                ScopeKind::Channel,
                Some(Channel::Call),
                Metric::Reachability,
            ))
            .unwrap()
            .a,
    ));
    eprintln!(
        "call reachability B − A: paired 95% CI width {paired:.5}, independent {independent:.5}"
    );
    assert!(
        paired < 0.5 * independent,
        "paired CI width {paired:.5} vs independent {independent:.5}"
    );
    // And the difference is real: one more agent answers more calls.
    assert!(row.difference.ci_low.unwrap() > 0.0);
}

#[test]
fn identical_sides_differ_by_exactly_zero() {
    let path = Some(Path::new(QUICKSTART));
    let a = load_with(path, &[]).unwrap();
    let run = montecarlo::run(&a.model, opts(9), &|| {}).unwrap();
    let again = montecarlo::run(&a.model, opts(9), &|| {}).unwrap();
    let c = compare((&a.model, &run, side("A")), (&a.model, &again, side("A"))).unwrap();
    assert!(c.rows.len() > 100);
    for r in &c.rows {
        if let Some(m) = r.difference.mean {
            assert_eq!(m, 0.0, "{:?}", r.key);
        }
    }
}

#[test]
fn more_agents_never_lower_the_swept_reachability() {
    let vary: sweep::Parameter = "pools.agents.agents=5..12:1".parse().unwrap();
    let s = sweep::run(Some(Path::new(QUICKSTART)), &[], &[vary], opts(3), &|| {}).unwrap();
    assert_eq!(s.points.len(), 8);
    let reach: Vec<f64> = s
        .points
        .iter()
        .map(|p| {
            p.horizon
                .mean(Level::Horizon, Scope::Total, Metric::Reachability)
                .unwrap()
        })
        .collect();
    for w in reach.windows(2) {
        assert!(w[1] >= w[0], "reachability fell: {reach:?}");
    }
    // The points carry their settings, and agent hours follow them exactly.
    for p in &s.points {
        let agents = p.settings["pools.agents.agents"];
        let agents_pool = Scope::Pool(p.horizon.pool("agents").unwrap());
        let hours = p
            .horizon
            .mean(Level::Horizon, agents_pool, Metric::ScheduledHours)
            .unwrap();
        assert_eq!(hours, agents * 50.0);
    }
}

#[test]
fn a_two_parameter_sweep_covers_the_grid_and_thread_count_does_not_matter() {
    let params: Vec<sweep::Parameter> = ["pools.agents.agents=8..9:1", "scale.volume=1.0..1.2:0.2"]
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
    let one = sweep::run(
        Some(Path::new(QUICKSTART)),
        &[],
        &params,
        RunOptions {
            threads: Some(1),
            replications: 4,
            seed: 1,
        },
        &|| {},
    )
    .unwrap();
    let two = sweep::run(
        Some(Path::new(QUICKSTART)),
        &[],
        &params,
        RunOptions {
            threads: Some(2),
            replications: 4,
            seed: 1,
        },
        &|| {},
    )
    .unwrap();
    assert_eq!(one, two);
    let settings: Vec<Vec<f64>> = one
        .points
        .iter()
        .map(|p| p.settings.values().copied().collect())
        .collect();
    assert_eq!(
        settings,
        vec![
            vec![8.0, 1.0],
            vec![8.0, 1.2],
            vec![9.0, 1.0],
            vec![9.0, 1.2]
        ]
    );
}

#[test]
fn compare_without_a_difference_and_bad_ranges_are_explained() {
    let out = Command::cargo_bin("ccsim")
        .unwrap()
        .args(["compare", QUICKSTART])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8(out).unwrap().contains(
        "error: B would be the same as A: give a second scenario, change one side with --set-a/--set-b, or add plans with --plan"
    ));
    let out = Command::cargo_bin("ccsim")
        .unwrap()
        .args(["sweep", QUICKSTART, "--vary", "pools.agents.agents=12..6:1"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("--vary pools.agents.agents=12..6:1: TO must not be below FROM")
    );
    // A point whose scenario is invalid is reported with its path.
    let out = Command::cargo_bin("ccsim")
        .unwrap()
        .args([
            "sweep",
            QUICKSTART,
            "--vary",
            "pools.agents.shrinkage=0..1:0.5",
            "-q",
        ])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8(out).unwrap().contains(
        "`pools.agents.shrinkage`: must be a share from 0 up to (not including) 1, got 1"
    ));
}
