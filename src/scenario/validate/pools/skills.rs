//! `pools.NAME.skills`: which themes and channels a pool serves, in which
//! priority, and after how long a wait (a backup pool).

use toml::Spanned;

use crate::model::{Channel, Skill, Stream, Theme};
use crate::scenario::error::{Problems, did_you_mean};
use crate::scenario::spec::{PoolSpec, SkillSpec};

use super::super::fields::{names, span, unknown};

/// The pool's skills, one per stream it serves, sorted by priority.
/// `report_idle`: note a pool whose skills match no stream.
pub(super) fn skills(
    s: &PoolSpec,
    path: &str,
    themes: &[Theme],
    streams: &[Stream],
    report_idle: bool,
    p: &mut Problems,
) -> Vec<Skill> {
    let mut skills: Vec<Skill> = Vec::new();
    if s.skills.get_ref().is_empty() {
        p.add(
            format!("{path}.skills"),
            span(&s.skills),
            "a pool needs at least one skill",
        );
    }
    for (i, sk) in s.skills.get_ref().iter().enumerate() {
        entry(
            sk,
            &format!("{path}.skills[{i}]"),
            themes,
            streams,
            &mut skills,
            p,
        );
    }
    skills.sort_by_key(|k| (k.priority, k.stream));
    if skills.is_empty() && !s.skills.get_ref().is_empty() && report_idle {
        p.add(
            format!("{path}.skills"),
            span(&s.skills),
            "the skills match no theme and channel with volume: the pool would serve nothing",
        );
    }
    skills
}

/// Adds the streams one skill entry serves to `skills`. A stream that an
/// earlier entry serves keeps the entry that serves it soonest, then the
/// best priority.
fn entry(
    sk: &Spanned<SkillSpec>,
    kpath: &str,
    themes: &[Theme],
    streams: &[Stream],
    skills: &mut Vec<Skill>,
    p: &mut Problems,
) {
    let k = sk.get_ref();
    let priority = match &k.priority {
        None => 1,
        Some(pr) if (1..=100).contains(pr.get_ref()) => *pr.get_ref() as u32,
        Some(pr) => {
            p.add(
                format!("{kpath}.priority"),
                span(pr),
                format!(
                    "must be a whole number from 1 (first) to 100, got {}",
                    pr.get_ref()
                ),
            );
            return;
        }
    };
    let overflow_after = k.overflow_after.as_ref().map_or(0.0, |d| d.get_ref().0);
    let theme_idx = served_themes(k, kpath, themes, p);
    let chans = served_channels(k, kpath, p);
    for (si, st) in streams.iter().enumerate() {
        if !(theme_idx.contains(&st.theme) && chans.contains(&st.channel)) {
            continue;
        }
        match skills.iter_mut().find(|x| x.stream == si) {
            Some(existing) => {
                if (overflow_after, priority) < (existing.overflow_after, existing.priority) {
                    existing.priority = priority;
                    existing.overflow_after = overflow_after;
                }
            }
            None => skills.push(Skill {
                stream: si,
                priority,
                overflow_after,
            }),
        }
    }
}

/// The indexes of the themes an entry names (`"*"` for all); unknown names
/// are noted and left out.
fn served_themes(k: &SkillSpec, kpath: &str, themes: &[Theme], p: &mut Problems) -> Vec<usize> {
    let mut theme_idx = Vec::new();
    for tn in &names(k.themes.get_ref()) {
        if tn == "*" {
            theme_idx.extend(0..themes.len());
        } else if let Some(t) = themes.iter().position(|t| &t.name == tn) {
            theme_idx.push(t);
        } else {
            let known: Vec<&str> = themes.iter().map(|t| t.name.as_str()).collect();
            p.add(
                format!("{kpath}.themes"),
                span(&k.themes),
                unknown("theme", tn, &known),
            );
        }
    }
    theme_idx
}

/// The channels an entry names (`"*"` or none for all); unknown names are
/// noted and left out.
fn served_channels(k: &SkillSpec, kpath: &str, p: &mut Problems) -> Vec<Channel> {
    let Some(c) = &k.channels else {
        return Channel::ALL.to_vec();
    };
    let mut chans = Vec::new();
    for cn in names(c.get_ref()) {
        if cn == "*" {
            chans.extend(Channel::ALL);
        } else if let Some(ch) = Channel::from_name(&cn) {
            chans.push(ch);
        } else {
            p.add(
                format!("{kpath}.channels"),
                span(c),
                format!(
                    "unknown channel \"{cn}\": use call, chat, email, visit or \"*\"{}",
                    did_you_mean(&cn, ["call", "chat", "email", "visit"])
                ),
            );
        }
    }
    chans
}
