//! `[channels.NAME]`: how contacts of a channel behave while they wait
//! (patience, concurrency, deadlines, redials, punctuality). A setting given
//! to a channel it does not apply to is refused, not ignored.

use std::path::Path;

use crate::model::{Channel, ChannelConfig};
use crate::scenario::error::Problems;
use crate::scenario::spec::{ChannelSpec, ChannelsSpec};

use super::behaviour::redial;
use super::counter::punctuality;
use super::distribution::distribution;
use super::fields::{span, whole};

/// Every channel's configuration: the defaults, with what the file sets.
pub(super) fn channels(
    spec: &ChannelsSpec,
    base_dir: Option<&Path>,
    p: &mut Problems,
) -> [ChannelConfig; Channel::COUNT] {
    let mut out = Channel::ALL.map(ChannelConfig::default_for);
    for (channel, cs) in [
        (Channel::Call, &spec.call),
        (Channel::Chat, &spec.chat),
        (Channel::Email, &spec.email),
        (Channel::Visit, &spec.visit),
    ] {
        if let Some(cs) = cs {
            configure(
                &mut out[channel.index()],
                channel,
                cs.get_ref(),
                base_dir,
                p,
            );
        }
    }
    out
}

/// Sets what `c` gives for `channel` on `cfg`.
fn configure(
    cfg: &mut ChannelConfig,
    channel: Channel,
    c: &ChannelSpec,
    base_dir: Option<&Path>,
    p: &mut Problems,
) {
    let path = format!("channels.{}", channel.name());
    if let Some(pat) = &c.patience {
        if channel == Channel::Email {
            p.add(
                format!("{path}.patience"),
                span(pat),
                "e-mails never abandon: patience applies to call, chat and visit only",
            );
        } else {
            cfg.patience = distribution(pat, &format!("{path}.patience"), base_dir, p);
        }
    }
    if let Some(k) = &c.concurrency {
        let kpath = format!("{path}.concurrency");
        if channel != Channel::Chat {
            p.add(kpath, span(k), "concurrency applies to chat only");
        } else if let Some(n) = whole(k, 1..=20, "chats", &kpath, p) {
            cfg.concurrency = n;
        }
    }
    if let Some(d) = &c.sla_working_days {
        let dpath = format!("{path}.sla_working_days");
        if channel != Channel::Email {
            p.add(dpath, span(d), "sla_working_days applies to email only");
        } else if let Some(n) = whole(d, 0..=60, "working days", &dpath, p) {
            cfg.sla_working_days = n;
        }
    }
    if let Some(t) = &c.service_level_threshold {
        if channel == Channel::Email {
            p.add(
                format!("{path}.service_level_threshold"),
                span(t),
                "e-mail is measured by sla_working_days, not a threshold",
            );
        } else {
            cfg.service_level_threshold = t.get_ref().0;
        }
    }
    if let Some(r) = &c.redial {
        cfg.redial = redial(r, channel, &format!("{path}.redial"), base_dir, p);
    }
    if let Some(pu) = &c.punctuality {
        if channel == Channel::Visit {
            cfg.punctuality = punctuality(pu, &format!("{path}.punctuality"), base_dir, p);
        } else {
            p.add(
                format!("{path}.punctuality"),
                span(pu),
                "punctuality applies to visit only (visitors with an appointment)",
            );
        }
    }
}
