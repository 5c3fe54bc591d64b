//! `ccsim serve`: the planner's workbench, a local web server.

use ccsim::workbench::{self, Limits, Options, ServeError};

use super::args::ServeArgs;
use super::exit::{Error, Exit, Outcome};

/// Runs `ccsim serve` until Ctrl-C.
pub(super) fn run(args: ServeArgs) -> Outcome {
    if args.threads == Some(0) {
        return Err(Error::Invalid("--threads must be at least 1".to_string()));
    }
    if args.max_replications == 0 || args.max_days == 0 {
        return Err(Error::Invalid(
            "--max-replications and --max-days must be at least 1".to_string(),
        ));
    }
    if !args.host.is_loopback() {
        eprintln!(
            "warning: listening on {}: other computers on the network can open the workbench, read and change the scenarios of its folder and run them, without a password; use --host 127.0.0.1 (the default) to keep it to this computer",
            args.host
        );
    }
    let options = Options {
        folder: args.folder,
        host: args.host,
        port: args.port,
        limits: Limits {
            max_body_bytes: usize::try_from(args.max_request.as_u64()).unwrap_or(usize::MAX),
            max_replications: args.max_replications,
            max_days: args.max_days,
            memory_limit: args.memory_limit,
        },
        threads: args.threads,
    };
    workbench::serve(options).map_err(|e| match e {
        ServeError::Folder(m) => Error::Invalid(m),
        e @ ServeError::Listen { .. } => Error::Invalid(e.to_string()),
        e => Error::Failed(e.to_string()),
    })?;
    Ok(Exit::Ok)
}
