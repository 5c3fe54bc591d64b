//! Staffing by shifts, absenteeism and temporary extra support
//! (`pools.NAME.shifts`, `.absenteeism`, `.extra`).

use ccsim::model::Model;
use ccsim::montecarlo::{self, RunOptions, RunResult};
use ccsim::scenario;
use ccsim::stats::{Level, Metric, Scope};

fn model(text: &str) -> Model {
    scenario::parse_str(text, "test.toml", None)
        .unwrap_or_else(|e| panic!("{e}"))
        .model
}

fn errors(text: &str) -> String {
    scenario::parse_str(text, "test.toml", None)
        .expect_err("the scenario should be refused")
        .to_string()
}

fn run(model: &Model, replications: u32, seed: u64) -> RunResult {
    montecarlo::run(
        model,
        RunOptions {
            replications,
            seed,
            threads: None,
        },
        &|| {},
    )
    .unwrap()
}

/// The per-replication values of a horizon figure.
fn horizon(result: &RunResult, scope: Scope, metric: Metric) -> Vec<f64> {
    let e = result
        .layout
        .entries
        .iter()
        .position(|e| e.level == Level::Horizon && e.scope == scope && e.metric == metric)
        .unwrap_or_else(|| panic!("no horizon figure {metric:?} for {scope:?}"));
    result.column(e)
}

