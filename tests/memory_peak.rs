//! Memory bounded by what is reported: the peak resident memory of a run
//! without files grows with the figures it keeps, not with a cell per
//! interval and stream of the whole horizon (`stats::Rolling` holds only the
//! days still open). Alone in its test binary, so that the children's peaks
//! are not raised by other tests of the same process (a child's peak as the
//! kernel counts it starts at its parent's size when it is forked).

/// The peak resident memory of `ccsim ARGS`, bytes (`wait4`'s `ru_maxrss`).
#[cfg(target_os = "linux")]
#[expect(clippy::zombie_processes, reason = "the child is reaped by wait4")]
fn peak(args: &[&str]) -> u64 {
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

/// Two more years of the Q2 scenario (35,040 more intervals × 27 streams)
/// cost what their figures and layout cost: measured 38 MB (from 33.5 MB for
/// one year to 71.6 MB for three). With a 120-byte cell per interval and
/// stream for the whole horizon, and a wait histogram of every channel per
/// day, they cost 151 MB (94.8 MB to 246.3 MB, main before this change).
#[cfg(target_os = "linux")]
#[test]
fn more_years_of_q2_cost_only_their_figures() {
    let q2 = |end: &str| {
        peak(&[
            "run",
            "scenarios/vlaanderen-1700-2021q2.toml",
            "-r",
            "1",
            "-q",
            "--set",
            &format!("horizon.end={end}"),
        ])
    };
    let (one, three) = (q2("2022-03-31"), q2("2024-03-31"));
    let more = three.saturating_sub(one);
    assert!(
        more < 75_000_000,
        "two more years took {} MB ({} MB for one year, {} MB for three)",
        more / 1_000_000,
        one / 1_000_000,
        three / 1_000_000
    );
    assert!(three < 150_000_000, "three years: {} MB", three / 1_000_000);
}
