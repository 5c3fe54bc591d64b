//! Fitting handle times and patience from one million contact records: the
//! `add` calls and the `finish` (every family by maximum likelihood, the
//! Kaplan–Meier curve) on one core. The records are drawn once, outside
//! the measurement: lognormal handle times (mean 300 s, cv 0.8); Weibull
//! patience (shape 0.7, mean 180 s) censored by exponential waits of mean
//! 20 s (about 90% answered).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand_distr::{Distribution, Exp, LogNormal, Weibull};
use rand_pcg::Pcg64Mcg;

use ccsim::fit::{HandleAccumulator, PatienceAccumulator};
use ccsim::model::Channel;

const RECORDS: usize = 1_000_000;

fn fit_behaviour(c: &mut Criterion) {
    let mut rng = Pcg64Mcg::new(16);
    let sigma2 = (1.0f64 + 0.8 * 0.8).ln();
    let handle = LogNormal::new(300f64.ln() - sigma2 / 2.0, sigma2.sqrt()).unwrap();
    let handle_times: Vec<f64> = (0..RECORDS).map(|_| handle.sample(&mut rng)).collect();
    let shape = 0.7;
    let scale = 180.0 / statrs::function::gamma::gamma(1.0 + 1.0 / shape);
    let patience = Weibull::new(scale, shape).unwrap();
    let wait = Exp::new(1.0 / 20.0).unwrap();
    let waits: Vec<(f64, bool)> = (0..RECORDS)
        .map(|_| {
            let (p, w): (f64, f64) = (patience.sample(&mut rng), wait.sample(&mut rng));
            if p < w { (p, true) } else { (w, false) }
        })
        .collect();

    let mut group = c.benchmark_group("fit_behaviour");
    group.sample_size(10);
    group.throughput(Throughput::Elements(RECORDS as u64));
    group.bench_function("handle_1m", |b| {
        b.iter(|| {
            let mut acc = HandleAccumulator::new();
            for &x in &handle_times {
                acc.add(x);
            }
            acc.finish().expect("a fit")
        })
    });
    group.bench_function("patience_1m", |b| {
        b.iter(|| {
            let mut acc = PatienceAccumulator::new(Channel::Call);
            for &(w, abandoned) in &waits {
                acc.add(w, abandoned);
            }
            acc.finish().expect("a fit")
        })
    });
    group.finish();
}

criterion_group!(benches, fit_behaviour);
criterion_main!(benches);
