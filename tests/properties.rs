//! Property tests over random valid scenarios, generated as TOML text from a
//! small grammar (horizon, 1–2 lines, 1–3 themes with call, chat and e-mail
//! volumes, pools with skills, optional patience, redials and queue limits).
//! Each must parse, validate and simulate without panicking, conserve every
//! contact, keep every share within [0, 1], and be deterministic: the same
//! seed gives the same counters, and the same figures on 1 and 2 threads.

use std::fmt::Write;

use ccsim::fuzzing::{check_run, simulate};
use ccsim::{engine::Engine, montecarlo, scenario};
use proptest::prelude::*;

/// One theme: its line, and its volume per day on call, chat and e-mail
/// (`None`: no demand on that channel).
#[derive(Debug, Clone)]
struct ThemeGen {
    line: usize,
    volumes: [Option<u32>; 3],
}

/// One line: opening and closing hour Monday to Friday, optional Saturday
/// morning, optional queue limit.
#[derive(Debug, Clone)]
struct LineGen {
    open: u32,
    hours: u32,
    saturday: bool,
    max_queue: Option<u32>,
}

/// A scenario in the grammar's terms.
#[derive(Debug, Clone)]
struct ScenarioGen {
    start_offset: u32,
    days: u32,
    interval: &'static str,
    lines: Vec<LineGen>,
    themes: Vec<ThemeGen>,
    /// Agents per pool; pool 0 serves every theme, pool `i > 0` serves theme `i - 1` (when it exists) first.
    pools: Vec<u32>,
    call_patience: Option<u32>,
    chat_patience: Option<u32>,
    chat_concurrency: u32,
    redial: Option<(u32, u32)>,
}

const CHANNELS: [&str; 3] = ["call", "chat", "email"];

fn line_gen() -> impl Strategy<Value = LineGen> {
    (
        6u32..12,
        1u32..12,
        any::<bool>(),
        prop::option::of(0u32..30),
    )
        .prop_map(|(open, hours, saturday, max_queue)| LineGen {
            open,
            hours: hours.min(23 - open),
            saturday,
            max_queue,
        })
}

fn theme_gen() -> impl Strategy<Value = ThemeGen> {
    (
        0usize..2,
        [
            prop::option::of(0u32..400),
            prop::option::of(0u32..150),
            prop::option::of(0u32..80),
        ],
    )
        .prop_map(|(line, mut volumes)| {
            if volumes.iter().all(Option::is_none) {
                volumes[0] = Some(0);
            }
            ThemeGen { line, volumes }
        })
}

fn scenario_gen() -> impl Strategy<Value = ScenarioGen> {
    (
        (
            0u32..60,
            1u32..4,
            prop::sample::select(vec!["15m", "30m", "60m"]),
        ),
        prop::collection::vec(line_gen(), 1..=2),
        prop::collection::vec(theme_gen(), 1..=3),
        prop::collection::vec(0u32..14, 1..=3),
        (
            prop::option::of(20u32..600),
            prop::option::of(20u32..600),
            1u32..4,
            prop::option::of((1u32..10, 1u32..60)),
        ),
    )
        .prop_map(
            |(
                (start_offset, days, interval),
                lines,
                themes,
                pools,
                (call_patience, chat_patience, chat_concurrency, redial),
            )| ScenarioGen {
                start_offset,
                days,
                interval,
                lines,
                themes,
                pools,
                call_patience,
                chat_patience,
                chat_concurrency,
                redial,
            },
        )
}

