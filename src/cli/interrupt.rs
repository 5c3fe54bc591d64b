//! Ctrl-C and SIGTERM during a long run: the first one asks the run to stop
//! (no new replication starts; the ones in progress finish, and the completed
//! ones are written, marked partial); the second one quits at once.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// Exit code after Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

static STOP: AtomicBool = AtomicBool::new(false);
static SIGNALS: AtomicU32 = AtomicU32::new(0);

/// Installs the handler and returns the flag it sets. Without a handler
/// (it cannot be installed), Ctrl-C keeps its default effect.
pub fn install() -> &'static AtomicBool {
    let installed = ctrlc::set_handler(|| {
        if SIGNALS.fetch_add(1, Ordering::SeqCst) == 0 {
            STOP.store(true, Ordering::SeqCst);
            eprintln!(
                "\nstopping: no new replication starts; the ones in progress finish, then the completed ones are written, marked partial (Ctrl-C again quits at once, writing nothing)"
            );
        } else {
            eprintln!("\nquit: nothing written");
            std::process::exit(i32::from(EXIT_INTERRUPTED));
        }
    });
    if let Err(e) = installed {
        eprintln!("warning: Ctrl-C will stop the run without writing anything: {e}");
    }
    &STOP
}
