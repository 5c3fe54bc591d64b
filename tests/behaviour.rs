//! Callers' behaviour and routing: redials, announcements, callbacks,
//! overflow and the replaceable router, each against theory, a conservation
//! law or an exact equivalence.

mod common;

use ccsim::engine::{Engine, Pick, QueueView, Router, SkillRouter};
use ccsim::erlang::{Load, erlang_a_figures, erlang_b};
use ccsim::model::{Model, Seconds};
use ccsim::stats::Counters;
use common::{mean_ci, parse, stationary_text};

const AHT: f64 = 300.0;
/// 99.9% instead of 95%: there are many comparisons.
const WIDEN: f64 = 3.29 / 1.96;
const LINE: &str = "hours = { mon-sun = \"00:00-24:00\" }";

/// Runs `n` replications, checking conservation in each, and gives each
/// replication's counters to `f` (skipping nothing).
fn each_replication(model: &Model, n: u64, seed: u64, mut f: impl FnMut(&Counters)) {
    let mut engine = Engine::new(model).unwrap();
    let mut counters = Counters::new(model);
    for r in 0..n {
        counters.reset();
        engine.run(seed, r, &mut counters);
        counters.check_conservation().unwrap();
        f(&counters);
    }
}

/// Sums a field over streams and intervals from `from_interval` on.
fn total(
    model: &Model,
    c: &Counters,
    from: usize,
    f: impl Fn(&ccsim::stats::StreamCell) -> f64,
) -> f64 {
    let mut t = 0.0;
    for i in from..model.calendar.intervals() {
        for s in 0..model.streams.len() {
            t += f(c.cell(i, s));
        }
    }
    t
}

/// Every attempt fails at once (no agents, no waiting room), so the number
/// of attempts per caller follows the redial probabilities exactly:
/// 1 + p1 + p1·p2 + p1·p2² + … up to `max_attempts` terms.
#[test]
fn attempts_per_caller_follow_the_redial_probabilities() {
    let (p1, p2, max) = (0.6, 0.3, 4u32);
    let text = stationary_text(0, 2.0, AHT, Some(120.0), 20.0, 7)
        .replace(LINE, &format!("{LINE}\nmax_queue = 0"))
        .replace(
            "service_level_threshold",
            &format!(
                "redial = {{ probability = {p1}, later = {p2}, max_attempts = {max}, delay = {{ dist = \"exponential\", mean = \"1m\" }} }}\nservice_level_threshold"
            ),
        );
    let model = parse(&text);
    assert!(model.has_redials());
    let mut expected = 1.0;
    let mut reach = 1.0;
    for k in 1..max {
        reach *= if k == 1 { p1 } else { p2 };
        expected += reach;
    }
    let mut ratios = Vec::new();
    each_replication(&model, 30, 11, |c| {
        let attempts = total(&model, c, 0, |x| f64::from(x.attempts));
        let callers = total(&model, c, 0, |x| f64::from(x.callers));
        let pending = total(&model, c, 0, |x| f64::from(x.callers_pending));
        let offered = total(&model, c, 0, |x| f64::from(x.offered));
        let redials = total(&model, c, 0, |x| f64::from(x.redials));
        // Conservation of callers and attempts, stated again here.
        assert_eq!(attempts, offered);
        assert_eq!(offered, callers + redials);
        assert_eq!(total(&model, c, 0, |x| f64::from(x.callers_reached)), 0.0);
        assert!(
            pending <= 5.0,
            "only the last minutes' callers may still be trying"
        );
        ratios.push(attempts / callers);
    });
    let (mean, half) = mean_ci(&ratios);
    println!("attempts per caller: {mean:.4} ± {half:.4}, theory {expected:.4}");
    assert!(
        (mean - expected).abs() <= half * WIDEN + 0.002,
        "{mean} vs {expected}"
    );
}

