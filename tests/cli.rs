//! The `ccsim` command as a user runs it.

use std::fs;

use assert_cmd::Command;
use predicates::str::contains;

fn ccsim() -> Command {
    Command::cargo_bin("ccsim").unwrap()
}

#[test]
fn run_quickstart_prints_channel_and_day_tables() {
    ccsim()
        .args([
            "run",
            "scenarios/quickstart.toml",
            "--replications",
            "4",
            "--quiet",
        ])
        .assert()
        .success()
        .stdout(contains("reachability [95% CI]"))
        .stdout(contains("2021-04-12"))
        .stdout(contains("within SLA"))
        .stdout(contains("occupancy"));
}

#[test]
fn same_seed_gives_identical_json_on_one_and_four_threads() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "4"] {
        let path = dir.path().join(format!("t{threads}.json"));
        ccsim()
            .args([
                "run",
                "scenarios/vlaanderen-1700-2021q1.toml",
                "-r",
                "6",
                "-s",
                "99",
                "-t",
                threads,
                "-q",
                "--json",
            ])
            .arg(&path)
            .assert()
            .success();
        outputs.push(fs::read(&path).unwrap());
    }
    assert!(outputs[0].len() > 100_000, "the JSON holds every interval");
    assert!(outputs[0] == outputs[1], "1 and 4 threads differ");
    // And a different seed gives different figures.
    let other = dir.path().join("other.json");
    ccsim()
        .args([
            "run",
            "scenarios/vlaanderen-1700-2021q1.toml",
            "-r",
            "6",
            "-s",
            "100",
            "-t",
            "4",
            "-q",
            "--json",
        ])
        .arg(&other)
        .assert()
        .success();
    assert!(fs::read(&other).unwrap() != outputs[0]);
}

