//! Per-interval counters of one replication: the engine's default recorder.
//!
//! Sized once per model and reused across replications (`reset` zeroes them
//! in place), so a replication allocates nothing.

use crate::model::{Channel, Model};

use super::recorder::{CallerOutcome, Recorder};

/// Width of a waiting-time histogram bin, seconds.
pub const WAIT_BIN: f64 = 5.0;
/// Number of histogram bins: bin 0 holds the contacts answered at once (wait
/// exactly 0, often most of them), bin `b >= 1` the waits in
/// `[(b-1) * WAIT_BIN, b * WAIT_BIN)`, and the last one every wait from two
/// hours on.
pub const WAIT_BINS: usize = 1442;

/// The histogram bin of a wait.
#[inline]
pub fn wait_bin(wait: f64) -> usize {
    if wait <= 0.0 {
        0
    } else {
        (1 + (wait / WAIT_BIN) as usize).min(WAIT_BINS - 1)
    }
}

/// Outcomes of one stream's contacts that arrived in one interval.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StreamCell {
    /// Contacts that arrived.
    pub offered: u32,
    /// Contacts picked up by an agent.
    pub answered: u32,
    /// Answered at once, without waiting (1 − immediate/offered is P(wait)).
    pub immediate: u32,
    /// Answered within the service-level threshold (calls, chats) or the SLA deadline (e-mail).
    pub on_time: u32,
    /// Callers and chatters who hung up while waiting.
    pub abandoned: u32,
    /// Contacts still waiting when the line closed.
    pub closed_out: u32,
    /// Calls and chats turned away by a full queue (busy signal).
    pub blocked: u32,
    /// Contacts still waiting when the horizon ended.
    pub left_waiting: u32,
    /// Of `left_waiting`, those whose SLA deadline had passed (e-mail).
    pub left_late: u32,
    /// Sum of the waits of answered contacts, seconds.
    pub wait_answered: f64,
    /// Sum of handle times of answered contacts and callbacks made, seconds.
    pub handled: f64,
    /// Calls that hung up on the expected-wait announcement.
    pub sent_away: u32,
    /// Calls that left the queue with a callback request.
    pub callbacks: u32,
    /// Of `callbacks`, those called back by an agent.
    pub callbacks_made: u32,
    /// Of `callbacks`, those still waiting for a callback when the horizon ended.
    pub callbacks_left: u32,
    /// Sum of the delays from request to callback of the callbacks made, seconds.
    pub callback_delay: f64,
    /// Of `offered`, the attempts that were redials.
    pub redials: u32,
    /// Of `offered`, the calls transferred from another theme.
    pub transfers_in: u32,
    /// Distinct callers whose first attempt arrived here (models with redials).
    pub callers: u32,
    /// Of `callers`, those answered at some attempt (or called back).
    pub callers_reached: u32,
    /// Of `callers`, those who gave up after a failed attempt.
    pub callers_gave_up: u32,
    /// Of `callers`, those still trying when the horizon ended.
    pub callers_pending: u32,
    /// Attempts made by `callers`, all channels together.
    pub attempts: u32,
    /// Appointments booked for a time in this interval (visit products).
    pub booked: u32,
    /// Of `booked`, the visitors who did not come (the others are `offered`).
    pub no_shows: u32,
    /// Slots left free because the citizen used the digital counter instead.
    pub deflected: u32,
    /// Of `answered`, the visitors called to a desk before their appointment time.
    pub served_early: u32,
}

/// Agent time of a pool in one interval.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PoolCell {
    /// Busy agent-seconds (a chat counts 1/concurrency).
    pub busy: f64,
    /// Agent-seconds on duty.
    pub present: f64,
    /// Scheduled agent-seconds lost to absenteeism (before shrinkage).
    pub absent: f64,
}