/// With redials configured but never made, abandonment is handled by
/// events instead of lazily; both must give the very same outcomes.
#[test]
fn eager_and_lazy_abandonment_give_identical_outcomes() {
    let lazy_text = stationary_text(20, 21.0, AHT, Some(180.0), 20.0, 3);
    let eager_text = lazy_text.replace(
        "service_level_threshold",
        "redial = { probability = 0, delay = { dist = \"constant\", value = 60 } }\nservice_level_threshold",
    );
    let (lazy, eager) = (parse(&lazy_text), parse(&eager_text));
    assert!(!lazy.has_redials() && eager.has_redials());
    let mut a = Vec::new();
    each_replication(&lazy, 3, 5, |c| a.push(c.cells.clone()));
    let mut b = Vec::new();
    each_replication(&eager, 3, 5, |c| {
        // The caller view is there, and with no redial callers = attempts.
        let callers = total(&eager, c, 0, |x| f64::from(x.callers));
        let offered = total(&eager, c, 0, |x| f64::from(x.offered));
        assert_eq!(callers, offered);
        b.push(c.cells.clone());
    });
    for (x, y) in a.iter().zip(&b) {
        for (cx, cy) in x.iter().zip(y) {
            assert_eq!(cx.offered, cy.offered);
            assert_eq!(cx.answered, cy.answered);
            assert_eq!(cx.abandoned, cy.abandoned);
            assert_eq!(cx.on_time, cy.on_time);
            assert_eq!(cx.wait_answered, cy.wait_answered);
            assert_eq!(cx.handled, cy.handled);
        }
    }
}

/// A caller cut off at closing calls back on the next working day, within
/// the hours: no redial ever arrives while the line is closed.
#[test]
fn redials_after_closing_come_the_next_opening() {
    let text = stationary_text(3, 6.0, AHT, Some(600.0), 20.0, 7)
        .replace(LINE, "hours = { mon-fri = \"09:00-17:00\" }")
        .replace(
            "service_level_threshold",
            "redial = { probability = 1, delay = { dist = \"exponential\", mean = \"30m\" }, next_day_spread = \"2h\" }\nservice_level_threshold",
        );
    let model = parse(&text);
    let per_day = model.calendar.intervals_per_day as usize;
    let mut next_morning = 0.0;
    each_replication(&model, 10, 3, |c| {
        for i in 0..model.calendar.intervals() {
            let hour = i % per_day;
            let day = i / per_day;
            let cell = c.cell(i, 0);
            let open = (9..17).contains(&hour) && day < 5;
            if !open {
                assert_eq!(cell.redials, 0, "a redial at {hour}:00 on day {day}");
            }
            if day > 0 && (9..11).contains(&hour) {
                next_morning += f64::from(cell.redials);
            }
        }
    });
    assert!(
        next_morning > 0.0,
        "callers cut off at 17:00 call back the next morning"
    );
}

/// A share of redials come as e-mails of the same theme.
#[test]
fn a_share_of_redials_switches_to_email() {
    let text = stationary_text(0, 2.0, AHT, Some(120.0), 20.0, 5)
        .replace(LINE, &format!("{LINE}\nmax_queue = 0"))
        .replace(
            "service_level_threshold",
            "redial = { probability = 1, max_attempts = 2, to_email = 0.25, delay = { dist = \"constant\", value = 30 } }\nservice_level_threshold",
        )
        .replace(
            "volume.call",
            "volume.email = { per_day = 0.001 }\nhandle_time.email = { dist = \"constant\", value = 60 }\nvolume.call",
        );
    let model = parse(&text);
    let email = model
        .stream_of(0, ccsim::model::Channel::Email)
        .expect("an e-mail stream");
    let mut shares = Vec::new();
    each_replication(&model, 20, 9, |c| {
        let mut by_email = 0.0;
        let mut all = 0.0;
        for i in 0..model.calendar.intervals() {
            for s in 0..model.streams.len() {
                let r = f64::from(c.cell(i, s).redials);
                all += r;
                if s == email {
                    by_email += r;
                }
            }
        }
        shares.push(by_email / all);
    });
    let (mean, half) = mean_ci(&shares);
    println!("redials by e-mail: {mean:.4} ± {half:.4}, expected 0.25");
    assert!((mean - 0.25).abs() <= half * WIDEN);
}