#[test]
fn json_holds_every_level_and_scope() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.json");
    ccsim()
        .args([
            "run",
            "scenarios/quickstart.toml",
            "-r",
            "5",
            "-q",
            "--json",
        ])
        .arg(&path)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["replications"], 5);
    let reach = &v["horizon"]["channels"]["call"]["reachability"];
    for key in ["mean", "ci_low", "ci_high", "p5", "p50", "p95"] {
        let x = reach[key].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&x), "{key} = {x}");
    }
    assert!(reach["ci_low"].as_f64() <= reach["mean"].as_f64());
    assert!(
        v["horizon"]["themes"]["general"]["email"]["offered"]["mean"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    assert!(
        v["horizon"]["pools"]["agents"]["occupancy"]["mean"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    assert_eq!(v["days"].as_array().unwrap().len(), 7);
    // 5 working days × 20 half hours of opening.
    assert_eq!(v["intervals"].as_array().unwrap().len(), 100);
    assert_eq!(v["intervals"][0]["start"], "09:00");
    // Offered per day adds up to the horizon, replication by replication, so
    // the means add up too.
    let days: f64 = v["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["channels"]["call"]["offered"]["mean"].as_f64().unwrap())
        .sum();
    let horizon = v["horizon"]["channels"]["call"]["offered"]["mean"]
        .as_f64()
        .unwrap();
    assert!((days - horizon).abs() < 1e-6 * horizon);
}

#[test]
fn run_without_a_file_runs_the_embedded_q2_scenario() {
    ccsim()
        .args(["run", "-r", "2", "-q"])
        .assert()
        .success()
        .stdout(contains("Vlaanderen 1700, Q2 2021"));
}

#[test]
fn validate_accepts_every_curated_scenario() {
    // Theme files of `ccsim forecast` (forecast-*.toml) too: validate
    // recognises them (tests/forecast.rs checks them on their base).
    for entry in fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            ccsim()
                .arg("validate")
                .arg(&path)
                .assert()
                .success()
                .stdout(contains("valid"));
        }
    }
}

fn invalid(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    fs::write(&path, text).unwrap();
    let out = ccsim()
        .arg("validate")
        .arg(&path)
        .assert()
        .code(2)
        .get_output()
        .clone();
    // The user's file is left as it was.
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
    String::from_utf8(out.stderr)
        .unwrap()
        .replace(&path.display().to_string(), "bad.toml")
}

const VALID: &str = r#"[horizon]
start = 2021-04-12
days = 7

[channels.call]
patience = { dist = "exponential", mean = "3m" }

[themes.general]
volume.call = { per_day = 500 }
handle_time.call = { dist = "lognormal", mean = "4m", cv = 0.8 }

[pools.agents]
agents = 12
skills = [{ themes = "*" }]
"#;

#[test]
fn the_base_of_the_error_tests_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ok.toml");
    fs::write(&path, VALID).unwrap();
    ccsim().arg("validate").arg(&path).assert().success();
}

#[test]
fn malformed_toml_gives_line_and_column() {
    let err = invalid(&VALID.replace("days = 7", "days = = 7"));
    assert!(err.starts_with("bad.toml:3:8: "), "{err}");
    assert!(err.contains("1 problem in bad.toml"), "{err}");
}

#[test]
fn unknown_key_names_its_path() {
    let err = invalid(&VALID.replace("patience =", "patiense ="));
    let headline = "bad.toml:6:1: `channels.call.patiense`: unknown key `patiense`: the keys here are \
                    `patience`, `concurrency`, `sla_working_days`, `service_level_threshold`, `redial`, \
                    `punctuality`; \
                    did you mean `patience`?\n";
    assert!(err.starts_with(headline), "{err}");
    // The snippet underlines the key and labels it with its path.
    assert!(err.contains(" 6 │ patiense = { dist"), "{err}");
    assert!(err.contains("╰── channels.call.patiense"), "{err}");
    assert!(err.ends_with("1 problem in bad.toml\n"), "{err}");
}

#[test]
fn unknown_key_far_from_every_key_lists_them_without_a_guess() {
    let err = invalid(&VALID.replace("agents = 12", "agents = 12\ncolour = \"blue\""));
    assert!(
        err.starts_with(
            "bad.toml:14:1: `pools.agents.colour`: unknown key `colour`: the keys here are "
        ),
        "{err}"
    );
    assert!(!err.contains("did you mean"), "{err}");
}

#[test]
fn a_value_of_the_wrong_type_says_what_was_expected_and_found() {
    let err = invalid(&VALID.replace("days = 7", "days = \"a week\""));
    assert!(
        err.starts_with(
            "bad.toml:3:8: `horizon.days`: expected a whole number, found the string \"a week\"\n"
        ),
        "{err}"
    );
    let err = invalid(&VALID.replace("agents = 12", "agents = [12]"));
    assert!(
        err.starts_with(
            "bad.toml:13:10: `pools.agents.agents`: expected a whole number, found an array\n"
        ),
        "{err}"
    );
    let err = invalid(&VALID.replace("start = 2021-04-12", "start = true"));
    assert!(
        err.starts_with("bad.toml:2:9: `horizon.start`: expected a date such as 2021-04-12\n"),
        "{err}"
    );
    let err = invalid(&VALID.replace("mean = \"4m\"", "mean = [4]"));
    assert!(
        err.starts_with(
            "bad.toml:10:49: `themes.general.handle_time.call.mean`: expected a duration such as \"3m\", \"4m 30s\" or \"1h\", or a number of seconds\n"
        ),
        "{err}"
    );
    let err = invalid(&VALID.replace("themes = \"*\"", "themes = 5"));
    assert!(
        err.contains(": expected a name, \"*\" or an array of names\n"),
        "{err}"
    );
    let err = invalid(&VALID.replace("cv = 0.8", "cv = \"high\""));
    assert!(
        err.starts_with(
            "bad.toml:10:60: `themes.general.handle_time.call.cv`: expected a number, found the string \"high\"\n"
        ),
        "{err}"
    );
}

#[test]
fn a_misspelled_name_suggests_the_closest_one() {
    let text = VALID
        .replace("themes = \"*\"", "themes = \"genral\"")
        .replace(
            "[themes.general]",
            "[themes.general]\nline = \"mian\"\ntransfer = { to = \"generl\", probability = 0.1 }",
        )
        .replace(
            "[channels.call]",
            "[lines.main]\nhours = { mon-fri = \"09:00-17:00\" }\n\n[channels.call]",
        );
    let err = invalid(&text);
    let headlines: Vec<&str> = err.lines().filter(|l| l.starts_with("bad.toml")).collect();
    assert_eq!(
        headlines,
        [
            "bad.toml:12:8: `themes.general.line`: unknown line \"mian\": the lines are main; did you mean `main`?",
            "bad.toml:13:19: `themes.general.transfer.to`: unknown theme \"generl\": the themes are general; did you mean `general`?",
            "bad.toml:19:22: `pools.agents.skills[0].themes`: unknown theme \"genral\": the themes are general; did you mean `general`?",
        ],
        "{err}"
    );
}

#[test]
fn every_semantic_mistake_is_reported_in_one_run() {
    // Closing before opening, a negative and a NaN volume, a distribution
    // with the wrong parameter, a negative pool, a pool with no skill, a
    // target outside [0, 1]: once the file deserializes, validation
    // collects them all.
    let text = VALID
        .replace(
            "[channels.call]",
            "[lines.main]\nhours = { mon-fri = \"19:00-09:00\" }\n\n[channels.call]",
        )
        .replace(
            "volume.call = { per_day = 500 }",
            "volume.call = { per_day = -500 }\nvolume.chat = { per_day = nan }\nhandle_time.chat = { dist = \"constant\", mean = \"4m\" }",
        )
        .replace("agents = 12", "agents = -12")
        .replace(
            "skills = [{ themes = \"*\" }]",
            "skills = [{ themes = \"*\" }]\n\n[pools.idle]\nagents = 3\nskills = []\n\n[targets]\nservice_level = { call = 1.2 }",
        );
    let err = invalid(&text);
    let headlines: Vec<&str> = err.lines().filter(|l| l.starts_with("bad.toml")).collect();
    assert_eq!(
        headlines,
        [
            "bad.toml:6:21: `lines.main.hours.mon-fri`: closing time must be after opening time in \"19:00-09:00\"",
            "bad.toml:12:27: `themes.general.volume.call.per_day`: must be a non-negative number of contacts, got -500",
            "bad.toml:13:27: `themes.general.volume.chat.per_day`: must be a non-negative number of contacts, got NaN",
            "bad.toml:14:20: `themes.general.handle_time.chat`: a constant distribution needs `value`",
            "bad.toml:14:48: `themes.general.handle_time.chat.mean`: `mean` does not apply to a constant distribution (it takes value)",
            "bad.toml:18:10: `pools.agents.agents`: must be a whole number of agents from 0 to 100000, got -12",
            "bad.toml:23:10: `pools.idle.skills`: a pool needs at least one skill",
            "bad.toml:26:26: `targets.service_level.call`: must be a share from 0 to 1 (0.9 for 90%), got 1.2",
        ],
        "{err}"
    );
    assert!(err.ends_with("8 problems in bad.toml\n"), "{err}");
}

#[test]
fn negative_agents_name_the_field() {
    let err = invalid(&VALID.replace("agents = 12", "agents = -3"));
    assert!(
        err.contains("bad.toml:13:10: `pools.agents.agents`: must be a whole number of agents from 0 to 100000, got -3"),
        "{err}"
    );
}

#[test]
fn closing_before_opening_names_the_field() {
    let text = VALID.replace(
        "[channels.call]",
        "[lines.main]\nhours = { mon-fri = \"19:00-09:00\" }\n\n[channels.call]",
    );
    let err = invalid(&text);
    assert!(
        err.contains("bad.toml:6:21: `lines.main.hours.mon-fri`: closing time must be after opening time in \"19:00-09:00\""),
        "{err}"
    );
}

#[test]
fn unknown_theme_in_a_skill_names_the_field() {
    let err = invalid(&VALID.replace("themes = \"*\"", "themes = \"genral\""));
    assert!(
        err.contains(
            "`pools.agents.skills[0].themes`: unknown theme \"genral\": the themes are general"
        ),
        "{err}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = VALID
        .replace("agents = 12", "agents = -3")
        .replace("cv = 0.8", "cv = -0.8")
        .replace("per_day = 500", "per_day = -5");
    let err = invalid(&text);
    assert!(err.contains("3 problems in bad.toml"), "{err}");
    assert!(
        err.contains("`themes.general.volume.call.per_day`"),
        "{err}"
    );
    assert!(
        err.contains("`themes.general.handle_time.call`: cv must be positive, got -0.8"),
        "{err}"
    );
}

#[test]
fn a_missing_file_is_a_clear_error() {
    ccsim()
        .args(["run", "no/such/file.toml"])
        .assert()
        .code(2)
        .stderr(contains("cannot read scenario no/such/file.toml"));
}

#[test]
fn erlang_command_prints_the_three_models() {
    ccsim()
        .args([
            "erlang",
            "--rate",
            "470",
            "--aht",
            "5m",
            "--agents",
            "40",
            "--patience",
            "3m",
        ])
        .assert()
        .success()
        .stdout(contains("39.17 Erlang"))
        .stdout(contains("Erlang B"))
        .stdout(contains("Erlang C"))
        .stdout(contains("Erlang A (patience 3m 00s)"));
}

#[test]
fn help_teaches_with_examples() {
    ccsim()
        .args(["run", "--help"])
        .assert()
        .success()
        .stdout(contains("Examples:"))
        .stdout(contains("--replications"));
}

#[test]
fn a_pool_whose_skills_match_nothing_is_an_error() {
    let err = invalid(&VALID.replace("themes = \"*\" }", "themes = \"*\", channels = \"chat\" }"));
    assert!(
        err.contains("`pools.agents.skills`: the skills match no theme and channel with volume: the pool would serve nothing"),
        "{err}"
    );
}

#[test]
fn hours_off_the_interval_grid_are_an_error() {
    let text = VALID.replace(
        "[channels.call]",
        "[lines.main]\nhours = { mon-fri = \"08:45-19:00\" }\n\n[channels.call]",
    );
    let err = invalid(&text);
    assert!(err.contains("`lines.main.hours.mon-fri`: opening and closing must fall on interval boundaries (every 30 minutes)"), "{err}");
}

#[test]
fn targets_outside_zero_to_one_or_on_unknown_channels_name_the_field() {
    let text = format!("{VALID}\n[targets]\nreachability = {{ total = 90, phone = 0.9 }}\n");
    let err = invalid(&text);
    assert!(
        err.contains(
            "`targets.reachability.total`: must be a share from 0 to 1 (0.9 for 90%), got 90"
        ),
        "{err}"
    );
    assert!(
        err.contains("`targets.reachability.phone`: `phone` has no reachability target: use call, chat, email, visit, total"),
        "{err}"
    );
}

#[test]
fn set_overrides_a_field_and_changes_the_run() {
    let json = |extra: &[&str]| -> serde_json::Value {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        ccsim()
            .args([
                "run",
                "scenarios/quickstart.toml",
                "-r",
                "4",
                "-q",
                "--json",
            ])
            .arg(&path)
            .args(extra)
            .assert()
            .success();
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap()
    };
    let base = json(&[]);
    let fewer = json(&["--set", "pools.agents.agents=7"]);
    let hours = |v: &serde_json::Value| {
        v["horizon"]["pools"]["agents"]["scheduled_hours"]["mean"]
            .as_f64()
            .unwrap()
    };
    // 9 and 7 agents over 5 days of 10 hours.
    assert_eq!(hours(&base), 450.0);
    assert_eq!(hours(&fewer), 350.0);
    // The scenario's hash follows the text that was run.
    assert_ne!(base["scenario"]["hash"], fewer["scenario"]["hash"]);
}

#[test]
fn set_on_an_unknown_path_or_with_a_wrong_type_names_the_path() {
    let err = |set: &str| {
        let out = ccsim()
            .args(["validate", "scenarios/quickstart.toml", "--set", set])
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        String::from_utf8(out).unwrap()
    };
    assert!(err("pools.agent.agents=7").contains(
        "--set pools.agent.agents=7: `pools` has no `agent` (it has agents); did you mean `agents`?"
    ));
    let e = err("pools.agents.agents=many");
    assert!(
        e.contains("`pools.agents.agents`: expected a whole number, found the string \"many\""),
        "{e}"
    );
    let e = err("pools.agents.agentz=7");
    assert!(
        e.contains("`pools.agents.agentz`: unknown key `agentz`: the keys here are `agents`, "),
        "{e}"
    );
    assert!(e.contains("; did you mean `agents`?"), "{e}");
    let e = err("pools.agents.agents=-3");
    assert!(e.contains("`pools.agents.agents`"), "{e}");
    // The scenario file itself is never touched.
    assert!(
        fs::read_to_string("scenarios/quickstart.toml")
            .unwrap()
            .contains("agents = 9")
    );
}

#[test]
fn erlang_staffing_mode_finds_the_fewest_agents_for_both_models() {
    use ccsim::erlang::{Load, erlang_a_figures, erlang_c_figures};
    let out = ccsim()
        .args([
            "erlang",
            "--rate",
            "470",
            "--aht",
            "5m",
            "--patience",
            "3m",
            "--target",
            "service_level(20s)>=0.8",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let needed = |model: &str| -> u32 {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(model))
            .unwrap();
        line.rsplit(':').next().unwrap().trim().parse().unwrap()
    };
    let (c, a) = (needed("Erlang C"), needed("Erlang A"));
    let load = |n| Load {
        arrival_rate: 470.0 / 3600.0,
        mean_handle_time: 300.0,
        agents: n,
    };
    // The fewest: the target holds at n and not at n − 1.
    assert!(erlang_c_figures(load(c), 20.0).unwrap().service_level >= 0.8);
    assert!(erlang_c_figures(load(c - 1), 20.0).unwrap().service_level < 0.8);
    assert!(
        erlang_a_figures(load(a), 180.0, 20.0)
            .unwrap()
            .service_level
            >= 0.8
    );
    assert!(
        erlang_a_figures(load(a - 1), 180.0, 20.0)
            .unwrap()
            .service_level
            < 0.8
    );
    // Abandonment lowers the staffing a service-level target needs.
    assert!(a < c, "{text}");
    assert!(text.contains("within 20s"), "{text}");
}

/// Issue 15, item 5: an error far into a long line (past column 65,535,
/// where the snippet printer panicked) is shown clipped around its column.
#[test]
fn an_error_past_column_65535_is_clipped_around_its_column() {
    let dates: Vec<String> = (0..6000)
        .map(|i| {
            let d = chrono::NaiveDate::from_ymd_opt(2021, 1, 1).unwrap() + chrono::Days::new(i);
            d.to_string()
        })
        .collect();
    let text = format!(
        "{VALID}\n[lines.main]\nclosed = [ {}, 2021-02-30 ]\n",
        dates.join(", ")
    );
    let line = VALID.lines().count() + 3;
    let column = "closed = [ ".len() + 6000 * "2021-01-01, ".len() + 1;
    assert!(column > 65_535);
    let err = invalid(&text);
    assert!(
        err.starts_with(&format!(
            "bad.toml:{line}:{column}: invalid date, expected day between 01 and 28\n"
        )),
        "{err}"
    );
    // The snippet shows the end of the line, where the error is, and not
    // the 72,000 characters before it.
    assert!(
        err.contains(" 2037-06-04, 2037-06-05, 2021-02-30 ]"),
        "{err}"
    );
    assert!(err.contains('…'), "{err}");
    assert!(err.len() < 2_000, "{} bytes of stderr", err.len());
    assert!(err.lines().all(|l| l.chars().count() <= 200), "{err}");
    assert!(err.ends_with("1 problem in bad.toml\n"), "{err}");
}

/// Issue 15, item 5: a 5 MB value is quoted and shown in a bounded number
/// of characters (it printed 32 MB of stderr), and a 5 MB unclosed string
/// (which panicked) is an error like any other.
#[test]
fn a_five_megabyte_value_gives_a_short_error() {
    let huge = "x".repeat(5_000_000);
    let err = invalid(&VALID.replace("days = 7", &format!("days = 7\ninterval = \"{huge}\"")));
    let headline = err.lines().next().unwrap();
    assert!(
        headline.starts_with("bad.toml:4:12: `horizon.interval`: \"xxxxxxxxxx"),
        "{headline}"
    );
    assert!(
        headline.ends_with(
            "xxxxxxxxxx\" is not a duration: use a number with a unit, like \"180s\", \"3m\" or \"1h30m\""
        ),
        "{headline}"
    );
    assert!(headline.contains('…'), "{headline}");
    assert!(err.len() < 4_000, "{} bytes of stderr", err.len());
    assert!(err.lines().all(|l| l.chars().count() <= 500), "{err}");

    let err = invalid(&VALID.replace("days = 7", &format!("days = 7\nname = \"{huge}\n")));
    // Located where the parser finds the string unclosed: the end of line 4.
    assert!(
        err.starts_with("bad.toml:4:5000009: invalid basic string, expected `\"`\n"),
        "{err}"
    );
    assert!(err.len() < 4_000, "{} bytes of stderr", err.len());
    assert!(err.lines().all(|l| l.chars().count() <= 500), "{err}");
}

/// Issue 15: a `--set` value that starts like a TOML array, inline table or
/// quoted string but is not one is refused, not taken as a string.
#[test]
fn set_values_that_start_like_toml_but_do_not_parse_are_refused() {
    let err = |set: &str| {
        let out = ccsim()
            .args(["validate", "scenarios/quickstart.toml", "--set", set])
            .assert()
            .code(2)
            .get_output()
            .clone();
        assert!(out.stdout.is_empty());
        String::from_utf8(out.stderr).unwrap()
    };
    assert_eq!(
        err("x=[1"),
        "error: invalid value 'x=[1' for '--set <PATH=VALUE>': the value starts like a TOML array but is not one (unclosed array, expected `]`): write a whole value, or quote it to give a text\n\nFor more information, try '--help'.\n"
    );
    assert_eq!(
        err("name={a=1"),
        "error: invalid value 'name={a=1' for '--set <PATH=VALUE>': the value starts like a TOML inline table but is not one (unclosed inline table, expected `}`): write a whole value, or quote it to give a text\n\nFor more information, try '--help'.\n"
    );
    assert_eq!(
        err("name=\"abc"),
        "error: invalid value 'name=\"abc' for '--set <PATH=VALUE>': the value starts like a TOML string but is not one (invalid basic string, expected `\"`): write a whole value, or quote it to give a text\n\nFor more information, try '--help'.\n"
    );
    // Bare words are still texts, and a quoted `[1` is the text "[1".
    ccsim()
        .args([
            "validate",
            "scenarios/quickstart.toml",
            "--set",
            "name=[1 call",
        ])
        .assert()
        .code(2);
    ccsim()
        .args([
            "validate",
            "scenarios/quickstart.toml",
            "--set",
            "name=\"[1\"",
        ])
        .assert()
        .success()
        .stdout(contains("valid — \"[1\""));
    ccsim()
        .args([
            "validate",
            "scenarios/quickstart.toml",
            "--set",
            "name=Quick",
        ])
        .assert()
        .success()
        .stdout(contains("valid — \"Quick\""));
}

/// Issue 15: `--set` paths take quoted keys, as TOML dotted keys do, so a
/// theme named with a space or a dot can be reached.
#[test]
fn set_paths_take_quoted_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("named.toml");
    let text = fs::read_to_string("scenarios/quickstart.toml")
        .unwrap()
        .replace("[themes.general]", "[themes.\"vaccination 2021\"]");
    fs::write(&path, &text).unwrap();
    ccsim().arg("validate").arg(&path).assert().success();
    // The override reaches the theme's volume: -5 is refused there, in the
    // theme's own line of the edited text.
    let out = ccsim()
        .arg("validate")
        .arg(&path)
        .args([
            "--set",
            "themes.\"vaccination 2021\".volume.call.per_day=-5",
        ])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("volume.call = { per_day = -5 }"),
        "{stderr}"
    );
    assert!(
        stderr.contains("must be a non-negative number of contacts, got -5"),
        "{stderr}"
    );
    // Single quotes too, and a set that keeps the scenario valid passes.
    ccsim()
        .arg("validate")
        .arg(&path)
        .args(["--set", "themes.'vaccination 2021'.volume.call.per_day=10"])
        .assert()
        .success();
}

/// Issue 15: a theme file of `ccsim forecast` that is not UTF-8 is located
/// at its first bad byte, as a scenario file is (it said "stream did not
/// contain valid UTF-8", with no line).
#[test]
fn a_theme_file_that_is_not_utf8_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("theme.toml");
    let mut bytes = fs::read("scenarios/forecast-covid-certificates.toml").unwrap();
    // "A theme forecast" becomes "A th\xE9me forecast" (Latin-1).
    let at = bytes.windows(5).position(|w| w == b"theme").unwrap();
    bytes.splice(at + 2..at + 3, [0xE9]);
    fs::write(&path, &bytes).unwrap();
    let out = ccsim()
        .arg("forecast")
        .arg(&path)
        .args(["--base", "scenarios/quickstart.toml", "-r", "2"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let file = path.display();
    assert!(
        stderr.starts_with(&format!(
            "{file}:1:7: the file is not UTF-8 text: the byte 0xE9 here is not valid UTF-8; save the file as UTF-8\n"
        )),
        "{stderr}"
    );
}

/// Issue 15: a price so large that costs overflow is refused on the command
/// line too (`--agent-hour-price 1e308` showed every extra cost as `€ inf`).
#[test]
fn an_agent_hour_price_that_overflows_costs_is_refused() {
    ccsim()
        .args([
            "forecast",
            "scenarios/forecast-covid-certificates.toml",
            "--base",
            "scenarios/vlaanderen-1700-2021q1.toml",
            "-r",
            "2",
            "--agent-hour-price",
            "1e308",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr("error: --agent-hour-price must be a price from 0 to 1000000000, got 1e308\n");
}
