//! The future-event list: a 4-ary min-heap ordered by `(time, sequence)`.
//!
//! Keys are packed into one `u128` (`time << 64 | seq`), so a comparison is a single integer
//! compare, and the heap's fan-out of four halves its depth against a binary heap. Events with the
//! same time leave in the order they were scheduled, which keeps runs deterministic.

/// Simulated time in whole microseconds since the start of a run.
pub type SimTime = u64;

/// A min-priority queue of events keyed by `(time, insertion sequence)`.
#[derive(Debug, Clone)]
pub struct EventQueue<E> {
    heap: Vec<(u128, E)>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue { heap: Vec::new(), next_seq: 0 }
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
        EventQueue { heap: Vec::with_capacity(n), next_seq: 0 }
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
    }

    /// The time of the earliest pending event.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.first().map(|(k, _)| (k >> 64) as SimTime)
    }

    /// Schedules `event` at `time`; returns its sequence number.
    pub fn push(&mut self, time: SimTime, event: E) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        let key = (u128::from(time) << 64) | u128::from(seq);
        self.heap.push((key, event));
        self.sift_up(self.heap.len() - 1);
        seq
    }

    /// Puts back an event popped too early, with its original sequence number.
    pub fn push_back(&mut self, time: SimTime, seq: u64, event: E) {
        self.heap.push(((u128::from(time) << 64) | u128::from(seq), event));
        self.sift_up(self.heap.len() - 1);
    }

    /// Removes and returns the earliest event with its time and sequence number.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, u64, E)> {
        let last = self.heap.pop()?;
        if self.heap.is_empty() {
            return Some(((last.0 >> 64) as SimTime, last.0 as u64, last.1));
        }
        // Move the hole from the root down, pulling up the smallest child, then drop `last` in it.
        let n = self.heap.len();
        let key = last.0;
        let mut hole = 0;
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
        let top = std::mem::replace(&mut self.heap[hole], last);
        // After the swaps the root's old entry sits at `hole`.
        Some(((top.0 >> 64) as SimTime, top.0 as u64, top.1))
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
}
