//! What every chart shares: the embedded font, the colours, the page frame
//! (title, subtitle, legend), axes with ticks chosen here rather than by
//! plotters, and the small drawing helpers (gaps, bands, notes).

use std::ops::Range;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::register_font;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ChartError;

/// Default size of a chart in pixels: fits a report page at 100 %.
pub(super) const WIDTH: u32 = 1000;
/// Default height of a chart in pixels.
pub(super) const HEIGHT: u32 = 560;

/// The font family every text uses. It is registered with plotters under
/// this name, and the SVG backend writes the name verbatim into
/// `font-family`, where it reads as a CSS list: a viewer with DejaVu Sans
/// uses it, any other falls back to its own sans-serif.
pub(super) const FAMILY: &str = "DejaVu Sans, sans-serif";

static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Registers the embedded font once per process. Plotters' `ab_glyph`
/// backend knows no font until one is registered, and registering is global,
/// so this runs before every render.
pub(super) fn ensure_fonts() -> Result<(), ChartError> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = DONE.get_or_init(|| {
        // "sans-serif" too, so that any text plotters styles by default
        // (should one slip through) still finds a font instead of failing.
        [FAMILY, "sans-serif"].iter().all(|family| {
            register_font(family, FontStyle::Normal, REGULAR).is_ok()
                && register_font(family, FontStyle::Bold, BOLD).is_ok()
        })
    });
    if *ok { Ok(()) } else { Err(ChartError::Font) }
}

// Font sizes in plotters units. Plotters writes `size / 1.24` as the SVG
// font-size, so 18 gives 14.5 px tick labels in SVG and about 15.5 px glyph
// height in PNG: the smallest text stays readable at report size.
pub(super) const TITLE_SIZE: f64 = 28.0;
pub(super) const SUBTITLE_SIZE: f64 = 19.0;
pub(super) const LABEL_SIZE: f64 = 19.0;
pub(super) const TICK_SIZE: f64 = 18.0;
pub(super) const LEGEND_SIZE: f64 = 18.0;

/// Space around the page.
pub(super) const MARGIN: i32 = 18;

/// Text colour of titles and labels.
pub(super) const INK: RGBColor = RGBColor(33, 33, 33);
/// Text colour of subtitles, notes and tick labels.
pub(super) const MUTED: RGBColor = RGBColor(85, 85, 85);
/// Grid lines.
pub(super) const GRID: RGBColor = RGBColor(225, 225, 225);
/// Axis lines.
pub(super) const AXIS: RGBColor = RGBColor(140, 140, 140);
/// Target and threshold lines.
pub(super) const REFERENCE: RGBColor = RGBColor(60, 60, 60);
/// Cells without a value (nobody on duty).
pub(super) const EMPTY_CELL: RGBColor = RGBColor(222, 222, 222);

// Okabe–Ito palette: distinguishable with the common colour-vision
// deficiencies and in greyscale print.
pub(super) const BLACK: RGBColor = RGBColor(0, 0, 0);
pub(super) const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub(super) const SKY_BLUE: RGBColor = RGBColor(86, 180, 233);
pub(super) const BLUISH_GREEN: RGBColor = RGBColor(0, 158, 115);
pub(super) const YELLOW: RGBColor = RGBColor(240, 228, 66);
pub(super) const BLUE: RGBColor = RGBColor(0, 114, 178);
pub(super) const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub(super) const REDDISH_PURPLE: RGBColor = RGBColor(204, 121, 167);

/// Colour of a channel; the same in every chart so a reader learns it once.
pub(super) fn channel_color(channel: &str) -> RGBColor {
    match channel_key(channel) {
        "call" => BLUE,
        "chat" => ORANGE,
        "email" => BLUISH_GREEN,
        "visit" => SKY_BLUE,
        "total" => BLACK,
        other => {
            // A channel we do not know still gets a stable colour: the
            // name, not the order, picks it.
            let spare = [REDDISH_PURPLE, SKY_BLUE, VERMILLION];
            let sum: usize = other.bytes().map(usize::from).sum();
            spare[sum % spare.len()]
        }
    }
}

