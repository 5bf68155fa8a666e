//! Term frequencies: how many training records hold each normalised value, for the
//! term-frequency adjustment (a match on `محمد` says little, a match on a rare family name says
//! a lot) and for the family core, whose chance agreement is counted on the *combination* of
//! father, family and mother names (how many records share that whole family context: the
//! siblings), not multiplied from the parts.
//!
//! Counts are frozen into the model when it is trained, so that batch and incremental
//! resolution weigh a pair the same way whatever the registry holds at the time.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::compare::{NREGIME, Stats};
use crate::hash;
use crate::prepare::{FAMILY, FATHER, FIRST, MOTHER, Rec, name};
use crate::vocab::{Kind, Lookup, NONE};

/// Counts of one kind of value. Values seen once are not stored: an absent value counts 1.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "CountsRepr", into = "CountsRepr")]
pub(crate) struct Counts {
    map: FxHashMap<u64, u32>,
    /// The chance that two distinct training records hold the same value (Σ c(c−1) / N(N−1)):
    /// the average `u` of exact agreement, which the adjustment is relative to.
    pub mean: f64,
}

#[derive(Serialize, Deserialize)]
struct CountsRepr {
    mean: f64,
    /// `[hash, count]`, sorted by hash.
    counts: Vec<(u64, u32)>,
}

impl From<CountsRepr> for Counts {
    fn from(r: CountsRepr) -> Self {
        Counts {
            map: r.counts.into_iter().collect(),
            mean: r.mean,
        }
    }
}

impl From<Counts> for CountsRepr {
    fn from(c: Counts) -> Self {
        let mut counts: Vec<(u64, u32)> = c.map.into_iter().collect();
        counts.sort_unstable();
        CountsRepr {
            mean: c.mean,
            counts,
        }
    }
}

impl Counts {
    fn build(keys: impl Iterator<Item = u64>, records: u64) -> Self {
        let mut map: FxHashMap<u64, u32> = FxHashMap::default();
        for k in keys {
            *map.entry(k).or_default() += 1;
        }
        let pairs: f64 = map.values().map(|&c| f64::from(c) * f64::from(c - 1)).sum();
        let n = records as f64;
        let mean = if n > 1.0 {
            pairs / (n * (n - 1.0))
        } else {
            0.0
        };
        map.retain(|_, c| *c > 1);
        map.shrink_to_fit();
        Counts { map, mean }
    }

    /// The count of a value (1 when not stored).
    #[inline]
    pub(crate) fn get(&self, key: u64) -> u32 {
        self.map.get(&key).copied().unwrap_or(1)
    }
}

/// All the counts a model keeps.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct TermFrequencies {
    /// Training records.
    pub records: u64,
    /// Per name field (first, father, grandfather, family, mother, mother's family).
    pub names: Vec<Counts>,
    /// Per regime with two or three core fields (index: regime bits; others empty).
    pub joint: Vec<Counts>,
    /// Full birth dates (partial ones by what is known).
    pub date: Counts,
    pub birth_place: Counts,
    /// Register place and number together.
    pub registry: Counts,
    /// First name and birth decade together: names go in and out of fashion, so two people
    /// born the same years share a first name more often than its overall frequency says.
    #[serde(default)]
    pub first_decade: Counts,
    /// Records with a first name born in each decade.
    #[serde(default)]
    pub decades: std::collections::BTreeMap<u16, u32>,
}

/// The key of a date as written.
fn date_key(r: &Rec) -> Option<u64> {
    r.date
        .map(|d| (u64::from(d.year) << 16) | (u64::from(d.month) << 8) | u64::from(d.day))
}

/// The family-core key of regime `s` from the term-frequency keys of father, family and
/// mother; `None` when a field the regime needs is missing.
pub(crate) fn core_key(s: usize, tfs: [Option<u64>; 3]) -> Option<u64> {
    let mut h = hash::mix(0x636f_7265 ^ s as u64);
    for (bit, tf) in tfs.iter().enumerate() {
        if s & (1 << bit) != 0 {
            h = hash::combine(h, (*tf)?);
        }
    }
    Some(h)
}

/// The term-frequency keys of a record's father, family and mother names.
pub(crate) fn core_tfs<L: Lookup + ?Sized>(v: &L, r: &Rec) -> [Option<u64>; 3] {
    [FATHER, FAMILY, MOTHER].map(|f| name_tf(v, r, f))
}

fn name_tf<L: Lookup + ?Sized>(v: &L, r: &Rec, field: usize) -> Option<u64> {
    let id = r.names[field];
    (id != NONE).then(|| name(v, field, id).tf)
}

