//! Validation of the callers' behaviour: redials, expected-wait
//! announcements and callback offers.

use std::path::Path;

use crate::model::{Announcement, CallbackOffer, Channel, Redial, Stream, Theme, Transfer};

use super::error::Problems;
use super::spec::{AnnouncementSpec, CallbackSpec, RedialSpec, ScenarioSpec};
use super::validate::{distribution, span};
use toml::Spanned;

/// A probability from 0 to 1, or `None` after noting the problem.
fn share(v: &Spanned<f64>, path: String, p: &mut Problems) -> Option<f64> {
    unit_interval(v, path, "a probability from 0 to 1 (0.6 for 60%)", p)
}

/// A number from 0 to 1 (`what` says which kind), or `None` after noting the problem.
pub(super) fn unit_interval(
    v: &Spanned<f64>,
    path: String,
    what: &str,
    p: &mut Problems,
) -> Option<f64> {
    let x = *v.get_ref();
    if (0.0..=1.0).contains(&x) {
        Some(x)
    } else {
        p.add(path, span(v), format!("must be {what}, got {x}"));
        None
    }
}

/// `[channels.NAME.redial]`.
pub fn redial(
    s: &Spanned<RedialSpec>,
    channel: Channel,
    path: &str,
    base_dir: Option<&Path>,
    p: &mut Problems,
) -> Option<Redial> {
    if channel == Channel::Email {
        p.add(
            path,
            span(s),
            "e-mails are never lost, so they are not redialled: redial applies to call and chat",
        );
        return None;
    }
    if channel == Channel::Visit {
        p.add(
            path,
            span(s),
            "visitors are not redialled: redial applies to call and chat (a visitor turned away books a new appointment outside the model)",
        );
        return None;
    }
    let r = s.get_ref();
    let first = share(&r.probability, format!("{path}.probability"), p);
    let later = match &r.later {
        Some(l) => share(l, format!("{path}.later"), p),
        None => first,
    };
    let delay = distribution(&r.delay, &format!("{path}.delay"), base_dir, p);
    let next_day_spread = r.next_day_spread.as_ref().map_or(3600.0, |d| d.get_ref().0);
    if next_day_spread > 86_400.0 {
        p.add(
            format!("{path}.next_day_spread"),
            r.next_day_spread.as_ref().and_then(span),
            format!("must be at most a day (24h), got {next_day_spread} s"),
        );
    }
    let max_attempts = match &r.max_attempts {
        None => Some(10),
        Some(m) if (1..=100).contains(m.get_ref()) => Some(*m.get_ref() as u32),
        Some(m) => {
            p.add(
                format!("{path}.max_attempts"),
                span(m),
                format!(
                    "must be a whole number of attempts from 1 to 100, got {}",
                    m.get_ref()
                ),
            );
            None
        }
    };
    let to_email = match &r.to_email {
        Some(t) => share(t, format!("{path}.to_email"), p),
        None => Some(0.0),
    };
    Some(Redial {
        first: first?,
        later: later?,
        delay: delay?,
        next_day_spread: next_day_spread.min(86_400.0),
        max_attempts: max_attempts?,
        to_email: to_email?,
    })
}

/// `[lines.NAME.announcement]`.
pub fn announcement(
    s: &Spanned<AnnouncementSpec>,
    path: &str,
    p: &mut Problems,
) -> Option<Announcement> {
    let a = s.get_ref();
    let leave = match &a.leave {
        Some(l) => share(l, format!("{path}.leave"), p)?,
        None => 1.0,
    };
    Some(Announcement {
        max_expected_wait: a.max_expected_wait.get_ref().0,
        leave,
    })
}

/// `[lines.NAME.callback]`.
pub fn callback(s: &Spanned<CallbackSpec>, path: &str, p: &mut Problems) -> Option<CallbackOffer> {
    let c = s.get_ref();
    let accept = share(&c.accept, format!("{path}.accept"), p)?;
    Some(CallbackOffer {
        after: c.after.get_ref().0,
        accept,
    })
}

/// Themes' `transfer`: answered calls passed on to another theme's call queue.
pub fn transfers(spec: &ScenarioSpec, themes: &[Theme], streams: &mut [Stream], p: &mut Problems) {
    for (name, t) in spec.themes.get_ref() {
        let Some(tr) = &t.get_ref().transfer else {
            continue;
        };
        let path = format!("themes.{name}.transfer");
        let spec_t = tr.get_ref();
        let probability = share(&spec_t.probability, format!("{path}.probability"), p);
        let target = spec_t.to.get_ref();
        let Some(to_theme) = themes.iter().position(|x| &x.name == target) else {
            let known: Vec<&str> = themes.iter().map(|x| x.name.as_str()).collect();
            p.add(
                format!("{path}.to"),
                span(&spec_t.to),
                format!(
                    "unknown theme \"{target}\": the themes are {}{}",
                    known.join(", "),
                    super::error::did_you_mean(target, known.iter().copied())
                ),
            );
            continue;
        };
        if target == name {
            p.add(
                format!("{path}.to"),
                span(&spec_t.to),
                "a theme cannot transfer calls to itself",
            );
            continue;
        }
        let find = |theme: usize| {
            streams
                .iter()
                .position(|s| s.theme == theme && s.channel == Channel::Call)
        };
        let Some(to) = find(to_theme) else {
            p.add(
                format!("{path}.to"),
                span(&spec_t.to),
                format!("theme \"{target}\" has no volume.call: transfers go to its call queue (it may be `{{ per_day = 0 }}`)"),
            );
            continue;
        };
        let Some(from_theme) = themes.iter().position(|x| &x.name == name) else {
            continue;
        };
        let Some(from) = find(from_theme) else {
            p.add(
                path,
                span(tr),
                "the theme has no volume.call: only calls are transferred",
            );
            continue;
        };
        let Some(probability) = probability else {
            continue;
        };
        streams[from].transfer = Some(Transfer {
            to,
            probability,
            delay: spec_t.delay.as_ref().map_or(0.0, |d| d.get_ref().0),
        });
    }
    // A caller passed round in a circle could be transferred for ever (at
    // one instant, with zero handle and transfer times): no cycles.
    for (name, t) in spec.themes.get_ref() {
        let Some(tr) = &t.get_ref().transfer else {
            continue;
        };
        let Some(start) = themes.iter().position(|x| &x.name == name) else {
            continue;
        };
        let mut chain = vec![name.as_str()];
        let mut at = start;
        while let Some(next) = streams
            .iter()
            .find(|s| s.theme == at && s.channel == Channel::Call)
            .and_then(|s| s.transfer)
        {
            at = streams[next.to].theme;
            chain.push(themes[at].name.as_str());
            if at == start {
                p.add(
                    format!("themes.{name}.transfer.to"),
                    span(&tr.get_ref().to),
                    format!(
                        "transfers must not lead back to the theme: {}",
                        chain.join(" → ")
                    ),
                );
                break;
            }
            if chain.len() > themes.len() {
                break;
            }
        }
    }
}
