//! Opening hours: a line opens (its e-mail may be worked, idle agents look
//! for it) and closes (the calls and chats still waiting are closed out,
//! visitors inside are served by the desks still on duty).

use crate::model::Channel;
use crate::model::Seconds;
use crate::model::calendar::DAY;
use crate::stats::{Ended, Recorder};

use super::ids::LineId;
use super::{Engine, EventKind, Router};

/// The horizon day that instant `t` falls in (0 for instants before the horizon).
#[inline]
fn day_of(t: Seconds) -> u32 {
    // A float-to-integer `as` saturates: negative instants give day 0.
    (t / DAY) as u32
}

impl<P: Router> Engine<'_, P> {
    /// Schedules the first opening of `line` at or after `from` (strictly
    /// after when `strict`, for the reopening after a close).
    pub(super) fn schedule_next_open(&mut self, line: usize, from: Seconds, strict: bool) {
        for day in day_of(from)..self.model.calendar.days {
            if let Some((open, _)) = self.model.line_window(line, day)
                && (open > from || (!strict && open == from))
            {
                self.events.schedule(
                    open,
                    EventKind::LineOpen {
                        line: LineId::new(line),
                    },
                );
                return;
            }
        }
    }

    /// `t` if `line` is open then, else its next opening within the horizon.
    pub(super) fn open_at_or_after(&self, line: usize, t: Seconds) -> Option<Seconds> {
        // A window may have opened the day before and run past midnight.
        for day in day_of(t).saturating_sub(1)..self.model.calendar.days {
            if let Some((open, close)) = self.model.line_window(line, day) {
                if open <= t && t < close {
                    return Some(t);
                }
                if open > t {
                    return Some(open);
                }
            }
        }
        None
    }

    /// `line` opens: its close is scheduled, and idle agents look for work.
    pub(super) fn on_line_open<R: Recorder>(
        &mut self,
        line: usize,
        now: Seconds,
        recorder: &mut R,
    ) {
        self.line_open[line] = true;
        let mut day = day_of(now);
        // A line open until midnight and again from midnight (24/7 service)
        // stays open: its queue is not closed out at midnight.
        while let Some((_, close)) = self.model.line_window(line, day) {
            let continues = close >= f64::from(day + 1) * DAY
                && day + 1 < self.model.calendar.days
                && self
                    .model
                    .line_window(line, day + 1)
                    .is_some_and(|(open, _)| open <= close);
            if !continues {
                self.events.schedule(
                    close,
                    EventKind::LineClose {
                        line: LineId::new(line),
                    },
                );
                break;
            }
            day += 1;
        }
        for p in 0..self.pools.len() {
            self.dispatch_idle(p, now, recorder);
        }
    }

    /// `line` closes: its calls and chats still waiting are closed out (or
    /// counted as abandoned if their patience had run out), and its next
    /// opening is scheduled.
    pub(super) fn on_line_close<R: Recorder>(
        &mut self,
        line: usize,
        now: Seconds,
        recorder: &mut R,
    ) {
        self.line_open[line] = false;
        for s in 0..self.queues.len() {
            if self.streams[s].line != line || !self.streams[s].channel.is_live() {
                continue;
            }
            // Visitors inside are served by the desks still on duty.
            if self.streams[s].channel == Channel::Visit && self.desk_on_duty(s) {
                continue;
            }
            while let Some(c) = self.queues[s].pop_front() {
                if c.abandon_at <= now {
                    self.abandoned(s, c, recorder);
                } else {
                    recorder.closed_out(s, c.interval.index(), now - c.arrival);
                    Self::tell_end(
                        s,
                        &c,
                        Ended::ClosedOut,
                        now - c.arrival,
                        None,
                        None,
                        recorder,
                    );
                    recorder.sojourn(s, c.arrival, now);
                    self.failed(s, c, now, recorder);
                }
            }
        }
        self.schedule_next_open(line, now, true);
    }
}
