//! A roster put to use: as the pool's shifts in a model (for the simulated
//! proof) and in the scenario's text (`scenario.toml`, which `ccsim run`
//! simulates).

use std::collections::BTreeMap;

use toml_edit::{Array, DocumentMut, InlineTable, Item, Value};

use crate::model::{Model, Shift, Weekday};

use super::{Roster, clock};

/// The model with the pool's staffing replaced by the roster's shifts
/// (one shift per template, start and break placement, with its head count
/// per date); extra support stays on top.
pub fn apply_roster(model: &Model, roster: &Roster) -> Model {
    let mut model = model.clone();
    let days = model.calendar.days as usize;
    let mut shifts: BTreeMap<Vec<(u32, u32)>, Vec<u32>> = BTreeMap::new();
    for l in &roster.lines {
        shifts
            .entry(l.segments.clone())
            .or_insert_with(|| vec![0; days])[l.day] += l.count;
    }
    let pool = &mut model.pools[roster.pool];
    pool.shifts = shifts
        .into_iter()
        .map(|(segments, count)| Shift { segments, count })
        .collect();
    pool.scheduled = roster.scheduled.iter().map(|&n| f64::from(n)).collect();
    pool.available = roster.on_duty.clone();
    model
}

/// A shift of the roster: template, start and break starts.
type Key = (usize, u32, Vec<u32>);

/// Its worked runs, and per weekday the counts of that weekday's working dates.
type Row = (Vec<(u32, u32)>, [Vec<u32>; 7]);

/// Scenario `text` with the pool's `agents`, `staffing`, `shifts` and
/// `scale` replaced by the roster as `shifts` with a head count per weekday.
/// Returns the text and, when some weekday's dates have different counts
/// (a horizon longer than a week), a note: the file then holds, per
/// weekday, the most of its dates.
pub fn scenario_with_roster(
    text: &str,
    model: &Model,
    roster: &Roster,
    works: &[bool],
) -> Result<(String, Option<String>), String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| format!("the scenario is not valid TOML: {e}"))?;
    let cal = &model.calendar;
    let name = &model.pools[roster.pool].name;
    // (template, start, breaks) → its worked runs and, per weekday, the
    // counts of that weekday's working dates.
    let mut rows: BTreeMap<Key, Row> = BTreeMap::new();
    let mut keys: Vec<(usize, u32, Vec<u32>)> = Vec::new();
    for l in &roster.lines {
        let key = (l.template, l.start, l.breaks.clone());
        if !rows.contains_key(&key) {
            keys.push(key.clone());
            rows.insert(key.clone(), (l.segments.clone(), Default::default()));
        }
    }
    let mut varies = false;
    for (key, (_, per_weekday)) in rows.iter_mut() {
        for d in 0..cal.days as usize {
            if !works[d] {
                continue;
            }
            let n: u32 = roster
                .lines
                .iter()
                .filter(|l| {
                    l.day == d && (l.template, l.start, &l.breaks) == (key.0, key.1, &key.2)
                })
                .map(|l| l.count)
                .sum();
            per_weekday[Weekday::of(cal.date(d as u32)).index()].push(n);
        }
        varies |= per_weekday
            .iter()
            .any(|v| v.iter().any(|&n| n != v.first().copied().unwrap_or(0)));
    }
    let interval = cal.interval;
    let mut list = Array::new();
    for key in &keys {
        let (segments, per_weekday) = &rows[key];
        let line = roster
            .lines
            .iter()
            .find(|l| (l.template, l.start, &l.breaks) == (key.0, key.1, &key.2))
            .ok_or("roster line lost")?;
        let end = segments.last().map_or(line.start, |s| s.1);
        let mut t = InlineTable::new();
        t.insert(
            "start",
            Value::from(clock(f64::from(line.start) * interval)),
        );
        t.insert("end", Value::from(clock(f64::from(end) * interval)));
        if segments.len() > 1 {
            let mut breaks = Array::new();
            for w in segments.windows(2) {
                let mut b = InlineTable::new();
                b.insert("at", Value::from(clock(f64::from(w[0].1) * interval)));
                b.insert(
                    "length",
                    Value::from(format!(
                        "{}m",
                        (f64::from(w[1].0 - w[0].1) * interval / 60.0).round()
                    )),
                );
                breaks.push(Value::InlineTable(b));
            }
            t.insert("breaks", Value::Array(breaks));
        }
        let mut count = InlineTable::new();
        for w in Weekday::ALL {
            let n = per_weekday[w.index()].iter().copied().max().unwrap_or(0);
            if n > 0 {
                count.insert(w.name(), Value::from(i64::from(n)));
            }
        }
        t.insert("count", Value::InlineTable(count));
        let mut v = Value::InlineTable(t);
        v.decor_mut().set_prefix(format!("\n  # {}\n  ", line.name));
        list.push_formatted(v);
    }
    list.set_trailing("\n");
    list.set_trailing_comma(true);
    let pool = doc
        .get_mut("pools")
        .and_then(|p| p.get_mut(name.as_str()))
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| format!("the scenario has no table for pool `{name}`"))?;
    for key in ["agents", "staffing", "shifts", "scale"] {
        pool.remove(key);
    }
    if list.is_empty() {
        pool.insert("agents", Item::Value(Value::from(0)));
    } else {
        pool.insert("shifts", Item::Value(Value::Array(list)));
    }
    let note = varies.then(|| {
        String::from(
            "scenario.toml gives each shift one head count per weekday, the most of that weekday's dates; roster.csv has the count of each date (simulate a single week for an exact file)"
        )
    });
    Ok((doc.to_string(), note))
}
