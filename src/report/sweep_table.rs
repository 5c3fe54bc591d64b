//! The terminal view of a sweep: one row per point.

use comfy_table::Cell;

use crate::model::Channel;
use crate::model::duration::format_duration;
use crate::planning::sweep::Sweep;
use crate::stats::{Estimate, Metric, Scope};

use super::table::{Colour, group_thousands, new_table, pct_ci};

fn parameter_value(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// The sweep for the terminal: per point, the total and per-channel
/// reachability with CI, the calls' service level and ASA, cost and the
/// pools' occupancy.
pub fn render(s: &Sweep, colour: Colour) -> String {
    let first = match s.points.first() {
        Some(p) => p,
        None => return "no points\n".to_string(),
    };
    let channels = first.horizon.channels();
    let live: Vec<Channel> = channels
        .iter()
        .copied()
        .filter(|&c| c != Channel::Email)
        .collect();
    let pools = first.horizon.pools();
    let mut header: Vec<String> = s.parameters.clone();
    header.push("total reachability [95% CI]".into());
    for c in &channels {
        header.push(format!("{} reachability", c.name()));
    }
    for c in &live {
        header.push(format!("{} service level", c.name()));
        header.push(format!("{} ASA", c.name()));
    }
    header.push("cost".into());
    for &p in &pools {
        header.push(format!("{} occupancy", first.horizon.names.pools[p]));
    }
    let mut t = new_table(
        &header.iter().map(String::as_str).collect::<Vec<_>>(),
        colour,
    );
    let share = |e: Option<f64>| e.map_or("–".into(), |x| format!("{:.1}%", x * 100.0));
    for point in &s.points {
        let h = &point.horizon;
        let mean = |scope, metric| h.horizon(scope, metric).and_then(|e| e.mean);
        let mut row: Vec<Cell> = point
            .settings
            .values()
            .map(|&v| Cell::new(parameter_value(v)))
            .collect();
        row.push(Cell::new(pct_ci(
            h.horizon(Scope::Total, Metric::Reachability),
        )));
        for c in h.channels() {
            row.push(Cell::new(share(mean(
                Scope::Channel(c),
                Metric::Reachability,
            ))));
        }
        for &c in &live {
            row.push(Cell::new(share(mean(
                Scope::Channel(c),
                Metric::ServiceLevel,
            ))));
            row.push(Cell::new(
                mean(Scope::Channel(c), Metric::Asa).map_or("–".into(), format_duration),
            ));
        }
        row.push(Cell::new(
            mean(Scope::Total, Metric::Cost)
                .map_or("–".into(), |x| format!("€ {}", group_thousands(x))),
        ));
        for p in h.pools() {
            row.push(Cell::new(share(mean(Scope::Pool(p), Metric::Occupancy))));
        }
        t.add_row(row);
    }
    super::table::align_numbers(&mut t, 0);
    format!(
        "{} — sweep of {}, {} replications per point, seed {} (the same random numbers at every point)\n{t}\n",
        s.scenario,
        s.parameters.join(" × "),
        s.replications,
        s.seed
    )
}

/// The sweep as a tidy CSV: one row per point × scope × metric.
pub fn to_csv(s: &Sweep) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header = s.parameters.clone();
    for col in [
        "scope", "name", "channel", "metric", "mean", "ci_low", "ci_high", "p5", "p50", "p95", "n",
    ] {
        header.push(col.to_string());
    }
    // Writing into memory cannot fail.
    w.write_record(&header).unwrap_or_default();
    let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    for point in &s.points {
        let params: Vec<String> = point.settings.values().map(|v| v.to_string()).collect();
        let mut put = |scope: &str, name: &str, channel: &str, metric: &str, e: &Estimate| {
            let mut rec = params.clone();
            rec.extend([scope, name, channel, metric].map(str::to_string));
            rec.extend([e.mean, e.ci_low, e.ci_high, e.p5, e.p50, e.p95].map(num));
            rec.push(e.n.to_string());
            w.write_record(&rec).unwrap_or_default();
        };
        let h = &point.horizon;
        let names = &h.names;
        // Lines are left out: the sweep's table is about channels, themes,
        // pools and the total.
        for (e, x) in h.figures() {
            let metric = e.metric.name();
            match e.scope {
                Scope::Channel(c) => put("channel", "", c.name(), metric, x),
                Scope::Theme(t, c) => put("theme", &names.themes[t], c.name(), metric, x),
                Scope::Pool(p) => put("pool", &names.pools[p], "", metric, x),
                Scope::Total => put("total", "", "", metric, x),
                Scope::Line(..) => {}
            }
        }
    }
    w.into_inner().unwrap_or_default()
}
