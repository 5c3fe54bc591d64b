//! `ccsim staff`: the optimiser against Erlang A, its final check, its TOML
//! fragment, and its messages.

mod common;

use assert_cmd::Command;
use ccsim::planning::{self, Per, StaffOptions, Target};
use ccsim::scenario;
use ccsim::stats::{InSystem, Recorder};

fn options(targets: &[&str], replications: u32) -> StaffOptions {
    StaffOptions {
        targets: targets
            .iter()
            .map(|t| t.parse::<Target>().unwrap())
            .collect(),
        per: Per::Interval,
        pools: Vec::new(),
        plan: ccsim::planning::PlanKind::PerDate,
        replications,
        check_replications: replications,
        seed: 7,
        threads: None,
        max_iterations: 40,
    }
}

#[test]
fn stationary_load_is_staffed_as_erlang_a_says_within_one_agent() {
    // 12 Erlang (144 calls an hour, 5-minute handle time), 3-minute patience,
    // a 24/7 line for two days with one-hour intervals.
    let (erlangs, aht, patience) = (12.0, 300.0, 180.0);
    let model = common::parse(&common::stationary_text(
        10,
        erlangs,
        aht,
        Some(patience),
        60.0,
        2,
    ));
    for (target, check) in [
        (
            "reachability>=0.9",
            Box::new(|f: &ccsim::erlang::QueueFigures| f.reachability >= 0.9)
                as Box<dyn Fn(&ccsim::erlang::QueueFigures) -> bool>,
        ),
        (
            "service_level(20s)>=0.8",
            Box::new(|f: &ccsim::erlang::QueueFigures| f.service_level >= 0.8),
        ),
    ] {
        let threshold = if target.starts_with("service") {
            20.0
        } else {
            60.0
        };
        let erlang_a = ccsim::erlang::agents_for_erlang_a(
            erlangs / aht,
            aht,
            patience,
            threshold,
            1000,
            check,
        )
        .unwrap();
        let result = planning::optimise(&model, &options(&[target], 40), &|_| {}).unwrap();
        for (i, &n) in result.plans[0].interval_staffing.iter().enumerate() {
            assert!(
                n.abs_diff(erlang_a) <= 1,
                "{target}: interval {i} has {n} agents, Erlang A {erlang_a}: {:?}",
                result.plans[0].interval_staffing
            );
        }
        assert!(result.check.targets[0].met, "{target}: {:?}", result.check);
    }
}

#[test]
fn the_final_check_of_a_time_varying_scenario_meets_the_targets() {
    let model = scenario::parse_str(scenario::QUICKSTART, "quickstart.toml", None)
        .unwrap()
        .model;
    let result = planning::optimise(
        &model,
        &options(&["reachability>=0.9", "service_level(60s)>=0.75"], 30),
        &|_| {},
    )
    .unwrap();
    assert!(result.iterations.converged, "{:?}", result.iterations);
    for t in &result.check.targets {
        assert!(t.met, "{t:?}");
        assert_eq!(t.intervals_clearly_below, 0, "{t:?}");
        // Over the horizon the target is met with room: every interval is.
        assert!(t.horizon.ci_low.unwrap() >= t.value, "{t:?}");
        assert!(t.intervals > 40, "{t:?}");
    }
    // The staffing varies over the day: the morning peak needs more agents.
    let monday = &result.plans[0].weekly.available[0];
    let (lo, hi) = (
        monday.iter().filter(|&&n| n > 0).min().unwrap(),
        monday.iter().max().unwrap(),
    );
    assert!(hi > lo, "{monday:?}");
    // Fewer agent hours than a flat staffing at the peak.
    assert!(
        result.plans[0].agent_hours < f64::from(*hi) * 50.0,
        "{}",
        result.plans[0].agent_hours
    );
}

#[test]
fn the_toml_fragment_pastes_into_the_scenario_and_gives_the_same_staffing() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("ccsim")
        .unwrap()
        .args([
            "staff",
            "scenarios/quickstart.toml",
            "--target",
            "reachability>=0.9",
            "-r",
            "10",
            "-q",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("Final check"));
    let fragment = std::fs::read_to_string(dir.path().join("weekly-agents.toml")).unwrap();
    assert!(fragment.contains("[pools.agents.staffing]"), "{fragment}");
    // Paste it in place of the pool's `agents = 9`.
    let original = std::fs::read_to_string("scenarios/quickstart.toml").unwrap();
    let (before, after) = original.split_once("agents = 9").unwrap();
    let after = after.split_once('\n').unwrap().1;
    let (pool_rest, tail) = after.split_once("\n[targets]").unwrap();
    let pasted = format!("{before}{pool_rest}\n{fragment}\n[targets]{tail}");
    let path = dir.path().join("pasted.toml");
    std::fs::write(&path, &pasted).unwrap();
    for file in [path.clone(), dir.path().join("scenario.toml")] {
        Command::cargo_bin("ccsim")
            .unwrap()
            .arg("validate")
            .arg(&file)
            .assert()
            .success()
            .stdout(predicates::str::contains("valid"));
    }
    // The pasted scenario staffs exactly the pattern of the check.
    let check: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("check.json")).unwrap())
            .unwrap();
    let model = scenario::parse_str(&pasted, "pasted.toml", None)
        .unwrap()
        .model;
    let per_day = model.calendar.intervals_per_day as usize;
    let available = &check["plans"][0]["weekly"]["available"];
    for (i, &n) in model.pools[0].available.iter().enumerate() {
        let day = i / per_day;
        let weekday = ccsim::model::Weekday::of(model.calendar.date(day as u32)).index();
        let expected = if weekday < 5 {
            available[weekday][i % per_day].as_u64().unwrap() as u32
        } else {
            0
        };
        assert_eq!(n, expected, "interval {i}");
    }
    let csv = std::fs::read_to_string(dir.path().join("weekly-agents.csv")).unwrap();
    assert!(
        csv.starts_with("weekday,interval_start,agents,scheduled\nmon,09:00,"),
        "{csv}"
    );
    // And re-simulating the pasted scenario reaches the target over the week.
    let result = ccsim::montecarlo::run(
        &model,
        ccsim::montecarlo::RunOptions {
            replications: 10,
            seed: 3,
            threads: None,
        },
        &|| {},
    )
    .unwrap();
    let results = result.results(&model);
    let call = results
        .horizon(
            ccsim::stats::Scope::Channel(ccsim::model::Channel::Call),
            ccsim::stats::Metric::Reachability,
        )
        .unwrap();
    assert!(call.mean.unwrap() >= 0.9, "{call:?}");
}

