//! `ccsim forecast`: a new theme on a base scenario in three volume cases.

use assert_cmd::Command;

use ccsim::model::Channel;
use ccsim::montecarlo::{self, RunOptions};
use ccsim::planning::forecast::{self, Forecast, Input};
use ccsim::scenario::theme::{self, ThemeFile};
use ccsim::scenario::{self, Scenario};
use ccsim::stats::{Level, Metric, Scope};

/// Two weeks of one line, 300 calls and 30 e-mails a working day, 12 agents:
/// busy enough that a new theme costs reachability.
const BASE: &str = r#"
name = "Forecast test base"
[horizon]
start = 2021-03-01   # a Monday
days = 14
[lines.main]
hours = { mon-fri = "09:00-17:00" }
price_per_second = 0.01
[channels.call]
patience = { dist = "exponential", mean = "3m" }
[themes.general]
volume.call = { per_day = 300 }
volume.email = { per_day = 30 }
handle_time.call = { dist = "exponential", mean = "4m" }
handle_time.email = { dist = "exponential", mean = "6m" }
[pools.front]
agents = 12
skills = [{ themes = "general" }]
"#;

/// A theme starting in the second week.
const THEME: &str = r#"
theme = "newtheme"
served_by = ["front"]
line = "main"
start = 2021-03-08
volume.call = { per_day = { low = 40, likely = 80, high = 140 } }
volume.email = { per_day = { low = 5, likely = 10, high = 20 } }
handle_time.call = { dist = "exponential", mean = "5m" }
handle_time.email = { dist = "exponential", mean = "6m" }
price_per_second = 0.02
"#;

fn base() -> Scenario {
    scenario::parse_str(BASE, "base.toml", None).unwrap_or_else(|e| panic!("{e}"))
}

