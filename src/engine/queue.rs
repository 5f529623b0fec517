//! The future-event list: a binary heap ordered by `(time, class, sequence)`.
//!
//! This one comparator is the whole same-time ordering contract (see the [`engine`](super)
//! module docs): earlier time first; at equal times the lower [`EventClass`] first; at equal time
//! and class, the event scheduled first runs first. Cancellation is lazy: a cancelled key is
//! remembered and its event is skipped when it reaches the top.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};

use super::time::SimTime;

/// Same-time priority class of an event: lower classes run first at the same instant.
///
/// The engine defines three classes and models choose among them. "Releases before seizes" is
/// the rule they encode: a unit freed at time `t` is visible to an arrival at the same `t`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum EventClass {
    /// Capacity changes and releases: shift starts and ends, repairs, service completions.
    Release = 0,
    /// Ordinary events: arrivals, requests, decisions.
    #[default]
    Normal = 1,
    /// Bookkeeping that must see the state after everything else at that instant
    /// (end-of-day snapshots, daily counters).
    Observe = 2,
}

/// Identifies one scheduled event so it can be cancelled. Dropping a key is harmless, but if a
/// key was asked for the caller usually needs it, hence `must_use`.
#[must_use = "an EventKey is only useful to cancel the event; use the unkeyed scheduling call otherwise"]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EventKey(u64);

/// Bits of the sort key below the class: the insertion sequence (2^62 events is out of reach).
const SEQ_BITS: u32 = 62;
const SEQ_MASK: u64 = (1 << SEQ_BITS) - 1;

/// A pending event. `(time, class, seq)` is packed into one `u128` sort key, time in the high 64
/// bits, then the class in 2 bits, then the sequence number, so that comparing keys as integers
/// is exactly the lexicographic `(time, class, seq)` order, in one comparison instead of three
/// (the heap compares on every push and pop; this was its main cost in the profile).
struct Entry<E> {
    key: u128,
    event: E,
}

impl<E> Entry<E> {
    fn new(time: SimTime, class: EventClass, seq: u64, event: E) -> Self {
        debug_assert!(seq <= SEQ_MASK, "event sequence number overflow");
        let tie = ((class as u64) << SEQ_BITS) | (seq & SEQ_MASK);
        Entry {
            key: (u128::from(time.as_ms()) << 64) | u128::from(tie),
            event,
        }
    }

    fn time(&self) -> SimTime {
        SimTime::from_ms((self.key >> 64) as u64)
    }

    fn seq(&self) -> u64 {
        self.key as u64 & SEQ_MASK
    }
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the earliest entry.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

/// Pending events in firing order. Scheduling and popping are `O(log n)`.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    next_seq: u64,
    cancelled: HashSet<u64>,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            next_seq: 0,
            cancelled: HashSet::new(),
        }
    }
}

impl<E> EventQueue<E> {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `event` at `time` in `class`; returns its key.
    pub fn push(&mut self, time: SimTime, class: EventClass, event: E) -> EventKey {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Entry::new(time, class, seq, event));
        EventKey(seq)
    }

    /// Marks the event with `key` so it never fires. Cancelling an event that already fired or
    /// was already cancelled does nothing.
    pub fn cancel(&mut self, key: EventKey) {
        if key.0 < self.next_seq {
            self.cancelled.insert(key.0);
        }
    }

    /// The time of the next live event, if any.
    pub fn peek_time(&mut self) -> Option<SimTime> {
        self.drop_cancelled_top();
        self.heap.peek().map(Entry::time)
    }

    /// Removes and returns the next live event with its time.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.drop_cancelled_top();
        self.heap.pop().map(|e| (e.time(), e.event))
    }

    /// Number of pending entries, cancelled ones not yet discarded included.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    fn drop_cancelled_top(&mut self) {
        if self.cancelled.is_empty() {
            return;
        }
        while let Some(top) = self.heap.peek() {
            if self.cancelled.remove(&top.seq()) {
                self.heap.pop();
            } else {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_time_then_class_then_insertion() {
        let mut q = EventQueue::new();
        let t = SimTime::from_ms;
        let _ = q.push(t(10), EventClass::Normal, "b-normal-first");
        let _ = q.push(t(5), EventClass::Observe, "a");
        let _ = q.push(t(10), EventClass::Observe, "d-observe");
        let _ = q.push(t(10), EventClass::Normal, "c-normal-second");
        let _ = q.push(t(10), EventClass::Release, "release");
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).map(|(_, e)| e).collect();
        assert_eq!(
            order,
            [
                "a",
                "release",
                "b-normal-first",
                "c-normal-second",
                "d-observe"
            ]
        );
    }

    #[test]
    fn packed_key_keeps_the_order_at_extreme_values() {
        // Time dominates class and sequence, class dominates sequence, even at the extremes.
        let late = Entry::new(SimTime::from_ms(u64::MAX), EventClass::Release, 0, ());
        let early = Entry::new(
            SimTime::from_ms(u64::MAX - 1),
            EventClass::Observe,
            SEQ_MASK,
            (),
        );
        assert!(early.key < late.key);
        let release = Entry::new(SimTime::from_ms(7), EventClass::Release, SEQ_MASK, ());
        let normal = Entry::new(SimTime::from_ms(7), EventClass::Normal, 0, ());
        assert!(release.key < normal.key);
        assert_eq!((late.time().as_ms(), release.seq()), (u64::MAX, SEQ_MASK));
    }

    #[test]
    fn cancelled_events_never_fire() {
        let mut q = EventQueue::new();
        let a = q.push(SimTime::from_ms(1), EventClass::Normal, 1);
        let _ = q.push(SimTime::from_ms(2), EventClass::Normal, 2);
        q.cancel(a);
        q.cancel(a);
        assert_eq!(q.peek_time(), Some(SimTime::from_ms(2)));
        assert_eq!(q.pop(), Some((SimTime::from_ms(2), 2)));
        assert_eq!(q.pop(), None);
    }
}
