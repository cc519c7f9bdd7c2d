//! [`IdIndex`]: the design's index from an entity's id to its place in the graph, in id order
//! for iteration and hashed for look-ups.
//!
//! Loading a design looks ids up several times an entity (a link names two services, which are
//! checked, joined and indexed); in an ordered map each look-up compares the id with a dozen
//! others, which was a sixth of the time to load a design of thousands of services. The hashed
//! copy answers each look-up with one hash and one comparison; the ordered map keeps the order
//! the design's readers rely on. Ids share their text, so the second copy costs no allocation.

use std::collections::BTreeMap;
use std::collections::btree_map::Values;
use std::hash::Hash;

use rustc_hash::FxHashMap;

/// Ids to graph indices: ordered for iteration, hashed for look-ups; both always hold the same
/// entries.
#[derive(Debug, Clone)]
pub(crate) struct IdIndex<K, V> {
    ordered: BTreeMap<K, V>,
    by_id: FxHashMap<K, V>,
}

impl<K, V> Default for IdIndex<K, V> {
    fn default() -> Self {
        IdIndex { ordered: BTreeMap::new(), by_id: FxHashMap::default() }
    }
}

impl<K: Ord + Hash + Clone, V: Copy> IdIndex<K, V> {
    /// The index of `id`.
    pub(crate) fn get(&self, id: &K) -> Option<&V> {
        self.by_id.get(id)
    }

    /// Whether `id` is indexed.
    pub(crate) fn contains_key(&self, id: &K) -> bool {
        self.by_id.contains_key(id)
    }

    /// Indexes `id`; returns the index it replaced.
    pub(crate) fn insert(&mut self, id: K, value: V) -> Option<V> {
        self.by_id.insert(id.clone(), value);
        self.ordered.insert(id, value)
    }

    /// Removes `id`; returns its index.
    pub(crate) fn remove(&mut self, id: &K) -> Option<V> {
        self.by_id.remove(id);
        self.ordered.remove(id)
    }

    /// The indices in id order.
    pub(crate) fn values(&self) -> Values<'_, K, V> {
        self.ordered.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_maps_hold_the_same_entries_in_id_order() {
        let mut ix: IdIndex<String, u32> = IdIndex::default();
        for (k, v) in [("b", 2), ("a", 1), ("c", 3)] {
            assert_eq!(ix.insert(k.to_owned(), v), None);
        }
        assert_eq!(ix.insert("a".to_owned(), 10), Some(1));
        assert_eq!(ix.values().copied().collect::<Vec<_>>(), vec![10, 2, 3]);
        assert_eq!(ix.remove(&"b".to_owned()), Some(2));
        assert!(!ix.contains_key(&"b".to_owned()));
        assert_eq!(ix.get(&"c".to_owned()), Some(&3));
        assert_eq!(ix.values().count(), 2);
    }
}
