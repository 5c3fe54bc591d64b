//! The integer program of `ccsim schedule`, solved with `good_lp` over the
//! pure-Rust `microlp` branch and bound (exact: no optimality gap).
//!
//! One integer variable per shift **column**: a template, a start, a
//! placement of its breaks and a date. Minimise Σ cost × count subject to:
//!
//! - per interval `i` with a requirement: Σ counts of the columns working
//!   `i` ≥ the scheduled agents needed in `i`;
//! - per template and day it is worked: `min ≤` Σ its counts `≤ max`;
//! - per template and calendar week of the block: `min_per_week ≤` Σ `≤ max_per_week`;
//! - per day: Σ part-time counts ≤ `part_time_max_share` × Σ all counts.
//!
//! Days are solved one at a time unless a weekly bound links them, then
//! one calendar week (Monday to Sunday) at a time.

use good_lp::{
    Expression, ProblemVariables, ResolutionError, Solution, SolutionStatus, SolverModel, Variable,
    WithTimeLimit, constraint, microlp, variable,
};

use crate::scenario::validate::ShiftTemplate;

/// One way to work a template on one day: a start and break placement.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Template index.
    pub template: usize,
    /// Horizon day.
    pub day: usize,
    /// Start, interval of the day.
    pub start: u32,
    /// Break starts, intervals of the day.
    pub breaks: Vec<u32>,
    /// Worked runs of intervals of the day.
    pub segments: Vec<(u32, u32)>,
    /// Cost of one agent working it.
    pub cost: f64,
}

impl Column {
    /// Whether the column works interval `j` of its day.
    pub fn works(&self, j: u32) -> bool {
        self.segments.iter().any(|&(a, b)| a <= j && j < b)
    }
}

/// A block of days solved together.
pub struct Block<'a> {
    /// The templates (all of the pool's, indices as in `Column::template`).
    pub templates: &'a [ShiftTemplate],
    /// The columns of the block's days.
    pub columns: &'a [Column],
    /// Per day of the block: (horizon day, scheduled agents needed per interval of the day).
    pub days: &'a [(usize, Vec<u32>)],
    /// Part-time cap.
    pub part_time_max_share: Option<f64>,
    /// Per day of the block: the templates that must respect their per-day minimum.
    pub worked: &'a [(usize, Vec<usize>)],
}

/// How a block's program ended.
#[derive(Debug)]
pub enum Outcome {
    /// Head count per column.
    Solved(Vec<u32>),
    /// No head counts meet every constraint.
    Infeasible,
    /// The cost of the linear relaxation (a lower bound).
    Relaxed(f64),
    /// The solver failed.
    Failed(String),
}

/// Solves the block's program; with `shortfall`, a slack variable per
/// interval lets it be short, and the program minimises the total shortfall
/// first (the cost only breaks ties among the shortest): the counts then
/// show where the templates cannot cover the requirement. Returns the
/// counts and, with `shortfall`, the slack per (day of block, interval).
pub fn solve(block: &Block, shortfall: bool) -> (Outcome, Vec<Vec<u32>>) {
    let (outcome, short, _) = solve_with(block, shortfall, &Settings::default());
    (outcome, short)
}

/// How a program is solved: exactly (the default), or within a time limit,
/// and from which head counts the branch and bound starts.
#[derive(Debug, Clone, Default)]
pub struct Settings<'a> {
    /// Seconds the branch and bound may run; at the limit it returns the
    /// best head counts found (then not proven optimal).
    pub time_limit: Option<f64>,
    /// Feasible head counts to start from (an upper bound that prunes the search).
    pub initial: Option<&'a [u32]>,
    /// Solve the linear relaxation (counts may be fractions): a lower bound on the cost.
    pub relaxed: bool,
}

/// Whether the head counts are proven optimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proven {
    /// The branch and bound completed.
    Optimal,
    /// The time limit stopped it with these counts, the best found.
    TimeLimit,
}

