//! Scenario fields that read CSV files (`volume.CHANNEL = { file = .. }`,
//! `staffing = { file = .. }`) and intraday profiles per weekday: a file
//! holding what the pattern or the table gives makes the same model and the
//! same run; a weekday's own profile moves that weekday's arrivals only;
//! every problem in a file is named with its line, column and value.

use std::path::Path;

use ccsim::engine::Engine;
use ccsim::model::{Channel, Model};
use ccsim::scenario;
use ccsim::stats::Counters;

/// The model of `text` with files resolved in `dir`, or the errors as printed.
fn parse(text: &str, dir: &Path) -> Result<Model, String> {
    scenario::parse_str(text, "s.toml", Some(dir))
        .map(|s| s.model)
        .map_err(|e| e.to_string())
}

fn model(text: &str, dir: &Path) -> Model {
    parse(text, dir).unwrap_or_else(|e| panic!("{e}"))
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write the CSV");
}

/// Every replication's counters of `replications` runs.
fn run(model: &Model, replications: u64) -> Vec<Counters> {
    let mut engine = Engine::new(model).expect("an engine");
    (0..replications)
        .map(|r| {
            let mut counters = Counters::new(model);
            engine.run(7, r, &mut counters);
            counters.check_conservation().expect("conservation");
            counters
        })
        .collect()
}

/// Two weeks from Monday 2021-04-12, the line closed on Wednesday the 14th,
/// with volume uncertainty, a peak and a scenario-wide volume scale (which a
/// file's volume takes as a pattern's does, except the peak).
fn pattern_scenario(call: &str, email: &str) -> String {
    format!(
        r#"
name = "files"
[horizon]
start = 2021-04-12
days = 14
[lines.main]
closed = [2021-04-14]
[scale]
volume = 1.2
[themes.t]
volume.call = {call}
volume.email = {email}
handle_time.call = {{ dist = "exponential", mean = "4m" }}
handle_time.email = {{ dist = "exponential", mean = "6m" }}
intraday_weights = {{ start = "09:00", weights = [1, 2, 3, 2, 1, 1, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1] }}
email_intraday_weights = {{ start = "07:00", weights = [1, 2, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1] }}
peaks = [{{ from = 2021-04-19, to = 2021-04-20, factor = 1.5 }}]
uncertainty = {{ cv = 0.1 }}
[pools.p]
agents = 12
shrinkage = 0.1
skills = [{{ themes = "*" }}]
"#
    )
}

/// The day volume the pattern gives on date `d` (0-based from the Monday):
/// per_day on open weekdays (times the peak), a quarter at the weekend and on
/// the closed Wednesday for e-mail, nothing for calls when the line is closed.
fn pattern_day(per_day: f64, d: usize, live: bool) -> Option<f64> {
    let weekend = d % 7 >= 5;
    let closed = d == 2 || weekend;
    let peak = if d == 7 || d == 8 { 1.5 } else { 1.0 };
    match (live, closed) {
        (true, true) => None,
        (false, true) => Some(per_day * 0.25 * peak),
        (_, false) => Some(per_day * peak),
    }
}

fn date(d: usize) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2021, 4, 12).expect("a date");
    (start + chrono::Duration::days(d as i64)).to_string()
}

