//! The event calendar: pending events ordered by time, then by the order they
//! were scheduled, so that simultaneous events run first-in first-out and a
//! replication is reproducible to the bit.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::model::Seconds;

/// What happens at an instant of simulated time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// The next contact of a stream arrives.
    Arrival { stream: u32 },
    /// An agent finishes one contact of the given kind (a chat frees one slot).
    Departure { pool: u32, agent: u32, chat: bool },
    /// A new interval starts: staffing may change, agent time is booked.
    Interval { index: u32 },
    /// A line opens: its e-mails may now be worked.
    LineOpen { line: u32 },
    /// A line closes: its waiting calls and chats are closed out.
    LineClose { line: u32 },
}

/// A scheduled event.
#[derive(Debug, Clone, Copy)]
pub struct Event {
    /// When it happens.
    pub time: Seconds,
    /// Order of scheduling, the tie-breaker between equal times.
    pub seq: u64,
    /// What happens.
    pub kind: EventKind,
}

impl PartialEq for Event {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Event {}
impl PartialOrd for Event {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Event {
    // Reversed so that the max-heap pops the earliest event; `total_cmp`
    // gives a total order even for NaN, which validation keeps out anyway.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .time
            .total_cmp(&self.time)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// Pending events; keeps its buffer across replications.
#[derive(Debug, Default)]
pub struct EventQueue {
    heap: BinaryHeap<Event>,
    next_seq: u64,
}

impl EventQueue {
    /// Forgets every pending event, keeping the allocation.
    pub fn clear(&mut self) {
        self.heap.clear();
        self.next_seq = 0;
    }

    /// Schedules `kind` at `time`.
    #[inline]
    pub fn schedule(&mut self, time: Seconds, kind: EventKind) {
        self.heap.push(Event {
            time,
            seq: self.next_seq,
            kind,
        });
        self.next_seq += 1;
    }

    /// Takes the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<Event> {
        self.heap.pop()
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_then_fifo() {
        let mut q = EventQueue::default();
        q.schedule(5.0, EventKind::Arrival { stream: 0 });
        q.schedule(1.0, EventKind::Arrival { stream: 1 });
        q.schedule(5.0, EventKind::Arrival { stream: 2 });
        q.schedule(3.0, EventKind::LineOpen { line: 0 });
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).map(|e| e.kind).collect();
        assert_eq!(
            order,
            vec![
                EventKind::Arrival { stream: 1 },
                EventKind::LineOpen { line: 0 },
                EventKind::Arrival { stream: 0 },
                EventKind::Arrival { stream: 2 },
            ]
        );
    }
}
