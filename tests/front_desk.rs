//! The counter service (`visit` channel): appointment books, punctuality,
//! no-shows, walk-ins, the call window, desks after closing and deflection,
//! each against theory, an exact property or a conservation law; and the
//! curated municipal scenario against the published figures.

mod common;

use ccsim::engine::Engine;
use ccsim::erlang::{Load, erlang_c_figures};
use ccsim::model::Model;
use ccsim::stats::{Counters, StreamCell};
use common::{mean_ci, observe, parse, stationary_text};

/// 99.9% instead of 95%: there are several comparisons.
const WIDEN: f64 = 3.29 / 1.96;

/// A counter open 09:00-17:00 on weekdays for two weeks from Monday
/// 2021-03-01, whose book has `desks` desks all day, one product with
/// `slot` and a constant transaction of `service`, and the given extra
/// lines for the book and the visit channel.
fn counter(desks: u32, fill: f64, slot: &str, service: &str, book: &str, visit: &str) -> String {
    let row = vec![desks.to_string(); 16].join(", ");
    format!(
        r#"
name = "counter"
[horizon]
start = 2021-03-01
days = 14
interval = "30m"
[lines.counter]
hours = {{ mon-fri = "09:00-17:00" }}
[lines.counter.appointments]
desks = {{ start = "09:00", default = [{row}] }}
fill = {fill}
{book}
[channels.visit]
{visit}
[themes.eid]
volume.visit = {{ appointment_share = 1.0 }}
appointment = {{ slot = "{slot}" }}
handle_time.visit = {{ dist = "constant", value = "{service}" }}
[pools.desks]
staffing = {{ start = "09:00", default = [{row}] }}
skills = [{{ themes = "*" }}]
"#
    )
}

/// Runs `n` replications, checking conservation in each, and gives each
/// replication's counters to `f`.
fn each_replication(model: &Model, n: u64, mut f: impl FnMut(&Counters)) {
    let mut engine = Engine::new(model).unwrap();
    let mut counters = Counters::new(model);
    for r in 0..n {
        counters.reset();
        engine.run(2021, r, &mut counters);
        counters.check_conservation().unwrap();
        f(&counters);
    }
}

/// Sum of a counter over every interval of the streams `streams` selects.
fn sum(
    model: &Model,
    c: &Counters,
    streams: impl Fn(usize) -> bool,
    f: impl Fn(&StreamCell) -> f64,
) -> f64 {
    let mut t = 0.0;
    for i in 0..model.calendar.intervals() {
        for s in (0..model.streams.len()).filter(|&s| streams(s)) {
            t += f(c.cell(i, s));
        }
    }
    t
}

fn all(_: usize) -> bool {
    true
}

#[test]
fn appointments_spaced_wider_than_a_constant_service_never_wait() {
    // One desk, every 15-minute slot booked, 10 minutes at the desk; the
    // visitors come up to 4 minutes late (uniform), never early: nobody ever
    // waits, whatever the draws.
    let text = counter(
        1,
        1.0,
        "15m",
        "10m",
        "",
        r#"punctuality = { early = 0, late_by = { dist = "uniform", min = "0s", max = "4m" } }"#,
    );
    let model = parse(&text);
    each_replication(&model, 20, |c| {
        let booked = sum(&model, c, all, |x| f64::from(x.booked));
        // 8 hours of 4 slots on 10 working days: the book is full.
        assert_eq!(booked, 320.0);
        assert_eq!(sum(&model, c, all, |x| f64::from(x.answered)), 320.0);
        assert_eq!(sum(&model, c, all, |x| f64::from(x.immediate)), 320.0);
        assert_eq!(sum(&model, c, all, |x| x.wait_answered), 0.0);
        // Late visitors are never served before their time.
        assert_eq!(sum(&model, c, all, |x| f64::from(x.served_early)), 0.0);
    });
}