/// Bit for bit, NaN included; names the first figure that differs.
fn assert_identical(a: &RunResult, b: &RunResult) {
    assert_eq!(a.values.len(), b.values.len());
    let n = a.layout.entries.len();
    if let Some(k) = (0..a.values.len()).find(|&k| a.values[k].to_bits() != b.values[k].to_bits()) {
        panic!(
            "replication {}, {:?}: {} != {}",
            k / n,
            a.layout.entries[k % n],
            a.values[k],
            b.values[k]
        );
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Two weeks from Monday 2021-05-03; Thursday 2021-05-13 (Ascension) is closed.
const BASE: &str = r#"
[horizon]
start = 2021-05-03
days = 14
[lines.main]
hours = { mon-fri = "08:00-18:00", sat = "09:00-13:00" }
closed = [2021-05-13]
[channels.call]
patience = { dist = "exponential", mean = "3m" }
[themes.taxes]
volume.call = { per_day = 700 }
volume.email = { per_day = 100 }
intraday_weights = { start = "08:00", weights = [1, 1, 2, 3, 3, 3, 3, 2, 2, 2, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1] }
handle_time.call = { dist = "lognormal", mean = "5m", cv = 0.8 }
handle_time.email = { dist = "exponential", mean = "8m" }
[pools.desk]
shrinkage = 0.1
skills = [{ themes = "*" }]
"#;

/// Two shifts with breaks on weekdays (one fewer agent on the late shift
/// on Fridays) and a morning shift on Saturdays.
const SHIFTS: &str = r#"shifts = [
  { start = "08:00", end = "16:30", breaks = [{ at = "12:00", length = "30m" }], count = { mon-fri = 6 } },
  { start = "09:30", end = "18:00", breaks = [{ at = "13:00", length = "1h" }], count = { mon-fri = 4, fri = 3 } },
  { start = "09:00", end = "13:00", count = { sat = 2 } },
]
"#;

/// The same staffing, interval by interval from 08:00.
const TABLE: &str = r#"[pools.desk.staffing]
start = "08:00"
default = [6, 6, 6, 10, 10, 10, 10, 10, 4, 10, 6, 6, 10, 10, 10, 10, 10, 4, 4, 4]
fri = [6, 6, 6, 9, 9, 9, 9, 9, 3, 9, 6, 6, 9, 9, 9, 9, 9, 3, 3, 3]
sat = [0, 0, 2, 2, 2, 2, 2, 2, 2, 2]
sun = []
"#;

fn with(pool_fields: &str) -> String {
    BASE.replace("[pools.desk]\n", &format!("[pools.desk]\n{pool_fields}"))
}

fn with_table(pool_fields: &str) -> String {
    format!("{}{TABLE}", with(pool_fields))
}

#[test]
fn shifts_compile_to_the_same_staffing_as_the_table() {
    let shifts = model(&with(SHIFTS));
    let table = model(&with_table(""));
    let (s, t) = (&shifts.pools[0], &table.pools[0]);
    assert_eq!(s.scheduled, t.scheduled);
    assert_eq!(s.available, t.available);
    // Monday 08:00-08:30: the early shift only; 12:00-12:30 its break.
    assert_eq!(s.scheduled[16], 6.0);
    assert_eq!(s.scheduled[24], 4.0);
    // The closed Thursday and the Sunday have nobody, as with the table.
    let per_day = 48;
    assert!(
        s.scheduled[10 * per_day..11 * per_day]
            .iter()
            .all(|&n| n == 0.0)
    );
    assert!(
        s.scheduled[6 * per_day..7 * per_day]
            .iter()
            .all(|&n| n == 0.0)
    );
    assert_eq!(s.shifts.len(), 3);
    assert_eq!(s.shifts[0].segments, vec![(16, 24), (25, 33)]);
    // 10 working days, one of them closed: the early shift works 9 of them.
    assert_eq!(s.shifts[0].count.iter().filter(|&&n| n == 6).count(), 9);
}

#[test]
fn shifts_and_the_table_give_identical_results_for_the_same_seed() {
    let shifts = run(&model(&with(SHIFTS)), 6, 21);
    let table = run(&model(&with_table("")), 6, 21);
    assert_eq!(shifts.layout.entries, table.layout.entries);
    assert_identical(&shifts, &table);
}

#[test]
fn scale_multiplies_each_shift_head_count() {
    let m = model(&with(&format!("scale = 1.5\n{SHIFTS}")));
    let s = &m.pools[0];
    // Monday 08:00: round(6 × 1.5) = 9; 09:30: 9 + round(4 × 1.5) = 15;
    // Friday 09:30: 9 + round(3 × 1.5) = 9 + 5 (halves round up) = 14.
    assert_eq!(s.scheduled[16], 9.0);
    assert_eq!(s.scheduled[19], 15.0);
    assert_eq!(s.scheduled[4 * 48 + 19], 14.0);
}

#[test]
fn shifts_cannot_be_given_with_agents_or_staffing() {
    assert_eq!(
        errors(&with(&format!("agents = 5\n{SHIFTS}"))),
        "test.toml:18:10: `pools.desk.shifts`: give only one of `agents` (a constant), `staffing` (a table) and `shifts`"
    );
    assert_eq!(
        errors(&with_table(SHIFTS)),
        "test.toml:17:10: `pools.desk.shifts`: give only one of `agents` (a constant), `staffing` (a table) and `shifts`"
    );
    assert_eq!(
        errors(&with("")),
        "test.toml:16:1: `pools.desk`: missing `agents` (a constant), `staffing` (agents per interval) or `shifts`"
    );
}

#[test]
fn shift_errors_name_the_field() {
    let bad = |shift: &str| errors(&with(&format!("shifts = [{shift}]\n")));
    assert_eq!(
        bad(r#"{ start = "08:15", end = "16:30", count = { mon-fri = 6 } }"#),
        "test.toml:17:21: `pools.desk.shifts[0].start`: a shift's start must fall on an interval boundary (every 30 minutes): shorten horizon.interval or round the time"
    );
    assert_eq!(
        bad(r#"{ start = "22:00", end = "06:00", count = { mon-fri = 6 } }"#),
        "test.toml:17:36: `pools.desk.shifts[0].end`: a shift must end after it starts, the same day (\"22:00\" to \"06:00\"): split a night shift in two, until \"24:00\" and from \"00:00\""
    );
    assert_eq!(
        bad(
            r#"{ start = "08:00", end = "16:00", breaks = [{ at = "12:00", length = "15m" }], count = { mon-fri = 6 } }"#
        ),
        "test.toml:17:80: `pools.desk.shifts[0].breaks[0].length`: a break must last a whole number of intervals (30 minutes): shorten horizon.interval, or count short breaks in shrinkage"
    );
    assert_eq!(
        bad(
            r#"{ start = "08:00", end = "16:00", breaks = [{ at = "15:30", length = "1h" }], count = { mon-fri = 6 } }"#
        ),
        "test.toml:17:55: `pools.desk.shifts[0].breaks[0]`: the break 15:30-16:30 must lie within its shift 08:00-16:00"
    );
    assert_eq!(
        bad(
            r#"{ start = "08:00", end = "16:00", breaks = [{ at = "12:00", length = "1h" }, { at = "12:30", length = "30m" }], count = { mon-fri = 6 } }"#
        ),
        "test.toml:17:88: `pools.desk.shifts[0].breaks[1]`: the break 12:30-13:00 overlaps the break 12:00-13:00"
    );
    assert_eq!(
        bad(r#"{ start = "08:00", end = "16:00", count = { Mon = 6, tue = -1 } }"#),
        "test.toml:17:61: `pools.desk.shifts[0].count.Mon`: `Mon` is not a weekday or weekday range: use mon, tue, wed, thu, fri, sat, sun or a range like mon-fri\n\
         test.toml:17:70: `pools.desk.shifts[0].count.tue`: must be a whole number of agents from 0 to 100000, got -1"
    );
    assert_eq!(
        errors(&with("shifts = []\n")),
        "test.toml:17:10: `pools.desk.shifts`: give at least one shift, e.g. [{ start = \"09:00\", end = \"17:00\", count = { mon-fri = 10 } }]"
    );
}

#[test]
fn zero_absenteeism_is_bit_identical_to_none() {
    let none = run(&model(&with(SHIFTS)), 4, 8);
    let zero = run(&model(&with(&format!("absenteeism = 0.0\n{SHIFTS}"))), 4, 8);
    assert_eq!(none.layout.entries, zero.layout.entries);
    assert_identical(&none, &zero);
}

/// Mean and half-width of the 95% CI of values (normal approximation).
fn mean_ci(v: &[f64]) -> (f64, f64) {
    let m = mean(v);
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64;
    (m, 1.96 * (var / v.len() as f64).sqrt())
}

#[test]
fn absenteeism_takes_its_share_of_the_scheduled_hours_away() {
    let a = 0.2;
    for fields in [
        format!("absenteeism = {a}\n{SHIFTS}"),
        // A table: its agents are stacked by seniority.
        format!("absenteeism = {a}\n{TABLE}"),
    ] {
        let text = if fields.contains("staffing") {
            with_table(&format!("absenteeism = {a}\n"))
        } else {
            with(&fields)
        };
        let absent_model = model(&text);
        let base = run(&model(&with(SHIFTS)), 40, 3);
        let absent = run(&absent_model, 40, 3);
        let desk = Scope::Pool(0);
        let scheduled = horizon(&absent, desk, Metric::ScheduledHours);
        let absent_hours = horizon(&absent, desk, Metric::AbsentHours);
        // Absences are paid: the scheduled hours do not change.
        assert_eq!(scheduled, horizon(&base, desk, Metric::ScheduledHours));
        // The share of scheduled hours lost is the absenteeism, within its CI.
        let share: Vec<f64> = absent_hours
            .iter()
            .zip(&scheduled)
            .map(|(x, s)| x / s)
            .collect();
        let (m, h) = mean_ci(&share);
        eprintln!("absent share of scheduled hours: {m:.4} ± {h:.4}");
        assert!((m - a).abs() < h && h < 0.02, "absent share {m} ± {h}");
        // Present agent hours drop by that share (paired per replication;
        // agents finishing a contact after their shift blur it a little).
        let on_duty: Vec<f64> = horizon(&absent, desk, Metric::AgentHours)
            .iter()
            .zip(horizon(&base, desk, Metric::AgentHours))
            .map(|(x, b)| 1.0 - x / b)
            .collect();
        let (m, h) = mean_ci(&on_duty);
        eprintln!("drop of agent hours on duty: {m:.4} ± {h:.4}");
        assert!((m - a).abs() < h + 0.005, "agent hours drop {m} ± {h}");
        // Fewer agents answer fewer calls; arrivals are the same draws.
        let reach = |r: &RunResult| {
            mean(&horizon(
                r,
                Scope::Channel(ccsim::model::Channel::Call),
                Metric::Reachability,
            ))
        };
        eprintln!(
            "call reachability: {:.4} without, {:.4} with absenteeism",
            reach(&base),
            reach(&absent)
        );
        assert!(reach(&absent) < reach(&base) - 0.02);
        for c in [ccsim::model::Channel::Call, ccsim::model::Channel::Email] {
            assert_eq!(
                horizon(&absent, Scope::Channel(c), Metric::Offered),
                horizon(&base, Scope::Channel(c), Metric::Offered)
            );
        }
    }
}

/// Three extra agents Tuesday 4 to Friday 7 May, 10:00-16:00, at 35 an hour.
const EXTRA: &str = r#"extra = [{ from = 2021-05-04, to = 2021-05-07, agents = 3, hours = "10:00-16:00", weekdays = "mon-fri", price_per_hour = 35.0 }]
"#;

#[test]
fn extra_support_costs_its_hours_times_its_price() {
    let base_model = model(&with(SHIFTS));
    let extra_model = model(&with(&format!("{EXTRA}{SHIFTS}")));
    let (b, x) = (&base_model.pools[0], &extra_model.pools[0]);
    // Own agents and what they are paid for do not change; the extra agents
    // add to the agents on duty, untouched by shrinkage.
    assert_eq!(b.scheduled, x.scheduled);
    for i in 0..b.available.len() {
        let day = i / 48;
        let slot = i % 48;
        let in_window = (1..=4).contains(&day) && (20..32).contains(&slot);
        assert_eq!(
            x.available[i],
            b.available[i] + if in_window { 3 } else { 0 },
            "interval {i}"
        );
    }
    let base = run(&base_model, 10, 5);
    let extra = run(&extra_model, 10, 5);
    // 4 days × 6 hours × 3 agents = 72 hours, × 35 = 2520, in every replication.
    let desk = Scope::Pool(0);
    assert!(
        horizon(&extra, desk, Metric::ExtraHours)
            .iter()
            .all(|&h| h == 72.0)
    );
    assert!(
        horizon(&extra, desk, Metric::ExtraCost)
            .iter()
            .all(|&c| c == 2520.0)
    );
    assert!(
        horizon(&extra, Scope::Total, Metric::ExtraCost)
            .iter()
            .all(|&c| c == 2520.0)
    );
    // The handling cost is reported apart and does not include it.
    assert_eq!(
        horizon(&extra, Scope::Total, Metric::Cost),
        horizon(&base, Scope::Total, Metric::Cost)
    );
    // A scenario without extra support has no extra figures at all.
    assert!(
        !base
            .layout
            .entries
            .iter()
            .any(|e| matches!(e.metric, Metric::ExtraCost | Metric::ExtraHours))
    );
    // Reachability rises on the days with support ...
    let day_reach = |r: &RunResult, d: u32| {
        let e = r
            .layout
            .entries
            .iter()
            .position(|e| {
                e.level == Level::Day(d)
                    && e.scope == Scope::Channel(ccsim::model::Channel::Call)
                    && e.metric == Metric::Reachability
            })
            .unwrap();
        mean(&r.column(e))
    };
    for d in 1..=4 {
        eprintln!(
            "day {d}: call reachability {:.4} without, {:.4} with extra support",
            day_reach(&base, d),
            day_reach(&extra, d)
        );
        assert!(day_reach(&extra, d) > day_reach(&base, d) + 0.03, "day {d}");
    }
    // ... and the Monday before the window is bit for bit the same.
    let n = base.layout.entries.len();
    for (k, e) in base.layout.entries.iter().enumerate() {
        if e.level == Level::Day(0) {
            let xk = extra.layout.entries.iter().position(|x| x == e).unwrap();
            for r in 0..10 {
                assert_eq!(
                    base.values[r * n + k].to_bits(),
                    extra.values[r * extra.layout.entries.len() + xk].to_bits(),
                    "{e:?}"
                );
            }
        }
    }
}

#[test]
fn extra_support_is_clipped_to_the_horizon_and_the_working_days() {
    // From before the horizon to Thursday 13 May (closed), lines' own hours,
    // every weekday: Monday 3 to Wednesday 12 minus the weekend, and the
    // Saturday's 09:00-13:00 window: 8 weekdays × 10 h + 4 h = 84 h.
    let m = model(&with(&format!(
        "extra = [{{ from = 2021-04-20, to = 2021-05-13, agents = 2, price_per_hour = 30 }}]\n{SHIFTS}"
    )));
    let hours: f64 = m.pools[0].extra.iter().map(|&n| f64::from(n) * 0.5).sum();
    assert_eq!(hours, 2.0 * 84.0);
    let cost: f64 = m.pools[0].extra_cost.iter().sum();
    assert_eq!(cost, 2.0 * 84.0 * 30.0);
}

#[test]
fn extra_support_errors_name_the_field() {
    let bad = |entry: &str| errors(&with(&format!("extra = [{entry}]\n{SHIFTS}")));
    // Entirely outside the horizon (a scenario moved to other dates): left
    // out, with a note that names the field.
    let outside = scenario::parse_str(
        &with(&format!(
            "extra = [{{ from = 2021-06-01, to = 2021-06-30, agents = 2, price_per_hour = 30 }}]\n{SHIFTS}"
        )),
        "test.toml",
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(outside.model.pools[0].extra.is_empty());
    assert_eq!(
        outside.notes.expect("a note").to_string(),
        "test.toml:17:19: `pools.desk.extra[0].from`: the support from 2021-06-01 to 2021-06-30 lies entirely outside the horizon (2021-05-03 to 2021-05-16): left out"
    );
    assert_eq!(
        bad(r#"{ from = 2021-05-07, to = 2021-05-04, agents = 2, price_per_hour = 30 }"#),
        "test.toml:17:36: `pools.desk.extra[0].to`: must be on or after `from` (2021-05-07), got 2021-05-04"
    );
    assert_eq!(
        bad(
            r#"{ from = 2021-05-04, to = 2021-05-07, agents = -2, hours = "10:15-16:00", weekdays = "weekdays", price_per_hour = -30 }"#
        ),
        "test.toml:17:57: `pools.desk.extra[0].agents`: must be a whole number of agents from 0 to 100000, got -2\n\
         test.toml:17:69: `pools.desk.extra[0].hours`: the support must start and end on interval boundaries (every 30 minutes): shorten horizon.interval or round the hours\n\
         test.toml:17:95: `pools.desk.extra[0].weekdays`: `weekdays` is not a weekday or weekday range: use mon, tue, wed, thu, fri, sat, sun or a range like mon-fri\n\
         test.toml:17:124: `pools.desk.extra[0].price_per_hour`: must be a non-negative price per agent-hour, got -30"
    );
    assert_eq!(
        errors(&with(&format!("absenteeism = 1.0\n{SHIFTS}"))),
        "test.toml:17:15: `pools.desk.absenteeism`: must be a share from 0 up to (not including) 1, got 1"
    );
}

#[test]
fn run_reports_absences_and_the_extra_support_cost_apart() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("summary.json");
    let out = assert_cmd::Command::cargo_bin("ccsim")
        .unwrap()
        .args(["run", "scenarios/shifts.toml", "-r", "4", "-q", "--json"])
        .arg(&json)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    // 4 agents × 8 hours × 4 days (Thursday 13 May is closed) × 38.
    assert!(
        out.contains(
            "Extra support cost: 4,864 [4,864, 4,864] (EUR, mean [95% CI]; not included in the cost above)"
        ),
        "{out}"
    );
    assert!(
        out.contains("absent hours") && out.contains("extra hours"),
        "{out}"
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(summary["schema_version"], 1);
    let horizon = &summary["horizon"];
    assert_eq!(horizon["total"]["extra_cost"]["mean"], 4864.0);
    assert_eq!(horizon["pools"]["agents"]["extra_hours"]["mean"], 128.0);
    assert!(
        horizon["pools"]["agents"]["absent_hours"]["mean"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    // Per day too: the support starts on Monday 10 May.
    assert_eq!(
        summary["days"][7]["total"]["extra_cost"]["mean"],
        4.0 * 8.0 * 38.0
    );
    assert_eq!(summary["days"][0]["total"]["extra_cost"]["mean"], 0.0);
}
