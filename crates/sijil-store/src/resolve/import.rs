//! A batch import through the resolver: every record resolved in order (against the registry
//! and the batch's earlier records, exactly as if registered one by one), then stored all or
//! nothing in one transaction.
//!
//! Memory is what bounds a national import, so what is kept per record between resolving and
//! storing is small: the record itself, its link, and its explanations packed as numbers
//! (about 25 bytes a comparison instead of the kilobyte a `serde_json::Value` tree took). The
//! store asks for the full decisions a chunk at a time as it writes them ([`ImportBatch`]).
//!
//! Each record's answer depends on every record before it, so the answers are taken in
//! order; but most records never meet the few hundred before them. So the records of a stretch
//! are resolved ahead, in parallel, against the index as it was at the stretch's start, and
//! an answer found ahead is taken only if nothing inserted since could have changed it: no
//! record inserted since shares a blocking group with it, none joined a person among its
//! candidates, and no persons were merged. Otherwise the record is resolved again, in order.
//! The answers are the same as resolving one by one (tested), only sooner.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use sijil_core::{Capture, PersonRecord};
use sijil_match::{Explanation, RecordRef, Resolution, Resolve, Term};
use uuid::Uuid;

use super::{Cand, Decided, Resolver, State, Target};
use crate::{
    Actor, Decision, ImportBatch, ImportMeta, ImportReceipt, Link, ReviewCandidate, ReviewKind,
    ReviewRequest, Store, StoreResult,
};

/// Where an import is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStage {
    /// Records resolved so far (of the batch).
    Resolving,
    /// Records written so far (of the batch).
    Writing,
}

/// How often (in records) the resolving stage reports.
const REPORT_EVERY: usize = 1_000;
/// Records resolved ahead at once. Longer stretches resolve more in parallel, but more of
/// their answers are overtaken by the records inserted before them.
const AHEAD: usize = 64;

impl Resolver {
    /// Whether an import resolves records ahead in parallel (on by default). The answers are
    /// the same either way; off, an import resolves on one thread (to compare, and measure).
    pub async fn resolve_ahead(&self, on: bool) {
        self.state.write().await.resolve_ahead = on;
    }

