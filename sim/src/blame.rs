//! Which failure an incident is blamed on ([`crate::cause`] names its kind).
//!
//! **Modelling assumption:** an incident (an outage beginning, data lost at a promotion or a
//! restore) is blamed on the most recent failure that started before it and is *still in
//! force* when it happens: its component is still down. A failure that has been repaired can
//! not have set off an incident that begins after its repair, so an unrelated AZ failure that
//! came and went during a long service outage is not blamed for what follows. Only when no
//! failure is in force (an incident set off by a repair or a routing change after one) is the
//! most recent failure to start blamed.

use meridian_model::targets::Disruption;

/// The failures that started and may still be in force, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Blame {
    /// (component, its kind of disruption) of failures started and not yet seen repaired.
    open: Vec<(usize, Disruption)>,
    /// The kind of the most recent failure to start.
    last: Option<Disruption>,
}

impl Blame {
    /// Component `component`, a disruption of kind `kind`, starts failing. Entries of components
    /// that are up again are dropped here, so the list holds at most the failures in force plus
    /// one (it does not grow with the horizon).
    pub fn start(&mut self, component: usize, kind: Disruption, is_down: impl Fn(usize) -> bool) {
        self.open.retain(|&(c, _)| c != component && is_down(c));
        self.open.push((component, kind));
        self.last = Some(kind);
    }

    /// The kind of disruption an incident beginning now is blamed on.
    pub fn now(&self, is_down: impl Fn(usize) -> bool) -> Option<Disruption> {
        self.open.iter().rev().find(|&&(c, _)| is_down(c)).map(|&(_, k)| k).or(self.last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blames_the_latest_failure_still_in_force() {
        let mut b = Blame::default();
        let mut down = [false; 3];
        assert_eq!(b.now(|c| down[c]), None);
        // A service fails, then an AZ fails and is repaired: the service is blamed.
        down[0] = true;
        b.start(0, Disruption::Service, |c| down[c]);
        down[1] = true;
        b.start(1, Disruption::Az, |c| down[c]);
        assert_eq!(b.now(|c| down[c]), Some(Disruption::Az), "both in force: the latest");
        down[1] = false;
        assert_eq!(b.now(|c| down[c]), Some(Disruption::Service), "the AZ is repaired");
        // Nothing in force: the most recent start.
        down[0] = false;
        assert_eq!(b.now(|c| down[c]), Some(Disruption::Az));
        // A component failing again is one entry.
        down[2] = true;
        b.start(2, Disruption::Region, |c| down[c]);
        b.start(2, Disruption::Region, |c| down[c]);
        assert_eq!(b.open.len(), 1);
    }
}
