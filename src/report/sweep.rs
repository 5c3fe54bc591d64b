//! A sweep (`ccsim sweep`): one row per point in the terminal, as JSON and
//! CSV, and its chart.

use comfy_table::Cell;

use crate::model::Channel;
use crate::model::duration::format_duration;
use crate::planning::sweep::Sweep;
use crate::stats::{Metric, Scope};

use super::terminal::{Colour, align_numbers, group_thousands, pct_ci, table};
use super::{OutFile, Report, charts, csv, json};

/// The files of `--out DIR`; `{image}` is `svg` or `png`.
pub const FILES: [&str; 3] = ["sweep.json", "sweep.csv", "sweep.{image}"];

impl Report for Sweep {
    fn terminal(&self, colour: Colour) -> String {
        render(self, colour)
    }

    fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        json::write_pretty(self, w)
    }

    fn csv(&self) -> Option<Vec<u8>> {
        Some(csv::sweep(self))
    }

    fn owns(&self, name: &str) -> bool {
        super::owned(&FILES, name)
    }

    fn files(&self) -> Vec<OutFile<'_>> {
        vec![
            OutFile::Json("sweep.json"),
            OutFile::Bytes("sweep.csv", csv::sweep(self)),
            OutFile::Charts("", vec![charts::of_sweep(self)]),
        ]
    }
}

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
    let mut t = table(
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
    align_numbers(&mut t, 0);
    format!(
        "{} — sweep of {}, {} replications per point, seed {} (the same random numbers at every point)\n{t}\n",
        s.scenario,
        s.parameters.join(" × "),
        s.replications,
        s.seed
    )
}
