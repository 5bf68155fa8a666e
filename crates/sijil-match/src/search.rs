//! Fuzzy person search: a clerk types any parts of a name, in either script, perhaps a birth
//! year and a place; the registry's records come back ranked.
//!
//! Every name token of every record is posted under its coarse consonant code (the blocking
//! code, shared by the spellings of a name in both scripts). A query's tokens are looked up
//! rarest first; candidates are the records posted under the rarest tokens, intersected while
//! that keeps them many. Each candidate is scored: for each query token, the best level at
//! which it meets one of the record's names, weighed by how rare the token is (`log₂` of the
//! share of records that have it); plus agreement on the year and place, when given.

use std::hash::Hash;

use rustc_hash::FxHashMap;
use sijil_names::{Level, NameField, NameKey, compare};

use crate::hash;
use crate::index::{Index, RecordRef};
use crate::prepare::{FIRST, MOTHER_FAMILY, NAME_KINDS, Rec, Vocab};
use crate::vocab::{Kind, Lookup, NONE, coarse_skeleton};

/// Most candidates scored for one query: a query made only of very common names is answered
/// from this many of its records.
const MAX_CANDIDATES: usize = 2500;

/// A search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Name parts, in any order and either script (`محمد الحلبي`, `Mohammed Ahmad Halabi`).
    pub names: String,
    /// Birth year, if known.
    pub birth_year: Option<i32>,
    /// Birth place, if known.
    pub place: Option<String>,
    /// Most results (persons) to return; 0 means 20.
    pub limit: usize,
}

/// One search result: a person, through their best-matching record.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit<P> {
    /// The person.
    pub person: P,
    /// Their record that matched best.
    pub record: RecordRef,
    /// How well it matched, in bits (higher is better).
    pub score: f64,
}

/// Record lists per token code.
#[derive(Debug, Default)]
pub(crate) struct Postings {
    lists: FxHashMap<u64, Vec<u32>>,
}

/// The search code of one token: the hash of its coarse skeleton (or of its loose form when it
/// has no consonants), the same whatever field it came from.
fn token_code(skeleton: &str, loose: &str) -> u64 {
    let coarse = coarse_skeleton(skeleton);
    if coarse.is_empty() {
        hash::str(0x7365_6172, loose)
    } else {
        hash::str(0x7365_6172_6368, &coarse)
    }
}

impl Postings {
    /// Posts record `i` under each token of each of its names (once per code).
    pub(crate) fn add<L: Lookup + ?Sized>(&mut self, v: &L, r: &Rec, i: u32) {
        let mut seen: Vec<u64> = Vec::with_capacity(8);
        for f in FIRST..=MOTHER_FAMILY {
            if r.names[f] == NONE {
                continue;
            }
            let key = &v.entry(NAME_KINDS[f], r.names[f]).key;
            for t in key.tokens() {
                let c = token_code(t.skeleton, t.loose);
                if !seen.contains(&c) {
                    seen.push(c);
                    self.lists.entry(c).or_default().push(i);
                }
            }
        }
    }

    fn get(&self, code: u64) -> &[u32] {
        self.lists.get(&code).map_or(&[], Vec::as_slice)
    }
}

/// Sorted intersection.
fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// How much a token's agreement at a level counts (a share of its rarity).
fn level_share(l: Level) -> f64 {
    match l {
        Level::ExactStrict | Level::ExactLoose => 1.0,
        Level::KnownVariant => 0.9,
        Level::SkeletonClose => 0.7,
        Level::SkeletonOnly => 0.25,
        Level::Different | Level::Null => 0.0,
    }
}

