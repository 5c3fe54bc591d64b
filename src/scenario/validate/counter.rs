//! Validation of a counter service: a line's appointment book
//! (`lines.NAME.appointments`), the visitors' punctuality
//! (`channels.visit.punctuality`) and the products booked in the book
//! (themes with `volume.visit = { appointment_share = ... }` and an
//! `appointment = { slot = ... }`).

use std::path::Path;

use toml::Spanned;

use crate::model::distribution::readable;
use crate::model::{
    AppointmentBook, Calendar, Channel, Distribution, Line, Product, Punctuality, Stream, Theme,
    Weekday,
};
use crate::scenario::error::Problems;
use crate::scenario::spec::{BookSpec, PunctualitySpec, ScenarioSpec, ThemeSpec};
use crate::scenario::values::parse_clock;

use super::distribution::distribution;
use super::fields::{share, span, weekday_factors};
use super::grid::{intraday, no_weekday_lists, table};

/// `[channels.visit.punctuality]`.
pub(super) fn punctuality(
    s: &Spanned<PunctualitySpec>,
    path: &str,
    base_dir: Option<&Path>,
    p: &mut Problems,
) -> Option<Punctuality> {
    let ps = s.get_ref();
    let early = share(&ps.early, &format!("{path}.early"), p);
    let early_by = match &ps.early_by {
        Some(d) => distribution(d, &format!("{path}.early_by"), base_dir, p),
        None if early.is_some_and(|e| e > 0.0) => {
            p.add(
                format!("{path}.early_by"),
                span(s),
                "missing early_by: how early the early visitors come (a distribution)",
            );
            None
        }
        None => Some(Distribution::Constant { value: 0.0 }),
    };
    let late_by = match &ps.late_by {
        Some(d) => distribution(d, &format!("{path}.late_by"), base_dir, p),
        None => Some(Distribution::Constant { value: 0.0 }),
    };
    Some(Punctuality {
        early: early?,
        early_by: early_by?,
        late_by: late_by?,
    })
}

/// `[lines.NAME.appointments]` of `line` (whose hours and closed days are
/// known): the desks and fill rate per interval of the horizon; the products
/// are attached by [`attach_products`] once the themes are known.
pub(super) fn book(
    s: &Spanned<BookSpec>,
    path: &str,
    line: &Line,
    calendar: &Calendar,
    p: &mut Problems,
) -> Option<AppointmentBook> {
    let bs = s.get_ref();
    let per_day = calendar.intervals_per_day as usize;
    let rows = table(&bs.desks, &format!("{path}.desks"), "desks", calendar, p);
    let fill = share(&bs.fill, &format!("{path}.fill"), p);
    let weekday = bs.fill_weekday.as_ref().map_or([None; 7], |ww| {
        weekday_factors(
            ww.get_ref(),
            &format!("{path}.fill_weekday"),
            "a non-negative multiplier",
            p,
        )
    });
    // Weekdays not named keep the fill rate as it is.
    let weekday = weekday.map(|f| f.unwrap_or(1.0));
    // Intervals the profile does not list keep the fill rate as it is.
    let mut hours = vec![1.0; per_day];
    if let Some(h) = &bs.fill_hours {
        let hpath = format!("{path}.fill_hours");
        let hs = h.get_ref();
        no_weekday_lists(h, &hpath, "fill_hours", p);
        if let (Ok(start), Some(w)) = (
            parse_clock(hs.start.get_ref()),
            intraday(h, &hpath, calendar, p),
        ) {
            let first = (start / calendar.interval).round() as usize;
            let n = hs.weights.get_ref().len();
            hours[first..first + n].copy_from_slice(&w[first..first + n]);
        }
    }
    let fill = fill?;
    let mut desks = vec![0u32; calendar.intervals()];
    let mut rates = vec![0.0; calendar.intervals()];
    for d in 0..calendar.days as usize {
        let date = calendar.date(d as u32);
        if !line.is_working_day(date) {
            continue;
        }
        let wd = Weekday::of(date).index();
        let Some(row) = &rows[wd] else { continue };
        for i in 0..per_day {
            desks[d * per_day + i] = row[i] as u32;
            rates[d * per_day + i] = (fill * weekday[wd] * hours[i]).min(1.0);
        }
    }
    if desks.iter().all(|&n| n == 0) {
        p.add(
            format!("{path}.desks"),
            span(&bs.desks),
            "no desk is open for appointments on any working day of the line in the horizon",
        );
    }
    Some(AppointmentBook {
        desks,
        fill: rates,
        products: Vec::new(),
        call_early: bs.call_early.as_ref().map(|d| d.get_ref().0),
    })
}

