//! Clustering that resists chaining.
//!
//! Plain union-find over similarity edges merges chains A~B~C~… whose ends
//! share nothing. Here every cluster has a representative, and the rule is:
//!
//! > every member is reached from the representative through edges of
//! > similarity ≥ threshold, and every two members of a cluster are at least
//! > `floor` similar (`floor = threshold − 0.1` by default).
//!
//! This is stricter than asking members to be close to the representative
//! only: no two documents of one cluster are ever far apart. Documents are
//! visited in priority order (the `--keep` policy). The first unassigned
//! document becomes a representative; a breadth-first walk over the
//! threshold edges then admits each unassigned neighbour whose exact
//! similarity to the representative and to every member admitted so far is
//! at least `floor`. Rejected documents stay free for a later cluster. The
//! walk, the edge lists and the priority order are deterministic, and so is
//! the result, whatever the thread count.
//!
//! Cost: a document joining a cluster of `m` members is compared with all of
//! them (verified edges are looked up, other similarities computed), so a
//! cluster of `m` costs `O(m²)` comparisons. Beyond [`FULL_CHECK_LIMIT`]
//! members a newcomer is compared with the representative and with the
//! [`FULL_CHECK_LIMIT`] members least similar to it, the ones most likely to
//! object; exact duplicates of a member are admitted with it.

use std::collections::VecDeque;

/// Clusters up to this size check a newcomer against every member.
pub const FULL_CHECK_LIMIT: usize = 256;

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
        adj[start[i] as usize..start[i + 1] as usize].sort_unstable_by_key(|p| p.0);
    }
    let neighbours = |d: u32| &adj[start[d as usize] as usize..start[d as usize + 1] as usize];

    const FREE: u32 = u32::MAX;
    let mut representative = vec![FREE; n];
    let mut sim = vec![0.0; n];
    let mut extra_checks = 0;
    let mut queue = VecDeque::new();
    // Members other than the representative, kept sorted by similarity to
    // it once the cluster outgrows FULL_CHECK_LIMIT.
    let mut members: Vec<(f64, u32)> = Vec::new();
    // Similarity of two documents: a verified edge when there is one, else
    // computed exactly.
    let mut similar = |x: u32, y: u32, extra_checks: &mut usize| -> Result<f64, E> {
        if let Some(&(_, _, w)) = neighbours(x).iter().find(|e| e.1 == y) {
            return Ok(w);
        }
        *extra_checks += 1;
        similarity(x, y)
    };
    for &r in order {
        if representative[r as usize] != FREE {
            continue;
        }
        representative[r as usize] = r;
        sim[r as usize] = 1.0;
        queue.clear();
        queue.push_back(r);
        members.clear();
        while let Some(u) = queue.pop_front() {
            for &(_, v, weight) in neighbours(u) {
                if representative[v as usize] != FREE {
                    continue;
                }
                let s = if u == r { weight } else { similar(v, r, &mut extra_checks)? };
                if s < floor {
                    continue;
                }
                // An exact duplicate of the member it was reached from
                // (similarity 1 edge) agrees with every member already.
                let mut admitted = true;
                if !(u != r && weight == 1.0) {
                    if members.len() > FULL_CHECK_LIMIT {
                        members.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
                    }
                    for &(_, m) in members.iter().take(FULL_CHECK_LIMIT) {
                        if similar(v, m, &mut extra_checks)? < floor {
                            admitted = false;
                            break;
                        }
                    }
                }
                if admitted {
                    representative[v as usize] = r;
                    sim[v as usize] = s;
                    members.push((s, v));
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
    fn members_must_agree_with_each_other() {
        // 1 and 2 are both close to 0 but not to each other: 2 is left out.
        let edges = [(0, 1, 0.85), (0, 2, 0.85)];
        let truth = [(1, 2, 0.6)];
        let c = run(3, &[0, 1, 2], &edges, &truth);
        assert_eq!(c.representative, vec![0, 0, 2]);
        // Unless an exact duplicate: 3 copies 1 and joins with it.
        let edges = [(0, 1, 0.85), (1, 3, 1.0)];
        let truth = [(0, 3, 0.85)];
        let c = run(4, &[0, 1, 2, 3], &edges, &truth);
        assert_eq!(c.representative, vec![0, 0, 2, 0]);
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
