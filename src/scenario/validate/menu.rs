//! Phone menus: a line's volume per channel split over its themes by each
//! theme's `menu_share` (the share of callers who pick that option).

use indexmap::IndexMap;
use toml::Spanned;

use crate::model::Channel;
use crate::scenario::error::Problems;
use crate::scenario::spec::{ScenarioSpec, VolumeSpec};

use super::fields::span;

/// The kind (`per_day`, `per_month`, `per_year`) and amount of line
/// `line`'s menu volume on `channel`, when it is well formed.
pub(super) fn line_volume(
    spec: &ScenarioSpec,
    line: &str,
    channel: Channel,
) -> Option<(&'static str, f64)> {
    let menu = spec.lines.get(line)?.get_ref().menu.as_ref()?;
    let v = menu.get_ref().get(channel)?.get_ref();
    if v.file.is_some() || v.column.is_some() {
        return None;
    }
    match (&v.per_day, &v.per_month, &v.per_year, &v.menu_share) {
        (Some(x), None, None, None) => Some(("per_day", *x.get_ref())),
        (None, Some(x), None, None) => Some(("per_month", *x.get_ref())),
        (None, None, Some(x), None) => Some(("per_year", *x.get_ref())),
        _ => None,
    }
    .filter(|(_, x)| x.is_finite() && *x >= 0.0)
}

/// Checks every line's menu: one well-formed volume per channel, and the
/// shares of the themes that come through it summing to 1.
pub(super) fn check(spec: &ScenarioSpec, only_line: Option<&str>, p: &mut Problems) {
    for (name, l) in &spec.lines {
        let Some(menu) = &l.get_ref().menu else {
            continue;
        };
        for channel in Channel::ALL {
            let Some(v) = menu.get_ref().get(channel) else {
                continue;
            };
            let path = format!("lines.{name}.menu.{}", channel.name());
            if line_volume(spec, name, channel).is_none() {
                p.add(
                    path,
                    span(v),
                    "give exactly one of per_day, per_month or per_year, a non-negative number of contacts",
                );
                continue;
            }
            // Themes of this line: those naming it, or every theme when the
            // scenario has only this line.
            let mut shares: IndexMap<&str, f64> = IndexMap::new();
            for (theme, t) in spec.themes.get_ref() {
                let t = t.get_ref();
                let on_line = match &t.line {
                    Some(line) => line.get_ref() == name,
                    None => only_line == Some(name.as_str()),
                };
                let share = t
                    .volume
                    .get_ref()
                    .get(channel)
                    .and_then(|v: &Spanned<VolumeSpec>| v.get_ref().menu_share.as_ref());
                if let (true, Some(s)) = (on_line, share) {
                    shares.insert(theme, *s.get_ref());
                }
            }
            // `+ 0.0` so that an empty sum prints as 0, not -0.
            let sum: f64 = shares.values().sum::<f64>() + 0.0;
            if (sum - 1.0).abs() > 1e-6 {
                let listed = if shares.is_empty() {
                    "no theme of the line has a menu_share".to_string()
                } else {
                    shares
                        .iter()
                        .map(|(t, s)| format!("{t} {s}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                p.add(
                    path,
                    span(v),
                    format!(
                        "the menu's shares sum to {sum} ({listed}): they must sum to 1 (send an option's callers elsewhere with a theme's deflection)"
                    ),
                );
            }
        }
    }
}