/// All counters of one replication.
#[derive(Debug, Clone, PartialEq)]
pub struct Counters {
    streams: usize,
    pools: usize,
    /// `[interval * streams + stream]`.
    pub cells: Vec<StreamCell>,
    /// `[interval * pools + pool]`.
    pub pool_cells: Vec<PoolCell>,
    /// `[day * streams + stream]`: contacts waiting at the end of the day.
    pub backlog: Vec<u32>,
    /// `[(day * Channel::COUNT + channel) * WAIT_BINS + bin]`: waits of answered live contacts.
    pub wait_histogram: Vec<u32>,
    /// `[channel * WAIT_BINS + bin]`: how long callers and chatters who hung
    /// up had waited, over the whole horizon.
    pub abandon_histogram: Vec<u32>,
    stream_channel: Vec<usize>,
    intervals_per_day: usize,
    /// The engine follows callers across attempts (the model has redials).
    callers_tracked: bool,
    /// Per stream: its contacts come from an appointment book.
    booked_stream: Vec<bool>,
    /// The day of the last answered contact's interval.
    day: DayCache,
}

/// The day of the intervals `start..end` (those of the last answered
/// contact), so that answering does not divide by the intervals per day for
/// every contact: contacts are answered nearly in the order of their arrival
/// intervals. A cache only, a function of the interval it was last asked
/// about: it never makes two recorders differ.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct DayCache {
    start: usize,
    end: usize,
    day: usize,
}

impl PartialEq for DayCache {
    fn eq(&self, _: &DayCache) -> bool {
        true
    }
}

impl DayCache {
    /// The day of `interval`, with `per_day` intervals a day.
    #[inline]
    pub(super) fn day(&mut self, interval: usize, per_day: usize) -> usize {
        if interval < self.start || interval >= self.end {
            self.day = interval / per_day;
            self.start = self.day * per_day;
            self.end = self.start + per_day;
        }
        self.day
    }
}

impl Counters {
    /// Zeroed counters shaped for `model`.
    pub fn new(model: &Model) -> Counters {
        let intervals = model.calendar.intervals();
        let days = model.calendar.days as usize;
        let streams = model.streams.len();
        let pools = model.pools.len();
        Counters {
            streams,
            pools,
            cells: vec![StreamCell::default(); intervals * streams],
            pool_cells: vec![PoolCell::default(); intervals * pools],
            backlog: vec![0; days * streams],
            wait_histogram: vec![0; days * Channel::COUNT * WAIT_BINS],
            abandon_histogram: vec![0; Channel::COUNT * WAIT_BINS],
            stream_channel: model.streams.iter().map(|s| s.channel.index()).collect(),
            intervals_per_day: model.calendar.intervals_per_day as usize,
            callers_tracked: model.has_redials(),
            booked_stream: model.streams.iter().map(|s| s.booked).collect(),
            // Empty: the first answered contact computes its day.
            day: DayCache {
                start: 0,
                end: 0,
                day: 0,
            },
        }
    }

    /// Zeroes every counter, keeping the buffers.
    pub fn reset(&mut self) {
        self.cells.fill(StreamCell::default());
        self.pool_cells.fill(PoolCell::default());
        self.backlog.fill(0);
        self.wait_histogram.fill(0);
        self.abandon_histogram.fill(0);
    }

    /// Number of streams the counters are shaped for.
    pub fn streams(&self) -> usize {
        self.streams
    }

    /// Number of pools the counters are shaped for.
    pub fn pools(&self) -> usize {
        self.pools
    }

    /// Counters of one stream in one interval.
    pub fn cell(&self, interval: usize, stream: usize) -> &StreamCell {
        &self.cells[interval * self.streams + stream]
    }

    /// Agent time of one pool in one interval.
    pub fn pool_cell(&self, interval: usize, pool: usize) -> &PoolCell {
        &self.pool_cells[interval * self.pools + pool]
    }

    /// Waiting-time histogram of answered contacts of one channel on one day.
    pub fn histogram(&self, day: usize, channel: Channel) -> &[u32] {
        let start = (day * Channel::COUNT + channel.index()) * WAIT_BINS;
        &self.wait_histogram[start..start + WAIT_BINS]
    }

