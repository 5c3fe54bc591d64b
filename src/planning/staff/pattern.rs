//! The result of the search as a weekly pattern: each weekday and time of
//! day gets the most agents any date of that weekday needed, because the
//! scenario's staffing table (`[pools.NAME.staffing]`) is weekly; and the
//! pattern written out as CSV, as a TOML fragment, and into the scenario.

use std::fmt::Write as _;

use serde::Serialize;

use crate::model::Weekday;
use crate::scenario::edit::Editor;

use super::problem::Problem;

/// A weekly staffing table of one pool, as `[pools.NAME.staffing]` holds it.
#[derive(Debug, Clone, Serialize)]
pub struct WeeklyPattern {
    /// Pool name.
    pub pool: String,
    /// Interval length, seconds.
    pub interval: f64,
    /// Shrinkage of the pool.
    pub shrinkage: f64,
    /// Agents on duty (after shrinkage) per weekday (Monday first) and interval of the day.
    pub available: Vec<Vec<u32>>,
    /// Agents scheduled (before shrinkage) per weekday and interval of the day.
    pub scheduled: Vec<Vec<u32>>,
    /// Weekdays that are working days of the pool on some date of the horizon.
    pub used: Vec<bool>,
}

/// The fewest scheduled agents that give `available` agents on duty after
/// the scenario's rounding (`round(scheduled × (1 − shrinkage))`, halves up).
pub fn scheduled_for(available: u32, shrinkage: f64) -> u32 {
    if available == 0 {
        return 0;
    }
    let keep = 1.0 - shrinkage;
    let mut s = ((f64::from(available) - 0.5) / keep).floor().max(0.0) as u32;
    while ((f64::from(s) * keep).round() as u32) < available {
        s += 1;
    }
    s
}

impl Problem {
    /// The weekly pattern of staffed pool `p`: per weekday and interval of
    /// the day, the most agents any working date of that weekday needs in
    /// `staffing` (the pool's agents per horizon interval).
    pub(super) fn pattern(&self, p: usize, staffing: &[u32]) -> WeeklyPattern {
        let cal = &self.model.calendar;
        let per_day = cal.intervals_per_day as usize;
        let mut available = vec![vec![0u32; per_day]; 7];
        let mut used = vec![false; 7];
        for d in 0..cal.days as usize {
            if !self.pools[p].working[d] {
                continue;
            }
            let w = Weekday::of(cal.date(d as u32)).index();
            used[w] = true;
            for j in 0..per_day {
                available[w][j] = available[w][j].max(staffing[d * per_day + j]);
            }
        }
        let index = self.pools[p].index;
        let shrinkage = self.model.pools[index].shrinkage;
        let scheduled = available
            .iter()
            .map(|row| row.iter().map(|&n| scheduled_for(n, shrinkage)).collect())
            .collect();
        WeeklyPattern {
            pool: self.model.pools[index].name.clone(),
            interval: cal.interval,
            shrinkage,
            available,
            scheduled,
            used,
        }
    }

    /// The staffing per horizon interval that a weekly pattern gives, as the
    /// scenario's validation applies it (zero on days the pool does not work).
    pub(super) fn staffing_of_pattern(&self, p: usize, pattern: &WeeklyPattern) -> Vec<u32> {
        let cal = &self.model.calendar;
        let per_day = cal.intervals_per_day as usize;
        let shrinkage = pattern.shrinkage;
        (0..cal.intervals())
            .map(|i| {
                let d = i / per_day;
                if !self.pools[p].working[d] {
                    return 0;
                }
                let w = Weekday::of(cal.date(d as u32)).index();
                let s = pattern.scheduled[w][i % per_day];
                (f64::from(s) * (1.0 - shrinkage)).round() as u32
            })
            .collect()
    }
}

impl WeeklyPattern {
    /// The first and one past the last interval of the day with agents on
    /// some weekday (`None` when nobody is scheduled).
    fn span(&self) -> Option<(usize, usize)> {
        let per_day = self.scheduled.first().map_or(0, Vec::len);
        let any = |j: usize| self.scheduled.iter().any(|row| row[j] > 0);
        let first = (0..per_day).find(|&j| any(j))?;
        let last = (0..per_day).rev().find(|&j| any(j))?;
        Some((first, last + 1))
    }

