//! What-ifs planners ask: handle times scaled (`[scale] handle_time`, per
//! channel and per theme), a pool's speed (new hires, with a ramp over
//! dates), and the e-mail blending threshold (`email_reserve`).

mod common;

use assert_cmd::Command;
use ccsim::engine::Engine;
use ccsim::erlang::{Load, erlang_c_figures};
use ccsim::model::Model;
use ccsim::stats::Counters;
use common::{mean_ci, observe, parse, stationary_text};

/// The stationary single-pool scenario of `tests/common` (no abandonment):
/// 10 agents, 6 Erlang at 300 s, eight days.
fn stationary() -> String {
    stationary_text(10, 6.0, 300.0, None, 20.0, 8)
}

/// Every figure `observe` gives, as text, so that runs compare bit for bit.
fn figures(model: &Model) -> String {
    format!("{:?}", observe(model, 4, 7, 1, 20.0))
}

/// The handle time (seconds) of every answered contact of day `day`, summed,
/// and how many there were, over one replication.
fn handled_on(model: &Model, day: usize) -> (f64, u32) {
    let mut engine = Engine::new(model).unwrap();
    let mut counters = Counters::new(model);
    engine.run(3, 0, &mut counters);
    let per_day = model.calendar.intervals_per_day as usize;
    let (mut handled, mut answered) = (0.0, 0);
    for i in day * per_day..(day + 1) * per_day {
        let c = counters.cell(i, 0);
        handled += c.handled;
        answered += c.answered;
    }
    (handled, answered)
}

#[test]
fn a_pool_at_speed_s_equals_handle_times_scaled_by_one_over_s_bit_for_bit() {
    // Exponential draws are mean × Exp(1); halving or doubling is exact in
    // floating point, so the runs must agree to the last bit.
    let base = stationary();
    let slow = format!("{base}speed = 0.5\n");
    let long = base.replace("mean = 300 }", "mean = 600 }");
    assert_ne!(long, base, "the handle time was replaced");
    assert_eq!(figures(&parse(&slow)), figures(&parse(&long)));
    let fast = format!("{base}speed = 2\n");
    let short = base.replace("mean = 300 }", "mean = 150 }");
    assert_eq!(figures(&parse(&fast)), figures(&parse(&short)));
    // Speed 1 is today's engine.
    let one = format!("{base}speed = 1\n");
    assert_eq!(figures(&parse(&one)), figures(&parse(&base)));
    assert_ne!(figures(&parse(&fast)), figures(&parse(&base)));
}

#[test]
fn a_slower_pool_matches_erlang_c_at_the_longer_handle_time() {
    // Speed 0.75: 300 s take 400 s, 6 Erlang become 8 on 10 agents.
    let text = stationary_text(10, 6.0, 300.0, None, 20.0, 15);
    let model = parse(&format!("{text}speed = 0.75\n"));
    let obs = observe(&model, 20, 2021, 1, 20.0);
    let theory = erlang_c_figures(
        Load {
            arrival_rate: 6.0 / 300.0,
            mean_handle_time: 400.0,
            agents: 10,
        },
        20.0,
    )
    .unwrap();
    let widen = 3.29 / 1.96;
    for (name, values, expected) in [
        (
            "P(wait)",
            obs.iter().map(|o| o.p_wait).collect::<Vec<_>>(),
            theory.p_wait,
        ),
        ("ASA", obs.iter().map(|o| o.asa).collect(), theory.asa),
        (
            "occupancy",
            obs.iter().map(|o| o.occupancy).collect(),
            theory.occupancy,
        ),
    ] {
        let (mean, half) = mean_ci(&values);
        assert!(
            (mean - expected).abs() <= half * widen,
            "{name}: simulated {mean} ± {}, Erlang C {expected}",
            half * widen
        );
    }
}

