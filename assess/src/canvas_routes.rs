//! Link routes on the canvas: orthogonal paths between ports on card edges, around the other
//! cards, in distinct lanes, with labels placed along the route where they overlap nothing.
//!
//! A pure function of the cards' rectangles and the links (no GUI dependency), computed with the
//! canvas layout once per design revision, so the designer's canvas and the
//! report's design picture draw the same routes.
//!
//! Each link leaves its source from the card side facing the target and enters the target from
//! the side facing the source; the ends sharing a side are spread along it in the order of the
//! cards at their other end (so routes do not cross near the card). Between the two stubs the
//! route is the cheapest path on a sparse orthogonal grid made of the edges of the nearby cards
//! (kept clear by a margin) and the channels between them: length, plus a penalty per bend and
//! per unit run along a lane an earlier route already uses. Very dense neighbourhoods fall back to
//! a plain three-segment route.

#![allow(clippy::many_single_char_names)] // Geometry reads best with a, b, p, q, x, y.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

use emath::{Pos2, Rect, Vec2, pos2, vec2};
use meridian_model::design::Waypoint;
use meridian_model::{Design, LinkId, ServiceId};

/// Clearance kept between routes and cards, in canvas units.
const MARGIN: f32 = 4.0;
/// Length of the straight piece leaving or entering a port.
const STUB: f32 = 6.0;
/// Extra cost of a bend, in canvas units of length.
const BEND: f32 = 36.0;
/// Extra cost per unit of running along a lane another route uses.
const SHARED: f32 = 2.5;
/// Beyond this many nearby cards a link gets the plain route.
const MAX_OBSTACLES: usize = 32;
/// Size of a cell of the card index.
const BUCKET: f32 = 256.0;

/// Font size of link labels, in canvas units (the canvas and the report picture both use it).
pub const LABEL_FONT: f32 = 11.0;
/// Width reserved per character of a label (a generous average for proportional fonts).
pub const LABEL_CHAR_W: f32 = 6.6;
/// Height of a label's box.
pub const LABEL_H: f32 = 16.0;
/// Labels longer than this many characters are shortened (the full text is a tooltip).
const LABEL_MAX_CHARS: usize = 40;

/// A side of a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The top edge.
    Top,
    /// The bottom edge.
    Bottom,
    /// The left edge.
    Left,
    /// The right edge.
    Right,
}

impl Side {
    /// The outward direction of the side.
    pub fn outward(self) -> Vec2 {
        match self {
            Side::Top => vec2(0.0, -1.0),
            Side::Bottom => vec2(0.0, 1.0),
            Side::Left => vec2(-1.0, 0.0),
            Side::Right => vec2(1.0, 0.0),
        }
    }

    fn horizontal(self) -> bool {
        matches!(self, Side::Top | Side::Bottom)
    }
}

/// Where a link's label goes.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkLabel {
    /// The text shown (the full text, or shortened with an ellipsis when it had to be).
    pub text: String,
    /// The full text (shown as a tooltip when `text` is shortened).
    pub full: String,
    /// The label's box, in canvas units.
    pub rect: Rect,
}

impl LinkLabel {
    /// Whether the text shown is shortened.
    pub fn shortened(&self) -> bool {
        self.text != self.full
    }
}

/// The route of one link.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// The polyline from the source port to the target port; every segment is horizontal or vertical.
    pub points: Vec<Pos2>,
    /// The label, if the link has one.
    pub label: Option<LinkLabel>,
    /// Everything the route and its label cover.
    pub bounds: Rect,
}

impl Route {
    /// The distance from `p` to the route's line.
    pub fn distance(&self, p: Pos2) -> f32 {
        self.points.windows(2).map(|w| segment_distance(p, w[0], w[1])).fold(f32::INFINITY, f32::min)
    }

    /// The direction of the last segment (into the target card).
    pub fn end_direction(&self) -> Vec2 {
        match self.points.as_slice() {
            [.., a, b] => (*b - *a).normalized(),
            _ => Vec2::ZERO,
        }
    }
}

