//! The cost of a plan: `staff_cost` = scheduled hours × `hour_price`, per
//! pool, day and horizon; `[expect] cost.*` promises; the costs a sweep's
//! points carry; the report pages of `sweep` and `forecast`.

use assert_cmd::Command;

use ccsim::montecarlo::{self, RunOptions};
use ccsim::scenario;
use ccsim::stats::{Level, Metric, RunResults, Scope};

/// Two pools with prices (one with shifts and extra support), one without.
const PRICED: &str = r#"
name = "Cost test"
[horizon]
start = 2021-05-03   # a Monday
days = 7
[lines.main]
hours = { mon-fri = "08:00-18:00", sat = "09:00-12:00" }
price_per_second = 0.01
[channels.call]
patience = { dist = "exponential", mean = "3m" }
[themes.general]
volume.call = { per_day = 400 }
volume.email = { per_day = 40 }
handle_time.call = { dist = "exponential", mean = "4m" }
handle_time.email = { dist = "exponential", mean = "6m" }
[pools.front]
hour_price = 31.5
shrinkage = 0.1
shifts = [
  { start = "08:00", end = "16:30", breaks = [{ at = "12:00", length = "30m" }], count = { mon-fri = 5, sat = 2 } },
  { start = "09:30", end = "18:00", count = { mon-fri = 4 } },
]
extra = [{ from = 2021-05-05, to = 2021-05-06, agents = 3, hours = "10:00-14:00", price_per_hour = 40.0 }]
skills = [{ themes = "general", channels = "call" }]
[pools.desk]
hour_price = 27.25
agents = 2
skills = [{ themes = "general", channels = "email" }]
[pools.backup]
agents = 1
skills = [{ themes = "general", channels = "call", priority = 2 }]
"#;

fn ccsim() -> Command {
    Command::cargo_bin("ccsim").unwrap()
}

fn run(text: &str, replications: u32) -> RunResults {
    let s = scenario::parse_str(text, "cost.toml", None).unwrap_or_else(|e| panic!("{e}"));
    let options = RunOptions {
        replications,
        seed: 3,
        threads: None,
    };
    montecarlo::run(&s.model, options, &|| {})
        .unwrap()
        .results(&s.model)
}

fn mean(r: &RunResults, level: Level, scope: Scope, m: Metric) -> f64 {
    r.mean(level, scope, m)
        .unwrap_or_else(|| panic!("{level:?} {scope:?} {m:?} missing"))
}

#[test]
fn staff_cost_is_scheduled_hours_times_the_hour_price() {
    let r = run(PRICED, 3);
    let h = Level::Horizon;
    let prices = [("front", 31.5), ("desk", 27.25)];
    let mut pools_sum = 0.0;
    for (name, price) in prices {
        let p = Scope::Pool(r.pool(name).unwrap());
        let hours = mean(&r, h, p, Metric::ScheduledHours);
        let cost = r.horizon(p, Metric::StaffCost).unwrap();
        // Exactly, and the same in every replication (no interval width).
        assert_eq!(cost.mean, Some(hours * price), "{name}");
        assert_eq!(cost.p5, cost.p95, "{name}");
        pools_sum += hours * price;
    }
    // front: (5 × 8 h + 4 × 8.5 h) × 5 weekdays + 2 × 8 h on Saturday.
    let front = Scope::Pool(r.pool("front").unwrap());
    assert_eq!(
        mean(&r, h, front, Metric::ScheduledHours),
        (5.0 * 8.0 + 4.0 * 8.5) * 5.0 + 2.0 * 8.0
    );
    // A pool without a price has no staff cost, and adds none to the total.
    let backup = Scope::Pool(r.pool("backup").unwrap());
    assert!(r.horizon(backup, Metric::StaffCost).is_none());
    let total = mean(&r, h, Scope::Total, Metric::StaffCost);
    assert!((total - pools_sum).abs() < 1e-9, "{total} vs {pools_sum}");
    // Per day, summing to the horizon, per pool and in total.
    for scope in [front, Scope::Total] {
        let days: f64 = (0..7)
            .map(|d| mean(&r, Level::Day(d), scope, Metric::StaffCost))
            .sum();
        let whole = mean(&r, h, scope, Metric::StaffCost);
        assert!((days - whole).abs() < 1e-6, "{scope:?}: {days} vs {whole}");
    }
    // A constant staffing is scheduled while the line is open: 2 agents ×
    // (5 × 10 h + 3 h); nobody on Sunday.
    let desk = Scope::Pool(r.pool("desk").unwrap());
    assert_eq!(mean(&r, h, desk, Metric::ScheduledHours), 2.0 * 53.0);
    assert_eq!(mean(&r, Level::Day(6), desk, Metric::StaffCost), 0.0);
    assert_eq!(
        mean(&r, Level::Day(5), desk, Metric::StaffCost),
        2.0 * 3.0 * 27.25
    );
    // The total cost adds handling, staff and extra support in each
    // replication; the handling cost does not include the staff cost.
    let handling = mean(&r, h, Scope::Total, Metric::Cost);
    let extra = mean(&r, h, Scope::Total, Metric::ExtraCost);
    assert_eq!(extra, 2.0 * 3.0 * 4.0 * 40.0);
    let all = mean(&r, h, Scope::Total, Metric::TotalCost);
    assert!(
        (all - (handling + total + extra)).abs() < 1e-6,
        "{all} vs {handling} + {total} + {extra}"
    );
    assert!(handling < all - total);
}

