//! A theme's streams: one per channel with volume, with its handle time and
//! its expected arrivals, from a volume per day, month or year, a share of
//! the line's phone menu, a share of the line's appointment book, or a CSV
//! file of contacts per date (and interval).

use std::path::Path;

use toml::Spanned;

use crate::model::distribution::readable;
use crate::model::{Calendar, Channel, Distribution, Line, Stream};
use crate::scenario::error::Problems;
use crate::scenario::spec::{DistributionSpec, ScenarioSpec, ThemeSpec, VolumeSpec};

use super::super::distribution::distribution;
use super::super::fields::{factors, span};
use super::super::files::{Wanted, read};
use super::super::menu::line_volume;
use super::arrivals::{Pattern, Per, expected, expected_from_file};

/// What every theme is checked against.
pub(in crate::scenario::validate) struct Source<'a> {
    /// The scenario as written (for the lines' menus).
    pub spec: &'a ScenarioSpec,
    /// The horizon.
    pub calendar: &'a Calendar,
    /// The validated lines.
    pub lines: &'a [Line],
    /// Where relative file names (empirical handle times) are resolved.
    pub base_dir: Option<&'a Path>,
    /// `[scale] handle_time`: the multiplier of every handle time per channel.
    pub handle_scale: [f64; Channel::COUNT],
}

/// One theme, once its own fields are checked.
pub(super) struct Demand<'a> {
    /// The theme as written.
    pub t: &'a ThemeSpec,
    /// Its dotted path, `themes.NAME`.
    pub path: &'a str,
    /// Its index among the themes.
    pub theme: usize,
    /// Its line, when known.
    pub line: Option<usize>,
    /// Its price per handled second.
    pub price: f64,
    /// Its profiles, peaks, waves and self-service.
    pub pattern: Pattern,
}

/// The theme's streams; notes a theme without any volume.
pub(super) fn streams(src: &Source, d: &Demand, p: &mut Problems) -> Vec<Stream> {
    let volume = d.t.volume.get_ref();
    let handle = d.t.handle_time.get_ref();
    let own = factors(
        d.t.scale
            .as_ref()
            .and_then(|s| s.get_ref().handle_time.as_ref()),
        &format!("{}.scale.handle_time", d.path),
        p,
    );
    let mut out = Vec::new();
    for channel in Channel::ALL {
        let scale = src.handle_scale[channel.index()] * own[channel.index()];
        out.extend(stream(
            src,
            d,
            channel,
            volume.get(channel),
            handle.get(channel).map(|h| (h, scale)),
            p,
        ));
    }
    if Channel::ALL.into_iter().all(|c| volume.get(c).is_none()) {
        p.add(
            format!("{}.volume", d.path),
            span(&d.t.volume),
            "the theme has no volume: give volume.call, volume.chat, volume.email or volume.visit",
        );
    }
    out
}

/// Handle time `h` times `scale` (`[scale] handle_time` and the theme's
/// own), or `None` after noting that the scaled one cannot be sampled.
fn scaled(
    h: Distribution,
    scale: f64,
    path: &str,
    at: Option<std::ops::Range<usize>>,
    p: &mut Problems,
) -> Option<Distribution> {
    if scale == 1.0 {
        return Some(h);
    }
    let scaled = h.scaled(scale);
    match scaled.validate() {
        Ok(()) => Some(scaled),
        Err(e) => {
            p.add(
                path,
                at,
                format!("scaled by {} (scale.handle_time): {e}", readable(scale)),
            );
            None
        }
    }
}

/// The theme's stream on `channel`, or `None` when it has no volume there
/// or after noting what is wrong.
fn stream(
    src: &Source,
    d: &Demand,
    channel: Channel,
    vol: Option<&Spanned<VolumeSpec>>,
    ht: Option<(&Spanned<DistributionSpec>, f64)>,
    p: &mut Problems,
) -> Option<Stream> {
    let (path, cname) = (d.path, channel.name());
    let Some(vol) = vol else {
        if let Some((h, _)) = ht {
            p.add(
                format!("{path}.handle_time.{cname}"),
                span(h),
                format!("a handle time for {cname} but no volume.{cname}"),
            );
        }
        return None;
    };
    // Check the handle time even when the volume is wrong, so that every
    // problem is reported in one go.
    let handle_time = match ht {
        Some((ht, scale)) => {
            let hpath = format!("{path}.handle_time.{cname}");
            distribution(ht, &hpath, src.base_dir, p)
                .and_then(|h| scaled(h, scale, &hpath, span(ht), p))
        }
        None => {
            p.add(
                format!("{path}.handle_time"),
                span(&d.t.handle_time),
                format!("missing handle_time.{cname}: the theme has {cname} volume"),
            );
            None
        }
    };
    let vpath = format!("{path}.volume.{cname}");
    if vol.get_ref().file.is_some() || vol.get_ref().column.is_some() {
        return from_file(src, d, channel, vol, &vpath, handle_time, p);
    }
    let (mut kind, amount) = amount(vol, channel, &vpath, p)?;
    let mut x = *amount.get_ref();
    if kind == "menu_share" {
        let l = d.line?;
        let Some((menu_kind, total)) = line_volume(src.spec, &src.lines[l].name, channel) else {
            p.add(
                format!("{vpath}.menu_share"),
                span(amount),
                format!(
                    "line \"{}\" has no menu.{cname}: give the line's volume there, or give this theme per_day, per_month or per_year",
                    src.lines[l].name
                ),
            );
            return None;
        };
        kind = menu_kind;
        x *= total;
    }
    if kind == "appointment_share" {
        return booked(src, d, channel, &vpath, amount, handle_time, p);
    }
    let (Some(line), Some(handle_time), Some(per)) = (d.line, handle_time, Per::from_key(kind))
    else {
        return None;
    };
    Some(Stream {
        theme: d.theme,
        channel,
        line,
        expected: expected(&d.pattern, per, x, &src.lines[line], channel, src.calendar),
        handle_time,
        price_per_second: d.price,
        transfer: None,
        booked: false,
    })
}

