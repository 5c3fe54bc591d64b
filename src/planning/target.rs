//! Staffing targets as a planner writes them on the command line:
//! `reachability>=0.90`, `service_level(60s)>=0.8`, `reachability.call>=90%`.
//!
//! Grammar: `METRIC[(THRESHOLD)][.CHANNEL]>=VALUE`, where
//! - `METRIC` is `reachability` (answered / offered) or `service_level`
//!   (answered within the threshold / offered);
//! - `THRESHOLD` (service level only) is a duration such as `60s` or `1m`;
//!   without it, the scenario's `service_level_threshold` of the channel is used;
//! - `CHANNEL` is `call`, `chat` or `email`; without it, calls and chats
//!   count together (answered calls and chats over offered calls and chats);
//!   e-mail takes reachability only (the share picked up within
//!   `sla_working_days`, targeted per day);
//! - `VALUE` is a share from 0 to 1 (`0.9`) or a percentage (`90%`).

use std::fmt;

use crate::model::Channel;
use crate::model::duration::{format_duration, parse_duration};

/// What a target measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TargetMetric {
    /// Answered / offered (calls and chats).
    Reachability,
    /// Answered within the threshold / offered; `None` takes the scenario's threshold.
    ServiceLevel(Option<f64>),
}

/// One staffing target: a metric over some live channels must reach a share.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The metric.
    pub metric: TargetMetric,
    /// The live channels counted together (calls, chats or both).
    pub channels: Vec<Channel>,
    /// The share the metric must reach, from 0 to 1.
    pub value: f64,
    /// The target as written, for messages and tables.
    pub text: String,
}

/// Why a target cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct TargetError {
    /// The target as written.
    pub text: String,
    /// What is wrong with it.
    pub message: String,
}

const FORM: &str = "write it as METRIC>=VALUE, e.g. reachability>=0.9, reachability.call>=90% or service_level(60s)>=0.8";

impl std::str::FromStr for Target {
    type Err = TargetError;

    fn from_str(text: &str) -> Result<Target, TargetError> {
        let fail = |message: String| TargetError {
            text: text.to_string(),
            message,
        };
        let (left, right) = text
            .split_once(">=")
            .ok_or_else(|| fail(format!("no `>=`: {FORM}")))?;
        let (metric_part, channel_part) = split_channel(left.trim()).map_err(fail)?;
        let metric = target_metric(metric_part).map_err(fail)?;
        let channels = target_channels(channel_part).map_err(fail)?;
        if channels == [Channel::Email] && metric != TargetMetric::Reachability {
            return Err(fail(
                "e-mail has no service level: target reachability.email (the share picked up within sla_working_days working days)".into(),
            ));
        }
        let value = share(right.trim()).map_err(fail)?;
        Ok(Target {
            metric,
            channels,
            value,
            text: text.to_string(),
        })
    }
}

/// Splits `METRIC[(THRESHOLD)][.CHANNEL]` into the metric with its threshold
/// and the channel, if any.
fn split_channel(left: &str) -> Result<(&str, Option<&str>), String> {
    match left.find(')') {
        Some(close) => {
            let rest = &left[close + 1..];
            match rest.strip_prefix('.') {
                Some(ch) => Ok((&left[..=close], Some(ch))),
                None if rest.is_empty() => Ok((left, None)),
                None => Err(format!("unexpected `{rest}` after the threshold: {FORM}")),
            }
        }
        None => Ok(match left.split_once('.') {
            Some((m, ch)) => (m, Some(ch)),
            None => (left, None),
        }),
    }
}

/// The metric of `METRIC[(THRESHOLD)]`.
fn target_metric(metric_part: &str) -> Result<TargetMetric, String> {
    let (name, threshold) = match metric_part.split_once('(') {
        Some((name, arg)) => {
            let arg = arg
                .strip_suffix(')')
                .ok_or_else(|| format!("the threshold lacks its `)`: {FORM}"))?;
            (name.trim(), Some(arg.trim()))
        }
        None => (metric_part.trim(), None),
    };
    match (name, threshold) {
        ("reachability", None) => Ok(TargetMetric::Reachability),
        ("reachability", Some(_)) => {
            Err("reachability takes no threshold; did you mean service_level(60s)?".into())
        }
        ("service_level", None) => Ok(TargetMetric::ServiceLevel(None)),
        ("service_level", Some(t)) => {
            let seconds = parse_duration(t)
                .map_err(|e| format!("the service-level threshold `{t}` is not a duration: {e}"))?;
            if !(seconds.is_finite() && seconds >= 0.0) {
                return Err(format!(
                    "the service-level threshold must be a duration of 0s or more, got `{t}`"
                ));
            }
            Ok(TargetMetric::ServiceLevel(Some(seconds)))
        }
        ("", _) => Err(format!("no metric before `>=`: {FORM}")),
        (other, _) => Err(format!(
            "unknown metric `{other}`: use reachability or service_level"
        )),
    }
}