#[test]
fn a_speed_ramp_divides_each_days_handle_times_by_that_days_speed() {
    // Constant handle times of 100 s: on each day every answered contact
    // takes 100 s ÷ the day's speed. 2021-01-04 is day 0; the ramp runs from
    // 0.5 on day 1 to 1.0 on day 5.
    let base = stationary_text(10, 6.0, 300.0, None, 20.0, 8).replace(
        "{ dist = \"exponential\", mean = 300 }",
        "{ dist = \"constant\", value = 100 }",
    );
    let model = parse(&format!(
        "{base}speed = {{ from = 2021-01-05, to = 2021-01-09, start = 0.5, end = 1.0 }}\n"
    ));
    for (day, speed) in [
        (0, 0.5),
        (1, 0.5),
        (2, 0.625),
        (3, 0.75),
        (4, 0.875),
        (5, 1.0),
        (7, 1.0),
    ] {
        let (handled, answered) = handled_on(&model, day);
        assert!(answered > 100, "day {day}: {answered} answered");
        let each = handled / f64::from(answered);
        assert!(
            (each - 100.0 / speed).abs() < 1e-6,
            "day {day}: {each} s a contact, expected {}",
            100.0 / speed
        );
    }
}

#[test]
fn scale_handle_time_multiplies_the_mean_keeps_the_cv_per_channel_and_theme() {
    let text = ccsim::scenario::QUICKSTART;
    let base = parse(text);
    let with = |extra: &str| parse(&format!("{text}\n{extra}"));
    let mean = |m: &Model, s: usize| m.streams[s].handle_time.mean();
    let cv = |m: &Model, s: usize| m.streams[s].handle_time.cv();
    // Stream 0 is the call, stream 1 the e-mail of the one theme.
    let all = with("[scale]\nhandle_time = 1.1\n");
    for s in 0..2 {
        assert!((mean(&all, s) - 1.1 * mean(&base, s)).abs() < 1e-9);
        assert!((cv(&all, s) - cv(&base, s)).abs() < 1e-12);
    }
    let call = with("[scale]\nhandle_time = { call = 1.2 }\n");
    assert!((mean(&call, 0) - 1.2 * mean(&base, 0)).abs() < 1e-9);
    assert_eq!(call.streams[1].handle_time, base.streams[1].handle_time);
    // The theme's own scale multiplies the scenario's.
    let both = parse(&(text.replace(
        "handle_time.email = { dist = \"gamma\", mean = \"8m\", cv = 0.6 }",
        "handle_time.email = { dist = \"gamma\", mean = \"8m\", cv = 0.6 }\nscale.handle_time = { email = 0.5 }",
    ) + "\n[scale]\nhandle_time = 1.2\n"));
    assert!((mean(&both, 1) - 0.6 * mean(&base, 1)).abs() < 1e-9);
    assert!((mean(&both, 0) - 1.2 * mean(&base, 0)).abs() < 1e-9);
}

fn bin() -> Command {
    Command::cargo_bin("ccsim").unwrap()
}

