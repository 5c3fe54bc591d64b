//! Memory bounded by what is reported: the peak resident memory of a run
//! without files grows with the figures it keeps, not with a cell per
//! interval and stream of the whole horizon (`stats::Rolling` holds only the
//! days still open). Alone in its test binary, so that the children's peaks
//! are not raised by other tests of the same process (a child's peak as the
//! kernel counts it starts at its parent's size when it is forked).

mod common;
#[cfg(target_os = "linux")]
use common::peak;

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
