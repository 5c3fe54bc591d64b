//! The event calendar: pending events ordered by time, then by the order they
//! were scheduled, so that simultaneous events run first-in first-out and a
//! replication is reproducible to the bit.
//!
//! The calendar is a 4-ary heap (shallower than a binary heap, so fewer
//! levels to sift through), and the event being handled stays at the top
//! until the handler schedules its first event, which takes its place: most
//! handlers schedule one event (the next arrival, the end of a service), so
//! most events cost one sift-down instead of a removal and an insertion.
//! Every key is unique (the order of scheduling is part of it), so events
//! come out in exactly the order of any other correct priority queue.

use std::cmp::Ordering;

use dary_heap::QuaternaryHeap;

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
    heap: QuaternaryHeap<Event>,
    next_seq: u64,
    /// Whether the top of the heap is the event last taken by
    /// [`EventQueue::pop`], no longer pending: the next event scheduled
    /// takes its place (or the next `pop` removes it).
    spent: bool,
}

impl EventQueue {
    /// Forgets every pending event, keeping the allocation.
    pub fn clear(&mut self) {
        self.heap.clear();
        self.next_seq = 0;
        self.spent = false;
    }

    /// Schedules `kind` at `time`.
    #[inline]
    pub fn schedule(&mut self, time: Seconds, kind: EventKind) {
        let event = Event::new(time, self.next_seq, kind);
        self.next_seq += 1;
        self.insert(event);
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
        self.insert(event);
    }

    /// Adds `event`, in the place of the spent top if there is one.
    #[inline(always)]
    fn insert(&mut self, event: Event) {
        if self.spent {
            self.spent = false;
            if let Some(mut top) = self.heap.peek_mut() {
                // Sifted down into place when `top` is dropped.
                *top = event;
                return;
            }
        }
        self.heap.push(event);
    }

    /// Takes the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<Event> {
        if self.spent {
            self.heap.pop();
        }
        let first = self.heap.peek().copied();
        self.spent = first.is_some();
        first
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len() - usize::from(self.spent)
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

    /// Handlers schedule zero, one or several events after each pop (the
    /// first takes the spent top's place), and put events back: the events
    /// still come out earliest first, ties in order of scheduling, exactly
    /// as a sorted list of the pending events says.
    #[test]
    fn pops_in_key_order_whatever_handlers_schedule() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(18);
        let mut q = EventQueue::default();
        // The pending events as (time bits, seq), kept sorted by hand.
        let mut pending: Vec<(u64, u64)> = Vec::new();
        let mut seq = 0u64;
        let kind = EventKind::LineOpen {
            line: LineId::new(0),
        };
        let mut now = 0.0f64;
        let mut schedule = |q: &mut EventQueue, pending: &mut Vec<(u64, u64)>, t: f64| {
            q.schedule(t, kind);
            pending.push((t.to_bits(), seq));
            seq += 1;
        };
        for _ in 0..5 {
            schedule(&mut q, &mut pending, rng.random_range(0.0..10.0));
        }
        let mut popped = 0;
        while popped < 20_000 {
            pending.sort_unstable();
            assert_eq!(q.len(), pending.len());
            let Some(e) = q.pop() else {
                assert!(pending.is_empty());
                break;
            };
            let (bits, s) = pending.remove(0);
            assert_eq!((e.time().to_bits(), e.seq()), (bits, s));
            assert!(e.time() >= now);
            now = e.time();
            popped += 1;
            if rng.random_range(0..50) == 0 {
                // Put back, as the loop does at the horizon.
                q.push(e);
                pending.push((bits, s));
                continue;
            }
            // Zero, one, two or three new events; some at this very instant
            // (ties), a few when few are pending to keep the queue alive.
            let n = if pending.len() < 3 {
                2
            } else {
                rng.random_range(0..4)
            };
            for _ in 0..n {
                let dt = if rng.random_range(0..4) == 0 {
                    0.0
                } else {
                    rng.random_range(0.0..300.0)
                };
                schedule(&mut q, &mut pending, now + dt);
            }
        }
        assert_eq!(popped, 20_000);
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
