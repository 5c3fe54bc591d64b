//! `--set` and `--vary` on list entries (`pools.agents.extra[0].agents`,
//! `pools.agents.shifts[1].count.mon`): the model changes in that entry
//! only, whether the list is written inline or as `[[...]]` tables, the
//! file's comments and layout stay, the scenario hash follows the override,
//! and a sweep's points are the runs of `--set` at the same values.

use std::path::Path;

use assert_cmd::Command;
use ccsim::model::{Pool, Weekday};
use ccsim::montecarlo::{self, RunOptions};
use ccsim::planning::sweep::{self, Parameter};
use ccsim::scenario::overrides::{self, Override};
use ccsim::scenario::{self, Scenario, load_with};
use ccsim::stats::Level;

const SHIFTS: &str = "scenarios/shifts.toml";

fn sets(args: &[&str]) -> Vec<Override> {
    args.iter().map(|a| a.parse().unwrap()).collect()
}

fn load(path: &Path, args: &[&str]) -> Scenario {
    load_with(Some(path), &sets(args)).unwrap()
}

fn pool(s: &Scenario) -> &Pool {
    &s.model.pools[0]
}

/// The weekday of each day of the horizon.
fn weekdays(s: &Scenario) -> Vec<Weekday> {
    let c = &s.model.calendar;
    (0..c.days)
        .map(|d| Weekday::of(c.start + chrono::Days::new(u64::from(d))))
        .collect()
}

#[test]
fn an_extra_entry_changes_the_extra_support_and_nothing_else() {
    let base = load(Path::new(SHIFTS), &[]);
    let set = load(Path::new(SHIFTS), &["pools.agents.extra[0].agents=7"]);
    let (b, s) = (pool(&base), pool(&set));
    assert!(b.extra.contains(&4), "the base has 4 extra agents");
    assert_eq!(b.extra.len(), s.extra.len());
    let mut changed = 0;
    for i in 0..b.extra.len() {
        if b.extra[i] == 0 {
            assert_eq!(s.extra[i], 0, "interval {i}");
        } else {
            assert_eq!((b.extra[i], s.extra[i]), (4, 7), "interval {i}");
            changed += 1;
        }
        // The agents available move with the extra support, one for one.
        assert_eq!(
            i64::from(s.available[i]) - i64::from(b.available[i]),
            i64::from(s.extra[i]) - i64::from(b.extra[i])
        );
    }
    // Mon 10 to Fri 14 May, 09:00-17:00, but for Ascension (Thursday 13,
    // closed): 4 days of 16 half hours.
    assert_eq!(changed, 4 * 16);
    assert_eq!(b.shifts, s.shifts);
    assert_eq!(b.scheduled, s.scheduled);
    assert_eq!(base.model.streams, set.model.streams);
}

#[test]
fn a_weekday_of_a_shift_count_range_changes_that_day_only() {
    let base = load(Path::new(SHIFTS), &[]);
    let set = load(Path::new(SHIFTS), &["pools.agents.shifts[1].count.mon=4"]);
    let days = weekdays(&base);
    let (b, s) = (pool(&base), pool(&set));
    assert_eq!(b.shifts[0], s.shifts[0], "the other shift is untouched");
    assert_eq!(b.shifts[1].segments, s.shifts[1].segments);
    let mut mondays = 0;
    for (d, day) in days.iter().enumerate() {
        match day {
            Weekday::Mon => {
                assert_eq!((b.shifts[1].count[d], s.shifts[1].count[d]), (6, 4));
                mondays += 1;
            }
            // `{ mon-fri = 6, fri = 4 }`: Tuesday to Friday as they were.
            _ => assert_eq!(b.shifts[1].count[d], s.shifts[1].count[d], "day {d}"),
        }
    }
    assert_eq!(mondays, 2);
    assert_eq!(b.extra, s.extra);
    // Fridays keep their own 4 and the rest of the week its 6.
    let fri = days.iter().position(|d| *d == Weekday::Fri).unwrap();
    let tue = days.iter().position(|d| *d == Weekday::Tue).unwrap();
    assert_eq!((s.shifts[1].count[fri], s.shifts[1].count[tue]), (4, 6));
}

/// The shifts scenario with its shifts, extra support and skills written as
/// `[[...]]` tables instead of inline lists.
fn as_tables(dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(SHIFTS).unwrap();
    let mut doc: toml_edit::DocumentMut = text.parse().unwrap();
    let agents = doc["pools"]["agents"].as_table_mut().unwrap();
    for key in ["shifts", "extra", "skills"] {
        let list = agents.remove(key).unwrap();
        let mut tables = toml_edit::ArrayOfTables::new();
        for v in list.as_array().unwrap() {
            tables.push(v.as_inline_table().unwrap().clone().into_table());
        }
        agents.insert(key, toml_edit::Item::ArrayOfTables(tables));
    }
    let out = doc.to_string();
    assert!(out.contains("[[pools.agents.extra]]"), "{out}");
    let path = dir.join("tables.toml");
    std::fs::write(&path, out).unwrap();
    path
}

