//! `ccsim staff`: the plan per date, several pools jointly (e-mail included)
//! and the staff cost.

mod common;

use assert_cmd::Command;
use ccsim::model::{Channel, Weekday};
use ccsim::planning::{self, Per, PlanKind, StaffOptions, Target};
use ccsim::scenario;
use ccsim::stats::{Metric, Scope};

fn options(targets: &[&str], replications: u32, plan: PlanKind) -> StaffOptions {
    StaffOptions {
        targets: targets
            .iter()
            .map(|t| t.parse::<Target>().unwrap())
            .collect(),
        per: Per::Interval,
        pools: Vec::new(),
        plan,
        replications,
        check_replications: replications,
        seed: 11,
        threads: None,
        max_iterations: 30,
    }
}

/// Two pools: the frontline answers calls and chats and takes e-mail when
/// idle; the e-mail desk answers e-mail only. Two weeks whose days differ
/// by weekday (Monday busier).
const TWO_POOLS: &str = r#"
name = "Two pools"
[horizon]
start = 2021-04-12
days = 14
interval = "30m"
[lines.main]
hours = { mon-fri = "09:00-17:00" }
price_per_second = 0.01
[channels.call]
patience = { dist = "exponential", mean = "3m" }
[channels.chat]
patience = { dist = "exponential", mean = "5m" }
concurrency = 2
[channels.email]
sla_working_days = 2
[themes.general]
volume.call = { per_day = 300 }
volume.chat = { per_day = 80 }
volume.email = { per_day = 400 }
weekday_weights = { mon = 1.3, tue = 1.0, wed = 1.0, thu = 0.9, fri = 0.8 }
handle_time.call = { dist = "lognormal", mean = "4m", cv = 0.8 }
handle_time.chat = { dist = "gamma", mean = "8m", cv = 0.7 }
handle_time.email = { dist = "gamma", mean = "10m", cv = 0.6 }
[pools.frontline]
agents = 8
shrinkage = 0.2
hour_price = 31.5
skills = [
  { themes = "*", channels = ["call", "chat"], priority = 1 },
  { themes = "*", channels = "email", priority = 2 },
]
[pools.email_desk]
agents = 2
shrinkage = 0.15
hour_price = 27.25
skills = [{ themes = "*", channels = "email" }]
"#;

#[test]
fn the_plan_per_date_of_identical_weeks_is_the_weekly_pattern_repeated() {
    // Quickstart over three identical weeks: same volumes every week, no
    // peaks or holidays.
    let text = scenario::QUICKSTART.replace("days = 7", "days = 21");
    let model = scenario::parse_str(&text, "quickstart.toml", None)
        .unwrap()
        .model;
    let result = planning::optimise(
        &model,
        &options(&["reachability.call>=0.9"], 12, PlanKind::PerDate),
        &|_| {},
    )
    .unwrap();
    assert_eq!(result.plan, PlanKind::PerDate);
    let plan = &result.plans[0];
    let per_day = model.calendar.intervals_per_day as usize;
    let mut staffed = 0;
    for (i, &n) in plan.interval_staffing.iter().enumerate() {
        let day = (i / per_day) as u32;
        let weekday = Weekday::of(model.calendar.date(day)).index();
        let weekly = if weekday < 5 {
            plan.weekly.available[weekday][i % per_day]
        } else {
            0
        };
        assert_eq!(n, weekly, "interval {i} (day {day})");
        staffed += usize::from(n > 0);
    }
    assert!(staffed >= 15 * 20, "{staffed}");
    // The plan per date is what the search found, and what was checked.
    assert_eq!(plan.interval_staffing, plan.searched);
    assert!(
        result.check.targets.iter().all(|t| t.met),
        "{:?}",
        result.check
    );
}

#[test]
fn a_week_that_differs_gets_its_own_staffing() {
    // The second week's calls are halved by a peak factor: per date, its
    // staffing is lower than the first week's; the weekly view keeps the
    // first week's.
    let text = scenario::QUICKSTART.replace("days = 7", "days = 14").replace(
        "handle_time.call =",
        "peaks = [{ from = 2021-04-19, to = 2021-04-23, factor = 0.5, shape = \"flat\" }]\nhandle_time.call =",
    );
    let model = scenario::parse_str(&text, "quickstart.toml", None)
        .unwrap()
        .model;
    let result = planning::optimise(
        &model,
        &options(&["reachability.call>=0.9"], 12, PlanKind::PerDate),
        &|_| {},
    )
    .unwrap();
    let plan = &result.plans[0];
    let per_week = model.calendar.intervals_per_day as usize * 7;
    let week = |w: usize| -> u32 {
        plan.interval_staffing[w * per_week..(w + 1) * per_week]
            .iter()
            .sum()
    };
    assert!(
        week(1) * 10 < week(0) * 8,
        "{} against {}",
        week(1),
        week(0)
    );
    let weekly: u32 = plan.weekly.available.iter().flatten().sum();
    assert!(
        weekly >= week(0) && weekly < week(0) + week(1) / 10,
        "{weekly}"
    );
    // With --weekly the plan is the pattern: the second week as the first.
    let weekly_result = planning::optimise(
        &model,
        &options(&["reachability.call>=0.9"], 12, PlanKind::Weekly),
        &|_| {},
    )
    .unwrap();
    let w = &weekly_result.plans[0].interval_staffing;
    assert_eq!(w[..per_week], w[per_week..]);
    assert!(weekly_result.plans[0].scheduled_hours > plan.scheduled_hours);
}

