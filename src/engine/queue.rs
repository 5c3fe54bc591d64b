//! The queue of one stream: its contacts, first come first served, and,
//! for the streams whose line limits its queue or announces the expected
//! wait, how many of them are really waiting.
//!
//! Abandonment may be lazy (see the engine's module docs): a contact whose
//! patience has run out stays in the queue until it reaches the head or the
//! line closes. Counting the contacts really waiting by walking the queue on
//! every arrival made a swamped day quadratic in its volume, so the queue
//! keeps the count instead: the patience deadlines of its contacts in a
//! min-heap, and the number of contacts still in the queue whose deadline
//! has passed. Each contact's deadline is pushed once and popped at most
//! once, so an arrival costs `O(log n)`, and the count is exactly the one
//! the walk gave, whichever way abandonment is applied.
//!
//! A contact may also leave from the middle of the queue: an abandonment
//! event (with redials) or an accepted callback offer. Shifting the
//! contacts behind it cost a walk of half the queue on average, so a
//! contact leaving from the middle leaves its entry behind, marked removed
//! (its patience deadline set to NaN, which no contact has), and the entry
//! is dropped when it reaches the head. The head is never a removed entry,
//! so the head, the order and the positions of the other contacts are those
//! of the queue without the entry, and each entry is dropped once: `O(1)`
//! per removal instead of `O(n)`.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, VecDeque};

use crate::model::Seconds;

use super::stream::Waiting;

/// The contacts waiting in one stream's queue, oldest first.
#[derive(Debug, Default)]
pub(super) struct Queue {
    /// The contacts, and the entries of contacts removed from the middle
    /// not yet dropped; the front is never a removed entry.
    contacts: VecDeque<Waiting>,
    /// Removed entries in `contacts`.
    removed: usize,
    /// Whether [`Queue::waiting`] is asked, so the count is kept.
    counted: bool,
    /// Patience deadlines of contacts not yet found hung up, earliest
    /// first. A contact that leaves before its deadline leaves its entry
    /// behind; the entry is dropped when it comes up.
    deadlines: BinaryHeap<Reverse<Deadline>>,
    /// Contacts in the queue whose deadline is at or before `seen`: they
    /// have hung up and are not really waiting.
    hung_up: usize,
    /// When the count was last asked for (time only moves forward).
    seen: Seconds,
    /// Deadlines looked at by [`Queue::waiting`] since the last reset.
    steps: u64,
}

/// When contact `id` hangs up, ordered by time then number.
#[derive(Debug, Clone, Copy)]
struct Deadline {
    at: Seconds,
    id: u32,
}

impl PartialEq for Deadline {
    fn eq(&self, other: &Deadline) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Deadline {}

impl PartialOrd for Deadline {
    fn partial_cmp(&self, other: &Deadline) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Deadline {
    fn cmp(&self, other: &Deadline) -> Ordering {
        self.at.total_cmp(&other.at).then(self.id.cmp(&other.id))
    }
}

impl Queue {
    /// An empty queue; `counted` when [`Queue::waiting`] will be asked.
    pub(super) fn new(counted: bool) -> Queue {
        Queue {
            counted,
            seen: f64::NEG_INFINITY,
            ..Queue::default()
        }
    }

    /// Empties the queue for a new replication.
    pub(super) fn reset(&mut self) {
        self.contacts.clear();
        self.removed = 0;
        self.deadlines.clear();
        self.hung_up = 0;
        self.seen = f64::NEG_INFINITY;
        self.steps = 0;
    }

    /// Number of contacts in the queue, hung up or not.
    #[inline]
    pub(super) fn len(&self) -> usize {
        self.contacts.len() - self.removed
    }

    /// Whether no contact is in the queue (the front is never a removed
    /// entry, so entries left mean contacts left).
    #[inline]
    pub(super) fn is_empty(&self) -> bool {
        self.contacts.is_empty()
    }

    /// The oldest contact.
    #[inline]
    pub(super) fn front(&self) -> Option<&Waiting> {
        self.contacts.front()
    }

    /// The contact at position `i` of [`Queue::find`], if still there.
    #[inline]
    pub(super) fn get(&self, i: usize) -> Option<&Waiting> {
        self.contacts.get(i).filter(|c| !is_removed(c))
    }

    /// Position of the contact numbered `id`, if still there (numbers
    /// increase from the front to the back; a removed entry keeps its
    /// number, so the search is still a binary search). Positions are
    /// for [`Queue::get`] and [`Queue::remove`], not counts of contacts
    /// ahead.
    #[inline]
    pub(super) fn find(&self, id: u32) -> Option<usize> {
        let i = self.contacts.binary_search_by_key(&id, |c| c.id).ok()?;
        (!is_removed(&self.contacts[i])).then_some(i)
    }

