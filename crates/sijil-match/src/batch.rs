//! Batch deduplication of a whole file: prepare, block, train (or take a model), score every
//! candidate pair in parallel, then decide the records in input order exactly as the
//! incremental resolver would, had they arrived one by one.

use rayon::prelude::*;
use sijil_core::PersonRecord;

use crate::block::{Groups, NKEYS, keys};
use crate::cluster::{Clusters, Forest, Outcome, decide};
use crate::compare::{Stats, impossible, vector};
use crate::data::Data;
use crate::model::{Explanation, Model, Settings, pair_tf};
use crate::train::train;

/// Reports progress of long stages (the command line draws a bar from it).
pub trait Progress: Sync {
    /// A stage starts; `total` units of work are to come (0 when unknown).
    fn stage(&self, name: &'static str, total: u64);
    /// `n` more units are done.
    fn advance(&self, n: u64);
}

/// No progress reports.
impl Progress for () {
    fn stage(&self, _: &'static str, _: u64) {}
    fn advance(&self, _: u64) {}
}

/// Where the batch gets its model.
#[derive(Debug, Clone)]
// Built once per run and moved straight into the matcher: boxing the model buys nothing.
#[allow(clippy::large_enum_variant)]
pub enum ModelSource {
    /// Learn one from the records themselves, with these settings.
    Train(Settings),
    /// Use this one.
    Use(Model),
}

/// A pair of records that scored at or above the review threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredPair {
    /// The earlier record (index in the input).
    pub earlier: u32,
    /// The later record.
    pub later: u32,
    /// Match weight (log₂ odds).
    pub weight: f64,
}

/// The result of a batch run.
#[derive(Debug)]
pub struct Dedup {
    model: Model,
    data: Data,
    stats: Vec<Stats>,
    labels: Vec<u32>,
    pairs: Vec<ScoredPair>,
    decisions: Vec<Decision>,
    compared: u64,
}

/// How a record was decided in the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Joined an earlier record's cluster (merging any others it also linked).
    Linked,
    /// Left on its own, but a candidate scored in the review band.
    Review,
    /// On its own.
    New,
}

impl Dedup {
    /// The cluster number of each record (dense, numbered by first appearance).
    pub fn labels(&self) -> &[u32] {
        &self.labels
    }

    /// The decision of each record, in input order.
    pub fn decisions(&self) -> &[Decision] {
        &self.decisions
    }

    /// Scored pairs at or above the review threshold, by later record then earlier.
    pub fn pairs(&self) -> &[ScoredPair] {
        &self.pairs
    }

    /// How many candidate pairs were compared.
    pub fn compared(&self) -> u64 {
        self.compared
    }

    /// The model used.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Whether two input records share a blocking key (for diagnostics: a true pair that
    /// shares none was never compared).
    #[doc(hidden)]
    pub fn shares_key(&self, a: u32, b: u32) -> bool {
        let ka = keys(&self.data.vocab, &self.data.recs[a as usize]);
        let kb = keys(&self.data.vocab, &self.data.recs[b as usize]);
        ka.iter().zip(&kb).any(|(x, y)| *x != 0 && x == y)
    }

    /// For diagnostics (the truth is known): per key kind, how many candidate pairs it yields
    /// that no earlier kind yields, and how many of those are of one person (`person[i]` for
    /// record `i`); and for each pair of `pairs` (earlier, later), the kinds that make it a
    /// candidate under the caps, as a bit set.
    #[doc(hidden)]
    pub fn blocking_report(
        &self,
        person: &[u32],
        pairs: &[(u32, u32)],
    ) -> (Vec<(u64, u64)>, Vec<u32>) {
        let block_keys: Vec<_> = self
            .data
            .recs
            .par_iter()
            .map(|r| keys(&self.data.vocab, r))
            .collect();
        let groups = Groups::build(block_keys);
        let cap = self.model.settings().block_cap;
        let per_kind = (0..NKEYS)
            .into_par_iter()
            .map(|k| {
                let (mut all, mut same) = (0, 0);
                groups.pairs_of_kind(k, 0..groups.order[k].len(), cap, |i, j| {
                    all += 1;
                    same += u64::from(person[i as usize] == person[j as usize]);
                });
                (all, same)
            })
            .collect();
        let bits = pairs
            .par_iter()
            .map(|&(a, b)| groups.kinds_pairing(b, a, cap))
            .collect();
        (per_kind, bits)
    }