/// Canonical key of a channel name, whichever spelling the data uses.
fn channel_key(channel: &str) -> &str {
    match channel.trim().to_ascii_lowercase().as_str() {
        "call" | "calls" | "phone" | "voice" => "call",
        "chat" | "chats" => "chat",
        "email" | "emails" | "e-mail" | "e-mails" | "mail" => "email",
        "visit" | "visits" => "visit",
        "total" | "all" => "total",
        _ => channel,
    }
}

/// The name planners read: "calls", "chats", "e-mails", "total".
pub(super) fn channel_name(channel: &str) -> String {
    match channel_key(channel) {
        "call" => "calls".to_string(),
        "chat" => "chats".to_string(),
        "email" => "e-mails".to_string(),
        "visit" => "visits".to_string(),
        "total" => "total".to_string(),
        other => other.to_string(),
    }
}

/// `color` mixed with white; `keep` is the share of the colour kept. Used
/// instead of transparency where shapes touch, so that overlaps do not
/// darken and the PNG and SVG look the same.
pub(super) fn tint(color: RGBColor, keep: f64) -> RGBColor {
    let mix = |c: u8| (f64::from(c) * keep + 255.0 * (1.0 - keep)).round() as u8;
    RGBColor(mix(color.0), mix(color.1), mix(color.2))
}

/// A regular text style.
pub(super) fn text(size: f64, color: RGBColor) -> TextStyle<'static> {
    FontDesc::new(FontFamily::Name(FAMILY), size, FontStyle::Normal).color(&color)
}

/// A bold text style.
pub(super) fn bold(size: f64, color: RGBColor) -> TextStyle<'static> {
    FontDesc::new(FontFamily::Name(FAMILY), size, FontStyle::Bold).color(&color)
}

/// Width in pixels of `s` in `style`, from the embedded font's metrics (the
/// same for SVG and PNG).
pub(super) fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
) -> i32 {
    area.estimate_text_size(s, style)
        .map(|(w, _)| w as i32)
        .unwrap_or((s.chars().count() as f64 * style.font.get_size() * 0.6) as i32)
}

/// `s` made safe to draw and cut with an ellipsis so it fits in `max`
/// pixels. Control characters become spaces: XML forbids most of them, so
/// one in a scenario or pool name would make the SVG unreadable.
pub(super) fn fit_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
    max: i32,
) -> String {
    let chars: Vec<char> = clean(s).chars().collect();
    let with = |keep: usize| -> String {
        let mut out: String = chars[..keep].iter().collect();
        if keep < chars.len() {
            out = out.trim_end().to_string() + "…";
        }
        out
    };
    if text_width(area, &with(chars.len()), style) <= max {
        return with(chars.len());
    }
    // Binary search for the longest prefix that fits: names can be long.
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if text_width(area, &with(mid), style) <= max {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    with(lo)
}

/// User text with control characters (newlines, tabs, NUL) as spaces.
pub(super) fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Line pattern of a series or a reference line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Dash {
    Solid,
    Dashed,
    Dotted,
}

/// What a legend entry shows next to its label.
#[derive(Debug, Clone, Copy)]
pub(super) enum Marker {
    /// A line of the given colour, width and pattern.
    Line(RGBColor, u32, Dash),
    /// A line over its band (mean and interval).
    LineOnBand(RGBColor),
    /// A filled box.
    Fill(RGBColor),
    /// A bar with a whisker (mean and its band as an error bar).
    BarWithWhisker(RGBColor),
}

/// One legend entry.
#[derive(Debug, Clone)]
pub(super) struct LegendItem {
    pub marker: Marker,
    pub label: String,
}

impl LegendItem {
    pub fn new(marker: Marker, label: impl Into<String>) -> Self {
        Self {
            marker,
            label: label.into(),
        }
    }
}

const LEGEND_SWATCH: i32 = 34;
const LEGEND_ROW: i32 = 26;

/// Draws the white page, the title, the subtitle and the legend, and returns
/// the area left below them for the plot. The legend sits above the plot,
/// never over the data, and wraps onto more rows when it is long.
pub(super) fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
    legend: &[LegendItem],
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    root.fill(&WHITE)?;
    let (width, _) = root.dim_in_pixel();
    let usable = width as i32 - 2 * MARGIN;

    let title_style = bold(TITLE_SIZE, INK);
    let title = fit_text(root, title, &title_style, usable);
    root.draw_text(&title, &title_style, (MARGIN, 14))?;
    let sub_style = text(SUBTITLE_SIZE, MUTED);
    let subtitle = fit_text(root, subtitle, &sub_style, usable);
    root.draw_text(&subtitle, &sub_style, (MARGIN, 48))?;

    let mut y = 80;
    if !legend.is_empty() {
        let style = text(LEGEND_SIZE, INK);
        let mut x = MARGIN;
        for item in legend {
            let label = fit_text(root, &item.label, &style, usable - LEGEND_SWATCH - 8);
            let w = LEGEND_SWATCH + 8 + text_width(root, &label, &style);
            if x > MARGIN && x + w > MARGIN + usable {
                x = MARGIN;
                y += LEGEND_ROW;
            }
            draw_marker(root, item.marker, x, y + 10)?;
            let centre = Pos::new(HPos::Left, VPos::Center);
            root.draw_text(&label, &style.pos(centre), (x + LEGEND_SWATCH + 8, y + 10))?;
            x += w + 26;
        }
        y += LEGEND_ROW + 6;
    } else {
        y += 6;
    }
    Ok(root.split_vertically(y).1)
}

