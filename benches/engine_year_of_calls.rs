//! The engine on one simulated year of 1700-like calls: 250 working days of
//! 10 hours, 470 calls an hour, exponential handle time (mean 300 s) and
//! patience (mean 180 s), 40 agents. One replication on one thread.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use ccsim::engine::Engine;
use ccsim::scenario;
use ccsim::stats::Counters;

/// 50 weeks of Monday–Friday = 250 working days.
const YEAR_OF_CALLS: &str = r#"
name = "a year of 1700-like calls"
[horizon]
start = 2021-01-04
days = 350
[channels.call]
patience = { dist = "exponential", mean = "180s" }
[themes.calls]
volume.call = { per_day = 4700 }
handle_time.call = { dist = "exponential", mean = "300s" }
[pools.agents]
agents = 40
skills = [{ themes = "*" }]
"#;

fn year_of_calls(c: &mut Criterion) {
    let model = scenario::parse_str(YEAR_OF_CALLS, "year.toml", None)
        .unwrap()
        .model;
    let mut engine = Engine::new(&model).unwrap();
    let mut counters = Counters::new(&model);
    // One warm-up replication sizes the queues and tells the event count.
    engine.run(1, 0, &mut counters);
    let events = engine.events_handled();
    let offered: u64 = counters.cells.iter().map(|c| u64::from(c.offered)).sum();
    eprintln!("one replication: {offered} calls, {events} events");
    let mut group = c.benchmark_group("engine");
    group.sample_size(20);
    group.throughput(Throughput::Elements(events));
    let mut replication = 0;
    group.bench_function("year_of_calls_one_thread", |b| {
        b.iter(|| {
            replication += 1;
            counters.reset();
            engine.run(1, replication, &mut counters);
        })
    });
    group.finish();
}

criterion_group!(benches, year_of_calls);
criterion_main!(benches);