/// An announcement that sends away every caller who would have to wait
/// turns the queue into a loss system: the share sent away is Erlang B.
#[test]
fn an_announcement_for_any_wait_gives_erlang_b() {
    let (agents, erlangs) = (10u32, 8.0);
    let text = stationary_text(agents, erlangs, AHT, None, 20.0, 8).replace(
        LINE,
        &format!("{LINE}\nannouncement = {{ max_expected_wait = 0, leave = 1 }}"),
    );
    let model = parse(&text);
    assert!(model.has_announcements());
    let per_day = model.calendar.intervals_per_day as usize;
    let mut shares = Vec::new();
    each_replication(&model, 20, 4, |c| {
        let offered = total(&model, c, per_day, |x| f64::from(x.offered));
        let sent = total(&model, c, per_day, |x| f64::from(x.sent_away));
        let waited = total(&model, c, per_day, |x| f64::from(x.answered - x.immediate));
        assert_eq!(waited, 0.0);
        shares.push(sent / offered);
    });
    let (mean, half) = mean_ci(&shares);
    let theory = erlang_b(erlangs, agents);
    println!("sent away {mean:.5} ± {half:.5}, Erlang B {theory:.5}");
    assert!((mean - theory).abs() <= half * WIDEN);
}

/// An announcement only speaks when the expected wait is over its limit:
/// a higher limit sends fewer callers away.
#[test]
fn a_higher_announcement_limit_sends_fewer_away() {
    let sent = |limit: &str| {
        let text = stationary_text(20, 21.0, AHT, Some(600.0), 20.0, 3).replace(
            LINE,
            &format!("{LINE}\nannouncement = {{ max_expected_wait = \"{limit}\", leave = 0.5 }}"),
        );
        let model = parse(&text);
        let mut v = 0.0;
        each_replication(&model, 5, 2, |c| {
            v += total(&model, c, 0, |x| f64::from(x.sent_away))
        });
        v
    };
    let (low, high) = (sent("30s"), sent("5m"));
    println!("sent away: limit 30s {low}, limit 5m {high}");
    assert!(low > high && high > 0.0);
}

/// Callbacks: every request is made or still pending at the end; declined
/// offers leave the simulation exactly as without callbacks.
#[test]
fn callbacks_are_made_and_declined_offers_change_nothing() {
    let base = stationary_text(20, 21.0, AHT, Some(600.0), 20.0, 3);
    let with = |accept: f64| {
        base.replace(
            LINE,
            &format!("{LINE}\ncallback = {{ after = \"1m\", accept = {accept} }}"),
        )
    };
    let plain = parse(&base);
    let declined = parse(&with(0.0));
    let mut a = Vec::new();
    each_replication(&plain, 3, 8, |c| a.push(c.cells.clone()));
    let mut b = Vec::new();
    each_replication(&declined, 3, 8, |c| b.push(c.cells.clone()));
    assert_eq!(a, b);

    let accepted = parse(&with(1.0));
    let mut delays = Vec::new();
    each_replication(&accepted, 5, 8, |c| {
        let requested = total(&accepted, c, 0, |x| f64::from(x.callbacks));
        let made = total(&accepted, c, 0, |x| f64::from(x.callbacks_made));
        let left = total(&accepted, c, 0, |x| f64::from(x.callbacks_left));
        assert!(requested > 0.0);
        assert_eq!(requested, made + left);
        // With everyone accepting after a minute, nobody answered waited longer.
        for i in 0..accepted.calendar.intervals() {
            let cell = c.cell(i, 0);
            if cell.answered > 0 {
                assert!(cell.wait_answered / f64::from(cell.answered) <= 60.0);
            }
        }
        delays.push(total(&accepted, c, 0, |x| x.callback_delay) / made);
    });
    assert!(delays.iter().all(|d| *d >= 0.0));
}

