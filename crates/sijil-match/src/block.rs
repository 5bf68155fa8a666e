//! Blocking: which pairs are compared at all.
//!
//! Each record gets up to [`NKEYS`] keys, built from *blocking codes* of its names (coarse
//! consonant skeletons, which spellings in both scripts share) and from its birth date and
//! national number. Two records are compared when they share any key. The keys are chosen so
//! that any single damaged field leaves a true pair at least one shared key:
//!
//! | key | survives |
//! |---|---|
//! | national number | any name or date damage |
//! | first, family, birth year | father and mother missing (foreign records) |
//! | {first, father} as a set, family | date damage; first and father swapped |
//! | first, father, birth year | family name damaged or missing |
//! | father, family, full birth date | first name damaged or missing |
//! | first, mother, family | date damage and father missing |
//! | first, family, month and day | year off by one, and father missing |
//! | first, father, mother | family and date damaged |
//!
//! Each record is compared with at most `cap` records of each group (the latest ones before
//! it, in input order), so a huge group (a common name, a default date) costs linear time. The
//! same rule, applied to an index that grows record by record, gives the incremental resolver
//! exactly the candidates the batch gives.
//!
//! The cap is set per kind, as a share of the base cap ([`CAP_PERCENT`]): kinds whose groups
//! are families or crowds (the parents' names, a date with a common name) add many pairs that
//! no other kind adds, few of them true; measured per kind on generated populations (see
//! bench/RESULTS.md, "Speed, third round"), a quarter or half of the base cap drops a third
//! of the candidate pairs and 0.06 % of the true ones (pairwise F1 unchanged at a million
//! people, 0.05 points lower with the file's rows shuffled): the far members of a big family
//! group are siblings and cousins. The registry's larger base cap is shared out the same way.

use crate::compare::{C_DATE, C_FAMILY, C_FATHER, C_FIRST, C_MOTHER, C_NUMBER, C_ORDER, NCOMP};
use crate::hash;
use crate::prepare::{FAMILY, FATHER, FIRST, MOTHER, Rec, name};
use crate::vocab::{Lookup, NONE};

/// How many kinds of blocking key.
pub(crate) const NKEYS: usize = 11;

/// Names of the blocking keys, for reports.
pub const BLOCKING_KEYS: [&str; NKEYS] = [
    "national_number",
    "first+family+year",
    "first/father+family",
    "first+father+year",
    "first+mother+family",
    "first+family+month_day",
    "first+father+mother",
    "family+date",
    "first+date",
    "mother+date",
    "father+family+mother",
];

/// Each kind's cap, in hundredths of the base cap (`Settings::block_cap`), in the order of
/// [`BLOCKING_KEYS`]. Measured at a million people with the base cap of 20 (pairs a kind adds
/// that no earlier kind adds / true pairs among them / true pairs only it finds, at the full
/// cap): father+family+mother 9.8 million / 3,472 / 3,472 (its groups are families: the far
/// members are siblings and cousins); first+mother+family 5.8 million / 3,717 / 2,270;
/// mother+date 3.1 million / 679 / 679. Kinds that find many true pairs alone keep the full
/// cap: the national number, first+family+year, and first/father+family, the key of swapped
/// names (at half its cap, swapped pairs lost 1.5 points of recall on a shuffled file).
pub(crate) const CAP_PERCENT: [usize; NKEYS] = [100, 100, 100, 50, 25, 50, 25, 50, 50, 25, 25];

/// How many records of one group of kind `k` a record meets, given the base cap (at least
/// one, so that a small base cap never switches a kind off).
#[inline]
pub(crate) fn kind_cap(k: usize, cap: usize) -> usize {
    (cap * CAP_PERCENT[k] / 100).max(1)
}

