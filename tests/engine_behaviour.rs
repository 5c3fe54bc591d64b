//! Behaviour of the engine that theory does not cover on its own: closing
//! time, staffing changes, blending, conservation in the curated scenarios,
//! and common random numbers.

use ccsim::engine::Engine;
use ccsim::model::{Channel, Model};
use ccsim::montecarlo::{self, RunOptions};
use ccsim::scenario;
use ccsim::stats::Counters;

fn model(text: &str) -> Model {
    scenario::parse_str(text, "test.toml", None)
        .unwrap_or_else(|e| panic!("{e}"))
        .model
}

fn run_once(model: &Model, seed: u64) -> Counters {
    let mut engine = Engine::new(model).unwrap();
    let mut counters = Counters::new(model);
    engine.run(seed, 0, &mut counters);
    counters.check_conservation().unwrap();
    counters
}

/// Sums a field of every stream's cells of one channel over the horizon.
fn total(
    model: &Model,
    c: &Counters,
    channel: Channel,
    f: fn(&ccsim::stats::StreamCell) -> u32,
) -> u64 {
    (0..model.calendar.intervals())
        .flat_map(|i| (0..model.streams.len()).map(move |s| (i, s)))
        .filter(|&(_, s)| model.streams[s].channel == channel)
        .map(|(i, s)| u64::from(f(c.cell(i, s))))
        .sum()
}

#[test]
fn every_curated_scenario_conserves_contacts_in_every_replication() {
    for text in [
        scenario::QUICKSTART,
        include_str!("../scenarios/vlaanderen-1700-2021q1.toml"),
        include_str!("../scenarios/vlaanderen-1700-2021q2.toml"),
    ] {
        let model = model(text);
        // `run` checks conservation per stream and interval in every replication.
        let result = montecarlo::run(
            &model,
            RunOptions {
                replications: 4,
                seed: 5,
                threads: None,
            },
            &|| {},
        );
        assert!(result.is_ok(), "{}: {:?}", model.name, result.err());
        // E-mail never abandons nor is closed out: received = handled + backlog.
        let c = run_once(&model, 11);
        if model.streams.iter().any(|s| s.channel == Channel::Email) {
            let received = total(&model, &c, Channel::Email, |x| x.offered);
            let handled = total(&model, &c, Channel::Email, |x| x.answered);
            let backlog = total(&model, &c, Channel::Email, |x| x.left_waiting);
            assert!(received > 0);
            assert_eq!(received, handled + backlog, "{}", model.name);
            assert_eq!(
                total(&model, &c, Channel::Email, |x| x.abandoned + x.closed_out),
                0
            );
            // The backlog at the end of the last day is what is left waiting.
            let last = model.calendar.days as usize - 1;
            let end_backlog: u64 = (0..model.streams.len())
                .map(|s| u64::from(c.backlog[last * model.streams.len() + s]))
                .sum();
            assert_eq!(end_backlog, backlog);
        }
    }
}

const CLOSING: &str = r#"
[horizon]
start = 2021-04-12
days = 1
interval = "15m"
[lines.main]
hours = { mon = "09:00-10:00" }
[themes.t]
volume.call = { per_day = 400 }
handle_time.call = { dist = "exponential", mean = "5m" }
[pools.p]
agents = 5
skills = [{ themes = "*" }]
"#;

#[test]
fn calls_waiting_at_closing_time_are_closed_out_and_services_finish() {
    let m = model(CLOSING);
    let c = run_once(&m, 3);
    let offered = total(&m, &c, Channel::Call, |x| x.offered);
    let answered = total(&m, &c, Channel::Call, |x| x.answered);
    let closed = total(&m, &c, Channel::Call, |x| x.closed_out);
    // 400 calls an hour on 5 agents of 12 an hour: most are still waiting at 10:00.
    assert!(offered > 300, "{offered}");
    assert!(closed > 200, "{closed}");
    assert_eq!(
        total(&m, &c, Channel::Call, |x| x.abandoned),
        0,
        "no patience given"
    );
    assert_eq!(offered, answered + closed);
    // Agents finish the calls they have at 10:00: busy time after closing.
    let after: f64 = (40..48).map(|i| c.pool_cell(i, 0).busy).sum();
    assert!(after > 0.0, "services in progress at closing are finished");
}

