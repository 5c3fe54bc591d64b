//! `ccsim fit` on one million contact records, end to end on one core:
//! reading ccsim's contact log from disk, the demand fit (volumes, weekday
//! and intraday profiles), the handle-time fits per theme and channel and
//! the censored patience fits per channel. Issue 16's target: under 2 s.
//!
//! The log is written once, outside the measurement: 250 working days of a
//! line open 09:00–19:00, three themes on call and chat, lognormal handle
//! times, exponential patience against exponential waits (about 90%
//! answered).

use std::path::PathBuf;

use chrono::{Duration, NaiveDate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::RngExt;
use rand_distr::{Distribution, Exp, LogNormal};
use rand_pcg::Pcg64Mcg;

use ccsim::fit::run::{FitInput, fit};
use ccsim::history::{Contact, ContactLogWriter, Mapping, Outcome};
use ccsim::model::Channel;

const RECORDS: u64 = 1_000_000;

fn write_log(path: &std::path::Path) {
    let mut rng = Pcg64Mcg::new(16);
    let sigma2 = (1.0f64 + 0.8 * 0.8).ln();
    let handle = LogNormal::new(240f64.ln() - sigma2 / 2.0, sigma2.sqrt()).unwrap();
    let patience = Exp::new(1.0 / 180.0).unwrap();
    let wait = Exp::new(1.0 / 20.0).unwrap();
    let themes = ["general", "taxes", "energy_premium"];
    let mut writer = ContactLogWriter::create(path).unwrap();
    let mut day = NaiveDate::from_ymd_opt(2023, 1, 2).unwrap();
    let per_day = RECORDS / 250;
    let mut id = 0;
    while id < RECORDS {
        if chrono::Datelike::weekday(&day).number_from_monday() <= 5 {
            for _ in 0..per_day.min(RECORDS - id) {
                id += 1;
                let at = 9.0 * 3600.0 + rng.random::<f64>() * 36_000.0;
                let (p, w) = (patience.sample(&mut rng), wait.sample(&mut rng));
                let answered = w <= p;
                let contact = Contact {
                    contact: id,
                    caller: Some(id),
                    line: "main".into(),
                    theme: themes[(id % 3) as usize].into(),
                    channel: if id % 10 == 0 {
                        Channel::Chat
                    } else {
                        Channel::Call
                    },
                    arrival: day.and_hms_opt(0, 0, 0).unwrap()
                        + Duration::milliseconds((at * 1000.0) as i64),
                    outcome: if answered {
                        Outcome::Answered
                    } else {
                        Outcome::Abandoned
                    },
                    wait: if answered { w } else { p },
                    handle: answered.then(|| handle.sample(&mut rng)),
                    pool: answered.then(|| "agents".to_string()),
                };
                writer.write(&contact).unwrap();
            }
        }
        day += Duration::days(1);
    }
    writer.finish().unwrap();
}

fn fit_million(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("contacts.csv");
    write_log(&log);
    let files: Vec<PathBuf> = vec![log];
    let mapping = Mapping::ccsim();
    let input = FitInput {
        files: &files,
        mapping: &mapping,
        from: None,
        to: None,
        interval: 1800,
    };
    let mut group = c.benchmark_group("fit");
    group.sample_size(10);
    group.throughput(Throughput::Elements(RECORDS));
    group.bench_function("contact_log_1m", |b| {
        b.iter(|| {
            let result = fit(&input).unwrap();
            assert_eq!(
                result.demand.iter().map(|d| d.offered).sum::<u64>(),
                RECORDS
            );
            result
        })
    });
    group.finish();
}

criterion_group!(benches, fit_million);
criterion_main!(benches);
