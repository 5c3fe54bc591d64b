//! A fit as a scenario file: valid, commented TOML in which every fitted
//! value carries its 95% confidence interval and where it comes from, so
//! that a planner can read what the history says and what ccsim assumed.
//!
//! Without a base scenario the file has one line (the opening hours and
//! closed days found), the fitted patience per live channel, one theme per
//! theme found and one pool serving everything, staffed per weekday and
//! interval from the history's `agents` column, or else inferred with
//! Erlang A so that it reproduces the abandonment observed. With a base,
//! the base's lines, pools and everything else are kept; its themes are
//! replaced by the fitted ones and its channels get the fitted patience.
//!
//! The text is validated as any scenario file before it is written, and
//! written atomically.

use std::path::Path;

use chrono::NaiveDate;

use super::{DemandFit, FitResult, Fitted, HandleTimeFit, PatienceFit, Profile, Source};
use crate::erlang;
use crate::model::{Channel, Weekday};
use crate::scenario::{self, ScenarioErrors};

/// What, besides the fit, shapes the scenario.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions<'a> {
    /// A base scenario's text and its file name: its lines, pools and other
    /// tables are kept.
    pub base: Option<(&'a str, &'a str)>,
    /// The horizon to write (first and last date), instead of the fit period.
    pub horizon: Option<(NaiveDate, NaiveDate)>,
    /// The history files, named in the header comment.
    pub sources: Vec<String>,
}

/// Why no scenario could be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The fit has nothing to write (no demand), or a value cannot be
    /// written (not finite).
    #[error("{0}")]
    Fit(String),
    /// The base scenario is not TOML.
    #[error("the base scenario {file} is not TOML: {message}")]
    Base {
        /// Its file name.
        file: String,
        /// What the TOML parser said.
        message: String,
    },
    /// The text written does not validate (a base whose pools name themes
    /// the history does not have, a profile ccsim cannot hold ...).
    #[error("the fitted scenario is not valid:\n{0}")]
    Invalid(Box<ScenarioErrors>),
    /// The file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
}

/// Writes the scenario into `path` (atomically) once it validates; returns
/// its text. Nothing is written on error.
pub fn write(fit: &FitResult, options: &WriteOptions, path: &Path) -> Result<String, WriteError> {
    let text = scenario_text(fit, options)?;
    validate(&text, &path.display().to_string(), path.parent())?;
    crate::files::write_atomically(path, text.as_bytes()).map_err(|source| WriteError::Write {
        path: path.display().to_string(),
        source,
    })?;
    Ok(text)
}

/// Parses and validates scenario text as ccsim reads a file.
pub fn validate(text: &str, file: &str, dir: Option<&Path>) -> Result<(), WriteError> {
    let dir = dir.filter(|d| !d.as_os_str().is_empty());
    scenario::parse_str(text, file, dir)
        .map(drop)
        .map_err(|e| WriteError::Invalid(Box::new(e)))
}

/// The scenario's text (not yet validated).
pub fn scenario_text(fit: &FitResult, options: &WriteOptions) -> Result<String, WriteError> {
    if fit.demand.is_empty() {
        return Err(WriteError::Fit(
            "the history has no contacts in the fit period: there is nothing to write".into(),
        ));
    }
    let mut out = String::new();
    header(&mut out, fit, options);
    let base_rest = match options.base {
        Some((text, file)) => Some(base_remainder(text, file, fit)?),
        None => None,
    };
    let (start, end) = options.horizon.unwrap_or((fit.from, fit.to));
    w(&mut out, "[horizon]");
    if options.horizon.is_some() {
        w(
            &mut out,
            "# Given on the command line (--horizon-start, --horizon-end).",
        );
    } else {
        w(&mut out, "# The fit period.");
    }
    w(&mut out, &format!("start = {start}"));
    w(&mut out, &format!("end = {end}"));
    w(
        &mut out,
        &format!("interval = \"{}\"", duration_text(fit.interval)),
    );
    w(&mut out, "");
    match &base_rest {
        Some(rest) => {
            w(
                &mut out,
                "# ---- From the base scenario: its lines, channels (with the fitted patience), pools and the rest ----",
            );
            out.push_str(rest.trim_end());
            w(&mut out, "");
            w(&mut out, "");
        }
        None => {
            lines(&mut out, fit);
            channels(&mut out, fit)?;
            pools(&mut out, fit)?;
        }
    }
    let base_shapes = options
        .base
        .map(|(text, _)| base_handle_shapes(text))
        .unwrap_or_default();
    let base_lines = options
        .base
        .map(|(text, _)| base_theme_lines(text))
        .unwrap_or_default();
    for group in themes(fit) {
        theme(&mut out, fit, &group, &base_lines, &base_shapes)?;
    }
    Ok(out)
}

