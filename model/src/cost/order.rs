//! The order of a bill's lines: by service id, kind, region, dimension, destination and tier
//! start, lines that tie in the order they were priced.
//!
//! A line is a few hundred bytes and its keys are strings, so the lines are neither compared by
//! their texts across services nor moved while sorting. Each line's service id gets a rank (the
//! design's services come in id order, so a service's rank is its position); the lines' indices
//! are put in rank order by counting (stable, linear), each service's few lines are then ordered
//! among themselves by an insertion sort on their texts and tier start (stable; texts that are
//! one shared copy compare by address), and the lines are moved once into place by following the
//! permutation's cycles. Sorting the lines by comparing their texts was a third of the bill's time.

use std::cmp::Ordering;

use rustc_hash::FxHashMap;

use super::bill::LineItem;
use super::shared::SharedStr;
use crate::design::Design;

/// `lines` in the bill's order (a stable sort by service id, kind, region, dimension,
/// destination and tier start).
pub(crate) fn sorted(design: &Design, mut lines: Vec<LineItem>) -> Vec<LineItem> {
    let ranks = service_ranks(design, &lines);
    // Counting sort by rank: ranks are dense buckets 0..=2s (s services), each line's bucket its
    // rank's high half; its low half orders ids that are not services within their bucket.
    let buckets = 2 * design.services().len() + 2;
    let bucket = |r: u64| ((r >> 32) as usize).min(buckets - 1);
    let mut starts = vec![0u32; buckets + 1];
    for &r in &ranks {
        starts[bucket(r) + 1] += 1;
    }
    for b in 1..=buckets {
        starts[b] += starts[b - 1];
    }
    let mut source = vec![0u32; lines.len()];
    let mut next = starts.clone();
    for (i, &r) in ranks.iter().enumerate() {
        let b = bucket(r);
        source[next[b] as usize] = i as u32;
        next[b] += 1;
    }
    // Within a bucket (one service's lines, or the shared entities between two services), an
    // insertion sort: stable, and a comparison a line when the lines already come in order.
    for b in 0..buckets {
        let run = &mut source[starts[b] as usize..starts[b + 1] as usize];
        for k in 1..run.len() {
            let mut j = k;
            while j > 0 && line_cmp(&lines, &ranks, run[j - 1], run[j]) == Ordering::Greater {
                run.swap(j - 1, j);
                j -= 1;
            }
        }
    }
    permute(&mut lines, &mut source);
    lines
}

/// Lines `a` and `b` by rank, kind, region, dimension, destination and tier start.
fn line_cmp(lines: &[LineItem], ranks: &[u64], a: u32, b: u32) -> Ordering {
    let (la, lb) = (&lines[a as usize], &lines[b as usize]);
    ranks[a as usize]
        .cmp(&ranks[b as usize])
        .then_with(|| if la.kind == lb.kind { Ordering::Equal } else { la.kind.cmp(&lb.kind) })
        .then_with(|| shared_cmp(&la.region, &lb.region))
        .then_with(|| shared_cmp(&la.dimension, &lb.dimension))
        .then_with(|| match (&la.to_region, &lb.to_region) {
            (Some(x), Some(y)) => shared_cmp(x, y),
            (x, y) => x.is_some().cmp(&y.is_some()),
        })
        .then_with(|| {
            let from = |l: &LineItem| l.tier.map_or(0.0, |t| t.from_gb);
            from(la).total_cmp(&from(lb))
        })
}

/// Two texts in order; one shared copy is equal to itself without reading it.
fn shared_cmp(a: &SharedStr, b: &SharedStr) -> Ordering {
    if std::ptr::eq(a.as_str(), b.as_str()) { Ordering::Equal } else { a.as_str().cmp(b.as_str()) }
}

/// Each line's service rank: services rank at odd multiples of 2^32 (2i+1 for the i-th service
/// in id order); an id that is not a service's (a region's shared entity) ranks at 2p, where p is
/// the number of services before it, plus its place among such ids.
///
/// Most lines carry a clone of their service's own id (one shared allocation), so a service is
/// found by the address of its id's text, hashed as one integer; an id held elsewhere (a link's
/// end) is found by a binary search over the ids' texts. A run of lines of one id is looked up once.
fn service_ranks(design: &Design, lines: &[LineItem]) -> Vec<u64> {
    let services: Vec<&str> = design.services().map(|s| s.id.as_str()).collect();
    let mut by_address: FxHashMap<usize, u32> =
        FxHashMap::with_capacity_and_hasher(services.len(), rustc_hash::FxBuildHasher);
    by_address.extend(services.iter().enumerate().map(|(i, id)| (id.as_ptr() as usize, i as u32)));
    let position = |id: &str| -> Option<u32> {
        if let Some(&i) = by_address.get(&(id.as_ptr() as usize))
            && std::ptr::eq(services[i as usize], id)
        {
            return Some(i);
        }
        let i = services.partition_point(|s| *s < id);
        (services.get(i) == Some(&id)).then_some(i as u32)
    };
    let mut found: Vec<Option<u32>> = Vec::with_capacity(lines.len());
    let mut others: Vec<&str> = Vec::new();
    let mut last: Option<(&str, Option<u32>)> = None;
    for l in lines {
        let id = l.service.as_str();
        let at = match last {
            Some((prev, at)) if std::ptr::eq(prev, id) => at,
            _ => {
                let at = position(id);
                if at.is_none() {
                    others.push(id);
                }
                at
            }
        };
        last = Some((id, at));
        found.push(at);
    }
    others.sort_unstable();
    others.dedup();
    lines
        .iter()
        .zip(&found)
        .map(|(l, at)| {
            if let Some(i) = at {
                (2 * u64::from(*i) + 1) << 32
            } else {
                let id = l.service.as_str();
                let before = services.partition_point(|s| *s < id) as u64;
                let among = others.binary_search(&id).map_or(u64::from(u32::MAX), |r| r as u64);
                ((2 * before) << 32) | among
            }
        })
        .collect()
}

/// Moves `items` so that position `k` holds what was at `source[k]` (a permutation), swapping
/// along each cycle; `source` is used up as the record of places already filled.
fn permute<T>(items: &mut [T], source: &mut [u32]) {
    for start in 0..items.len() {
        let mut k = start;
        while source[k] as usize != k {
            let from = source[k] as usize;
            source[k] = k as u32;
            if from == start {
                break;
            }
            items.swap(k, from);
            k = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permute_puts_each_item_where_its_source_says() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for n in 0..40usize {
            // A random permutation of 0..n (xorshift, Fisher-Yates).
            let mut source: Vec<u32> = (0..n as u32).collect();
            for i in (1..n).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                source.swap(i, (state % (i as u64 + 1)) as usize);
            }
            let want: Vec<u32> = source.clone();
            let mut items: Vec<u32> = (0..n as u32).collect();
            permute(&mut items, &mut source);
            assert_eq!(items, want, "n={n}");
        }
    }
}
