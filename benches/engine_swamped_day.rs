//! The engine on one swamped day: 100,000 calls in 10 hours on 400 agents
//! who can answer 60,000, with patient callers (exponential, mean 30 min),
//! so that thousands wait at once. With a queue limit or an announcement
//! every arrival that must queue asks how many contacts are really waiting;
//! that must not cost a walk of the queue (issue 15, item 8). The case
//! without either is the reference. One replication on one thread.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use ccsim::engine::Engine;
use ccsim::scenario;
use ccsim::stats::Counters;

const SWAMPED_DAY: &str = r#"
name = "a swamped day"
[horizon]
start = 2021-04-12
days = 1
[lines.main]
hours = { mon = "09:00-19:00" }
# LINE
[channels.call]
patience = { dist = "exponential", mean = "30m" }
[themes.general]
volume.call = { per_day = 100000 }
handle_time.call = { dist = "lognormal", mean = "4m", cv = 0.8 }
[pools.agents]
agents = 400
skills = [{ themes = "*" }]
"#;

fn swamped_day(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine_swamped_day");
    group.sample_size(10);
    for (name, line) in [
        ("no_limit", ""),
        ("max_queue", "max_queue = 100000"),
        (
            "announcement",
            "announcement = { max_expected_wait = \"1000h\", leave = 0.5 }",
        ),
    ] {
        let text = SWAMPED_DAY.replace("# LINE", line);
        let model = scenario::parse_str(&text, "day.toml", None).unwrap().model;
        let mut engine = Engine::new(&model).unwrap();
        let mut counters = Counters::new(&model);
        // One warm-up replication sizes the queues and tells the event count.
        engine.run(1, 0, &mut counters);
        let events = engine.events_handled();
        let offered: u64 = counters.cells.iter().map(|c| u64::from(c.offered)).sum();
        let closed: u64 = counters.cells.iter().map(|c| u64::from(c.closed_out)).sum();
        eprintln!("{name}: {offered} calls, {closed} still waiting at closing, {events} events");
        group.throughput(Throughput::Elements(events));
        let mut replication = 0;
        group.bench_function(name, |b| {
            b.iter(|| {
                replication += 1;
                counters.reset();
                engine.run(1, replication, &mut counters);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, swamped_day);
criterion_main!(benches);
