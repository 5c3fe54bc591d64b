//! `[targets]`: the figures the planner aims at, drawn on the charts: shares
//! from 0 to 1 per channel (and `total` for reachability).

use crate::model::{Channel, TargetScope, Targets};
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
            &["call", "chat", "email", "visit", "total"][..],
        ),
        ("service_level", &spec.service_level, &["call", "chat"][..]),
    ];
    for (field, given, keys) in tables {
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
                // The key is one of `keys`: a channel, or `total`.
                match (field, Channel::from_name(key)) {
                    ("reachability", Some(c)) => {
                        out.reachability.insert(TargetScope::Channel(c), x);
                    }
                    ("reachability", None) => {
                        out.reachability.insert(TargetScope::Total, x);
                    }
                    (_, Some(c)) => {
                        out.service_level.insert(c, x);
                    }
                    (_, None) => {}
                }
            }
        }
    }
    out
}