fn problems(args: &[&str]) -> String {
    let out = bin().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn bad_what_if_values_are_refused_at_their_place() {
    let q = "scenarios/quickstart.toml";
    let e = problems(&["validate", q, "--set", "scale.handle_time=0"]);
    assert!(
        e.contains("`scale.handle_time`: must be a multiplier above 0 and at most 100, got 0"),
        "{e}"
    );
    assert!(
        e.contains("quickstart.toml with --set scale.handle_time=0:"),
        "{e}"
    );
    let e = problems(&["validate", q, "--set", "scale.handle_time={ cal = 1.2 }"]);
    assert!(
        e.contains("`scale.handle_time.cal`: unknown channel \"cal\": use call, chat, email or visit; did you mean `call`?"),
        "{e}"
    );
    let e = problems(&["validate", q, "--set", "pools.agents.speed=-1"]);
    assert!(
        e.contains("`pools.agents.speed`: must be a speed factor above 0"),
        "{e}"
    );
    let e = problems(&["validate", q, "--set", "pools.agents.email_reserve=-2"]);
    assert!(
        e.contains("`pools.agents.email_reserve`: must be a whole number of agents from 0 to 100000, got -2"),
        "{e}"
    );
}

/// The JSON of a quickstart run with `sets`, without the scenario's hash
/// and text (which a `--set` changes).
fn quickstart_json(sets: &[&str], replications: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("run.json");
    let mut cmd = bin();
    cmd.args([
        "run",
        "scenarios/quickstart.toml",
        "-r",
        replications,
        "--quiet",
        "--json",
    ])
    .arg(&json);
    for s in sets {
        cmd.args(["--set", s]);
    }
    cmd.assert().success();
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("scenario");
    v
}

#[test]
fn an_email_reserve_of_zero_is_todays_engine_bit_for_bit() {
    assert_eq!(
        quickstart_json(&["pools.agents.email_reserve=0"], "5"),
        quickstart_json(&[], "5")
    );
    // The comparison can fail: a reserve of 2 changes the figures.
    assert_ne!(
        quickstart_json(&["pools.agents.email_reserve=2"], "5"),
        quickstart_json(&[], "5")
    );
}

fn mean(v: &serde_json::Value, channel: &str, metric: &str) -> f64 {
    v["horizon"]["channels"][channel][metric]["mean"]
        .as_f64()
        .unwrap_or_else(|| panic!("{channel} {metric}"))
}

#[test]
fn an_email_reserve_raises_call_reachability_and_delays_email_pickup() {
    // Seven agents for the quickstart's calls and 200 e-mails a day: the
    // calls wait. With two agents kept free of e-mail, more calls are
    // reached and e-mails wait longer to be picked up (their two-day SLA is
    // met either way, so their mean wait is the figure that moves).
    let sets = [
        "pools.agents.agents=7",
        "themes.general.volume.email.per_day=200",
    ];
    let none = quickstart_json(&sets, "20");
    let two = quickstart_json(&[sets[0], sets[1], "pools.agents.email_reserve=2"], "20");
    let (call0, call2) = (
        mean(&none, "call", "reachability"),
        mean(&two, "call", "reachability"),
    );
    let (wait0, wait2) = (mean(&none, "email", "asa"), mean(&two, "email", "asa"));
    println!("calls {call0} -> {call2}, e-mail pickup wait {wait0} -> {wait2} s");
    assert!(call2 > call0 + 0.03, "calls {call0} -> {call2}");
    assert!(wait2 > 1.1 * wait0, "e-mail waits {wait0} -> {wait2}");
    // Conservation: no e-mail is lost, they are picked up later.
    assert_eq!(
        mean(&none, "email", "offered"),
        mean(&two, "email", "offered")
    );
}

#[test]
fn a_scenario_moved_to_other_dates_leaves_out_its_peaks_with_a_note() {
    let q2 = ccsim::scenario::DEFAULT.replace("end = 2021-06-30", "end = 2021-04-18");
    let moved = ccsim::scenario::parse_str(&q2, "q2.toml", None).unwrap_or_else(|e| panic!("{e}"));
    let notes = moved.notes.expect("notes").to_string();
    let lines: Vec<&str> = notes.lines().collect();
    assert_eq!(lines.len(), 3, "{notes}");
    assert_eq!(
        lines[2],
        "q2.toml:157:10: `themes.tax_assessments.peaks[0]`: the peak (2021-06-07 to 2021-06-30) lies outside the horizon (2021-04-01 to 2021-04-18): left out"
    );
    // The original has no note.
    let original = ccsim::scenario::parse_str(ccsim::scenario::DEFAULT, "q2.toml", None).unwrap();
    assert!(original.notes.is_none());
}

#[test]
fn a_peak_clipped_by_the_horizon_keeps_its_shape_on_the_days_inside() {
    // A ramp from Saturday 10 to Friday 16 April; the quickstart starts on
    // Monday 12. The same days simulated from Saturday 10 must get the same
    // expected arrivals on the days both horizons share.
    let text = ccsim::scenario::QUICKSTART.replace(
        "handle_time.call =",
        "peaks = [{ from = 2021-04-10, to = 2021-04-16, factor = 3, shape = \"ramp\" }]\nhandle_time.call =",
    );
    let clipped = parse(&text);
    let whole = parse(
        &text
            .replace("start = 2021-04-12", "start = 2021-04-10")
            .replace("days = 7", "days = 9"),
    );
    let per_day = clipped.calendar.intervals_per_day as usize;
    for s in 0..2 {
        let a = &clipped.streams[s].expected[..5 * per_day];
        let b = &whole.streams[s].expected[2 * per_day..7 * per_day];
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() <= 1e-12 * y.abs().max(1.0), "{x} against {y}");
        }
        // And the peak is there: Friday's calls are 3 times a day without it.
        let friday: f64 = clipped.streams[s].expected[4 * per_day..5 * per_day]
            .iter()
            .sum();
        let plain = parse(ccsim::scenario::QUICKSTART);
        let plain_friday: f64 = plain.streams[s].expected[4 * per_day..5 * per_day]
            .iter()
            .sum();
        assert!(
            (friday - 3.0 * plain_friday).abs() < 1e-9 * plain_friday,
            "{friday} {plain_friday}"
        );
    }
}
