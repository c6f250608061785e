//! A force-directed layout of the product space (Fruchterman and Reingold 1991), computed here
//! so that Graphviz only draws (`neato -n2`: positions pinned) and a picture of 800 products
//! takes seconds, not the minutes of `sfdp` with overlap removal.

/// The pull to the centre: of the order of the repulsion of all nodes at the edge of the
/// unit disc (n k^2 / r = 2), so that the layout stays about that size.
const GRAVITY: f64 = 3.0;

/// Up to this many nodes every pair repels; beyond, only pairs closer than 2k (a grid).
const ALL_PAIRS: usize = 1500;

/// The repulsion on node `i` from `others`: k^2 / d along the unit vector, summed in order.
fn repulsion(
    i: usize,
    pos: &[(f64, f64)],
    others: impl Iterator<Item = usize>,
    k: f64,
) -> (f64, f64) {
    let (xi, yi) = pos[i];
    let (mut dx, mut dy) = (0.0, 0.0);
    for j in others {
        let (ex, ey) = (xi - pos[j].0, yi - pos[j].1);
        let d2 = (ex * ex + ey * ey).max(1e-12);
        let f = k * k / d2;
        dx += ex * f;
        dy += ey * f;
    }
    (dx, dy)
}

/// Positions in [0, width] x [0, height] for `n` nodes joined by `links` (index pairs), of
/// which `tree` is the spanning tree (or forest): linked nodes attract (d^2 / k), all pairs
/// repel (k^2 / d; beyond [`ALL_PAIRS`] nodes only pairs closer than 2k), a pull to the centre
/// keeps separate parts together; the step cools linearly over `iterations`. Deterministic: a
/// fixed start (the tree drawn radially) and sequential sums, so the same input gives the same
/// bits.
pub(super) fn force_layout(
    n: usize,
    links: &[(usize, usize)],
    tree: &[(usize, usize)],
    width: f64,
    height: f64,
    iterations: usize,
) -> Vec<(f64, f64)> {
    if n == 0 {
        return Vec::new();
    }
    // Unit square, then scaled: k is the ideal distance between neighbours.
    let k = (1.0 / n as f64).sqrt();
    // A radial layout of the spanning tree (each subtree its wedge, in proportion to its
    // size; depth as radius), so that the tree starts without crossings.
    let mut pos = radial(n, tree);
    let mut disp = vec![(0.0f64, 0.0f64); n];
    let t0 = 0.2;
    for it in 0..iterations {
        if n <= ALL_PAIRS {
            for (i, d) in disp.iter_mut().enumerate() {
                *d = repulsion(i, &pos, (0..n).filter(|&j| j != i), k);
            }
        } else {
            // Fruchterman and Reingold's grid: only nodes within 2k repel (cells of side 2k).
            let cell = 2.0 * k;
            let key = |p: (f64, f64)| ((p.0 / cell).floor() as i64, (p.1 / cell).floor() as i64);
            let mut grid: std::collections::HashMap<(i64, i64), Vec<usize>> =
                std::collections::HashMap::new();
            for (i, &p) in pos.iter().enumerate() {
                grid.entry(key(p)).or_default().push(i);
            }
            for (i, d) in disp.iter_mut().enumerate() {
                let (cx, cy) = key(pos[i]);
                let near = (-1..=1)
                    .flat_map(|dx| (-1..=1).map(move |dy| (cx + dx, cy + dy)))
                    .filter_map(|c| grid.get(&c))
                    .flatten()
                    .copied()
                    .filter(|&j| j != i);
                *d = repulsion(i, &pos, near, k);
            }
        }
        for &(a, b) in links {
            let (ex, ey) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (ex * ex + ey * ey).sqrt().max(1e-9);
            // d^2 / k along e / d.
            let f = d / k;
            disp[a].0 -= ex * f;
            disp[a].1 -= ey * f;
            disp[b].0 += ex * f;
            disp[b].1 += ey * f;
        }
        let t = t0 * (1.0 - it as f64 / iterations as f64) + 1e-4;
        for (p, d) in pos.iter_mut().zip(&disp) {
            // Gravity towards the centre.
            let (gx, gy) = (d.0 - GRAVITY * p.0, d.1 - GRAVITY * p.1);
            let len = (gx * gx + gy * gy).sqrt();
            if len > 0.0 {
                let s = len.min(t) / len;
                p.0 += gx * s;
                p.1 += gy * s;
            }
        }
    }
    // Fit the box, keeping the aspect ratio of the layout.
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in &pos {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    let s = (width / (x1 - x0).max(1e-9)).min(height / (y1 - y0).max(1e-9));
    pos.iter()
        .map(|&(x, y)| ((x - x0) * s, (y - y0) * s))
        .collect()
}

/// Radial positions in the unit disc for a forest given by its links: the parts hang from a
/// virtual centre, each node's wedge split among its children by subtree size, radius by depth.
fn radial(n: usize, tree: &[(usize, usize)]) -> Vec<(f64, f64)> {
    let mut adj = vec![Vec::new(); n];
    for &(a, b) in tree {
        adj[a].push(b);
        adj[b].push(a);
    }
    adj.iter_mut().for_each(|v| v.sort_unstable());
    // Roots: per part, the node of most links (ties to the lower index).
    let mut seen = vec![false; n];
    let mut parent = vec![usize::MAX; n];
    let mut order = Vec::with_capacity(n);
    let mut roots = Vec::new();
    for start in 0..n {
        if seen[start] {
            continue;
        }
        // The part of `start`, then its root.
        let mut part = vec![start];
        seen[start] = true;
        let mut k = 0;
        while k < part.len() {
            let v = part[k];
            k += 1;
            for &w in &adj[v] {
                if !seen[w] {
                    seen[w] = true;
                    part.push(w);
                }
            }
        }
        let root = *part
            .iter()
            .max_by_key(|&&v| (adj[v].len(), std::cmp::Reverse(v)))
            .expect("a part has a node");
        roots.push(root);
        // Breadth-first from the root: parents before children.
        let first = order.len();
        order.push(root);
        parent[root] = root;
        let mut k = first;
        while k < order.len() {
            let v = order[k];
            k += 1;
            for &w in &adj[v] {
                if parent[w] == usize::MAX {
                    parent[w] = v;
                    order.push(w);
                }
            }
        }
    }
    let mut size = vec![1usize; n];
    let mut depth = vec![0usize; n];
    for &v in order.iter().rev() {
        if parent[v] != v {
            size[parent[v]] += size[v];
        }
    }
    for &v in &order {
        if parent[v] != v {
            depth[v] = depth[parent[v]] + 1;
        }
    }
    let max_depth = depth.iter().copied().max().unwrap_or(0) as f64 + 1.0;
    // Wedges: the parts share the circle by size, then each node shares its own wedge.
    let mut wedge = vec![(0.0f64, 0.0f64); n];
    let tau = std::f64::consts::TAU;
    let mut a0 = 0.0;
    for &r in &roots {
        let w = tau * size[r] as f64 / n as f64;
        wedge[r] = (a0, a0 + w);
        a0 += w;
    }
    for &v in &order {
        let (lo, hi) = wedge[v];
        let kids: Vec<usize> = adj[v]
            .iter()
            .copied()
            .filter(|&w| parent[w] == v && w != v)
            .collect();
        let total: usize = kids.iter().map(|&w| size[w]).sum();
        let mut a = lo;
        for w in kids {
            let span = (hi - lo) * size[w] as f64 / total as f64;
            wedge[w] = (a, a + span);
            a += span;
        }
    }
    (0..n)
        .map(|v| {
            let (lo, hi) = wedge[v];
            let angle = (lo + hi) / 2.0;
            // Roots of several parts sit a little off the centre.
            let r = 0.5 * (depth[v] as f64 + if roots.len() > 1 { 0.5 } else { 0.0 }) / max_depth;
            (r * angle.cos(), r * angle.sin())
        })
        .collect()
}