fn registry_key<L: Lookup + ?Sized>(v: &L, r: &Rec) -> Option<u64> {
    if r.registry_place == NONE || r.registry_number == 0 {
        return None;
    }
    Some(hash::combine(
        v.entry(Kind::Place, r.registry_place).tf,
        r.registry_number,
    ))
}

fn first_decade_key<L: Lookup + ?Sized>(v: &L, r: &Rec) -> Option<u64> {
    let decade = r.date?.year / 10;
    Some(hash::combine(name_tf(v, r, FIRST)?, u64::from(decade)))
}

fn place_key<L: Lookup + ?Sized>(v: &L, id: u32) -> Option<u64> {
    (id != NONE).then(|| v.entry(Kind::Place, id).tf)
}

impl TermFrequencies {
    /// Counts the values of `records`.
    pub(crate) fn build<L: Lookup + Sync + ?Sized>(v: &L, records: &[Rec]) -> Self {
        let n = records.len() as u64;
        // One job per table; each is a sequential pass (the tables are few, the passes cheap).
        let jobs: Vec<usize> = (0..6 + NREGIME + 4).collect();
        let mut tables: Vec<(usize, Counts)> = jobs
            .into_par_iter()
            .map(|j| {
                let it = records.iter();
                let c = match j {
                    0..6 => Counts::build(it.filter_map(|r| name_tf(v, r, j)), n),
                    6..14 => {
                        let s = j - 6;
                        if s.count_ones() < 2 {
                            Counts::default()
                        } else {
                            Counts::build(it.filter_map(|r| core_key(s, core_tfs(v, r))), n)
                        }
                    }
                    14 => Counts::build(it.filter_map(date_key), n),
                    15 => Counts::build(it.filter_map(|r| place_key(v, r.birth_place)), n),
                    16 => Counts::build(it.filter_map(|r| registry_key(v, r)), n),
                    _ => Counts::build(it.filter_map(|r| first_decade_key(v, r)), n),
                };
                (j, c)
            })
            .collect();
        tables.sort_by_key(|(j, _)| *j);
        let mut it = tables.into_iter().map(|(_, c)| c);
        let names: Vec<Counts> = it.by_ref().take(6).collect();
        let joint: Vec<Counts> = it.by_ref().take(NREGIME).collect();
        let date = it.next().unwrap_or_default();
        let birth_place = it.next().unwrap_or_default();
        let registry = it.next().unwrap_or_default();
        let first_decade = it.next().unwrap_or_default();
        let mut decades = std::collections::BTreeMap::new();
        for r in records {
            if let (Some(d), true) = (r.date, r.names[FIRST] != NONE) {
                *decades.entry(d.year / 10).or_insert(0u32) += 1;
            }
        }
        TermFrequencies {
            records: n,
            names,
            joint,
            date,
            birth_place,
            registry,
            first_decade,
            decades,
        }
    }

    /// The count of the core key of regime `s` (one field: that name's own count).
    pub(crate) fn core_count(&self, s: usize, tfs: [Option<u64>; 3]) -> u32 {
        match s {
            0 => 0,
            1 => tfs[0].map_or(0, |k| self.names[FATHER].get(k)),
            2 => tfs[1].map_or(0, |k| self.names[FAMILY].get(k)),
            4 => tfs[2].map_or(0, |k| self.names[MOTHER].get(k)),
            _ => core_key(s, tfs).map_or(0, |k| self.joint[s].get(k)),
        }
    }

    /// The frequencies of one record's values.
    pub(crate) fn stats<L: Lookup + ?Sized>(&self, v: &L, r: &Rec) -> Stats {
        let mut s = Stats::default();
        for (f, c) in s.names.iter_mut().enumerate() {
            *c = name_tf(v, r, f).map_or(0, |k| self.names[f].get(k));
        }
        let tfs = core_tfs(v, r);
        for (regime, c) in s.joint.iter_mut().enumerate() {
            *c = self.core_count(regime, tfs);
        }
        s.date = date_key(r).map_or(0, |k| self.date.get(k));
        s.birth_place = place_key(v, r.birth_place).map_or(0, |k| self.birth_place.get(k));
        s.registry = registry_key(v, r).map_or(0, |k| self.registry.get(k));
        s.first_decade = first_decade_key(v, r).map_or(0, |k| self.first_decade.get(k));
        if let Some(d) = r.date {
            s.decade = self.decades.get(&(d.year / 10)).copied().unwrap_or(1);
        }
        s
    }
}