const STAFFING_DROP: &str = r#"
[horizon]
start = 2021-04-12
days = 1
interval = "30m"
[lines.main]
hours = { mon = "09:00-11:00" }
[themes.t]
volume.call = { per_day = 200 }
handle_time.call = { dist = "constant", value = "20m" }
[pools.p]
skills = [{ themes = "*" }]
[pools.p.staffing]
start = "09:00"
mon = [5, 0, 0, 0]
"#;

#[test]
fn agents_leaving_finish_their_contact_first() {
    let m = model(STAFFING_DROP);
    let c = run_once(&m, 1);
    // 09:30-10:00: no agent is scheduled, yet the 5 agents busy at 09:30 stay
    // until their 20-minute calls end, and take nothing new.
    let after = c.pool_cell(19, 0);
    assert!(after.present > 0.0, "leaving agents are still there");
    assert!(
        (after.busy - after.present).abs() < 1e-6,
        "and only busy: {after:?}"
    );
    assert!(after.present <= 5.0 * 20.0 * 60.0 + 1e-6);
    // From 10:00 on nobody is on duty: all calls after 09:30 are closed out.
    assert_eq!(c.pool_cell(20, 0).present, 0.0);
    let answered = total(&m, &c, Channel::Call, |x| x.answered);
    assert!(
        answered <= 10,
        "at most two calls per agent in the first half hour: {answered}"
    );
}

const BLENDING: &str = r#"
[horizon]
start = 2021-04-12
days = 5
[channels.call]
patience = { dist = "exponential", mean = "1h" }
[themes.t]
volume.call = { per_day = 1000 }
volume.email = { per_day = 100 }
handle_time.call = { dist = "exponential", mean = "5m" }
handle_time.email = { dist = "exponential", mean = "5m" }
[pools.p]
agents = 5
skills = [{ themes = "*" }]
"#;

#[test]
fn email_is_worked_only_when_no_call_waits() {
    // 1000 calls a day on 5 agents is twice what they can handle, and callers
    // wait up to an hour on average: a call is almost always waiting.
    let overloaded = model(BLENDING);
    let c = run_once(&overloaded, 2);
    let emails_handled = total(&overloaded, &c, Channel::Email, |x| x.answered);
    let light = model(&BLENDING.replace("per_day = 1000", "per_day = 100"));
    let c_light = run_once(&light, 2);
    let emails_light = total(&light, &c_light, Channel::Email, |x| x.answered);
    assert!(
        emails_light > 300,
        "with few calls the e-mails are handled: {emails_light}"
    );
    assert!(
        emails_handled * 10 < emails_light,
        "blending: {emails_handled} e-mails handled under overload"
    );
}

#[test]
fn chats_share_an_agent_up_to_the_concurrency() {
    let text = r#"
[horizon]
start = 2021-04-12
days = 1
[lines.main]
hours = { mon = "09:00-10:00" }
[channels.chat]
concurrency = 3
[themes.t]
volume.chat = { per_day = 6 }
handle_time.chat = { dist = "constant", value = "2h" }
[pools.p]
agents = 1
skills = [{ themes = "*" }]
"#;
    // Six chats in the hour on one agent who takes three at once: exactly
    // three are answered at once (in arrival order), the rest are closed out.
    for seed in 0..20 {
        let m = model(text);
        let c = run_once(&m, seed);
        let offered = total(&m, &c, Channel::Chat, |x| x.offered);
        let answered = total(&m, &c, Channel::Chat, |x| x.answered);
        let immediate = total(&m, &c, Channel::Chat, |x| x.immediate);
        assert_eq!(answered, offered.min(3), "seed {seed}");
        assert_eq!(immediate, answered, "seed {seed}");
    }
}

