//! `[scale]`: multipliers of the whole scenario's volume, staffing and
//! handle times, for what-if runs and sweeps.

use crate::model::Channel;
use crate::scenario::error::Problems;
use crate::scenario::spec::ScaleSpec;

use super::fields::{factors, multiplier};

/// The volume and staffing multipliers (1 when not given).
pub(super) fn scales(spec: Option<&ScaleSpec>, p: &mut Problems) -> (f64, f64) {
    match spec {
        None => (1.0, 1.0),
        Some(s) => (
            multiplier(s.volume.as_ref(), "scale.volume", p),
            multiplier(s.agents.as_ref(), "scale.agents", p),
        ),
    }
}

/// The handle-time multiplier of each channel (1 when not given).
pub(super) fn handle_time(spec: Option<&ScaleSpec>, p: &mut Problems) -> [f64; Channel::COUNT] {
    factors(
        spec.and_then(|s| s.handle_time.as_ref()),
        "scale.handle_time",
        p,
    )
}
