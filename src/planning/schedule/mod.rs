//! `ccsim schedule`: shift templates turned into a roster — head counts per
//! template, start, break placement and date — that covers a requirement of
//! agents on duty per interval at the least cost, by an integer program
//! ([`milp`]); then, with targets, the roster simulated and topped up where
//! the simulation misses ([`prove`]).
//!
//! # Shrinkage
//!
//! The requirement counts agents **on duty** (after shrinkage), as `ccsim
//! staff` finds them and as a pool's `available` counts them. A roster
//! schedules agents; in an interval with `s` scheduled agents the model has
//! `round(s × (1 − shrinkage))` on duty. So the program asks, per interval,
//! for the fewest scheduled agents that give the requirement on duty after
//! that rounding ([`scheduled_for`]), i.e. about the requirement divided by
//! `1 − shrinkage`, rounded up.

mod milp;
mod plan;
mod prove;
mod roster;

use std::time::Instant;

use serde::Serialize;

use crate::model::{Model, Weekday};
use crate::scenario::validate::{ShiftTemplate, ShiftTemplates};

use super::staff::scheduled_for;

pub use milp::{Block, Column, Outcome, Proven, Settings, solve, solve_with};

pub use plan::{Need, ScheduleOptions, SchedulePlan, ScheduleRunError, plan};
pub use prove::{Proof, ProofOptions, Round, prove};
pub use roster::{apply_roster, scenario_with_roster};

/// Why a roster cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScheduleError {
    /// No template of the pool can be used for the requirement.
    #[error("the shifts file has no template for pool `{pool}`")]
    NoTemplates {
        /// The pool.
        pool: String,
    },
    /// An interval with a requirement that no template works.
    #[error(
        "no template covers {date} {from}-{to}, where {need} agent(s) are needed on duty (pool {pool})"
    )]
    Uncovered {
        /// The pool.
        pool: String,
        /// The date.
        date: String,
        /// Start of the interval.
        from: String,
        /// End of the interval.
        to: String,
        /// Agents needed on duty.
        need: u32,
    },
    /// The templates' bounds keep the requirement from being covered.
    #[error("the templates cannot cover the requirement on {date}: short {short}; {limits}")]
    Short {
        /// The first date short.
        date: String,
        /// The intervals short and by how many scheduled agents.
        short: String,
        /// The bounds reached (or what else limits).
        limits: String,
    },
    /// The solver failed.
    #[error("the MILP solver failed: {0}")]
    Solver(String),
}

/// One line of the roster: agents working a template from a start, with
/// their breaks, on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RosterLine {
    /// Template index.
    #[serde(skip)]
    pub template: usize,
    /// Template name.
    pub name: String,
    /// Horizon day.
    #[serde(skip)]
    pub day: usize,
    /// Date.
    pub date: String,
    /// Start, interval of the day.
    #[serde(skip)]
    pub start: u32,
    /// Break starts, intervals of the day.
    #[serde(skip)]
    pub breaks: Vec<u32>,
    /// Worked runs of intervals of the day.
    #[serde(skip)]
    pub segments: Vec<(u32, u32)>,
    /// Agents.
    pub count: u32,
    /// Paid hours of one agent.
    pub paid_hours: f64,
    /// Price of a paid hour.
    pub hour_price: f64,
}

impl RosterLine {
    /// Paid hours × price × agents.
    pub fn cost(&self) -> f64 {
        self.paid_hours * self.hour_price * f64::from(self.count)
    }
}

/// A roster of one pool over the horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Roster {
    /// The pool (index into the model's pools).
    #[serde(skip)]
    pub pool: usize,
    /// Lines with at least one agent, by date, then template order, start.
    pub lines: Vec<RosterLine>,
    /// Scheduled agents per horizon interval.
    pub scheduled: Vec<u32>,
    /// Agents on duty per horizon interval (after shrinkage, with extra support).
    pub on_duty: Vec<u32>,
    /// Whether the branch and bound proved the cost optimal on every block.
    pub optimal: bool,
    /// A lower bound on the cost of any roster covering the requirement
    /// (the cost itself when optimal; the linear relaxation's where a block
    /// hit the time limit).
    pub lower_bound: f64,
}

impl Roster {
    /// Paid agent-hours.
    pub fn paid_hours(&self) -> f64 {
        self.lines
            .iter()
            .map(|l| l.paid_hours * f64::from(l.count))
            .sum()
    }

    /// Paid hours × price, summed over the lines.
    pub fn cost(&self) -> f64 {
        self.lines.iter().map(RosterLine::cost).sum()
    }
}