#[test]
fn early_visitors_wait_for_the_call_window_and_are_served_early_within_it() {
    // Everybody comes exactly 10 minutes early to an idle desk (2 desks,
    // half-full book of 30-minute slots, 5 minutes at the desk).
    let early = r#"punctuality = { early = 1, early_by = { dist = "constant", value = "10m" } }"#;
    for (window, expected_wait, served_early) in [
        // Called as soon as they check in: no wait, all before their time.
        ("", 0.0, 1.0),
        // Called at the earliest 5 minutes before their time.
        ("call_early = \"5m\"", 300.0, 1.0),
        // Called at their time: they wait the 10 minutes.
        ("call_early = \"0s\"", 600.0, 0.0),
    ] {
        let model = parse(&counter(2, 0.5, "30m", "5m", window, early));
        each_replication(&model, 5, |c| {
            let answered = sum(&model, c, all, |x| f64::from(x.answered));
            let wait = sum(&model, c, all, |x| x.wait_answered);
            let early_n = sum(&model, c, all, |x| f64::from(x.served_early));
            // The 09:00 visitors cannot check in before the door opens at
            // 09:00, so they neither wait nor are served early; every other
            // visitor waits exactly `expected_wait`.
            let nine_n = sum_at(&model, c, 18, |x| f64::from(x.answered));
            assert!(nine_n > 0.0 && answered > nine_n);
            assert_eq!(sum_at(&model, c, 18, |x| x.wait_answered), 0.0);
            assert_eq!(sum_at(&model, c, 18, |x| f64::from(x.served_early)), 0.0);
            let rest = answered - nine_n;
            assert!(
                (wait / rest - expected_wait).abs() < 1e-6,
                "window {window:?}: {}",
                wait / rest
            );
            assert_eq!(early_n / rest, served_early, "window {window:?}");
        });
    }
}

/// Sum of a counter over interval `slot` of every day (18 is 09:00).
fn sum_at(model: &Model, c: &Counters, slot: usize, f: impl Fn(&StreamCell) -> f64) -> f64 {
    let per_day = model.calendar.intervals_per_day as usize;
    (0..model.calendar.days as usize)
        .map(|d| f(c.cell(d * per_day + slot, 0)))
        .sum()
}

#[test]
fn booked_equals_served_plus_no_shows_and_no_shows_follow_their_probability() {
    let model = parse(&counter(2, 0.7, "15m", "8m", "no_show = 0.1", ""));
    let mut shares = Vec::new();
    each_replication(&model, 40, |c| {
        let booked = sum(&model, c, all, |x| f64::from(x.booked));
        let no_shows = sum(&model, c, all, |x| f64::from(x.no_shows));
        let served = sum(&model, c, all, |x| f64::from(x.answered));
        let closed = sum(&model, c, all, |x| f64::from(x.closed_out));
        let waiting = sum(&model, c, all, |x| f64::from(x.left_waiting));
        assert_eq!(booked, served + no_shows + closed + waiting);
        // Every visitor who came is served: desks stay until they are.
        assert_eq!(closed + waiting, 0.0);
        shares.push(no_shows / booked);
    });
    let (mean, half) = mean_ci(&shares);
    let half = half * WIDEN;
    println!("no-show share {mean:.4} ± {half:.4} against 0.1");
    assert!((mean - 0.1).abs() < half, "{mean} ± {half}");
}

#[test]
fn the_fill_rate_is_the_booked_share_of_the_desk_time() {
    // Two products of 10 and 20 minutes, half each: a slot is booked with
    // the fill rate whatever its length, so booked desk time / desk time = fill.
    let text = counter(3, 0.6, "10m", "5m", "", "")
        .replace("appointment_share = 1.0", "appointment_share = 0.5")
        + r#"
[themes.licence]
volume.visit = { appointment_share = 0.5 }
appointment = { slot = "20m" }
handle_time.visit = { dist = "constant", value = "12m" }
"#;
    let model = parse(&text);
    let desk_seconds = 3.0 * 8.0 * 3600.0 * 10.0;
    let mut fills = Vec::new();
    each_replication(&model, 40, |c| {
        let booked_time = sum(&model, c, |s| s == 0, |x| f64::from(x.booked)) * 600.0
            + sum(&model, c, |s| s == 1, |x| f64::from(x.booked)) * 1200.0;
        fills.push(booked_time / desk_seconds);
    });
    let (mean, half) = mean_ci(&fills);
    let half = half * WIDEN;
    println!("booked share of desk time {mean:.4} ± {half:.4} against 0.6");
    assert!((mean - 0.6).abs() < half, "{mean} ± {half}");
}

#[test]
fn walk_ins_only_behave_as_erlang_c() {
    // Poisson walk-ins around the clock, exponential transactions, no
    // appointment book: M/M/c, whose waits Erlang C gives.
    let (desks, erlangs, aht, threshold) = (6u32, 4.5, 420.0, 60.0);
    let text = stationary_text(desks, erlangs, aht, None, threshold, 20).replace("call", "visit");
    let model = parse(&text);
    let obs = observe(&model, 20, 2021, 1, threshold);
    let theory = erlang_c_figures(
        Load {
            arrival_rate: erlangs / aht,
            mean_handle_time: aht,
            agents: desks,
        },
        threshold,
    )
    .unwrap();
    for (name, values, expected) in [
        (
            "P(wait)",
            obs.iter().map(|o| o.p_wait).collect::<Vec<_>>(),
            theory.p_wait,
        ),
        ("ASA", obs.iter().map(|o| o.asa).collect(), theory.asa),
        (
            "service level",
            obs.iter().map(|o| o.service_level).collect(),
            theory.service_level,
        ),
        (
            "occupancy",
            obs.iter().map(|o| o.occupancy).collect(),
            theory.occupancy,
        ),
    ] {
        let (mean, half) = mean_ci(&values);
        let half = half * WIDEN;
        println!("walk-ins {name}: simulated {mean:.5} ± {half:.5}, Erlang C {expected:.5}");
        assert!(
            (mean - expected).abs() < half,
            "{name}: {mean} ± {half} against {expected}"
        );
    }
}

