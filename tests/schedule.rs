//! `ccsim schedule`: the integer program against brute force, the cost,
//! the coverage, the roster written into a scenario, the proof by
//! simulation, and exact messages for bad shifts files and uncoverable
//! requirements.

use ccsim::model::Model;
use ccsim::planning::schedule::{
    Block, Column, Need, Outcome, ScheduleError, ScheduleOptions, apply_roster, plan,
    scenario_with_roster, schedule, solve, working_days,
};
use ccsim::planning::staff::{scheduled_for, verify};
use ccsim::planning::{Per, StaffOptions, Target};
use ccsim::scenario;
use ccsim::scenario::validate::{BreakWindow, ShiftTemplate, ShiftTemplates, shift_templates};

fn quickstart() -> Model {
    scenario::parse_str(scenario::QUICKSTART, "quickstart.toml", None)
        .unwrap()
        .model
}

fn template(name: &str, max_per_day: Option<u32>, part_time: bool) -> ShiftTemplate {
    ShiftTemplate {
        name: name.into(),
        pool: 0,
        starts: vec![0],
        paid: 1,
        breaks: Vec::<BreakWindow>::new(),
        days: [true; 7],
        min_per_day: 0,
        max_per_day,
        min_per_week: 0,
        max_per_week: None,
        part_time,
        hour_price: 1.0,
    }
}

/// A small deterministic generator (the test needs varied instances, not
/// statistical quality).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// The cheapest head counts by enumeration of every count vector with
/// counts up to `cap`, or `None` when none covers `need` within the bounds.
fn brute_force(
    columns: &[Column],
    templates: &[ShiftTemplate],
    need: &[u32],
    share: Option<f64>,
    cap: u32,
) -> Option<f64> {
    let k = columns.len();
    let mut counts = vec![0u32; k];
    let mut best: Option<f64> = None;
    loop {
        let covers = need.iter().enumerate().all(|(j, &n)| {
            columns
                .iter()
                .zip(&counts)
                .filter(|(c, _)| c.works(j as u32))
                .map(|(_, &x)| x)
                .sum::<u32>()
                >= n
        });
        let bounds = templates.iter().enumerate().all(|(t, tm)| {
            let total: u32 = columns
                .iter()
                .zip(&counts)
                .filter(|(c, _)| c.template == t)
                .map(|(_, &x)| x)
                .sum();
            tm.max_per_day.is_none_or(|m| total <= m)
        });
        let part_ok = share.is_none_or(|s| {
            let all: u32 = counts.iter().sum();
            let part: u32 = columns
                .iter()
                .zip(&counts)
                .filter(|(c, _)| templates[c.template].part_time)
                .map(|(_, &x)| x)
                .sum();
            f64::from(part) <= s * f64::from(all) + 1e-9
        });
        if covers && bounds && part_ok {
            let cost: f64 = columns
                .iter()
                .zip(&counts)
                .map(|(c, &x)| c.cost * f64::from(x))
                .sum();
            if best.is_none_or(|b| cost < b) {
                best = Some(cost);
            }
        }
        // Next count vector.
        let mut i = 0;
        loop {
            if i == k {
                return best;
            }
            counts[i] += 1;
            if counts[i] <= cap {
                break;
            }
            counts[i] = 0;
            i += 1;
        }
    }
}

#[test]
fn the_integer_program_reaches_the_brute_force_optimum() {
    let mut rng = Lcg(17);
    let mut infeasible = 0;
    for case in 0..60 {
        let intervals = 4 + rng.next(3) as u32; // 4..6
        let n_templates = 2 + rng.next(3) as usize; // 2..4
        let share = (case % 3 == 0).then_some(0.5);
        let mut templates = Vec::new();
        let mut columns = Vec::new();
        for t in 0..n_templates {
            let max = (rng.next(3) == 0).then(|| 1 + rng.next(2) as u32);
            templates.push(template(&format!("t{t}"), max, t % 2 == 1));
            let from = rng.next(u64::from(intervals)) as u32;
            let len = 1 + rng.next(u64::from(intervals - from)) as u32;
            // Sometimes a break inside.
            let segments = if len >= 3 && rng.next(2) == 0 {
                vec![(from, from + 1), (from + 2, from + len)]
            } else {
                vec![(from, from + len)]
            };
            let paid: u32 = segments.iter().map(|(a, b)| b - a).sum();
            columns.push(Column {
                template: t,
                day: 0,
                start: from,
                breaks: Vec::new(),
                segments,
                cost: f64::from(paid) * (1.0 + rng.next(4) as f64 * 0.25),
            });
        }
        // Agents only where some shift works (an uncovered interval is
        // refused before the program; its own test is below).
        let need: Vec<u32> = (0..intervals)
            .map(|j| {
                let n = rng.next(4) as u32;
                if columns.iter().any(|c| c.works(j)) {
                    n
                } else {
                    0
                }
            })
            .collect();
        let worked = vec![(0usize, (0..n_templates).collect::<Vec<_>>())];
        let days = vec![(0usize, need.clone())];
        let block = Block {
            templates: &templates,
            columns: &columns,
            days: &days,
            part_time_max_share: share,
            worked: &worked,
        };
        // Counts above 3 per column are never needed (a need is at most 3),
        // and with the part-time share at most 6 more full-timers; 6 covers both.
        let expected = brute_force(&columns, &templates, &need, share, 6);
        match (solve(&block, false).0, expected) {
            (Outcome::Solved(counts), Some(best)) => {
                let cost: f64 = columns
                    .iter()
                    .zip(&counts)
                    .map(|(c, &x)| c.cost * f64::from(x))
                    .sum();
                assert!(
                    (cost - best).abs() < 1e-9,
                    "case {case}: MILP {cost} against brute force {best}"
                );
                for (j, &n) in need.iter().enumerate() {
                    let got: u32 = columns
                        .iter()
                        .zip(&counts)
                        .filter(|(c, _)| c.works(j as u32))
                        .map(|(_, &x)| x)
                        .sum();
                    assert!(got >= n, "case {case}: interval {j} has {got} < {n}");
                }
            }
            (Outcome::Infeasible, None) => infeasible += 1,
            (other, expected) => {
                panic!("case {case}: MILP {other:?} against brute force {expected:?}")
            }
        }
    }
    assert!(
        infeasible < 30,
        "too few feasible cases to mean anything: {infeasible}"
    );
}