fn draw_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    marker: Marker,
    x: i32,
    cy: i32,
) -> Result<(), ChartError> {
    let (x0, x1) = (x, x + LEGEND_SWATCH);
    match marker {
        Marker::Line(color, width, dash) => {
            draw_line_px(area, &[(x0, cy), (x1, cy)], color, width, dash)?;
        }
        Marker::LineOnBand(color) => {
            area.draw(&Rectangle::new(
                [(x0, cy - 8), (x1, cy + 8)],
                tint(color, BAND_KEEP).filled(),
            ))?;
            draw_line_px(area, &[(x0, cy), (x1, cy)], color, 3, Dash::Solid)?;
        }
        Marker::Fill(color) => {
            area.draw(&Rectangle::new(
                [(x0 + 4, cy - 8), (x1 - 4, cy + 8)],
                color.filled(),
            ))?;
        }
        Marker::BarWithWhisker(color) => {
            area.draw(&Rectangle::new(
                [(x0 + 8, cy - 3), (x1 - 8, cy + 10)],
                color.filled(),
            ))?;
            let mid = (x0 + x1) / 2;
            let ink = WHISKER.stroke_width(2);
            area.draw(&PathElement::new(vec![(mid, cy - 10), (mid, cy + 6)], ink))?;
            area.draw(&PathElement::new(
                vec![(mid - 5, cy - 10), (mid + 5, cy - 10)],
                ink,
            ))?;
        }
    }
    Ok(())
}

/// Colour of error-bar whiskers.
pub(super) const WHISKER: RGBColor = RGBColor(70, 70, 70);
/// Share of the series colour kept in a band's fill.
pub(super) const BAND_KEEP: f64 = 0.22;

/// A line in pixel coordinates with a pattern.
pub(super) fn draw_line_px<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[(i32, i32)],
    color: RGBColor,
    width: u32,
    dash: Dash,
) -> Result<(), ChartError> {
    let style = color.stroke_width(width);
    match dash {
        Dash::Solid => area.draw(&PathElement::new(points.to_vec(), style))?,
        Dash::Dashed => area.draw(&DashedPathElement::new(points.iter().copied(), 8, 5, style))?,
        Dash::Dotted => area.draw(&DashedPathElement::new(points.iter().copied(), 2, 4, style))?,
    }
    Ok(())
}

