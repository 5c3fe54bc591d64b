//! Values written with their unit, on axes and in labels: durations like a
//! clock, euro amounts in one unit per axis, parameter values as written
//! in a scenario; and round steps for a time axis.

use super::style::{nice_step, nice_up};

/// A step for a time axis in seconds: whole seconds, minutes or hours.
pub(super) fn time_step(span: f64, max_ticks: usize) -> f64 {
    // No 20 s: on an axis past a minute it gives "1m 20s", "1m 40s", which
    // read worse than half minutes.
    const STEPS: [f64; 15] = [
        1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0,
        21600.0,
    ];
    let raw = span / max_ticks.max(1) as f64;
    if !(raw.is_finite() && raw >= 1.0) {
        return nice_step(span, max_ticks);
    }
    STEPS
        .into_iter()
        .find(|s| *s >= raw)
        .unwrap_or_else(|| 86_400.0 * nice_up(raw / 86_400.0))
}

/// "45 s", "2.5 s", "1m 30s", "2m", "1h 30m".
pub(super) fn duration_label(s: f64) -> String {
    seconds_format(&[s]).label(s)
}

/// How durations on one axis are written: under a minute as "2.5 s" with
/// the decimals the step needs; on an axis that reaches a minute, like a
/// clock: "30s", "1m", "1m 30s", "1h 30m".
pub(super) struct SecondsFormat {
    clock: bool,
    decimals: usize,
}

impl SecondsFormat {
    /// `v` seconds as this axis writes them; "–" for no value.
    pub(super) fn label(&self, v: f64) -> String {
        if !v.is_finite() {
            return "–".to_string();
        }
        let a = v.abs();
        let body = if self.clock {
            let total = a.round() as u64;
            match (total / 3600, total % 3600 / 60, total % 60) {
                (0, 0, sec) => format!("{sec}s"),
                (0, m, 0) => format!("{m}m"),
                (0, m, sec) => format!("{m}m {sec}s"),
                (h, 0, _) => format!("{h}h"),
                (h, m, _) => format!("{h}h {m}m"),
            }
        } else {
            format!("{a:.*} s", self.decimals)
        };
        let zero = body.trim_start_matches(['0', '.', 's', ' ']).is_empty();
        if v < 0.0 && !zero {
            format!("−{body}")
        } else {
            body
        }
    }
}

/// The format for durations `values` in seconds (the ticks of an axis, or
/// one value).
pub(super) fn seconds_format(values: &[f64]) -> SecondsFormat {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let largest = finite.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    SecondsFormat {
        clock: largest >= 60.0,
        decimals: exact_decimals(&finite, 1.0).min(if finite.len() <= 1 { 1 } else { 3 }),
    }
}

/// The fewest decimals (at most 3) that write every value, in `unit`s,
/// exactly.
pub(super) fn exact_decimals(values: &[f64], unit: f64) -> usize {
    (0..=3)
        .find(|&d| {
            let scale = 10f64.powi(d);
            values.iter().all(|v| {
                let x = v / unit * scale;
                (x - x.round()).abs() < 1e-6 * x.abs().max(1.0)
            })
        })
        .unwrap_or(3) as usize
}

/// How euro amounts on one axis are written: all in the same unit (M, k or
/// whole euros) with the decimals the step needs.
pub(super) struct EuroFormat {
    unit: f64,
    suffix: &'static str,
    decimals: usize,
}

impl EuroFormat {
    /// "€ 1.2M", "€ 450k", "−€ 300", "€ 0".
    pub(super) fn label(&self, v: f64) -> String {
        if !v.is_finite() {
            return "–".to_string();
        }
        let x = v.abs() / self.unit;
        let digits = format!("{x:.*}", self.decimals);
        if digits.trim_start_matches(['0', '.']).is_empty() {
            return "€ 0".to_string();
        }
        let sign = if v < 0.0 { "−" } else { "" };
        format!("{sign}€ {digits}{}", self.suffix)
    }
}

/// The format for euro `values` (the ticks of an axis, or one value).
pub(super) fn euro_format(values: &[f64]) -> EuroFormat {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let largest = finite.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let (unit, suffix) = if largest >= 1e6 {
        (1e6, "M")
    } else if largest >= 1e3 {
        (1e3, "k")
    } else {
        (1.0, "")
    };
    let decimals = exact_decimals(&finite, unit);
    // A single amount needs no more than two significant decimals.
    let decimals = if finite.len() <= 1 {
        decimals.min(2)
    } else {
        decimals
    };
    EuroFormat {
        unit,
        suffix,
        decimals,
    }
}

/// A parameter value as written in a scenario: "0.85", "1.2", "45".
pub(super) fn number_label(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    if v != 0.0 && !(1e-4..1e7).contains(&v.abs()) {
        return format!("{v:.2e}");
    }
    (0..=4)
        .map(|d| format!("{v:.d$}"))
        .find(|s| {
            s.parse::<f64>()
                .is_ok_and(|p| (p - v).abs() <= 1e-9 * v.abs().max(1.0))
        })
        .unwrap_or_else(|| {
            let s = format!("{v:.4}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_a_clock() {
        assert_eq!(duration_label(45.0), "45 s");
        assert_eq!(duration_label(2.5), "2.5 s");
        assert_eq!(duration_label(90.0), "1m 30s");
        assert_eq!(duration_label(120.0), "2m");
        assert_eq!(duration_label(5400.0), "1h 30m");
        assert_eq!(duration_label(f64::NAN), "–");
        let axis = seconds_format(&[0.0, 30.0, 60.0, 90.0]);
        assert_eq!(axis.label(30.0), "30s");
        assert_eq!(axis.label(90.0), "1m 30s");
        let axis = seconds_format(&[0.9, 0.95, 1.0]);
        assert_eq!(axis.label(0.95), "0.95 s");
        assert_eq!(axis.label(1.0), "1.00 s");
    }

    #[test]
    fn euros_share_one_unit_per_axis() {
        let f = euro_format(&[1_000_000.0, 1_200_000.0, 1_400_000.0]);
        assert_eq!(f.label(1_200_000.0), "€ 1.2M");
        assert_eq!(f.label(1_000_000.0), "€ 1.0M");
        let f = euro_format(&[0.0, 250_000.0, 500_000.0]);
        assert_eq!(f.label(450_000.0), "€ 450k");
        assert_eq!(f.label(0.0), "€ 0");
        assert_eq!(euro_format(&[1_234_567.0]).label(1_234_567.0), "€ 1.23M");
    }

    #[test]
    fn time_steps_are_round() {
        assert_eq!(time_step(100.0, 5), 30.0);
        assert_eq!(time_step(60.0, 5), 15.0);
        assert_eq!(time_step(600.0, 5), 120.0);
        assert_eq!(time_step(0.5, 5), 0.1);
    }

    #[test]
    fn parameter_values_keep_their_decimals() {
        assert_eq!(number_label(0.85), "0.85");
        assert_eq!(number_label(1.0), "1");
        assert_eq!(number_label(45.0), "45");
        assert_eq!(number_label(0.125), "0.125");
    }
}