    /// Histogram of the waits of the callers or chatters of one channel who
    /// hung up, over the horizon.
    pub fn abandon_histogram(&self, channel: Channel) -> &[u32] {
        let start = channel.index() * WAIT_BINS;
        &self.abandon_histogram[start..start + WAIT_BINS]
    }

    /// Checks, for every stream and interval, that offered = answered +
    /// abandoned + blocked + closed_out + sent_away + callbacks + left
    /// waiting, that booked = offered + no-shows (visit products), that
    /// callbacks = made + left, and that callers = reached +
    /// gave up + pending; and over the replication, when callers are
    /// followed (the model has redials), that every attempt belongs to a caller
    /// (offered = attempts) and every attempt but the first is a redial.
    /// Returns the first violation found.
    pub fn check_conservation(&self) -> Result<(), String> {
        let callers_tracked = self.callers_tracked;
        let (mut offered, mut attempts, mut callers, mut redials) = (0u64, 0u64, 0u64, 0u64);
        for (i, cell) in self.cells.iter().enumerate() {
            let (stream, interval) = (i % self.streams.max(1), i / self.streams.max(1));
            check_cell(cell, stream, interval, self.booked_stream[stream])?;
            offered += u64::from(cell.offered);
            attempts += u64::from(cell.attempts);
            callers += u64::from(cell.callers);
            redials += u64::from(cell.redials);
        }
        if callers_tracked && (offered != attempts || offered != callers + redials) {
            return Err(format!(
                "conservation of callers broken: {offered} attempts offered, but the callers made {attempts}, and {callers} callers + {redials} redials"
            ));
        }
        Ok(())
    }
}

/// Checks the identities of one cell (see `Counters::check_conservation`):
/// offered = its outcomes, on time and served early within answered,
/// booked = offered + no-shows (visit products), callbacks = made + left,
/// callers = reached + gave up + pending.
pub(super) fn check_cell(
    cell: &StreamCell,
    stream: usize,
    interval: usize,
    booked: bool,
) -> Result<(), String> {
    let accounted = u64::from(cell.answered)
        + u64::from(cell.abandoned)
        + u64::from(cell.blocked)
        + u64::from(cell.closed_out)
        + u64::from(cell.sent_away)
        + u64::from(cell.callbacks)
        + u64::from(cell.left_waiting);
    if u64::from(cell.offered) != accounted || cell.on_time > cell.answered {
        return Err(format!(
            "conservation broken for stream {stream} in interval {interval}: offered {} but answered {} + abandoned {} + blocked {} + closed_out {} + sent_away {} + callbacks {} + still waiting {}",
            cell.offered,
            cell.answered,
            cell.abandoned,
            cell.blocked,
            cell.closed_out,
            cell.sent_away,
            cell.callbacks,
            cell.left_waiting
        ));
    }
    if booked && cell.booked != cell.offered + cell.no_shows {
        return Err(format!(
            "conservation broken for stream {stream} in interval {interval}: {} appointments booked but {} visitors came + {} no-shows",
            cell.booked, cell.offered, cell.no_shows
        ));
    }
    if cell.served_early > cell.answered {
        return Err(format!(
            "stream {stream} in interval {interval}: {} visitors served early of {} served",
            cell.served_early, cell.answered
        ));
    }
    if cell.callbacks != cell.callbacks_made + cell.callbacks_left {
        return Err(format!(
            "conservation broken for stream {stream} in interval {interval}: {} callback requests but {} made + {} left",
            cell.callbacks, cell.callbacks_made, cell.callbacks_left
        ));
    }
    if cell.callers != cell.callers_reached + cell.callers_gave_up + cell.callers_pending {
        return Err(format!(
            "conservation broken for stream {stream} in interval {interval}: {} callers but {} reached + {} gave up + {} still trying",
            cell.callers, cell.callers_reached, cell.callers_gave_up, cell.callers_pending
        ));
    }
    Ok(())
}

