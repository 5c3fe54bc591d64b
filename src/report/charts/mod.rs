//! Charts for a planner's report, drawn with plotters as SVG (default) or PNG.
//!
//! Each chart is a plain data struct (filled from the run summary elsewhere)
//! wrapped in [`Chart`]; [`render`] turns it into the bytes of an image file.
//! The charts embed their font (DejaVu Sans, see `assets/fonts/`), so they
//! render the same on a machine without any system fonts, and the same data
//! always gives byte-identical files.
//!
//! No data makes a chart panic: NaN values are gaps, empty data gives a chart
//! with a "no data" note, vectors of different lengths are read as if the
//! shorter ones were padded with NaN, and flat ranges are widened.
//!
//! ```
//! use ccsim::report::charts::{render, Chart, ImageFormat, ThemeBar, ThemeHoursCost};
//!
//! let chart = Chart::ThemeHoursCost(ThemeHoursCost {
//!     scenario: "Q2 base".into(),
//!     currency: "€".into(),
//!     themes: vec![ThemeBar {
//!         theme: "Billing".into(),
//!         hours_by_channel: vec![("call".into(), 1200.0), ("chat".into(), 300.0)],
//!         cost: 61_500.0,
//!     }],
//! });
//! let svg = render(&chart, ImageFormat::Svg).unwrap();
//! assert!(String::from_utf8(svg).unwrap().contains("Billing"));
//! assert_eq!(chart.file_stem(), "theme_hours_cost");
//! ```

mod daily;
mod difference;
mod email;
mod flow;
mod forecast;
mod heatmap;
mod intraday;
mod plot;
mod style;
mod sweep;
mod themes;
mod visits;
mod wait;

pub use forecast::forecast_charts;

use chrono::{NaiveDate, NaiveDateTime};
use plotters::coord::Shift;
use plotters::prelude::*;

/// File format of a rendered chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// Scalable vector graphics: sharp at any zoom, the default for reports.
    Svg,
    /// A bitmap, for places that take no SVG (mail, slides).
    Png,
}

impl ImageFormat {
    /// The file extension: `"svg"` or `"png"`.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Svg => "svg",
            ImageFormat::Png => "png",
        }
    }
}

/// Mean with a band (95% CI or P5–P95, as the field's doc says). NaN = no value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Band {
    /// The central value.
    pub mean: Vec<f64>,
    /// Lower edge of the band.
    pub low: Vec<f64>,
    /// Upper edge of the band.
    pub high: Vec<f64>,
}

/// Reachability per interval of the day, per channel (calls, chats; e-mail too if present).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntradayReachability {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// Interval length in minutes.
    pub interval_minutes: f64,
    /// Minutes after midnight at which each interval starts (x axis, HH:MM labels).
    pub slots: Vec<u32>,
    /// One line (with its band) per channel.
    pub channels: Vec<IntradayChannel>,
    /// Target share 0..1, drawn as a horizontal dashed line labelled "target 90%".
    pub target: Option<f64>,
}

/// One channel of [`IntradayReachability`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntradayChannel {
    /// Channel name: `"call"`, `"chat"`, `"email"`.
    pub channel: String,
    /// Mean over all days of the horizon, band = 95% CI.
    pub mean_over_days: Band,
    /// The day with the lowest daily reachability and its per-slot values
    /// (a thin dashed line, legend "calls, worst day (Tue 2021-06-01)").
    pub worst_day: Option<(NaiveDate, Vec<f64>)>,
}

/// Contacts per interval over a stretch of consecutive days (e.g. the busiest
/// week), stacked by outcome, with staffed agents on a second y axis.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntervalFlow {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// Interval length in minutes.
    pub interval_minutes: f64,
    /// Start of each interval shown (only intervals in opening hours, so
    /// nights are skipped: x is the index, labelled with day and time).
    pub starts: Vec<NaiveDateTime>,
    /// Answered contacts, mean per replication.
    pub answered: Vec<f64>,
    /// Abandoned contacts, mean per replication.
    pub abandoned: Vec<f64>,
    /// Contacts closed out (not answered at closing), mean per replication.
    pub closed_out: Vec<f64>,
    /// Offered contacts, ≥ answered + abandoned + closed_out (the rest is
    /// still waiting at horizon end); drawn as an outline.
    pub offered: Vec<f64>,
    /// Agents on duty, all pools (right axis).
    pub agents: Vec<f64>,
    /// Which channels are counted, e.g. "calls and chats".
    pub channels_label: String,
}