    /// Puts `contact` at the back; its number must be above all others'.
    #[inline]
    pub(super) fn push_back(&mut self, contact: Waiting) {
        debug_assert!(!is_removed(&contact), "a patience deadline is a number");
        if self.counted {
            if contact.abandon_at <= self.seen {
                self.hung_up += 1;
            } else if contact.abandon_at.is_finite() {
                self.deadlines.push(Reverse(Deadline {
                    at: contact.abandon_at,
                    id: contact.id,
                }));
            }
        }
        self.contacts.push_back(contact);
    }

    /// Takes the oldest contact.
    #[inline]
    pub(super) fn pop_front(&mut self) -> Option<Waiting> {
        let contact = self.contacts.pop_front()?;
        if self.removed > 0 {
            self.drop_removed_front();
        }
        if self.counted {
            self.left(&contact);
        }
        Some(contact)
    }

    /// Takes the contact at position `i` of [`Queue::find`]: its entry is
    /// marked removed, and dropped when it reaches the front.
    pub(super) fn remove(&mut self, i: usize) -> Option<Waiting> {
        if i == 0 {
            return self.pop_front();
        }
        let entry = self.contacts.get_mut(i)?;
        if is_removed(entry) {
            return None;
        }
        let contact = *entry;
        entry.abandon_at = f64::NAN;
        self.removed += 1;
        if self.counted {
            self.left(&contact);
        }
        Some(contact)
    }

    /// Drops the removed entries that reached the front.
    #[inline(never)]
    fn drop_removed_front(&mut self) {
        while self.contacts.front().is_some_and(is_removed) {
            self.contacts.pop_front();
            self.removed -= 1;
        }
    }

    /// Keeps the count when `contact` has left the queue.
    #[inline]
    fn left(&mut self, contact: &Waiting) {
        if contact.abandon_at <= self.seen {
            self.hung_up -= 1;
        }
        // Every entry left belongs to a contact gone.
        if self.contacts.is_empty() {
            self.deadlines.clear();
        }
    }

    /// Contacts in the queue still waiting at `now`: those whose patience
    /// ran out by `now` may still be there (lazy abandonment) and are not
    /// counted. A queue not made `counted` walks its contacts.
    pub(super) fn waiting(&mut self, now: Seconds) -> usize {
        if !self.counted {
            self.steps += self.contacts.len() as u64;
            // A removed entry's NaN deadline is not after `now`.
            return self.contacts.iter().filter(|c| c.abandon_at > now).count();
        }
        debug_assert!(now >= self.seen, "time moves forward");
        self.seen = now;
        while let Some(&Reverse(next)) = self.deadlines.peek() {
            self.steps += 1;
            if next.at > now {
                break;
            }
            self.deadlines.pop();
            if self.find(next.id).is_some() {
                self.hung_up += 1;
            }
        }
        self.len() - self.hung_up
    }

    /// Deadlines (or contacts, in a queue not counted) looked at by
    /// [`Queue::waiting`] since the last reset.
    pub(super) fn steps(&self) -> u64 {
        self.steps
    }
}

/// Whether `entry` is that of a contact removed from the middle.
#[inline]
fn is_removed(entry: &Waiting) -> bool {
    entry.abandon_at.is_nan()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ids::{IntervalId, StreamId};
    use crate::engine::stream::Caller;
    use proptest::prelude::*;

    fn contact(id: u32, arrival: Seconds, patience: Seconds) -> Waiting {
        Waiting {
            arrival,
            abandon_at: arrival + patience,
            handle: 1.0,
            on_time_until: arrival,
            interval: IntervalId::new(0),
            id,
            caller: Caller {
                origin: StreamId::new(0),
                first_interval: IntervalId::new(0),
                attempt: 1,
                id: 1,
            },
            due: f64::NEG_INFINITY,
        }
    }

    /// What each step of a story does to the queue, in time order.
    #[derive(Debug, Clone)]
    enum Step {
        /// Time moves on by this much.
        Wait(u8),
        /// A contact joins with this patience (255: infinite).
        Join(u8),
        /// The head leaves (served, or purged if it hung up).
        Serve,
        /// The contact at this share of the queue leaves (an abandonment
        /// event or an accepted callback).
        Remove(u8),
        /// The count is asked for.
        Count,
        /// The line closes: everyone leaves.
        Close,
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0u8..20).prop_map(Step::Wait),
            any::<u8>().prop_map(Step::Join),
            Just(Step::Serve),
            any::<u8>().prop_map(Step::Remove),
            Just(Step::Count),
            Just(Step::Close),
        ]
    }

    /// What the entries say: removed ones counted right, none at the front.
    fn entries_agree(q: &Queue) -> bool {
        q.removed == q.contacts.iter().filter(|c| is_removed(c)).count()
            && q.contacts.front().is_none_or(|c| !is_removed(c))
    }