/// The pool's per-day working flags: one of its lines has a working day.
pub fn working_days(model: &Model, pool: usize) -> Vec<bool> {
    let mut lines: Vec<usize> = model.pools[pool]
        .skills
        .iter()
        .map(|k| model.streams[k.stream].line)
        .collect();
    lines.sort_unstable();
    lines.dedup();
    (0..model.calendar.days)
        .map(|d| {
            let date = model.calendar.date(d);
            lines.iter().any(|&l| model.lines[l].is_working_day(date))
        })
        .collect()
}

/// Every column of the pool's templates on each working day.
fn columns(model: &Model, templates: &[ShiftTemplate], pool: usize, works: &[bool]) -> Vec<Column> {
    let hours = model.calendar.interval / 3600.0;
    let mut out = Vec::new();
    for (d, &w) in works.iter().enumerate() {
        if !w {
            continue;
        }
        let weekday = Weekday::of(model.calendar.date(d as u32));
        for (t, tm) in templates.iter().enumerate() {
            if tm.pool != pool || !tm.works_on(weekday) {
                continue;
            }
            for &start in &tm.starts {
                for breaks in tm.placements(start) {
                    out.push(Column {
                        template: t,
                        day: d,
                        start,
                        segments: tm.segments(start, &breaks),
                        breaks,
                        cost: f64::from(tm.paid) * hours * tm.hour_price,
                    });
                }
            }
        }
    }
    out
}

/// Covers `need` (agents on duty per horizon interval of `pool`) with the
/// pool's templates at the least cost.
pub fn schedule(
    model: &Model,
    templates: &ShiftTemplates,
    pool: usize,
    need: &[u32],
) -> Result<Roster, ScheduleError> {
    let cal = &model.calendar;
    let per_day = cal.intervals_per_day as usize;
    let p = &model.pools[pool];
    let hhmm = |j: usize| clock(j as f64 * cal.interval);
    let list = &templates.templates;
    if !list.iter().any(|t| t.pool == pool) {
        return Err(ScheduleError::NoTemplates {
            pool: p.name.clone(),
        });
    }
    let works = working_days(model, pool);
    let mut cols = columns(model, list, pool, &works);
    // Only a template whose minimum binds, or a cost of 0 everywhere, needs
    // a tie-break: with every price 0, paid hours are minimised instead.
    if cols.iter().all(|c| c.cost == 0.0) {
        for c in &mut cols {
            let tm = &list[c.template];
            c.cost = f64::from(tm.paid) * cal.interval / 3600.0;
        }
    }
    // The pool's own agents: the extra support counts towards the requirement.
    let scheduled_need: Vec<u32> = need
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let extra = p.extra.get(i).copied().unwrap_or(0);
            scheduled_for(n.saturating_sub(extra), p.shrinkage)
        })
        .collect();
    // An interval needing agents that no column works.
    for d in 0..cal.days as usize {
        for j in 0..per_day {
            let n = need[d * per_day + j];
            if scheduled_need[d * per_day + j] > 0
                && !cols.iter().any(|c| c.day == d && c.works(j as u32))
            {
                return Err(ScheduleError::Uncovered {
                    pool: p.name.clone(),
                    date: cal.date(d as u32).to_string(),
                    from: hhmm(j),
                    to: hhmm(j + 1),
                    need: n,
                });
            }
        }
    }
    let weekly = list
        .iter()
        .any(|t| t.pool == pool && (t.min_per_week > 0 || t.max_per_week.is_some()));
    // Blocks: single days, or calendar weeks when a weekly bound links days.
    let mut blocks: Vec<Vec<usize>> = Vec::new();
    for d in 0..cal.days as usize {
        let new_block = !weekly || d == 0 || Weekday::of(cal.date(d as u32)) == Weekday::ALL[0];
        if new_block {
            blocks.push(vec![d]);
        } else if let Some(b) = blocks.last_mut() {
            b.push(d);
        }
    }
    let mut counts = vec![0u32; cols.len()];
    let (mut optimal, mut bound) = (true, 0.0);
    for days in blocks {
        let idx: Vec<usize> = (0..cols.len())
            .filter(|&c| days.contains(&cols[c].day))
            .collect();
        let block_cols: Vec<Column> = idx.iter().map(|&c| cols[c].clone()).collect();
        let day_need: Vec<(usize, Vec<u32>)> = days
            .iter()
            .map(|&d| (d, scheduled_need[d * per_day..(d + 1) * per_day].to_vec()))
            .collect();
        let worked: Vec<(usize, Vec<usize>)> = days
            .iter()
            .map(|&d| {
                let mut ts: Vec<usize> = block_cols
                    .iter()
                    .filter(|c| c.day == d)
                    .map(|c| c.template)
                    .collect();
                ts.dedup();
                ts.sort_unstable();
                ts.dedup();
                (d, ts)
            })
            .collect();
        let anything = day_need.iter().any(|(_, n)| n.iter().any(|&x| x > 0))
            || list
                .iter()
                .any(|t| t.pool == pool && (t.min_per_day > 0 || t.min_per_week > 0));
        if !anything || block_cols.is_empty() {
            continue;
        }
        let block = Block {
            templates: list,
            columns: &block_cols,
            days: &day_need,
            part_time_max_share: templates.part_time_max_share,
            worked: &worked,
        };
        let (c, proven) = solve_block(&block)?;
        let c = match c {
            Outcome::Solved(c) => c,
            Outcome::Failed(e) => return Err(ScheduleError::Solver(e)),
            Outcome::Infeasible | Outcome::Relaxed(_) => {
                return Err(diagnose(model, &block, pool));
            }
        };
        let cost: f64 = block_cols
            .iter()
            .zip(&c)
            .map(|(col, &n)| col.cost * f64::from(n))
            .sum();
        if proven == Proven::Optimal {
            bound += cost;
        } else {
            optimal = false;
            let relaxed = solve_with(
                &block,
                false,
                &Settings {
                    relaxed: true,
                    ..Settings::default()
                },
            )
            .0;
            bound += match relaxed {
                Outcome::Relaxed(lp) => lp.min(cost),
                _ => 0.0,
            };
        }
        for (k, &n) in c.iter().enumerate() {
            counts[idx[k]] = n;
        }
    }
    let mut roster = roster_of(model, list, pool, &cols, &counts);
    roster.optimal = optimal;
    roster.lower_bound = bound;
    Ok(roster)
}