    /// Clock time of interval `j` of the day, "HH:MM".
    pub fn clock(&self, j: usize) -> String {
        let secs = (j as f64 * self.interval).round() as u64;
        format!("{:02}:{:02}", secs / 3600, (secs % 3600) / 60)
    }

    /// The intervals of the day from the first to the last with agents.
    pub fn slots(&self) -> std::ops::Range<usize> {
        self.span().map_or(0..0, |(a, b)| a..b)
    }

    /// The pattern as a `[pools.NAME.staffing]` table of scheduled agents,
    /// to paste in place of the pool's staffing (`agents` or `staffing`).
    pub fn toml_fragment(&self, header: &str) -> String {
        let mut out = String::new();
        for line in header.lines() {
            let _ = writeln!(out, "# {line}");
        }
        let _ = writeln!(out, "[pools.{}.staffing]", toml_key(&self.pool));
        let slots = self.slots();
        let _ = writeln!(out, "start = \"{}\"", self.clock(slots.start));
        for (w, day) in Weekday::ALL.iter().enumerate() {
            if !self.used[w] {
                continue;
            }
            let values: Vec<String> = self.scheduled[w][slots.clone()]
                .iter()
                .map(u32::to_string)
                .collect();
            let _ = writeln!(out, "{} = [{}]", day.name(), values.join(", "));
        }
        out
    }

    /// The pattern as a `[pools.NAME.staffing]` table of scheduled agents.
    fn staffing_table(&self) -> toml_edit::Table {
        let mut table = toml_edit::Table::new();
        let slots = self.slots();
        table.insert("start", toml_edit::value(self.clock(slots.start)));
        for (w, day) in Weekday::ALL.iter().enumerate() {
            if self.used[w] {
                let mut list = toml_edit::Array::new();
                for &n in &self.scheduled[w][slots.clone()] {
                    list.push(i64::from(n));
                }
                table.insert(day.name(), toml_edit::value(list));
            }
        }
        table
    }
}

/// A TOML key, quoted when it is not a bare key.
fn toml_key(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// Scenario text with the pool's staffing (`agents` or `staffing`) replaced
/// by the pattern; the rest of the file is kept as it is.
pub fn replace_staffing(text: &str, pattern: &WeeklyPattern) -> Result<String, String> {
    let mut editor = Editor::parse(text)
        .map_err(|e: toml_edit::TomlError| format!("the scenario is not valid TOML: {e}"))?;
    editor.replace_staffing(&pattern.pool, pattern.staffing_table())?;
    Ok(editor.to_string())
}

/// Scenario text with the staffing of each plan's pool replaced: per date
/// by `staffing = { file = ... }` naming the file `file_of(pool)` (written
/// beside the scenario), weekly by the weekly pattern; the rest of the file
/// is kept as it is.
pub fn replace_plans(
    text: &str,
    result: &super::StaffResult,
    file_of: &dyn Fn(&str) -> String,
) -> Result<String, String> {
    let mut editor = Editor::parse(text)
        .map_err(|e: toml_edit::TomlError| format!("the scenario is not valid TOML: {e}"))?;
    for plan in &result.plans {
        let table = match result.plan {
            super::PlanKind::PerDate => {
                let mut t = toml_edit::Table::new();
                t.insert("file", toml_edit::value(file_of(&plan.pool)));
                t
            }
            super::PlanKind::Weekly => plan.weekly.staffing_table(),
        };
        editor.replace_staffing(&plan.pool, table)?;
    }
    Ok(editor.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheduled_agents_give_the_available_agents_back() {
        for shrinkage in [0.0, 0.15, 0.3, 0.5, 0.9] {
            for available in 0..200u32 {
                let s = scheduled_for(available, shrinkage);
                assert_eq!(
                    (f64::from(s) * (1.0 - shrinkage)).round() as u32,
                    available,
                    "{available} at {shrinkage}"
                );
                if s > 0 {
                    assert!(
                        ((f64::from(s - 1)) * (1.0 - shrinkage)).round() < f64::from(available)
                    );
                }
            }
        }
    }
}