/// Appends one line.
fn w(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

fn header(out: &mut String, fit: &FitResult, options: &WriteOptions) {
    let source = match fit.source {
        Source::Contacts => "contact-level history",
        Source::Intervals => "interval-level history",
    };
    w(
        out,
        &format!(
            "# Fitted by ccsim fit {} from {source}, {} to {} ({} days).",
            env!("CARGO_PKG_VERSION"),
            fit.from,
            fit.to,
            days(fit.from, fit.to)
        ),
    );
    for s in &options.sources {
        w(out, &format!("#   {s}"));
    }
    w(
        out,
        "# Every fitted value has its 95% confidence interval (CI) beside it. Values are",
    );
    w(
        out,
        "# written in full precision so that the scenario reproduces the fit exactly.",
    );
    for warning in &fit.warnings {
        w(out, &format!("# warning: {}", one_line(warning)));
    }
    w(out, "");
    let name = match options.base {
        Some((_, file)) => format!("Fitted {}..{} on {file}", fit.from, fit.to),
        None => format!("Fitted {}..{}", fit.from, fit.to),
    };
    w(out, &format!("name = {}", quote(&name)));
    w(
        out,
        &format!(
            "description = {}",
            quote(&format!(
                "Fitted by ccsim fit from {source} of {} to {}.",
                fit.from, fit.to
            ))
        ),
    );
    w(out, "");
}

/// Days from `from` to `to`, both included.
fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days() + 1
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}

/// A number as TOML, in full precision (the shortest text that reads back
/// as the same f64).
fn num(x: f64, what: &str) -> Result<String, WriteError> {
    if x.is_finite() {
        Ok(format!("{x}"))
    } else {
        Err(WriteError::Fit(format!(
            "the fitted {what} is not a finite number ({x})"
        )))
    }
}