fn quickstart_templates(model: &Model) -> ShiftTemplates {
    let text = std::fs::read_to_string("examples/schedule/shifts-quickstart.toml").unwrap();
    shift_templates(&text, "shifts-quickstart.toml", model).unwrap()
}

fn quickstart_need(model: &Model) -> Vec<u32> {
    ccsim::scenario::validate::requirement_file(
        std::path::Path::new("examples/schedule/requirement-quickstart.csv"),
        &model.calendar,
    )
    .unwrap()
    .into_iter()
    .map(|x| x as u32)
    .collect()
}

#[test]
fn the_roster_covers_the_requirement_and_costs_paid_hours_times_price() {
    let model = quickstart();
    let templates = quickstart_templates(&model);
    let need = quickstart_need(&model);
    let roster = schedule(&model, &templates, 0, &need).unwrap();
    let shrinkage = model.pools[0].shrinkage;
    for (i, &n) in need.iter().enumerate() {
        assert!(
            roster.scheduled[i] >= scheduled_for(n, shrinkage),
            "interval {i}"
        );
        assert!(roster.on_duty[i] >= n, "interval {i}");
    }
    // Paid hours are the worked intervals (breaks are unpaid and not worked):
    // the cost is the scheduled agent-intervals × 0.5 h × each line's price.
    let per_day = model.calendar.intervals_per_day as usize;
    let mut from_coverage = 0.0;
    for l in &roster.lines {
        let worked: u32 = l.segments.iter().map(|(a, b)| b - a).sum();
        assert_eq!(f64::from(worked) * 0.5, l.paid_hours);
        let t = templates
            .templates
            .iter()
            .find(|t| t.name == l.name)
            .unwrap();
        assert_eq!(l.hour_price, t.hour_price);
        from_coverage += f64::from(worked * l.count) * 0.5 * t.hour_price;
        let _ = per_day;
    }
    assert_eq!(roster.cost(), from_coverage);
    let scheduled_hours: f64 = roster.scheduled.iter().map(|&n| f64::from(n) * 0.5).sum();
    assert_eq!(roster.paid_hours(), scheduled_hours);
}

#[test]
fn the_roster_written_into_the_scenario_schedules_the_same_agents() {
    let model = quickstart();
    let templates = quickstart_templates(&model);
    let need = quickstart_need(&model);
    let roster = schedule(&model, &templates, 0, &need).unwrap();
    let works = working_days(&model, 0);
    let (text, note) = scenario_with_roster(scenario::QUICKSTART, &model, &roster, &works).unwrap();
    assert!(note.is_none(), "one week: every weekday has one date");
    let again = scenario::parse_str(&text, "scenario.toml", None)
        .unwrap()
        .model;
    let scheduled: Vec<u32> = again.pools[0].scheduled.iter().map(|&x| x as u32).collect();
    assert_eq!(scheduled, roster.scheduled);
    assert_eq!(again.pools[0].available, roster.on_duty);
    assert_eq!(
        apply_roster(&model, &roster).pools[0].available,
        again.pools[0].available
    );
}

