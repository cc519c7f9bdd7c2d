//! Repair capacity: how many failures the design's team can work on at once. Failures that find
//! every crew busy wait in a first-come, first-served queue; their repair time starts when a crew
//! takes them. Only failures a team repairs queue (whole services and common-cause failures);
//! AWS repairs regions, AZs and the network, and instances are replaced automatically.

use std::collections::VecDeque;

/// The crews and the failures waiting for one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairCrews {
    crews: Option<u32>,
    busy: u32,
    queue: VecDeque<u32>,
}

impl RepairCrews {
    /// `crews` crews (`None`: as many as there are failures).
    pub fn new(crews: Option<u32>) -> Self {
        RepairCrews { crews, busy: 0, queue: VecDeque::new() }
    }

    /// A crewed failure of `component` happened: true when a crew starts on it now, false when
    /// it waits in the queue.
    pub fn fail(&mut self, component: u32) -> bool {
        match self.crews {
            None => true,
            Some(n) if self.busy < n => {
                self.busy += 1;
                true
            }
            Some(_) => {
                self.queue.push_back(component);
                false
            }
        }
    }

    /// A crew finished; returns the waiting failure it starts on next, if any.
    pub fn done(&mut self) -> Option<u32> {
        self.crews?;
        let next = self.queue.pop_front();
        if next.is_none() {
            self.busy = self.busy.saturating_sub(1);
        }
        next
    }

    /// Failures waiting for a crew.
    pub fn waiting(&self) -> usize {
        self.queue.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlimited_crews_never_queue() {
        let mut r = RepairCrews::new(None);
        assert!(r.fail(1) && r.fail(2) && r.fail(3));
        assert_eq!(r.done(), None);
        assert_eq!(r.waiting(), 0);
    }

    #[test]
    fn one_crew_takes_failures_in_order() {
        let mut r = RepairCrews::new(Some(1));
        assert!(r.fail(7));
        assert!(!r.fail(8));
        assert!(!r.fail(9));
        assert_eq!(r.waiting(), 2);
        assert_eq!(r.done(), Some(8));
        assert_eq!(r.done(), Some(9));
        assert_eq!(r.done(), None);
        assert!(r.fail(10), "the crew is free again");
    }
}