    proptest! {
        /// The kept count is the count a walk of the queue gives, and the
        /// queue is the queue of a plain list from which contacts leave
        /// from anywhere, after any story of joins, services, removals and
        /// closings.
        #[test]
        fn the_count_kept_is_the_count_walked(steps in prop::collection::vec(step(), 0..300)) {
            let mut q = Queue::new(true);
            let mut plain: Vec<Waiting> = Vec::new();
            let (mut now, mut id) = (0.0, 0);
            for s in steps {
                match s {
                    Step::Wait(d) => now += f64::from(d),
                    Step::Join(p) => {
                        let patience = if p == 255 { f64::INFINITY } else { f64::from(p % 40) };
                        q.push_back(contact(id, now, patience));
                        plain.push(contact(id, now, patience));
                        id += 1;
                    }
                    Step::Serve => {
                        let served = q.pop_front().map(|c| c.id);
                        let expected = (!plain.is_empty()).then(|| plain.remove(0).id);
                        prop_assert_eq!(served, expected);
                    }
                    Step::Remove(at) => {
                        // Anyone, by number: those still there and those gone.
                        let target = u32::from(at) * (id + 1) / 256;
                        let expected = plain.iter().position(|c| c.id == target);
                        let found = q.find(target);
                        prop_assert_eq!(found.is_some(), expected.is_some());
                        prop_assert_eq!(found.and_then(|i| q.get(i)).map(|c| c.id), expected.map(|_| target));
                        if let (Some(i), Some(k)) = (found, expected) {
                            let left = q.remove(i).map(|c| (c.id, c.abandon_at.to_bits()));
                            let c = plain.remove(k);
                            prop_assert_eq!(left, Some((c.id, c.abandon_at.to_bits())));
                            prop_assert_eq!(q.find(target), None);
                        }
                    }
                    Step::Count => {
                        let walked = plain.iter().filter(|c| c.abandon_at > now).count();
                        prop_assert_eq!(q.waiting(now), walked);
                    }
                    Step::Close => {
                        let mut closed = Vec::new();
                        while let Some(c) = q.pop_front() {
                            closed.push(c.id);
                        }
                        prop_assert_eq!(closed, plain.drain(..).map(|c| c.id).collect::<Vec<_>>());
                    }
                }
                prop_assert!(q.deadlines.len() <= id as usize);
                prop_assert!(entries_agree(&q));
                prop_assert_eq!(q.len(), plain.len());
                prop_assert_eq!(q.is_empty(), plain.is_empty());
                prop_assert_eq!(q.front().map(|c| c.id), plain.first().map(|c| c.id));
            }
        }
    }

    /// A contact leaving from the middle shifts nobody: its entry stays,
    /// marked, until it reaches the front, and the others keep their places.
    #[test]
    fn a_contact_leaving_from_the_middle_moves_nobody() {
        let mut q = Queue::new(false);
        for id in 0..10_000 {
            q.push_back(contact(id, f64::from(id), 100_000.0));
        }
        for id in (1..9_999).step_by(2) {
            let i = q.find(id).unwrap();
            assert_eq!(i, id as usize, "the others keep their places");
            assert_eq!(q.remove(i).map(|c| c.id), Some(id));
        }
        assert_eq!(
            (q.len(), q.contacts.len(), q.removed),
            (5_001, 10_000, 4_999)
        );
        assert_eq!(q.find(5), None);
        assert_eq!(q.get(5).map(|c| c.id), None);
        // The entries left behind are dropped as the front passes them.
        assert_eq!(q.pop_front().map(|c| c.id), Some(0));
        assert_eq!((q.front().map(|c| c.id), q.removed), (Some(2), 4_998));
        while q.pop_front().is_some() {}
        assert_eq!((q.len(), q.contacts.len(), q.removed), (0, 0, 0));
    }

    /// Each deadline is looked at once when it comes up, plus once per
    /// count for the next one: a long queue is not walked.
    #[test]
    fn a_count_looks_at_the_deadlines_that_came_up_only() {
        let mut q = Queue::new(true);
        for id in 0..10_000 {
            q.push_back(contact(id, f64::from(id), 100_000.0));
        }
        for t in 0..1_000 {
            assert_eq!(q.waiting(10_000.0 + f64::from(t)), 10_000);
        }
        assert_eq!(q.steps(), 1_000);
        assert_eq!(q.waiting(200_000.0), 0);
        assert_eq!(q.steps(), 1_000 + 10_000);
        q.reset();
        assert_eq!((q.len(), q.steps(), q.deadlines.len()), (0, 0, 0));
    }

    /// A queue nobody said would be asked still answers right, by a walk.
    #[test]
    fn a_queue_not_counted_walks_its_contacts() {
        let mut q = Queue::new(false);
        for id in 0..10 {
            q.push_back(contact(id, f64::from(id), 5.0));
        }
        assert_eq!(q.waiting(10.0), 4);
        assert_eq!((q.steps(), q.deadlines.len()), (10, 0));
    }
}
