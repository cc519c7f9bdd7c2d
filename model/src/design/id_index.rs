//! [`IdIndex`]: the design's index from an entity's id to its place in the graph, hashed for
//! look-ups and in id order for iteration.
//!
//! Loading a design looks ids up several times an entity (a link names two services, which are
//! checked, joined and indexed); in an ordered map each look-up compares the id with a dozen
//! others, which was a sixth of the time to load a design of thousands of services. The hashed
//! map answers each look-up with one hash and one comparison. The id order the design's readers
//! rely on is a sorted vector kept beside it: an id greater than the last one (the order a file
//! and the generator give them) is appended after one comparison, where an ordered map compared
//! it with dozens of others on its way down (a fifth of loading 100,000 services); an entry
//! replaced is found by binary search. Any other change (an id inserted out of order, an entry
//! removed) marks the vector stale, and the next reader sorts it again once, so removing many
//! entities costs one sort, not a shift of the vector each. Ids share their text, so the
//! second copy costs no allocation.

use std::hash::Hash;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// Ids to graph indices: hashed for look-ups, sorted by id for iteration; both always hold the
/// same entries (the sorted copy is rebuilt from the hashed one when a change left it stale).
#[derive(Debug, Clone)]
pub(crate) struct IdIndex<K, V> {
    by_id: FxHashMap<K, V>,
    /// The entries in id order; empty (uninitialised) when a change other than an append made
    /// it stale.
    ordered: OnceLock<Vec<(K, V)>>,
}

impl<K, V> Default for IdIndex<K, V> {
    fn default() -> Self {
        IdIndex { by_id: FxHashMap::default(), ordered: OnceLock::from(Vec::new()) }
    }
}

/// The iterator [`IdIndex::values`] returns.
pub(crate) type Values<'a, K, V> = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&(K, V)) -> &V>;

impl<K: Ord + Hash + Clone, V: Copy> IdIndex<K, V> {
    /// The index of `id`.
    pub(crate) fn get(&self, id: &K) -> Option<&V> {
        self.by_id.get(id)
    }

    /// Whether `id` is indexed.
    pub(crate) fn contains_key(&self, id: &K) -> bool {
        self.by_id.contains_key(id)
    }

    /// How many ids are indexed.
    pub(crate) fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Makes room for `additional` more ids.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.by_id.reserve(additional);
        if let Some(ordered) = self.ordered.get_mut() {
            ordered.reserve(additional);
        }
    }

    /// Indexes `id`; returns the index it replaced.
    pub(crate) fn insert(&mut self, id: K, value: V) -> Option<V> {
        let old = self.by_id.insert(id.clone(), value);
        let Some(ordered) = self.ordered.get_mut() else { return old };
        if old.is_some() {
            // Replaced (an edit of an entity): the order holds, the entry is found by its id.
            match ordered.binary_search_by(|(k, _)| k.cmp(&id)) {
                Ok(at) => ordered[at].1 = value,
                Err(_) => self.ordered = OnceLock::new(),
            }
        } else if ordered.last().is_none_or(|(last, _)| *last < id) {
            ordered.push((id, value));
        } else {
            self.ordered = OnceLock::new();
        }
        old
    }

    /// Removes `id`; returns its index.
    pub(crate) fn remove(&mut self, id: &K) -> Option<V> {
        let old = self.by_id.remove(id);
        if old.is_some() {
            self.ordered = OnceLock::new();
        }
        old
    }

    /// The indices in id order.
    pub(crate) fn values(&self) -> Values<'_, K, V> {
        let ordered = self.ordered.get_or_init(|| {
            let mut all: Vec<(K, V)> = self.by_id.iter().map(|(k, v)| (k.clone(), *v)).collect();
            all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            all
        });
        ordered.iter().map(|(_, v)| v)
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
        assert_eq!(ix.len(), 2);
    }

    #[test]
    fn appends_in_order_and_sorts_again_after_any_other_change() {
        let mut ix: IdIndex<String, u32> = IdIndex::default();
        for i in 0..100u32 {
            ix.insert(format!("s{i:03}"), i);
        }
        // Appended in order: never stale.
        assert!(ix.ordered.get().is_some());
        assert_eq!(ix.values().copied().collect::<Vec<_>>(), (0..100).collect::<Vec<_>>());
        // Out of order, replaced, removed: each read sees the id order again.
        ix.insert("a".to_owned(), 1000);
        assert_eq!(ix.values().next(), Some(&1000));
        ix.insert("a".to_owned(), 1001);
        assert!(ix.ordered.get().is_some(), "a replaced entry keeps the order");
        assert_eq!(ix.values().next(), Some(&1001));
        ix.remove(&"a".to_owned());
        ix.remove(&"s050".to_owned());
        let mut expected: Vec<u32> = (0..100).filter(|&i| i != 50).collect();
        assert_eq!(ix.values().copied().collect::<Vec<_>>(), expected);
        // A clone carries the order along.
        let copy = ix.clone();
        ix.insert("s999".to_owned(), 999);
        expected.push(999);
        assert_eq!(ix.values().copied().collect::<Vec<_>>(), expected);
        assert_eq!(copy.values().count(), 99);
    }
}
