//! The queue limit and the announcement decide from a count of the contacts
//! really waiting that the engine keeps as contacts join and leave (issue
//! 15, issue 18): contacts leave from the head (answered), from the middle
//! (an abandonment event when redials are on, an accepted callback offer),
//! or stay in the queue after hanging up (lazy abandonment). These tests
//! rebuild the count from the definition, from every contact's arrival and
//! end as the engine tells them, and check each decision against it.

use ccsim::engine::Engine;
use ccsim::model::Model;
use ccsim::scenario;
use ccsim::stats::{ContactEnd, Ended, Recorder};

fn model(text: &str) -> Model {
    scenario::parse_str(text, "test.toml", None)
        .unwrap_or_else(|e| panic!("{e}"))
        .model
}

/// Every contact's end, as the engine tells it.
#[derive(Default)]
struct Ends(Vec<ContactEnd>);

impl Recorder for Ends {
    fn offered(&mut self, _: usize, _: usize) {}
    fn answered(&mut self, _: usize, _: usize, _: f64, _: f64, _: bool) {}
    fn abandoned(&mut self, _: usize, _: usize, _: f64) {}
    fn blocked(&mut self, _: usize, _: usize) {}
    fn closed_out(&mut self, _: usize, _: usize, _: f64) {}
    fn left_waiting(&mut self, _: usize, _: usize, _: bool) {}
    fn pool_time(&mut self, _: usize, _: usize, _: f64, _: f64) {}
    fn backlog(&mut self, _: usize, _: usize, _: usize) {}
    fn contact(&mut self, e: &ContactEnd) {
        self.0.push(*e);
    }
}

/// One week of an overloaded line (10 agents, 4-minute calls, 200 calls an
/// hour) with a callback offer and redials that are never made (so that
/// abandonment is an event that takes the caller out of the middle of the
/// queue); `rule` adds the queue limit or the announcement.
fn line(rule: &str) -> String {
    format!(
        r#"
[horizon]
start = 2021-04-12
days = 5
[lines.main]
hours = {{ mon-fri = "09:00-19:00" }}
callback = {{ after = "2m", accept = 0.3 }}
{rule}
[channels.call]
patience = {{ dist = "exponential", mean = "5m" }}
redial = {{ probability = 0, delay = {{ dist = "constant", value = 60 }} }}
[themes.t]
volume.call = {{ per_day = 2000 }}
handle_time.call = {{ dist = "exponential", mean = "4m" }}
[pools.p]
agents = 10
skills = [{{ themes = "*" }}]
"#
    )
}

/// Each contact with the number of contacts offered before it that were
/// still waiting when it arrived, by the definition: in the queue from
/// their arrival until they were answered, hung up, accepted a callback or
/// were closed out (a caller who hung up is not waiting, even if a lazy
/// engine has not taken them out yet). `None` where an end falls within a
/// microsecond of the arrival, too close to tell the order.
fn waiting_at_each_arrival(ends: &mut [ContactEnd]) -> Vec<(ContactEnd, Option<usize>)> {
    ends.sort_by_key(|e| e.contact);
    let mut out = Vec::with_capacity(ends.len());
    for (k, c) in ends.iter().enumerate() {
        let t = c.arrival;
        let mut waiting = Some(0);
        for d in &ends[..k] {
            let queued = matches!(
                d.outcome,
                Ended::Answered
                    | Ended::Abandoned
                    | Ended::Callback
                    | Ended::ClosedOut
                    | Ended::Waiting
            ) && d.wait > 0.0;
            if !queued {
                continue;
            }
            let left = d.arrival + d.wait;
            if (left - t).abs() < 1e-6 {
                waiting = None;
                break;
            }
            if d.arrival <= t && t < left {
                waiting = waiting.map(|w| w + 1);
            }
        }
        out.push((*c, waiting));
    }
    out
}

/// Runs `text` for `replications` and gives every contact with its count.
fn contacts(text: &str, replications: u64) -> Vec<(ContactEnd, Option<usize>)> {
    let m = model(text);
    assert!(m.has_redials() && m.has_callbacks());
    let mut engine = Engine::new(&m).unwrap();
    let mut all = Vec::new();
    for r in 0..replications {
        let mut ends = Ends::default();
        engine.run(18, r, &mut ends);
        all.extend(waiting_at_each_arrival(&mut ends.0));
    }
    all
}

/// Whether the contact had to queue or be turned away (not answered at once).
fn not_answered_at_once(c: &ContactEnd) -> bool {
    !(c.outcome == Ended::Answered && c.wait == 0.0)
}

/// `max_queue = 8`: a contact no agent takes at once is blocked exactly
/// when 8 or more contacts are really waiting, callers taken out of the
/// middle of the queue (abandonment events, callbacks) not counted.
#[test]
fn the_queue_limit_blocks_exactly_when_the_queue_is_full() {
    let all = contacts(&line("max_queue = 8"), 3);
    let (mut blocked, mut queued, mut unclear, mut callbacks) = (0, 0, 0, 0);
    for (c, waiting) in all.iter().filter(|(c, _)| not_answered_at_once(c)) {
        let Some(waiting) = *waiting else {
            unclear += 1;
            continue;
        };
        callbacks += usize::from(c.outcome == Ended::Callback);
        if c.outcome == Ended::Blocked {
            blocked += 1;
            assert!(
                waiting >= 8,
                "contact {} blocked with {waiting} waiting",
                c.contact
            );
        } else {
            queued += 1;
            assert!(waiting < 8, "contact {} queued behind {waiting}", c.contact);
        }
    }
    println!("blocked {blocked}, queued {queued}, callbacks {callbacks}, unclear {unclear}");
    assert!(
        blocked > 500 && queued > 1_000 && callbacks > 100,
        "{blocked} {queued}"
    );
    assert!(
        unclear < 10,
        "{unclear} arrivals too close to an end to tell"
    );
}

/// `announcement = { max_expected_wait = "2m", leave = 0.5 }` with 10
/// agents and a mean handle time of 4 minutes: the announced wait
/// (waiting + 1) × 4 min / 10 is above 2 minutes from 5 contacts really
/// waiting. Below that nobody is sent away; from there on half are.
#[test]
fn the_announcement_sends_away_only_callers_told_a_long_wait() {
    let all = contacts(
        &line(r#"announcement = { max_expected_wait = "2m", leave = 0.5 }"#),
        3,
    );
    let (mut told, mut sent_away, mut short, mut unclear) = (0u32, 0u32, 0u32, 0);
    for (c, waiting) in all.iter().filter(|(c, _)| not_answered_at_once(c)) {
        let Some(waiting) = *waiting else {
            unclear += 1;
            continue;
        };
        let long = (waiting + 1) as f64 * 240.0 / 10.0 > 120.0;
        if long {
            told += 1;
            sent_away += u32::from(c.outcome == Ended::SentAway);
        } else {
            short += 1;
            assert_ne!(
                c.outcome,
                Ended::SentAway,
                "contact {} sent away with {waiting} waiting",
                c.contact
            );
        }
    }
    let share = f64::from(sent_away) / f64::from(told);
    println!("told a long wait {told}, sent away {sent_away} ({share:.3}), short {short}");
    assert!(told > 2_000 && short > 1_000, "{told} {short}");
    // Binomial(told, 0.5): four standard deviations are below 0.045.
    assert!((share - 0.5).abs() < 0.045, "{share} of {told} sent away");
    assert!(
        unclear < 10,
        "{unclear} arrivals too close to an end to tell"
    );
}
