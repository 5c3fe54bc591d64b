//! `[expect]`: the promises `ccsim check` tests. Each promise's figure must
//! exist in this scenario (a channel with demand, a pool by name) and its
//! value be a bound and a threshold in the figure's unit.

use indexmap::IndexMap;
use toml::Spanned;

use crate::model::duration::parse_duration;
use crate::model::{Bound, Channel, Metric, Pool, Promise, PromiseScope, Stream};
use crate::scenario::error::{Problems, did_you_mean};
use crate::scenario::spec::{CostExpect, ExpectSpec};

use super::fields::span;

/// The unit a promise's threshold is written in.
#[derive(Debug, Clone, Copy)]
enum Unit {
    /// A share from 0 to 1, or a percentage.
    Share,
    /// A duration.
    Seconds,
    /// An amount of money.
    Money,
}

/// A table of promises per channel: `reachability.call = ">= 0.9"`.
struct ChannelTable<'a> {
    /// The key in `[expect]`.
    field: &'static str,
    /// The figure promised.
    metric: Metric,
    /// The promises, by channel (or `total`).
    promises: &'a Option<IndexMap<String, Spanned<String>>>,
    /// Whether `total` is a key.
    total: bool,
    /// The channels that have this figure in this scenario.
    channels: &'a [&'a str],
    /// The thresholds' unit.
    unit: Unit,
}

/// The scenario's promises; `streams` and `pools` tell which figures exist.
pub(super) fn expect(
    spec: Option<&ExpectSpec>,
    streams: &[Stream],
    pools: &[Pool],
    p: &mut Problems,
) -> Vec<Promise> {
    let mut out = Vec::new();
    let Some(spec) = spec else {
        return out;
    };
    let active: Vec<&str> = Channel::ALL
        .into_iter()
        .filter(|c| streams.iter().any(|s| s.channel == *c))
        .map(Channel::name)
        .collect();
    // E-mails neither wait in a queue nor abandon.
    let live: Vec<&str> = active.iter().copied().filter(|c| *c != "email").collect();
    let tables = [
        ChannelTable {
            field: "reachability",
            metric: Metric::Reachability,
            promises: &spec.reachability,
            total: true,
            channels: &active,
            unit: Unit::Share,
        },
        ChannelTable {
            field: "service_level",
            metric: Metric::ServiceLevel,
            promises: &spec.service_level,
            total: false,
            channels: &live,
            unit: Unit::Share,
        },
        ChannelTable {
            field: "abandonment",
            metric: Metric::AbandonShare,
            promises: &spec.abandonment,
            total: false,
            channels: &live,
            unit: Unit::Share,
        },
        ChannelTable {
            field: "asa",
            metric: Metric::Asa,
            promises: &spec.asa,
            total: false,
            channels: &active,
            unit: Unit::Seconds,
        },
    ];
    for table in &tables {
        for (key, value) in table.promises.iter().flatten() {
            let figure = format!("{}.{key}", table.field);
            if let Some(scope) = channel_scope(table, key, &figure, value, p) {
                out.extend(promise(figure, table.metric, scope, table.unit, value, p));
            }
        }
    }
    let pool_names: Vec<&str> = pools.iter().map(|x| x.name.as_str()).collect();
    for (key, value) in spec.occupancy.iter().flatten() {
        let figure = format!("occupancy.{key}");
        if !pool_names.contains(&key.as_str()) {
            p.add(
                format!("expect.{figure}"),
                span(value),
                format!(
                    "no pool `{key}`: the pools are {}{}",
                    pool_names.join(", "),
                    did_you_mean(key, pool_names.iter().copied())
                ),
            );
            continue;
        }
        let scope = PromiseScope::Pool(key.clone());
        out.extend(promise(
            figure,
            Metric::Occupancy,
            scope,
            Unit::Share,
            value,
            p,
        ));
    }
    if let Some(cost) = &spec.cost {
        costs(cost, pools, &mut out, p);
    }
    out
}

/// The parts of the cost a promise may be about: the key in `cost.KEY` and
/// the figure.
const COST_PARTS: [(&str, Metric); 4] = [
    ("handling", Metric::Cost),
    ("staff", Metric::StaffCost),
    ("extra", Metric::ExtraCost),
    ("total", Metric::TotalCost),
];

/// The promises on the cost: `cost = "<= ..."` (the handling cost) or
/// `cost.PART = "<= ..."` for each part. Staff and total cost need a pool
/// with an `hour_price`, extra cost a pool with extra support: without
/// them the run does not report the figure.
fn costs(cost: &Spanned<CostExpect>, pools: &[Pool], out: &mut Vec<Promise>, p: &mut Problems) {
    let parts = match cost.get_ref() {
        CostExpect::Handling(text) => {
            let value = Spanned::new(cost.span(), text.clone());
            let scope = PromiseScope::Total;
            out.extend(promise(
                "cost".to_string(),
                Metric::Cost,
                scope,
                Unit::Money,
                &value,
                p,
            ));
            return;
        }
        CostExpect::Parts(parts) => parts,
    };
    let keys: Vec<&str> = COST_PARTS.iter().map(|(k, _)| *k).collect();
    let priced = pools.iter().any(|x| x.hour_price > 0.0);
    let extra = pools.iter().any(Pool::has_extra);
    for (key, value) in parts {
        let figure = format!("cost.{key}");
        let Some(&(_, metric)) = COST_PARTS.iter().find(|(k, _)| k == key) else {
            p.add(
                format!("expect.{figure}"),
                span(value),
                format!(
                    "`{key}` is not a part of the cost: use {}{}",
                    keys.join(", "),
                    did_you_mean(key, keys.iter().copied())
                ),
            );
            continue;
        };
        let missing = match metric {
            Metric::StaffCost | Metric::TotalCost if !priced => Some(
                "no pool of this scenario has an hour_price, so it has no staff cost: give \
                 pools.NAME.hour_price, or promise cost.handling",
            ),
            Metric::ExtraCost if !extra => {
                Some("no pool of this scenario has extra support, so it has no extra cost")
            }
            _ => None,
        };
        if let Some(message) = missing {
            p.add(format!("expect.{figure}"), span(value), message.to_string());
            continue;
        }
        out.extend(promise(
            figure,
            metric,
            PromiseScope::Total,
            Unit::Money,
            value,
            p,
        ));
    }
}