impl<P: Copy + Eq + Hash> Index<P> {
    /// Finds the persons that best match a query, best first.
    pub fn search(&self, q: &Query) -> Vec<SearchHit<P>> {
        let limit = if q.limit == 0 { 20 } else { q.limit };
        let (data, postings, person) = self.parts();
        let n = data.recs.len().max(1) as f64;
        let full = NameKey::new(&q.names, NameField::Full);
        // Each query token: its key (as a given name and as a family name) and its postings.
        let mut toks: Vec<(NameKey, NameKey, &[u32])> = full
            .tokens()
            .map(|t| {
                let list = postings.get(token_code(t.skeleton, t.loose));
                (
                    NameKey::new(t.spelled, NameField::Given),
                    NameKey::new(t.spelled, NameField::Family),
                    list,
                )
            })
            .collect();
        if toks.is_empty() {
            return Vec::new();
        }
        toks.sort_by_key(|t| t.2.len());
        let mut cands: Vec<u32> = toks[0].2.to_vec();
        for t in &toks[1..] {
            if cands.len() <= MAX_CANDIDATES || t.2.is_empty() {
                break;
            }
            let next = intersect(&cands, t.2);
            if next.is_empty() {
                break;
            }
            cands = next;
        }
        if let Some(y) = q.birth_year
            && cands.len() > MAX_CANDIDATES / 4
        {
            cands.retain(|&i| {
                data.recs[i as usize]
                    .date
                    .is_none_or(|d| (i32::from(d.year) - y).abs() <= 2)
            });
        }
        // The latest records, when a query is too common to score them all.
        let from = cands.len().saturating_sub(MAX_CANDIDATES);
        let place = q
            .place
            .as_deref()
            .map(|p| NameKey::new(p, NameField::Place));
        let mut memo = FxHashMap::default();
        let mut hits: Vec<SearchHit<P>> = cands[from..]
            .iter()
            .map(|&i| {
                let r = &data.recs[i as usize];
                let score = score_record(
                    &data.vocab,
                    r,
                    &toks,
                    n,
                    (q.birth_year, place.as_ref()),
                    &mut memo,
                );
                SearchHit {
                    person: person[i as usize],
                    record: RecordRef(i),
                    score,
                }
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.record.cmp(&b.record)));
        let mut seen: Vec<P> = Vec::new();
        hits.retain(|h| {
            if seen.contains(&h.person) {
                false
            } else {
                seen.push(h.person);
                true
            }
        });
        hits.truncate(limit);
        hits
    }
}

/// Scores one record. `memo` keeps each (query token, name) agreement already worked out: the
/// candidates of a query share most of their names.
fn score_record(
    v: &Vocab,
    r: &Rec,
    toks: &[(NameKey, NameKey, &[u32])],
    n: f64,
    (year, place): (Option<i32>, Option<&NameKey>),
    memo: &mut FxHashMap<(usize, u8, u32), f64>,
) -> f64 {
    let mut score = 0.0;
    for (ti, (given, family, list)) in toks.iter().enumerate() {
        let rarity = -(list.len().max(1) as f64 / n).log2();
        let mut best = 0.0f64;
        for f in FIRST..=MOTHER_FAMILY {
            if r.names[f] == NONE {
                continue;
            }
            let kind = NAME_KINDS[f];
            let share = *memo.entry((ti, kind as u8, r.names[f])).or_insert_with(|| {
                let key = &v.entry(kind, r.names[f]).key;
                let q = if kind == Kind::Family { family } else { given };
                if key.token_count() == 1 {
                    level_share(compare(q, key).level)
                } else {
                    // A name of several tokens: the best of its tokens, by consonants.
                    let s = q.skeleton();
                    if key.tokens().any(|t| !s.is_empty() && t.skeleton == s) {
                        0.7
                    } else {
                        0.0
                    }
                }
            });
            // Earlier fields (the person's own names) count a little more than later ones.
            let position = 1.0 - 0.02 * f as f64;
            best = best.max(share * position);
        }
        score += if best > 0.0 { best * rarity } else { -2.0 };
    }
    if let (Some(y), Some(d)) = (year, r.date) {
        score += match (i32::from(d.year) - y).abs() {
            0 => 3.0,
            1 => 1.0,
            _ => -3.0,
        };
    }
    if let Some(p) = place
        && r.birth_place != NONE
    {
        score += match compare(p, &v.entry(Kind::Place, r.birth_place).key).level {
            Level::ExactStrict | Level::ExactLoose | Level::KnownVariant => 2.0,
            Level::SkeletonClose => 1.0,
            _ => -1.0,
        };
    }
    score
}
