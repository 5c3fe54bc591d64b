//! Ctrl-C and SIGTERM during a long run: the first one asks the run to stop
//! (no new replication starts; the ones in progress finish, and the completed
//! ones are written, marked partial); a second one, a second or more later,
//! quits at once.
//!
//! Signals that come within a second of the first count as the same one:
//! GNU `timeout` and Slurm at a time limit signal the process and then its
//! process group, so ccsim receives the same SIGTERM twice at once, and a
//! user's double tap on Ctrl-C is one wish to stop, not two.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::exit::Exit;

/// How long after the first signal a second one still counts as the same.
const SAME_SIGNAL: Duration = Duration::from_secs(1);

static STOP: AtomicBool = AtomicBool::new(false);
static FIRST: Mutex<Option<Instant>> = Mutex::new(None);

/// Installs the handler and returns the flag it sets. Without a handler
/// (it cannot be installed), Ctrl-C keeps its default effect.
pub fn install() -> &'static AtomicBool {
    let installed = ctrlc::set_handler(|| {
        let mut first = FIRST.lock().unwrap_or_else(|e| e.into_inner());
        match *first {
            None => {
                *first = Some(Instant::now());
                STOP.store(true, Ordering::SeqCst);
                eprintln!(
                    "\nstopping: no new replication starts; the ones in progress finish, then the completed ones are written, marked partial (Ctrl-C again, a second later, quits at once, writing nothing)"
                );
            }
            Some(at) if at.elapsed() < SAME_SIGNAL => {}
            Some(_) => {
                eprintln!("\nquit: nothing written");
                std::process::exit(i32::from(Exit::Interrupted.code()));
            }
        }
    });
    if let Err(e) = installed {
        eprintln!("warning: Ctrl-C will stop the run without writing anything: {e}");
    }
    &STOP
}