fn theme(text: &str) -> ThemeFile {
    theme::parse(text, "theme.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn options() -> RunOptions {
    RunOptions {
        replications: 20,
        seed: 11,
        threads: None,
    }
}

fn run_forecast(theme_text: &str) -> Forecast {
    let base = base();
    let t = theme(theme_text);
    let variants = theme::variants(BASE, "base.toml", None, &t).unwrap_or_else(|e| panic!("{e}"));
    let input = Input {
        base: &base,
        base_label: "base.toml".into(),
        theme: &t,
        variants: &variants,
        options: options(),
        agent_hour_price: Some(30.0),
        max_checks: 4,
    };
    forecast::forecast(&input, &|| {}).unwrap()
}

#[test]
fn the_bands_contain_the_likely_case() {
    let f = run_forecast(THEME);
    let all = f
        .totals
        .iter()
        .chain(f.weeks.iter().flat_map(|w| &w.figures))
        .chain(f.months.iter().flat_map(|m| &m.figures));
    let mut checked = 0;
    for b in all {
        let (lo, li, hi) = (
            b.low.mean.unwrap(),
            b.likely.mean.unwrap(),
            b.high.mean.unwrap(),
        );
        assert!(
            lo <= li && li <= hi,
            "{} {}: low {lo}, likely {li}, high {hi}",
            b.channel,
            b.metric
        );
        // Real bands: the cases differ.
        assert!(lo < hi, "{} {}: {lo} {hi}", b.channel, b.metric);
        checked += 1;
    }
    // Contacts, hours and cost for call, email and the total, over the
    // horizon, two ISO weeks... but only the second week is active: one week, one month.
    assert_eq!(
        f.weeks.len(),
        1,
        "{:?}",
        f.weeks.iter().map(|w| &w.period).collect::<Vec<_>>()
    );
    assert_eq!(f.weeks[0].period, "2021-W10");
    assert_eq!(checked, 3 * 9);
    // 80 calls a working day for 5 days.
    let calls = f
        .totals
        .iter()
        .find(|b| b.channel == "call" && b.metric == "contacts")
        .unwrap();
    let likely = calls.likely;
    assert!(
        likely.ci_low.unwrap() < 400.0 && 400.0 < likely.ci_high.unwrap(),
        "{likely:?}"
    );
    // Cost = handled seconds × the theme's own price.
    let hours = f
        .totals
        .iter()
        .find(|b| b.channel == "total" && b.metric == "handled_hours")
        .unwrap();
    let cost = f
        .totals
        .iter()
        .find(|b| b.channel == "total" && b.metric == "cost")
        .unwrap();
    let ratio = cost.likely.mean.unwrap() / (hours.likely.mean.unwrap() * 3600.0);
    assert!((ratio - 0.02).abs() < 1e-9, "{ratio}");
    // The theme costs the others reachability when no agents are added.
    let call = f
        .reachability
        .iter()
        .find(|r| r.over == "active" && r.channel == "call")
        .unwrap();
    assert!(call.difference_likely.ci_high.unwrap() < 0.0, "{call:?}");
    assert!(call.difference_high.mean.unwrap() < call.difference_low.mean.unwrap());
}

#[test]
fn there_are_no_contacts_before_the_start() {
    let t = theme(THEME);
    let variants = theme::variants(BASE, "base.toml", None, &t).unwrap();
    let model = &variants[1].model;
    let run = montecarlo::run(model, options(), &|| {}).unwrap();
    let results = run.results(model);
    let theme = results.theme("newtheme").unwrap();
    for (d, day) in results.days.iter().enumerate() {
        let offered = results
            .theme_channels(theme)
            .into_iter()
            .map(|c| {
                results
                    .mean(
                        Level::Day(d as u32),
                        Scope::Theme(theme, c),
                        Metric::Offered,
                    )
                    .unwrap()
            })
            .sum::<f64>();
        if day.date.as_str() < "2021-03-08" {
            assert_eq!(offered, 0.0, "{}", day.date);
        } else if !["sat", "sun"].contains(&day.weekday.name()) {
            assert!(offered > 50.0, "{}: {offered}", day.date);
        }
    }
}

#[test]
fn a_theme_with_no_volume_changes_nothing() {
    let zero = THEME
        .replace(
            "{ low = 40, likely = 80, high = 140 }",
            "{ low = 0, likely = 0, high = 0 }",
        )
        .replace("{ low = 5, likely = 10, high = 20 }", "0");
    let f = run_forecast(&zero);
    for r in &f.reachability {
        for d in [&r.difference_low, &r.difference_likely, &r.difference_high] {
            assert_eq!(d.mean, Some(0.0), "{r:?}");
            assert_eq!(d.ci_low, Some(0.0), "{r:?}");
            assert_eq!(d.ci_high, Some(0.0), "{r:?}");
        }
    }
    for e in &f.extra_agents {
        assert_eq!(e.agent_hours, 0.0);
        assert!(e.reached);
        assert!(e.by_slot.is_empty());
    }
}

#[test]
fn the_extra_agents_keep_the_base_reachability() {
    let f = run_forecast(THEME);
    for e in &f.extra_agents {
        assert!(e.agent_hours > 0.0, "{:?}: no extra agents", e.band);
        assert!(e.reached, "{:?} short in {:?}", e.band, e.short_slots);
        for r in e.check.iter().filter(|r| r.over == "active") {
            // Within the CI of the paired difference, or above the base.
            assert!(
                r.difference.ci_high.unwrap() >= 0.0,
                "{:?} {}: {:?}",
                e.band,
                r.channel,
                r.difference
            );
        }
        // Agents only from the start, only in opening hours.
        assert!(
            e.by_interval
                .iter()
                .all(|i| i.date.as_str() >= "2021-03-08")
        );
        assert!(
            e.by_interval
                .iter()
                .all(|i| ("09:00".."17:00").contains(&i.start.as_str()))
        );
        let week: f64 = e.weeks.iter().map(|w| w.agent_hours).sum();
        assert!((week - e.agent_hours).abs() < 1e-9);
        assert!((e.cost.unwrap() - 30.0 * e.agent_hours).abs() < 1e-6);
    }
    let hours: Vec<f64> = f.extra_agents.iter().map(|e| e.agent_hours).collect();
    assert!(hours[0] <= hours[1] && hours[1] <= hours[2], "{hours:?}");
}

fn theme_error(text: &str) -> String {
    let t = match theme::parse(text, "theme.toml") {
        Ok(t) => t,
        Err(e) => return e.to_string(),
    };
    theme::variants(BASE, "base.toml", None, &t)
        .map(|_| String::new())
        .unwrap_or_else(|e| e.to_string())
}

#[test]
fn a_bad_theme_file_names_the_field_and_its_line() {
    // A pool the base does not have.
    let e = theme_error(&THEME.replace("[\"front\"]", "[\"frontline\"]"));
    assert_eq!(
        e,
        "theme.toml:3:14: `served_by[0]`: unknown pool \"frontline\": the base scenario's pools are front"
    );
    // An invalid handle time is checked by the scenario's validation, and
    // reported at its place in the theme file.
    let e = theme_error(&THEME.replace(
        "handle_time.call = { dist = \"exponential\", mean = \"5m\" }",
        "handle_time.call = { dist = \"lognormal\", mean = \"5m\", cv = -1 }",
    ));
    assert_eq!(
        e,
        "theme.toml:8:20: `handle_time.call`: cv must be positive, got -1"
    );
    // Cases out of order.
    let e = theme_error(&THEME.replace("low = 40, likely = 80", "low = 90, likely = 80"));
    assert!(
        e.starts_with(
            "theme.toml:6:27: `volume.call.per_day`: the cases must be in order low ≤ likely ≤ high"
        ),
        "{e}"
    );
    // A misspelt key.
    let e = theme_error(&THEME.replace("served_by", "served"));
    assert!(
        e.contains("theme.toml:3:1: `served`: unknown key `served`: the keys here are `theme`, ")
            && e.contains("; did you mean `served_by`?"),
        "{e}"
    );
    // A start after the base's horizon.
    let e = theme_error(&THEME.replace("2021-03-08", "2021-05-01"));
    assert!(
        e.starts_with("theme.toml:5:9: `start`: the theme starts (2021-05-01) after the horizon ends (2021-03-14)"),
        "{e}"
    );
    // A theme the base already has.
    let e = theme_error(&THEME.replace("\"newtheme\"", "\"general\""));
    assert!(
        e.contains("`theme`: the base scenario already has a theme \"general\""),
        "{e}"
    );
}

#[test]
fn the_command_writes_table_json_csv_and_chart() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.toml");
    let theme = dir.path().join("theme.toml");
    std::fs::write(&base, BASE).unwrap();
    std::fs::write(&theme, THEME).unwrap();
    let out = dir.path().join("out");
    let output = Command::cargo_bin("ccsim")
        .unwrap()
        .args(["forecast"])
        .arg(&theme)
        .arg("--base")
        .arg(&base)
        .args(["-r", "10", "-q", "--agent-hour-price", "30", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("Forecast of theme \"newtheme\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("Extra agents to schedule in pool front"),
        "{stdout}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("forecast.json")).unwrap()).unwrap();
    assert_eq!(json["theme"], "newtheme");
    assert_eq!(json["extra_agents"].as_array().unwrap().len(), 3);
    let csv = std::fs::read_to_string(out.join("extra_agents.csv")).unwrap();
    assert!(
        csv.starts_with("weekday,start,low_max,low_mean,likely_max"),
        "{csv}"
    );
    assert!(out.join("periods.csv").exists());
    assert!(out.join("forecast_weekly.svg").exists());

    // A bad theme file: exit code 2 and the place of the error.
    std::fs::write(&theme, THEME.replace("[\"front\"]", "[\"nobody\"]")).unwrap();
    let output = Command::cargo_bin("ccsim")
        .unwrap()
        .args(["forecast"])
        .arg(&theme)
        .arg("--base")
        .arg(&base)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("theme.toml:3:14: `served_by[0]`: unknown pool \"nobody\""),
        "{stderr}"
    );
}

#[test]
fn the_example_theme_file_is_valid_on_the_q1_base() {
    let path = "scenarios/forecast-covid-certificates.toml";
    let text = std::fs::read_to_string(path).unwrap();
    let t = theme::parse(&text, path).unwrap_or_else(|e| panic!("{e}"));
    let base_path = "scenarios/vlaanderen-1700-2021q1.toml";
    let base = std::fs::read_to_string(base_path).unwrap();
    let variants = theme::variants(
        &base,
        base_path,
        Some(std::path::Path::new("scenarios")),
        &t,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(variants.len(), 3);
    for v in &variants {
        let m = &v.model;
        let theme = m
            .themes
            .iter()
            .position(|x| x.name == "covid_certificates")
            .unwrap();
        // Served by the frontline (calls, chats, e-mails) and, through its
        // `themes = "*"`, by the e-mail desk.
        let frontline = m.pools.iter().find(|p| p.name == "frontline").unwrap();
        for c in [Channel::Call, Channel::Chat, Channel::Email] {
            let s = m.stream_of(theme, c).unwrap();
            assert!(frontline.skills.iter().any(|k| k.stream == s));
        }
    }
}

#[test]
fn validate_recognises_a_theme_file_and_checks_it_as_one() {
    let path = "scenarios/forecast-covid-certificates.toml";
    let output = Command::cargo_bin("ccsim")
        .unwrap()
        .args(["validate", path])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with(&format!(
            "{path}: valid theme file — theme \"covid_certificates\", served by frontline, volume on call, chat, email, from 2021-03-01;"
        )),
        "{stdout}"
    );

    // A broken theme file gets the theme file's own errors, at their place.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("theme.toml");
    std::fs::write(
        &bad,
        THEME
            .replace("[\"front\"]", "[]")
            .replace("low = 40, likely = 80", "low = 90, likely = 80"),
    )
    .unwrap();
    let output = Command::cargo_bin("ccsim")
        .unwrap()
        .arg("validate")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr
            .contains("theme.toml:3:13: `served_by`: name at least one pool of the base scenario")
            && stderr
                .contains("theme.toml:6:27: `volume.call.per_day`: the cases must be in order")
            && stderr.ends_with(&format!("2 problems in {}\n", bad.display())),
        "{stderr}"
    );

    // A scenario is still validated as a scenario, and a scenario's
    // unknown `theme` key is still an error of the scenario.
    let base = dir.path().join("base.toml");
    std::fs::write(&base, BASE).unwrap();
    let output = Command::cargo_bin("ccsim")
        .unwrap()
        .arg("validate")
        .arg(&base)
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains(": valid — \"Forecast test base\"")
    );
    std::fs::write(&base, format!("theme = \"x\"\n{BASE}")).unwrap();
    let output = Command::cargo_bin("ccsim")
        .unwrap()
        .arg("validate")
        .arg(&base)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("unknown key `theme`"),
    );
}

#[test]
fn only_a_theme_without_a_horizon_is_a_theme_file() {
    assert!(theme::is_theme_file(THEME));
    assert!(!theme::is_theme_file(BASE));
    assert!(!theme::is_theme_file(&format!("theme = \"x\"\n{BASE}")));
    assert!(!theme::is_theme_file("theme = "));
}