/// A number for a comment: three significant figures or whole.
fn show(x: f64) -> String {
    let a = x.abs();
    if !x.is_finite() {
        "–".into()
    } else if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

/// "95% CI 1163-1197".
fn ci(f: &Fitted) -> String {
    format!("95% CI {}-{}", show(f.low), show(f.high))
}

/// "15m", "1h", "90s".
fn duration_text(seconds: u32) -> String {
    if seconds.is_multiple_of(3600) {
        format!("{}h", seconds / 3600)
    } else if seconds.is_multiple_of(60) {
        format!("{}m", seconds / 60)
    } else {
        format!("{seconds}s")
    }
}

/// "09:00", "24:00".
fn clock(seconds: u32) -> String {
    format!("{:02}:{:02}", seconds / 3600, seconds % 3600 / 60)
}

fn lines(out: &mut String, fit: &FitResult) {
    w(out, "[lines.main]");
    if fit.opening.is_empty() {
        w(
            out,
            "# No live contacts in the history: ccsim's default hours (an assumption).",
        );
        w(out, "hours = { mon-fri = \"09:00-19:00\" }");
    } else {
        w(
            out,
            "# Opening hours found: the first and last interval with live contacts per weekday.",
        );
        let mut opening = fit.opening.clone();
        opening.sort_by_key(|o| o.weekday.index());
        let hours: Vec<String> = opening
            .iter()
            .map(|o| {
                format!(
                    "{} = \"{}-{}\"",
                    o.weekday.name(),
                    clock(o.open),
                    clock(o.close)
                )
            })
            .collect();
        w(out, &format!("hours = {{ {} }}", hours.join(", ")));
    }
    if !fit.closed_days.is_empty() {
        w(
            out,
            "# Working days without any live contact: closed days and public holidays found.",
        );
        let dates: Vec<String> = fit.closed_days.iter().map(|d| d.to_string()).collect();
        w(out, &format!("closed = [{}]", dates.join(", ")));
    }
    w(out, "");
}

fn channels(out: &mut String, fit: &FitResult) -> Result<(), WriteError> {
    let mut channels: Vec<Channel> = fit
        .demand
        .iter()
        .map(|d| d.channel)
        .filter(|c| matches!(c, Channel::Call | Channel::Chat))
        .collect();
    channels.extend(fit.patience.iter().map(|p| p.channel));
    channels.sort_by_key(|c| c.index());
    channels.dedup();
    for channel in channels {
        let patience = fit.patience.iter().find(|p| p.channel == channel);
        let threshold = fit.thresholds[channel.index()];
        w(out, &format!("[channels.{}]", channel.name()));
        match patience {
            Some(p) => {
                for line in patience_comments(p) {
                    w(out, &line);
                }
                w(out, &format!("patience = {}", patience_value(p)?));
            }
            None => w(
                out,
                "# No patience could be fitted (no waits in the history): these contacts never abandon.",
            ),
        }
        if let Some(t) = threshold {
            w(
                out,
                &format!("service_level_threshold = {t}  # from the history's `threshold` column"),
            );
        }
        w(out, "");
    }
    Ok(())
}

fn patience_comments(p: &PatienceFit) -> Vec<String> {
    let how = match p.source {
        Source::Contacts => format!(
            "from {} abandoned and {} censored waits (Kaplan-Meier and maximum likelihood)",
            p.abandoned, p.censored
        ),
        Source::Intervals => {
            "from the Erlang A relation P(abandon) / E[wait] (interval data)".into()
        }
    };
    let mut lines = vec![format!(
        "# Patience: mean {} s ({}), cv {} ({}), {how}.",
        show(p.mean.value),
        ci(&p.mean),
        show(p.cv.value),
        ci(&p.cv)
    )];
    if let Some(naive) = p.naive_mean {
        lines.push(format!(
            "# The naive mean of the abandoned waits, {} s, is biased low: it leaves out the callers still waiting.",
            show(naive)
        ));
    }
    lines
}

fn patience_value(p: &PatienceFit) -> Result<String, WriteError> {
    distribution(p.family.name(), p.mean.value, Some(p.cv.value), "patience")
}

/// `{ dist = "lognormal", mean = 312.5, cv = 0.8 }`; the exponential takes no cv.
fn distribution(dist: &str, mean: f64, cv: Option<f64>, what: &str) -> Result<String, WriteError> {
    let mean = num(mean, &format!("{what} mean"))?;
    Ok(match (dist, cv) {
        ("exponential", _) | (_, None) => format!("{{ dist = \"exponential\", mean = {mean} }}"),
        (dist, Some(cv)) => {
            let cv = num(cv, &format!("{what} cv"))?;
            format!("{{ dist = \"{dist}\", mean = {mean}, cv = {cv} }}")
        }
    })
}

/// The fits of one theme, in channel order; the main channel has the most
/// contacts and gives the theme's shared weights.
struct ThemeGroup<'a> {
    name: &'a str,
    fits: Vec<&'a DemandFit>,
    main: &'a DemandFit,
    /// The live channel with the most contacts: its intraday profile.
    live: Option<&'a DemandFit>,
    email: Option<&'a DemandFit>,
}

fn themes(fit: &FitResult) -> Vec<ThemeGroup<'_>> {
    let mut names: Vec<&str> = fit.demand.iter().map(|d| d.theme.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let mut fits: Vec<&DemandFit> = fit.demand.iter().filter(|d| d.theme == name).collect();
            fits.sort_by_key(|d| d.channel.index());
            let main = most(fits.iter().copied()).expect("a theme has a fit");
            let live = most(fits.iter().copied().filter(|d| d.channel.is_live()));
            let email = fits.iter().copied().find(|d| d.channel == Channel::Email);
            ThemeGroup {
                name,
                fits,
                main,
                live,
                email,
            }
        })
        .collect()
}

/// The fit with the most contacts (the first of equals).
fn most<'a>(fits: impl Iterator<Item = &'a DemandFit>) -> Option<&'a DemandFit> {
    fits.fold(None, |best: Option<&DemandFit>, d| match best {
        Some(b) if b.offered >= d.offered => Some(b),
        _ => Some(d),
    })
}

/// The weekday weights of a fit, 0 for weekdays without contacts.
fn weekday_weights(d: &DemandFit) -> [f64; 7] {
    d.weekday.map(|w| w.map_or(0.0, |f| f.value))
}