/// Where a replication's counts go: the cell of a stream and of a pool in
/// an interval, a bin of a wait histogram, the e-mail backlog.
/// [`Counters`] hold them for the whole horizon, [`super::Rolling`] for the
/// days still open; the counting itself is one [`Recorder`] for both, below,
/// so that the two cannot count differently.
pub trait Tally {
    /// The cell of `stream`'s contacts that arrived in `interval`.
    fn cell_mut(&mut self, interval: usize, stream: usize) -> &mut StreamCell;
    /// The cell of `pool` in `interval`.
    fn pool_cell_mut(&mut self, interval: usize, pool: usize) -> &mut PoolCell;
    /// Bin `bin` of the answered-wait histogram of `channel` (its index) on
    /// the day of `interval`.
    fn wait_bin_mut(&mut self, interval: usize, channel: usize, bin: usize) -> &mut u32;
    /// Bin `bin` of the abandoned-wait histogram of `channel` (its index).
    fn abandon_bin_mut(&mut self, channel: usize, bin: usize) -> &mut u32;
    /// The backlog of `stream` at the end of `day`.
    fn backlog_mut(&mut self, day: usize, stream: usize) -> &mut u32;
    /// The index of `stream`'s channel.
    fn channel_of(&self, stream: usize) -> usize;
    /// Day `day` is over (see [`Recorder::day_ended`]).
    fn day_over(&mut self, _day: usize) {}
}

impl<T: Tally> Recorder for T {
    #[inline]
    fn offered(&mut self, stream: usize, interval: usize) {
        self.cell_mut(interval, stream).offered += 1;
    }

    #[inline]
    fn answered(&mut self, stream: usize, interval: usize, wait: f64, handle: f64, on_time: bool) {
        let cell = self.cell_mut(interval, stream);
        cell.answered += 1;
        cell.on_time += u32::from(on_time);
        cell.immediate += u32::from(wait <= 0.0);
        cell.wait_answered += wait;
        cell.handled += handle;
        let channel = self.channel_of(stream);
        if channel != Channel::Email.index() {
            *self.wait_bin_mut(interval, channel, wait_bin(wait)) += 1;
        }
    }

    #[inline]
    fn abandoned(&mut self, stream: usize, interval: usize, wait: f64) {
        self.cell_mut(interval, stream).abandoned += 1;
        let channel = self.channel_of(stream);
        *self.abandon_bin_mut(channel, wait_bin(wait)) += 1;
    }

    #[inline]
    fn blocked(&mut self, stream: usize, interval: usize) {
        self.cell_mut(interval, stream).blocked += 1;
    }

    #[inline]
    fn closed_out(&mut self, stream: usize, interval: usize, _wait: f64) {
        self.cell_mut(interval, stream).closed_out += 1;
    }

    fn left_waiting(&mut self, stream: usize, interval: usize, deadline_passed: bool) {
        let cell = self.cell_mut(interval, stream);
        cell.left_waiting += 1;
        cell.left_late += u32::from(deadline_passed);
    }

    #[inline]
    fn pool_time(&mut self, pool: usize, interval: usize, busy: f64, present: f64) {
        let cell = self.pool_cell_mut(interval, pool);
        cell.busy += busy;
        cell.present += present;
    }

    #[inline]
    fn absent(&mut self, pool: usize, interval: usize, agent_seconds: f64) {
        self.pool_cell_mut(interval, pool).absent += agent_seconds;
    }

    fn backlog(&mut self, stream: usize, day: usize, waiting: usize) {
        *self.backlog_mut(day, stream) = waiting as u32;
    }

    fn day_ended(&mut self, day: usize) {
        self.day_over(day);
    }

    #[inline]
    fn sent_away(&mut self, stream: usize, interval: usize) {
        self.cell_mut(interval, stream).sent_away += 1;
    }

