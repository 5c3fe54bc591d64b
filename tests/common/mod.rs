//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ccsim::engine::Engine;
use ccsim::model::Model;
use ccsim::scenario;
use ccsim::stats::Counters;
use ccsim::stats::counters::{WAIT_BIN, WAIT_BINS};

/// A stationary M/M/n(+M) queue: one line open around the clock every day,
/// Poisson calls at `erlangs / aht` per second, exponential handle time,
/// `agents` agents, exponential patience (or none), for `days` days.
pub fn stationary(
    agents: u32,
    erlangs: f64,
    aht: f64,
    patience: Option<f64>,
    threshold: f64,
    days: u32,
) -> Model {
    parse(&stationary_text(
        agents, erlangs, aht, patience, threshold, days,
    ))
}

/// The scenario text of [`stationary`], for variations.
pub fn stationary_text(
    agents: u32,
    erlangs: f64,
    aht: f64,
    patience: Option<f64>,
    threshold: f64,
    days: u32,
) -> String {
    let per_day = erlangs / aht * 86_400.0;
    let patience = patience
        .map(|p| format!("patience = {{ dist = \"exponential\", mean = {p} }}"))
        .unwrap_or_default();
    format!(
        r#"
name = "stationary"
[horizon]
start = 2021-01-04
days = {days}
interval = "1h"
[lines.all]
hours = {{ mon-sun = "00:00-24:00" }}
[channels.call]
{patience}
service_level_threshold = {threshold}
[themes.t]
volume.call = {{ per_day = {per_day} }}
weekday_weights = {{ mon-sun = 1 }}
handle_time.call = {{ dist = "exponential", mean = {aht} }}
[pools.p]
agents = {agents}
skills = [{{ themes = "*" }}]
"#
    )
}

/// Parses scenario text, panicking with the errors.
pub fn parse(text: &str) -> Model {
    scenario::parse_str(text, "stationary.toml", None)
        .unwrap_or_else(|e| panic!("{e}"))
        .model
}

/// Figures of one replication of a single-channel model.
#[derive(Debug, Clone, Copy)]
pub struct Observed {
    pub offered: f64,
    pub p_wait: f64,
    pub service_level: f64,
    pub asa: f64,
    pub p_abandon: f64,
    pub occupancy: f64,
    /// Share answered within `t` seconds, from the histogram (t a multiple of the bin).
    pub within: f64,
}

/// Runs `replications` replications and returns their figures, skipping the
/// first `warmup_days` days (the queue starts empty).
pub fn observe(
    model: &Model,
    replications: u32,
    seed: u64,
    warmup_days: usize,
    within_t: f64,
) -> Vec<Observed> {
    let channel = model.streams[0].channel;
    let mut engine = Engine::new(model).unwrap();
    let mut counters = Counters::new(model);
    let per_day = model.calendar.intervals_per_day as usize;
    let days = model.calendar.days as usize;
    (0..replications)
        .map(|r| {
            counters.reset();
            engine.run(seed, u64::from(r), &mut counters);
            counters.check_conservation().unwrap();
            let (mut offered, mut answered, mut immediate, mut on_time, mut abandoned, mut wait) =
                (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
            let (mut busy, mut present) = (0.0, 0.0);
            for i in warmup_days * per_day..days * per_day {
                for s in 0..model.streams.len() {
                    let c = counters.cell(i, s);
                    offered += f64::from(c.offered);
                    answered += f64::from(c.answered);
                    immediate += f64::from(c.immediate);
                    on_time += f64::from(c.on_time);
                    abandoned += f64::from(c.abandoned);
                    wait += c.wait_answered;
                }
                for p in 0..model.pools.len() {
                    busy += counters.pool_cell(i, p).busy;
                    present += counters.pool_cell(i, p).present;
                }
            }
            let bins = (within_t / WAIT_BIN).round() as usize;
            let mut within = 0.0;
            for d in warmup_days..days {
                let h = counters.histogram(d, channel);
                within += h[..(bins + 1).min(WAIT_BINS)]
                    .iter()
                    .map(|&x| f64::from(x))
                    .sum::<f64>();
            }
            Observed {
                offered,
                p_wait: 1.0 - immediate / offered,
                service_level: on_time / offered,
                asa: wait / answered,
                p_abandon: abandoned / offered,
                occupancy: busy / present,
                within: within / offered,
            }
        })
        .collect()
}

/// Mean and half width of the 95% confidence interval of values.
pub fn mean_ci(values: &[f64]) -> (f64, f64) {
    let e = ccsim::stats::Estimate::from_values(values);
    (e.mean.unwrap(), e.half_width().unwrap())
}

/// Every file under `dir`, by path relative to it.
pub fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    out
}

/// Asserts that `a` and `b` hold the same files with the same bytes.
pub fn assert_same_files(a: &Path, b: &Path, why: &str) {
    let (a, b) = (files(a), files(b));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{} differs {why}", path.display());
    }
}

/// The peak resident memory of `ccsim ARGS`, bytes, as the kernel counts it
/// for that one child (`wait4`'s `ru_maxrss`; at least this process's own
/// peak, which the child shares until it execs).
#[cfg(target_os = "linux")]
#[expect(clippy::zombie_processes, reason = "the child is reaped by wait4")]
pub fn peak(args: &[&str]) -> u64 {
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ccsim"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for the child
    // spawned above, which nothing else waits for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{args:?}"
    );
    // Linux counts ru_maxrss in KiB.
    usage.ru_maxrss as u64 * 1024
}
