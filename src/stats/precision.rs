//! How a run asked for a precision (`ccsim run --precision`) went: the
//! target half-width, the cap, the replications after each batch, and the
//! half-width each key figure ended with. Written to `summary.json` (key
//! `precision`) and told by the terminal summary and `report.html`.

use serde::{Deserialize, Serialize};

/// A run that went on until the key figures' confidence intervals were
/// narrow enough, or until its cap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Precision {
    /// The half-width asked for, in proportion units (0.002 = 0.2 points).
    pub target: f64,
    /// Most replications the run could use (`-r`, else the default cap).
    pub cap: u32,
    /// Whether every key figure's 95% CI ended within ± `target` of its mean.
    pub reached: bool,
    /// Whether Ctrl-C (or SIGTERM) stopped the run before the target or
    /// the cap: the figures are then partial.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
    /// Replications done after each batch, in order; the last is the run's.
    pub batches: Vec<u32>,
    /// The key figures and their half-widths at the end, in layout order.
    pub figures: Vec<KeyFigure>,
}

/// One key figure (a reachability or service level over the horizon) and
/// the half-width of its 95% CI: the larger of `mean − ci_low` and
/// `ci_high − mean` (the interval of a share need not be symmetric).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyFigure {
    /// `reachability.call`, `service_level.chat`, `reachability` (all
    /// channels together), as `[expect]` names them.
    pub figure: String,
    /// The half-width; `None` when the figure has no interval (fewer than
    /// two replications define it).
    pub half_width: Option<f64>,
}

impl Precision {
    /// The key figure with the widest interval (one without an interval
    /// counts as the widest).
    pub fn widest(&self) -> Option<&KeyFigure> {
        self.figures.iter().max_by(|a, b| {
            let w = |f: &KeyFigure| f.half_width.unwrap_or(f64::INFINITY);
            w(a).total_cmp(&w(b))
        })
    }

    /// Replications the run used.
    pub fn replications(&self) -> u32 {
        self.batches.last().copied().unwrap_or(0)
    }

    /// One line for the terminal and the report: the target reached after
    /// how many replications, or why not.
    pub fn message(&self) -> String {
        let target = points(self.target);
        let batches = self
            .batches
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        if self.reached {
            return format!(
                "Precision reached: every key figure's 95% CI is within ±{target} points after {} replications (checked after {batches}; cap {}).",
                self.replications(),
                self.cap
            );
        }
        let widest = match self.widest() {
            Some(KeyFigure {
                figure,
                half_width: Some(h),
            }) => format!("{figure} is still ±{} points", points(*h)),
            Some(KeyFigure { figure, .. }) => format!("{figure} still has no interval"),
            None => "no key figure has an interval".to_string(),
        };
        if self.interrupted {
            return format!(
                "PRECISION NOT REACHED: the run was stopped after {} replications; the 95% CI of {widest}, wider than the ±{target} asked for.",
                self.replications()
            );
        }
        format!(
            "PRECISION NOT REACHED: stopped at the cap of {} replications; the 95% CI of {widest}, wider than the ±{target} asked for. Raise the cap (-r) or ask for a wider --precision.",
            self.cap
        )
    }
}

/// A share as percentage points, with the decimals a small one needs:
/// 0.002 → `0.20`, 0.0005 → `0.050`.
pub fn points(x: f64) -> String {
    let p = x * 100.0;
    if p >= 0.1 {
        format!("{p:.2}")
    } else {
        format!("{p:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn precision(reached: bool, widths: &[(&str, Option<f64>)]) -> Precision {
        Precision {
            target: 0.002,
            cap: 1000,
            reached,
            interrupted: false,
            batches: vec![20, 80, 1000],
            figures: widths
                .iter()
                .map(|(f, h)| KeyFigure {
                    figure: f.to_string(),
                    half_width: *h,
                })
                .collect(),
        }
    }

    #[test]
    fn the_cap_message_names_the_widest_figure() {
        let p = precision(
            false,
            &[
                ("reachability.call", Some(0.0011)),
                ("reachability.email", Some(0.0055)),
                ("reachability", Some(0.0019)),
            ],
        );
        assert_eq!(
            p.message(),
            "PRECISION NOT REACHED: stopped at the cap of 1000 replications; the 95% CI of reachability.email is still ±0.55 points, wider than the ±0.20 asked for. Raise the cap (-r) or ask for a wider --precision."
        );
        let p = precision(
            false,
            &[
                ("reachability.call", Some(0.5)),
                ("service_level.call", None),
            ],
        );
        assert_eq!(p.widest().unwrap().figure, "service_level.call");
        assert!(
            p.message()
                .contains("service_level.call still has no interval")
        );
        let mut p = p;
        p.interrupted = true;
        p.batches = vec![20, 57];
        assert_eq!(
            p.message(),
            "PRECISION NOT REACHED: the run was stopped after 57 replications; the 95% CI of service_level.call still has no interval, wider than the ±0.20 asked for."
        );
    }

    #[test]
    fn the_reached_message_says_how_many() {
        let p = precision(true, &[("reachability.call", Some(0.0011))]);
        assert_eq!(
            p.message(),
            "Precision reached: every key figure's 95% CI is within ±0.20 points after 1000 replications (checked after 20, 80, 1000; cap 1000)."
        );
        assert_eq!(points(0.0005), "0.050");
    }
}
