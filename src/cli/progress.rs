//! The progress bar of long runs, and the spinner of a staffing search: on
//! stderr, only on a terminal, only once the work has lasted a second (short
//! runs print nothing but their results).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use ccsim::planning::Progress as Search;

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

/// A spinner naming the simulation under way, on a terminal only, once the
/// search has lasted a second.
pub struct Spinner {
    bar: ProgressBar,
    started: Instant,
    shown: AtomicBool,
    wanted: bool,
}

impl Spinner {
    /// A spinner; `quiet` hides it for good.
    pub fn new(quiet: bool) -> Spinner {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        Spinner {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
            wanted: !quiet && std::io::stderr().is_terminal(),
        }
    }

    /// Names the simulation under way.
    pub fn show(&self, p: Search) {
        if let Search::Iteration {
            number,
            phase,
            agent_hours,
        } = p
        {
            self.bar.set_message(format!(
                "simulation {number} ({phase}), {agent_hours:.0} agent hours"
            ));
        }
        if self.wanted
            && self.started.elapsed() > Duration::from_secs(1)
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(Duration::from_millis(200));
        }
    }

    /// Removes the spinner before results are printed.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
