//! Time per contact as the volume grows, one feature group at a time
//! (issue 18, target 2): redials, overflow, callbacks, queue limit,
//! announcement, chat concurrency, e-mail backlog, visits and transfers.
//!
//! Each group is one day (09:00–19:00) of one scenario at 67,500, 135,000,
//! 270,000 and 540,000 contacts a day, with the agents scaled so that the
//! offered load is the agents on duty (load 1.0): queues form and grow with
//! the volume, so any work proportional to a queue, a pool or a backlog per
//! event shows as a time per contact that grows with the volume. Criterion
//! reports the throughput in contacts (offered in a warm-up replication):
//! the time per contact should be flat along each group. One replication on
//! one thread per iteration.
//!
//! `cargo bench --bench engine_feature_scaling`; one group:
//! `cargo bench --bench engine_feature_scaling -- queue_limit`.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use ccsim::engine::Engine;
use ccsim::scenario;
use ccsim::stats::Counters;

/// Contacts a day.
const VOLUMES: [u32; 4] = [67_500, 135_000, 270_000, 540_000];

/// Agents on duty for `erlangs` of offered load (mean handle time 4 minutes
/// over 10 hours: `volume / 150` erlangs).
fn agents(erlangs: f64) -> u32 {
    erlangs.round().max(1.0) as u32
}

/// One day of calls on one line and one pool; `line` and `call` are added to
/// the line's table and the call channel's.
fn calls(volume: u32, pool: u32, line: &str, call: &str, themes: &str) -> String {
    format!(
        r#"
name = "scaling"
[horizon]
start = 2021-04-12
days = 1
[lines.main]
hours = {{ mon = "09:00-19:00" }}
{line}
[channels.call]
patience = {{ dist = "exponential", mean = "3m" }}
{call}
[themes.general]
volume.call = {{ per_day = {volume} }}
handle_time.call = {{ dist = "exponential", mean = "4m" }}
{themes}
[pools.agents]
agents = {pool}
skills = [{{ themes = "*" }}]
"#
    )
}

