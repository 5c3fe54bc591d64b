//! Runs too large for the machine are refused before anything is simulated
//! (exit code 2, the flag that overrides named); worker threads are capped;
//! `--replications` states its range (issue 15, item 6, item 7 and "Unclear
//! errors").
//!
//! The memory cases run under `ulimit -v` (through `sh`), so that a ccsim
//! that does not refuse them aborts at a small size instead of growing to
//! tens of gigabytes.

use std::process::Output;

use assert_cmd::Command;

const Q: &str = "scenarios/quickstart.toml";

fn ccsim() -> Command {
    Command::cargo_bin("ccsim").unwrap()
}

/// `ccsim ARGS` under an address-space limit of `kib` KiB.
fn limited(kib: u64, args: &str) -> Output {
    let bin = assert_cmd::cargo::cargo_bin("ccsim");
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {kib} && exec \"$0\" {args}"))
        .arg(bin)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_trillion_calls_a_day_are_refused_before_simulating() {
    let o = limited(
        2_000_000,
        &format!("run {Q} --set themes.general.volume.call.per_day=1e12 -r 1 -q"),
    );
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert_eq!(
        e,
        "error: themes.general.volume.call: about 5.000e10 contacts in one interval \
         (2021-04-12 09:00), more than ccsim can count (4294967295 per stream and interval) \
         or simulate; is the volume a typo?\n"
    );
}

#[test]
fn a_century_beyond_ulimit_is_refused_naming_the_flag() {
    // Without files only the terminal's figures are summarised, and the
    // counters hold only the days still open: the layout of the century's
    // figures dominates (850 MB estimated, 2.2 GB before stats::Rolling).
    let o = limited(
        820_000,
        &format!("run {Q} --set horizon.days=36600 -r 1 -q"),
    );
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    let first = e.lines().next().unwrap();
    assert!(
        first.starts_with(
            "error: not enough memory: this run needs about 850.2 MB at its peak, more than the "
        ),
        "{e}"
    );
    assert!(
        first.ends_with(
            "left under the address-space limit (ulimit -v) of 839.7 MB. Nothing was simulated."
        ),
        "{e}"
    );
    assert!(
        e.contains("the counters of 1 replication running at once"),
        "{e}"
    );
    assert!(
        e.contains("--memory-limit SIZE overrides the limit (e.g. --memory-limit 1G)"),
        "{e}"
    );
}

#[test]
fn an_email_backlog_beyond_the_memory_limit_is_refused() {
    // A week of 10 million e-mails a day (3.4 GB measured) against 1 GB.
    let o = ccsim()
        .args(["run", Q, "-r", "1", "-q", "--memory-limit", "1G"])
        .args(["--set", "themes.general.volume.email.per_day=10000000"])
        .output()
        .unwrap();
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.starts_with(
            "error: not enough memory: this run needs about 3.5 GB at its peak, more than the \
             1.0 GB allowed by --memory-limit. Nothing was simulated.\n"
        ),
        "{e}"
    );
    assert!(
        e.contains("most of them themes.general.volume.email: up to 5.500e7 (every e-mail of the horizon, waiting as a backlog)"),
        "{e}"
    );
    // A limit large enough lets a run through.
    ccsim()
        .args(["run", Q, "-r", "2", "-q", "--memory-limit", "1G"])
        .assert()
        .success();
}