#[test]
fn adding_a_theme_leaves_the_other_themes_arrivals_unchanged() {
    let base = model(BLENDING);
    let more = model(&format!(
        "{BLENDING}\n[themes.extra]\nvolume.call = {{ per_day = 300 }}\nhandle_time.call = {{ dist = \"exponential\", mean = \"4m\" }}\n"
    ));
    let a = run_once(&base, 9);
    let b = run_once(&more, 9);
    let theme = |m: &Model| m.themes.iter().position(|t| t.name == "t").unwrap();
    let s_a = base.stream_of(theme(&base), Channel::Call).unwrap();
    let s_b = more.stream_of(theme(&more), Channel::Call).unwrap();
    for i in 0..base.calendar.intervals() {
        assert_eq!(
            a.cell(i, s_a).offered,
            b.cell(i, s_b).offered,
            "interval {i}"
        );
    }
}

#[test]
fn an_agent_starting_a_shift_fills_every_chat_slot_from_the_queue() {
    // Chats arrive from 09:00 but the one agent starts at 10:00: the agent
    // takes three waiting chats at once (the concurrency), the oldest first.
    let text = r#"
[horizon]
start = 2021-04-12
days = 1
[lines.main]
hours = { mon = "09:00-12:00" }
[channels.chat]
concurrency = 3
[themes.t]
volume.chat = { per_day = 30 }
intraday_weights = { start = "09:00", weights = [1, 1, 0, 0, 0, 0] }
handle_time.chat = { dist = "constant", value = "3h" }
[pools.p]
skills = [{ themes = "*" }]
[pools.p.staffing]
start = "10:00"
mon = [1, 1, 1, 1]
"#;
    for seed in 0..10 {
        let m = model(text);
        let c = run_once(&m, seed);
        let offered = total(&m, &c, Channel::Chat, |x| x.offered);
        let answered = total(&m, &c, Channel::Chat, |x| x.answered);
        assert!(offered >= 3, "seed {seed}: {offered}");
        assert_eq!(answered, 3, "seed {seed}");
        // All three waited from the first hour until 10:00.
        let waited: f64 = (0..m.calendar.intervals())
            .map(|i| c.cell(i, 0).wait_answered)
            .sum();
        assert!(waited > 0.0);
        assert_eq!(
            total(&m, &c, Channel::Chat, |x| x.immediate),
            0,
            "seed {seed}"
        );
    }
}

/// One day of a line swamped far beyond its two agents, with patient
/// callers: thousands wait at once. `extra` adds the line's settings.
fn backlog_text(per_day: u32, extra: &str) -> String {
    format!(
        r#"
[horizon]
start = 2021-04-12
days = 1
[lines.main]
hours = {{ mon = "09:00-19:00" }}
{extra}
[channels.call]
patience = {{ dist = "exponential", mean = "1h" }}
[themes.t]
volume.call = {{ per_day = {per_day} }}
handle_time.call = {{ dist = "exponential", mean = "5m" }}
[pools.p]
agents = 2
skills = [{{ themes = "*" }}]
"#
    )
}