/// Daily reachability over the horizon with the P5–P95 fan of replications.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DailyReachability {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// The days (x axis).
    pub dates: Vec<NaiveDate>,
    /// "total" first, then channels.
    pub series: Vec<DailySeries>,
    /// Target share 0..1.
    pub target: Option<f64>,
}

/// One line of [`DailyReachability`]. NaN on days without contacts
/// (weekends): gaps.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DailySeries {
    /// `"total"` or a channel name.
    pub label: String,
    /// Mean over replications.
    pub mean: Vec<f64>,
    /// 5th percentile over replications.
    pub p5: Vec<f64>,
    /// 95th percentile over replications.
    pub p95: Vec<f64>,
}

/// Waiting-time distribution (CDF) per channel, answered and abandoned
/// contacts; one panel per channel.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WaitCdf {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// One panel per channel.
    pub channels: Vec<WaitCdfChannel>,
}

/// One channel (panel) of [`WaitCdf`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WaitCdfChannel {
    /// Channel name.
    pub channel: String,
    /// Increasing wait points in seconds (0, 5, 10, ... up to 7200). The x
    /// axis is cut where both curves reach 99.5 %.
    pub seconds: Vec<f64>,
    /// Share of answered contacts that waited ≤ x (band = 95% CI).
    pub answered: Band,
    /// Share of abandoned contacts that had waited ≤ x before hanging up.
    pub abandoned: Option<Band>,
    /// Service-level threshold: a vertical dotted line "SL threshold 20 s".
    pub threshold_seconds: f64,
}

/// Pool occupancy as a heatmap: days (columns) × interval of the day (rows).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OccupancyHeatmap {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// Agent pool name.
    pub pool: String,
    /// The days (columns).
    pub dates: Vec<NaiveDate>,
    /// Minutes after midnight at which each interval starts (rows).
    pub slots: Vec<u32>,
    /// `[day][slot]` occupancy 0..1; NaN = nobody on duty (drawn grey).
    pub values: Vec<Vec<f64>>,
}

/// A figure of the front desk as a heatmap: weekdays (rows, in the order
/// given) × clock hours (columns).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeekdayHourHeatmap {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// What the cells hold.
    pub figure: WeekdayHourFigure,
    /// The weekdays, `"mon"` … `"sun"` (rows, the first on top).
    pub weekdays: Vec<String>,
    /// The clock hours 0..23 (columns).
    pub hours: Vec<u32>,
    /// `[weekday][hour]` values; NaN = closed, or no value (drawn grey).
    pub values: Vec<Vec<f64>>,
}

/// What a [`WeekdayHourHeatmap`] shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum WeekdayHourFigure {
    /// Mean wait of the visitors who checked in during the hour, from
    /// check-in to the call to a desk, in seconds (drawn in minutes).
    #[default]
    Wait,
    /// Occupancy 0..1 of a pool that serves visits (the desks).
    Utilisation {
        /// The pool.
        pool: String,
    },
}

/// The share of the horizon's visits that fall on each weekday.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VisitsByWeekday {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// The weekdays, `"mon"` … `"sun"` (x axis).
    pub weekdays: Vec<String>,
    /// Share 0..1 of the visits per weekday, band = 95% CI (bars with whiskers).
    pub share: Band,
}