/// Seconds the branch and bound may spend on one block (a day or a week).
/// Every case measured ends far sooner, proven optimal; the limit keeps a
/// hard case from running on: the roster is then the best found, marked
/// not proven optimal, with the linear relaxation's bound beside its cost.
pub const BLOCK_SECONDS: f64 = 10.0;

/// Solves a block exactly, within [`BLOCK_SECONDS`]. With a part-time cap
/// (which makes the program hard for the branch and bound), the roster
/// without part-timers is solved first and, when it exists, is the search's
/// starting point.
fn solve_block(block: &Block) -> Result<(Outcome, Proven), ScheduleError> {
    let part_time = |c: &Column| block.templates[c.template].part_time;
    let mut initial = None;
    if block.part_time_max_share.is_some() && block.columns.iter().any(part_time) {
        let full: Vec<Column> = block
            .columns
            .iter()
            .filter(|c| !part_time(c))
            .cloned()
            .collect();
        let sub = Block {
            columns: &full,
            ..*block
        };
        if let (Outcome::Solved(c), _, Proven::Optimal) = solve_with(
            &sub,
            false,
            &Settings {
                time_limit: Some(BLOCK_SECONDS),
                ..Settings::default()
            },
        ) {
            let mut it = c.into_iter();
            initial = Some(
                block
                    .columns
                    .iter()
                    .map(|col| {
                        if part_time(col) {
                            0
                        } else {
                            it.next().unwrap_or(0)
                        }
                    })
                    .collect::<Vec<u32>>(),
            );
        }
    }
    let (outcome, _, proven) = solve_with(
        block,
        false,
        &Settings {
            time_limit: Some(BLOCK_SECONDS),
            initial: initial.as_deref(),
            relaxed: false,
        },
    );
    Ok((outcome, proven))
}

