//! The engine against queueing theory: long stationary runs must agree with
//! Erlang C (no abandonment) and Erlang A (exponential patience) for P(wait),
//! service level, ASA and P(abandon), within the runs' confidence intervals.
//!
//! Each figure is checked against a 99.9% confidence interval (the 95% one
//! widened by the ratio of normal quantiles, 3.29 / 1.96): with some forty
//! comparisons, 95% intervals would miss about two by chance alone. The
//! queue starts empty, so the first day is left out as warm-up.

mod common;

use ccsim::erlang::{Load, QueueFigures, erlang_a_figures, erlang_c_figures};
use common::{Observed, mean_ci, observe, parse, stationary, stationary_text};

const AHT: f64 = 300.0;
const T: f64 = 20.0;
const WIDEN: f64 = 3.29 / 1.96;

/// A figure: its name, how to read it from a replication, and its theoretical value.
type Figure = (&'static str, fn(&Observed) -> f64, f64);

fn check(label: &str, agents: u32, erlangs: f64, patience: Option<f64>, days: u32, reps: u32) {
    check_model(
        label,
        &stationary(agents, erlangs, AHT, patience, T, days),
        agents,
        erlangs,
        patience,
        reps,
    );
}

/// Compares a model with `servers` servers against Erlang C or A.
fn check_model(
    label: &str,
    model: &ccsim::model::Model,
    agents: u32,
    erlangs: f64,
    patience: Option<f64>,
    reps: u32,
) {
    let obs = observe(model, reps, 2021, 1, T);
    let load = Load {
        arrival_rate: erlangs / AHT,
        mean_handle_time: AHT,
        agents,
    };
    let theory: QueueFigures = match patience {
        None => erlang_c_figures(load, T).unwrap(),
        Some(p) => erlang_a_figures(load, p, T).unwrap(),
    };
    let figures: [Figure; 5] = [
        ("P(wait)", |o| o.p_wait, theory.p_wait),
        ("service level", |o| o.service_level, theory.service_level),
        ("ASA", |o| o.asa, theory.asa),
        ("P(abandon)", |o| o.p_abandon, theory.p_abandon),
        ("occupancy", |o| o.occupancy, theory.occupancy),
    ];
    let mut failures = Vec::new();
    for (name, get, expected) in figures {
        let values: Vec<f64> = obs.iter().map(get).collect();
        let (mean, half) = mean_ci(&values);
        let half = half * WIDEN;
        println!("{label}: {name} simulated {mean:.5} ± {half:.5}, theory {expected:.5}");
        if (mean - expected).abs() > half.max(1e-9) {
            failures.push(format!(
                "{name}: simulated {mean:.5} ± {half:.5} does not cover theory {expected:.5}"
            ));
        }
    }
    // The service level threshold and the histogram agree on the same figure.
    for o in &obs {
        assert!(
            (o.service_level - o.within).abs() < 1e-12,
            "{label}: SL from threshold and histogram differ"
        );
    }
    assert!(failures.is_empty(), "{label}:\n{}", failures.join("\n"));
}

#[test]
fn erlang_c_light_load() {
    check("Erlang C, 10 agents, rho 0.6", 10, 6.0, None, 15, 20);
}

#[test]
fn erlang_c_heavy_load() {
    check("Erlang C, 50 agents, rho 0.95", 50, 47.5, None, 30, 20);
}

#[test]
fn erlang_c_220_agents() {
    check("Erlang C, 220 agents, rho 0.95", 220, 209.0, None, 10, 20);
}

#[test]
fn erlang_a_light_load() {
    check(
        "Erlang A, 10 agents, rho 0.7, patience 120 s",
        10,
        7.0,
        Some(120.0),
        15,
        20,
    );
}

#[test]
fn erlang_a_heavy_load() {
    check(
        "Erlang A, 50 agents, rho 0.95, patience 180 s",
        50,
        47.5,
        Some(180.0),
        15,
        20,
    );
}

#[test]
fn erlang_a_overloaded() {
    check(
        "Erlang A, 50 agents, rho 1.2, patience 180 s",
        50,
        60.0,
        Some(180.0),
        15,
        20,
    );
}

#[test]
fn erlang_a_250_agents_overloaded() {
    check(
        "Erlang A, 250 agents, rho 1.2, patience 180 s",
        250,
        300.0,
        Some(180.0),
        6,
        20,
    );
}

#[test]
fn chats_with_concurrency_two_are_erlang_c_with_twice_the_servers() {
    // Handle time does not depend on how many chats an agent has open, so
    // 15 agents taking 2 chats each are 30 servers of an M/M/30 queue.
    let text = stationary_text(15, 27.0, AHT, None, T, 15)
        .replace("[channels.call]", "[channels.chat]\nconcurrency = 2")
        .replace("volume.call", "volume.chat")
        .replace("handle_time.call", "handle_time.chat");
    let model = parse(&text);
    // Occupancy counts a chat as half an agent: busy / present = 27 / 30 as for 30 servers.
    check_model("chat, 15 agents x 2, rho 0.9", &model, 30, 27.0, None, 20);
}

/// A line without waiting room (`max_queue = 0`) and patient callers is the
/// loss system M/M/n/n: the share of calls that get a busy signal is Erlang B.
#[test]
fn a_line_without_waiting_room_blocks_as_erlang_b() {
    use ccsim::engine::Engine;
    use ccsim::stats::Counters;
    for (agents, erlangs) in [(10u32, 8.0), (50, 45.0), (220, 230.0)] {
        let text = stationary_text(agents, erlangs, AHT, None, T, 8).replace(
            "hours = { mon-sun = \"00:00-24:00\" }",
            "hours = { mon-sun = \"00:00-24:00\" }\nmax_queue = 0",
        );
        assert!(text.contains("max_queue = 0"));
        let model = parse(&text);
        let mut engine = Engine::new(&model).unwrap();
        let mut counters = Counters::new(&model);
        let per_day = model.calendar.intervals_per_day as usize;
        let shares: Vec<f64> = (0..20)
            .map(|r| {
                counters.reset();
                engine.run(7, r, &mut counters);
                counters.check_conservation().unwrap();
                let (mut offered, mut blocked, mut waited) = (0.0, 0.0, 0.0);
                for i in per_day..model.calendar.intervals() {
                    let c = counters.cell(i, 0);
                    offered += f64::from(c.offered);
                    blocked += f64::from(c.blocked);
                    waited += f64::from(c.answered - c.immediate);
                }
                // Nobody ever waits: served at once or turned away.
                assert_eq!(waited, 0.0);
                blocked / offered
            })
            .collect();
        let (mean, half) = mean_ci(&shares);
        let half = half * WIDEN;
        let theory = ccsim::erlang::erlang_b(erlangs, agents);
        println!(
            "M/M/{agents}/{agents} at {erlangs} Erlang: P(blocked) simulated {mean:.5} ± {half:.5}, Erlang B {theory:.5}"
        );
        assert!(
            (mean - theory).abs() <= half,
            "{agents} agents: {mean:.5} ± {half:.5} vs Erlang B {theory:.5}"
        );
    }
}
