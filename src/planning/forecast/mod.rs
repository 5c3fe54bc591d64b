//! Forecast of a new theme before it starts: `ccsim forecast THEME.toml --base SCENARIO`.
//!
//! A theme file ([`crate::scenario::theme`]) gives a theme's volume per
//! channel as low / likely / high, its handle times, start date, profiles
//! and peaks, its price per second and the pools that will serve it. For
//! each of low, likely and high the theme is spliced into the base scenario
//! and validated like any scenario file ([`crate::scenario::theme::variants`]).
//!
//! The base and the three variants run with the same seed (common random
//! numbers), so the effect of the theme on everybody's reachability is a
//! paired difference with a tight interval. The forecast then has three parts:
//! - the theme's own contacts, handled hours and cost over the horizon, per
//!   ISO week and per month (`periods`);
//! - everybody's reachability with no agents added, against the base
//!   (`reachability`);
//! - the extra agents per interval that keep the base's reachability, first
//!   estimated with Erlang A (the agents that keep Erlang A's reachability of
//!   the interval with the theme at its value without it, on the one
//!   interval-load model of [`crate::planning::load`]), then checked by
//!   simulation and raised where the simulation says reachability still
//!   falls short (`extra_agents`).

mod extra_agents;
mod figures;
mod periods;
mod reachability;

use chrono::NaiveDate;
use serde::Serialize;

use crate::montecarlo::{self, RunError, RunOptions};
use crate::scenario::Scenario;
use crate::stats::{Estimate, Level};

use super::compare::Side;

pub use crate::scenario::theme::{Band, ChannelVolume, ThemeFile};

/// Version of the forecast JSON layout.
pub const SCHEMA_VERSION: u32 = 1;

/// One figure of the theme in the three cases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandFigure {
    /// `call`, `chat`, `email` or `total`.
    pub channel: String,
    /// `contacts`, `handled_hours` or `cost`.
    pub metric: String,
    /// The low case (mean, CI, quantiles over replications).
    pub low: Estimate,
    /// The likely case.
    pub likely: Estimate,
    /// The high case.
    pub high: Estimate,
}

/// The theme's figures over a week or a month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodFigures {
    /// `2021-W07` or `2021-02`.
    pub period: String,
    /// First day of the period with the theme active, within the horizon.
    pub first_day: String,
    /// Last day of the period within the horizon.
    pub last_day: String,
    /// Days of the period with the theme active.
    pub days: u32,
    /// Per channel and total: contacts, handled hours and cost.
    pub figures: Vec<BandFigure>,
}

/// Reachability of everyone: the base, and with the theme in each case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReachabilityRow {
    /// `horizon` (the whole base horizon) or `active` (from the theme's start).
    pub over: String,
    /// `call`, `chat`, `email`, `live` (calls and chats) or `total`.
    pub channel: String,
    /// The base scenario.
    pub base: Estimate,
    /// With the theme, low case.
    pub low: Estimate,
    /// With the theme, likely case.
    pub likely: Estimate,
    /// With the theme, high case.
    pub high: Estimate,
    /// Paired difference (theme − base), low case.
    pub difference_low: Estimate,
    /// Paired difference, likely case.
    pub difference_likely: Estimate,
    /// Paired difference, high case.
    pub difference_high: Estimate,
}

/// Extra agents of one interval of the week, over the theme's active weeks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlotAgents {
    /// `mon` ... `sun`.
    pub weekday: String,
    /// Clock time the interval starts, `HH:MM`.
    pub start: String,
    /// Most extra agents scheduled in this interval in any week.
    pub max: u32,
    /// Mean over the active days of this weekday.
    pub mean: f64,
}

/// Extra agents of one interval of one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalAgents {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub start: String,
    /// Extra agents scheduled (before shrinkage).
    pub agents: u32,
}

/// Extra agent hours of one ISO week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekAgents {
    /// `2021-W07`.
    pub week: String,
    /// Extra agent hours scheduled.
    pub agent_hours: f64,
    /// At `agent_hour_price`, if given.
    pub cost: Option<f64>,
}

/// Reachability with the extra agents against the base.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckRow {
    /// `horizon` or `active`.
    pub over: String,
    /// `call`, `chat`, `email`, `live` or `total`.
    pub channel: String,
    /// The base scenario.
    pub base: Estimate,
    /// With the theme and the extra agents.
    pub with_extra: Estimate,
    /// Paired difference (with extra − base).
    pub difference: Estimate,
}

/// The extra agents that keep the base's reachability, for one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtraAgents {
    /// The volume case.
    pub band: Band,
    /// The pool that gets them.
    pub pool: String,
    /// The pool's shrinkage: agents on duty = round(scheduled × (1 − shrinkage)).
    pub shrinkage: f64,
    /// Extra agent hours of Erlang A's first estimate.
    pub erlang_agent_hours: f64,
    /// Simulations run to check (and raise) the estimate.
    pub checks: u32,
    /// Whether the last check found no interval of the week (nor the active
    /// period as a whole) significantly below the base.
    pub reached: bool,
    /// Intervals of the week (weekday × time) still below the base at the last check.
    pub short_slots: Vec<String>,
    /// Per interval of the week: the most and the mean extra agents.
    pub by_slot: Vec<SlotAgents>,
    /// Per interval and date (only those with extra agents).
    pub by_interval: Vec<IntervalAgents>,
    /// Extra agent hours per ISO week.
    pub weeks: Vec<WeekAgents>,
    /// Extra agent hours over the horizon (scheduled, what is paid for).
    pub agent_hours: f64,
    /// Their cost at `agent_hour_price`, if given.
    pub cost: Option<f64>,
    /// Reachability with the extra agents, against the base.
    pub check: Vec<CheckRow>,
}