/// Why a block cannot be covered: the shortest cover, where it is short,
/// and which bounds it reaches.
fn diagnose(model: &Model, block: &Block, pool: usize) -> ScheduleError {
    let cal = &model.calendar;
    let hhmm = |j: usize| clock(j as f64 * cal.interval);
    let (outcome, short, _) = solve_with(
        block,
        true,
        &Settings {
            time_limit: Some(BLOCK_SECONDS),
            ..Settings::default()
        },
    );
    let counts = match outcome {
        Outcome::Solved(c) => c,
        Outcome::Failed(e) => return ScheduleError::Solver(e),
        Outcome::Infeasible | Outcome::Relaxed(_) => {
            return ScheduleError::Short {
                date: cal.date(block.days[0].0 as u32).to_string(),
                short: "nothing".into(),
                limits: "the templates' minimums and the part-time cap contradict each other"
                    .into(),
            };
        }
    };
    let mut first_date = None;
    let mut parts = Vec::new();
    for (k, (day, _)) in block.days.iter().enumerate() {
        for (j, &s) in short
            .get(k)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .enumerate()
        {
            if s > 0 {
                let date = cal.date(*day as u32).to_string();
                first_date.get_or_insert_with(|| date.clone());
                parts.push(format!("{date} {}-{} by {s}", hhmm(j), hhmm(j + 1)));
            }
        }
    }
    let mut limits = Vec::new();
    for (t, tm) in block.templates.iter().enumerate() {
        if tm.pool != pool {
            continue;
        }
        let total = |day: Option<usize>| -> u32 {
            block
                .columns
                .iter()
                .zip(&counts)
                .filter(|(c, _)| c.template == t && day.is_none_or(|d| c.day == d))
                .map(|(_, &n)| n)
                .sum()
        };
        if let Some(max) = tm.max_per_day {
            for (day, _) in block.days {
                if block
                    .columns
                    .iter()
                    .any(|c| c.template == t && c.day == *day)
                    && total(Some(*day)) >= max
                {
                    limits.push(format!(
                        "template {} max {max} reached on {}",
                        tm.name,
                        cal.date(*day as u32)
                    ));
                }
            }
        }
        if let Some(max) = tm.max_per_week
            && total(None) >= max
        {
            limits.push(format!(
                "template {} max_per_week {max} reached in the week of {}",
                tm.name,
                cal.date(block.days[0].0 as u32)
            ));
        }
    }
    if block.part_time_max_share.is_some() {
        limits.push("the part-time cap may bind too".into());
    }
    ScheduleError::Short {
        date: first_date.unwrap_or_else(|| cal.date(block.days[0].0 as u32).to_string()),
        short: if parts.len() > 6 {
            format!(
                "{} and {} more intervals",
                parts[..6].join(", "),
                parts.len() - 6
            )
        } else {
            parts.join(", ")
        },
        limits: if limits.is_empty() {
            "no template bound is reached".into()
        } else {
            limits.join("; ")
        },
    }
}

/// The roster of the columns' counts, with its coverage.
fn roster_of(
    model: &Model,
    list: &[ShiftTemplate],
    pool: usize,
    cols: &[Column],
    counts: &[u32],
) -> Roster {
    let cal = &model.calendar;
    let per_day = cal.intervals_per_day as usize;
    let mut scheduled = vec![0u32; cal.intervals()];
    let mut lines = Vec::new();
    for (c, &n) in cols.iter().zip(counts) {
        if n == 0 {
            continue;
        }
        for &(a, b) in &c.segments {
            for j in a..b {
                scheduled[c.day * per_day + j as usize] += n;
            }
        }
        let tm = &list[c.template];
        lines.push(RosterLine {
            template: c.template,
            name: tm.name.clone(),
            day: c.day,
            date: cal.date(c.day as u32).to_string(),
            start: c.start,
            breaks: c.breaks.clone(),
            segments: c.segments.clone(),
            count: n,
            paid_hours: f64::from(tm.paid) * cal.interval / 3600.0,
            hour_price: tm.hour_price,
        });
    }
    lines.sort_by_key(|l| (l.day, l.template, l.start, l.breaks.clone()));
    let p = &model.pools[pool];
    let on_duty = scheduled
        .iter()
        .enumerate()
        .map(|(i, &s)| p.available_with(i, f64::from(s)))
        .collect();
    Roster {
        pool,
        lines,
        scheduled,
        on_duty,
        optimal: true,
        lower_bound: 0.0,
    }
}

/// Coverage of a roster against a requirement (agents on duty).
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// Agent-hours on duty above the requirement.
    pub over_hours: f64,
    /// Agent-hours on duty below the requirement.
    pub under_hours: f64,
    /// Intervals below the requirement.
    pub intervals_under: usize,
}

/// Over- and under-staffed hours of `on_duty` against `need` (the pool's own
/// agents: extra support included on both sides as the roster counts it).
pub fn coverage(model: &Model, need: &[u32], on_duty: &[u32]) -> Coverage {
    let h = model.calendar.interval / 3600.0;
    let mut c = Coverage {
        over_hours: 0.0,
        under_hours: 0.0,
        intervals_under: 0,
    };
    for (&n, &s) in need.iter().zip(on_duty) {
        if s > n {
            c.over_hours += f64::from(s - n) * h;
        } else if s < n {
            c.under_hours += f64::from(n - s) * h;
            c.intervals_under += 1;
        }
    }
    c
}

/// `HH:MM` of seconds since midnight.
pub fn clock(t: f64) -> String {
    let m = (t / 60.0).round() as u32;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Seconds since `start`, for the solve times reported.
pub(crate) fn elapsed(start: Instant) -> f64 {
    start.elapsed().as_secs_f64()
}