/// An axis whose tick positions are chosen by the chart (hours, dates,
/// percent steps) rather than by plotters' decimal key points. Values are
/// clamped into the range when mapped, so nothing is drawn outside the plot.
#[derive(Debug, Clone)]
pub(super) struct Axis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Axis {
    /// An axis over `lo..hi` (widened when empty or not finite) with ticks
    /// kept only where they fall inside it.
    pub fn new(lo: f64, hi: f64, ticks: Vec<f64>) -> Self {
        let (lo, hi) = widen(lo, hi);
        let eps = (hi - lo) * 1e-9;
        let ticks = ticks
            .into_iter()
            .filter(|t| t.is_finite() && *t >= lo - eps && *t <= hi + eps)
            .collect();
        Self { lo, hi, ticks }
    }

    pub fn lo(&self) -> f64 {
        self.lo
    }

    pub fn hi(&self) -> f64 {
        self.hi
    }

    pub fn ticks(&self) -> &[f64] {
        &self.ticks
    }

    /// `v` moved into the axis range.
    pub fn clamp(&self, v: f64) -> f64 {
        v.clamp(self.lo, self.hi)
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let v = if value.is_finite() {
            value.clamp(self.lo, self.hi)
        } else {
            self.lo
        };
        let share = (v - self.lo) / (self.hi - self.lo);
        limit.0 + ((limit.1 - limit.0) as f64 * share).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        // Only bold grid lines: light ones would clutter a report chart.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// A finite range with `lo < hi`: an empty, inverted or non-finite range is
/// widened around what is there, so plotters never divides by zero.
pub(super) fn widen(lo: f64, hi: f64) -> (f64, f64) {
    match (lo.is_finite(), hi.is_finite()) {
        (true, true) if hi > lo => (lo, hi),
        (true, true) if lo == hi => {
            let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
            (lo - pad, hi + pad)
        }
        (true, true) => (hi, lo),
        (true, false) => (lo, lo + 1.0),
        (false, true) => (hi - 1.0, hi),
        (false, false) => (0.0, 1.0),
    }
}

/// Minimum and maximum of the finite values, if any.
pub(super) fn finite_range<'a>(values: impl IntoIterator<Item = &'a f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Whether any value is finite.
pub(super) fn any_finite(values: &[f64]) -> bool {
    values.iter().any(|v| v.is_finite())
}

/// A "nice" step (1, 2, 2.5 or 5 times a power of ten) so that `span` is
/// cut into at most `max_ticks` steps.
pub(super) fn nice_step(span: f64, max_ticks: usize) -> f64 {
    let span = if span.is_finite() && span > 0.0 {
        span
    } else {
        1.0
    };
    let raw = span / max_ticks.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * magnitude >= raw {
            return m * magnitude;
        }
    }
    10.0 * magnitude
}

/// The smallest of 1, 2, 2.5, 5 times a power of ten that is ≥ `v`.
pub(super) fn nice_up(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= v * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude)
}

/// An axis from 0 to a nice value above `max`, with ticks on nice steps.
/// Used for counts (contacts, agents, e-mails, hours).
pub(super) fn count_axis(max: f64, max_ticks: usize, headroom: f64) -> Axis {
    let top = if max.is_finite() && max > 0.0 {
        max * headroom
    } else {
        1.0
    };
    let step = nice_step(top, max_ticks);
    let hi = (top / step).ceil() * step;
    let ticks = (0..=((hi / step).round() as usize))
        .map(|i| i as f64 * step)
        .collect();
    Axis::new(0.0, hi, ticks)
}