    #[inline]
    fn callback_requested(&mut self, stream: usize, interval: usize, _wait: f64) {
        self.cell_mut(interval, stream).callbacks += 1;
    }

    #[inline]
    fn callback_made(&mut self, stream: usize, interval: usize, delay: f64, handle: f64) {
        let cell = self.cell_mut(interval, stream);
        cell.callbacks_made += 1;
        cell.callback_delay += delay;
        cell.handled += handle;
    }

    fn callback_left(&mut self, stream: usize, interval: usize) {
        self.cell_mut(interval, stream).callbacks_left += 1;
    }

    #[inline]
    fn transferred_in(&mut self, stream: usize, interval: usize) {
        self.cell_mut(interval, stream).transfers_in += 1;
    }

    #[inline]
    fn redialled(&mut self, stream: usize, interval: usize) {
        self.cell_mut(interval, stream).redials += 1;
    }

    fn booked(&mut self, stream: usize, interval: usize) {
        self.cell_mut(interval, stream).booked += 1;
    }

    fn no_show(&mut self, stream: usize, interval: usize) {
        self.cell_mut(interval, stream).no_shows += 1;
    }

    fn deflected(&mut self, stream: usize, interval: usize) {
        self.cell_mut(interval, stream).deflected += 1;
    }

    #[inline]
    fn served_early(&mut self, stream: usize, interval: usize) {
        self.cell_mut(interval, stream).served_early += 1;
    }

    #[inline]
    fn caller(&mut self, origin: usize, interval: usize, outcome: CallerOutcome, attempts: u32) {
        let cell = self.cell_mut(interval, origin);
        cell.callers += 1;
        cell.attempts += attempts;
        match outcome {
            CallerOutcome::Reached => cell.callers_reached += 1,
            CallerOutcome::GaveUp => cell.callers_gave_up += 1,
            CallerOutcome::Pending => cell.callers_pending += 1,
        }
    }
}

impl Tally for Counters {
    #[inline]
    fn cell_mut(&mut self, interval: usize, stream: usize) -> &mut StreamCell {
        &mut self.cells[interval * self.streams + stream]
    }

    #[inline]
    fn pool_cell_mut(&mut self, interval: usize, pool: usize) -> &mut PoolCell {
        &mut self.pool_cells[interval * self.pools + pool]
    }

    #[inline]
    fn wait_bin_mut(&mut self, interval: usize, channel: usize, bin: usize) -> &mut u32 {
        let day = self.day.day(interval, self.intervals_per_day);
        &mut self.wait_histogram[(day * Channel::COUNT + channel) * WAIT_BINS + bin]
    }

    #[inline]
    fn abandon_bin_mut(&mut self, channel: usize, bin: usize) -> &mut u32 {
        &mut self.abandon_histogram[channel * WAIT_BINS + bin]
    }

    #[inline]
    fn backlog_mut(&mut self, day: usize, stream: usize) -> &mut u32 {
        &mut self.backlog[day * self.streams + stream]
    }

    #[inline]
    fn channel_of(&self, stream: usize) -> usize {
        self.stream_channel[stream]
    }
}

#[cfg(test)]
mod tests {
    use super::DayCache;

    #[test]
    fn the_day_cache_gives_the_day_of_any_interval_in_any_order() {
        for per_day in [1usize, 7, 40, 96] {
            let mut cache = DayCache {
                start: 0,
                end: 0,
                day: 0,
            };
            // Forward, backward, repeated and jumping intervals.
            let mut x = 12345u64;
            for step in 0..5000usize {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let interval = match step % 3 {
                    0 => step,
                    1 => (x >> 33) as usize % (per_day * 300),
                    _ => step.saturating_sub(per_day),
                };
                assert_eq!(
                    cache.day(interval, per_day),
                    interval / per_day,
                    "{interval} {per_day}"
                );
            }
        }
    }
}
