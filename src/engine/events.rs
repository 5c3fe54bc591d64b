//! The event calendar: pending events ordered by time, then by the order they
//! were scheduled, so that simultaneous events run first-in first-out and a
//! replication is reproducible to the bit.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::model::Seconds;

use super::ids::{AgentId, AppointmentId, IntervalId, LineId, PoolId, RedialSlot, StreamId};

/// What happens at an instant of simulated time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// The next contact of a stream arrives.
    Arrival { stream: StreamId },
    /// An agent finishes one contact of the given kind (a chat frees one slot).
    Departure {
        pool: PoolId,
        agent: AgentId,
        chat: bool,
    },
    /// A new interval starts: staffing may change, agent time is booked.
    Interval { interval: IntervalId },
    /// A line opens: its e-mails may now be worked.
    LineOpen { line: LineId },
    /// A line closes: its waiting calls and chats are closed out.
    LineClose { line: LineId },
    /// A waiting contact's patience runs out (only for channels with
    /// redials; otherwise abandonment is applied lazily).
    Abandon { stream: StreamId, id: u32 },
    /// A planned redial (its details are kept by the engine in `slot`).
    Redial { slot: RedialSlot },
    /// A contact of `stream` has waited long enough for backup `pool`.
    Overflow { stream: StreamId, pool: PoolId },
    /// A waiting call is offered a callback.
    CallbackOffer { stream: StreamId, id: u32 },
    /// A caller transferred from another theme arrives in `stream`'s queue.
    Transfer { stream: StreamId },
    /// A visitor who checked in may be called to a desk (the engine keeps
    /// the appointment's details).
    Visit { appointment: AppointmentId },
}

/// A scheduled event.
#[derive(Debug, Clone, Copy)]
pub struct Event {
    /// Time and order of scheduling packed into one integer that orders like
    /// them: the bits of a non-negative `f64` order like its value, so one
    /// integer comparison replaces a float and an integer comparison in the
    /// heap, and the event stays small.
    key: u128,
    /// What happens.
    pub kind: EventKind,
}

impl Event {
    fn new(time: Seconds, seq: u64, kind: EventKind) -> Event {
        // Validation keeps times finite and non-negative; `max(0.0)` also
        // maps -0.0 to the bits of 0.0.
        let bits = time.max(0.0).to_bits();
        Event {
            key: (u128::from(bits) << 64) | u128::from(seq),
            kind,
        }
    }

    /// When it happens.
    #[inline]
    pub fn time(&self) -> Seconds {
        f64::from_bits((self.key >> 64) as u64)
    }

    /// Order of scheduling, the tie-breaker between equal times.
    pub fn seq(&self) -> u64 {
        self.key as u64
    }

    /// `kind` at `time` with a sequence number reserved by
    /// [`EventQueue::reserve`], to be pushed with [`EventQueue::push`] when
    /// it is due to be among the pending events.
    pub(super) fn reserved(time: Seconds, seq: u64, kind: EventKind) -> Event {
        Event::new(time, seq, kind)
    }
}

impl PartialEq for Event {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for Event {}
impl PartialOrd for Event {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Event {
    // Reversed so that the max-heap pops the earliest event.
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
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
        self.heap.push(Event::new(time, self.next_seq, kind));
        self.next_seq += 1;
    }

    /// Takes `n` sequence numbers, as if `n` events were scheduled now, and
    /// returns the first: events made with them ([`Event::reserved`]) may be
    /// pushed later and run in the order they would have run if scheduled
    /// now. The engine keeps the day's visits out of the calendar this way
    /// until each is next (see the `visits` module).
    pub(super) fn reserve(&mut self, n: u64) -> u64 {
        let first = self.next_seq;
        self.next_seq += n;
        first
    }

    /// Puts back an event taken with [`EventQueue::pop`], keeping its place
    /// (or puts in one made with [`Event::reserved`]).
    pub fn push(&mut self, event: Event) {
        self.heap.push(event);
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
    fn packed_keys_order_like_time_then_sequence() {
        let times = [0.0, 1e-9, 0.5, 1.0, 3600.0, 86_400.0 * 365.0, 1e12];
        for (i, &a) in times.iter().enumerate() {
            for &b in &times[i + 1..] {
                assert!(
                    Event::new(
                        a,
                        9,
                        EventKind::LineOpen {
                            line: LineId::new(0)
                        }
                    ) > Event::new(
                        b,
                        0,
                        EventKind::LineOpen {
                            line: LineId::new(0)
                        }
                    )
                );
            }
            assert!(
                Event::new(
                    a,
                    1,
                    EventKind::LineOpen {
                        line: LineId::new(0)
                    }
                ) > Event::new(
                    a,
                    2,
                    EventKind::LineOpen {
                        line: LineId::new(0)
                    }
                )
            );
        }
    }

    #[test]
    fn earliest_first_then_fifo() {
        let mut q = EventQueue::default();
        q.schedule(
            5.0,
            EventKind::Arrival {
                stream: StreamId::new(0),
            },
        );
        q.schedule(
            1.0,
            EventKind::Arrival {
                stream: StreamId::new(1),
            },
        );
        q.schedule(
            5.0,
            EventKind::Arrival {
                stream: StreamId::new(2),
            },
        );
        q.schedule(
            3.0,
            EventKind::LineOpen {
                line: LineId::new(0),
            },
        );
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).map(|e| e.kind).collect();
        assert_eq!(
            order,
            vec![
                EventKind::Arrival {
                    stream: StreamId::new(1)
                },
                EventKind::LineOpen {
                    line: LineId::new(0)
                },
                EventKind::Arrival {
                    stream: StreamId::new(0)
                },
                EventKind::Arrival {
                    stream: StreamId::new(2)
                },
            ]
        );
    }
}
