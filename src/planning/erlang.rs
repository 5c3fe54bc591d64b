//! `ccsim erlang`'s questions about one stationary queue: its figures at a
//! staffing, and the fewest agents that meet targets by Erlang C (no
//! abandonment) and Erlang A (with the callers' patience).

use crate::erlang::{ErlangError, Load, agents_for_erlang_a, agents_for_service_level_c};

use super::target::{Target, TargetMetric};

/// One stationary queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Queue {
    /// Arrivals per hour.
    pub rate_per_hour: f64,
    /// Mean handle time, seconds.
    pub aht: f64,
    /// Mean patience, seconds (Erlang A); none for Erlang B and C only.
    pub patience: Option<f64>,
    /// Service-level threshold, seconds.
    pub threshold: f64,
}

impl Queue {
    /// The load on `agents` agents.
    pub fn load(&self, agents: u32) -> Load {
        Load {
            arrival_rate: self.rate_per_hour / 3600.0,
            mean_handle_time: self.aht,
            agents,
        }
    }

    /// The service-level threshold a target asks for, else the queue's own.
    fn threshold_of(&self, metric: TargetMetric) -> f64 {
        match metric {
            TargetMetric::ServiceLevel(Some(t)) => t,
            _ => self.threshold,
        }
    }
}

/// The fewest agents meeting every target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Needs {
    /// Offered load, Erlang.
    pub erlangs: f64,
    /// The most agents searched.
    pub max: u32,
    /// Erlang C's answer; none when more than `max` are needed.
    pub erlang_c: Option<u32>,
    /// Erlang A's answer (with a patience); none when more than `max` are
    /// needed or without a patience.
    pub erlang_a: Option<u32>,
    /// The service-level threshold the figures are shown at: the first
    /// service-level target's own, else the queue's.
    pub shown_threshold: f64,
}

/// The fewest agents meeting every target, each target alone, then the
/// largest: figures only improve with agents.
pub fn needs(q: &Queue, targets: &[Target]) -> Result<Needs, ErlangError> {
    let rate = q.rate_per_hour / 3600.0;
    let a = q.load(1).offered_erlangs();
    if !a.is_finite() {
        return Err(ErlangError::InvalidInput(
            "rate and handle time must be finite".into(),
        ));
    }
    // Enough room above the load for any target, and at least the 2,000
    // agents the formulas are tested for.
    let max = ((3.0 * a).ceil() as u32).saturating_add(100).max(2000);
    let mut need_c: Option<u32> = Some(0);
    let mut need_a: Option<u32> = q.patience.map(|_| 0);
    for t in targets {
        let th = q.threshold_of(t.metric);
        let c = match t.metric {
            // Without abandonment everyone is answered once the queue is stable.
            TargetMetric::Reachability => Some(a.floor() as u32 + 1),
            TargetMetric::ServiceLevel(_) => {
                agents_for_service_level_c(rate, q.aht, th, t.value, max)
            }
        };
        need_c = need_c.zip(c).map(|(x, y)| x.max(y));
        if let Some(patience) = q.patience {
            let n = agents_for_erlang_a(rate, q.aht, patience, th, max, |f| match t.metric {
                TargetMetric::Reachability => f.reachability >= t.value,
                TargetMetric::ServiceLevel(_) => f.service_level >= t.value,
            });
            need_a = need_a.zip(n).map(|(x, y)| x.max(y));
        }
    }
    let shown_threshold = targets
        .iter()
        .find_map(|t| match t.metric {
            TargetMetric::ServiceLevel(_) => Some(q.threshold_of(t.metric)),
            TargetMetric::Reachability => None,
        })
        .unwrap_or(q.threshold);
    Ok(Needs {
        erlangs: a,
        max,
        erlang_c: need_c,
        erlang_a: need_a,
        shown_threshold,
    })
}