/// The distance from `p` to the segment `a`–`b`.
pub fn segment_distance(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = if ab.length_sq() > 0.0 { ((p - a).dot(ab) / ab.length_sq()).clamp(0.0, 1.0) } else { 0.0 };
    p.distance(a + ab * t)
}

/// The sides a link leaves `from` and enters `to` by.
fn sides(from: Rect, to: Rect) -> (Side, Side) {
    let d = to.center() - from.center();
    let overlap_x = from.right().min(to.right()) - from.left().max(to.left());
    let overlap_y = from.bottom().min(to.bottom()) - from.top().max(to.top());
    let horizontal = if overlap_y > 0.0 && overlap_x <= 0.0 {
        true
    } else if overlap_x > 0.0 && overlap_y <= 0.0 {
        false
    } else {
        d.x.abs() * from.height() > d.y.abs() * from.width()
    };
    if horizontal {
        if d.x >= 0.0 { (Side::Right, Side::Left) } else { (Side::Left, Side::Right) }
    } else if d.y >= 0.0 {
        (Side::Bottom, Side::Top)
    } else {
        (Side::Top, Side::Bottom)
    }
}

/// One end of a link on a card side, before ports are spread.
struct End {
    link: usize,
    source: bool,
    /// The other card's centre, to order the ends along the side.
    other: Pos2,
}

/// Routes every link between cards in `cards`, with labels from `label_of` (empty: no label);
/// a link with `waypoints` (placed by hand) passes through them in order.
pub fn route_links(
    design: &Design,
    cards: &BTreeMap<ServiceId, Rect>,
    waypoints: &BTreeMap<LinkId, Vec<Waypoint>>,
    label_of: impl Fn(&meridian_model::design::Link) -> String,
) -> BTreeMap<LinkId, Route> {
    let links: Vec<(&LinkId, Rect, Rect, String, [&ServiceId; 2])> = design
        .links()
        .filter_map(|l| {
            let (a, b) = (cards.get(&l.from)?, cards.get(&l.to)?);
            (l.from != l.to).then(|| (&l.id, *a, *b, label_of(l), [&l.from, &l.to]))
        })
        .collect();
    // Ports: the ends on each side of each card, spread along it.
    let mut by_side: BTreeMap<(&ServiceId, Side), Vec<End>> = BTreeMap::new();
    let mut link_sides = Vec::with_capacity(links.len());
    for (i, (_, a, b, _, [from, to])) in links.iter().enumerate() {
        let (sa, sb) = sides(*a, *b);
        link_sides.push((sa, sb));
        by_side.entry((*from, sa)).or_default().push(End { link: i, source: true, other: b.center() });
        by_side.entry((*to, sb)).or_default().push(End { link: i, source: false, other: a.center() });
    }
    let mut ports = vec![(Pos2::ZERO, Pos2::ZERO); links.len()];
    for ((_, side), mut ends) in by_side {
        let first = &ends[0];
        let rect = if first.source { links[first.link].1 } else { links[first.link].2 };
        ends.sort_by(|x, y| {
            let (p, q) = if side.horizontal() { (x.other.x, y.other.x) } else { (x.other.y, y.other.y) };
            p.total_cmp(&q).then(x.link.cmp(&y.link)).then(x.source.cmp(&y.source))
        });
        let n = ends.len() as f32;
        for (k, end) in ends.iter().enumerate() {
            let t = (k as f32 + 1.0) / (n + 1.0);
            let p = match side {
                Side::Top => pos2(rect.left() + rect.width() * t, rect.top()),
                Side::Bottom => pos2(rect.left() + rect.width() * t, rect.bottom()),
                Side::Left => pos2(rect.left(), rect.top() + rect.height() * t),
                Side::Right => pos2(rect.right(), rect.top() + rect.height() * t),
            };
            if end.source {
                ports[end.link].0 = p;
            } else {
                ports[end.link].1 = p;
            }
        }
    }
    let index = CardIndex::new(cards.values().copied());
    let mut lanes = Lanes::default();
    let mut out = BTreeMap::new();
    let mut placed: Vec<Rect> = Vec::new();
    for (i, (id, a, b, label, _)) in links.iter().enumerate() {
        let (sa, sb) = link_sides[i];
        let (pa, pb) = ports[i];
        let (qa, qb) = (pa + sa.outward() * STUB, pb + sb.outward() * STUB);
        let area = a.union(*b).expand(80.0);
        let by_hand = waypoints.get(*id).filter(|p| !p.is_empty());
        let middle = if let Some(points) = by_hand {
            through(qa, sa, points, qb)
        } else {
            let obstacles: Vec<Rect> = index.near(area).into_iter().map(|r| r.expand(MARGIN)).collect();
            automatic(qa, sa, qb, sb, &obstacles, area, &lanes)
        };
        let mut points = vec![pa];
        points.extend(middle);
        points.push(pb);
        let points = if by_hand.is_some() {
            // Only repeated points go: a waypoint stays a corner of the route even where the
            // route doubles back through it.
            points.dedup();
            points
        } else {
            simplify(points)
        };
        lanes.add(&points);
        let label = place_label(label, &points, &index, &placed);
        if let Some(l) = &label {
            placed.push(l.rect);
        }
        let mut bounds = Rect::from_points(&points);
        if let Some(l) = &label {
            bounds = bounds.union(l.rect);
        }
        out.insert((*id).clone(), Route { points, label, bounds });
    }
    out
}

