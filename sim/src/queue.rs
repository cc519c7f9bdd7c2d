//! The future-event list: a 4-ary min-heap ordered by `(time, sequence)`.
//!
//! Keys are packed into one `u128` (`time << 64 | seq`), so a comparison is a single integer
//! compare, and the heap's fan-out of four halves its depth against a binary heap. Events with the
//! same time leave in the order they were scheduled, which keeps runs deterministic.
//!
//! A pop leaves the heap's last entry at the root without sifting it down yet. Handling an event
//! usually schedules the next one, and that push then takes the root instead, returns the entry to
//! the end it came from and sifts only the new event down: one sift for a pop and a push where a
//! plain heap pays two, and a new event due soon (a request stream) stops near the top. The order
//! events leave in depends only on their keys, so it is the same either way.

/// Simulated time in whole microseconds since the start of a run.
pub type SimTime = u64;

/// A min-priority queue of events keyed by `(time, insertion sequence)`.
#[derive(Debug, Clone)]
pub struct EventQueue<E> {
    heap: Vec<(u128, E)>,
    next_seq: u64,
    /// The root holds the former last entry after a pop, not yet sifted down.
    root_pending: bool,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue { heap: Vec::new(), next_seq: 0, root_pending: false }
    }
}

const ARITY: usize = 4;

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty queue with room for `n` events.
    pub fn with_capacity(n: usize) -> Self {
        EventQueue { heap: Vec::with_capacity(n), next_seq: 0, root_pending: false }
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Removes every pending event and restarts the sequence.
    pub fn clear(&mut self) {
        self.heap.clear();
        self.next_seq = 0;
        self.root_pending = false;
    }

    /// The time of the earliest pending event.
    pub fn peek_time(&mut self) -> Option<SimTime> {
        self.settle();
        self.heap.first().map(|(k, _)| (k >> 64) as SimTime)
    }

    /// Schedules `event` at `time`; returns its sequence number.
    #[inline]
    pub fn push(&mut self, time: SimTime, event: E) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.insert((u128::from(time) << 64) | u128::from(seq), event);
        seq
    }

    /// Puts back an event taken out with [`EventQueue::pop`], keeping its sequence number.
    pub fn push_back(&mut self, time: SimTime, seq: u64, event: E) {
        self.insert((u128::from(time) << 64) | u128::from(seq), event);
    }

    /// Removes and returns the earliest event as `(time, sequence, event)`.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, u64, E)> {
        self.settle();
        let last = self.heap.pop()?;
        let top = if self.heap.is_empty() {
            last
        } else {
            // The last entry waits at the root for the next push (or the next pop) to place it.
            self.root_pending = true;
            std::mem::replace(&mut self.heap[0], last)
        };
        Some(((top.0 >> 64) as SimTime, top.0 as u64, top.1))
    }

    #[inline]
    fn insert(&mut self, key: u128, event: E) {
        if self.root_pending {
            // The root's entry came from the end and is valid there: put it back, the new event
            // at the root, and sift that one down.
            self.root_pending = false;
            let waiting = std::mem::replace(&mut self.heap[0], (key, event));
            self.heap.push(waiting);
            self.sift_down(0);
        } else {
            self.heap.push((key, event));
            self.sift_up(self.heap.len() - 1);
        }
    }

    /// Places the entry a pop left at the root.
    #[inline]
    fn settle(&mut self) {
        if self.root_pending {
            self.root_pending = false;
            self.sift_down(0);
        }
    }

    #[inline]
    fn sift_down(&mut self, mut hole: usize) {
        let n = self.heap.len();
        let key = self.heap[hole].0;
        loop {
            let first = hole * ARITY + 1;
            if first >= n {
                break;
            }
            let end = (first + ARITY).min(n);
            let mut best = first;
            let mut best_key = self.heap[first].0;
            for c in first + 1..end {
                let k = self.heap[c].0;
                if k < best_key {
                    best = c;
                    best_key = k;
                }
            }
            if best_key >= key {
                break;
            }
            self.heap.swap(hole, best);
            hole = best;
        }
    }

    #[inline]
    fn sift_up(&mut self, mut i: usize) {
        let key = self.heap[i].0;
        while i > 0 {
            let parent = (i - 1) / ARITY;
            if key < self.heap[parent].0 {
                self.heap.swap(i, parent);
                i = parent;
            } else {
                break;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_then_sequence_order() {
        let mut q = EventQueue::new();
        q.push(5, 'a');
        q.push(1, 'b');
        q.push(5, 'c');
        q.push(0, 'd');
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, _, e)| e)).collect();
        assert_eq!(order, vec!['d', 'b', 'a', 'c']);
    }

    #[test]
    fn interleaved_pushes_and_pops_leave_in_key_order() {
        // A deterministic mix of pops followed by zero, one or two pushes (the engine's pattern),
        // checked against a sorted reference.
        let mut q = EventQueue::new();
        let mut reference: Vec<(u64, u64)> = Vec::new();
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut now = 0;
        for i in 0..64 {
            let t = next() % 1000;
            let seq = q.push(t, i);
            reference.push((t, seq));
        }
        for step in 0..20_000u64 {
            reference.sort_unstable();
            let want = reference.remove(0);
            let (t, seq, _) = q.pop().unwrap();
            assert_eq!((t, seq), want, "step {step}");
            assert!(t >= now);
            now = t;
            for _ in 0..(next() % 3) {
                let at = now + next() % 500;
                let seq = q.push(at, step);
                reference.push((at, seq));
            }
            if q.is_empty() {
                let seq = q.push(now + 1, step);
                reference.push((now + 1, seq));
            }
            assert_eq!(q.len(), reference.len());
        }
        assert_eq!(q.peek_time(), reference.iter().min().map(|r| r.0));
    }
}
