//! `[targets]`: the figures the planner aims at, drawn on the charts: shares
//! from 0 to 1 per channel (and `total` for reachability).

use crate::model::Targets;
use crate::scenario::error::{Problems, did_you_mean};
use crate::scenario::spec::TargetsSpec;

use super::fields::{span, unit_interval};

/// The scenario's targets (none when it has no `[targets]`).
pub(super) fn targets(spec: Option<&TargetsSpec>, p: &mut Problems) -> Targets {
    let mut out = Targets::default();
    let Some(spec) = spec else {
        return out;
    };
    let tables = [
        (
            "reachability",
            &spec.reachability,
            &mut out.reachability,
            &["call", "chat", "email", "visit", "total"][..],
        ),
        (
            "service_level",
            &spec.service_level,
            &mut out.service_level,
            &["call", "chat"][..],
        ),
    ];
    for (field, given, into, keys) in tables {
        for (key, value) in given.iter().flatten() {
            let path = format!("targets.{field}.{key}");
            if !keys.contains(&key.as_str()) {
                p.add(
                    path,
                    span(value),
                    format!(
                        "`{key}` has no {field} target: use {}{}",
                        keys.join(", "),
                        did_you_mean(key, keys.iter().copied())
                    ),
                );
            } else if let Some(x) =
                unit_interval(value, &path, "a share from 0 to 1 (0.9 for 90%)", p)
            {
                into.insert(key.clone(), x);
            }
        }
    }
    out
}
