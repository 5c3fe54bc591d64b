//! `ccsim forecast`: a new theme's load, cost, effect on reachability and
//! extra agents, on a base scenario, in three volume cases.

use std::path::PathBuf;

use ccsim::planning::forecast::{self, Forecast, Input};
use ccsim::report;
use ccsim::report::charts::{self, ImageFormat};
use ccsim::scenario::{overrides, theme};

use super::args::ForecastArgs;
use super::diagnostics;
use super::progress::Progress;
use super::{
    EXIT_FAILURE, EXIT_INVALID, EXIT_OK, guard_bundle, load, options, terminal_colour, write_file,
};

pub(super) fn run(args: ForecastArgs) -> u8 {
    if let Some(p) = args.agent_hour_price
        && !(p.is_finite() && p >= 0.0)
    {
        eprintln!("error: --agent-hour-price must be a non-negative price, got {p}");
        return EXIT_INVALID;
    }
    if args.checks == 0 {
        eprintln!("error: --checks must be at least 1");
        return EXIT_INVALID;
    }
    let base = match load(Some(&args.base), &args.set) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path).map_err(|e| {
            eprintln!("error: cannot read {}: {e}", path.display());
            EXIT_INVALID
        })
    };
    let base_text = match read(&args.base) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let base_text = match overrides::apply(&base_text, &args.set) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
    };
    let theme_text = match read(&args.theme) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let theme_file = args.theme.display().to_string();
    let theme = match theme::parse(&theme_text, &theme_file) {
        Ok(t) => t,
        Err(e) => {
            eprint!("{}", diagnostics::render(&e));
            return EXIT_INVALID;
        }
    };
    let mut base_label = args.base.display().to_string();
    for s in &args.set {
        base_label += &format!(" --set {}", s.text);
    }
    let variants = match theme::variants(&base_text, &base_label, args.base.parent(), &theme) {
        Ok(v) => v,
        Err(e) => {
            eprint!("{}", diagnostics::render(&e));
            return EXIT_INVALID;
        }
    };
    let opts = match options(&args.run, &base, 100) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if let Err(code) = guard_bundle(
        &args.run,
        &[
            "forecast.json",
            "periods.csv",
            "extra_agents.csv",
            "forecast_weekly.{image}",
        ],
    ) {
        return code;
    }
    // Base, three cases, and up to `checks` simulations per case.
    let runs = 4 + 3 * u64::from(args.checks);
    let progress = Progress::new(runs * u64::from(opts.replications), args.run.quiet);
    let input = Input {
        base: &base,
        base_label,
        theme: &theme,
        variants: &variants,
        options: opts,
        agent_hour_price: args.agent_hour_price,
        max_checks: args.checks,
    };
    let result = forecast::forecast(&input, &|| progress.tick());
    progress.finish();
    let f = match result {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_FAILURE;
        }
    };
    print!("{}", report::forecast_table::render(&f, terminal_colour()));
    write_outputs(&f, &args)
}

fn write_outputs(f: &Forecast, args: &ForecastArgs) -> u8 {
    let json = serde_json::to_string_pretty(f).unwrap_or_default() + "\n";
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if let Some(p) = &args.run.json {
        files.push((p.clone(), json.clone().into_bytes()));
    }
    if let Some(p) = &args.run.csv {
        files.push((p.clone(), forecast::periods_csv(f)));
    }
    if let Some(dir) = &args.run.out {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("error: cannot create {}: {e}", dir.display());
            return EXIT_FAILURE;
        }
        files.push((dir.join("forecast.json"), json.into_bytes()));
        files.push((dir.join("periods.csv"), forecast::periods_csv(f)));
        files.push((dir.join("extra_agents.csv"), forecast::extra_agents_csv(f)));
        let format = if args.run.png {
            ImageFormat::Png
        } else {
            ImageFormat::Svg
        };
        for chart in charts::of_forecast(f) {
            match chart.render(format) {
                Ok(bytes) => files.push((
                    dir.join(format!("{}.{}", chart.file_stem(), format.extension())),
                    bytes,
                )),
                Err(e) => {
                    eprintln!("error: {e}");
                    return EXIT_FAILURE;
                }
            }
        }
    }
    for (path, bytes) in files {
        if let Err(code) = write_file(&path, &bytes) {
            return code;
        }
    }
    EXIT_OK
}
