//! The progress bar of long runs: on stderr, only on a terminal, only once a
//! run has lasted a second (short runs print nothing but their results).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar counting replications, safe to tick from worker threads.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    shown: AtomicBool,
    wanted: bool,
}

impl Progress {
    /// A bar for `total` replications; `quiet` hides it for good.
    pub fn new(total: u64, quiet: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} replications {pos}/{len} [{bar:30}] {per_sec} ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        Progress {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
            wanted: !quiet && std::io::stderr().is_terminal(),
        }
    }

    /// One more replication done.
    pub fn tick(&self) {
        self.bar.inc(1);
        if self.wanted
            && self.started.elapsed() > Duration::from_secs(1)
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(Duration::from_millis(200));
        }
    }

    /// Removes the bar before results are printed.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