/// A percent axis (values are shares 0..1). It starts at 0 unless the data
/// and the target all lie high, then it zooms to a floor on a 10 % step with
/// some room below the lowest value, so differences near the target show.
pub(super) fn percent_axis(low: Option<f64>, target: Option<f64>) -> Axis {
    let lowest = [low, target]
        .into_iter()
        .flatten()
        .filter(|v| v.is_finite())
        .fold(f64::INFINITY, f64::min);
    let floor = if lowest.is_finite() {
        (((lowest - 0.05) * 10.0).floor() / 10.0).clamp(0.0, 0.9)
    } else {
        0.0
    };
    // Zooming to 30 % or less would hide little and mislead more.
    let floor = if floor <= 0.3 { 0.0 } else { floor };
    let step = if 1.0 - floor > 0.5 { 0.1 } else { 0.05 };
    let n = ((1.0 - floor) / step).round() as usize;
    let ticks = (0..=n).map(|i| floor + i as f64 * step).collect();
    // A little room above 100 % so a line at 100 % is not hidden by the
    // plot's top border.
    Axis::new(floor, 1.015, ticks)
}

/// A share as a percent tick label: "90%".
pub(super) fn percent_label(v: f64) -> String {
    let p = v * 100.0;
    if (p - p.round()).abs() < 1e-6 {
        format!("{:.0}%", p)
    } else {
        format!("{:.1}%", p)
    }
}