/// Issue 15, item 8: the queue limit and the announcement count the
/// contacts really waiting on every arrival that must queue. That count
/// must take a bounded number of steps per arrival, whatever the backlog
/// (walking the queue made a day quadratic in its volume).
#[test]
fn counting_the_contacts_waiting_takes_bounded_work_per_arrival() {
    for extra in [
        "max_queue = 100000",
        "announcement = { max_expected_wait = \"1000h\", leave = 0.5 }",
        "max_queue = 100000\nannouncement = { max_expected_wait = \"1000h\", leave = 0.5 }",
    ] {
        for per_day in [5_000, 20_000] {
            let m = model(&backlog_text(per_day, extra));
            let mut engine = Engine::new(&m).unwrap();
            let mut c = Counters::new(&m);
            engine.run(7, 0, &mut c);
            c.check_conservation().unwrap();
            let offered = total(&m, &c, Channel::Call, |x| x.offered);
            let closed = total(&m, &c, Channel::Call, |x| x.closed_out);
            // Neither the limit nor the announcement turns anyone away ...
            assert_eq!(total(&m, &c, Channel::Call, |x| x.blocked + x.sent_away), 0);
            // ... and a backlog of many hundreds is still waiting at closing.
            assert!(
                closed >= per_day as u64 / 20,
                "{extra}: {closed} closed out"
            );
            let steps = engine.waiting_steps();
            println!("{extra:?}, {per_day} calls a day: {steps} steps, {offered} arrivals");
            assert!(
                steps <= 4 * offered,
                "{extra}, {per_day} calls a day: {steps} steps to count the \
                 contacts waiting for {offered} arrivals ({} per arrival)",
                steps / offered
            );
        }
    }
}

/// With a queue limit, an announcement and a callback offer that all turn
/// callers away or take them out of the middle of the queue, abandonment
/// by events (eager, when redials are configured) and lazy abandonment
/// give the very same outcomes: the count of contacts really waiting does
/// not depend on whether those who hung up are still in the queue.
#[test]
fn eager_and_lazy_abandonment_agree_with_a_queue_limit_and_an_announcement() {
    let lazy_text = r#"
[horizon]
start = 2021-04-12
days = 3
interval = "15m"
[lines.main]
hours = { mon-fri = "09:00-13:00" }
max_queue = 15
announcement = { max_expected_wait = "3m", leave = 0.3 }
callback = { after = "3m", accept = 0.3 }
[channels.call]
patience = { dist = "exponential", mean = "5m" }
service_level_threshold = "20s"
[themes.a]
volume.call = { per_day = 700 }
handle_time.call = { dist = "exponential", mean = "4m" }
[themes.b]
volume.call = { per_day = 400 }
handle_time.call = { dist = "exponential", mean = "6m" }
[pools.p]
agents = 9
skills = [{ themes = "*" }]
"#;
    let eager_text = lazy_text.replace(
        "service_level_threshold",
        "redial = { probability = 0, delay = { dist = \"constant\", value = 60 } }\nservice_level_threshold",
    );
    let (lazy, eager) = (model(lazy_text), model(&eager_text));
    assert!(!lazy.has_redials() && eager.has_redials());
    let mut engines = (Engine::new(&lazy).unwrap(), Engine::new(&eager).unwrap());
    let mut counters = (Counters::new(&lazy), Counters::new(&eager));
    let mut turned_away = [0u64; 3];
    for r in 0..4 {
        counters.0.reset();
        counters.1.reset();
        engines.0.run(9, r, &mut counters.0);
        engines.1.run(9, r, &mut counters.1);
        counters.0.check_conservation().unwrap();
        counters.1.check_conservation().unwrap();
        for (x, y) in counters.0.cells.iter().zip(&counters.1.cells) {
            assert_eq!(
                (x.offered, x.answered, x.abandoned, x.blocked, x.sent_away),
                (y.offered, y.answered, y.abandoned, y.blocked, y.sent_away)
            );
            assert_eq!(
                (x.closed_out, x.callbacks, x.callbacks_made, x.on_time),
                (y.closed_out, y.callbacks, y.callbacks_made, y.on_time)
            );
            assert_eq!(x.wait_answered, y.wait_answered);
            assert_eq!(x.handled, y.handled);
            turned_away[0] += u64::from(x.blocked);
            turned_away[1] += u64::from(x.sent_away);
            turned_away[2] += u64::from(x.callbacks);
        }
    }
    // Every behaviour that reads or changes the count happened.
    println!("blocked, sent away, callbacks: {turned_away:?}");
    assert!(turned_away.iter().all(|&n| n > 100), "{turned_away:?}");
}