/// The cards, bucketed for finding those near a rectangle quickly.
struct CardIndex {
    cards: Vec<Rect>,
    buckets: HashMap<(i32, i32), Vec<usize>>,
}

impl CardIndex {
    fn new(cards: impl Iterator<Item = Rect>) -> Self {
        let cards: Vec<Rect> = cards.collect();
        let mut buckets: HashMap<(i32, i32), Vec<usize>> = HashMap::new();
        for (i, r) in cards.iter().enumerate() {
            for cell in cells(*r) {
                buckets.entry(cell).or_default().push(i);
            }
        }
        CardIndex { cards, buckets }
    }

    /// The cards intersecting `area`, in a stable order.
    fn near(&self, area: Rect) -> Vec<Rect> {
        let mut ids: Vec<usize> = cells(area)
            .filter_map(|c| self.buckets.get(&c))
            .flatten()
            .copied()
            .filter(|&i| self.cards[i].intersects(area))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter().map(|i| self.cards[i]).collect()
    }

    fn any_intersects(&self, r: Rect) -> bool {
        cells(r).filter_map(|c| self.buckets.get(&c)).flatten().any(|&i| self.cards[i].intersects(r))
    }
}

fn cells(r: Rect) -> impl Iterator<Item = (i32, i32)> {
    let (x0, x1) = ((r.left() / BUCKET).floor() as i32, (r.right() / BUCKET).floor() as i32);
    let (y0, y1) = ((r.top() / BUCKET).floor() as i32, (r.bottom() / BUCKET).floor() as i32);
    (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
}

/// Lanes already used: per horizontal (`true`) or vertical line, the spans routes run along.
#[derive(Default)]
pub(crate) struct Lanes(pub(crate) HashMap<(bool, i32), Vec<(f32, f32)>>);

impl Lanes {
    /// Records the segments of a route.
    pub(crate) fn add(&mut self, points: &[Pos2]) {
        for w in points.windows(2) {
            let (a, b) = (w[0], w[1]);
            if (a.y - b.y).abs() < 0.5 {
                self.0.entry((true, a.y.round() as i32)).or_default().push((a.x.min(b.x), a.x.max(b.x)));
            } else {
                self.0.entry((false, a.x.round() as i32)).or_default().push((a.y.min(b.y), a.y.max(b.y)));
            }
        }
    }

    /// How long the segment `a`–`b` runs along lanes already used.
    fn shared(&self, a: Pos2, b: Pos2) -> f32 {
        let (horizontal, line, lo, hi) = if (a.y - b.y).abs() < 0.5 {
            (true, a.y, a.x.min(b.x), a.x.max(b.x))
        } else {
            (false, a.x, a.y.min(b.y), a.y.max(b.y))
        };
        let mut total = 0.0;
        for off in [-2, -1, 0, 1, 2] {
            if let Some(spans) = self.0.get(&(horizontal, line.round() as i32 + off)) {
                total += spans.iter().map(|(s, e)| (hi.min(*e) - lo.max(*s)).max(0.0)).sum::<f32>();
            }
        }
        total
    }
}

/// The route the search finds around the `obstacles`, or three plain segments when it finds none
/// or there are too many obstacles to search among.
fn automatic(
    qa: Pos2,
    sa: Side,
    qb: Pos2,
    sb: Side,
    obstacles: &[Rect],
    area: Rect,
    lanes: &Lanes,
) -> Vec<Pos2> {
    if obstacles.len() <= MAX_OBSTACLES { grid_route(qa, sa, qb, sb, obstacles, area, lanes) } else { None }
        .unwrap_or_else(|| plain_route(qa, sa, qb))
}

/// A route by hand: from the source's stub through each waypoint in order to the target's stub,
/// each step an elbow (first along the way the stub leaves the card, then across, so the route
/// turns at every waypoint), so that every segment is horizontal or vertical.
fn through(qa: Pos2, sa: Side, waypoints: &[Waypoint], qb: Pos2) -> Vec<Pos2> {
    let mut out = vec![qa];
    let vertical_first = sa.horizontal();
    let mut at = qa;
    let targets = waypoints.iter().map(|w| pos2(w.x as f32, w.y as f32)).chain(std::iter::once(qb));
    for next in targets {
        out.push(if vertical_first { pos2(at.x, next.y) } else { pos2(next.x, at.y) });
        out.push(next);
        at = next;
    }
    out
}

/// Three segments: out of the source, across, into the target.
fn plain_route(qa: Pos2, sa: Side, qb: Pos2) -> Vec<Pos2> {
    if sa.horizontal() {
        let y = f32::midpoint(qa.y, qb.y);
        vec![qa, pos2(qa.x, y), pos2(qb.x, y), qb]
    } else {
        let x = f32::midpoint(qa.x, qb.x);
        vec![qa, pos2(x, qa.y), pos2(x, qb.y), qb]
    }
}

/// Sorted coordinates with near-duplicates merged.
fn coords(mut v: Vec<f32>) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    v.dedup_by(|a, b| (*a - *b).abs() < 1.0);
    // Channels: the middle of every gap between neighbouring coordinates.
    let mids: Vec<f32> =
        v.windows(2).filter(|w| w[1] - w[0] > 6.0).map(|w| f32::midpoint(w[0], w[1])).collect();
    v.extend(mids);
    v.sort_by(f32::total_cmp);
    v
}