#[test]
fn desks_stay_after_closing_for_the_visitors_inside_but_not_once_gone() {
    // One desk, a full book of 10-minute slots and 14 minutes at the desk:
    // a queue builds up all day. The line closes at 17:00.
    let text = counter(1, 1.0, "10m", "14m", "", "");
    let model = parse(&text);
    each_replication(&model, 3, |c| {
        let offered = sum(&model, c, all, |x| f64::from(x.offered));
        assert_eq!(sum(&model, c, all, |x| f64::from(x.answered)), offered);
        // The desk worked overtime: more agent time than scheduled.
        let present: f64 = (0..model.calendar.intervals())
            .map(|i| c.pool_cell(i, 0).present)
            .sum();
        assert!(present > 10.0 * 8.0 * 3600.0, "{present}");
    });
    // The desk's staff leave at 16:00, an hour before the door closes: the
    // visitors still waiting at 17:00 are sent home.
    let short = text.replace(
        "staffing = { start = \"09:00\", default = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] }",
        "staffing = { start = \"09:00\", default = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] }",
    );
    assert_ne!(short, text);
    let model = parse(&short);
    each_replication(&model, 3, |c| {
        let closed = sum(&model, c, all, |x| f64::from(x.closed_out));
        assert!(closed > 0.0);
    });
}

#[test]
fn deflecting_one_product_frees_its_slots_and_leaves_the_others_untouched() {
    let base = counter(2, 0.8, "15m", "8m", "", "")
        .replace("appointment_share = 1.0", "appointment_share = 0.6")
        + r#"
[themes.household]
volume.visit = { appointment_share = 0.4 }
appointment = { slot = "15m" }
handle_time.visit = { dist = "constant", value = "5m" }
"#;
    let with = base.replace("[themes.household]", "[themes.household]\ndeflection = 0.3");
    let (a, b) = (parse(&base), parse(&with));
    let (mut ea, mut eb) = (Engine::new(&a).unwrap(), Engine::new(&b).unwrap());
    let (mut ca, mut cb) = (Counters::new(&a), Counters::new(&b));
    let mut shares = Vec::new();
    for r in 0..40 {
        ca.reset();
        cb.reset();
        ea.run(7, r, &mut ca);
        eb.run(7, r, &mut cb);
        cb.check_conservation().unwrap();
        // The book is drawn the same: eID slots are booked exactly as before.
        let eid = |m: &Model, c: &Counters| sum(m, c, |s| s == 0, |x| f64::from(x.booked));
        assert_eq!(eid(&a, &ca), eid(&b, &cb));
        let household = |m: &Model, c: &Counters, f: fn(&StreamCell) -> u32| {
            sum(m, c, |s| s == 1, |x| f64::from(f(x)))
        };
        // Every household slot is either booked or deflected.
        assert_eq!(
            household(&a, &ca, |x| x.booked),
            household(&b, &cb, |x| x.booked) + household(&b, &cb, |x| x.deflected)
        );
        shares.push(household(&b, &cb, |x| x.deflected) / household(&a, &ca, |x| x.booked));
    }
    let (mean, half) = mean_ci(&shares);
    let half = half * WIDEN;
    println!("deflected share {mean:.4} ± {half:.4} against 0.3");
    assert!((mean - 0.3).abs() < half, "{mean} ± {half}");
}