#[test]
fn memory_limit_takes_sizes_with_units() {
    let o = ccsim()
        .args(["run", Q, "-r", "2", "--memory-limit", "lots"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("expected a size such as 4G, 512M or 1.5GiB"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn replications_state_their_real_range_at_the_command_line() {
    for (r, shown) in [
        ("10000000000", "10000000000 is not in 1..=10000000"),
        ("10000001", "10000001 is not in 1..=10000000"),
        ("0", "0 is not in 1..=10000000"),
    ] {
        let o = ccsim().args(["run", Q, "-r", r, "-q"]).output().unwrap();
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "-r {r}: {e}");
        assert!(
            e.starts_with(&format!(
                "error: invalid value '{r}' for '--replications <REPLICATIONS>': {shown}"
            )),
            "-r {r}: {e}"
        );
    }
}

#[test]
fn threads_beyond_the_replications_are_capped_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "1000"] {
        let json = dir.path().join(format!("t{threads}.json"));
        let o = ccsim()
            .args(["run", Q, "-r", "2", "-q", "--threads", threads, "--json"])
            .arg(&json)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let note = "note: --threads 1000: using 2 worker threads, one per replication (2); \
                    the figures are the same\n";
        if threads == "1000" {
            assert!(stderr(&o).starts_with(note), "{}", stderr(&o));
        } else {
            assert!(!stderr(&o).contains("note:"), "{}", stderr(&o));
        }
        outputs.push(std::fs::read(&json).unwrap());
    }
    assert!(outputs[0] == outputs[1], "1 and 1000 threads differ");
}

#[test]
fn threads_beyond_four_per_core_are_capped_and_said() {
    let o = ccsim()
        .args(["run", Q, "-r", "300", "-q", "--threads", "1000"])
        .output()
        .unwrap();
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{e}");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(
        e,
        format!(
            "note: --threads 1000: using {} worker threads, at most 4 per core, and this \
             machine has {cores}; the figures are the same\n",
            4 * cores
        )
    );
}

#[test]
fn workers_are_capped_at_the_replications_and_four_per_core() {
    use ccsim::montecarlo::{Cap, THREADS_PER_CORE, Workers, cores, workers};
    let most = cores() * THREADS_PER_CORE;
    assert_eq!(
        workers(Some(100_000), 2),
        Workers {
            threads: 2,
            capped: Some(Cap::Replications)
        }
    );
    assert_eq!(
        workers(Some(100_000), 10_000_000),
        Workers {
            threads: most,
            capped: Some(Cap::Cores { cores: cores() })
        }
    );
    assert_eq!(
        workers(Some(1), 10),
        Workers {
            threads: 1,
            capped: None
        }
    );
    assert!(workers(None, 1).threads == 1 && workers(None, 1).capped.is_none());
}

/// `ccsim merge` holds every replication's figures at once: a merge that
/// cannot is refused before it reads them, and the estimate is near the peak
/// measured (130.1 MB against 121.5 MB for 4,000 replications of Q).
#[test]
fn a_merge_beyond_the_memory_limit_is_refused_before_reading_the_figures() {
    let dir = tempfile::tempdir().unwrap();
    let parts = dir.path().join("parts");
    for k in 1..=2 {
        ccsim()
            .args(["run", Q, "-r", "200", "-s", "1", "-q", "--shard"])
            .arg(format!("{k}/2"))
            .arg("--out")
            .arg(&parts)
            .assert()
            .success();
    }
    let json = dir.path().join("merged.json");
    let o = ccsim()
        .arg("merge")
        .arg(&parts)
        .args(["--memory-limit", "10M", "--json"])
        .arg(&json)
        .output()
        .unwrap();
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.starts_with(
            "error: not enough memory: this merge needs about 25.1 MB at its peak, more than \
             the 10.0 MB allowed by --memory-limit. Nothing was merged.\n"
        ),
        "{e}"
    );
    assert!(
        e.contains("the figures of 200 replications (3442 figures of 8 bytes each)"),
        "{e}"
    );
    assert!(!json.exists());
    // With room, the same parts merge.
    ccsim()
        .arg("merge")
        .arg(&parts)
        .args(["--memory-limit", "1G", "--json"])
        .arg(&json)
        .assert()
        .success();
    assert!(json.exists());
}

/// `ccsim compare` runs A, then B: B's memory is checked too, before either
/// is simulated (a B with 10 million e-mails a day would need 7 GB).
#[test]
fn a_compare_whose_b_does_not_fit_is_refused_before_simulating() {
    let o = limited(
        2_000_000,
        &format!(
            "compare {Q} -r 2 -q --memory-limit 1G \
             --set-b themes.general.volume.email.per_day=10000000"
        ),
    );
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.starts_with("error: not enough memory: this run needs about 7.1 GB at its peak"),
        "{e}"
    );
    assert!(o.stdout.is_empty());
}
