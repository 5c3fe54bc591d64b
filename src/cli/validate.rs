//! `ccsim validate`: every problem of a scenario or theme file, without simulating.

use ccsim::scenario::theme;

use super::args::ValidateArgs;
use super::exit::{Error, Exit, Outcome};
use super::load;

/// Runs `ccsim validate`.
pub(super) fn run(args: ValidateArgs) -> Outcome {
    let sets = &args.sets.set;
    // A theme file (the input of `ccsim forecast`) is validated as one.
    if let Ok(text) = std::fs::read_to_string(&args.scenario)
        && theme::is_theme_file(&text)
    {
        let file = args.scenario.display().to_string();
        let (text, label) = if sets.is_empty() {
            (text, file.clone())
        } else {
            let edited = ccsim::scenario::overrides::apply(&text, sets)
                .map_err(|e| Error::Invalid(e.to_string()))?;
            let names: Vec<&str> = sets.iter().map(|o| o.text.as_str()).collect();
            (
                edited,
                format!("{file} with --set {}", names.join(" --set ")),
            )
        };
        let t = theme::parse(&text, &label).map_err(Error::Scenario)?;
        let channels: Vec<&str> = t.volumes.iter().map(|v| v.channel.as_str()).collect();
        println!(
            "{file}: valid theme file — theme \"{}\", served by {}, volume on {}, from {}; \
             its handle times, profiles and peaks are checked on a base scenario by \
             `ccsim forecast {file} --base SCENARIO`",
            t.name,
            t.served_by.join(", "),
            channels.join(", "),
            t.start
                .map_or("the base's first day".to_string(), |d| d.to_string()),
        );
        return Ok(Exit::Ok);
    }
    let s = load(Some(&args.scenario), sets)?;
    let m = &s.model;
    println!(
        "{}: valid — \"{}\", {} days from {}, {} line(s), {} theme(s), {} stream(s), {} pool(s)",
        args.scenario.display(),
        m.name,
        m.calendar.days,
        m.calendar.start,
        m.lines.len(),
        m.themes.len(),
        m.streams.len(),
        m.pools.len()
    );
    Ok(Exit::Ok)
}