#[test]
fn without_an_hour_price_there_is_no_staff_cost() {
    let text = PRICED
        .replace("hour_price = 31.5\n", "")
        .replace("hour_price = 27.25\n", "");
    let r = run(&text, 2);
    for m in [Metric::StaffCost, Metric::TotalCost] {
        assert!(r.figures().all(|(e, _)| e.metric != m), "{m:?}");
    }
}

/// Writes the priced scenario with `expect` appended into `dir`.
fn scenario_file(dir: &std::path::Path, expect: &str) -> std::path::PathBuf {
    let path = dir.join("cost.toml");
    std::fs::write(&path, format!("{PRICED}\n[expect]\n{expect}\n")).unwrap();
    path
}

#[test]
fn a_staff_cost_promise_is_kept_or_broken() {
    // front: 386 h × 31.5 = 12,159; desk: 106 h × 27.25 = 2,888.5; 15,047.5 in all.
    let dir = tempfile::tempdir().unwrap();
    let check = |expect: &str| {
        let path = scenario_file(dir.path(), expect);
        let out = ccsim()
            .args(["check", "-r", "3", "--quiet"])
            .arg(&path)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, stdout, _) = check("cost.staff = \"<= 15047.5\"");
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("cost.staff <= 15,048"), "{stdout}");
    assert!(stdout.contains("15,048 [15,048, 15,048]"), "{stdout}");
    let (code, stdout, _) = check("cost.staff = \"<= 15047\"");
    assert_eq!(code, Some(3), "{stdout}");
    assert!(stdout.contains("BROKEN"), "{stdout}");
    // The total adds the handling cost to staff and extra support (960):
    // broken at 16,007.5 where the handling cost alone holds.
    let (code, stdout, _) = check("cost.handling = \"<= 1e6\"\ncost.total = \"<= 16007.5\"");
    assert_eq!(code, Some(3), "{stdout}");
    assert!(
        stdout.contains("cost.total <= 16,008") && !stdout.contains("cost.handling"),
        "{stdout}"
    );
    let (code, stdout, _) = check("cost.extra = \"<= 960\"\ncost.total = \"<= 1e6\"");
    assert_eq!(code, Some(0), "{stdout}");
    // The one-line form still means the handling cost.
    let (code, stdout, _) = check("cost = \"<= 1e6\"");
    assert_eq!(code, Some(0), "{stdout}");
    let (code, stdout, _) = check("cost = \"<= 1000\"");
    assert_eq!(code, Some(3), "{stdout}");
}

#[test]
fn an_unknown_part_of_the_cost_is_named_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario_file(dir.path(), "cost.staf = \"<= 1e5\"");
    let line = PRICED.lines().count() + 3;
    ccsim()
        .args(["check", "-r", "2", "--quiet"])
        .arg(&path)
        .env("NO_COLOR", "1")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(format!(
            "cost.toml:{line}:13: `expect.cost.staf`: `staf` is not a part of the cost: use \
             handling, staff, extra, total; did you mean `staff`?"
        )));
    let unpriced = PRICED
        .replace("hour_price = 31.5\n", "")
        .replace("hour_price = 27.25\n", "");
    std::fs::write(
        &path,
        format!("{unpriced}\n[expect]\ncost.staff = \"<= 1e5\"\n"),
    )
    .unwrap();
    ccsim()
        .args(["check", "-r", "2", "--quiet"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "`expect.cost.staff`: no pool of this scenario has an hour_price",
        ));
}

/// A figure of `summary.json`'s horizon (or a sweep point's), by scope and name.
fn figure(horizon: &serde_json::Value, path: &[&str]) -> f64 {
    let mut v = horizon;
    for p in path {
        v = &v[*p];
    }
    v["mean"]
        .as_f64()
        .unwrap_or_else(|| panic!("{path:?} in {horizon}"))
}

