//! `themes.NAME.mailings`: letters sent on a date, some of whose readers get
//! in touch over the following days, as a wave that halves every
//! `half_life_days`.

use chrono::NaiveDate;
use indexmap::IndexMap;
use toml::Spanned;

use crate::model::distribution::readable;
use crate::model::{Calendar, Channel, Line};
use crate::scenario::error::Problems;
use crate::scenario::spec::ThemeSpec;

use super::super::fields::{channel, span};

/// Extra contacts per channel and horizon day from a theme's mailing waves.
/// Each wave brings `letters × response` contacts of a channel, starting the
/// day after sending, the k-th eligible day getting a share (1 − r)·r^k with
/// r = 0.5^(1 / half_life_days): calls and chats come only on the line's
/// working days, e-mails on any day. Contacts that would come after the
/// horizon are not simulated. Without a `line` (it is not known) the waves
/// are checked but bring nothing.
pub(super) fn mailings(
    t: &ThemeSpec,
    path: &str,
    calendar: &Calendar,
    line: Option<&Line>,
    p: &mut Problems,
) -> [Vec<f64>; Channel::COUNT] {
    let days = calendar.days as usize;
    let mut extra: [Vec<f64>; Channel::COUNT] = std::array::from_fn(|_| vec![0.0; days]);
    for (i, m) in t.mailings.iter().enumerate() {
        let mpath = format!("{path}.mailings[{i}]");
        let ms = m.get_ref();
        let letters = *ms.letters.get_ref();
        if !(letters.is_finite() && letters >= 0.0) {
            p.add(
                format!("{mpath}.letters"),
                span(&ms.letters),
                format!(
                    "must be a non-negative number of letters, got {}",
                    readable(letters)
                ),
            );
            continue;
        }
        let half_life = ms.half_life_days.as_ref().map_or(2.0, |h| *h.get_ref());
        if !(half_life.is_finite() && half_life > 0.0 && half_life <= 365.0) {
            p.add(
                format!("{mpath}.half_life_days"),
                ms.half_life_days.as_ref().map(|h| h.span()),
                format!(
                    "must be a number of days above 0 and at most 365, got {}",
                    readable(half_life)
                ),
            );
            continue;
        }
        let wave = Wave {
            sent: ms.sent.get_ref().0,
            r: 0.5f64.powf(1.0 / half_life),
        };
        for (channel, share) in responses(t, ms.response.get_ref(), &mpath, p) {
            if let Some(line) = line {
                wave.spread(
                    letters * share,
                    channel,
                    line,
                    calendar,
                    &mut extra[channel.index()],
                );
            }
        }
    }
    extra
}

/// The channels that answer a mailing and their contacts per letter; those
/// with a problem are noted and left out.
fn responses(
    t: &ThemeSpec,
    response: &IndexMap<String, Spanned<f64>>,
    mpath: &str,
    p: &mut Problems,
) -> Vec<(Channel, f64)> {
    let mut out = Vec::new();
    for (cname, share) in response {
        let rpath = format!("{mpath}.response.{cname}");
        let x = *share.get_ref();
        let Some(channel) = channel(cname, &rpath, span(share), p) else {
            continue;
        };
        if !(x.is_finite() && (0.0..=100.0).contains(&x)) {
            p.add(
                rpath,
                span(share),
                format!(
                    "must be contacts per letter from 0 to 100, got {}",
                    readable(x)
                ),
            );
            continue;
        }
        if t.volume.get_ref().get(channel).is_none() {
            p.add(
                rpath,
                span(share),
                format!(
                    "the theme has no volume.{cname}: add it (it may be `{{ per_day = 0 }}`) so that its handle time and routing are known"
                ),
            );
            continue;
        }
        out.push((channel, x));
    }
    out
}

/// A mailing wave: sent on a date, decaying by `r` a day.
struct Wave {
    sent: NaiveDate,
    r: f64,
}

impl Wave {
    /// Adds `total` contacts of `channel` to `extra` (per horizon day), over
    /// the eligible days after sending.
    fn spread(
        &self,
        total: f64,
        channel: Channel,
        line: &Line,
        calendar: &Calendar,
        extra: &mut [f64],
    ) {
        let r = self.r;
        let mut k = 0i32;
        // Walk from the day after sending, also through days before the
        // horizon (they use up the wave), until the remainder is negligible.
        let mut date = self.sent;
        while k < 10_000 {
            let Some(next) = date.succ_opt() else { break };
            date = next;
            let eligible = !channel.is_live() || line.window_on(date).is_some();
            if !eligible {
                continue;
            }
            let share_today = (1.0 - r) * r.powi(k);
            if let Some(d) = calendar.day_of(date) {
                extra[d as usize] += total * share_today;
            }
            k += 1;
            if r.powi(k) < 1e-6 || calendar.day_of(date).is_none() && date > calendar.start {
                break;
            }
        }
    }
}