impl ScenarioGen {
    /// The scenario file.
    fn toml(&self) -> String {
        let mut t = String::new();
        let start = chrono::NaiveDate::from_ymd_opt(2021, 4, 1).unwrap()
            + chrono::Days::new(u64::from(self.start_offset));
        writeln!(
            t,
            "[horizon]\nstart = {start}\ndays = {}\ninterval = \"{}\"\n",
            self.days, self.interval
        )
        .unwrap();
        for (i, l) in self.lines.iter().enumerate() {
            let close = l.open + l.hours;
            write!(
                t,
                "[lines.line{i}]\nhours = {{ mon-fri = \"{:02}:00-{close:02}:00\"",
                l.open
            )
            .unwrap();
            if l.saturday {
                t.push_str(", sat = \"10:00-13:00\"");
            }
            t.push_str(" }\n");
            if let Some(q) = l.max_queue {
                writeln!(t, "max_queue = {q}").unwrap();
            }
            t.push('\n');
        }
        t.push_str("[channels.call]\n");
        if let Some(p) = self.call_patience {
            writeln!(
                t,
                "patience = {{ dist = \"exponential\", mean = \"{p}s\" }}"
            )
            .unwrap();
        }
        if let Some((probability, delay)) = self.redial {
            writeln!(
                t,
                "redial = {{ probability = 0.{probability}, delay = {{ dist = \"exponential\", mean = \"{delay}m\" }}, max_attempts = 4 }}"
            )
            .unwrap();
        }
        writeln!(
            t,
            "\n[channels.chat]\nconcurrency = {}",
            self.chat_concurrency
        )
        .unwrap();
        if let Some(p) = self.chat_patience {
            writeln!(
                t,
                "patience = {{ dist = \"exponential\", mean = \"{p}s\" }}"
            )
            .unwrap();
        }
        t.push('\n');
        for (i, th) in self.themes.iter().enumerate() {
            writeln!(t, "[themes.theme{i}]").unwrap();
            writeln!(t, "line = \"line{}\"", th.line.min(self.lines.len() - 1)).unwrap();
            for (c, v) in CHANNELS.iter().zip(th.volumes) {
                if let Some(v) = v {
                    writeln!(t, "volume.{c} = {{ per_day = {v} }}").unwrap();
                    writeln!(
                        t,
                        "handle_time.{c} = {{ dist = \"lognormal\", mean = \"{}m\", cv = 0.7 }}",
                        3 + i
                    )
                    .unwrap();
                }
            }
            t.push('\n');
        }
        for (i, agents) in self.pools.iter().enumerate() {
            writeln!(t, "[pools.pool{i}]\nagents = {agents}").unwrap();
            if i == 0 || i > self.themes.len() {
                t.push_str("skills = [{ themes = \"*\" }]\n\n");
            } else {
                writeln!(
                    t,
                    "skills = [{{ themes = \"theme{}\", priority = 1 }}, {{ themes = \"*\", priority = 2 }}]\n",
                    i - 1
                )
                .unwrap();
            }
        }
        t
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_valid_scenarios_conserve_contacts_and_are_deterministic(g in scenario_gen()) {
        let text = g.toml();
        let scenario = match scenario::parse_str(&text, "generated.toml", None) {
            Ok(s) => s,
            Err(e) => return Err(TestCaseError::fail(format!("the grammar made an invalid scenario:\n{e}\n{text}"))),
        };
        let model = &scenario.model;
        let mut engine = Engine::new(model).expect("engine");
        for seed in [1, 2] {
            let counters = simulate(&mut engine, model, seed);
            // Conservation, and every share within [0, 1] (panics otherwise).
            check_run(model, &counters);
            prop_assert!(counters == simulate(&mut engine, model, seed), "seed {seed}: different counters on a second run\n{text}");
        }
        let run = |threads| {
            montecarlo::run(model, montecarlo::RunOptions { replications: 3, seed: 7, threads: Some(threads) }, &|| {})
                .expect("run")
        };
        let (one, two) = (run(1), run(2));
        let bits = |r: &montecarlo::RunResult| r.values.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        prop_assert_eq!(bits(&one), bits(&two), "1 and 2 threads differ\n{}", text);
    }
}

/// The grammar's simplest scenario is valid and simulated (so the property
/// above cannot pass by rejecting everything).
#[test]
fn the_grammar_makes_valid_scenarios() {
    let g = ScenarioGen {
        start_offset: 11,
        days: 2,
        interval: "30m",
        lines: vec![LineGen {
            open: 9,
            hours: 8,
            saturday: false,
            max_queue: None,
        }],
        themes: vec![ThemeGen {
            line: 0,
            volumes: [Some(300), None, Some(20)],
        }],
        pools: vec![5],
        call_patience: Some(180),
        chat_patience: None,
        chat_concurrency: 1,
        redial: None,
    };
    let text = g.toml();
    assert_eq!(
        ccsim::fuzzing::check_input(text.as_bytes()),
        ccsim::fuzzing::Outcome::Simulated,
        "{text}"
    );
}