/// The channels a target holds for: the one named, or calls and chats.
fn target_channels(channel_part: Option<&str>) -> Result<Vec<Channel>, String> {
    match channel_part.map(str::trim) {
        None => Ok(vec![Channel::Call, Channel::Chat]),
        Some("call") => Ok(vec![Channel::Call]),
        Some("chat") => Ok(vec![Channel::Chat]),
        Some("email") => Ok(vec![Channel::Email]),
        Some(other) => Err(format!(
            "unknown channel `{other}`: use call, chat or email, or leave it out for calls and chats"
        )),
    }
}

/// The target value: a share in (0, 1], written as such or as a percentage.
fn share(right: &str) -> Result<f64, String> {
    let value = match right.strip_suffix('%') {
        Some(pct) => pct.trim().parse::<f64>().map(|v| v / 100.0),
        None => right.parse::<f64>(),
    }
    .map_err(|_| {
        format!("`{right}` is not a number: give a share such as 0.9 or a percentage such as 90%")
    })?;
    if !(value > 0.0 && value <= 1.0) {
        return Err(format!(
            "the target must be a share above 0 and at most 1 (or a percentage up to 100%), got {right}"
        ));
    }
    Ok(value)
}

impl Target {
    /// The metric's name with its threshold and channel, e.g. `service_level(1m 00s).call`.
    pub fn label(&self) -> String {
        let mut s = match self.metric {
            TargetMetric::Reachability => "reachability".to_string(),
            TargetMetric::ServiceLevel(None) => "service_level".to_string(),
            TargetMetric::ServiceLevel(Some(t)) => format!("service_level({})", format_duration(t)),
        };
        if self.channels.len() == 1 {
            s.push('.');
            s.push_str(self.channels[0].name());
        }
        s
    }

    /// Whether the target counts contacts of `channel`.
    pub fn counts(&self, channel: Channel) -> bool {
        self.channels.contains(&channel)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} >= {}", self.label(), self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Target, String> {
        s.parse::<Target>().map_err(|e| e.to_string())
    }

    #[test]
    fn reads_the_forms_of_the_issue() {
        let t = parse("reachability>=0.90").unwrap();
        assert_eq!(t.metric, TargetMetric::Reachability);
        assert_eq!(t.channels, vec![Channel::Call, Channel::Chat]);
        assert_eq!(t.value, 0.9);
        let t = parse("service_level(60s)>=0.8").unwrap();
        assert_eq!(t.metric, TargetMetric::ServiceLevel(Some(60.0)));
        let t = parse("reachability.call >= 90%").unwrap();
        assert_eq!(t.channels, vec![Channel::Call]);
        assert!((t.value - 0.9).abs() < 1e-12);
        let t = parse("service_level(1m).chat>=0.75").unwrap();
        assert_eq!(t.metric, TargetMetric::ServiceLevel(Some(60.0)));
        assert_eq!(t.channels, vec![Channel::Chat]);
        assert_eq!(t.label(), "service_level(1m 00s).chat");
        let t = parse("service_level>=0.8").unwrap();
        assert_eq!(t.metric, TargetMetric::ServiceLevel(None));
    }

    #[test]
    fn explains_what_is_wrong() {
        assert_eq!(
            parse("reachability=0.9").unwrap_err(),
            format!("no `>=`: {FORM}")
        );
        assert_eq!(
            parse("reachabilty>=0.9").unwrap_err(),
            "unknown metric `reachabilty`: use reachability or service_level"
        );
        assert_eq!(
            parse("reachability>=1.2").unwrap_err(),
            "the target must be a share above 0 and at most 1 (or a percentage up to 100%), got 1.2"
        );
        assert!(
            parse("reachability.fax>=0.9")
                .unwrap_err()
                .contains("unknown channel `fax`")
        );
        assert_eq!(
            parse("reachability.email>=0.95").unwrap().channels,
            vec![Channel::Email]
        );
        assert_eq!(
            parse("service_level.email>=0.9").unwrap_err(),
            "e-mail has no service level: target reachability.email (the share picked up within sla_working_days working days)"
        );
        assert!(
            parse("service_level(soon)>=0.8")
                .unwrap_err()
                .contains("not a duration")
        );
        assert!(
            parse("reachability>=high")
                .unwrap_err()
                .contains("`high` is not a number")
        );
        assert!(
            parse("reachability(60s)>=0.9")
                .unwrap_err()
                .contains("takes no threshold")
        );
    }
}