/// E-mail backlog at the end of each day and the share handled within the SLA.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EmailBacklog {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// The days (x axis).
    pub dates: Vec<NaiveDate>,
    /// E-mails waiting at end of day: mean, band = P5–P95 (bars with
    /// whiskers, left axis).
    pub backlog: Band,
    /// Share of the day's e-mails picked up within the SLA, band = 95% CI
    /// (line, right axis 0–100%).
    pub within_sla: Band,
    /// The SLA in working days.
    pub sla_working_days: u32,
    /// Target share on `within_sla`.
    pub target: Option<f64>,
}

/// Handled hours and cost per theme.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ThemeHoursCost {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// One bar per theme, top to bottom in this order.
    pub themes: Vec<ThemeBar>,
    /// Currency symbol written before costs, e.g. "€".
    pub currency: String,
}

/// One theme of [`ThemeHoursCost`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ThemeBar {
    /// Theme name.
    pub theme: String,
    /// Handled hours per channel, stacked in this order.
    pub hours_by_channel: Vec<(String, f64)>,
    /// Cost of the theme, written at the end of its bar, e.g. "€ 412,300".
    pub cost: f64,
}

/// Paired difference B − A of a metric per interval of the day (from
/// `ccsim compare`), in percentage points, one line per channel.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntradayDifference {
    /// Subtitle text, e.g. "A: base · B: pools.frontline.agents=45"; when
    /// empty, the subtitle is made from `label_a` and `label_b`.
    pub scenario: String,
    /// Name of scenario A (the baseline).
    pub label_a: String,
    /// Name of scenario B (the variant).
    pub label_b: String,
    /// Interval length in minutes.
    pub interval_minutes: f64,
    /// Minutes after midnight at which each interval starts (x axis, HH:MM labels).
    pub slots: Vec<u32>,
    /// The metric compared, a share: `"reachability"` or `"service_level"`.
    pub metric: String,
    /// Per channel (`"call"`, `"chat"`, `"email"`, `"total"`): the difference
    /// B − A as a share (−1..1) per slot, band = 95% CI of the paired
    /// difference.
    pub channels: Vec<(String, Band)>,
}

/// Metrics against a swept parameter (from `ccsim sweep`), one panel per
/// metric: 1 × N for one or two panels, a grid of two columns for more.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SweepCurves {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// The swept parameter, e.g. "pools.frontline.scale" (x axis title).
    pub parameter: String,
    /// Parameter values, increasing.
    pub x: Vec<f64>,
    /// One panel per metric, usually reachability, service level, ASA and cost.
    pub panels: Vec<SweepPanel>,
}

/// One metric (panel) of [`SweepCurves`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SweepPanel {
    /// Human title of the panel: "Reachability", "Service level",
    /// "Average speed of answer", "Cost".
    pub metric: String,
    /// Unit of the values, which picks the y axis.
    pub unit: SweepUnit,
    /// One line per series, all over the same `x`.
    pub series: Vec<SweepSeries>,
    /// Target in the panel's unit: a horizontal dashed line.
    pub target: Option<f64>,
}

/// Unit of a [`SweepPanel`]'s values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SweepUnit {
    /// A share 0..1, on a percent axis.
    #[default]
    Share,
    /// A duration in seconds, ticks like "45 s", "1m 30s".
    Seconds,
    /// Money in euro, ticks like "€ 450k", "€ 1.2M".
    Euro,
}

/// One line of a [`SweepPanel`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SweepSeries {
    /// Legend label: "calls", "total", or for a two-parameter sweep
    /// "scale.volume = 1.2". Series with the same label in several panels
    /// share one legend entry and one colour.
    pub label: String,
    /// `Some("call")` draws the series in the channel's colour; `None` picks
    /// a colour from a sequential (viridis) palette by the series' order.
    pub channel: Option<String>,
    /// Mean with its 95% CI band, one value per x.
    pub values: Band,
}

/// A theme forecast's contacts per ISO week, one panel per channel: the
/// likely case over the fan from the low to the high case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ForecastWeekly {
    /// Theme and base scenario, shown under the title.
    pub scenario: String,
    /// ISO weeks from the theme's start (`2021-W09`), the x axis.
    pub weeks: Vec<String>,
    /// One panel per channel.
    pub channels: Vec<ForecastWeeklyChannel>,
}