/// The comparisons that key kind `k` selects on, which EM must leave out of that key's
/// sample (see `em`). Keys on an ordered first or father name also select against swapped
/// names, so they leave out the name order too.
pub(crate) fn excluded(k: usize) -> [bool; NCOMP] {
    let mut x = [false; NCOMP];
    let set = |x: &mut [bool; NCOMP], cs: &[usize]| cs.iter().for_each(|&c| x[c] = true);
    match k {
        0 => set(&mut x, &[C_NUMBER]),
        1 | 5 => set(&mut x, &[C_FIRST, C_FAMILY, C_DATE, C_ORDER]),
        2 => set(&mut x, &[C_FIRST, C_FATHER, C_FAMILY, C_ORDER]),
        3 => set(&mut x, &[C_FIRST, C_FATHER, C_DATE, C_ORDER]),
        4 => set(&mut x, &[C_FIRST, C_MOTHER, C_FAMILY, C_ORDER]),
        6 => set(&mut x, &[C_FIRST, C_FATHER, C_MOTHER, C_ORDER]),
        7 => set(&mut x, &[C_FAMILY, C_DATE]),
        8 => set(&mut x, &[C_FIRST, C_DATE, C_ORDER]),
        9 => set(&mut x, &[C_MOTHER, C_DATE]),
        _ => set(&mut x, &[C_FATHER, C_FAMILY, C_MOTHER, C_ORDER]),
    }
    x
}

/// The blocking keys of a record; 0 where a key's fields are missing.
pub(crate) type Keys = [u64; NKEYS];

fn code<L: Lookup + ?Sized>(v: &L, r: &Rec, field: usize) -> Option<u64> {
    let id = r.names[field];
    (id != NONE).then(|| name(v, field, id).code)
}

fn key(kind: usize, parts: &[Option<u64>]) -> u64 {
    let mut h = hash::mix(0x626c_6f63_6b00 | kind as u64);
    for p in parts {
        match p {
            Some(x) => h = hash::combine(h, *x),
            None => return 0,
        }
    }
    // 0 means "no key".
    h.max(1)
}

/// Computes the keys of a record.
pub(crate) fn keys<L: Lookup + ?Sized>(v: &L, r: &Rec) -> Keys {
    let first = code(v, r, FIRST);
    let father = code(v, r, FATHER);
    let fine = |field: usize| {
        let id = r.names[field];
        (id != NONE).then(|| name(v, field, id).tf)
    };
    let (first_fine, father_fine, mother_fine) = (fine(FIRST), fine(FATHER), fine(MOTHER));
    let family = code(v, r, FAMILY);
    let mother = code(v, r, MOTHER);
    let year = r.date.map(|d| u64::from(d.year));
    let full = r
        .date
        .map(|d| (u64::from(d.year) << 16) | (u64::from(d.month) << 8) | u64::from(d.day));
    let month_day = r
        .date
        .filter(|d| d.is_full())
        .map(|d| (u64::from(d.month) << 8) | u64::from(d.day));
    let number =
        (r.number.len != 0).then(|| hash::combine(r.number.value, u64::from(r.number.len)));
    let pair = match (first, father) {
        (Some(a), Some(b)) => Some(hash::combine(a.min(b), a.max(b))),
        _ => None,
    };
    [
        key(0, &[number]),
        key(1, &[first, family, year]),
        key(2, &[pair, family]),
        key(3, &[first_fine, father_fine, year]),
        key(4, &[first, mother, family]),
        key(5, &[first, family, month_day]),
        key(6, &[first_fine, father_fine, mother_fine]),
        key(7, &[family, full]),
        key(8, &[first, full]),
        key(9, &[mother, full]),
        key(10, &[father, family, mother]),
    ]
}

/// Sorted blocking groups of a whole data set, for the batch.
///
/// Each kind's order is kept with its keys side by side (`sorted`), so that walking back
/// through a group reads memory in sequence instead of fetching each candidate's keys from
/// wherever the record lies; and a record's positions are kept together (`at`), so that
/// asking whether an earlier kind already paired two records reads one small entry per
/// record (with tens of millions of candidate pairs, scattered fetches were a fifth of the
/// matching time). Two records paired by an earlier kind stand within `cap` places of each
/// other in its order, so their keys are read from `sorted` there, near each other, rather
/// than kept in the entries: an entry is then one cache line instead of three.
pub(crate) struct Groups {
    /// Per key kind: record indices sorted by (key, index).
    pub order: Vec<Vec<u32>>,
    /// Per key kind: the key of each entry of `order`.
    sorted: Vec<Vec<u64>>,
    /// Per record: its position in each kind's order.
    at: Vec<Placed>,
}

