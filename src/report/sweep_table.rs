//! The terminal view of a sweep: one row per point.

use comfy_table::Cell;

use crate::model::duration::format_duration;
use crate::planning::sweep::Sweep;
use crate::stats::Estimate;

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
    let live: Vec<String> = first
        .horizon
        .channels
        .keys()
        .filter(|c| c.as_str() != "email")
        .cloned()
        .collect();
    let mut header: Vec<String> = s.parameters.clone();
    header.push("total reachability [95% CI]".into());
    for c in first.horizon.channels.keys() {
        header.push(format!("{c} reachability"));
    }
    for c in &live {
        header.push(format!("{c} service level"));
        header.push(format!("{c} ASA"));
    }
    header.push("cost".into());
    for p in first.horizon.pools.keys() {
        header.push(format!("{p} occupancy"));
    }
    let mut t = new_table(
        &header.iter().map(String::as_str).collect::<Vec<_>>(),
        colour,
    );
    let mean = |e: Option<&Estimate>| e.and_then(|e| e.mean);
    for point in &s.points {
        let h = &point.horizon;
        let mut row: Vec<Cell> = point
            .settings
            .values()
            .map(|&v| Cell::new(parameter_value(v)))
            .collect();
        row.push(Cell::new(pct_ci(h.total.get("reachability"))));
        for m in h.channels.values() {
            row.push(Cell::new(
                mean(m.get("reachability")).map_or("–".into(), |x| format!("{:.1}%", x * 100.0)),
            ));
        }
        for c in &live {
            let m = h.channels.get(c);
            row.push(Cell::new(
                mean(m.and_then(|m| m.get("service_level")))
                    .map_or("–".into(), |x| format!("{:.1}%", x * 100.0)),
            ));
            row.push(Cell::new(
                mean(m.and_then(|m| m.get("asa"))).map_or("–".into(), format_duration),
            ));
        }
        row.push(Cell::new(
            mean(h.total.get("cost")).map_or("–".into(), |x| format!("€ {}", group_thousands(x))),
        ));
        for m in h.pools.values() {
            row.push(Cell::new(
                mean(m.get("occupancy")).map_or("–".into(), |x| format!("{:.1}%", x * 100.0)),
            ));
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
        for (c, m) in &h.channels {
            m.iter().for_each(|(k, e)| put("channel", "", c, k, e));
        }
        for (t, per) in &h.themes {
            for (c, m) in per {
                m.iter().for_each(|(k, e)| put("theme", t, c, k, e));
            }
        }
        for (p, m) in &h.pools {
            m.iter().for_each(|(k, e)| put("pool", p, "", k, e));
        }
        h.total.iter().for_each(|(k, e)| put("total", "", "", k, e));
    }
    w.into_inner().unwrap_or_default()
}