/// One channel (panel) of [`ForecastWeekly`]; one value per week.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ForecastWeeklyChannel {
    /// Channel name.
    pub channel: String,
    /// Contacts of the low case.
    pub low: Vec<f64>,
    /// Contacts of the likely case.
    pub likely: Vec<f64>,
    /// Contacts of the high case.
    pub high: Vec<f64>,
    /// Days of each week with the theme active (a partial first or last week has fewer).
    pub days: Vec<u32>,
}

/// Any chart of the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// See [`IntradayReachability`].
    IntradayReachability(IntradayReachability),
    /// See [`IntervalFlow`].
    IntervalFlow(IntervalFlow),
    /// See [`DailyReachability`].
    DailyReachability(DailyReachability),
    /// See [`WaitCdf`].
    WaitCdf(WaitCdf),
    /// See [`OccupancyHeatmap`].
    OccupancyHeatmap(OccupancyHeatmap),
    /// See [`WeekdayHourHeatmap`].
    WeekdayHourHeatmap(WeekdayHourHeatmap),
    /// See [`VisitsByWeekday`].
    VisitsByWeekday(VisitsByWeekday),
    /// See [`EmailBacklog`].
    EmailBacklog(EmailBacklog),
    /// See [`ThemeHoursCost`].
    ThemeHoursCost(ThemeHoursCost),
    /// See [`IntradayDifference`].
    IntradayDifference(IntradayDifference),
    /// See [`SweepCurves`].
    SweepCurves(SweepCurves),
    /// See [`ForecastWeekly`].
    ForecastWeekly(ForecastWeekly),
}

/// Why a chart could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The embedded font could not be registered (a broken build).
    #[error("the embedded chart font could not be loaded")]
    Font,
    /// The drawing backend failed.
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    /// The PNG encoder failed.
    #[error("encoding the chart as PNG failed: {0}")]
    Png(String),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Draw(e.to_string())
    }
}

impl Chart {
    /// File name without extension, e.g. "intraday_reachability",
    /// "occupancy_generalists" (pool names sanitised to `[a-z0-9_-]`).
    pub fn file_stem(&self) -> String {
        match self {
            Chart::IntradayReachability(_) => "intraday_reachability".to_string(),
            Chart::IntervalFlow(_) => "interval_flow".to_string(),
            Chart::DailyReachability(_) => "daily_reachability".to_string(),
            Chart::WaitCdf(_) => "wait_cdf".to_string(),
            Chart::OccupancyHeatmap(h) => format!("occupancy_{}", style::sanitise(&h.pool)),
            Chart::WeekdayHourHeatmap(h) => match &h.figure {
                WeekdayHourFigure::Wait => "wait_by_weekday_hour".to_string(),
                WeekdayHourFigure::Utilisation { pool } => {
                    format!("desk_utilisation_{}", style::sanitise(pool))
                }
            },
            Chart::VisitsByWeekday(_) => "visits_by_weekday".to_string(),
            Chart::EmailBacklog(_) => "email_backlog".to_string(),
            Chart::ThemeHoursCost(_) => "theme_hours_cost".to_string(),
            Chart::IntradayDifference(_) => "difference_by_time_of_day".to_string(),
            Chart::SweepCurves(_) => "sweep".to_string(),
            Chart::ForecastWeekly(_) => "forecast_weekly".to_string(),
        }
    }

