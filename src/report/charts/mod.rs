//! Charts for a planner's report, drawn with plotters as SVG (default) or PNG.
//!
//! A chart is one file: its data struct (public, so a chart can be filled
//! by hand), the builder that fills it from its source (`X::of(&results)`,
//! `X::of(&comparison)`, ...) and its [`Chart`] implementation: file name,
//! title, caption, size and drawing. The lists in this module ([`of_run`],
//! [`of_comparison`], [`of_sweep`], [`of_forecast`]) say which charts each
//! command shows, in order, as [`AnyChart`]s that render to bytes. A new
//! chart is that file, its `mod` and `pub use` lines here, and one line in
//! a list.
//!
//! The charts embed their font (DejaVu Sans, see `assets/fonts/`), so they
//! render the same on a machine without any system fonts, and the same
//! data always gives byte-identical files.
//!
//! No data makes a chart panic: NaN values are gaps, empty data gives a chart
//! with a "no data" note, vectors of different lengths are read as if the
//! shorter ones were padded with NaN, and flat ranges are widened.
//!
//! ```
//! use ccsim::report::charts::{AnyChart, ImageFormat, ThemeBar, ThemeHoursCost};
//!
//! let chart = ThemeHoursCost {
//!     scenario: "Q2 base".into(),
//!     currency: "€".into(),
//!     themes: vec![ThemeBar {
//!         theme: "Billing".into(),
//!         hours_by_channel: vec![("call".into(), 1200.0), ("chat".into(), 300.0)],
//!         cost: 61_500.0,
//!     }],
//! };
//! let svg = chart.render(ImageFormat::Svg).unwrap();
//! assert!(String::from_utf8(svg).unwrap().contains("Billing"));
//! assert_eq!(chart.file_stem(), "theme_hours_cost");
//! ```

mod backtest_days;
mod backtest_intraday;
mod daily;
mod difference;
mod email;
mod figures;
mod fit;
mod flow;
mod forecast;
mod heatmap;
mod intraday;
mod occupancy;
pub mod periods;
mod plans;
mod plot;
mod roster_coverage;
mod staffing;
mod style;
mod sweep;
mod themes;
mod units;
mod visits;
mod wait;
mod weekday_hour;

pub use backtest_days::BacktestDays;
pub use backtest_intraday::BacktestIntraday;
pub use daily::{DailyReachability, DailySeries};
pub use difference::IntradayDifference;
pub use email::EmailBacklog;
pub use fit::{FitAxis, FitCurves, FitPanel, FitSeries, FitStyle};
pub use flow::IntervalFlow;
pub use forecast::{ForecastWeekly, ForecastWeeklyChannel};
pub use intraday::{IntradayChannel, IntradayReachability};
pub use occupancy::OccupancyHeatmap;
pub use plans::{DifferenceUnit, PlanDifferences};
pub use roster_coverage::RosterCoverage;
pub use staffing::StaffingHeatmap;
pub use sweep::{SweepCurves, SweepPanel, SweepSeries, SweepUnit};
pub use themes::{ThemeBar, ThemeHoursCost};
pub use visits::VisitsByWeekday;
pub use wait::{WaitCdf, WaitCdfChannel};
pub use weekday_hour::{WeekdayHourFigure, WeekdayHourHeatmap};

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::planning::backtest::Backtest;
use crate::planning::compare::Comparison;
use crate::planning::forecast::Forecast;
use crate::planning::sweep::Sweep;
use crate::stats::RunResults;

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

/// A chart: its names, its size and how it is drawn. Implemented by each
/// chart's data struct, in the chart's own file.
pub trait Chart {
    /// File name without extension, e.g. "intraday_reachability",
    /// "occupancy_generalists" (pool names sanitised to `[a-z0-9_-]`).
    fn file_stem(&self) -> String;

    /// Human title, e.g. "Reachability by time of day".
    fn title(&self) -> String;

    /// One sentence a planner reads under the chart in the HTML report (what
    /// it shows, how to read it).
    fn caption(&self) -> String;

    /// Size of the rendered image in pixels (width, height): 1000 × 560
    /// unless the chart needs more room.
    fn size(&self) -> (u32, u32) {
        (style::WIDTH, style::HEIGHT)
    }

