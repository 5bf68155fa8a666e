//! The incremental resolver: a registry's records in memory, blocked and indexed, against
//! which one new record is resolved at a time (link, new person, or review), and searched.
//!
//! The index holds what the batch holds for the same records (interned names, blocking
//! groups in insertion order, the model's frequencies) and decides with the same function, so
//! resolving records one by one in the order of a file gives the batch's clusters of that file.

use std::hash::Hash;

use rustc_hash::FxHashMap;
use sijil_core::PersonRecord;

use crate::block::{NKEYS, keys, kind_cap};
use crate::cluster::{Clusters, Outcome, decide};
use crate::compare::{Stats, impossible, vector};
use crate::data::Data;
use crate::model::{Explanation, Model, pair_tf};
use crate::prepare::{Overlay, Rec, convention_for_source, prepare};
use crate::search::Postings;

/// A record held by an [`Index`]: its position, in insertion order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordRef(pub u32);

/// What to do with a record, by the model's thresholds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolve<P> {
    /// The record is this person's. When it also links, above the threshold, to other persons
    /// that may be one person with it, `merge` lists them: the registry should merge them
    /// into `person` (or queue the merge for review).
    Link {
        /// The person the record joins.
        person: P,
        /// Other persons the record shows to be the same person.
        merge: Vec<P>,
    },
    /// A candidate scored between the thresholds, or above the link threshold but was
    /// refused because it cannot be one person with another of its records: an adjudicator
    /// decides.
    Review,
    /// No candidate came close: a new person.
    New,
}

/// A scored candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate<P> {
    /// The registry record.
    pub record: RecordRef,
    /// Its person.
    pub person: P,
    /// Match weight (log₂ odds).
    pub weight: f64,
    /// Why.
    pub explanation: Explanation,
}

/// The resolution of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution<P> {
    /// The decision.
    pub decision: Resolve<P>,
    /// Candidates at or above the review threshold, best first.
    pub candidates: Vec<Candidate<P>>,
}

/// A registry's records, ready for resolution and search. `P` identifies persons (the
/// store's person id).
#[derive(Debug)]
pub struct Index<P> {
    model: Model,
    data: Data,
    stats: Vec<Stats>,
    /// Per key kind: key → records, in insertion order.
    groups: Vec<FxHashMap<u64, Vec<u32>>>,
    person: Vec<P>,
    members: FxHashMap<P, Vec<u32>>,
    postings: Postings,
}

