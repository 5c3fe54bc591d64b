//! The measurement behind docs/performance.md, "Faster answers": how much
//! of each key figure's variance across replications a control variate
//! would remove. The control of a channel's figure is the contacts offered
//! on that channel over the horizon (its expectation is known from the
//! scenario when nothing redials), of the total's the contacts offered on
//! every channel. With ρ their correlation across replications, the
//! controlled estimator's variance is about (1 − ρ²)·(n − 2)/(n − 3) of the
//! plain mean's (one control, its coefficient estimated), so it needs that
//! share of the replications for the same CI.
//!
//! A measurement, not a test (a minute on Q2):
//! `cargo run --release --example control_variates [REPLICATIONS]` (200 by default).

use std::path::Path;

use ccsim::montecarlo::precision::key_figures;
use ccsim::montecarlo::{self, RunOptions};
use ccsim::stats::{Entry, Level, Metric, Scope};

fn main() {
    let reps: u32 = std::env::args()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    for path in [
        "scenarios/quickstart.toml",
        "scenarios/vlaanderen-1700-2021q2.toml",
    ] {
        let model = ccsim::scenario::load(Path::new(path)).unwrap().model;
        let run = montecarlo::run(
            &model,
            RunOptions {
                replications: reps,
                seed: 1700,
                threads: None,
            },
            &|| {},
        )
        .unwrap();
        let n = reps as usize;
        println!("{path}: {reps} replications, seed 1700");
        for k in key_figures(&run.layout) {
            let e = run.layout.entries[k];
            let offered = Entry {
                metric: Metric::Offered,
                ..e
            };
            let control = run
                .layout
                .entries
                .iter()
                .position(|x| *x == offered)
                .expect("offered of the same scope");
            let total = run
                .layout
                .entries
                .iter()
                .position(|x| {
                    *x == Entry {
                        scope: Scope::Total,
                        ..offered
                    }
                })
                .expect("offered of all channels");
            let y = run.column(k);
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
            let my = mean(&y);
            let syy: f64 = y.iter().map(|v| (v - my).powi(2)).sum();
            let correlation = |c: &[f64]| {
                let mc = mean(c);
                let scc: f64 = c.iter().map(|v| (v - mc).powi(2)).sum();
                let syc: f64 = y.iter().zip(c).map(|(a, b)| (a - my) * (b - mc)).sum();
                syc / (syy * scc).sqrt()
            };
            let rho = correlation(&run.column(control));
            let rho_total = correlation(&run.column(total));
            let factor = (1.0 - rho * rho) * (n - 2) as f64 / (n - 3) as f64;
            assert_eq!(e.level, Level::Horizon);
            let scope = match e.scope {
                Scope::Channel(c) => c.name().to_string(),
                _ => "all".to_string(),
            };
            println!(
                "  {} {scope}: sd {:.5}, ρ with offered {:+.3} (with all channels' {:+.3}), replications needed ×{:.3} ({:.0}% saved)",
                e.metric.name(),
                (syy / (n - 1) as f64).sqrt(),
                rho,
                rho_total,
                factor,
                100.0 * (1.0 - factor)
            );
        }
    }
}