    /// Draws the whole chart (title, legend, plot) on `root`.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError>;
}

/// Any chart, as lists of charts hold them: [`Chart`]'s names and size,
/// and the rendered file. Every [`Chart`] is one. The two traits share
/// method names, so code that uses charts imports this one alone.
pub trait AnyChart {
    /// See [`Chart::file_stem`].
    fn file_stem(&self) -> String;
    /// See [`Chart::title`].
    fn title(&self) -> String;
    /// See [`Chart::caption`].
    fn caption(&self) -> String;
    /// See [`Chart::size`].
    fn size(&self) -> (u32, u32);
    /// The bytes of the chart as an SVG or PNG file.
    fn render(&self, format: ImageFormat) -> Result<Vec<u8>, ChartError>;
}

impl<C: Chart> AnyChart for C {
    fn file_stem(&self) -> String {
        Chart::file_stem(self)
    }

    fn title(&self) -> String {
        Chart::title(self)
    }

    fn caption(&self) -> String {
        Chart::caption(self)
    }

    fn size(&self) -> (u32, u32) {
        Chart::size(self)
    }

    fn render(&self, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
        render(self, format)
    }
}

/// The charts of a run's report, in report order: those the results have
/// data for.
pub fn of_run(results: &RunResults) -> Vec<Box<dyn AnyChart>> {
    List::default()
        .with(IntradayReachability::of(results))
        .with(IntervalFlow::of(results))
        .with(DailyReachability::of(results))
        .with(WaitCdf::of(results))
        .with(OccupancyHeatmap::of(results))
        .with(VisitsByWeekday::of(results))
        .with(WeekdayHourHeatmap::of(results))
        .with(EmailBacklog::of(results))
        .with([ThemeHoursCost::of(results)])
        .0
}

/// The chart of `ccsim compare`.
pub fn of_comparison(c: &Comparison) -> Vec<Box<dyn AnyChart>> {
    let mut charts: Vec<Box<dyn AnyChart>> = (1..c.sides().len())
        .map(|i| Box::new(IntradayDifference::of_plan(c, i)) as Box<dyn AnyChart>)
        .collect();
    charts.push(Box::new(PlanDifferences::of(c, DifferenceUnit::Share)));
    let cost = PlanDifferences::of(c, DifferenceUnit::Euro);
    if !cost.figures.is_empty() {
        charts.push(Box::new(cost));
    }
    charts
}

/// The chart of `ccsim sweep`.
pub fn of_sweep(s: &Sweep) -> Box<dyn AnyChart> {
    Box::new(SweepCurves::of(s))
}

/// The charts of `ccsim forecast`.
pub fn of_forecast(f: &Forecast) -> Vec<Box<dyn AnyChart>> {
    vec![Box::new(ForecastWeekly::of(f))]
}

/// The charts of `ccsim backtest`: per figure and channel, the days, then
/// the average day.
pub fn of_backtest(b: &Backtest) -> Vec<Box<dyn AnyChart>> {
    List::default()
        .with(BacktestDays::of(b))
        .with(BacktestIntraday::of(b))
        .0
}

/// The charts of `ccsim fit`: per theme and channel the daily volume and
/// the intraday profiles, then the handle times, then patience.
pub fn of_fit(fit: &crate::fit::FitResult) -> Vec<Box<dyn AnyChart>> {
    List::default()
        .with(FitCurves::daily(fit))
        .with(FitCurves::intraday(fit))
        .with(FitCurves::handle_time(fit))
        .with(FitCurves::patience(fit))
        .0
}

/// A list of charts under construction, in the order they are added.
#[derive(Default)]
struct List(Vec<Box<dyn AnyChart>>);

impl List {
    /// Adds `charts` (none, one or several of a kind) at the end.
    fn with<C: Chart + 'static>(mut self, charts: impl IntoIterator<Item = C>) -> Self {
        for chart in charts {
            self.0.push(Box::new(chart));
        }
        self
    }
}

/// Renders a chart to the bytes of an SVG or PNG file.
fn render<C: Chart>(chart: &C, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    style::ensure_fonts()?;
    let (width, height) = Chart::size(chart);
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