/// The mean of Monday to Friday: the scenario divides weekday weights by it.
fn workday_mean(w: &[f64; 7]) -> f64 {
    w[..5].iter().sum::<f64>() / 5.0
}

fn theme(
    out: &mut String,
    fit: &FitResult,
    g: &ThemeGroup,
    base_lines: &[(String, String)],
    base_shapes: &[HandleShape],
) -> Result<(), WriteError> {
    let key = toml_key(g.name);
    w(out, &format!("[themes.{key}]"));
    if let Some((_, line)) = base_lines.iter().find(|(t, _)| t == g.name) {
        w(
            out,
            &format!(
                "line = {}  # the theme's line in the base scenario",
                quote(line)
            ),
        );
    }
    // The scenario has one set of weekday weights per theme: those of its
    // main channel; on weekdays the line is closed only e-mail arrives, so
    // those take e-mail's weights (scaled to the main channel's open days).
    let main_w = weekday_weights(g.main);
    let open: Vec<bool> = Weekday::ALL
        .iter()
        .map(|d| fit.opening.iter().any(|o| o.weekday == *d))
        .collect();
    let mut theme_w = main_w;
    let mut from_email = [false; 7];
    if g.main.channel.is_live()
        && let Some(e) = g.email
    {
        let ew = weekday_weights(e);
        let on_open = |v: &[f64; 7]| (0..7).filter(|&i| open[i]).map(|i| v[i]).sum::<f64>();
        let k = on_open(&main_w) / on_open(&ew);
        if k.is_finite() && k > 0.0 {
            for i in (0..7).filter(|&i| !open[i] && ew[i] > 0.0) {
                theme_w[i] = ew[i] * k;
                from_email[i] = true;
            }
        }
    }
    let m = workday_mean(&theme_w);
    let sum_over = |v: &[f64; 7], live: bool| -> f64 {
        (0..7).filter(|&i| !live || open[i]).map(|i| v[i]).sum()
    };
    for d in &g.fits {
        let c = d.channel.name();
        // The scenario divides the weekday weights by their Monday-Friday
        // mean, and `per_day` is the volume of a day of weight 1: the
        // fitted per_day of a day of mean weight, times that mean.
        let (per_day, note) = if std::ptr::eq(*d, g.main) {
            (d.per_day.value * m, String::new())
        } else {
            // Another channel of the theme shares the theme's weekday
            // weights: its per_day keeps its weekly volume.
            let live = d.channel.is_live();
            let own = sum_over(&weekday_weights(d), live);
            let shared = sum_over(&theme_w, live);
            let scale = if shared > 0.0 { own / shared } else { 1.0 };
            (
                d.per_day.value * scale * m,
                format!(
                    "; weekday weights of {} (the theme's channels share them), per_day keeps this channel's weekly volume",
                    g.main.channel.name()
                ),
            )
        };
        let scale = per_day / d.per_day.value;
        let scaled = |x: f64| if scale.is_finite() { x * scale } else { x };
        let trend = match &d.trend {
            Some(t) => format!(
                "; trend {:+.1}% a month ({}, p {:.3}): the level at the end of the period",
                t.per_month.value * 100.0,
                ci(&Fitted {
                    value: t.per_month.value * 100.0,
                    low: t.per_month.low * 100.0,
                    high: t.per_month.high * 100.0,
                }),
                t.p_value
            ),
            None => String::new(),
        };
        w(
            out,
            &format!(
                "# {c}: {} contacts in {}..{}; {} per day of weekday weight 1{trend}{note}",
                d.offered,
                fit.from,
                fit.to,
                show(per_day)
            ),
        );
        w(
            out,
            &format!(
                "volume.{c} = {{ per_day = {} }}  # {}, from {} days of {}..{}",
                num(per_day, "per_day")?,
                ci(&Fitted {
                    value: per_day,
                    low: scaled(d.per_day.low),
                    high: scaled(d.per_day.high),
                }),
                d.days.len(),
                fit.from,
                fit.to
            ),
        );
    }
    // Weekday weights, rescaled to a Monday-Friday mean of 1.
    let shown: Vec<String> = Weekday::ALL
        .iter()
        .map(|day| match g.main.weekday[day.index()] {
            _ if from_email[day.index()] => format!(
                "{} {} (e-mail's, the line is closed)",
                day.name(),
                show(theme_w[day.index()] / m)
            ),
            Some(f) if m > 0.0 => format!(
                "{} {} ({}-{})",
                day.name(),
                show(f.value / m),
                show(f.low / m),
                show(f.high / m)
            ),
            _ => format!("{} –", day.name()),
        })
        .collect();
    w(
        out,
        &format!(
            "# Weekday weights of {} (95% CI), Monday-Friday mean 1: {}",
            g.main.channel.name(),
            shown.join(", ")
        ),
    );
    let weights: Vec<String> = Weekday::ALL
        .iter()
        .map(|day| {
            let x = theme_w[day.index()];
            let x = if m > 0.0 { x / m } else { x };
            num(x, "weekday weight").map(|x| format!("{} = {x}", day.name()))
        })
        .collect::<Result<_, _>>()?;
    w(
        out,
        &format!("weekday_weights = {{ {} }}", weights.join(", ")),
    );
    if let Some(u) = g.main.uncertainty_cv {
        let cv = u.value.clamp(1e-6, 2.0);
        w(
            out,
            &format!(
                "# Day-to-day volume variation beyond Poisson noise, {}{}.",
                ci(&u),
                if cv == u.value {
                    String::new()
                } else {
                    " (clamped to the scenario's range, above 0 and at most 2)".to_string()
                }
            ),
        );
        w(
            out,
            &format!(
                "uncertainty = {{ cv = {}, per = \"day\" }}",
                num(cv, "uncertainty cv")?
            ),
        );
    }
    for d in &g.fits {
        handle_time(out, g, d, base_shapes)?;
    }
    w(out, "");
    if let Some(live) = g.live {
        let others: Vec<&str> = g
            .fits
            .iter()
            .filter(|d| d.channel.is_live() && d.channel != live.channel)
            .map(|d| d.channel.name())
            .collect();
        let note = if others.is_empty() {
            String::new()
        } else {
            format!(
                " (shared with {}: the scenario has one profile for calls and chats)",
                others.join(", ")
            )
        };
        profile(
            out,
            &format!("[themes.{key}.intraday_weights]"),
            &format!("Intraday profile of {}{note}", live.channel.name()),
            live,
            true,
            fit.interval,
        )?;
    }
    if let Some(email) = g.email {
        profile(
            out,
            &format!("[themes.{key}.email_intraday_weights]"),
            "Intraday profile of e-mail (the whole day)",
            email,
            false,
            fit.interval,
        )?;
    }
    Ok(())
}