impl<P: Copy + Eq + Hash> Index<P> {
    /// An empty index that resolves with `model`.
    pub fn new(model: Model) -> Self {
        Index {
            model,
            data: Data::default(),
            stats: Vec::new(),
            groups: vec![FxHashMap::default(); NKEYS],
            person: Vec::new(),
            members: FxHashMap::default(),
            postings: Postings::default(),
        }
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// How many records the index holds.
    pub fn len(&self) -> usize {
        self.data.recs.len()
    }

    /// Whether the index holds no records.
    pub fn is_empty(&self) -> bool {
        self.data.recs.is_empty()
    }

    /// Adds a record of `person`.
    pub fn insert(&mut self, record: &PersonRecord, person: P) -> RecordRef {
        let i = self.data.push(record);
        let rec = self.data.recs[i as usize];
        self.stats.push(self.model.tf.stats(&self.data.vocab, &rec));
        for (k, key) in keys(&self.data.vocab, &rec).into_iter().enumerate() {
            if key != 0 {
                self.groups[k].entry(key).or_default().push(i);
            }
        }
        self.postings.add(&self.data.vocab, &rec, i);
        self.person.push(person);
        self.members.entry(person).or_default().push(i);
        RecordRef(i)
    }

    /// The person of a record.
    pub fn person_of(&self, r: RecordRef) -> P {
        self.person[r.0 as usize]
    }

    /// The records of a person.
    pub fn records_of(&self, person: P) -> &[u32] {
        self.members.get(&person).map_or(&[], Vec::as_slice)
    }

    /// Moves a record to another person (an adjudicator's link, merge or split).
    pub fn assign(&mut self, r: RecordRef, person: P) {
        let old = self.person[r.0 as usize];
        if old == person {
            return;
        }
        if let Some(list) = self.members.get_mut(&old) {
            list.retain(|&x| x != r.0);
            if list.is_empty() {
                self.members.remove(&old);
            }
        }
        self.person[r.0 as usize] = person;
        let list = self.members.entry(person).or_default();
        let at = list.partition_point(|&x| x < r.0);
        list.insert(at, r.0);
    }

    /// Moves every record of `from` to `into`.
    pub fn merge(&mut self, from: P, into: P) {
        for r in self.records_of(from).to_vec() {
            self.assign(RecordRef(r), into);
        }
    }

    /// Resolves a record against the registry, without changing it.
    pub fn resolve(&self, record: &PersonRecord) -> Resolution<P> {
        self.resolve_keyed(record).0
    }

    /// [`Index::resolve`], with the record's blocking keys (0 where it has none): a caller
    /// that resolves records ahead against one state of the index can tell from them whether
    /// a record inserted since shares a blocking group with one resolved ahead, and so could
    /// have changed its answer. The keys are those [`Index::insert`] files the record under.
    pub fn resolve_keyed(&self, record: &PersonRecord) -> (Resolution<P>, Vec<u64>) {
        let mut overlay = Overlay::new(&self.data.vocab);
        let rec = prepare(
            &mut overlay,
            record,
            convention_for_source(record.source.as_deref()),
        );
        let stats = self.model.tf.stats(&overlay, &rec);
        let cap = self.model.settings().block_cap;
        let mut cands: Vec<u32> = Vec::new();
        let record_keys = keys(&overlay, &rec);
        for (k, &key) in record_keys.iter().enumerate() {
            if key == 0 {
                continue;
            }
            if let Some(list) = self.groups[k].get(&key) {
                cands.extend(&list[list.len().saturating_sub(kind_cap(k, cap))..]);
            }
        }
        cands.sort_unstable();
        cands.dedup();
        let s = self.model.settings();
        let mut scored: Vec<(u32, f64)> = Vec::new();
        for &j in &cands {
            let (b, sb) = (&self.data.recs[j as usize], &self.stats[j as usize]);
            if impossible(&rec, b) {
                continue;
            }
            let v = vector(&overlay, &rec, &stats, b, sb);
            let w = self.model.score(&v, &pair_tf(&v, &stats, sb));
            if w >= s.review_threshold {
                scored.push((j, w));
            }
        }
        let view = IndexView {
            index: self,
            overlay: &overlay,
            rec: &rec,
            stats: &stats,
        };
        let decision = if scored.is_empty() {
            Resolve::New
        } else {
            match decide(&view, &scored, s) {
                Outcome::Link { to, merge } => Resolve::Link { person: to, merge },
                Outcome::Review => Resolve::Review,
                Outcome::New => Resolve::New,
            }
        };
        scored.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        let candidates = scored
            .into_iter()
            .map(|(j, weight)| {
                let (b, sb) = (&self.data.recs[j as usize], &self.stats[j as usize]);
                let v = vector(&overlay, &rec, &stats, b, sb);
                Candidate {
                    record: RecordRef(j),
                    person: self.person[j as usize],
                    weight,
                    explanation: self.model.explain(&v, &pair_tf(&v, &stats, sb)),
                }
            })
            .collect();
        let resolution = Resolution {
            decision,
            candidates,
        };
        (resolution, record_keys.to_vec())
    }

    /// The explanation of a registry record against a new one.
    pub fn explain(&self, record: &PersonRecord, r: RecordRef) -> Explanation {
        let mut overlay = Overlay::new(&self.data.vocab);
        let rec = prepare(
            &mut overlay,
            record,
            convention_for_source(record.source.as_deref()),
        );
        let stats = self.model.tf.stats(&overlay, &rec);
        let (b, sb) = (&self.data.recs[r.0 as usize], &self.stats[r.0 as usize]);
        let v = vector(&overlay, &rec, &stats, b, sb);
        self.model.explain(&v, &pair_tf(&v, &stats, sb))
    }

    pub(crate) fn parts(&self) -> (&Data, &Postings, &[P]) {
        (&self.data, &self.postings, &self.person)
    }
}

/// The index's clusters while a record is decided.
struct IndexView<'a, P> {
    index: &'a Index<P>,
    overlay: &'a Overlay<'a>,
    rec: &'a Rec,
    stats: &'a Stats,
}

impl<P: Copy + Eq + Hash> Clusters for IndexView<'_, P> {
    type Id = P;
    fn cluster_of(&self, rec: u32) -> P {
        self.index.person[rec as usize]
    }
    fn members(&self, c: P) -> &[u32] {
        self.index.records_of(c)
    }
    fn fits_new(&self, m: u32) -> bool {
        let ix = self.index;
        let (b, sb) = (&ix.data.recs[m as usize], &ix.stats[m as usize]);
        if impossible(self.rec, b) {
            return false;
        }
        let v = vector(self.overlay, self.rec, self.stats, b, sb);
        ix.model.compatible(&v, &pair_tf(&v, self.stats, sb))
    }
    fn fits(&self, a: u32, b: u32) -> bool {
        crate::batch::fits(&self.index.data, &self.index.stats, &self.index.model, a, b)
    }
}
