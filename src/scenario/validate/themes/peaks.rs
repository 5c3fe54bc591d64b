//! `themes.NAME.peaks`: date windows in which a theme's volume is
//! multiplied, flat, rising to the factor or falling from it.

use chrono::NaiveDate;
use toml::Spanned;

use crate::model::distribution::readable;
use crate::model::{Calendar, Channel};
use crate::scenario::error::{Problems, did_you_mean};
use crate::scenario::spec::{PeakSpec, ThemeSpec};

use super::super::fields::{channel, span};

/// How a peak's multiplier runs over its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// The full factor on every day.
    Flat,
    /// A linear rise from the first day to the full factor on the last day.
    Ramp,
    /// The full factor on the first day, halving every quarter of the window.
    Decay,
}

impl Shape {
    /// The shape a name stands for.
    fn from_name(name: &str) -> Option<Shape> {
        match name {
            "flat" => Some(Shape::Flat),
            "ramp" => Some(Shape::Ramp),
            "decay" => Some(Shape::Decay),
            _ => None,
        }
    }
}

/// A checked peak.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Peak {
    from: NaiveDate,
    to: NaiveDate,
    factor: f64,
    shape: Shape,
    /// Whether the peak applies to each channel.
    on: [bool; Channel::COUNT],
}

impl Peak {
    /// Whether the peak applies to `channel`.
    pub(super) fn applies_to(&self, channel: Channel) -> bool {
        self.on[channel.index()]
    }

    /// The multiplier on `date`: 1 outside the window.
    pub(super) fn factor_on(&self, date: NaiveDate) -> f64 {
        if date < self.from || date > self.to {
            return 1.0;
        }
        let len = (self.to - self.from).num_days() as f64 + 1.0;
        let pos = (date - self.from).num_days() as f64;
        let g = match self.shape {
            Shape::Ramp => (pos + 1.0) / len,
            Shape::Decay => 0.5f64.powf(4.0 * pos / len),
            Shape::Flat => 1.0,
        };
        1.0 + (self.factor - 1.0) * g
    }
}

/// The theme's peaks; those with a problem are noted and left out.
pub(super) fn peaks(t: &ThemeSpec, path: &str, calendar: &Calendar, p: &mut Problems) -> Vec<Peak> {
    t.peaks
        .iter()
        .enumerate()
        .filter_map(|(i, pk)| peak(pk, &format!("{path}.peaks[{i}]"), calendar, p))
        .collect()
}

/// One peak, or `None` after noting every problem in it.
fn peak(
    pk: &Spanned<PeakSpec>,
    ppath: &str,
    calendar: &Calendar,
    p: &mut Problems,
) -> Option<Peak> {
    let ps = pk.get_ref();
    let mut ok = true;
    let name = ps.shape.as_ref().map_or("flat", |s| s.get_ref().as_str());
    let shape = Shape::from_name(name);
    if shape.is_none() {
        p.add(
            format!("{ppath}.shape"),
            ps.shape.as_ref().map(|s| s.span()),
            format!(
                "unknown shape \"{name}\": use flat, ramp or decay{}",
                did_you_mean(name, ["flat", "ramp", "decay"])
            ),
        );
        ok = false;
    }
    let factor = *ps.factor.get_ref();
    if !(factor.is_finite() && factor >= 0.0) {
        p.add(
            format!("{ppath}.factor"),
            span(&ps.factor),
            format!(
                "must be a non-negative multiplier, got {}",
                readable(factor)
            ),
        );
        ok = false;
    }
    let (from, to) = (ps.from.get_ref().0, ps.to.get_ref().0);
    if to < from {
        p.add(
            format!("{ppath}.to"),
            span(&ps.to),
            format!("the peak ends ({to}) before it starts ({from})"),
        );
        ok = false;
    }
    // A peak that only partly overlaps the horizon keeps its shape over its
    // whole window: the days inside get the factors they would have had.
    let last = calendar.date(calendar.days - 1);
    let outside = to >= from && (from > last || to < calendar.start);
    let mut on = [true; Channel::COUNT];
    if let Some(ch) = &ps.channels {
        on = [false; Channel::COUNT];
        for c in ch.get_ref() {
            match channel(c, &format!("{ppath}.channels"), span(ch), p) {
                Some(c) => on[c.index()] = true,
                None => ok = false,
            }
        }
    }
    if !ok {
        return None;
    }
    if outside {
        // A scenario moved to other dates keeps its peaks: those of other
        // dates are left out, with a note.
        p.note(
            ppath,
            span(pk),
            format!(
                "the peak ({from} to {to}) lies outside the horizon ({} to {last}): left out",
                calendar.start
            ),
        );
        return None;
    }
    Some(Peak {
        from,
        to,
        factor,
        shape: shape?,
        on,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, 4, day).expect("a date")
    }

    fn peak(shape: Shape) -> Peak {
        Peak {
            from: date(12),
            to: date(15),
            factor: 3.0,
            shape,
            on: [true, false, true, true],
        }
    }

    #[test]
    fn a_peak_multiplies_the_days_of_its_window() {
        let flat = peak(Shape::Flat);
        assert_eq!(flat.factor_on(date(11)), 1.0);
        assert_eq!(flat.factor_on(date(12)), 3.0);
        assert_eq!(flat.factor_on(date(16)), 1.0);
        assert!(flat.applies_to(Channel::Call) && !flat.applies_to(Channel::Chat));
        let ramp = peak(Shape::Ramp);
        assert_eq!(ramp.factor_on(date(12)), 1.5);
        assert_eq!(ramp.factor_on(date(15)), 3.0);
        let decay = peak(Shape::Decay);
        assert_eq!(decay.factor_on(date(12)), 3.0);
        assert_eq!(decay.factor_on(date(13)), 2.0);
    }
}