#[test]
fn bad_targets_and_pools_get_exact_messages() {
    let run = |args: &[&str]| {
        let out = Command::cargo_bin("ccsim")
            .unwrap()
            .arg("staff")
            .arg("scenarios/quickstart.toml")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    assert!(run(&["--target", "reachability=0.9"]).starts_with(
        "error: invalid value 'reachability=0.9' for '--target <TARGET>': no `>=`: write it as METRIC>=VALUE, e.g. reachability>=0.9, reachability.call>=90% or service_level(60s)>=0.8\n"
    ));
    assert!(run(&["--target", "service_level(60s)>=80"]).contains(
        "the target must be a share above 0 and at most 1 (or a percentage up to 100%), got 80"
    ));
    assert_eq!(
        run(&["--target", "reachability.chat>=0.9"]),
        "error: the scenario has no chat volume to staff for (reachability.chat>=0.9)\n"
    );
    assert_eq!(
        run(&["--target", "reachability>=0.9", "--pool", "night"]),
        "error: --pool night: no such pool; the pools serving call and chat are agents\n"
    );
}

#[test]
fn in_system_books_time_per_interval_and_level() {
    let text = r#"
name = "t"
[horizon]
start = 2021-01-04
days = 1
interval = "1h"
[lines.all]
hours = { mon-sun = "00:00-24:00" }
[channels.chat]
concurrency = 2
[themes.t]
volume.call = { per_day = 10 }
volume.chat = { per_day = 10 }
handle_time.call = { dist = "exponential", mean = 60 }
handle_time.chat = { dist = "exponential", mean = 60 }
[pools.p]
agents = 3
skills = [{ themes = "*" }]
"#;
    let model = common::parse(text);
    let mut r = InSystem::new(&model, |_| true);
    // A call from 0:30 to 1:30, a chat from 1:00 to 2:00, another from 1:15 to 1:45.
    r.sojourn(0, 1800.0, 5400.0);
    r.sojourn(1, 3600.0, 7200.0);
    r.sojourn(1, 4500.0, 6300.0);
    r.finish();
    assert_eq!(r.histogram(0), &[1800.0, 1800.0]);
    // 1:00-1:15 a call and a chat = 1.5 agents' worth -> 2; 1:15-1:30 = 2;
    // 1:30-1:45 two chats = 1; 1:45-2:00 one chat = 0.5 -> 1.
    assert_eq!(r.histogram(1), &[0.0, 1800.0, 1800.0]);
    assert_eq!(r.histogram(2), &[3600.0]);
    r.reset();
    r.finish();
    assert_eq!(r.histogram(1), &[3600.0]);
}

#[test]
fn the_search_refines_in_stages_and_ends_at_all_its_replications_whatever_the_threads() {
    // 40 replications: ISA and the coarse corrections with 10, then 20,
    // the staffing kept found with all 40; the same plan on 1 or 2 threads.
    let model = scenario::parse_str(scenario::QUICKSTART, "quickstart.toml", None)
        .unwrap()
        .model;
    let run = |threads: usize| {
        let mut o = options(&["reachability>=0.9"], 40);
        o.threads = Some(threads);
        planning::optimise(&model, &o, &|_| {}).unwrap()
    };
    let one = run(1);
    let it = &one.iterations;
    assert_eq!(it.stages, vec![10, 20, 40], "{it:?}");
    let simulations = u64::from(it.isa + it.correction);
    // Coarse stages ran (fewer than 40 replications per simulation on
    // average), and at least one simulation ran with all 40.
    assert!(it.replications_run < 40 * simulations, "{it:?}");
    let simulated = it.replications_run + it.replications_reused;
    assert!(simulated >= 40 + 10 * (simulations - 1), "{it:?}");
    // The last stage starts from the staffing the stage of 20 ended with
    // and takes over its 20 replications instead of running them again.
    assert!(it.replications_reused >= 20, "{it:?}");
    assert!(it.converged, "{it:?}");
    for t in &one.check.targets {
        assert!(t.met, "{t:?}");
        assert_eq!(t.intervals_clearly_below, 0, "{t:?}");
    }
    let two = run(2);
    assert_eq!(one.plans[0].searched, two.plans[0].searched);
    assert_eq!(
        one.iterations.replications_run,
        two.iterations.replications_run
    );
    assert_eq!(
        one.check.targets[0].horizon.mean,
        two.check.targets[0].horizon.mean
    );
}