    /// Which blocking keys two input records share, as a bit set (for diagnostics).
    #[doc(hidden)]
    pub fn shared_keys(&self, a: u32, b: u32) -> u32 {
        let ka = keys(&self.data.vocab, &self.data.recs[a as usize]);
        let kb = keys(&self.data.vocab, &self.data.recs[b as usize]);
        let mut bits = 0;
        for (k, (x, y)) in ka.iter().zip(&kb).enumerate() {
            if *x != 0 && x == y {
                bits |= 1 << k;
            }
        }
        bits
    }

    /// The explanation of any pair of input records.
    pub fn explain(&self, a: u32, b: u32) -> Explanation {
        let (a, b) = (a as usize, b as usize);
        let (ra, rb) = (&self.data.recs[a], &self.data.recs[b]);
        let v = vector(&self.data.vocab, ra, &self.stats[a], rb, &self.stats[b]);
        self.model
            .explain(&v, &pair_tf(&v, &self.stats[a], &self.stats[b]))
    }
}

/// Deduplicates records: one cluster per person.
pub fn dedup(records: &[PersonRecord], source: ModelSource, progress: &dyn Progress) -> Dedup {
    progress.stage("preparing", records.len() as u64);
    let mut b = Batch::new();
    for r in records {
        b.push(r);
    }
    progress.advance(records.len() as u64);
    b.run(source, progress)
}

/// Learns a model from records without deduplicating them (for a registry that resolves
/// records one at a time with an [`crate::Index`]; the same model [`dedup`] would learn).
pub fn train_model(records: &[PersonRecord], settings: Settings) -> Model {
    let mut data = Data::default();
    for r in records {
        data.push(r);
    }
    let block_keys: Vec<_> = data.recs.par_iter().map(|r| keys(&data.vocab, r)).collect();
    let groups = Groups::build(block_keys);
    train(&data, &groups, settings).0
}

/// A batch being filled record by record, so that a caller can prepare records while it is
/// still reading them (and need not keep them: only the prepared form is held).
#[derive(Debug, Default)]
pub struct Batch {
    data: Data,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Self {
        Batch::default()
    }

    /// Adds a record (records are decided in the order they are added).
    pub fn push(&mut self, r: &PersonRecord) {
        self.data.push(r);
    }

    /// How many records were added.
    pub fn len(&self) -> usize {
        self.data.recs.len()
    }

    /// Whether no record was added.
    pub fn is_empty(&self) -> bool {
        self.data.recs.is_empty()
    }

    /// Deduplicates the records added: the same as [`dedup`] on them.
    pub fn run(self, source: ModelSource, progress: &dyn Progress) -> Dedup {
        run(self.data, source, progress)
    }
}

fn run(data: Data, source: ModelSource, progress: &dyn Progress) -> Dedup {
    progress.stage("blocking", 0);
    let block_keys: Vec<_> = data.recs.par_iter().map(|r| keys(&data.vocab, r)).collect();
    let groups = Groups::build(block_keys);
    let (model, stats) = match source {
        ModelSource::Use(m) => {
            progress.stage("frequencies", 0);
            let stats: Vec<Stats> = data
                .recs
                .par_iter()
                .map(|r| m.tf.stats(&data.vocab, r))
                .collect();
            (m, stats)
        }
        ModelSource::Train(settings) => {
            progress.stage("training", 0);
            train(&data, &groups, settings)
        }
    };
    let (pairs, compared) = score_all(&data, &stats, &groups, &model, progress);
    progress.stage("clustering", data.recs.len() as u64);
    let (forest, decisions) = cluster(&data, &stats, &model, &pairs, progress);
    Dedup {
        labels: forest.labels(),
        model,
        data,
        stats,
        pairs,
        decisions,
        compared,
    }
}

