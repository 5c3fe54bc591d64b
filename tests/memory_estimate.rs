//! The memory estimate of a run (`montecarlo::memory`) against the sizes of
//! ccsim's own types and against the peaks measured with `/usr/bin/time -v`
//! (docs/sharding.md, "Memory").

use std::mem::size_of;

mod common;
#[cfg(target_os = "linux")]
use common::peak;

use ccsim::model::Model;
use ccsim::montecarlo::memory::{
    Files, Part, Plan, check_rates, counters_bytes, estimate, estimate_with, parse_size, size,
};
use ccsim::scenario;
use ccsim::stats::{Counters, PoolCell, StreamCell};

/// The program's own memory (see `PROGRAM` in the module).
const PROGRAM: u64 = 16_000_000;

fn quickstart(edit: &str) -> Model {
    let text = scenario::QUICKSTART.replace("days = 7", edit);
    scenario::parse_str(&text, "quickstart.toml", None)
        .unwrap()
        .model
}

#[test]
fn counters_are_counted_to_the_byte() {
    for model in [
        quickstart("days = 7"),
        quickstart("days = 30"),
        scenario::parse_str(scenario::DEFAULT, "q2.toml", None)
            .unwrap()
            .model,
    ] {
        let c = Counters::new(&model);
        let real = c.cells.len() * size_of::<StreamCell>()
            + c.pool_cells.len() * size_of::<PoolCell>()
            + c.backlog.len() * 4
            + c.wait_histogram.len() * 4
            + c.abandon_histogram.len() * 4;
        assert_eq!(counters_bytes(&model), real as u64);
    }
}

#[test]
fn a_week_of_the_quickstart_is_small() {
    let model = quickstart("days = 7");
    let plan = Plan {
        replications: 20,
        workers: 2,
        files: Files::Report,
    };
    let need = estimate(&model, &plan);
    assert!(need.total < 40_000_000, "{need:?}");
    assert!(need.total > PROGRAM);
}

#[test]
fn a_century_summarised_whole_is_mostly_summaries() {
    let model = quickstart("days = 36600");
    // The figures of a day, times the days: no need to lay out a century.
    let figures = 13_151_287;
    let plan = Plan {
        replications: 1,
        workers: 1,
        files: Files::Json,
    };
    // Every figure summarised, as a run writing files summarises them.
    let need = estimate_with(&model, &plan, figures);
    assert_eq!(need.largest().unwrap().part, Part::Summaries);
    // Measured: 5.17 GB at the peak without files before only the terminal's
    // figures were summarised; 3.15 GB with --out, each estimate held once
    // and the files streamed.
    assert!((2.9e9..3.9e9).contains(&(need.total as f64)), "{need:?}");
}

#[test]
fn an_email_backlog_counts_every_email() {
    let text = scenario::QUICKSTART.replace(
        "volume.email = { per_day = 60 }",
        "volume.email = { per_day = 10_000_000 }",
    );
    let model = scenario::parse_str(&text, "q.toml", None).unwrap().model;
    let plan = Plan {
        replications: 1,
        workers: 1,
        files: Files::None,
    };
    let need = estimate(&model, &plan);
    let largest = need.largest().unwrap();
    assert_eq!(largest.part, Part::Contacts);
    assert!(
        largest.what.contains("themes.general.volume.email"),
        "{}",
        largest.what
    );
    // 55 million e-mails of 64 bytes; measured 3.45 GB at the peak.
    assert!((3.4e9..4.2e9).contains(&(need.total as f64)), "{need:?}");
}

#[test]
fn rates_beyond_the_counters_are_refused_with_their_field() {
    let text = scenario::QUICKSTART.replace(
        "volume.call = { per_day = 500 }",
        "volume.call = { per_day = 1e12 }",
    );
    let model = scenario::parse_str(&text, "q.toml", None).unwrap().model;
    let e = check_rates(&model).unwrap_err();
    assert_eq!(e.path, "themes.general.volume.call");
    assert_eq!(e.date, "2021-04-12");
    assert!(check_rates(&quickstart("days = 7")).is_ok());
}

#[test]
fn sizes_parse_and_show() {
    assert_eq!(parse_size("4G"), Ok(4_000_000_000));
    assert_eq!(parse_size("1GiB"), Ok(1 << 30));
    assert_eq!(parse_size("512M"), Ok(512_000_000));
    assert_eq!(parse_size("1000"), Ok(1000));
    assert!(parse_size("lots").is_err());
    assert!(parse_size("0").is_err());
    assert_eq!(size(5_600_000_000), "5.6 GB");
}

/// The estimate of `ccsim ARGS` as the command line computes it: the total
/// that `--memory-limit 1` refuses.
#[cfg(target_os = "linux")]
fn estimated(args: &[&str]) -> u64 {
    let o = assert_cmd::Command::cargo_bin("ccsim")
        .unwrap()
        .args(args)
        .args(["--memory-limit", "1"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    let shown = e
        .split("needs about ")
        .nth(1)
        .and_then(|s| s.split(" at its peak").next())
        .unwrap_or_else(|| panic!("{e}"));
    parse_size(shown).unwrap()
}

/// Runs whose peak is dominated by each part in turn, measured against the
/// estimate: within 15% below and 35% above.
#[cfg(target_os = "linux")]
#[test]
fn the_estimate_is_close_to_the_peak_measured() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let out = out.to_str().unwrap();
    let long = dir.path().join("long");
    let long = long.to_str().unwrap();
    let q = "scenarios/quickstart.toml";
    // Not a run of a few megabytes: the child's peak as counted includes
    // this process's own, whose address space it shares until it execs.
    let runs: [&[&str]; 5] = [
        // The summaries of 252,427 figures, and the report folder's files.
        &[
            "run",
            q,
            "-r",
            "2",
            "-q",
            "-t",
            "2",
            "--set",
            "horizon.days=700",
            "--out",
            out,
        ],
        // Ten years and more of the quickstart with --out: the layout and
        // the values the figures of days and intervals are written from,
        // the charts by month. Measured 102 MB.
        &[
            "run",
            q,
            "-r",
            "1",
            "-q",
            "--set",
            "horizon.days=3700",
            "--out",
            long,
        ],
        // A backlog of 3 million e-mails.
        &[
            "run",
            q,
            "-r",
            "1",
            "-q",
            "--set",
            "horizon.days=3",
            "--set",
            "themes.general.volume.email.per_day=1000000",
        ],
        // Ten years of the quickstart on two threads, without files: the
        // program and the layout, two replications' figures and counters
        // (only the days still open, `stats::Rolling`). Measured 112.8 MB.
        &[
            "run",
            q,
            "-r",
            "2",
            "-t",
            "2",
            "-q",
            "--set",
            "horizon.days=3650",
        ],
        // Six years of the front desk: a model with visits, whose counters
        // hold every day (its appointment books are told at the start).
        // Measured 190.5 MB.
        &[
            "run",
            "scenarios/municipal-front-desk.toml",
            "-r",
            "1",
            "-q",
            "--set",
            "horizon.end=2027-12-31",
        ],
    ];
    for args in runs {
        let (estimate, peak) = (estimated(args), peak(args));
        let ratio = estimate as f64 / peak as f64;
        assert!(
            (0.85..1.35).contains(&ratio),
            "{args:?}: estimated {} against {} measured",
            size(estimate),
            size(peak)
        );
    }
}