/// A number with thousands separators: "412,300". Rounded to whole units.
pub(super) fn thousands(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let rounded = v.round();
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if rounded < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A count as a tick label: whole numbers with separators, small steps
/// (0.25, 2.5) with the decimals they need, at most two.
pub(super) fn count_label(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        thousands(v)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Minutes after midnight as "HH:MM".
pub(super) fn clock(minutes: f64) -> String {
    let m = minutes.round() as i64;
    // The end of a day that runs to midnight reads "24:00", not "00:00".
    let m = if m == 1440 { m } else { m.rem_euclid(1440) };
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// `mon` as "Mon"; anything longer than a weekday's name is cut.
pub(super) fn weekday_label(day: &str) -> String {
    let day = clean(day);
    let mut chars = day.trim().chars();
    let label: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if label.chars().count() > 12 {
        label.chars().take(11).collect::<String>() + "…"
    } else {
        label
    }
}

/// A date as "Mon 7 Jun".
pub(super) fn day_label(date: NaiveDate) -> String {
    date.format("%a %-d %b").to_string()
}

/// A date as "7 Jun".
pub(super) fn short_day_label(date: NaiveDate) -> String {
    date.format("%-d %b").to_string()
}

/// Which day indices get a tick on a date axis: every day when the labels
/// fit, else every week (on Mondays), two weeks or four weeks.
/// Returns the indices and whether labels should be short ("7 Jun").
pub(super) fn date_ticks(
    dates: &[NaiveDate],
    px_per_day: f64,
    label_px: f64,
) -> (Vec<usize>, bool) {
    if dates.is_empty() {
        return (Vec::new(), false);
    }
    let long_fits = px_per_day >= label_px + 14.0;
    if long_fits {
        return ((0..dates.len()).collect(), false);
    }
    let short_px = label_px * 0.62;
    for step in [7usize, 14, 28, 56] {
        if px_per_day * step as f64 >= short_px + 18.0 {
            let first = dates
                .iter()
                .position(|d| d.weekday() == Weekday::Mon)
                .unwrap_or(0);
            let ticks = (first..dates.len()).step_by(step).collect();
            return (ticks, true);
        }
    }
    (vec![0], true)
}

/// A note in the middle of an empty plot, so an empty chart says why it is
/// empty instead of showing bare axes.
pub(super) fn draw_no_data<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    note: &str,
) -> Result<(), ChartError> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    area.draw(&Rectangle::new(
        [(MARGIN, 10), (w - MARGIN, h - MARGIN)],
        RGBColor(247, 247, 247).filled(),
    ))?;
    area.draw(&Rectangle::new(
        [(MARGIN, 10), (w - MARGIN, h - MARGIN)],
        GRID.stroke_width(1),
    ))?;
    let style = text(LABEL_SIZE, MUTED).pos(Pos::new(HPos::Center, VPos::Center));
    area.draw_text(note, &style, (w / 2, (h + 10 - MARGIN) / 2))?;
    Ok(())
}

/// Maximal runs of consecutive indices where `ok(i)` holds; a series is
/// drawn run by run so that a missing value (NaN) leaves a gap.
pub(super) fn runs(n: usize, ok: impl Fn(usize) -> bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..n {
        match (ok(i), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..n);
    }
    out
}

/// The value at `i`, or NaN when the vector is shorter: mismatched lengths
/// are drawn as gaps rather than rejected, so a partial series still shows.
pub(super) fn at(values: &[f64], i: usize) -> f64 {
    values.get(i).copied().unwrap_or(f64::NAN)
}

/// Pool and scenario names to a file-name part: lower case ASCII letters,
/// digits, `_` and `-`, with runs of anything else turned into one `_`, at
/// most 60 characters.
pub(super) fn sanitise(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    // File systems take about 255 bytes per name: keep well below.
    let out: String = out.chars().take(60).collect();
    let trimmed = out.trim_matches('_').to_string();
    if trimmed.is_empty() {
        "unnamed".to_string()
    } else {
        trimmed
    }
}

/// A colour of the viridis scale at `t` in 0..1: perceptually even, readable
/// by colour-blind readers, and dark-to-light so greyscale print keeps order.
pub(super) fn viridis(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 9] = [
        (68, 1, 84),
        (71, 45, 123),
        (59, 82, 139),
        (44, 114, 142),
        (33, 145, 140),
        (40, 174, 128),
        (94, 201, 98),
        (173, 220, 48),
        (253, 231, 37),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let pos = t * (STOPS.len() - 1) as f64;
    let i = (pos.floor() as usize).min(STOPS.len() - 2);
    let f = pos - i as f64;
    let lerp = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(lerp(a.0, b.0), lerp(a.1, b.1), lerp(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widen_fixes_degenerate_ranges() {
        assert_eq!(widen(0.0, 0.0), (-1.0, 1.0));
        assert_eq!(widen(2.0, 1.0), (1.0, 2.0));
        assert_eq!(widen(f64::NAN, f64::NAN), (0.0, 1.0));
        let (lo, hi) = widen(5.0, 5.0);
        assert!(lo < 5.0 && hi > 5.0);
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(412_300.4), "412,300");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(1_000.0), "1,000");
        assert_eq!(thousands(-1_234_567.0), "-1,234,567");
    }

    #[test]
    fn count_labels_keep_the_decimals_they_need() {
        assert_eq!(count_label(0.25), "0.25");
        assert_eq!(count_label(2.5), "2.5");
        assert_eq!(count_label(12_500.0), "12,500");
    }

    #[test]
    fn clock_formats_minutes() {
        assert_eq!(clock(0.0), "00:00");
        assert_eq!(clock(8.0 * 60.0 + 30.0), "08:30");
        assert_eq!(clock(1440.0), "24:00");
        assert_eq!(clock(1500.0), "01:00");
    }

    #[test]
    fn runs_split_at_gaps() {
        let v = [1.0, f64::NAN, 2.0, 3.0, f64::NAN];
        assert_eq!(runs(v.len(), |i| v[i].is_finite()), vec![0..1, 2..4]);
    }

    #[test]
    fn sanitise_keeps_file_safe_characters() {
        assert_eq!(sanitise("Generalists (NL)"), "generalists_nl");
        assert_eq!(sanitise("back-office_2"), "back-office_2");
        assert_eq!(sanitise("???"), "unnamed");
    }

    #[test]
    fn percent_axis_zooms_but_keeps_target() {
        let a = percent_axis(Some(0.82), Some(0.9));
        assert!((a.lo() - 0.7).abs() < 1e-9);
        let a = percent_axis(Some(0.95), Some(0.6));
        assert!(a.lo() <= 0.6);
        assert_eq!(percent_axis(Some(0.2), None).lo(), 0.0);
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(100.0, 5), 20.0);
        assert_eq!(nice_step(7.0, 7), 1.0);
        assert_eq!(nice_step(0.0, 5), 0.2);
    }
}
