//! Counters that hold only the days still open, folding each day into the
//! replication's figures as soon as its counters are final.
//!
//! [`Counters`](super::Counters) keep a cell per interval and stream for the
//! whole horizon: ten years of half-hours hold 175,296 intervals. Yet a
//! day's cells change only while some contact that arrived on it has no
//! outcome yet (a call waiting, an e-mail in the backlog, a callback or a
//! caller's redial still to come, a visitor booked who has not come).
//! [`Rolling`] keeps the days from the oldest such day to the newest day
//! told about, each in a block of its own; when the engine tells that a day
//! is over ([`super::Recorder::day_ended`]), the oldest days whose every contact
//! has its outcome are folded in order ([`Layout::fold_day`]): their
//! figures and those of their intervals are written in place into the
//! replication's figures, their cells added to the sums over more than one
//! day, and their block is reused. The figures are the same, bit for bit,
//! as from [`Counters`] and [`Layout::compute`]: the same cells, summed in
//! the same order.
//!
//! What may still change after a day is over, and keeps it open:
//! - a contact waiting (e-mail backlog; a call on a line open at midnight):
//!   `offered` > answered + abandoned + blocked + closed out + sent away +
//!   callbacks + left waiting;
//! - a callback not made yet: callbacks > made + left;
//! - a caller whose story has not ended (models with redials): first
//!   attempts (offered − redials) > callers told;
//! - a booked visitor who has not come yet: booked > offered + no-shows.
//!
//! Agent time is told for the interval that just ended, absences for the
//! one starting, so pools never change a past day. Visit books are told at
//! the start for the whole horizon: models with visits keep every day (as
//! [`Counters`] do) until the days are over.

use std::collections::VecDeque;

use crate::model::{Channel, Model};

use super::counters::{DayCache, PoolCell, StreamCell, Tally, WAIT_BINS, check_cell};
use super::metrics::{Cells, Folder, Layout};

/// The cells of one day: `[slot * streams + stream]`, `[slot * pools +
/// pool]`, and a waiting-time histogram per channel.
#[derive(Debug, Clone)]
struct Block {
    cells: Vec<StreamCell>,
    pools: Vec<PoolCell>,
    histogram: Vec<u32>,
}

/// The days held and the figures kept for the whole horizon: what the
/// figures of a day are read from.
#[derive(Debug)]
struct Live {
    streams: usize,
    pools: usize,
    per_day: usize,
    /// The day of `blocks[0]`: every earlier day is folded.
    first: usize,
    blocks: VecDeque<Block>,
    /// `[day * streams + stream]`: contacts waiting at the end of the day.
    backlog: Vec<u32>,
    /// `[channel * WAIT_BINS + bin]`: waits of those who hung up.
    abandon_histogram: Vec<u32>,
}

/// Counters of one replication that fold each day into its figures once
/// the day is final (see the module's documentation).
#[derive(Debug)]
pub struct Rolling<'a> {
    model: &'a Model,
    layout: &'a Layout,
    streams: usize,
    pools: usize,
    per_day: usize,
    days: usize,
    live: Live,
    /// Zeroed blocks to reuse.
    spare: Vec<Block>,
    /// The last day the engine told is over.
    ended: Option<usize>,
    stream_channel: Vec<usize>,
    callers_tracked: bool,
    booked_stream: Vec<bool>,
    day: DayCache,
    folder: Folder,
    /// The replication's figures, in layout order.
    out: Vec<f64>,
    /// Over the days folded: offered, attempts, callers, redials.
    sums: [u64; 4],
    /// The first conservation violation found, if any.
    broken: Option<String>,
    /// The most days held at once in this replication.
    peak_days: usize,
}