#[test]
fn a_requirement_no_template_covers_is_refused_exactly() {
    let model = quickstart();
    let text = "[templates.day]\nstart = \"09:00\"\nlength = \"8h\"\n";
    let templates = shift_templates(text, "shifts.toml", &model).unwrap();
    let mut need = vec![0u32; model.calendar.intervals()];
    let per_day = model.calendar.intervals_per_day as usize;
    need[per_day + 37] = 2; // Tuesday 18:30
    let err = schedule(&model, &templates, 0, &need).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no template covers 2021-04-13 18:30-19:00, where 2 agent(s) are needed on duty (pool agents)"
    );
    // A maximum that keeps the requirement from being covered.
    let text = "[templates.day]\nstart = \"09:00\"\nlength = \"10h\"\nmax = 3\n";
    let templates = shift_templates(text, "shifts.toml", &model).unwrap();
    let mut need = vec![0u32; model.calendar.intervals()];
    need[per_day + 20] = 4; // Tuesday 10:00: 4 on duty (no shrinkage), one more than the maximum
    let err = schedule(&model, &templates, 0, &need).unwrap_err();
    assert!(matches!(err, ScheduleError::Short { .. }));
    assert_eq!(
        err.to_string(),
        "the templates cannot cover the requirement on 2021-04-13: short 2021-04-13 10:00-10:30 by 1; template day max 3 reached on 2021-04-13"
    );
}

#[test]
fn shifts_file_errors_name_file_line_column_and_field() {
    let model = quickstart();
    let cases = [
        (
            "[templates.day]\nstart = \"09:00\"\nlenght = \"8h\"\n",
            "shifts.toml:3:1: `templates.day.lenght`: unknown key `lenght`: the keys here are `pool`, `start`, `step`, `length`, `breaks`, `days`, `min`, `max`, `min_per_week`, `max_per_week`, `part_time`, `hour_price`; did you mean `length`?",
        ),
        (
            "[templates.day]\npool = \"agent\"\nstart = \"09:00\"\nlength = \"8h\"\n",
            "shifts.toml:2:8: `templates.day.pool`: unknown pool `agent`: the scenario's pools are agents; did you mean `agents`?",
        ),
        (
            "[templates.day]\nstart = \"09:15-10:00\"\nlength = \"8h\"\n",
            "shifts.toml:2:9: `templates.day.start`: \"09:15\" must fall on an interval boundary (every 30 minutes)",
        ),
        (
            "[templates.day]\nstart = \"09:00\"\nlength = \"8h\"\nbreaks = [{ length = \"30m\", within = \"12:00-12:00\" }]\n",
            "shifts.toml:4:38: `templates.day.breaks[0].within`: the window 12:00-12:00 is shorter than the break (30 minutes)",
        ),
        (
            "[templates.day]\nstart = \"20:00\"\nlength = \"8h\"\n",
            "shifts.toml:2:9: `templates.day.start`: no start in 20:00 lets the shift (08:00 with its breaks) end by 24:00",
        ),
        (
            "[templates.day]\nstart = \"09:00\"\nlength = \"8h\"\nmin = 5\nmax = 2\n",
            "shifts.toml:5:7: `templates.day.max`: the maximum 2 is below the minimum 5",
        ),
        (
            "part_time_max_share = 1.5\n[templates.day]\nstart = \"09:00\"\nlength = \"8h\"\ndays = \"mon-fry\"\n",
            "shifts.toml:1:23: `part_time_max_share`: must be a share from 0 to 1, got 1.5\nshifts.toml:5:8: `templates.day.days`: `mon-fry` is not a weekday or weekday range: use mon, tue, wed, thu, fri, sat, sun, a range like mon-fri, or \"*\"",
        ),
    ];
    let mut wrong = Vec::new();
    for (text, expected) in cases {
        let err = shift_templates(text, "shifts.toml", &model).unwrap_err();
        if err.to_string() != expected {
            wrong.push(format!("{text}\n  got:      {err}\n  expected: {expected}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn the_simulated_roster_meets_its_target_with_an_independent_seed() {
    // One Monday of the quickstart; the roster of the staffing for 90%
    // reachability of calls, proved by simulation, then simulated again with
    // another seed: its mean reachability over the day meets the target.
    let scenario = scenario::load_with(
        Some(std::path::Path::new("scenarios/quickstart.toml")),
        &["horizon.days=1".parse().unwrap()],
    )
    .unwrap();
    let model = scenario.model;
    let templates = quickstart_templates(&model);
    let staff = StaffOptions {
        targets: vec!["reachability.call>=0.9".parse::<Target>().unwrap()],
        per: Per::Interval,
        pools: Vec::new(),
        plan: ccsim::planning::staff::PlanKind::PerDate,
        replications: 20,
        check_replications: 20,
        seed: 11,
        threads: None,
        max_iterations: 20,
    };
    let result = plan(
        &model,
        &templates,
        &ScheduleOptions {
            pool: None,
            need: Need::Targets(staff.clone()),
            max_rounds: 6,
        },
        &|_| {},
    )
    .unwrap();
    let proof = result.proof.as_ref().unwrap();
    assert!(proof.met, "{:?}", proof.reason);
    let staffed = apply_roster(&model, &result.roster);
    let again = verify(&staffed, &staff, 1234, &|_| {}).unwrap();
    let horizon = again.check.targets[0].horizon.mean.unwrap();
    assert!(
        horizon >= 0.9,
        "reachability {horizon} with an independent seed"
    );
}