fn handle_time(
    out: &mut String,
    g: &ThemeGroup,
    d: &DemandFit,
    base_shapes: &[HandleShape],
) -> Result<(), WriteError> {
    let c = d.channel.name();
    // Interval data give the mean only: the base's family and cv for this
    // theme and channel, when it has them, keep the shape the planner chose.
    let base_shape = base_shapes
        .iter()
        .find(|s| s.theme == g.name && s.channel == c);
    let (fit, borrowed): (&HandleTimeFit, Option<&str>) = match &d.handle_time {
        Some(h) => (h, None),
        None => match g
            .fits
            .iter()
            .find_map(|o| o.handle_time.as_ref().map(|h| (h, o)))
        {
            Some((h, o)) => (h, Some(o.channel.name())),
            None => {
                return Err(WriteError::Fit(format!(
                    "theme `{}`: no handle time could be fitted on any channel (no answered contacts with a handle time)",
                    g.name
                )));
            }
        },
    };
    let mut comment = format!(
        "# Handle time of {c}: mean {} s ({})",
        show(fit.mean.value),
        ci(&fit.mean)
    );
    if let Some(cv) = fit.cv {
        comment += &format!(", cv {} ({})", show(cv.value), ci(&cv));
    }
    comment += &format!(", from {} answered contacts", fit.observations);
    if let Some(family) = fit.family {
        comment += &format!("; {} chosen by AIC", family.name());
        if let Some(second) = fit.candidates.iter().find(|k| k.family != family)
            && let Some(best) = fit.candidates.iter().find(|k| k.family == family)
        {
            comment += &format!(
                " (next: {}, ΔAIC {:.1})",
                second.family.name(),
                second.aic - best.aic
            );
        }
    } else if let Some(shape) = base_shape {
        comment += &format!(
            "; interval data gives the mean only: the base scenario's {} shape (cv {}) kept",
            shape.dist,
            show(shape.cv)
        );
    } else {
        comment += "; interval data gives the mean only: exponential assumed (cv 1)";
    }
    if let Some(other) = borrowed {
        comment += &format!("; no answered {c} contacts: the handle time of {other}");
    }
    w(out, &comment);
    let (family, cv) = match (fit.family, base_shape) {
        (Some(f), _) => (f.name(), fit.cv.map(|f| f.value)),
        (None, Some(shape)) => (shape.dist.as_str(), Some(shape.cv)),
        (None, None) => ("exponential", None),
    };
    let value = distribution(family, fit.mean.value, cv, "handle time")?;
    w(out, &format!("handle_time.{c} = {value}"));
    Ok(())
}