/// Everything `ccsim forecast` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// Version of this layout.
    pub schema_version: u32,
    /// Version of ccsim that produced it.
    pub ccsim_version: String,
    /// The theme's name.
    pub theme: String,
    /// The theme file's description.
    pub description: String,
    /// The theme file.
    pub theme_file: String,
    /// The base scenario.
    pub base: Side,
    /// First day with the theme's contacts.
    pub start: String,
    /// Last day of the horizon.
    pub end: String,
    /// Pools serving the theme; the first gets the extra agents.
    pub served_by: Vec<String>,
    /// Seed of every run.
    pub seed: u64,
    /// Replications of every run.
    pub replications: u32,
    /// The volumes of the theme file.
    pub volumes: Vec<ChannelVolume>,
    /// The theme over the horizon: contacts, handled hours and cost.
    pub totals: Vec<BandFigure>,
    /// Per ISO week from the start.
    pub weeks: Vec<PeriodFigures>,
    /// Per calendar month from the start.
    pub months: Vec<PeriodFigures>,
    /// Reachability of everyone with no agents added.
    pub reachability: Vec<ReachabilityRow>,
    /// Extra agents per case (low, likely, high).
    pub extra_agents: Vec<ExtraAgents>,
    /// Price of an extra agent hour: `--agent-hour-price`, or else the
    /// `hour_price` of the pool that gets the extra agents (when it has one).
    pub agent_hour_price: Option<f64>,
    /// Where the price comes from when it is the pool's `hour_price`
    /// (`pools.NAME.hour_price`); absent when given on the command line or
    /// not at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_hour_price_from: Option<String>,
}

/// What a forecast needs.
pub struct Input<'a> {
    /// The base scenario (with its `--set` overrides).
    pub base: &'a Scenario,
    /// How the user named the base.
    pub base_label: String,
    /// The theme file.
    pub theme: &'a ThemeFile,
    /// The base with the theme, low, likely and high (from [`crate::scenario::theme::variants`]).
    pub variants: &'a [Scenario],
    /// Replications, seed and threads of every run.
    pub options: RunOptions,
    /// Price of an extra agent hour.
    pub agent_hour_price: Option<f64>,
    /// Most simulations to check the extra agents, per case (at least 1).
    pub max_checks: u32,
}

impl Input<'_> {
    /// The price of an extra agent hour: the one given, or else the
    /// `hour_price` of the pool that gets the extra agents (the first of
    /// `served_by`) when it is above 0; with where it comes from in the
    /// second case.
    pub fn hour_price(&self) -> (Option<f64>, Option<String>) {
        if self.agent_hour_price.is_some() {
            return (self.agent_hour_price, None);
        }
        let pool = self
            .theme
            .served_by
            .first()
            .and_then(|name| self.base.model.pools.iter().find(|p| &p.name == name));
        match pool {
            Some(p) if p.hour_price > 0.0 => (
                Some(p.hour_price),
                Some(format!("pools.{}.hour_price", p.name)),
            ),
            _ => (None, None),
        }
    }
}

/// Runs the base and the variants and works out the forecast.
pub fn forecast(input: &Input, progress: &(dyn Fn() + Sync)) -> Result<Forecast, RunError> {
    let base = &input.base.model;
    let cal = &base.calendar;
    let opts = input.options;
    let base_run = montecarlo::run(base, opts, progress)?;
    let mut runs = Vec::new();
    for v in input.variants {
        runs.push(montecarlo::run(&v.model, opts, progress)?);
    }
    let first_day = input
        .theme
        .start
        .and_then(|s| cal.day_of(s.max(cal.start)))
        .unwrap_or(0);
    let active: Vec<u32> = (first_day..cal.days).collect();

    let theme = periods::ThemeFigures::new(input, &runs);
    let totals = theme.over(&[Level::Horizon]);
    let weeks = theme.periods(cal, &active, &figures::iso_week);
    let months = theme.periods(cal, &active, &|d: NaiveDate| d.format("%Y-%m").to_string());

    let base_side = Side {
        label: input.base_label.clone(),
        scenario: input.base.model.name.clone(),
        hash: input.base.hash.clone(),
    };
    let reachability = reachability::rows(input, &base_run, &base_side, &runs, &active)?;

    let mut extra_agents = Vec::new();
    for (k, band) in Band::ALL.into_iter().enumerate() {
        extra_agents.push(extra_agents::for_band(
            input,
            band,
            &input.variants[k].model,
            &base_run,
            &active,
            progress,
        )?);
    }

    Ok(Forecast {
        schema_version: SCHEMA_VERSION,
        ccsim_version: env!("CARGO_PKG_VERSION").to_string(),
        theme: input.theme.name.clone(),
        description: input.theme.description.clone(),
        theme_file: input.theme.file.clone(),
        base: base_side,
        start: cal.date(first_day).to_string(),
        end: cal.date(cal.days - 1).to_string(),
        served_by: input.theme.served_by.clone(),
        seed: opts.seed,
        replications: opts.replications,
        volumes: input.theme.volumes.clone(),
        totals,
        weeks,
        months,
        reachability,
        extra_agents,
        agent_hour_price: input.hour_price().0,
        agent_hour_price_from: input.hour_price().1,
    })
}