    /// Resolves a batch in order (each record against the registry and the batch's earlier
    /// records, exactly as if registered one by one) and stores it all or nothing.
    /// `progress` hears how many records are resolved, then how many are written.
    pub async fn import<S: Store>(
        &self,
        store: &S,
        records: Vec<PersonRecord>,
        capture: &Capture,
        meta: ImportMeta,
        actor: &Actor,
        progress: &(dyn Fn(ImportStage, usize) + Send + Sync),
    ) -> StoreResult<ImportReceipt> {
        let started = std::time::Instant::now();
        let mut st = self.state.write().await;
        st.follow(store).await?;
        let start = st.index.len();
        // Persons created by the batch are not stored yet: the index knows them by a
        // placeholder, and the batch names them by the item that created them.
        let mut placeholder_item: HashMap<Uuid, usize> = HashMap::new();
        let mut items_of: HashMap<Uuid, Vec<usize>> = HashMap::new();
        let mut pending: Vec<Pending> = Vec::with_capacity(records.len());
        let mut keys = Keys::default();
        let numbers: Vec<_> = records
            .iter()
            .filter_map(|r| r.national_number.clone())
            .collect();
        let holders = store.person_ids_by_national_numbers(&numbers).await?;
        drop(numbers);
        let mut ahead: Vec<Option<(Resolution<Uuid>, Vec<u64>)>> = Vec::new();
        // Since the stretch was resolved ahead: blocking keys of the records inserted, the
        // persons that gained records, and whether persons were merged.
        let mut inserted_keys: HashSet<u64> = HashSet::new();
        let mut grown: HashSet<Uuid> = HashSet::new();
        let mut merged = false;
        let mut overtaken = 0usize;
        for (i, record) in records.iter().enumerate() {
            if i % AHEAD == 0 && st.resolve_ahead {
                let index = &st.index;
                let end = (i + AHEAD).min(records.len());
                ahead = records[i..end]
                    .par_iter()
                    .map(|r| Some(index.resolve_keyed(r)))
                    .collect();
                inserted_keys.clear();
                grown.clear();
                merged = false;
            }
            let early = ahead.get_mut(i % AHEAD).and_then(Option::take);
            let (resolution, blocks) = match early {
                Some((res, blocks))
                    if !merged
                        && blocks.iter().all(|k| *k == 0 || !inserted_keys.contains(k))
                        && res.candidates.iter().all(|c| !grown.contains(&c.person)) =>
                {
                    (res, blocks)
                }
                early => {
                    overtaken += usize::from(early.is_some());
                    st.index.resolve_keyed(record)
                }
            };
            let target = |p: Uuid| match placeholder_item.get(&p) {
                Some(&j) => Some(Target::Item(j)),
                None => Some(Target::Stored(p)),
            };
            let mut decision = st.decision(&resolution, &target);
            // Persons this batch created that the record shows to be one are merged at once,
            // as the batch would (nobody holds a document of theirs yet); stored persons are
            // left to an adjudicator (`decision.review`).
            let linked = matches!(decision.link, Link::Person(_) | Link::SameAsItem(_));
            if let (Resolve::Link { person, merge }, true) = (&resolution.decision, linked) {
                let mut group: Vec<Uuid> = std::iter::once(*person)
                    .chain(
                        merge
                            .iter()
                            .copied()
                            .filter(|p| placeholder_item.contains_key(p)),
                    )
                    .collect();
                if group.len() > 1 {
                    // The survivor: a stored person, else the batch's earliest.
                    group.sort_by_key(|p| placeholder_item.get(p).map_or(0, |&j| j + 1));
                    let survivor = group[0];
                    let link = match placeholder_item.get(&survivor) {
                        Some(&j) => Link::SameAsItem(j),
                        None => Link::Person(survivor),
                    };
                    for &gone in &group[1..] {
                        let moved = items_of.remove(&gone).unwrap_or_default();
                        for &k in &moved {
                            pending[k].link = link;
                        }
                        if placeholder_item.contains_key(&survivor) {
                            items_of.entry(survivor).or_default().extend(moved);
                        }
                        placeholder_item.remove(&gone);
                        st.index.merge(gone, survivor);
                    }
                    merged = true;
                    decision.link = link;
                }
                // What was merged here is no longer for review.
                if let Some(review) = &mut decision.review {
                    review.candidates.retain(|c| c.record_seq >= 0);
                    if review.candidates.is_empty() {
                        decision.review = None;
                    }
                }
            }
            let holder = record
                .national_number
                .as_ref()
                .and_then(|n| holders.get(n).copied());
            st.flag_number_holder(&mut decision, record, holder);
            let in_index = match decision.link {
                Link::Person(p) => p,
                Link::SameAsItem(j) => st.index.person_of(RecordRef((start + j) as u32)),
                Link::NewPerson => {
                    let p = Uuid::now_v7();
                    placeholder_item.insert(p, i);
                    p
                }
            };
            if placeholder_item.contains_key(&in_index) {
                items_of.entry(in_index).or_default().push(i);
            }
            st.index.insert(record, in_index);
            inserted_keys.extend(blocks.into_iter().filter(|&k| k != 0));
            grown.insert(in_index);
            pending.push(Pending::pack(decision, &mut keys));
            if (i + 1) % REPORT_EVERY == 0 {
                progress(ImportStage::Resolving, i + 1);
            }
        }
        drop((placeholder_item, items_of, holders, ahead));
        progress(ImportStage::Resolving, records.len());
        tracing::info!(
            records = pending.len(),
            resolved_again = overtaken,
            elapsed = ?started.elapsed(),
            "resolved the batch"
        );
        let batch = Resolved {
            records,
            capture,
            pending,
            keys,
            model_id: st.model_id,
        };
        let written = |n| progress(ImportStage::Writing, n);
        match store.import_records(&batch, meta, actor, &written).await {
            Ok(receipt) => {
                for (i, &person) in receipt.persons.iter().enumerate() {
                    let r = (start + i) as u32;
                    st.index.assign(RecordRef(r), person);
                    let seq = receipt.first_seq + i as i64;
                    st.seqs.push(seq);
                    st.refs.insert(seq, r);
                }
                if st.record_mark == receipt.first_seq - 1 {
                    st.record_mark = receipt.first_seq + receipt.persons.len() as i64 - 1;
                }
                Ok(receipt)
            }
            Err(e) => {
                // The index holds records the store refused: start again from the store.
                let model = st.index.model().clone();
                let ahead = st.resolve_ahead;
                *st = State::empty(model, st.model_id, st.hold_different_first_names);
                st.resolve_ahead = ahead;
                st.follow(store).await?;
                Err(e)
            }
        }
    }
}

/// A resolved batch as the store reads it.
struct Resolved<'a> {
    records: Vec<PersonRecord>,
    capture: &'a Capture,
    pending: Vec<Pending>,
    keys: Keys,
    model_id: Uuid,
}

