//! The forecast as CSV: the extra agents per interval of the week, and the
//! theme's figures per week and month.

use crate::model::Weekday;

use super::Forecast;

pub fn extra_agents_csv(f: &Forecast) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header = vec!["weekday".to_string(), "start".to_string()];
    for e in &f.extra_agents {
        header.push(format!("{}_max", e.band.name()));
        header.push(format!("{}_mean", e.band.name()));
    }
    w.write_record(&header).unwrap_or_default();
    let mut keys: Vec<(usize, String)> = Vec::new();
    for e in &f.extra_agents {
        for s in &e.by_slot {
            let wd = Weekday::from_name(&s.weekday).map_or(7, |w| w.index());
            if !keys.contains(&(wd, s.start.clone())) {
                keys.push((wd, s.start.clone()));
            }
        }
    }
    keys.sort();
    for (wd, start) in keys {
        let mut rec = vec![
            Weekday::ALL.get(wd).map_or("", |w| w.name()).to_string(),
            start.clone(),
        ];
        for e in &f.extra_agents {
            match e.by_slot.iter().find(|s| {
                s.start == start && Weekday::from_name(&s.weekday).map(|w| w.index()) == Some(wd)
            }) {
                Some(s) => rec.extend([s.max.to_string(), format!("{:.2}", s.mean)]),
                None => rec.extend(["0".to_string(), "0".to_string()]),
            }
        }
        w.write_record(&rec).unwrap_or_default();
    }
    w.into_inner().unwrap_or_default()
}

/// The theme's contacts, handled hours and cost per ISO week and month, as
/// tidy CSV: one row per period, channel and metric.
pub fn periods_csv(f: &Forecast) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "period_kind",
        "period",
        "first_day",
        "last_day",
        "days",
        "channel",
        "metric",
        "low",
        "likely",
        "likely_ci_low",
        "likely_ci_high",
        "high",
    ])
    .unwrap_or_default();
    let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    for (kind, list) in [("week", &f.weeks), ("month", &f.months)] {
        for p in list {
            for b in &p.figures {
                w.write_record([
                    kind.to_string(),
                    p.period.clone(),
                    p.first_day.clone(),
                    p.last_day.clone(),
                    p.days.to_string(),
                    b.channel.clone(),
                    b.metric.clone(),
                    num(b.low.mean),
                    num(b.likely.mean),
                    num(b.likely.ci_low),
                    num(b.likely.ci_high),
                    num(b.high.mean),
                ])
                .unwrap_or_default();
            }
        }
    }
    w.into_inner().unwrap_or_default()
}