#[test]
fn a_volume_file_per_date_equal_to_the_pattern_makes_the_same_model_and_run() {
    let dir = tempfile::tempdir().expect("a folder");
    let mut calls = String::from("date,volume\n");
    let mut emails = String::from("volume,date,note\n");
    // A row before the horizon and one after it are ignored.
    calls.push_str("2021-04-11,999\n");
    for d in 0..14 {
        if let Some(v) = pattern_day(200.0, d, true) {
            calls.push_str(&format!("{},{v}\n", date(d)));
        }
        emails.push_str(&format!(
            "{},{},x\n",
            pattern_day(40.0, d, false).unwrap(),
            date(d)
        ));
    }
    calls.push_str("2021-04-26,999\n");
    write(dir.path(), "calls.csv", &calls);
    write(dir.path(), "emails.csv", &emails);
    let pattern = model(
        &pattern_scenario("{ per_day = 200 }", "{ per_day = 40 }"),
        dir.path(),
    );
    let files = model(
        &pattern_scenario(r#"{ file = "calls.csv" }"#, r#"{ file = "emails.csv" }"#),
        dir.path(),
    );
    let call = pattern.stream_of(0, Channel::Call).expect("calls");
    assert!(pattern.streams[call].expected.iter().sum::<f64>() > 2000.0);
    for s in 0..pattern.streams.len() {
        assert_eq!(
            pattern.streams[s].expected, files.streams[s].expected,
            "stream {s}"
        );
    }
    assert_eq!(pattern, files);
    assert_eq!(run(&pattern, 2), run(&files, 2));
}

#[test]
fn a_volume_file_per_interval_is_taken_as_it_is() {
    let dir = tempfile::tempdir().expect("a folder");
    let pattern = model(
        &pattern_scenario("{ per_day = 200 }", "{ per_day = 40 }"),
        dir.path(),
    );
    // An interval report of both channels and another theme, as `ccsim run
    // --log-intervals` writes it, read with `column = "offered"`.
    let per_day = pattern.calendar.intervals_per_day as usize;
    let mut report = String::from("date,interval,theme,channel,offered,answered\n");
    for (s, stream) in pattern.streams.iter().enumerate() {
        for (i, &x) in stream.expected.iter().enumerate() {
            let (d, k) = (i / per_day, i % per_day);
            if x > 0.0 {
                let clock = format!("{:02}:{:02}", k / 2, 30 * (k % 2));
                let channel = pattern.streams[s].channel.name();
                report.push_str(&format!("{},{clock},t,{channel},{x},0\n", date(d)));
                report.push_str(&format!("{},{clock},other,{channel},5,0\n", date(d)));
            }
        }
    }
    write(dir.path(), "report.csv", &report);
    // The scale and the uncertainty apply; the peak does not (the file
    // holds it already): the file scenario keeps its peak and still matches.
    // The file holds the pattern's arrivals, already scaled by 1.2: the
    // file scenario scales them again.
    let text = pattern_scenario(
        r#"{ file = "report.csv", column = "offered" }"#,
        r#"{ file = "report.csv", column = "offered" }"#,
    );
    let files = model(&text, dir.path());
    for s in 0..pattern.streams.len() {
        let scaled: Vec<f64> = pattern.streams[s]
            .expected
            .iter()
            .map(|x| x * 1.2)
            .collect();
        for (i, (a, b)) in files.streams[s].expected.iter().zip(&scaled).enumerate() {
            assert!(
                (a - b).abs() <= 1e-12 * b.abs(),
                "stream {s}, interval {i}: {a} {b}"
            );
        }
    }
}

#[test]
fn a_staffing_file_equal_to_the_table_makes_the_same_model_and_run() {
    let dir = tempfile::tempdir().expect("a folder");
    let scenario = |staffing: &str| {
        format!(
            r#"
name = "staffing"
[horizon]
start = 2021-04-12
days = 7
[lines.main]
closed = [2021-04-14]
[themes.t]
volume.call = {{ per_day = 900 }}
handle_time.call = {{ dist = "exponential", mean = "4m" }}
[pools.p]
staffing = {staffing}
absenteeism = 0.1
shrinkage = 0.2
skills = [{{ themes = "*" }}]
"#
        )
    };
    let table = r#"{ start = "09:00", default = [6, 8, 9, 9, 8, 8, 7, 7, 8, 9, 9, 8, 8, 7, 6, 6, 6, 5, 5, 4], fri = [4, 5, 6] }"#;
    let tabled = model(&scenario(table), dir.path());
    let per_day = tabled.calendar.intervals_per_day as usize;
    let mut csv = String::from("date,interval,agents\n");
    for (i, &n) in tabled.pools[0].scheduled.iter().enumerate() {
        if n > 0.0 {
            let k = i % per_day;
            csv.push_str(&format!(
                "{},{:02}:{:02},{n}\n",
                date(i / per_day),
                k / 2,
                30 * (k % 2)
            ));
        }
    }
    write(dir.path(), "staffing.csv", &csv);
    let filed = model(&scenario(r#"{ file = "staffing.csv" }"#), dir.path());
    assert_eq!(tabled.pools, filed.pools);
    assert_eq!(tabled, filed);
    assert_eq!(run(&tabled, 2), run(&filed, 2));

    // Fractional agents are kept (scheduled, then shrinkage as always);
    // intervals without a row have nobody; the count column may be named.
    write(
        dir.path(),
        "fractions.csv",
        "date,interval,fte\n2021-04-12,09:00,2.5\n2021-04-12,09:30,10\n",
    );
    let m = model(
        &scenario(r#"{ file = "fractions.csv", column = "fte" }"#),
        dir.path(),
    );
    let p = &m.pools[0];
    assert_eq!(
        (p.scheduled[18], p.scheduled[19], p.scheduled[20]),
        (2.5, 10.0, 0.0)
    );
    assert_eq!((p.available[18], p.available[19]), (2, 8));
    assert_eq!(p.scheduled.iter().sum::<f64>(), 12.5);
}

/// A week of calls on a line open every day 09:00-19:00, with `profile`.
fn profile_scenario(profile: &str) -> String {
    format!(
        r#"
name = "profiles"
[horizon]
start = 2021-04-12
days = 7
[lines.main]
hours = {{ mon-sun = "09:00-19:00" }}
[themes.t]
volume.call = {{ per_day = 1000 }}
volume.email = {{ per_day = 100 }}
weekday_weights = {{ mon-sun = 1 }}
handle_time.call = {{ dist = "exponential", mean = "1m" }}
handle_time.email = {{ dist = "exponential", mean = "1m" }}
{profile}
[pools.p]
agents = 30
skills = [{{ themes = "*" }}]
"#
    )
}

#[test]
fn weekday_profiles_equal_to_the_default_change_nothing() {
    let dir = tempfile::tempdir().expect("a folder");
    let weights = "[1, 2, 3, 2, 1, 1, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1]";
    let plain = model(
        &profile_scenario(&format!(
            "intraday_weights = {{ start = \"09:00\", weights = {weights} }}\nemail_intraday_weights = {{ start = \"08:00\", weights = [1, 2] }}"
        )),
        dir.path(),
    );
    let days: String = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .map(|d| format!(", {d} = {weights}"))
        .collect();
    let every = model(
        &profile_scenario(&format!(
            "intraday_weights = {{ start = \"09:00\", weights = {weights}{days} }}\nemail_intraday_weights = {{ start = \"08:00\", weights = [1, 2], sun = [1, 2] }}"
        )),
        dir.path(),
    );
    assert_eq!(plain, every);
    assert_eq!(run(&plain, 1), run(&every, 1));
}

#[test]
fn a_friday_profile_moves_fridays_arrivals_only() {
    let dir = tempfile::tempdir().expect("a folder");
    // Flat by default; on Friday three times as many calls in the first
    // five hours as in the last five: 3/4 of Friday's calls before 14:00.
    let m = model(
        &profile_scenario(
            "intraday_weights = { start = \"09:00\", weights = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], fri = [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] }",
        ),
        dir.path(),
    );
    let per_day = m.calendar.intervals_per_day as usize;
    let call = m.stream_of(0, Channel::Call).expect("calls");
    let expected = &m.streams[call].expected;
    let day = |d: usize| &expected[d * per_day..(d + 1) * per_day];
    // Friday is day 4: its total is unchanged, its morning holds 3/4.
    assert!((day(4).iter().sum::<f64>() - 1000.0).abs() < 1e-9);
    assert!((day(4)[18..28].iter().sum::<f64>() - 750.0).abs() < 1e-9);
    assert!((day(0)[18..28].iter().sum::<f64>() - 500.0).abs() < 1e-9);
    // What the engine makes of it: 20 replications, ~20 000 Friday calls
    // (the morning share's standard error is about 0.003).
    let (mut morning, mut all) = ([0u64; 7], [0u64; 7]);
    for counters in run(&m, 20) {
        for d in 0..7 {
            for k in 0..per_day {
                let n = u64::from(counters.cell(d * per_day + k, call).offered);
                all[d] += n;
                if (18..28).contains(&k) {
                    morning[d] += n;
                }
            }
        }
    }
    for d in 0..7 {
        let share = morning[d] as f64 / all[d] as f64;
        let want = if d == 4 { 0.75 } else { 0.5 };
        assert!(
            (share - want).abs() < 0.015,
            "day {d}: {share} of the calls before 14:00"
        );
    }
}

#[test]
fn every_problem_in_a_file_names_the_field_the_line_and_the_value() {
    let dir = tempfile::tempdir().expect("a folder");
    let d = dir.path();
    let shown = |name: &str| d.join(name).display().to_string();
    let refused = |call: &str| {
        parse(
            &pattern_scenario(call, "{ per_day = 40 }").replace("[scale]\nvolume = 1.2\n", ""),
            d,
        )
        .expect_err("refused")
    };
    // The file's name is on line 9, column 24 of the scenario.
    let at = "s.toml:9:24: `themes.t.volume.call.file`: ";
    write(
        d,
        "bad-date.csv",
        "date,volume\n2021-04-12,10\n2021-4-13x,10\n",
    );
    assert_eq!(
        refused(r#"{ file = "bad-date.csv" }"#),
        format!(
            "{at}{}:3: column `date`: expected a date YYYY-MM-DD, found `2021-4-13x`",
            shown("bad-date.csv")
        )
    );
    write(d, "negative.csv", "date,volume\n2021-04-12,-4\n");
    assert_eq!(
        refused(r#"{ file = "negative.csv" }"#),
        format!(
            "{at}{}:2: column `volume`: expected a number of contacts >= 0, found `-4`",
            shown("negative.csv")
        )
    );
    write(d, "offered.csv", "date,offered\n2021-04-12,4\n");
    assert_eq!(
        refused(r#"{ file = "offered.csv" }"#),
        format!(
            "{at}{}:1: no column `volume` in the header; the columns are: date, offered",
            shown("offered.csv")
        )
    );
    // Every open day is needed: the first missing is named.
    write(
        d,
        "short.csv",
        "date,volume\n2021-04-12,10\n2021-04-13,10\n2021-04-16,10\n",
    );
    assert_eq!(
        refused(r#"{ file = "short.csv", column = "volume" }"#),
        format!(
            "{at}{}: no row for 2021-04-15 and 5 other dates: give every date of the horizon on which line `main` is open",
            shown("short.csv")
        )
    );
    // Calls on the closed Wednesday, or at 08:00.
    let mut full = String::from("date,volume\n");
    for k in 0..14 {
        full.push_str(&format!("{},7\n", date(k)));
    }
    write(d, "closed-day.csv", &full);
    assert_eq!(
        refused(r#"{ file = "closed-day.csv" }"#),
        format!(
            "{at}{}:4: column `volume`: expected 0 (call has line `main` closed on 2021-04-14), found `7`",
            shown("closed-day.csv")
        )
    );
    write(
        d,
        "closed-hour.csv",
        "date,interval,volume\n2021-04-12,09:00,3\n2021-04-12,08:00,0\n2021-04-13,08:00,2\n",
    );
    assert_eq!(
        refused(r#"{ file = "closed-hour.csv" }"#),
        format!(
            "{at}{}:4: column `volume`: expected 0 (call has line `main` closed at 08:00 on 2021-04-13), found `2`",
            shown("closed-hour.csv")
        )
    );
    write(
        d,
        "twice.csv",
        "date,interval,volume\n2021-04-12,09:00,3\n2021-04-12,09:00,2\n",
    );
    assert_eq!(
        refused(r#"{ file = "twice.csv" }"#),
        format!(
            "{at}{}:3: a second row for 2021-04-12 09:00 (the first is on line 2): give each date and interval once",
            shown("twice.csv")
        )
    );
    assert_eq!(
        refused(r#"{ per_day = 3, file = "twice.csv" }"#),
        "s.toml:9:15: `themes.t.volume.call`: give exactly one of per_day, per_month, per_year, menu_share or file"
    );
    assert_eq!(
        refused(r#"{ per_day = 3, column = "x" }"#),
        "s.toml:9:39: `themes.t.volume.call.column`: `column` names the count column of a `file`: give the `file` too"
    );
    let missing = refused(r#"{ file = "nowhere.csv" }"#);
    assert!(
        missing.starts_with(&format!("{at}cannot read {}: ", shown("nowhere.csv"))),
        "{missing}"
    );
}

#[test]
fn staffing_files_and_weekday_profiles_refuse_what_does_not_fit() {
    let dir = tempfile::tempdir().expect("a folder");
    let d = dir.path();
    let staffing = |staffing: &str| {
        parse(
            &format!(
                r#"[horizon]
start = 2021-04-12
days = 7
[themes.t]
volume.call = {{ per_day = 100 }}
handle_time.call = {{ dist = "exponential", mean = "4m" }}
[pools.p]
staffing = {staffing}
skills = [{{ themes = "*" }}]
"#
            ),
            d,
        )
        .expect_err("refused")
    };
    write(d, "grid.csv", "date,interval,agents\n2021-04-12,09:15,3\n");
    assert_eq!(
        staffing(r#"{ file = "grid.csv" }"#),
        format!(
            "s.toml:8:21: `pools.p.staffing.file`: {}:2: column `interval`: expected the start of an interval of the scenario's grid (every 30 minutes from 00:00), found `09:15`",
            d.join("grid.csv").display()
        )
    );
    write(
        d,
        "many.csv",
        "date,interval,agents\n2021-04-12,09:00,100001\n",
    );
    assert_eq!(
        staffing(r#"{ file = "many.csv" }"#),
        format!(
            "s.toml:8:21: `pools.p.staffing.file`: {}:2: column `agents`: expected a number of agents from 0 to 100000, found `100001`",
            d.join("many.csv").display()
        )
    );
    assert_eq!(
        staffing(r#"{ file = "many.csv", start = "09:00" }"#),
        "s.toml:8:41: `pools.p.staffing.start`: give either `file` (agents per date and interval) or a table (`start` with `default`, `mon` ... `sun`), not both"
    );
    assert_eq!(
        staffing(r#"{ default = [1] }"#),
        "s.toml:8:12: `pools.p.staffing`: missing `start`: the clock time of the table's first value, e.g. start = \"08:00\""
    );
    let profile = |profile: &str| parse(&profile_scenario(profile), d).expect_err("refused");
    assert_eq!(
        profile("intraday_weights = { start = \"09:00\", weights = [1], fri = [0, 0] }"),
        "s.toml:14:60: `themes.t.intraday_weights.fri`: at least one weight must be positive"
    );
    assert_eq!(
        profile("intraday_weights = { start = \"23:00\", weights = [1], sat = [1, 1, 1] }"),
        "s.toml:14:60: `themes.t.intraday_weights.sat`: 3 weights from 23:00 run past midnight (48 intervals a day)"
    );
}