/// Scores every candidate pair; keeps those at or above the review threshold.
fn score_all(
    data: &Data,
    stats: &[Stats],
    groups: &Groups,
    model: &Model,
    progress: &dyn Progress,
) -> (Vec<ScoredPair>, u64) {
    const CHUNK: usize = 8192;
    let s = model.settings();
    let total: usize = groups.order.iter().map(Vec::len).sum();
    progress.stage("comparing", total as u64);
    let tasks: Vec<(usize, usize)> = (0..NKEYS)
        .flat_map(|k| {
            (0..groups.order[k].len())
                .step_by(CHUNK)
                .map(move |p| (k, p))
        })
        .collect();
    let tasks_kinds = tasks.clone();
    let results: Vec<(Vec<ScoredPair>, u64)> = tasks
        .into_par_iter()
        .map(|(k, start)| {
            let end = (start + CHUNK).min(groups.order[k].len());
            let mut out = Vec::new();
            let mut compared = 0;
            groups.pairs_of_kind(k, start..end, s.block_cap, |i, j| {
                let (a, b) = (i as usize, j as usize);
                let (ra, rb) = (&data.recs[a], &data.recs[b]);
                if impossible(ra, rb) {
                    return;
                }
                compared += 1;
                let v = vector(&data.vocab, ra, &stats[a], rb, &stats[b]);
                let w = model.score(&v, &pair_tf(&v, &stats[a], &stats[b]));
                if w >= s.review_threshold {
                    out.push(ScoredPair {
                        earlier: j,
                        later: i,
                        weight: w,
                    });
                }
            });
            progress.advance((end - start) as u64);
            (out, compared)
        })
        .collect();
    if std::env::var_os("SIJIL_MATCH_DEBUG").is_some() {
        let mut per = [0u64; NKEYS];
        for ((k, _), r) in tasks_kinds.iter().zip(&results) {
            per[*k] += r.1;
        }
        eprintln!("compared per key: {per:?}");
    }
    let compared = results.iter().map(|r| r.1).sum();
    let mut pairs: Vec<ScoredPair> = results.into_iter().flat_map(|r| r.0).collect();
    pairs.par_sort_unstable_by_key(|p| (p.later, p.earlier));
    (pairs, compared)
}

/// The batch's view of its clusters while record `new` is decided.
struct BatchView<'a> {
    data: &'a Data,
    stats: &'a [Stats],
    model: &'a Model,
    forest: &'a Forest,
    new: u32,
}

impl BatchView<'_> {
    fn possible(&self, a: u32, b: u32) -> bool {
        fits(self.data, self.stats, self.model, a, b)
    }
}

/// Whether two prepared records may be one person.
pub(crate) fn fits(data: &Data, stats: &[Stats], model: &Model, a: u32, b: u32) -> bool {
    let (a, b) = (a as usize, b as usize);
    let (ra, rb) = (&data.recs[a], &data.recs[b]);
    if impossible(ra, rb) {
        return false;
    }
    let v = vector(&data.vocab, ra, &stats[a], rb, &stats[b]);
    model.compatible(&v, &pair_tf(&v, &stats[a], &stats[b]))
}

impl Clusters for BatchView<'_> {
    type Id = u32;
    fn cluster_of(&self, rec: u32) -> u32 {
        self.forest.root(rec)
    }
    fn members(&self, c: u32) -> &[u32] {
        self.forest.members_of(c)
    }
    fn fits_new(&self, m: u32) -> bool {
        self.possible(self.new, m)
    }
    fn fits(&self, a: u32, b: u32) -> bool {
        self.possible(a, b)
    }
}

fn cluster(
    data: &Data,
    stats: &[Stats],
    model: &Model,
    pairs: &[ScoredPair],
    progress: &dyn Progress,
) -> (Forest, Vec<Decision>) {
    let mut forest = Forest::new();
    let mut decisions = Vec::with_capacity(data.recs.len());
    let mut next = 0;
    let mut cands: Vec<(u32, f64)> = Vec::new();
    for i in 0..data.recs.len() as u32 {
        cands.clear();
        while next < pairs.len() && pairs[next].later == i {
            cands.push((pairs[next].earlier, pairs[next].weight));
            next += 1;
        }
        let outcome = if cands.is_empty() {
            Outcome::New
        } else {
            let view = BatchView {
                data,
                stats,
                model,
                forest: &forest,
                new: i,
            };
            decide(&view, &cands, model.settings())
        };
        forest.push();
        forest.apply(i, &outcome);
        decisions.push(match outcome {
            Outcome::Link { .. } => Decision::Linked,
            Outcome::Review => Decision::Review,
            Outcome::New => Decision::New,
        });
        if i % 65536 == 0 {
            progress.advance(65536.min(data.recs.len() as u64 - u64::from(i)));
        }
    }
    (forest, decisions)
}