/// Whether `p` lies inside `r`, not on its edge.
pub(crate) fn strictly_inside(r: &Rect, p: Pos2) -> bool {
    p.x > r.left() + 0.01 && p.x < r.right() - 0.01 && p.y > r.top() + 0.01 && p.y < r.bottom() - 0.01
}

const DIRS: [Vec2; 4] = [vec2(1.0, 0.0), vec2(-1.0, 0.0), vec2(0.0, 1.0), vec2(0.0, -1.0)];

/// The cheapest orthogonal path from `qa` (leaving along `sa`) to `qb` (entering against `sb`) on
/// the grid of the obstacles' edges and channels inside `area`.
#[allow(clippy::too_many_lines)] // One search; the grid, the costs and the walk back read together.
fn grid_route(
    qa: Pos2,
    sa: Side,
    qb: Pos2,
    sb: Side,
    obstacles: &[Rect],
    area: Rect,
    lanes: &Lanes,
) -> Option<Vec<Pos2>> {
    let mut xs = vec![qa.x, qb.x, area.left(), area.right()];
    let mut ys = vec![qa.y, qb.y, area.top(), area.bottom()];
    for o in obstacles {
        xs.extend([o.left(), o.right()]);
        ys.extend([o.top(), o.bottom()]);
    }
    let xs = coords(xs.into_iter().filter(|x| *x >= area.left() && *x <= area.right()).collect());
    let ys = coords(ys.into_iter().filter(|y| *y >= area.top() && *y <= area.bottom()).collect());
    let (nx, ny) = (xs.len(), ys.len());
    let at = |i: usize, j: usize| pos2(xs[i], ys[j]);
    let find = |v: &[f32], t: f32| v.iter().position(|x| (x - t).abs() < 1.0);
    let start = (find(&xs, qa.x)?, find(&ys, qa.y)?);
    let goal = (find(&xs, qb.x)?, find(&ys, qb.y)?);
    // Whether a node (kind 0), the edge to its right (1) or the edge below it (2) is inside an
    // obstacle, worked out when first asked: 0 unknown, 1 free, 2 blocked.
    let mut blocked_cache = vec![0u8; nx * ny * 3];
    let mut blocked = |i: usize, j: usize, kind: usize| {
        let slot = &mut blocked_cache[(j * nx + i) * 3 + kind];
        if *slot == 0 {
            let p = match kind {
                0 => pos2(xs[i], ys[j]),
                1 => pos2(f32::midpoint(xs[i], xs[i + 1]), ys[j]),
                _ => pos2(xs[i], f32::midpoint(ys[j], ys[j + 1])),
            };
            *slot = if obstacles.iter().any(|o| strictly_inside(o, p)) { 2 } else { 1 };
        }
        *slot == 2
    };
    let dir_index = |d: Vec2| DIRS.iter().position(|x| *x == d).unwrap_or(0);
    let start_dir = dir_index(sa.outward());
    let goal_dir = dir_index(-sb.outward());
    // States: node × incoming direction. Costs in tenths of a unit, as integers, for a total order.
    let idx = |i: usize, j: usize, d: usize| (j * nx + i) * 4 + d;
    let mut best = vec![u32::MAX; nx * ny * 4];
    let mut prev = vec![usize::MAX; nx * ny * 4];
    let h = |i: usize, j: usize| ((xs[i] - qb.x).abs() + (ys[j] - qb.y).abs()) * 10.0;
    let mut heap = BinaryHeap::new();
    let s = idx(start.0, start.1, start_dir);
    best[s] = 0;
    heap.push(Reverse((h(start.0, start.1) as u32, s)));
    let mut found = None;
    while let Some(Reverse((_, state))) = heap.pop() {
        let d = state % 4;
        let node = state / 4;
        let (i, j) = (node % nx, node / nx);
        if (i, j) == goal {
            found = Some(state);
            break;
        }
        let g = best[state];
        for (nd, dir) in DIRS.iter().enumerate() {
            // No reversing on the spot.
            if *dir == -DIRS[d] {
                continue;
            }
            let (ni, nj) = match nd {
                0 if i + 1 < nx => (i + 1, j),
                1 if i > 0 => (i - 1, j),
                2 if j + 1 < ny => (i, j + 1),
                3 if j > 0 => (i, j - 1),
                _ => continue,
            };
            let edge = match nd {
                0 => (i, j, 1),
                1 => (ni, nj, 1),
                2 => (i, j, 2),
                _ => (ni, nj, 2),
            };
            let ends = (ni, nj) == goal || (i, j) == start;
            if (blocked(ni, nj, 0) && (ni, nj) != goal) || (blocked(edge.0, edge.1, edge.2) && !ends) {
                continue;
            }
            let (p, q) = (at(i, j), at(ni, nj));
            let mut cost = p.distance(q) + SHARED * lanes.shared(p, q);
            if nd != d {
                cost += BEND;
            }
            if (ni, nj) == goal && nd != goal_dir {
                cost += 2.0 * BEND;
            }
            let ng = g.saturating_add((cost * 10.0) as u32);
            let ns = idx(ni, nj, nd);
            if ng < best[ns] {
                best[ns] = ng;
                prev[ns] = state;
                heap.push(Reverse((ng.saturating_add(h(ni, nj) as u32), ns)));
            }
        }
    }
    let mut state = found?;
    let mut path = Vec::new();
    loop {
        let node = state / 4;
        path.push(at(node % nx, node / nx));
        if prev[state] == usize::MAX {
            break;
        }
        state = prev[state];
    }
    path.reverse();
    Some(path)
}

