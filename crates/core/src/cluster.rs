//! Clustering that resists chaining.
//!
//! Plain union-find over similarity edges merges chains A~B~C~… whose ends
//! share nothing. Here every cluster has a representative, and the rule is:
//!
//! > every member is at least `floor` similar to its cluster's
//! > representative (`floor = threshold − 0.1` by default), and is reached
//! > from it through edges of similarity ≥ threshold.
//!
//! Documents are visited in priority order (the `--keep` policy). The first
//! unassigned document becomes a representative; a breadth-first walk over
//! the threshold edges then admits each unassigned neighbour whose exact
//! similarity to the representative is at least `floor`. Rejected documents
//! stay free for a later cluster. Since the walk, the edge lists and the
//! priority order are all deterministic, so is the result, whatever the
//! thread count.

use std::collections::VecDeque;

/// A verified similarity edge between two documents.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    pub a: u32,
    pub b: u32,
    pub similarity: f64,
}

/// The clusters: for every document, its representative and its exact
/// similarity to it (1.0 for representatives).
#[derive(Clone, Debug, PartialEq)]
pub struct Clusters {
    pub representative: Vec<u32>,
    pub similarity: Vec<f64>,
    /// How many similarities to a representative were computed beyond the
    /// verified edges.
    pub extra_checks: usize,
}

impl Clusters {
    pub fn is_representative(&self, doc: u32) -> bool {
        self.representative[doc as usize] == doc
    }

    pub fn count(&self) -> usize {
        (0..self.representative.len() as u32).filter(|&d| self.is_representative(d)).count()
    }
}

/// Clusters `n` documents. `order` lists all documents by priority; `edges`
/// are the verified edges (similarity ≥ threshold); `similarity(a, b)`
/// computes an exact similarity not among the edges.
pub fn cluster<E>(
    n: usize,
    order: &[u32],
    edges: &[Edge],
    floor: f64,
    mut similarity: impl FnMut(u32, u32) -> Result<f64, E>,
) -> Result<Clusters, E> {
    let mut rank = vec![0u32; n];
    for (r, &d) in order.iter().enumerate() {
        rank[d as usize] = r as u32;
    }
    // Adjacency in CSR form, each list sorted by the neighbour's rank.
    let mut degree = vec![0u32; n + 1];
    for e in edges {
        degree[e.a as usize + 1] += 1;
        degree[e.b as usize + 1] += 1;
    }
    for i in 0..n {
        degree[i + 1] += degree[i];
    }
    let start = degree;
    let mut fill = start.clone();
    let mut adj = vec![(0u32, 0u32, 0f64); edges.len() * 2];
    for e in edges {
        for (x, y) in [(e.a, e.b), (e.b, e.a)] {
            let at = &mut fill[x as usize];
            adj[*at as usize] = (rank[y as usize], y, e.similarity);
            *at += 1;
        }
    }
    for i in 0..n {
        adj[start[i] as usize..start[i + 1] as usize].sort_unstable_by(|p, q| p.0.cmp(&q.0));
    }
    let neighbours = |d: u32| &adj[start[d as usize] as usize..start[d as usize + 1] as usize];

    const FREE: u32 = u32::MAX;
    let mut representative = vec![FREE; n];
    let mut sim = vec![0.0; n];
    let mut extra_checks = 0;
    let mut queue = VecDeque::new();
    for &r in order {
        if representative[r as usize] != FREE {
            continue;
        }
        representative[r as usize] = r;
        sim[r as usize] = 1.0;
        queue.clear();
        queue.push_back(r);
        while let Some(u) = queue.pop_front() {
            for &(_, v, weight) in neighbours(u) {
                if representative[v as usize] != FREE {
                    continue;
                }
                let s = if u == r {
                    weight
                } else if let Some(&(_, _, w)) = neighbours(v).iter().find(|x| x.1 == r) {
                    w
                } else {
                    extra_checks += 1;
                    similarity(v, r)?
                };
                if s >= floor {
                    representative[v as usize] = r;
                    sim[v as usize] = s;
                    queue.push_back(v);
                }
            }
        }
    }
    Ok(Clusters { representative, similarity: sim, extra_checks })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(n: usize, order: &[u32], edges: &[(u32, u32, f64)], truth: &[(u32, u32, f64)]) -> Clusters {
        let edges: Vec<Edge> = edges.iter().map(|&(a, b, s)| Edge { a, b, similarity: s }).collect();
        let lookup = |a: u32, b: u32| -> Result<f64, ()> {
            Ok(truth.iter().find(|t| (t.0 == a && t.1 == b) || (t.0 == b && t.1 == a)).map(|t| t.2).unwrap_or(0.0))
        };
        cluster(n, order, &edges, 0.7, lookup).unwrap()
    }

    #[test]
    fn chain_is_cut() {
        // 0~1~2~3 each 0.85, but 0 and 3 share little.
        let edges = [(0, 1, 0.85), (1, 2, 0.85), (2, 3, 0.85)];
        let truth = [(0, 2, 0.72), (0, 3, 0.5), (2, 3, 0.85), (1, 3, 0.72)];
        let c = run(4, &[0, 1, 2, 3], &edges, &truth);
        assert_eq!(c.representative, vec![0, 0, 0, 3]);
        assert_eq!(c.similarity, vec![1.0, 0.85, 0.72, 1.0]);
    }

    #[test]
    fn priority_picks_representative() {
        let edges = [(0, 1, 0.9), (1, 2, 0.9), (0, 2, 0.9)];
        let c = run(3, &[2, 0, 1], &edges, &[]);
        assert_eq!(c.representative, vec![2, 2, 2]);
        assert_eq!(c.count(), 1);
        assert!(c.is_representative(2));
    }

    #[test]
    fn singletons() {
        let c = run(3, &[0, 1, 2], &[], &[]);
        assert_eq!(c.representative, vec![0, 1, 2]);
        assert_eq!(c.extra_checks, 0);
    }
}
