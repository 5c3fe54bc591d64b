//! Monte Carlo: 200 replications of the Q2 2021 scenario of the 1700 line,
//! on one thread and on every core, to show the speed-up across cores.

use criterion::{Criterion, criterion_group, criterion_main};

use ccsim::montecarlo::{self, RunOptions};
use ccsim::scenario;

fn montecarlo_q2(c: &mut Criterion) {
    let model = scenario::parse_str(scenario::DEFAULT, "q2.toml", None)
        .unwrap()
        .model;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut group = c.benchmark_group("montecarlo");
    group.sample_size(10);
    for threads in [1, cores] {
        group.bench_function(format!("q2_200_replications_{threads}_threads"), |b| {
            b.iter(|| {
                let options = RunOptions {
                    replications: 200,
                    seed: 1700,
                    threads: Some(threads),
                };
                montecarlo::run(&model, options, &|| {}).unwrap()
            })
        });
        if cores == 1 {
            break;
        }
    }
    group.finish();
}

criterion_group!(benches, montecarlo_q2);
criterion_main!(benches);