#[test]
fn arrays_of_tables_take_the_same_overrides_with_the_same_model() {
    let dir = tempfile::tempdir().unwrap();
    let tables = as_tables(dir.path());
    for args in [
        &[][..],
        &["pools.agents.extra[0].agents=7"][..],
        &[
            "pools.agents.shifts[1].count.mon=4",
            "pools.agents.shifts[0].count.wed=9",
        ][..],
        &["pools.agents.skills[0].priority=2"][..],
    ] {
        let inline = load(Path::new(SHIFTS), args);
        let table = load(&tables, args);
        let (a, b) = (pool(&inline), pool(&table));
        assert_eq!(a.shifts, b.shifts, "{args:?}");
        assert_eq!(a.extra, b.extra, "{args:?}");
        assert_eq!(a.available, b.available, "{args:?}");
        assert_eq!(a.skills, b.skills, "{args:?}");
    }
    let e = load_with(Some(&tables), &sets(&["pools.agents.extra[3].agents=1"])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "--set pools.agents.extra[3].agents=1: `pools.agents.extra` has 1 entry (extra[0]); there is no extra[3]"
    );
}

#[test]
fn the_file_keeps_its_comments_and_layout_and_the_hash_follows_the_override() {
    let text = std::fs::read_to_string(SHIFTS).unwrap();
    let args = ["pools.agents.extra[0].agents=7"];
    let edited = overrides::apply(&text, &sets(&args)).unwrap();
    let (old, new): (Vec<&str>, Vec<&str>) = (text.lines().collect(), edited.lines().collect());
    assert_eq!(old.len(), new.len());
    let differ: Vec<(&str, &str)> = old
        .iter()
        .zip(&new)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (*a, *b))
        .collect();
    assert_eq!(
        differ,
        [(
            "extra = [{ from = 2021-05-10, to = 2021-05-14, agents = 4, hours = \"09:00-17:00\", price_per_hour = 38.0 }]",
            "extra = [{ from = 2021-05-10, to = 2021-05-14, agents = 7, hours = \"09:00-17:00\", price_per_hour = 38.0 }]"
        )]
    );
    let s = load(Path::new(SHIFTS), &args);
    assert_eq!(s.hash, scenario::hash(&edited, Vec::new()));
    assert_ne!(s.hash, load(Path::new(SHIFTS), &[]).hash);
    assert_ne!(
        s.hash,
        load(Path::new(SHIFTS), &["pools.agents.extra[0].agents=8"]).hash
    );
}

#[test]
fn a_sweep_over_an_entry_gives_the_runs_of_set_at_the_same_values() {
    let options = RunOptions {
        replications: 3,
        seed: 7,
        threads: None,
    };
    let parameter: Parameter = "pools.agents.extra[0].agents=0..6:3".parse().unwrap();
    let sweep = sweep::run(Some(Path::new(SHIFTS)), &[], &[parameter], options, &|| {}).unwrap();
    assert_eq!(sweep.points.len(), 3);
    let mut reachability = Vec::new();
    for point in &sweep.points {
        let value = point.settings["pools.agents.extra[0].agents"];
        let s = load(
            Path::new(SHIFTS),
            &[&format!("pools.agents.extra[0].agents={value}")],
        );
        let mut results = montecarlo::run(&s.model, options, &|| {})
            .unwrap()
            .results(&s.model);
        results.retain(|e| e.level == Level::Horizon && !e.metric.is_wait_point());
        assert_eq!(point.horizon, results, "at {value}");
        reachability.push(format!("{:?}", point.horizon));
    }
    // The points differ: the override reached the model.
    assert_ne!(reachability[0], reachability[2]);
}

fn ccsim() -> Command {
    Command::cargo_bin("ccsim").unwrap()
}

#[test]
fn the_command_line_reports_bad_indices_exactly() {
    let out = ccsim()
        .args([
            "run",
            SHIFTS,
            "--set",
            "pools.agents.extra[5].agents=5",
            "-r",
            "2",
            "--quiet",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "error: --set pools.agents.extra[5].agents=5: `pools.agents.extra` has 1 entry (extra[0]); there is no extra[5]"
    );
    let out = ccsim()
        .args([
            "sweep",
            SHIFTS,
            "--vary",
            "pools.agents.extra[x].agents=0..4:2",
            "--quiet",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "--vary pools.agents.extra[x].agents=0..4:2: `extra[x]`: `x` is not an index: write a whole number from 0 in the brackets, e.g. extra[0] for the first entry"
        ),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
