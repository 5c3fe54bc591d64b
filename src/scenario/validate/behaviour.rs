//! Validation of the callers' behaviour: redials (`channels.NAME.redial`),
//! expected-wait announcements and callback offers (`lines.NAME`), and
//! transfers between themes (`themes.NAME.transfer`).

use std::path::Path;

use toml::Spanned;

use crate::model::distribution::readable;
use crate::model::{Announcement, CallbackOffer, Channel, Redial, Stream, Theme, Transfer};
use crate::scenario::error::Problems;
use crate::scenario::spec::{
    AnnouncementSpec, CallbackSpec, RedialSpec, ScenarioSpec, TransferSpec,
};

use super::distribution::distribution;
use super::fields::{probability, span, unknown, whole};

/// `[channels.NAME.redial]`.
pub(super) fn redial(
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
    let first = probability(&r.probability, &format!("{path}.probability"), p);
    let later = match &r.later {
        Some(l) => probability(l, &format!("{path}.later"), p),
        None => first,
    };
    let delay = distribution(&r.delay, &format!("{path}.delay"), base_dir, p);
    let next_day_spread = r.next_day_spread.as_ref().map_or(3600.0, |d| d.get_ref().0);
    if next_day_spread > 86_400.0 {
        p.add(
            format!("{path}.next_day_spread"),
            r.next_day_spread.as_ref().and_then(span),
            format!(
                "must be at most a day (24h), got {} s",
                readable(next_day_spread)
            ),
        );
    }
    let max_attempts = match &r.max_attempts {
        None => Some(10),
        Some(m) => whole(m, 1..=100, "attempts", &format!("{path}.max_attempts"), p),
    };
    let to_email = match &r.to_email {
        Some(t) => probability(t, &format!("{path}.to_email"), p),
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
pub(super) fn announcement(
    s: &Spanned<AnnouncementSpec>,
    path: &str,
    p: &mut Problems,
) -> Option<Announcement> {
    let a = s.get_ref();
    let leave = match &a.leave {
        Some(l) => probability(l, &format!("{path}.leave"), p)?,
        None => 1.0,
    };
    Some(Announcement {
        max_expected_wait: a.max_expected_wait.get_ref().0,
        leave,
    })
}

/// `[lines.NAME.callback]`.
pub(super) fn callback(
    s: &Spanned<CallbackSpec>,
    path: &str,
    p: &mut Problems,
) -> Option<CallbackOffer> {
    let c = s.get_ref();
    let accept = probability(&c.accept, &format!("{path}.accept"), p)?;
    Some(CallbackOffer {
        after: c.after.get_ref().0,
        accept,
    })
}

/// Themes' `transfer`: answered calls passed on to another theme's call
/// queue, without a circle.
pub(super) fn transfers(
    spec: &ScenarioSpec,
    themes: &[Theme],
    streams: &mut [Stream],
    p: &mut Problems,
) {
    for (name, t) in spec.themes.get_ref() {
        if let Some(tr) = &t.get_ref().transfer {
            attach_transfer(name, tr, themes, streams, p);
        }
    }
    refuse_circles(spec, themes, streams, p);
}

/// The call stream of a theme, by the theme's index.
fn call_stream(streams: &[Stream], theme: usize) -> Option<usize> {
    streams
        .iter()
        .position(|s| s.theme == theme && s.channel == Channel::Call)
}

/// Sets theme `name`'s transfer on its call stream, once the target is a
/// theme with calls and the probability is one.
fn attach_transfer(
    name: &str,
    tr: &Spanned<TransferSpec>,
    themes: &[Theme],
    streams: &mut [Stream],
    p: &mut Problems,
) {
    let path = format!("themes.{name}.transfer");
    let spec_t = tr.get_ref();
    let probability = probability(&spec_t.probability, &format!("{path}.probability"), p);
    let target = spec_t.to.get_ref();
    let Some(to_theme) = themes.iter().position(|x| &x.name == target) else {
        let known: Vec<&str> = themes.iter().map(|x| x.name.as_str()).collect();
        p.add(
            format!("{path}.to"),
            span(&spec_t.to),
            unknown("theme", target, &known),
        );
        return;
    };
    if target == name {
        p.add(
            format!("{path}.to"),
            span(&spec_t.to),
            "a theme cannot transfer calls to itself",
        );
        return;
    }
    let Some(to) = call_stream(streams, to_theme) else {
        p.add(
            format!("{path}.to"),
            span(&spec_t.to),
            format!("theme \"{target}\" has no volume.call: transfers go to its call queue (it may be `{{ per_day = 0 }}`)"),
        );
        return;
    };
    let Some(from_theme) = themes.iter().position(|x| x.name == name) else {
        return;
    };
    let Some(from) = call_stream(streams, from_theme) else {
        p.add(
            path,
            span(tr),
            "the theme has no volume.call: only calls are transferred",
        );
        return;
    };
    let Some(probability) = probability else {
        return;
    };
    streams[from].transfer = Some(Transfer {
        to,
        probability,
        delay: spec_t.delay.as_ref().map_or(0.0, |d| d.get_ref().0),
    });
}

/// A caller passed round in a circle could be transferred for ever (at one
/// instant, with zero handle and transfer times): no circles.
fn refuse_circles(spec: &ScenarioSpec, themes: &[Theme], streams: &[Stream], p: &mut Problems) {
    for (name, t) in spec.themes.get_ref() {
        let Some(tr) = &t.get_ref().transfer else {
            continue;
        };
        let Some(start) = themes.iter().position(|x| &x.name == name) else {
            continue;
        };
        let mut chain = vec![name.as_str()];
        let mut at = start;
        while let Some(next) = call_stream(streams, at).and_then(|s| streams[s].transfer) {
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