/// [`solve`] with [`Settings`]; also returns the LP relaxation's cost when
/// `relaxed`, in place of counts (as `Outcome::Relaxed`).
pub fn solve_with(
    block: &Block,
    shortfall: bool,
    settings: &Settings,
) -> (Outcome, Vec<Vec<u32>>, Proven) {
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = block
        .columns
        .iter()
        .enumerate()
        .map(|(k, _)| {
            let mut def = variable().min(0);
            if !settings.relaxed {
                def = def.integer();
            }
            if let Some(init) = settings.initial {
                def = def.initial(f64::from(init[k]));
            }
            vars.add(def)
        })
        .collect();
    let mut objective = Expression::default();
    let cost_scale: f64 = block.columns.iter().map(|c| c.cost).sum::<f64>().max(1.0);
    for (c, &v) in block.columns.iter().zip(&x) {
        objective.add_mul(
            if shortfall {
                c.cost / cost_scale / 1e3
            } else {
                c.cost
            },
            v,
        );
    }
    let mut slack: Vec<Vec<Option<Variable>>> = Vec::new();
    let mut constraints = Vec::new();
    for (k, (day, need)) in block.days.iter().enumerate() {
        let mut day_slack = vec![None; need.len()];
        for (j, &n) in need.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let mut covered = Expression::default();
            for (c, &v) in block.columns.iter().zip(&x) {
                if c.day == *day && c.works(j as u32) {
                    covered.add_mul(1.0, v);
                }
            }
            if shortfall {
                let s = vars.add(variable().integer().min(0));
                objective.add_mul(1.0, s);
                covered.add_mul(1.0, s);
                day_slack[j] = Some(s);
            }
            constraints.push(constraint!(covered >= f64::from(n)));
        }
        slack.push(day_slack);
        let _ = k;
    }
    let of = |t: usize, day: Option<usize>| {
        let mut e = Expression::default();
        for (c, &v) in block.columns.iter().zip(&x) {
            if c.template == t && day.is_none_or(|d| c.day == d) {
                e.add_mul(1.0, v);
            }
        }
        e
    };
    for (day, worked) in block.worked {
        for &t in worked {
            let tm = &block.templates[t];
            if tm.min_per_day > 0 {
                constraints.push(constraint!(of(t, Some(*day)) >= f64::from(tm.min_per_day)));
            }
            if let Some(max) = tm.max_per_day {
                constraints.push(constraint!(of(t, Some(*day)) <= f64::from(max)));
            }
        }
        if let Some(share) = block.part_time_max_share {
            let mut part = Expression::default();
            let mut all = Expression::default();
            for (c, &v) in block.columns.iter().zip(&x) {
                if c.day == *day {
                    all.add_mul(share, v);
                    if block.templates[c.template].part_time {
                        part.add_mul(1.0, v);
                    }
                }
            }
            constraints.push(constraint!(part <= all));
        }
    }
    for (t, tm) in block.templates.iter().enumerate() {
        if !block.columns.iter().any(|c| c.template == t) {
            continue;
        }
        if tm.min_per_week > 0 {
            constraints.push(constraint!(of(t, None) >= f64::from(tm.min_per_week)));
        }
        if let Some(max) = tm.max_per_week {
            constraints.push(constraint!(of(t, None) <= f64::from(max)));
        }
    }
    let mut problem = vars.minimise(objective).using(microlp);
    if let Some(t) = settings.time_limit {
        problem = problem.with_time_limit(t);
    }
    for c in constraints {
        problem = problem.with(c);
    }
    match problem.solve() {
        Ok(solution) if settings.relaxed => {
            let cost = block
                .columns
                .iter()
                .zip(&x)
                .map(|(c, &v)| c.cost * solution.value(v))
                .sum();
            (Outcome::Relaxed(cost), Vec::new(), Proven::Optimal)
        }
        Ok(solution) => {
            let proven = match solution.status() {
                SolutionStatus::Optimal => Proven::Optimal,
                _ => Proven::TimeLimit,
            };
            let counts = x
                .iter()
                .map(|&v| solution.value(v).round().max(0.0) as u32)
                .collect();
            let short = slack
                .iter()
                .map(|day| {
                    day.iter()
                        .map(|s| s.map_or(0, |s| solution.value(s).round().max(0.0) as u32))
                        .collect()
                })
                .collect();
            (Outcome::Solved(counts), short, proven)
        }
        Err(ResolutionError::Infeasible) => (Outcome::Infeasible, Vec::new(), Proven::Optimal),
        Err(e) => (Outcome::Failed(e.to_string()), Vec::new(), Proven::Optimal),
    }
}