#[test]
fn sweep_points_carry_the_costs_run_reports_and_a_report_page() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario_file(dir.path(), "");
    let out = dir.path().join("sweep");
    ccsim()
        .args([
            "sweep",
            "-r",
            "3",
            "--quiet",
            "--vary",
            "pools.desk.agents=2..3:1",
        ])
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .env("NO_COLOR", "1")
        .assert()
        .code(0)
        .stdout(predicates::str::contains("staff cost"))
        .stdout(predicates::str::contains("extra hours"));
    let sweep: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("sweep.json")).unwrap()).unwrap();
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    for (k, agents) in ["2", "3"].into_iter().enumerate() {
        let run_dir = dir.path().join(format!("run{agents}"));
        ccsim()
            .args(["run", "-r", "3", "--quiet", "--set"])
            .arg(format!("pools.desk.agents={agents}"))
            .arg(&path)
            .arg("--out")
            .arg(&run_dir)
            .assert()
            .code(0);
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(run_dir.join("summary.json")).unwrap())
                .unwrap();
        let run_h = &summary["horizon"];
        let point_h = &sweep["points"][k]["horizon"];
        for p in [
            &["pools", "front", "extra_hours"][..],
            &["pools", "front", "extra_cost"],
            &["pools", "desk", "staff_cost"],
            &["total", "staff_cost"],
            &["total", "extra_cost"],
            &["total", "total_cost"],
        ] {
            assert_eq!(
                figure(point_h, p),
                figure(run_h, p),
                "{agents} agents: {p:?}"
            );
        }
        // The page shows the point's staff cost with its interval.
        let staff = figure(point_h, &["total", "staff_cost"]);
        let shown = format!("{0} [{0}, {0}]", thousands(staff));
        assert!(page.contains(&shown), "{shown} not in the page");
    }
    assert!(page.contains("<th>staff cost</th>") && page.contains("<th>extra hours</th>"));
    assert!(page.contains("<svg"), "the sweep chart is in the page");
}

/// A whole amount as the reports write it: `21,000`.
fn thousands(x: f64) -> String {
    let s = format!("{:.0}", x.round());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn forecast_prices_its_extra_agents_and_writes_a_report_page() {
    let dir = tempfile::tempdir().unwrap();
    let base = scenario_file(dir.path(), "");
    let theme = dir.path().join("theme.toml");
    std::fs::write(
        &theme,
        r#"
theme = "newtheme"
served_by = ["front"]
line = "main"
start = 2021-05-04
volume.call = { per_day = { low = 100, likely = 200, high = 300 } }
handle_time.call = { dist = "exponential", mean = "5m" }
price_per_second = 0.02
"#,
    )
    .unwrap();
    let out = dir.path().join("forecast");
    ccsim()
        .args(["forecast", "-r", "3", "--checks", "1", "--quiet", "--base"])
        .arg(&base)
        .arg(&theme)
        .arg("--out")
        .arg(&out)
        .env("NO_COLOR", "1")
        .assert()
        .code(0)
        .stdout(predicates::str::contains(
            "€ 31.5 per agent hour, the scenario's pools.front.hour_price",
        ));
    let f: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("forecast.json")).unwrap()).unwrap();
    assert_eq!(f["agent_hour_price"], 31.5);
    assert_eq!(f["agent_hour_price_from"], "pools.front.hour_price");
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    for e in f["extra_agents"].as_array().unwrap() {
        let hours = e["agent_hours"].as_f64().unwrap();
        // Staff cost = hours × price, exactly.
        assert_eq!(e["cost"].as_f64().unwrap(), hours * 31.5);
        let shown = format!("€ {}", thousands(hours * 31.5));
        assert!(page.contains(&shown), "{shown} not in the page");
    }
    assert!(page.contains("<h2>Cost</h2>") && page.contains("<svg"));
    // A price on the command line wins over the pool's.
    let f2 = dir.path().join("f2.json");
    ccsim()
        .args([
            "forecast",
            "-r",
            "3",
            "--checks",
            "1",
            "--quiet",
            "--agent-hour-price",
            "10",
            "--base",
        ])
        .arg(&base)
        .arg(&theme)
        .arg("--json")
        .arg(&f2)
        .assert()
        .code(0);
    let f2: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&f2).unwrap()).unwrap();
    assert_eq!(f2["agent_hour_price"], 10.0);
    assert!(f2.get("agent_hour_price_from").is_none());
}