/// A profile table: `start`, `weights` and the weekdays' own arrays (from
/// the earliest start of them all, earlier intervals padded with 0).
fn profile(
    out: &mut String,
    table: &str,
    title: &str,
    d: &DemandFit,
    per_weekday: bool,
    interval: u32,
) -> Result<(), WriteError> {
    let own: Vec<(Weekday, &Profile)> = if per_weekday {
        Weekday::ALL
            .iter()
            .filter_map(|&day| {
                d.intraday_by_weekday[day.index()]
                    .as_ref()
                    .map(|p| (day, p))
            })
            .collect()
    } else {
        Vec::new()
    };
    let start = own
        .iter()
        .map(|(_, p)| p.start)
        .chain([d.intraday.start])
        .min()
        .unwrap_or(0);
    let interval = interval.max(1);
    let array = |p: &Profile| -> Result<String, WriteError> {
        let pad = ((p.start - start) / interval) as usize;
        let values: Vec<String> = std::iter::repeat_n("0".to_string(), pad)
            .map(Ok)
            .chain(p.weights.iter().map(|f| num(f.value, "intraday weight")))
            .collect::<Result<_, _>>()?;
        Ok(format!("[{}]", values.join(", ")))
    };
    w(out, table);
    let differ = match d.weekdays_differ_p {
        Some(p) => format!("; p-value of \"the weekdays have the same profile\": {p:.3}"),
        None => String::new(),
    };
    w(
        out,
        &format!(
            "# {title}: relative weights per {} from {}, mean 1 over the {}{differ}.",
            duration_text(interval),
            clock(start),
            if per_weekday {
                "open intervals"
            } else {
                "day's intervals"
            }
        ),
    );
    let cis: Vec<String> = d
        .intraday
        .weights
        .iter()
        .map(|f| format!("{}-{}", show(f.low), show(f.high)))
        .collect();
    w(out, &format!("# 95% CIs of `weights`: {}", cis.join(", ")));
    w(out, &format!("start = \"{}\"", clock(start)));
    w(out, &format!("weights = {}", array(&d.intraday)?));
    for (day, p) in own {
        w(
            out,
            &format!(
                "{} = {}  # this weekday's own profile",
                day.name(),
                array(p)?
            ),
        );
    }
    w(out, "");
    Ok(())
}

/// A key as TOML writes it: bare when it can be, quoted otherwise.
fn toml_key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare { name.to_string() } else { quote(name) }
}

/// The pool of a scenario without a base: every theme and channel, staffed
/// per weekday and interval.
fn pools(out: &mut String, fit: &FitResult) -> Result<(), WriteError> {
    w(out, "[pools.agents]");
    w(out, "skills = [{ themes = \"*\" }]");
    let staffing = staffing(fit);
    match staffing {
        Staffing::Table { start, days, how } => {
            for line in how {
                w(out, &format!("# {line}"));
            }
            w(out, "");
            w(out, "[pools.agents.staffing]");
            w(out, &format!("start = \"{}\"", clock(start)));
            for (day, values) in days {
                let values: Vec<String> = values.iter().map(u32::to_string).collect();
                w(out, &format!("{} = [{}]", day.name(), values.join(", ")));
            }
        }
        Staffing::Constant { agents, how } => {
            for line in how {
                w(out, &format!("# {line}"));
            }
            w(out, &format!("agents = {agents}"));
        }
    }
    w(out, "");
    Ok(())
}

enum Staffing {
    Table {
        start: u32,
        days: Vec<(Weekday, Vec<u32>)>,
        how: Vec<String>,
    },
    Constant {
        agents: u32,
        how: Vec<String>,
    },
}