impl ImportBatch for Resolved<'_> {
    fn len(&self) -> usize {
        self.records.len()
    }
    fn record(&self, i: usize) -> &PersonRecord {
        &self.records[i]
    }
    fn capture(&self, _: usize) -> &Capture {
        self.capture
    }
    fn link(&self, i: usize) -> Link {
        self.pending[i].link
    }
    fn decision(&self, i: usize) -> Decision {
        let p = &self.pending[i];
        let json = |e: &Packed| super::to_json(&e.unpack(&self.keys));
        Decision {
            link: p.link,
            reason: p.reason,
            explanation: p.explanation.as_ref().map(json),
            model_id: Some(self.model_id),
            review: p.review.as_ref().map(|r| ReviewRequest {
                kind: r.kind,
                candidates: r
                    .candidates
                    .iter()
                    .map(|c| ReviewCandidate {
                        person_id: c.person_id,
                        record_seq: c.record_seq,
                        weight: c.weight,
                        explanation: json(&c.explanation),
                    })
                    .collect(),
            }),
        }
    }
}

/// A decision kept between resolving and storing.
struct Pending {
    link: Link,
    reason: &'static str,
    explanation: Option<Packed>,
    /// Boxed: few records open a review item.
    review: Option<Box<PackedReview>>,
}

struct PackedReview {
    kind: ReviewKind,
    candidates: Box<[PackedCand]>,
}

struct PackedCand {
    person_id: Uuid,
    record_seq: i64,
    weight: f64,
    explanation: Packed,
}

/// An [`Explanation`] with each term's comparison and level named by number.
struct Packed {
    weight: f64,
    probability: f64,
    terms: Box<[PackedTerm]>,
}

struct PackedTerm {
    key: u16,
    weight: f64,
    tf_adjustment: f64,
}

/// The (comparison, level) pairs met so far, numbered: a model has a few dozen.
#[derive(Default)]
struct Keys {
    pairs: Vec<(&'static str, &'static str)>,
    numbers: HashMap<(&'static str, &'static str), u16>,
}

impl Keys {
    fn number(&mut self, pair: (&'static str, &'static str)) -> u16 {
        *self.numbers.entry(pair).or_insert_with(|| {
            self.pairs.push(pair);
            u16::try_from(self.pairs.len() - 1).expect("fewer than 65,536 comparison levels")
        })
    }
}

impl Pending {
    fn pack(d: Decided, keys: &mut Keys) -> Self {
        Pending {
            link: d.link,
            reason: d.reason,
            explanation: d.explanation.map(|e| Packed::pack(e, keys)),
            review: d.review.map(|r| {
                Box::new(PackedReview {
                    kind: r.kind,
                    candidates: r
                        .candidates
                        .into_iter()
                        .map(|c: Cand| PackedCand {
                            person_id: c.person_id,
                            record_seq: c.record_seq,
                            weight: c.weight,
                            explanation: Packed::pack(c.explanation, keys),
                        })
                        .collect(),
                })
            }),
        }
    }
}

impl Packed {
    fn pack(e: Explanation, keys: &mut Keys) -> Self {
        Packed {
            weight: e.weight,
            probability: e.probability,
            terms: e
                .terms
                .into_iter()
                .map(|t| PackedTerm {
                    key: keys.number((t.comparison, t.level)),
                    weight: t.weight,
                    tf_adjustment: t.tf_adjustment,
                })
                .collect(),
        }
    }

    fn unpack(&self, keys: &Keys) -> Explanation {
        Explanation {
            weight: self.weight,
            probability: self.probability,
            terms: self
                .terms
                .iter()
                .map(|t| {
                    let (comparison, level) = keys.pairs[usize::from(t.key)];
                    Term {
                        comparison,
                        level,
                        weight: t.weight,
                        tf_adjustment: t.tf_adjustment,
                    }
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_explanation_unpacks_to_the_same_json() {
        let e = Explanation {
            weight: 12.5,
            probability: sijil_match::probability(12.5),
            terms: vec![
                Term {
                    comparison: "prior",
                    level: "prior",
                    weight: -14.25,
                    tf_adjustment: 0.0,
                },
                Term {
                    comparison: "first_name",
                    level: "exact",
                    weight: 6.123456789,
                    tf_adjustment: -1.5,
                },
                Term {
                    comparison: "family_name",
                    level: "exact",
                    weight: 0.1 + 0.2,
                    tf_adjustment: f64::MIN_POSITIVE,
                },
            ],
        };
        let mut keys = Keys::default();
        let packed = Packed::pack(e.clone(), &mut keys);
        assert_eq!(keys.pairs.len(), 3);
        assert_eq!(packed.unpack(&keys), e);
        assert_eq!(
            super::super::to_json(&packed.unpack(&keys)),
            serde_json::to_value(&e).unwrap()
        );
    }
}