/// Attaches every theme with an `appointment_share` to its line's book as a
/// product, checks that the shares of each book sum to 1, and fills the
/// products' streams with the visits the book gives on average (for
/// planning tools; the engine draws the book itself).
pub(super) fn attach_products(
    spec: &ScenarioSpec,
    themes: &[Theme],
    streams: &mut [Stream],
    lines: &mut [Line],
    calendar: &Calendar,
    p: &mut Problems,
) {
    for (name, ts) in spec.themes.get_ref() {
        if let Some((line, product)) = product(spec, name, ts.get_ref(), themes, streams, lines, p)
            && let Some(book) = lines[line].book.as_mut()
        {
            book.products.push(product);
        }
    }
    for (l, line) in lines.iter().enumerate() {
        if let Some(book) = &line.book
            && shares_sum_to_one(spec, line, book, themes, streams, p)
        {
            fill_expected(book, l, streams, calendar);
        }
    }
}

/// Theme `name`'s product and the line whose book it is booked in, when the
/// theme is one (it has both an appointment slot and an appointment share)
/// and its slot and no-show are sound.
fn product(
    spec: &ScenarioSpec,
    name: &str,
    t: &ThemeSpec,
    themes: &[Theme],
    streams: &[Stream],
    lines: &[Line],
    p: &mut Problems,
) -> Option<(usize, Product)> {
    let path = format!("themes.{name}");
    let visit = t.volume.get_ref().visit.as_ref();
    let booked = visit.and_then(|v| v.get_ref().appointment_share.as_ref());
    let (a, b) = match (&t.appointment, booked) {
        (Some(a), None) => {
            p.add(
                format!("{path}.appointment"),
                span(a),
                "an appointment slot but no volume.visit.appointment_share: say what share of the line's appointments this product takes",
            );
            return None;
        }
        (None, Some(b)) => {
            p.add(
                format!("{path}.appointment"),
                span(b),
                "missing appointment = { slot = \"...\" }: the length of this product's slot in the book",
            );
            return None;
        }
        (None, None) => return None,
        (Some(a), Some(b)) => (a, b),
    };
    let theme = themes.iter().position(|x| x.name == name)?;
    let stream = streams
        .iter()
        .position(|s| s.theme == theme && s.channel == Channel::Visit && s.booked)?;
    let l = themes[theme].line;
    let line = &lines[l];
    line.book.as_ref()?;
    let slot = a.get_ref().slot.get_ref().0;
    if !(60.0..=86_400.0).contains(&slot) {
        p.add(
            format!("{path}.appointment.slot"),
            span(&a.get_ref().slot),
            format!(
                "must be a slot from 1 minute to 24 hours, got {} s",
                readable(slot)
            ),
        );
        return None;
    }
    let book_no_show = spec
        .lines
        .get(&line.name)
        .and_then(|l| l.get_ref().appointments.as_ref())
        .and_then(|b| b.get_ref().no_show.as_ref());
    let no_show = match (&a.get_ref().no_show, book_no_show) {
        (Some(x), _) => share(x, &format!("{path}.appointment.no_show"), p),
        (None, Some(x)) => share(x, &format!("lines.{}.appointments.no_show", line.name), p),
        (None, None) => Some(0.0),
    };
    let deflection = t
        .deflection
        .as_ref()
        .map_or(0.0, |d| d.get_ref().clamp(0.0, 1.0));
    let product = Product {
        stream,
        share: *b.get_ref(),
        slot,
        no_show: no_show?,
        deflection,
    };
    Some((l, product))
}

/// Whether the book of `line` has products whose shares sum to 1; notes it when not.
fn shares_sum_to_one(
    spec: &ScenarioSpec,
    line: &Line,
    book: &AppointmentBook,
    themes: &[Theme],
    streams: &[Stream],
    p: &mut Problems,
) -> bool {
    let path = format!("lines.{}.appointments", line.name);
    let at = spec
        .lines
        .get(&line.name)
        .and_then(|x| x.get_ref().appointments.as_ref())
        .and_then(span);
    if book.products.is_empty() {
        p.add(
            path,
            at,
            format!(
                "no product is booked in this book: give a theme of line \"{}\" a volume.visit = {{ appointment_share = ... }}",
                line.name
            ),
        );
        return false;
    }
    let sum: f64 = book.products.iter().map(|x| x.share).sum();
    if (sum - 1.0).abs() > 1e-6 {
        let listed: Vec<String> = book
            .products
            .iter()
            .map(|x| format!("{} {}", themes[streams[x.stream].theme].name, x.share))
            .collect();
        p.add(
            path,
            at,
            format!(
                "the products' appointment shares sum to {sum} ({}): they must sum to 1",
                listed.join(", ")
            ),
        );
        return false;
    }
    true
}

/// Fills the streams of the products of `book` (of line `l`) with what the
/// book gives on average: booked desk time / mean slot, shared by the
/// products, less deflection and no-shows.
fn fill_expected(book: &AppointmentBook, l: usize, streams: &mut [Stream], calendar: &Calendar) {
    let mean_slot: f64 = book.products.iter().map(|x| x.share * x.slot).sum();
    for product in &book.products {
        let stream = &mut streams[product.stream];
        debug_assert_eq!(stream.line, l);
        for (i, e) in stream.expected.iter_mut().enumerate() {
            *e = f64::from(book.desks[i]) * calendar.interval * book.fill[i] / mean_slot
                * product.share
                * (1.0 - product.deflection)
                * (1.0 - product.no_show);
        }
    }
}