/// The most agents an inferred interval may get.
const MAX_AGENTS: u32 = 100_000;

/// Staffing per weekday and interval: the history's agents when every
/// interval has them, else Erlang A agents that reproduce the abandonment
/// share observed in each interval.
fn staffing(fit: &FitResult) -> Staffing {
    let interval = f64::from(fit.interval.max(1));
    if fit.load.is_empty() {
        // Only e-mail: enough agents for its work over the line's hours.
        let work: f64 = fit
            .demand
            .iter()
            .map(|d| d.per_day.value * d.handle_time.as_ref().map_or(0.0, |h| h.mean.value))
            .sum();
        let open = 10.0 * 3600.0;
        let agents = (work / open).ceil().max(1.0) as u32;
        return Staffing::Constant {
            agents,
            how: vec![format!(
                "Staffing inferred (no live contacts): the e-mail work of a day, {} hours, over 10 opening hours.",
                show(work / 3600.0)
            )],
        };
    }
    let start = fit.load.iter().map(|l| l.start).min().unwrap_or(0);
    let given = fit.load.iter().all(|l| l.agents.is_some());
    let live: Vec<&DemandFit> = fit.demand.iter().filter(|d| d.channel.is_live()).collect();
    let weight: f64 = live.iter().map(|d| d.offered as f64).sum();
    let aht = if weight > 0.0 {
        live.iter()
            .filter_map(|d| {
                d.handle_time
                    .as_ref()
                    .map(|h| (d.offered as f64, h.mean.value))
            })
            .map(|(n, m)| n * m)
            .sum::<f64>()
            / live
                .iter()
                .filter(|d| d.handle_time.is_some())
                .map(|d| d.offered as f64)
                .sum::<f64>()
    } else {
        f64::NAN
    };
    let patience_weight: f64 = fit
        .patience
        .iter()
        .map(|p| (p.abandoned + p.censored) as f64)
        .sum();
    let patience = if patience_weight > 0.0 {
        fit.patience
            .iter()
            .map(|p| (p.abandoned + p.censored) as f64 * p.mean.value)
            .sum::<f64>()
            / patience_weight
    } else {
        f64::INFINITY
    };
    let threshold = fit
        .thresholds
        .iter()
        .flatten()
        .next()
        .map_or(60.0, |t| f64::from(*t));
    let mut days: Vec<(Weekday, Vec<u32>)> = Vec::new();
    for day in Weekday::ALL {
        let mut rows: Vec<_> = fit.load.iter().filter(|l| l.weekday == day).collect();
        if rows.is_empty() {
            continue;
        }
        rows.sort_by_key(|l| l.start);
        let last = rows.last().map_or(start, |l| l.start);
        let n = ((last - start) / fit.interval.max(1) + 1) as usize;
        let mut values = vec![0u32; n];
        for l in rows {
            let i = ((l.start - start) / fit.interval.max(1)) as usize;
            values[i] = match l.agents {
                Some(a) if given => a.round().clamp(0.0, f64::from(MAX_AGENTS)) as u32,
                _ => inferred(l.offered, l.abandoned, interval, aht, patience, threshold),
            };
        }
        days.push((day, values));
    }
    let how = if given {
        vec![
            "Staffing per weekday and interval: the mean agents of the history's `agents` column,"
                .into(),
            "rounded to whole agents.".into(),
        ]
    } else if patience.is_finite() {
        vec![
            "Staffing INFERRED (the history has no agents): per weekday and interval, the fewest agents".into(),
            format!(
                "with which Erlang A (mean handle time {} s, mean patience {} s) abandons no more than the",
                show(aht),
                show(patience)
            ),
            "share observed in that interval (at least 0.5%). Replace it with your real staffing.".into(),
        ]
    } else {
        vec![
            "Staffing INFERRED (the history has neither agents nor patience): per weekday and interval,".into(),
            format!(
                "the fewest agents with which Erlang C (mean handle time {} s) answers 80% within {} s.",
                show(aht),
                show(threshold)
            ),
            "An assumption: replace it with your real staffing.".into(),
        ]
    };
    Staffing::Table { start, days, how }
}