/// What `key` of a channel table is about, or `None` after noting that this
/// scenario has no such figure.
fn channel_scope(
    table: &ChannelTable,
    key: &str,
    figure: &str,
    value: &Spanned<String>,
    p: &mut Problems,
) -> Option<PromiseScope> {
    if table.total && key == "total" {
        return Some(PromiseScope::Total);
    }
    if table.channels.contains(&key)
        && let Some(c) = Channel::from_name(key)
    {
        return Some(PromiseScope::Channel(c));
    }
    let field = table.field;
    let mut keys: Vec<&str> = table.channels.to_vec();
    if table.total {
        keys.push("total");
    }
    let known = ["call", "chat", "email", "visit", "total"].contains(&key);
    p.add(
        format!("expect.{figure}"),
        span(value),
        if known && keys.is_empty() {
            format!("this scenario has no channel with a {field} figure")
        } else if known {
            format!(
                "this scenario has no {field} figure for `{key}`: use {}",
                keys.join(", ")
            )
        } else {
            format!(
                "`{key}` is not a channel: use {}{}",
                keys.join(", "),
                did_you_mean(key, keys.iter().copied())
            )
        },
    );
    None
}

/// One promise from its value, `">= 0.85"` or `"<= 45s"`, or `None` after
/// noting what is wrong with it.
fn promise(
    figure: String,
    metric: Metric,
    scope: PromiseScope,
    unit: Unit,
    value: &Spanned<String>,
    p: &mut Problems,
) -> Option<Promise> {
    let path = format!("expect.{figure}");
    let text = value.get_ref().trim();
    let (bound, rest) = if let Some(r) = text.strip_prefix(">=") {
        (Bound::AtLeast, r)
    } else if let Some(r) = text.strip_prefix("<=") {
        (Bound::AtMost, r)
    } else {
        p.add(
            path,
            span(value),
            format!(
                "must be a bound and a threshold, e.g. \">= 0.85\" or \"<= 45s\", got \"{text}\""
            ),
        );
        return None;
    };
    let threshold = match threshold(unit, rest.trim()) {
        Ok(x) => x,
        Err(message) => {
            p.add(path, span(value), message);
            return None;
        }
    };
    Some(Promise {
        figure,
        metric,
        scope,
        bound,
        threshold,
    })
}

/// A threshold in `unit`, or the message that says what was expected.
fn threshold(unit: Unit, rest: &str) -> Result<f64, String> {
    match unit {
        Unit::Share => {
            let (number, scale) = match rest.strip_suffix('%') {
                Some(n) => (n.trim(), 100.0),
                None => (rest, 1.0),
            };
            match number.parse::<f64>() {
                Ok(x) if x.is_finite() && (0.0..=1.0).contains(&(x / scale)) => Ok(x / scale),
                _ => Err(format!(
                    "the threshold must be a share from 0 to 1 or a percentage (0.85 or 85%), got \"{rest}\""
                )),
            }
        }
        Unit::Seconds => match parse_duration(rest) {
            Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
            _ => Err(format!(
                "the threshold must be a duration, e.g. \"45s\" or \"2m\", got \"{rest}\""
            )),
        },
        Unit::Money => match rest.replace('_', "").parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
            _ => Err(format!(
                "the threshold must be an amount, e.g. 1.2e6 or 1_200_000, got \"{rest}\""
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_in_their_units() {
        assert_eq!(threshold(Unit::Share, "85%"), Ok(0.85));
        assert_eq!(threshold(Unit::Share, "0.9"), Ok(0.9));
        assert_eq!(threshold(Unit::Seconds, "2m"), Ok(120.0));
        assert_eq!(threshold(Unit::Money, "1_200_000"), Ok(1_200_000.0));
        assert_eq!(
            threshold(Unit::Share, "150%"),
            Err("the threshold must be a share from 0 to 1 or a percentage (0.85 or 85%), got \"150%\"".to_string())
        );
        assert_eq!(
            threshold(Unit::Seconds, "soon"),
            Err(
                "the threshold must be a duration, e.g. \"45s\" or \"2m\", got \"soon\""
                    .to_string()
            )
        );
        assert_eq!(
            threshold(Unit::Money, "-5"),
            Err("the threshold must be an amount, e.g. 1.2e6 or 1_200_000, got \"-5\"".to_string())
        );
    }
}