/// Where a record stands in each kind's order (`u32::MAX` when it has no key of that kind).
/// Aligned so that an entry never straddles two cache lines.
#[repr(align(64))]
struct Placed {
    pos: [u32; NKEYS],
}

impl Groups {
    /// Sorts the records into groups.
    pub(crate) fn build(keys: Vec<Keys>) -> Self {
        use rayon::prelude::*;
        let per_kind: Vec<(Vec<u32>, Vec<u64>)> = (0..NKEYS)
            .into_par_iter()
            .map(|k| {
                // Sorting the (key, index) pairs themselves, not indices by a key looked up
                // elsewhere, keeps the sort in cache.
                let mut pairs: Vec<(u64, u32)> = keys
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r[k] != 0)
                    .map(|(i, r)| (r[k], i as u32))
                    .collect();
                pairs.sort_unstable();
                let (sorted, order) = pairs.into_iter().unzip();
                (order, sorted)
            })
            .collect();
        let n = keys.len();
        drop(keys);
        let mut at: Vec<Placed> = (0..n)
            .map(|_| Placed {
                pos: [u32::MAX; NKEYS],
            })
            .collect();
        let mut order = Vec::with_capacity(NKEYS);
        let mut sorted = Vec::with_capacity(NKEYS);
        for (k, (o, s)) in per_kind.into_iter().enumerate() {
            for (p, &i) in o.iter().enumerate() {
                at[i as usize].pos[k] = p as u32;
            }
            order.push(o);
            sorted.push(s);
        }
        Groups { order, sorted, at }
    }

    /// The positions before `p` in kind `k`'s order that are in `p`'s group, nearest first,
    /// at most `cap` of them.
    #[inline]
    fn before(&self, k: usize, p: usize, cap: usize) -> impl Iterator<Item = u32> + '_ {
        let sorted = &self.sorted[k];
        let key = sorted[p];
        let lo = p.saturating_sub(kind_cap(k, cap));
        let same = sorted[lo..p]
            .iter()
            .rev()
            .take_while(move |&&x| x == key)
            .count();
        self.order[k][p - same..p].iter().rev().copied()
    }

    /// Calls `f(i, j)` for every candidate pair (`j` before `i`) that key kind `k` yields at
    /// positions `range` of its order and that no earlier kind yields (so each pair comes once).
    pub(crate) fn pairs_of_kind(
        &self,
        k: usize,
        range: std::ops::Range<usize>,
        cap: usize,
        mut f: impl FnMut(u32, u32),
    ) {
        for p in range {
            let i = self.order[k][p];
            for j in self.before(k, p, cap) {
                if !self.earlier_kind_has(k, i, j, cap) {
                    f(i, j);
                }
            }
        }
    }

    /// Calls `f(j)` for every candidate `j` of record `i` (records before it in its groups,
    /// at most `cap` per group), each once.
    pub(crate) fn pairs_of_record(&self, i: u32, cap: usize, mut f: impl FnMut(u32)) {
        for k in 0..NKEYS {
            let p = self.at[i as usize].pos[k];
            if p == u32::MAX {
                continue;
            }
            for j in self.before(k, p as usize, cap) {
                if !self.earlier_kind_has(k, i, j, cap) {
                    f(j);
                }
            }
        }
    }

    /// Calls `f(j)` for the records before `i` in its group of key kind `k` (at most `cap`),
    /// whether or not other kinds yield them too.
    pub(crate) fn pairs_of_key(&self, i: u32, k: usize, cap: usize, f: impl FnMut(u32)) {
        let p = self.at[i as usize].pos[k];
        if p == u32::MAX {
            return;
        }
        self.before(k, p as usize, cap).for_each(f);
    }

    /// The kinds (as a bit set) that make `j` a candidate of `i` (`j` before `i`).
    pub(crate) fn kinds_pairing(&self, i: u32, j: u32, cap: usize) -> u32 {
        let (a, b) = (&self.at[i as usize], &self.at[j as usize]);
        let mut bits = 0;
        for k in 0..NKEYS {
            let (pa, pb) = (a.pos[k], b.pos[k]);
            if pa != u32::MAX
                && pb != u32::MAX
                && (pa.wrapping_sub(pb) as usize) <= kind_cap(k, cap)
                && self.sorted[k][pa as usize] == self.sorted[k][pb as usize]
            {
                bits |= 1 << k;
            }
        }
        bits
    }

    fn earlier_kind_has(&self, k: usize, i: u32, j: u32, cap: usize) -> bool {
        let (a, b) = (&self.at[i as usize], &self.at[j as usize]);
        (0..k).any(|e| {
            let (pa, pb) = (a.pos[e], b.pos[e]);
            // Both have a key of this kind, `j` stands at most `cap` places before `i`, and
            // the keys there are equal (keys in `sorted` are never 0).
            pa != u32::MAX
                && pb != u32::MAX
                && (pa.wrapping_sub(pb) as usize) <= kind_cap(e, cap)
                && self.sorted[e][pa as usize] == self.sorted[e][pb as usize]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_pair_comes_once_and_within_the_cap() {
        // Records 0..6 share kind 1's key; 0..3 also share kind 0's.
        let mut keys = vec![[0u64; NKEYS]; 6];
        for (i, k) in keys.iter_mut().enumerate() {
            k[1] = 7;
            if i < 3 {
                k[0] = 9;
            }
        }
        let g = Groups::build(keys);
        let mut seen = Vec::new();
        for k in 0..NKEYS {
            g.pairs_of_kind(k, 0..g.order[k].len(), 2, |i, j| seen.push((i, j)));
        }
        seen.sort_unstable();
        // Each record meets the two before it.
        assert_eq!(
            seen,
            [
                (1, 0),
                (2, 0),
                (2, 1),
                (3, 1),
                (3, 2),
                (4, 2),
                (4, 3),
                (5, 3),
                (5, 4)
            ]
        );
    }

    #[test]
    fn each_kind_meets_its_own_cap_and_earlier_kinds_theirs() {
        // Kinds 4 and 7 have different caps; all eight records share both keys, so the pairs
        // are those within the larger of the two caps, each once.
        let cap = 8;
        let (c4, c7) = (kind_cap(4, cap), kind_cap(7, cap));
        assert!(
            c4 != c7 && c4 > 0 && c7 > 0,
            "the test needs two different caps"
        );
        let mut keys = vec![[0u64; NKEYS]; 8];
        for k in keys.iter_mut() {
            k[4] = 5;
            k[7] = 6;
        }
        let g = Groups::build(keys);
        let mut seen = Vec::new();
        for k in 0..NKEYS {
            g.pairs_of_kind(k, 0..g.order[k].len(), cap, |i, j| seen.push((i, j)));
        }
        seen.sort_unstable();
        let mut want = Vec::new();
        for i in 0..8u32 {
            for j in 0..i {
                if (i - j) as usize <= c4.max(c7) {
                    want.push((i, j));
                }
            }
        }
        assert_eq!(seen, want);
        // The kinds that make a pair a candidate follow the same caps.
        assert_eq!(
            g.kinds_pairing(7, 7 - c4.min(c7) as u32, cap),
            (1 << 4) | (1 << 7)
        );
        let far = c4.max(c7) as u32;
        let only = if c4 > c7 { 1 << 4 } else { 1 << 7 };
        assert_eq!(g.kinds_pairing(7, 7 - far, cap), only);
    }
}
