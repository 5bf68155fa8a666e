//! The decision for one record against the clusters (persons) already formed, shared by the
//! batch and the incremental resolver so that both give the same answers.
//!
//! A record is linked to the cluster of its best candidate above the link threshold; any other
//! cluster it also links to above the threshold is merged in. A cluster is only joined or
//! merged when *every* pair of records that would end up together is possible: no two
//! different valid national numbers, no two recorded sexes, and no pair whose contrary
//! evidence reaches the veto. This is what stops chaining: two records that cannot be one
//! person are never put in one cluster through others, whatever the order.

use std::hash::Hash;

use crate::model::Settings;

/// What the decision needs to know about the clusters formed so far.
pub(crate) trait Clusters {
    /// A cluster's identity.
    type Id: Copy + Eq + Hash;
    /// The cluster of an existing record.
    fn cluster_of(&self, rec: u32) -> Self::Id;
    /// The records of a cluster.
    fn members(&self, c: Self::Id) -> &[u32];
    /// Whether the record being decided may be one person with existing record `m`.
    fn fits_new(&self, m: u32) -> bool;
    /// Whether two existing records may be one person.
    fn fits(&self, a: u32, b: u32) -> bool;
}

/// The decision for a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome<C> {
    /// Join cluster `to`, merging `merge` into it.
    Link { to: C, merge: Vec<C> },
    /// A candidate scored between the thresholds (or was refused by the veto): a person must
    /// look. The record stays a cluster of its own until then.
    Review,
    /// No candidate came close: a new person.
    New,
}

/// Decides a record from its candidates `(record, weight)` (any order; those below the review
/// threshold may be left out).
pub(crate) fn decide<W: Clusters>(w: &W, cands: &[(u32, f64)], s: &Settings) -> Outcome<W::Id> {
    // Best candidate per cluster, among those above the link threshold.
    let mut best: Vec<(W::Id, f64, u32)> = Vec::new();
    for &(j, weight) in cands.iter().filter(|c| c.1 >= s.link_threshold) {
        let c = w.cluster_of(j);
        match best.iter_mut().find(|b| b.0 == c) {
            Some(b) if weight > b.1 || (weight == b.1 && j < b.2) => (b.1, b.2) = (weight, j),
            Some(_) => {}
            None => best.push((c, weight, j)),
        }
    }
    // Strongest first; ties by the earlier record, the same in batch and incremental runs.
    best.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.2.cmp(&y.2)));
    let mut accepted: Vec<W::Id> = Vec::new();
    for &(c, _, _) in &best {
        let members = w.members(c);
        if !members.iter().all(|&m| w.fits_new(m)) {
            continue;
        }
        let fits_accepted = accepted.iter().all(|&a| {
            w.members(a)
                .iter()
                .all(|&x| members.iter().all(|&y| w.fits(x, y)))
        });
        if fits_accepted {
            accepted.push(c);
        }
    }
    if let Some((&to, rest)) = accepted.split_first() {
        Outcome::Link {
            to,
            merge: rest.to_vec(),
        }
    } else if cands.iter().any(|c| c.1 >= s.review_threshold) {
        Outcome::Review
    } else {
        Outcome::New
    }
}

/// Clusters of a batch: union by size over record indices, with member lists.
#[derive(Debug, Clone)]
pub(crate) struct Forest {
    parent: Vec<u32>,
    members: Vec<Vec<u32>>,
}

impl Forest {
    pub(crate) fn new() -> Self {
        Forest {
            parent: Vec::new(),
            members: Vec::new(),
        }
    }

    /// Adds a record as a cluster of its own.
    pub(crate) fn push(&mut self) -> u32 {
        let i = self.parent.len() as u32;
        self.parent.push(i);
        self.members.push(vec![i]);
        i
    }

    /// The root of a record's cluster.
    pub(crate) fn root(&self, mut i: u32) -> u32 {
        while self.parent[i as usize] != i {
            i = self.parent[i as usize];
        }
        i
    }

    /// The records of a root's cluster.
    pub(crate) fn members_of(&self, root: u32) -> &[u32] {
        &self.members[root as usize]
    }

    /// Joins two clusters (roots); returns the new root.
    pub(crate) fn union(&mut self, a: u32, b: u32) -> u32 {
        if a == b {
            return a;
        }
        let (big, small) = if self.members[a as usize].len() >= self.members[b as usize].len() {
            (a, b)
        } else {
            (b, a)
        };
        let moved = std::mem::take(&mut self.members[small as usize]);
        self.members[big as usize].extend(moved);
        self.parent[small as usize] = big;
        big
    }

    /// Applies a decision for record `i` (already pushed).
    pub(crate) fn apply(&mut self, i: u32, outcome: &Outcome<u32>) {
        if let Outcome::Link { to, merge } = outcome {
            let mut root = self.union(*to, i);
            for &m in merge {
                root = self.union(root, self.root(m));
            }
        }
    }

    /// A dense cluster number for every record (numbered by first appearance).
    pub(crate) fn labels(&self) -> Vec<u32> {
        let mut label = vec![u32::MAX; self.parent.len()];
        let mut next = 0;
        (0..self.parent.len() as u32)
            .map(|i| {
                let r = self.root(i) as usize;
                if label[r] == u32::MAX {
                    label[r] = next;
                    next += 1;
                }
                label[r]
            })
            .collect()
    }
}