/// Two pools of n agents, each serving its own theme first and the other's
/// with no delay, are one pool of 2n: with exponential times the number of
/// callers in the system is the same birth-death process, so P(wait) and
/// P(abandon) are Erlang A's for 2n agents and twice the load.
#[test]
fn overflow_without_delay_between_two_identical_pools_is_one_pooled_group() {
    let (n, erlangs_each, patience) = (15u32, 14.0, 180.0);
    let per_day = erlangs_each / AHT * 86_400.0;
    let two_pools = |delay: &str| {
        format!(
            r#"
name = "overflow"
[horizon]
start = 2021-01-04
days = 6
interval = "1h"
[lines.all]
{LINE}
[channels.call]
patience = {{ dist = "exponential", mean = {patience} }}
service_level_threshold = 20
[themes.a]
volume.call = {{ per_day = {per_day} }}
weekday_weights = {{ mon-sun = 1 }}
handle_time.call = {{ dist = "exponential", mean = {AHT} }}
[themes.b]
volume.call = {{ per_day = {per_day} }}
weekday_weights = {{ mon-sun = 1 }}
handle_time.call = {{ dist = "exponential", mean = {AHT} }}
[pools.pa]
agents = {n}
skills = [{{ themes = "a" }}, {{ themes = "b", overflow_after = {delay} }}]
[pools.pb]
agents = {n}
skills = [{{ themes = "b" }}, {{ themes = "a", overflow_after = {delay} }}]
"#
        )
    };
    let figures = |text: &str| {
        let model = parse(text);
        let per_day = model.calendar.intervals_per_day as usize;
        let (mut pw, mut pa) = (Vec::new(), Vec::new());
        each_replication(&model, 25, 21, |c| {
            let offered = total(&model, c, per_day, |x| f64::from(x.offered));
            let immediate = total(&model, c, per_day, |x| f64::from(x.immediate));
            let abandoned = total(&model, c, per_day, |x| f64::from(x.abandoned));
            pw.push(1.0 - immediate / offered);
            pa.push(abandoned / offered);
        });
        (mean_ci(&pw), mean_ci(&pa))
    };
    let load = |agents: u32, erlangs: f64| Load {
        arrival_rate: erlangs / AHT,
        mean_handle_time: AHT,
        agents,
    };
    let pooled = erlang_a_figures(load(2 * n, 2.0 * erlangs_each), patience, 20.0).unwrap();
    let ((pw, pw_h), (pa, pa_h)) = figures(&two_pools("0"));
    println!(
        "overflow at 0 s: P(wait) {pw:.4} ± {pw_h:.4} vs pooled {:.4}; P(abandon) {pa:.4} ± {pa_h:.4} vs {:.4}",
        pooled.p_wait, pooled.p_abandon
    );
    assert!((pw - pooled.p_wait).abs() <= pw_h * WIDEN);
    assert!((pa - pooled.p_abandon).abs() <= pa_h * WIDEN);

    // An overflow delay longer than anyone waits: two separate groups.
    let separate = erlang_a_figures(load(n, erlangs_each), patience, 20.0).unwrap();
    let ((pw, pw_h), (pa, pa_h)) = figures(&two_pools("\"10h\""));
    println!(
        "overflow at 10 h: P(wait) {pw:.4} ± {pw_h:.4} vs separate {:.4}; P(abandon) {pa:.4} ± {pa_h:.4} vs {:.4}",
        separate.p_wait, separate.p_abandon
    );
    assert!((pw - separate.p_wait).abs() <= pw_h * WIDEN);
    assert!((pa - separate.p_abandon).abs() <= pa_h * WIDEN);

    // In between, a delay of 30 s: better than separate, worse than pooled.
    let ((_, _), (pa, _)) = figures(&two_pools("30"));
    println!("overflow at 30 s: P(abandon) {pa:.4}");
    assert!(pa > pooled.p_abandon && pa < separate.p_abandon);
}

/// Routing is a replaceable part: a router that keeps pool 1 away from
/// every queue leaves all the work to pool 0.
#[test]
fn a_custom_router_is_obeyed() {
    struct OnlyFirstPool(SkillRouter);
    impl Router for OnlyFirstPool {
        fn arrival_pools(&self, stream: usize) -> &[usize] {
            let pools = self.0.arrival_pools(stream);
            &pools[..pools.len().min(1)]
        }
        fn watched(&self, pool: usize) -> &[usize] {
            self.0.watched(pool)
        }
        fn choose(&self, pool: usize, view: &QueueView<'_>, chats_only: bool) -> Option<Pick> {
            if pool == 0 {
                self.0.choose(pool, view, chats_only)
            } else {
                None
            }
        }
        fn overflow(&self, _stream: usize) -> &[(Seconds, usize)] {
            &[]
        }
    }
    let text = stationary_text(10, 8.0, AHT, Some(300.0), 20.0, 2).replace(
        "[pools.p]",
        "[pools.idle]\nagents = 10\nskills = [{ themes = \"*\", priority = 2 }]\n[pools.p]",
    );
    let model = parse(&text);
    assert_eq!(model.pools[0].name, "idle");
    // Pool order: "idle" is pool 0; make the real pool first for the router.
    let mut model = model;
    model.pools.swap(0, 1);
    let mut engine = Engine::with_router(&model, OnlyFirstPool(SkillRouter::new(&model))).unwrap();
    let mut counters = Counters::new(&model);
    engine.run(1, 0, &mut counters);
    counters.check_conservation().unwrap();
    let busy = |p: usize| {
        (0..model.calendar.intervals())
            .map(|i| counters.pool_cell(i, p).busy)
            .sum::<f64>()
    };
    assert!(busy(0) > 0.0);
    assert_eq!(busy(1), 0.0);
    // And the default router does use the second pool.
    let mut engine = Engine::new(&model).unwrap();
    let mut counters = Counters::new(&model);
    engine.run(1, 0, &mut counters);
    let busy1: f64 = (0..model.calendar.intervals())
        .map(|i| counters.pool_cell(i, 1).busy)
        .sum();
    assert!(busy1 > 0.0);
}

