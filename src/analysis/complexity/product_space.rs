//! The product space as Hidalgo, Klinger, Barabási and Hausmann (2007) draw it: the maximum
//! spanning tree of the proximity (so every product is connected by its strongest links),
//! plus every link whose proximity is at least a threshold (0.55 in the paper).

use super::Complexity;
use crate::error::{Error, Result};
use serde::Serialize;

/// A product of the diagram.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpaceNode {
    /// Product code.
    pub id: String,
    /// World exports (the node's size).
    pub exports: f64,
    /// PCI.
    pub pci: Option<f64>,
    /// The highlighted country exports it with advantage (M = 1).
    pub highlighted: bool,
}

/// A link of the diagram.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpaceLink {
    /// One product (index into the nodes).
    pub a: usize,
    /// The other (a < b).
    pub b: usize,
    /// phi_ab.
    pub proximity: f64,
    /// True for a link of the maximum spanning tree.
    pub tree: bool,
}

/// The product space to draw.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductSpace {
    /// Products with ubiquity above 0, in code order.
    pub nodes: Vec<SpaceNode>,
    /// Tree links first (in the order Prim's algorithm adds them), then the others above the
    /// threshold by proximity (ties by index).
    pub links: Vec<SpaceLink>,
    /// The threshold of the extra links.
    pub threshold: f64,
    /// The highlighted country, if any.
    pub country: Option<String>,
}

/// What [`product_space`] draws.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProductSpaceParams {
    /// Links beyond the spanning tree where proximity is at least this (default 0.55, Hidalgo
    /// et al. 2007's figure).
    pub threshold: f64,
    /// The country whose products with M = 1 are highlighted (default none).
    pub country: Option<String>,
}

impl Default for ProductSpaceParams {
    fn default() -> Self {
        ProductSpaceParams {
            threshold: 0.55,
            country: None,
        }
    }
}

impl ProductSpaceParams {
    /// Errors ([`Error::Param`] `threshold`): a threshold outside [0, 1].
    pub fn validate(&self) -> Result<()> {
        let t = self.threshold;
        if !(t.is_finite() && (0.0..=1.0).contains(&t)) {
            return Err(Error::param(
                "threshold",
                t,
                "a proximity threshold is a number from 0 to 1",
            ));
        }
        Ok(())
    }
}

/// The product space of a complexity result `r`: the maximum spanning tree of phi over the
/// products with ubiquity above 0 (Prim's algorithm on the dense matrix, O(P^2), ties to the
/// lower index), plus the links with phi >= `p.threshold`; `p.country`'s products with M = 1
/// highlighted. A forest when the proximity graph is not connected (each part's tree).
///
/// Errors: a threshold outside [0, 1] ([`Error::Param`] `threshold`), an unknown country.
///
/// ```
/// use tradenet::analysis::complexity::{complexity, ComplexityParams, CountryProduct};
/// let x = CountryProduct::from_triples(
///     [("A", "p1", 1.0), ("A", "p2", 5.0), ("A", "p3", 14.0),
///      ("B", "p1", 1.0), ("B", "p2", 4.0), ("B", "p3", 5.0),
///      ("C", "p2", 1.0), ("C", "p3", 9.0)],
///     Vec::new(),
/// ).unwrap();
/// let r = complexity(&x, &ComplexityParams::default()).unwrap();
/// use tradenet::analysis::complexity::product_space;
/// use tradenet::analysis::complexity::ProductSpaceParams;
/// let p = ProductSpaceParams { threshold: 1.0, country: Some("B".into()) };
/// let s = product_space(&r, &p).unwrap();
/// // A tree over the 3 products: 2 links.
/// assert_eq!((s.nodes.len(), s.links.iter().filter(|l| l.tree).count()), (3, 2));
/// ```
pub fn product_space(r: &Complexity, p: &ProductSpaceParams) -> Result<ProductSpace> {
    p.validate()?;
    let (threshold, country) = (p.threshold, p.country.as_deref());
    let c = country.map(|c| r.country_index(c)).transpose()?;
    let np = r.products.len();
    let keep: Vec<usize> = (0..np).filter(|&p| r.products[p].ubiquity > 0).collect();
    let n = keep.len();
    let nodes: Vec<SpaceNode> = keep
        .iter()
        .map(|&p| SpaceNode {
            id: r.products[p].id.clone(),
            exports: r.products[p].exports,
            pci: r.products[p].pci,
            highlighted: c.is_some_and(|c| r.matrices.m[c * np + p]),
        })
        .collect();
    let phi = |i: usize, j: usize| r.proximity(keep[i], keep[j]);
    // Prim: best[j] = the strongest link from the tree to j.
    let mut in_tree = vec![false; n];
    let mut best = vec![f64::NEG_INFINITY; n];
    let mut from = vec![usize::MAX; n];
    let mut links = Vec::new();
    for _ in 0..n {
        // The next node: the strongest link into the tree, or (a new part) the lowest index.
        let mut next = usize::MAX;
        for j in 0..n {
            if !in_tree[j] && (next == usize::MAX || best[j] > best[next]) {
                next = j;
            }
        }
        in_tree[next] = true;
        if from[next] != usize::MAX && best[next] > 0.0 {
            let (a, b) = (from[next].min(next), from[next].max(next));
            links.push(SpaceLink {
                a,
                b,
                proximity: best[next],
                tree: true,
            });
        }
        for j in 0..n {
            if !in_tree[j] {
                let v = phi(next, j);
                if v > best[j] {
                    best[j] = v;
                    from[j] = next;
                }
            }
        }
    }
    let mut tree_pairs: Vec<(usize, usize)> = links.iter().map(|l| (l.a, l.b)).collect();
    tree_pairs.sort_unstable();
    let mut extra = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let v = phi(a, b);
            if v >= threshold && v > 0.0 && tree_pairs.binary_search(&(a, b)).is_err() {
                extra.push(SpaceLink {
                    a,
                    b,
                    proximity: v,
                    tree: false,
                });
            }
        }
    }
    extra.sort_by(|x, y| {
        y.proximity
            .total_cmp(&x.proximity)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    links.extend(extra);
    Ok(ProductSpace {
        nodes,
        links,
        threshold,
        country: country.map(str::to_string),
    })
}