/// Erlang A agents for one interval's mean load.
fn inferred(
    offered: f64,
    abandoned: f64,
    interval: f64,
    aht: f64,
    patience: f64,
    threshold: f64,
) -> u32 {
    if !(offered > 0.0 && aht.is_finite() && aht > 0.0) {
        return 0;
    }
    let rate = offered / interval;
    let found = if patience.is_finite() {
        let share = (abandoned / offered).max(0.005);
        erlang::agents_for_erlang_a(rate, aht, patience, threshold, MAX_AGENTS, |f| {
            f.p_abandon <= share
        })
    } else {
        erlang::agents_for_service_level_c(rate, aht, threshold, 0.8, MAX_AGENTS)
    };
    found.unwrap_or(MAX_AGENTS)
}

/// The base scenario without its name, description, horizon and themes,
/// its channels given the fitted patience (and thresholds).
fn base_remainder(text: &str, file: &str, fit: &FitResult) -> Result<String, WriteError> {
    let mut doc: toml_edit::DocumentMut =
        text.parse()
            .map_err(|e: toml_edit::TomlError| WriteError::Base {
                file: file.to_string(),
                message: e.message().to_string(),
            })?;
    for key in ["name", "description", "horizon", "themes"] {
        doc.remove(key);
    }
    for p in &fit.patience {
        let channels = doc
            .entry("channels")
            .or_insert(toml_edit::table())
            .as_table_like_mut();
        let Some(channels) = channels else { continue };
        let table = channels
            .entry(p.channel.name())
            .or_insert(toml_edit::table());
        let Some(table) = table.as_table_like_mut() else {
            continue;
        };
        let value: toml_edit::Value = patience_value(p)?
            .parse()
            .map_err(|e: toml_edit::TomlError| WriteError::Fit(e.to_string()))?;
        let mut value = value;
        let comment = patience_comments(p).join(" ");
        value.decor_mut().set_suffix(format!("  {comment}"));
        table.insert("patience", toml_edit::Item::Value(value));
        if let Some(t) = fit.thresholds[p.channel.index()] {
            let mut v = toml_edit::Value::from(i64::from(t));
            v.decor_mut()
                .set_suffix("  # from the history's `threshold` column");
            table.insert("service_level_threshold", toml_edit::Item::Value(v));
        }
    }
    Ok(doc.to_string())
}

/// A handle-time shape of the base scenario: a family with a cv, for a
/// theme and channel.
struct HandleShape {
    theme: String,
    channel: String,
    dist: String,
    cv: f64,
}

/// The base's handle times given as lognormal, gamma or Weibull with a cv:
/// the shapes an interval-level fit (the mean only) keeps.
fn base_handle_shapes(text: &str) -> Vec<HandleShape> {
    let Ok(doc) = text.parse::<toml_edit::DocumentMut>() else {
        return Vec::new();
    };
    let Some(themes) = doc.get("themes").and_then(|t| t.as_table_like()) else {
        return Vec::new();
    };
    let mut shapes = Vec::new();
    for (theme, t) in themes.iter() {
        let Some(handle) = t
            .as_table_like()
            .and_then(|t| t.get("handle_time"))
            .and_then(|h| h.as_table_like())
        else {
            continue;
        };
        for (channel, spec) in handle.iter() {
            let Some(spec) = spec.as_table_like() else {
                continue;
            };
            let dist = spec.get("dist").and_then(|d| d.as_str());
            let cv = spec
                .get("cv")
                .and_then(|c| c.as_float().or_else(|| c.as_integer().map(|i| i as f64)));
            if let (Some(dist @ ("lognormal" | "gamma" | "weibull")), Some(cv)) = (dist, cv)
                && cv > 0.0
                && cv.is_finite()
            {
                shapes.push(HandleShape {
                    theme: theme.to_string(),
                    channel: channel.to_string(),
                    dist: dist.to_string(),
                    cv,
                });
            }
        }
    }
    shapes
}

/// The base's themes and their lines, to keep a fitted theme on its line.
fn base_theme_lines(text: &str) -> Vec<(String, String)> {
    let Ok(doc) = text.parse::<toml_edit::DocumentMut>() else {
        return Vec::new();
    };
    let Some(themes) = doc.get("themes").and_then(|t| t.as_table_like()) else {
        return Vec::new();
    };
    themes
        .iter()
        .filter_map(|(name, t)| {
            let line = t.as_table_like()?.get("line")?.as_str()?;
            Some((name.to_string(), line.to_string()))
        })
        .collect()
}