/// The stream of a volume read from a file (`volume.CHANNEL = { file =
/// "volumes.csv", column = "offered" }`), or `None` after noting what is
/// wrong with the field or the file.
fn from_file(
    src: &Source,
    d: &Demand,
    channel: Channel,
    vol: &Spanned<VolumeSpec>,
    vpath: &str,
    handle_time: Option<Distribution>,
    p: &mut Problems,
) -> Option<Stream> {
    let vs = vol.get_ref();
    let Some(file) = &vs.file else {
        let column = vs.column.as_ref()?;
        p.add(
            format!("{vpath}.column"),
            span(column),
            "`column` names the count column of a `file`: give the `file` too",
        );
        return None;
    };
    let others = [
        vs.per_day.is_some(),
        vs.per_month.is_some(),
        vs.per_year.is_some(),
        vs.menu_share.is_some(),
        vs.appointment_share.is_some(),
    ];
    if others.into_iter().any(|x| x) {
        p.add(
            vpath,
            span(vol),
            "give exactly one of per_day, per_month, per_year, menu_share or file",
        );
        return None;
    }
    let theme = src
        .spec
        .themes
        .get_ref()
        .get_index(d.theme)
        .map(|(n, _)| n.as_str());
    let wanted = Wanted {
        default_column: "volume",
        what: "a number of contacts >= 0",
        need_interval: false,
        max: f64::MAX,
        theme,
        channel: Some(channel.name()),
    };
    let fpath = format!("{vpath}.file");
    let dated = match read(
        file,
        vs.column.as_ref(),
        &wanted,
        src.calendar,
        src.base_dir,
        &mut p.files_read,
    ) {
        Ok(dated) => dated,
        Err(e) => {
            p.add(fpath, span(file), e);
            return None;
        }
    };
    let line = d.line?;
    let expected =
        match expected_from_file(&d.pattern, &dated, &src.lines[line], channel, src.calendar) {
            Ok(expected) => expected,
            Err(e) => {
                p.add(fpath, span(file), e);
                return None;
            }
        };
    Some(Stream {
        theme: d.theme,
        channel,
        line,
        expected,
        handle_time: handle_time?,
        price_per_second: d.price,
        transfer: None,
        booked: false,
    })
}

/// The one volume a channel gives (`per_day`, `per_month`, `per_year`,
/// `menu_share` or `appointment_share`) and its amount, or `None` after
/// noting that it gives none or several, or a wrong amount.
fn amount<'v>(
    vol: &'v Spanned<VolumeSpec>,
    channel: Channel,
    vpath: &str,
    p: &mut Problems,
) -> Option<(&'static str, &'v Spanned<f64>)> {
    let vs = vol.get_ref();
    let given: Vec<(&'static str, &Spanned<f64>)> = [
        ("per_day", &vs.per_day),
        ("per_month", &vs.per_month),
        ("per_year", &vs.per_year),
        ("menu_share", &vs.menu_share),
        ("appointment_share", &vs.appointment_share),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
    .collect();
    let (kind, amount) = match given.as_slice() {
        [(k, v)] => (*k, *v),
        _ if channel == Channel::Visit => {
            p.add(
                vpath,
                span(vol),
                "give exactly one of appointment_share (booked visits), per_day, per_month, per_year or menu_share (walk-ins)",
            );
            return None;
        }
        _ => {
            p.add(
                vpath,
                span(vol),
                "give exactly one of per_day, per_month, per_year or menu_share",
            );
            return None;
        }
    };
    let x = *amount.get_ref();
    let is_share = kind == "menu_share" || kind == "appointment_share";
    if !(x.is_finite() && x >= 0.0) || (is_share && x > 1.0) {
        let what = if kind == "appointment_share" {
            "a share of the line's appointments from 0 to 1"
        } else if kind == "menu_share" {
            "a share of the line's menu volume from 0 to 1"
        } else {
            "a non-negative number of contacts"
        };
        p.add(
            format!("{vpath}.{kind}"),
            span(amount),
            format!("must be {what}, got {}", readable(x)),
        );
        return None;
    }
    Some((kind, amount))
}

/// The stream of a product booked in its line's appointment book: its
/// expected visits are filled in once the book's products are known.
fn booked(
    src: &Source,
    d: &Demand,
    channel: Channel,
    vpath: &str,
    amount: &Spanned<f64>,
    handle_time: Option<Distribution>,
    p: &mut Problems,
) -> Option<Stream> {
    if channel != Channel::Visit {
        p.add(
            format!("{vpath}.appointment_share"),
            span(amount),
            format!(
                "{} is not booked by appointment: appointment_share applies to visit only",
                channel.name()
            ),
        );
        return None;
    }
    let l = d.line?;
    let line = &src.lines[l];
    if line.book.is_none() {
        p.add(
            format!("{vpath}.appointment_share"),
            span(amount),
            format!(
                "line \"{}\" has no appointment book: give it [lines.{}.appointments], or give this theme per_day, per_month or per_year (walk-ins)",
                line.name, line.name
            ),
        );
        return None;
    }
    Some(Stream {
        theme: d.theme,
        channel,
        line: l,
        expected: vec![0.0; src.calendar.intervals()],
        handle_time: handle_time?,
        price_per_second: d.price,
        transfer: None,
        booked: true,
    })
}