#[test]
fn two_pools_staffed_jointly_meet_every_target_in_an_independent_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.toml");
    // The frontline leaves e-mail to the desk, so that the desk is needed.
    let text = TWO_POOLS.replace(
        "  { themes = \"*\", channels = \"email\", priority = 2 },\n",
        "",
    );
    assert_ne!(text, TWO_POOLS);
    std::fs::write(&path, text).unwrap();
    let out = dir.path().join("plan");
    Command::cargo_bin("ccsim")
        .unwrap()
        .args(["staff"])
        .arg(&path)
        .args([
            "--target",
            "reachability.call>=0.85",
            "--target",
            "reachability.chat>=0.8",
            "--target",
            "reachability.email>=0.9",
            "-r",
            "16",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("Final check of the plan"));
    for f in [
        "staffing-frontline.csv",
        "staffing-email_desk.csv",
        "weekly-frontline.csv",
        "weekly-email_desk.toml",
        "scenario.toml",
        "check.json",
        "report.html",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let check: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("check.json")).unwrap()).unwrap();
    let plans = check["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 2);
    assert_eq!(plans[0]["pool"], "frontline");
    assert_eq!(plans[1]["pool"], "email_desk");
    assert_eq!(plans[1]["email"], true);
    // The e-mail desk is staffed flat over each working day's open hours.
    let desk: Vec<u64> = plans[1]["interval_staffing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    for day in desk.chunks(48) {
        let open: Vec<u64> = day[18..34].to_vec();
        assert!(open.iter().all(|&n| n == open[0]), "{open:?}");
        assert!(day[..18].iter().chain(&day[34..]).all(|&n| n == 0));
    }
    // 400 e-mails of 10 minutes a day need about 8 agents over 8 hours, on
    // average over the working days (the horizon starts on a Monday; a day's
    // work may wait for the next working days within the 2-day deadline, so
    // one day alone may have fewer or more).
    let weekdays: Vec<u64> = desk
        .chunks(48)
        .enumerate()
        .filter(|(d, _)| d % 7 < 5)
        .map(|(_, day)| day[18])
        .collect();
    let mean = weekdays.iter().sum::<u64>() as f64 / weekdays.len() as f64;
    assert!((6.0..=14.0).contains(&mean), "{desk:?}");
    // An independent run of the plan (scenario.toml reads the staffing
    // files) with another seed meets every target over the horizon.
    let model = scenario::load(&out.join("scenario.toml")).unwrap().model;
    let run = ccsim::montecarlo::run(
        &model,
        ccsim::montecarlo::RunOptions {
            replications: 16,
            seed: 4242,
            threads: None,
        },
        &|| {},
    )
    .unwrap();
    let results = run.results(&model);
    for (channel, target) in [
        (Channel::Call, 0.85),
        (Channel::Chat, 0.8),
        (Channel::Email, 0.9),
    ] {
        let e = results
            .horizon(Scope::Channel(channel), Metric::Reachability)
            .unwrap();
        assert!(e.mean.unwrap() >= target, "{channel:?}: {e:?}");
    }
    // And the plan's staffing is what the run staffed.
    let per_day = model.calendar.intervals_per_day as usize;
    for (p, plan) in plans.iter().enumerate() {
        let staffing = plan["interval_staffing"].as_array().unwrap();
        let pool = &model.pools[p];
        for (i, n) in staffing.iter().enumerate() {
            assert_eq!(
                u64::from(pool.available[i]),
                n.as_u64().unwrap(),
                "pool {p} interval {i} (day {})",
                i / per_day
            );
        }
    }
}

#[test]
fn staff_cost_is_scheduled_hours_times_the_hour_price_exactly() {
    let model = scenario::parse_str(TWO_POOLS, "two.toml", None)
        .unwrap()
        .model;
    let result = planning::optimise(
        &model,
        &options(
            &["reachability>=0.8", "reachability.email>=0.85"],
            8,
            PlanKind::PerDate,
        ),
        &|_| {},
    )
    .unwrap();
    assert_eq!(result.plans.len(), 2);
    let mut total = 0.0;
    for (plan, price) in result.plans.iter().zip([31.5, 27.25]) {
        assert_eq!(plan.hour_price, price);
        // Scheduled agents per interval from the agents on duty and the
        // shrinkage: the fewest whose rounded share on duty gives them.
        let scheduled: u32 = plan
            .interval_staffing
            .iter()
            .map(|&n| planning::staff::scheduled_for(n, plan.shrinkage))
            .sum();
        let hours = f64::from(scheduled) * 0.5;
        assert_eq!(plan.scheduled_hours, hours, "{}", plan.pool);
        assert_eq!(plan.staff_cost, hours * price, "{}", plan.pool);
        total += plan.staff_cost;
    }
    assert_eq!(result.staff_cost, total);
    // The scenario's own: 8 and 2 agents scheduled over 8 hours on each of
    // 10 working days.
    assert_eq!(result.plans[0].scenario_scheduled_hours, 8.0 * 8.0 * 10.0);
    assert_eq!(result.plans[0].scenario_staff_cost, 8.0 * 8.0 * 10.0 * 31.5);
    assert_eq!(
        result.plans[1].scenario_staff_cost,
        2.0 * 8.0 * 10.0 * 27.25
    );
}

#[test]
fn pools_serving_a_stream_at_the_same_rank_must_be_chosen() {
    let text = TWO_POOLS.replace(
        "skills = [{ themes = \"*\", channels = \"email\" }]",
        "skills = [{ themes = \"*\", channels = [\"call\", \"email\"] }]",
    );
    let model = scenario::parse_str(&text, "two.toml", None).unwrap().model;
    let err = planning::optimise(
        &model,
        &options(&["reachability.call>=0.8"], 4, PlanKind::PerDate),
        &|_| {},
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "several pools serve the targeted channels: frontline, email_desk; choose one with --pool NAME"
    );
}