/// The scenario of feature group `group` at `volume` contacts a day.
fn scenario(group: &str, volume: u32) -> String {
    let v = f64::from(volume);
    let erlangs = v / 150.0;
    let plain = agents(erlangs);
    match group {
        "plain" => calls(volume, plain, "", "", ""),
        "redials" => calls(
            volume,
            plain,
            "",
            r#"[channels.call.redial]
probability = 0.6
later = 0.4
delay = { dist = "exponential", mean = "10m" }"#,
            "",
        ),
        // A backup pool takes calls that waited 30 s.
        "overflow" => {
            let text = calls(volume, agents(0.8 * erlangs), "", "", "");
            format!(
                "{text}[pools.backup]\nagents = {}\nskills = [{{ themes = \"*\", overflow_after = \"30s\" }}]\n",
                agents(0.2 * erlangs)
            )
        }
        "callbacks" => calls(
            volume,
            plain,
            r#"callback = { after = "60s", accept = 0.5 }"#,
            "",
            "",
        ),
        // A limit one contact in a thousand of the day's volume.
        "queue_limit" => calls(
            volume,
            plain,
            &format!("max_queue = {}", volume / 1000),
            "",
            "",
        ),
        "announcement" => calls(
            volume,
            plain,
            r#"announcement = { max_expected_wait = "10s", leave = 0.3 }"#,
            "",
            "",
        ),
        // Three chats at once per agent.
        "chat_concurrency" => format!(
            r#"
name = "scaling"
[horizon]
start = 2021-04-12
days = 1
[lines.main]
hours = {{ mon = "09:00-19:00" }}
[channels.chat]
patience = {{ dist = "exponential", mean = "3m" }}
concurrency = 3
[themes.general]
volume.chat = {{ per_day = {volume} }}
handle_time.chat = {{ dist = "exponential", mean = "4m" }}
[pools.agents]
agents = {}
skills = [{{ themes = "*" }}]
"#,
            agents(erlangs / 3.0)
        ),
        // Half calls, half e-mails, blended: the e-mails wait behind the
        // calls and pile up into a backlog.
        "email_backlog" => format!(
            r#"
name = "scaling"
[horizon]
start = 2021-04-12
days = 1
[lines.main]
hours = {{ mon = "09:00-19:00" }}
[channels.call]
patience = {{ dist = "exponential", mean = "3m" }}
[themes.general]
volume.call = {{ per_day = {half} }}
volume.email = {{ per_day = {half} }}
handle_time.call = {{ dist = "exponential", mean = "4m" }}
handle_time.email = {{ dist = "exponential", mean = "4m" }}
[pools.agents]
agents = {plain}
skills = [{{ themes = "*" }}]
"#,
            half = volume / 2
        ),
        // An appointment book with desks for 95% of the volume in 4-minute
        // slots, punctual-ish visitors, and walk-ins for the other 5%.
        "visits" => {
            let desks = agents(erlangs);
            let row = vec![desks.to_string(); 40].join(", ");
            format!(
                r#"
name = "scaling"
[horizon]
start = 2021-04-12
days = 1
interval = "15m"
[lines.counter]
hours = {{ mon = "09:00-19:00" }}
[lines.counter.appointments]
desks.start = "09:00"
desks.default = [{row}]
fill = 0.95
[channels.visit.punctuality]
early = 0.8
early_by = {{ dist = "exponential", mean = "5m" }}
late_by = {{ dist = "exponential", mean = "3m" }}
[themes.booked]
line = "counter"
volume.visit = {{ appointment_share = 1.0 }}
appointment = {{ slot = "4m" }}
handle_time.visit = {{ dist = "exponential", mean = "4m" }}
[themes.walk_in]
line = "counter"
volume.visit = {{ per_day = {walk_ins} }}
handle_time.visit = {{ dist = "exponential", mean = "4m" }}
[pools.desks]
agents = {desks}
skills = [{{ themes = "*" }}]
"#,
                walk_ins = volume / 20
            )
        }
        // 30% of the answered calls move on to a second theme.
        "transfers" => calls(
            volume,
            agents(1.3 * erlangs),
            "",
            "",
            r#"transfer = { to = "second", probability = 0.3, delay = "30s" }
[themes.second]
volume.call = { per_day = 0 }
handle_time.call = { dist = "exponential", mean = "4m" }"#,
        ),
        _ => unreachable!("unknown group {group}"),
    }
}

/// The groups, the plain day first as the reference.
const GROUPS: [&str; 10] = [
    "plain",
    "redials",
    "overflow",
    "callbacks",
    "queue_limit",
    "announcement",
    "chat_concurrency",
    "email_backlog",
    "visits",
    "transfers",
];

fn feature_scaling(c: &mut Criterion) {
    for group_name in GROUPS {
        let mut group = c.benchmark_group(format!("feature_scaling/{group_name}"));
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        for volume in VOLUMES {
            let text = scenario(group_name, volume);
            let model = match scenario::parse_str(&text, "scaling.toml", None) {
                Ok(parsed) => parsed.model,
                Err(e) => panic!("{group_name} at {volume}: {e}\n{text}"),
            };
            let mut engine = Engine::new(&model).unwrap();
            let mut counters = Counters::new(&model);
            // One warm-up replication sizes the queues and counts the contacts.
            engine.run(1, 0, &mut counters);
            let offered: u64 = counters.cells.iter().map(|c| u64::from(c.offered)).sum();
            eprintln!(
                "{group_name} at {volume} a day: {offered} contacts, {} events",
                engine.events_handled()
            );
            group.throughput(Throughput::Elements(offered));
            let mut replication = 0;
            group.bench_function(BenchmarkId::from_parameter(volume), |b| {
                b.iter(|| {
                    replication += 1;
                    counters.reset();
                    engine.run(1, replication, &mut counters);
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, feature_scaling);
criterion_main!(benches);