/// Drops repeated points and the middle of collinear runs.
fn simplify(points: Vec<Pos2>) -> Vec<Pos2> {
    let mut out: Vec<Pos2> = Vec::with_capacity(points.len());
    for p in points {
        if out.last().is_some_and(|q| q.distance(p) < 0.01) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let collinear = ((a.x - b.x).abs() < 0.01 && (b.x - p.x).abs() < 0.01)
                || ((a.y - b.y).abs() < 0.01 && (b.y - p.y).abs() < 0.01);
            if collinear {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

/// The size of a label's box for `text`.
pub fn label_size(text: &str) -> Vec2 {
    vec2(text.chars().count() as f32 * LABEL_CHAR_W + 8.0, LABEL_H)
}

/// `text` cut to `chars` characters with an ellipsis.
fn shorten(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(chars.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// A place along the route for the label: on a segment or beside it, clear of every card and of
/// the labels placed before; shortened only when no place holds the whole text.
fn place_label(full: &str, points: &[Pos2], cards: &CardIndex, placed: &[Rect]) -> Option<LinkLabel> {
    if full.is_empty() || points.len() < 2 {
        return None;
    }
    let mut segments: Vec<(Pos2, Pos2)> = points.windows(2).map(|w| (w[0], w[1])).collect();
    // Longest first; the stubs at either end come last.
    segments.sort_by(|x, y| y.0.distance(y.1).total_cmp(&x.0.distance(x.1)));
    let fits = |r: Rect| !cards.any_intersects(r) && !placed.iter().any(|p| p.intersects(r));
    let first = shorten(full, LABEL_MAX_CHARS);
    let attempts = [first.clone(), shorten(full, 24), shorten(full, 14)];
    for text in &attempts {
        let size = label_size(text);
        for (a, b) in &segments {
            let horizontal = (a.y - b.y).abs() < 0.5;
            for t in [0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9, 0.05, 0.95] {
                let p = *a + (*b - *a) * t;
                let beside = if horizontal {
                    [Vec2::ZERO, vec2(0.0, -(size.y / 2.0 + 2.0)), vec2(0.0, size.y / 2.0 + 2.0)]
                } else {
                    [Vec2::ZERO, vec2(size.x / 2.0 + 3.0, 0.0), vec2(-(size.x / 2.0 + 3.0), 0.0)]
                };
                for off in beside {
                    let rect = Rect::from_center_size(p + off, size);
                    if fits(rect) {
                        return Some(LinkLabel { text: text.clone(), full: full.to_owned(), rect });
                    }
                }
            }
        }
    }
    // Nowhere clear: the middle of the longest segment, whole.
    let (a, b) = segments[0];
    let rect = Rect::from_center_size(a + (b - a) * 0.5, label_size(&first));
    Some(LinkLabel { text: first, full: full.to_owned(), rect })
}

/// The line from a population marker at `from` to the nearest point of `to`, clear of the
/// `obstacles` (other containers, which hold cards) when a straight line or one with a single
/// bend can be: straight first, then horizontal-then-vertical, then vertical-then-horizontal,
/// then around the obstacles' corners; straight if nothing is clear.
pub fn population_path(from: Pos2, to: Rect, obstacles: &[Rect]) -> Vec<Pos2> {
    let clamp = |p: Pos2| pos2(p.x.clamp(to.left(), to.right()), p.y.clamp(to.top(), to.bottom()));
    let nearest = clamp(from);
    let clear = |pts: &[Pos2]| {
        pts.windows(2).all(|w| obstacles.iter().all(|o| !segment_crosses(w[0], w[1], o.shrink(0.5))))
    };
    // Waypoints: level with the target, then just outside each obstacle's corners.
    let mut waypoints = vec![pos2(nearest.x, from.y), pos2(from.x, nearest.y), pos2(to.center().x, from.y)];
    for o in obstacles {
        for c in [o.left_top(), o.right_top(), o.left_bottom(), o.right_bottom()] {
            waypoints.push(c + (c - o.center()).normalized() * 10.0);
        }
    }
    let mut candidates = vec![vec![from, nearest]];
    for w in waypoints {
        let end = clamp(w);
        candidates.push(vec![from, w, end]);
        candidates.push(vec![from, w, pos2(w.x, end.y), end]);
        candidates.push(vec![from, w, pos2(end.x, w.y), end]);
    }
    let length = |pts: &[Pos2]| pts.windows(2).map(|w| w[0].distance(w[1])).sum::<f32>();
    candidates
        .into_iter()
        .map(simplify)
        .filter(|c| clear(c))
        .min_by(|a, b| length(a).total_cmp(&length(b)))
        .unwrap_or_else(|| vec![from, nearest])
}

/// Whether the segment `a`–`b` passes through the inside of `r` (Liang–Barsky clipping).
pub fn segment_crosses(a: Pos2, b: Pos2, r: Rect) -> bool {
    let d = b - a;
    let (mut t0, mut t1) = (0.0f32, 1.0f32);
    for (p, q) in
        [(-d.x, a.x - r.left()), (d.x, r.right() - a.x), (-d.y, a.y - r.top()), (d.y, r.bottom() - a.y)]
    {
        if p.abs() < f32::EPSILON {
            if q <= 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t1 - t0 > 1e-4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grid_route_goes_around_a_card_in_the_way() {
        let a = Rect::from_min_size(pos2(0.0, 0.0), vec2(200.0, 60.0));
        let wall = Rect::from_min_size(pos2(-50.0, 100.0), vec2(300.0, 60.0));
        let b = Rect::from_min_size(pos2(0.0, 200.0), vec2(200.0, 60.0));
        let (sa, sb) = sides(a, b);
        assert_eq!((sa, sb), (Side::Bottom, Side::Top));
        let qa = pos2(100.0, 60.0 + STUB);
        let qb = pos2(100.0, 200.0 - STUB);
        let obstacles: Vec<Rect> = [a, wall, b].iter().map(|r| r.expand(MARGIN)).collect();
        let path =
            grid_route(qa, sa, qb, sb, &obstacles, a.union(b).union(wall).expand(60.0), &Lanes::default())
                .expect("a route exists");
        let path = simplify(path);
        for w in path.windows(2) {
            assert!((w[0].x - w[1].x).abs() < 0.01 || (w[0].y - w[1].y).abs() < 0.01, "orthogonal: {path:?}");
            for k in 0..=20 {
                let p = w[0] + (w[1] - w[0]) * (k as f32 / 20.0);
                assert!(!strictly_inside(&wall, p), "{p:?} crosses the card in the way: {path:?}");
            }
        }
    }

    #[test]
    fn a_second_route_along_the_same_channel_takes_another_lane() {
        let mut lanes = Lanes::default();
        lanes.add(&[pos2(0.0, 50.0), pos2(300.0, 50.0)]);
        assert!(lanes.shared(pos2(100.0, 50.0), pos2(200.0, 50.0)) > 99.0);
        assert!(lanes.shared(pos2(100.0, 58.0), pos2(200.0, 58.0)) < 0.01);
    }

    /// Issue 19, defect 8: population lines crossed the cards of other regions.
    #[test]
    fn a_population_line_goes_around_a_container_in_the_way() {
        let target = Rect::from_min_size(pos2(0.0, 0.0), vec2(200.0, 100.0));
        let wall = Rect::from_min_size(pos2(-20.0, 200.0), vec2(240.0, 100.0));
        let from = pos2(100.0, 400.0);
        assert!(segment_crosses(from, pos2(100.0, 100.0), wall));
        let path = population_path(from, target, &[wall]);
        for w in path.windows(2) {
            assert!(!segment_crosses(w[0], w[1], wall), "{path:?}");
        }
        let end = *path.last().unwrap();
        assert!(target.expand(0.01).contains(end), "ends on the target: {path:?}");
    }

    #[test]
    fn shortening_keeps_short_labels_whole() {
        assert_eq!(shorten("async · RTC", 14), "async · RTC");
        assert_eq!(shorten("cross-region · 2×", 10).chars().count(), 10);
    }
}
