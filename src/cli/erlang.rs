//! `ccsim erlang`: analytic figures of one stationary queue, or the agents
//! Erlang C and Erlang A need for targets.

use ccsim::planning::erlang::{Queue, needs};
use ccsim::report::erlang;

use super::args::ErlangArgs;
use super::exit::{Error, Exit, Outcome};

/// Runs `ccsim erlang`.
pub(super) fn run(args: ErlangArgs) -> Outcome {
    let queue = Queue {
        rate_per_hour: args.rate,
        aht: args.aht,
        patience: args.patience,
        threshold: args.threshold,
    };
    let invalid = |e: ccsim::erlang::ErlangError| Error::Invalid(e.to_string());
    let text = match args.agents {
        _ if !args.target.is_empty() => {
            let n = needs(&queue, &args.target).map_err(invalid)?;
            erlang::needs(&queue, &args.target, &n).map_err(invalid)?
        }
        Some(agents) => erlang::figures(&queue, agents, args.threshold).map_err(invalid)?,
        // clap requires --agents without --target.
        None => String::new(),
    };
    print!("{text}");
    Ok(Exit::Ok)
}