#[test]
fn a_book_and_its_products_are_checked_with_exact_messages() {
    let good = counter(1, 0.5, "15m", "8m", "", "");
    let err = |text: &str| match ccsim::scenario::parse_str(text, "bad.toml", None) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    };
    let shares = err(&good.replace("appointment_share = 1.0", "appointment_share = 0.9"));
    assert!(
        shares.contains("`lines.counter.appointments`: the products' appointment shares sum to 0.9 (eid 0.9): they must sum to 1"),
        "{shares}"
    );
    let no_slot = err(&good.replace("appointment = { slot = \"15m\" }\n", ""));
    assert!(
        no_slot.contains("`themes.eid.appointment`: missing appointment = { slot = \"...\" }: the length of this product's slot in the book"),
        "{no_slot}"
    );
    let no_book = err(&good.replace(
        "[lines.counter.appointments]\ndesks = { start = \"09:00\", default = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] }\nfill = 0.5\n",
        "",
    ));
    assert!(
        no_book.contains("`themes.eid.volume.visit.appointment_share`: line \"counter\" has no appointment book: give it [lines.counter.appointments], or give this theme per_day, per_month or per_year (walk-ins)"),
        "{no_book}"
    );
    let on_call = err(&good.replace(
        "[channels.visit]",
        "[channels.call]\npunctuality = { early = 0.5 }\n[channels.visit]",
    ));
    assert!(
        on_call.contains("`channels.call.punctuality`: punctuality applies to visit only (visitors with an appointment)"),
        "{on_call}"
    );
    let no_early_by = err(&good.replace(
        "[channels.visit]",
        "[channels.visit]\npunctuality = { early = 0.5 }",
    ));
    assert!(
        no_early_by.contains("`channels.visit.punctuality.early_by`: missing early_by: how early the early visitors come (a distribution)"),
        "{no_early_by}"
    );
    let fill = err(&good.replace("fill = 0.5", "fill = 1.5"));
    assert!(
        fill.contains("`lines.counter.appointments.fill`: must be a share from 0 to 1, got 1.5"),
        "{fill}"
    );
}

fn run_json(args: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .args(args)
        .args(["--quiet", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

/// Mean and 95% CI of an estimate.
fn estimate(v: &serde_json::Value) -> (f64, f64, f64) {
    let f = |k: &str| v[k].as_f64().unwrap_or_else(|| panic!("{k} of {v}"));
    (f("mean"), f("ci_low"), f("ci_high"))
}

/// Checks that the 95% CI of a simulated figure overlaps the published
/// figure, taken with the precision it was published with.
fn beside(name: &str, v: &serde_json::Value, low: f64, high: f64) {
    let (mean, ci_low, ci_high) = estimate(v);
    println!("{name}: {mean:.4} [{ci_low:.4}, {ci_high:.4}] against published {low}..{high}");
    assert!(
        ci_high >= low && ci_low <= high,
        "{name}: {mean} [{ci_low}, {ci_high}] outside {low}..{high}"
    );
}

#[test]
fn the_curated_front_desk_scenario_reproduces_the_published_figures() {
    let s = run_json(&["run", "scenarios/municipal-front-desk.toml", "-r", "40"]);
    let visit = &s["horizon"]["channels"]["visit"];
    // 700-900 visits a month: 89 days of which 63 working days, 21 a month.
    let (visitors, _, _) = estimate(&visit["offered"]);
    let per_month = visitors / 63.0 * 21.0;
    println!("visits a month {per_month:.0}");
    assert!((700.0..=900.0).contains(&per_month), "{per_month}");
    // About 4 minutes of waiting ("ongeveer 4 minuten": 3.5 to 4.5).
    beside("mean wait, s", &visit["asa"], 210.0, 270.0);
    // A little over 7 minutes at the desk (7 to 7.5).
    beside("transaction, s", &visit["transaction_time"], 420.0, 450.0);
    // Early visitors are often served before their time: at least half.
    assert!(estimate(&visit["served_early"]).0 > 0.5);
    let weekday = |w: &str| {
        s["weekdays"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["weekday"] == w)
            .unwrap()
            .clone()
    };
    // Thursday 30%, Monday 21%, Wednesday 21% (published as whole percents).
    for (w, share) in [("thu", 0.30), ("mon", 0.21), ("wed", 0.21)] {
        beside(
            &format!("{w} share"),
            &weekday(w)["channels"]["visit"]["visit_share"],
            share - 0.005,
            share + 0.005,
        );
    }
    // Thursday: 20% of the day's visitors between 18:00 and 19:00.
    let thu = weekday("thu");
    let evening = thu["hours"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["start"] == "18:00")
        .unwrap();
    beside(
        "thu 18:00-19:00 share",
        &evening["channels"]["visit"]["visit_share"],
        0.195,
        0.205,
    );
    // The busiest hour is 09:00-10:00 on the other days.
    for w in ["mon", "tue", "wed", "fri"] {
        let hours = weekday(w)["hours"].as_array().unwrap().clone();
        let busiest = hours
            .iter()
            .max_by(|a, b| {
                let share =
                    |h: &serde_json::Value| estimate(&h["channels"]["visit"]["visit_share"]).0;
                share(a).total_cmp(&share(b))
            })
            .unwrap();
        assert_eq!(busiest["start"], "09:00", "{w}");
    }
}