/// A scenario with a general line and a sector line, a menu on the sector
/// line, and transfers from the general line's theme to a sector theme.
fn sectors(menu_shares: (&str, &str), transfer: &str) -> String {
    format!(
        r#"
name = "sectors"
[horizon]
start = 2021-01-04
days = 5
interval = "1h"
[lines.general]
hours = {{ mon-fri = "08:00-18:00" }}
[lines.sector]
hours = {{ mon-fri = "09:00-17:00" }}
menu.call = {{ per_day = 1000 }}
[channels.call]
patience = {{ dist = "exponential", mean = "5m" }}
[themes.info]
line = "general"
volume.call = {{ per_day = 800 }}
handle_time.call = {{ dist = "exponential", mean = "4m" }}
{transfer}
[themes.permits]
line = "sector"
volume.call = {{ menu_share = {} }}
handle_time.call = {{ dist = "exponential", mean = "6m" }}
[themes.subsidies]
line = "sector"
volume.call = {{ menu_share = {} }}
handle_time.call = {{ dist = "exponential", mean = "6m" }}
[pools.front]
agents = 12
skills = [{{ themes = "info" }}]
[pools.sector]
agents = 25
skills = [{{ themes = ["permits", "subsidies"] }}]
"#,
        menu_shares.0, menu_shares.1
    )
}

/// A menu splits the line's volume over its themes exactly as if each had
/// its share as its own volume.
#[test]
fn a_menu_splits_the_line_volume_over_its_themes() {
    let menu = parse(&sectors(("0.7", "0.3"), ""));
    let own = parse(
        &sectors(("0.7", "0.3"), "")
            .replace("menu_share = 0.7", "per_day = 700")
            .replace("menu_share = 0.3", "per_day = 300")
            .replace("menu.call = { per_day = 1000 }\n", ""),
    );
    for (a, b) in menu.streams.iter().zip(&own.streams) {
        assert_eq!(a.expected, b.expected);
    }
    let sum: f64 = menu.streams[1].expected.iter().sum();
    assert!((sum - 5.0 * 700.0).abs() < 1e-6, "{sum}");
    let e = ccsim::scenario::parse_str(&sectors(("0.6", "0.3"), ""), "s.toml", None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("`lines.sector.menu.call`: the menu's shares sum to 0.8999999999999999 (permits 0.6, subsidies 0.3): they must sum to 1"),
        "{e}"
    );
    let e = ccsim::scenario::parse_str(
        &sectors(("0.7", "0.3"), "").replace("menu.call = { per_day = 1000 }\n", ""),
        "s.toml",
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("`themes.permits.volume.call.menu_share`: line \"sector\" has no menu.call"),
        "{e}"
    );
}

