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