impl<'a> Rolling<'a> {
    /// Zeroed counters for `model`, folding into the figures of `layout`.
    pub fn new(model: &'a Model, layout: &'a Layout) -> Rolling<'a> {
        let streams = model.streams.len();
        Rolling {
            model,
            layout,
            streams,
            pools: model.pools.len(),
            per_day: model.calendar.intervals_per_day as usize,
            days: model.calendar.days as usize,
            live: Live {
                streams,
                pools: model.pools.len(),
                per_day: model.calendar.intervals_per_day as usize,
                first: 0,
                blocks: VecDeque::new(),
                backlog: vec![0; model.calendar.days as usize * streams],
                abandon_histogram: vec![0; Channel::COUNT * WAIT_BINS],
            },
            spare: Vec::new(),
            ended: None,
            stream_channel: model.streams.iter().map(|s| s.channel.index()).collect(),
            callers_tracked: model.has_redials(),
            booked_stream: model.streams.iter().map(|s| s.booked).collect(),
            day: DayCache::default(),
            folder: layout.folder(model),
            out: vec![f64::NAN; layout.entries.len()],
            sums: [0; 4],
            broken: None,
            peak_days: 0,
        }
    }

    /// Zeroes every counter for a new replication, keeping the buffers.
    pub fn reset(&mut self) {
        while let Some(block) = self.live.blocks.pop_front() {
            self.give_back(block);
        }
        self.live.first = 0;
        self.ended = None;
        self.live.backlog.fill(0);
        self.live.abandon_histogram.fill(0);
        self.day = DayCache::default();
        self.folder.clear();
        self.out.fill(f64::NAN);
        self.sums = [0; 4];
        self.broken = None;
        self.peak_days = 0;
    }

    /// The most days held at once in the replication.
    pub fn peak_days(&self) -> usize {
        self.peak_days
    }

    /// Folds every day left (the horizon has ended) and returns the
    /// replication's figures in layout order, or the first conservation
    /// violation found (see `Counters::check_conservation`).
    pub fn finish(&mut self) -> Result<&[f64], String> {
        while self.folder.folded() < self.days {
            self.fold_first();
        }
        self.layout
            .finish(self.model, &self.live, &self.folder, &mut self.out);
        if let Some(message) = self.broken.take() {
            return Err(message);
        }
        let [offered, attempts, callers, redials] = self.sums;
        if self.callers_tracked && (offered != attempts || offered != callers + redials) {
            return Err(format!(
                "conservation of callers broken: {offered} attempts offered, but the callers made {attempts}, and {callers} callers + {redials} redials"
            ));
        }
        Ok(&self.out)
    }

    fn give_back(&mut self, mut block: Block) {
        block.cells.fill(StreamCell::default());
        block.pools.fill(PoolCell::default());
        block.histogram.fill(0);
        self.spare.push(block);
    }

    fn new_block(&mut self) -> Block {
        self.spare.pop().unwrap_or_else(|| Block {
            cells: vec![StreamCell::default(); self.per_day * self.streams],
            pools: vec![PoolCell::default(); self.per_day * self.pools],
            histogram: vec![0; Channel::COUNT * WAIT_BINS],
        })
    }

    /// The block of `day`, made (and the days before it) if it is new.
    #[inline]
    fn block_mut(&mut self, day: usize) -> &mut Block {
        if day < self.live.first {
            // Never happens: a day is folded only when nothing can change it.
            self.broken
                .get_or_insert_with(|| format!("day {day} changed after its figures were taken"));
            // Count into a scratch block, so that nothing is lost silently.
            if self.live.blocks.is_empty() {
                let block = self.new_block();
                self.live.blocks.push_back(block);
            }
            return &mut self.live.blocks[0];
        }
        let k = day - self.live.first;
        while self.live.blocks.len() <= k {
            let block = self.new_block();
            self.live.blocks.push_back(block);
        }
        self.peak_days = self.peak_days.max(self.live.blocks.len());
        &mut self.live.blocks[k]
    }

    /// Whether every contact of the oldest day held has its outcome.
    fn first_settled(&self) -> bool {
        let Some(block) = self.live.blocks.front() else {
            return true;
        };
        let mut first_attempts = 0i64;
        let mut callers = 0i64;
        for (k, c) in block.cells.iter().enumerate() {
            let ended = u64::from(c.answered)
                + u64::from(c.abandoned)
                + u64::from(c.blocked)
                + u64::from(c.closed_out)
                + u64::from(c.sent_away)
                + u64::from(c.callbacks)
                + u64::from(c.left_waiting);
            if u64::from(c.offered) > ended
                || c.callbacks > c.callbacks_made + c.callbacks_left
                || (self.booked_stream[k % self.streams.max(1)]
                    && c.booked > c.offered + c.no_shows)
            {
                return false;
            }
            first_attempts += i64::from(c.offered) - i64::from(c.redials);
            callers += i64::from(c.callers);
        }
        !self.callers_tracked || callers >= first_attempts
    }

    /// Folds the oldest day held (a zero day if none is held).
    fn fold_first(&mut self) {
        if self.live.blocks.is_empty() {
            let block = self.new_block();
            self.live.blocks.push_back(block);
        }
        let d = self.live.first;
        let interval0 = d * self.per_day;
        {
            let block = &self.live.blocks[0];
            for (k, cell) in block.cells.iter().enumerate() {
                let (slot, stream) = (k / self.streams.max(1), k % self.streams.max(1));
                if self.broken.is_none()
                    && let Err(message) =
                        check_cell(cell, stream, interval0 + slot, self.booked_stream[stream])
                {
                    self.broken = Some(message);
                }
                self.sums[0] += u64::from(cell.offered);
                self.sums[1] += u64::from(cell.attempts);
                self.sums[2] += u64::from(cell.callers);
                self.sums[3] += u64::from(cell.redials);
            }
        }
        self.layout
            .fold_day(self.model, &self.live, &mut self.folder, &mut self.out);
        if let Some(block) = self.live.blocks.pop_front() {
            self.give_back(block);
        }
        self.live.first += 1;
    }

    /// Folds the oldest days, in order, while they are over and settled.
    fn fold_settled(&mut self) {
        let Some(ended) = self.ended else { return };
        while self.live.first <= ended && self.live.first < self.days && self.first_settled() {
            self.fold_first();
        }
    }
}