    /// Human title, e.g. "Reachability by time of day".
    pub fn title(&self) -> String {
        match self {
            Chart::IntradayReachability(_) => "Reachability by time of day".to_string(),
            Chart::IntervalFlow(f) if !f.channels_label.trim().is_empty() => {
                format!(
                    "Contacts and agents per interval: {}",
                    f.channels_label.trim()
                )
            }
            Chart::IntervalFlow(_) => "Contacts and agents per interval".to_string(),
            Chart::DailyReachability(_) => "Reachability per day".to_string(),
            Chart::WaitCdf(_) => "Waiting times".to_string(),
            Chart::OccupancyHeatmap(h) => format!("Occupancy of pool {}", h.pool),
            Chart::WeekdayHourHeatmap(h) => match &h.figure {
                WeekdayHourFigure::Wait => "Mean wait of visitors by weekday and hour".to_string(),
                WeekdayHourFigure::Utilisation { pool } => {
                    format!("Desk utilisation by weekday and hour: pool {pool}")
                }
            },
            Chart::VisitsByWeekday(_) => "Visits by weekday".to_string(),
            Chart::EmailBacklog(_) => "E-mail backlog and SLA".to_string(),
            Chart::ThemeHoursCost(_) => "Handled hours and cost per theme".to_string(),
            Chart::IntradayDifference(d) => difference::title(d),
            Chart::SweepCurves(s) => sweep::title(s),
            Chart::ForecastWeekly(_) => "Forecast: the theme's contacts per week".to_string(),
        }
    }

    /// One sentence a planner reads under the chart in the HTML report (what
    /// it shows, how to read it).
    pub fn caption(&self) -> String {
        match self {
            Chart::IntradayReachability(_) => {
                "Share of contacts reached in each interval of the day, averaged over all days \
                 (band: 95% confidence interval), with the worst day as a thin dashed line; \
                 intervals below the target line are where extra staff helps most."
                    .to_string()
            }
            Chart::IntervalFlow(_) => {
                "Contacts per interval split into answered, abandoned and closed out (bars, \
                 left axis), with the contacts offered as a black outline and the agents on \
                 duty as a line (right axis); nights are left out."
                    .to_string()
            }
            Chart::DailyReachability(_) => {
                "Reachability per day, mean over replications, with a band from the 5th to \
                 the 95th percentile of replications; days without contacts are left blank, \
                 and a band reaching below the target means the target is missed in some runs."
                    .to_string()
            }
            Chart::WaitCdf(_) => {
                "Share of contacts that waited at most the time on the horizontal axis: solid \
                 for answered, dashed for abandoned contacts (band: 95% confidence interval); \
                 where the solid line crosses the dotted threshold is the service level."
                    .to_string()
            }
            Chart::OccupancyHeatmap(h) => format!(
                "Share of on-duty time that the agents of pool {} spent handling contacts, per \
                 day and interval: dark is idle, yellow is fully busy, grey means nobody was on duty.",
                h.pool
            ),
            Chart::WeekdayHourHeatmap(h) => match &h.figure {
                WeekdayHourFigure::Wait => {
                    "Mean wait in minutes from check-in at the kiosk to the call to a desk of the \
                     visitors who checked in during each clock hour, per weekday over the \
                     horizon: dark is short, yellow is long, grey means closed or no visitors."
                        .to_string()
                }
                WeekdayHourFigure::Utilisation { pool } => format!(
                    "Share of on-duty time that pool {pool} spent serving, per weekday and clock \
                     hour over the horizon, in percent: dark is idle, yellow is fully busy, grey \
                     means closed or nobody on duty."
                ),
            },
            Chart::VisitsByWeekday(_) => {
                "Share of the horizon's visitors who came on each weekday (bars, written above \
                 them) with the 95% confidence interval as whiskers; the shares add up to 100%, \
                 and a weekday with fewer opening days in the horizon gets a smaller share."
                    .to_string()
            }
            Chart::EmailBacklog(e) => format!(
                "E-mails still waiting at the end of each day (bars: mean, whiskers: 5th to 95th \
                 percentile, left axis) and the share of each day's e-mails picked up within the \
                 SLA of {} (line with 95% confidence band, right axis).",
                match e.sla_working_days {
                    0 => "the same working day".to_string(),
                    1 => "1 working day".to_string(),
                    d => format!("{d} working days"),
                }
            ),
            Chart::ThemeHoursCost(t) => format!(
                "Hours spent handling contacts per theme, stacked by channel, with the cost of \
                 the theme{} written at the end of each bar.",
                if t.currency.trim().is_empty() {
                    String::new()
                } else {
                    format!(" in {}", t.currency.trim())
                }
            ),
            Chart::IntradayDifference(d) => format!(
                "Difference B − A in {} per interval of the day, in percentage points, from \
                 paired replications (A and B see the same random contacts): above zero B is \
                 higher, and where the 95% confidence band stays clear of zero the difference \
                 is not chance.",
                difference::metric_name(&d.metric).to_lowercase()
            ),
            Chart::SweepCurves(_) => {
                "Each panel shows one result at every simulated value of the swept parameter \
                 (dots: mean over replications, band: 95% confidence interval); the lines \
                 between the dots only guide the eye, and a dashed line marks the target."
                    .to_string()
            }
            Chart::ForecastWeekly(_) => {
                "Contacts of the new theme per ISO week and channel: the likely case (line), \
                 and the band from the low to the high case; a first or last week with fewer \
                 active days is lower for that reason."
                    .to_string()
            }
        }
    }