/// Transfers: a share of the answered calls of one theme arrive, after the
/// transfer time, in another theme's queue on another line, as new callers
/// there; their number follows the probability.
#[test]
fn answered_calls_are_transferred_with_their_probability() {
    let text = sectors(
        ("0.7", "0.3"),
        "transfer = { to = \"permits\", probability = 0.2, delay = \"30s\" }",
    );
    let model = parse(&text);
    assert!(model.has_transfers());
    let (info, permits) = (0, 1);
    let mut shares = Vec::new();
    each_replication(&model, 20, 6, |c| {
        let (mut answered, mut moved, mut permits_offered) = (0.0, 0.0, 0.0);
        for i in 0..model.calendar.intervals() {
            answered += f64::from(c.cell(i, info).answered);
            moved += f64::from(c.cell(i, permits).transfers_in);
            permits_offered += f64::from(c.cell(i, permits).offered);
        }
        assert!(permits_offered > moved && moved > 0.0);
        shares.push(moved / answered);
    });
    let (mean, half) = mean_ci(&shares);
    println!("transferred: {mean:.4} ± {half:.4} of answered, expected 0.2");
    // Calls answered just before the sector line closes (or the horizon
    // ends) may not arrive; the general line closes an hour after it.
    assert!(mean < 0.2 + half * WIDEN && mean > 0.17, "{mean}");
    let e = ccsim::scenario::parse_str(
        &text.replace("to = \"permits\"", "to = \"permit\""),
        "s.toml",
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("`themes.info.transfer.to`: unknown theme \"permit\": the themes are info, permits, subsidies"),
        "{e}"
    );
}

fn run_json(args: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("summary.json");
    assert_cmd::Command::cargo_bin("ccsim")
        .unwrap()
        .arg("run")
        .args(args)
        .args(["-q", "--json"])
        .arg(&json)
        .assert()
        .success();
    serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap()
}

fn mean(v: &serde_json::Value) -> f64 {
    v["mean"]
        .as_f64()
        .unwrap_or_else(|| panic!("no mean in {v}"))
}

/// The curated redials scenario: its attempts match Q2's offered contacts
/// (the calibration its header claims), and the caller view lies above the
/// attempt view.
#[test]
fn the_curated_redials_scenario_keeps_q2_attempts_and_reaches_more_callers() {
    let q2 = run_json(&["scenarios/vlaanderen-1700-2021q2.toml", "-r", "4"]);
    let redials = run_json(&[
        "scenarios/vlaanderen-1700-vaccination-redials.toml",
        "-r",
        "4",
    ]);
    let (a, b) = (
        mean(&q2["horizon"]["total"]["offered"]),
        mean(&redials["horizon"]["total"]["offered"]),
    );
    println!("offered: Q2 {a:.0}, with redials {b:.0}");
    assert!((b / a - 1.0).abs() < 0.02, "{a} vs {b}");
    let call = &redials["horizon"]["channels"]["call"];
    let (attempt, caller) = (
        mean(&call["reachability"]),
        mean(&call["caller_reachability"]),
    );
    println!("calls: per attempt {attempt:.4}, per caller {caller:.4}");
    assert!(caller > attempt + 0.05);
    assert!(mean(&call["attempts_per_caller"]) > 1.05);
    assert!(q2["horizon"]["channels"]["call"].get("callers").is_none());
}

/// The curated sector-lines scenario shows every routing behaviour at once.
#[test]
fn the_curated_sector_lines_scenario_uses_every_behaviour() {
    let s = run_json(&["scenarios/sector-lines.toml", "-r", "3"]);
    let call = &s["horizon"]["channels"]["call"];
    for key in [
        "sent_away",
        "callbacks",
        "callbacks_made",
        "transfers_in",
        "blocked",
    ] {
        assert!(mean(&call[key]) > 0.0, "{key}");
    }
    let appointments = &s["horizon"]["themes"]["appointments"]["call"];
    assert!(mean(&appointments["transfers_in"]) > 0.0);
    // The frontline backs the sector pool up for appointments: it is busy
    // longer than the way-finding calls it alone answers.
    let frontline = mean(&s["horizon"]["pools"]["frontline"]["busy_hours"]);
    let way_finding = mean(&s["horizon"]["themes"]["way_finding"]["call"]["handled_hours"]);
    println!("frontline busy {frontline:.1} h, way-finding handled {way_finding:.1} h");
    assert!(
        frontline > way_finding + 1.0,
        "{frontline} vs {way_finding}"
    );
}

/// Transfers that lead back to where they started are refused: a caller
/// could otherwise be passed round for ever.
#[test]
fn transfer_cycles_are_refused() {
    let text = sectors(
        ("0.7", "0.3"),
        "transfer = { to = \"permits\", probability = 0.2 }",
    )
    .replace(
        "[themes.subsidies]",
        "transfer = { to = \"info\", probability = 1 }\n[themes.subsidies]",
    );
    let e = ccsim::scenario::parse_str(&text, "s.toml", None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("`themes.info.transfer.to`: transfers must not lead back to the theme: info → permits → info"),
        "{e}"
    );
}
