//! `ccsim erlang` in the terminal: Erlang B, C and A figures of one queue,
//! and the agents each model needs for the targets.

use crate::erlang::{ErlangError, QueueFigures, erlang_a_figures, erlang_b, erlang_c_figures};
use crate::model::duration::format_duration;
use crate::planning::erlang::{Needs, Queue};
use crate::planning::target::Target;

/// The figures of the queue with `agents` agents, the service level at
/// `threshold`.
pub fn figures(q: &Queue, agents: u32, threshold: f64) -> Result<String, ErlangError> {
    let load = q.load(agents);
    let a = load.offered_erlangs();
    let mut out = format!(
        "{} arrivals/hour × {} handle time = {:.2} Erlang offered to {} agents (utilisation {:.1}%)\n\n",
        q.rate_per_hour,
        format_duration(q.aht),
        a,
        agents,
        load.utilisation() * 100.0
    );
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "model",
        "P(wait)",
        "P(abandon)",
        "reachability",
        "service level",
        "ASA",
        "occupancy",
    ]);
    t.add_row(vec![
        "Erlang B (blocked calls lost)".to_string(),
        String::new(),
        format!("{:.2}% blocked", erlang_b(a, agents) * 100.0),
        format!("{:.2}%", (1.0 - erlang_b(a, agents)) * 100.0),
        String::new(),
        String::new(),
        String::new(),
    ]);
    let row = |name: &str, f: &QueueFigures| {
        vec![
            name.to_string(),
            format!("{:.2}%", f.p_wait * 100.0),
            format!("{:.2}%", f.p_abandon * 100.0),
            format!("{:.2}%", f.reachability * 100.0),
            format!(
                "{:.2}% within {}",
                f.service_level * 100.0,
                format_duration(threshold)
            ),
            format_duration(f.asa),
            format!("{:.1}%", f.occupancy * 100.0),
        ]
    };
    match erlang_c_figures(load, threshold) {
        Ok(f) => t.add_row(row("Erlang C (infinitely patient)", &f)),
        Err(_) => t.add_row(vec![
            "Erlang C (infinitely patient)".to_string(),
            "unstable: load ≥ agents, the queue grows without bound".to_string(),
        ]),
    };
    if let Some(patience) = q.patience {
        let f = erlang_a_figures(load, patience, threshold)?;
        t.add_row(row(
            &format!("Erlang A (patience {})", format_duration(patience)),
            &f,
        ));
    }
    out += &format!("{t}\n");
    Ok(out)
}

/// The agents needed for the targets by Erlang C and Erlang A, then the
/// figures at each of those staffings.
pub fn needs(q: &Queue, targets: &[Target], n: &Needs) -> Result<String, ErlangError> {
    let names: Vec<&str> = targets.iter().map(|t| t.text.as_str()).collect();
    let shown = |x: Option<u32>| x.map_or(format!("more than {}", n.max), |x| x.to_string());
    let mut out = format!(
        "Agents needed for {} ({:.2} Erlang offered):\n  Erlang C (infinitely patient): {}\n",
        names.join(" and "),
        n.erlangs,
        shown(n.erlang_c)
    );
    match q.patience {
        Some(p) => {
            out += &format!(
                "  Erlang A (patience {}): {}\n",
                format_duration(p),
                shown(n.erlang_a)
            )
        }
        None => out += "  Erlang A: give --patience to take abandonment into account\n",
    }
    for (model, agents) in [("Erlang C", n.erlang_c), ("Erlang A", n.erlang_a)] {
        if let Some(agents) = agents {
            // The tables show the service level at the target's own threshold.
            out += &format!(
                "\nWith the {model} staffing:\n{}",
                figures(q, agents, n.shown_threshold)?
            );
        }
    }
    Ok(out)
}