impl Cells for Live {
    fn cell(&self, interval: usize, stream: usize) -> &StreamCell {
        let day = interval / self.per_day;
        &self.blocks[day - self.first].cells
            [(interval - day * self.per_day) * self.streams + stream]
    }

    fn pool_cell(&self, interval: usize, pool: usize) -> &PoolCell {
        let day = interval / self.per_day;
        &self.blocks[day - self.first].pools[(interval - day * self.per_day) * self.pools + pool]
    }

    fn histogram(&self, day: usize, channel: Channel) -> &[u32] {
        let start = channel.index() * WAIT_BINS;
        &self.blocks[day - self.first].histogram[start..start + WAIT_BINS]
    }

    fn backlog(&self, day: usize, stream: usize) -> u32 {
        self.backlog[day * self.streams + stream]
    }

    fn abandon_histogram(&self, channel: Channel) -> &[u32] {
        let start = channel.index() * WAIT_BINS;
        &self.abandon_histogram[start..start + WAIT_BINS]
    }
}

impl Tally for Rolling<'_> {
    #[inline]
    fn cell_mut(&mut self, interval: usize, stream: usize) -> &mut StreamCell {
        let day = self.day.day(interval, self.per_day);
        let slot = interval - day * self.per_day;
        let streams = self.streams;
        &mut self.block_mut(day).cells[slot * streams + stream]
    }

    #[inline]
    fn pool_cell_mut(&mut self, interval: usize, pool: usize) -> &mut PoolCell {
        let day = self.day.day(interval, self.per_day);
        let slot = interval - day * self.per_day;
        let pools = self.pools;
        &mut self.block_mut(day).pools[slot * pools + pool]
    }

    #[inline]
    fn wait_bin_mut(&mut self, interval: usize, channel: usize, bin: usize) -> &mut u32 {
        let day = self.day.day(interval, self.per_day);
        &mut self.block_mut(day).histogram[channel * WAIT_BINS + bin]
    }

    #[inline]
    fn abandon_bin_mut(&mut self, channel: usize, bin: usize) -> &mut u32 {
        &mut self.live.abandon_histogram[channel * WAIT_BINS + bin]
    }

    #[inline]
    fn backlog_mut(&mut self, day: usize, stream: usize) -> &mut u32 {
        &mut self.live.backlog[day * self.streams + stream]
    }

    #[inline]
    fn channel_of(&self, stream: usize) -> usize {
        self.stream_channel[stream]
    }

    fn day_over(&mut self, day: usize) {
        self.ended = Some(day);
        self.fold_settled();
    }
}