    /// Size of the rendered image in pixels (width, height). Most charts are
    /// 1000 × 560; a theme chart grows taller with many themes so that every
    /// theme keeps a readable row, and a sweep with more than two panels is a
    /// grid of two columns, 1000 × 760 for four panels.
    pub fn size(&self) -> (u32, u32) {
        match self {
            Chart::ThemeHoursCost(t) => themes::size(t),
            Chart::SweepCurves(s) => sweep::size(s),
            _ => (style::WIDTH, style::HEIGHT),
        }
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let title = self.title();
        match self {
            Chart::IntradayReachability(c) => intraday::draw(c, &title, root),
            Chart::IntervalFlow(c) => flow::draw(c, &title, root),
            Chart::DailyReachability(c) => daily::draw(c, &title, root),
            Chart::WaitCdf(c) => wait::draw(c, &title, root),
            Chart::OccupancyHeatmap(c) => heatmap::draw(c, &title, root),
            Chart::WeekdayHourHeatmap(c) => heatmap::draw_weekday_hour(c, &title, root),
            Chart::VisitsByWeekday(c) => visits::draw(c, &title, root),
            Chart::EmailBacklog(c) => email::draw(c, &title, root),
            Chart::ThemeHoursCost(c) => themes::draw(c, &title, root),
            Chart::IntradayDifference(c) => difference::draw(c, &title, root),
            Chart::SweepCurves(c) => sweep::draw(c, &title, root),
            Chart::ForecastWeekly(c) => forecast::draw(c, &title, root),
        }
    }
}

/// Renders a chart to the bytes of an SVG or PNG file.
pub fn render(chart: &Chart, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    style::ensure_fonts()?;
    let (width, height) = chart.size();
    match format {
        ImageFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
                chart.draw(&root)?;
                root.present()?;
            }
            Ok(svg.into_bytes())
        }
        ImageFormat::Png => {
            let mut rgb = vec![255u8; width as usize * height as usize * 3];
            {
                let root =
                    BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
                chart.draw(&root)?;
                root.present()?;
            }
            encode_png(&rgb, width, height)
        }
    }
}

/// RGB pixels to PNG bytes, in memory: plotters' own encoder only writes to
/// a path, and this keeps the `image` crate out of the build.
fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let png_err = |e: png::EncodingError| ChartError::Png(e.to_string());
        let mut writer = encoder.write_header().map_err(png_err)?;
        writer.write_image_data(rgb).map_err(png_err)?;
        writer.finish().map_err(png_err)?;
    }
    Ok(out)
}

/// The subtitle line: the scenario, then what the bands mean.
fn subtitle(scenario: &str, note: &str) -> String {
    let scenario = scenario.trim();
    match (scenario.is_empty(), note.is_empty()) {
        (true, true) => String::new(),
        (true, false) => note.to_string(),
        (false, true) => format!("Scenario: {scenario}"),
        (false, false) => format!("Scenario: {scenario} · {note}"),
    }
}
