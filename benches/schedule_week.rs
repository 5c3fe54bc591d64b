//! `ccsim schedule`'s integer program for a week of 30-minute intervals
//! with 50 shift templates: starts from 07:00 to 14:00 every 30 minutes ×
//! paid lengths of 4, 6 and 8 hours (the 6- and 8-hour ones with a
//! 30-minute break the solver places between 10:00 and 18:00), and five
//! 4-hour evening templates; a line open 07:00-22:00 every day, a
//! requirement of 4 to 40 agents on duty shaped over the day and the
//! week. Issue 17's aim: under 10 s (the solve alone, without the
//! staffing search or the proof by simulation).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

use ccsim::planning::schedule::schedule;
use ccsim::scenario;
use ccsim::scenario::validate::shift_templates;

const SCENARIO: &str = r#"
name = "schedule bench"
[horizon]
start = 2021-06-07
days = 7
interval = "30m"
[lines.main]
hours = { mon-sun = "07:00-22:00" }
[channels.call]
patience = { dist = "exponential", mean = "3m" }
[themes.general]
volume.call = { per_day = 4000 }
handle_time.call = { dist = "exponential", mean = "5m" }
[pools.agents]
agents = 10
shrinkage = 0.15
hour_price = 38.0
skills = [{ themes = "*", channels = "call" }]
"#;

fn templates_text() -> String {
    let mut out = String::new();
    for s in 0..15 {
        let (h, m) = (7 + s / 2, 30 * (s % 2));
        for hours in [4, 6, 8] {
            out.push_str(&format!(
                "[templates.s{h:02}{m:02}_{hours}h]\nstart = \"{h:02}:{m:02}\"\nlength = \"{hours}h\"\nhour_price = {}\n",
                if hours == 4 { 39.0 } else { 38.0 }
            ));
            if hours > 4 {
                out.push_str("breaks = [{ length = \"30m\", within = \"10:00-18:00\" }]\n");
            }
        }
    }
    for e in 0..5 {
        let (h, m) = (16 + e / 2, 30 * (e % 2));
        out.push_str(&format!(
            "[templates.evening{e}]\nstart = \"{h:02}:{m:02}\"\nlength = \"4h\"\nhour_price = 42.0\n"
        ));
    }
    out
}

fn bench(c: &mut Criterion) {
    let model = scenario::parse_str(SCENARIO, "bench.toml", None)
        .unwrap()
        .model;
    let templates = shift_templates(&templates_text(), "bench-shifts.toml", &model).unwrap();
    assert_eq!(templates.templates.len(), 50);
    let per_day = model.calendar.intervals_per_day as usize;
    let need: Vec<u32> = (0..model.calendar.intervals())
        .map(|i| {
            let (d, j) = (i / per_day, i % per_day);
            if !(14..44).contains(&j) {
                return 0;
            }
            // A morning peak and a smaller evening one; weekends lower.
            let x = (j - 14) as f64 / 30.0;
            let shape = 0.6 * (-((x - 0.25) / 0.15).powi(2)).exp()
                + 0.35 * (-((x - 0.75) / 0.12).powi(2)).exp()
                + 0.1;
            let week = if d >= 5 { 0.5 } else { 1.0 - 0.05 * d as f64 };
            (4.0 + 36.0 * shape * week).round() as u32
        })
        .collect();
    let mut group = c.benchmark_group("schedule_week");
    group.sample_size(10);
    group.bench_function("50_templates_336_intervals", |b| {
        b.iter(|| black_box(schedule(&model, &templates, 0, &need).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
