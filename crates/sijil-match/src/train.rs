//! Training: term frequencies, the samples EM learns from, and the model they make.

use rayon::prelude::*;

use crate::block::Groups;
use crate::block::NKEYS;
use crate::compare::{NREGIME, Stats, vector};
use crate::data::Data;
use crate::em::{self, DEDUP, Patterns, REGIME};
use crate::hash;
use crate::model::{Model, Settings, TrainingReport};
use crate::tf::{TermFrequencies, core_key, core_tfs};

/// Random pairs drawn from the whole population (for the population's `u`).
const RANDOM_PAIRS: usize = 300_000;
/// Pairs drawn within each family-core regime.
const REGIME_PAIRS: usize = 60_000;
/// Blocked pairs sampled per key for `m`, and deduplicated ones for the prior.
const KEY_PAIRS: usize = 60_000;
const DEDUP_PAIRS: usize = 100_000;
/// Rounds of fitting `u` given `m` and `m` given `u`.
const ROUNDS: u32 = 3;
/// EM iterations at most.
const MAX_ITER: u32 = 60;

/// A deterministic stream of random numbers (splitmix64), so that the same data always gives
/// the same model.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        hash::mix(self.0)
    }
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

/// Trains a model on prepared data; returns it with the records' frequencies under it (which
/// the batch would otherwise count again).
pub(crate) fn train(data: &Data, groups: &Groups, settings: Settings) -> (Model, Vec<Stats>) {
    let tf = TermFrequencies::build(&data.vocab, &data.recs);
    let stats: Vec<Stats> = data
        .recs
        .par_iter()
        .map(|r| tf.stats(&data.vocab, r))
        .collect();
    let mut patterns = Patterns::default();
    let random = sample_regimes(data, &stats, &tf, &mut patterns);
    let cap = settings.block_cap;
    let mut blocked = 0;
    for k in 0..NKEYS {
        blocked += sample_blocked(
            data,
            &stats,
            k,
            KEY_PAIRS,
            |i, f| groups.pairs_of_key(i, k, cap, f),
            &mut patterns,
        )
        .0
        .len();
    }
    let (dedup, fraction) = sample_blocked(
        data,
        &stats,
        DEDUP,
        DEDUP_PAIRS,
        |i, f| groups.pairs_of_record(i, cap, f),
        &mut patterns,
    );
    blocked += dedup.len();
    let (p, iterations) = em::fit(&patterns, ROUNDS, MAX_ITER);
    let n = data.recs.len() as f64;
    let all_pairs = (n * (n - 1.0) / 2.0).max(1.0);
    let by_numbers = prior_from_numbers(data);
    let prior = match by_numbers {
        Some(p) => p,
        None => em::dedup_matches(&p, &patterns) / fraction.max(1e-12) / all_pairs,
    }
    .clamp(1e-12, 0.5);
    let expected = prior * all_pairs;
    let report = TrainingReport {
        records: data.recs.len() as u64,
        random_pairs: random as u64,
        blocked_pairs: blocked as u64,
        iterations,
        expected_matches: expected,
    };
    let model = Model::assemble(settings, prior, p.m, p.u, p.rest, tf, report);
    (model, stats)
}

/// The share of matching pairs among records that carry a valid national number: pairs that
/// share one are one person (numbers are unique per person), so their count over all pairs of
/// such records estimates the prior without any model. `None` when too few pairs share a
/// number for the estimate to mean much (the EM estimate is used then).
fn prior_from_numbers(data: &Data) -> Option<f64> {
    let mut numbers: Vec<u64> = data
        .recs
        .iter()
        .filter(|r| r.number.verified && r.number.len != 0)
        .map(|r| hash::combine(r.number.value, u64::from(r.number.len)))
        .collect();
    numbers.sort_unstable();
    let n = numbers.len() as f64;
    let mut same = 0u64;
    let mut run = 1u64;
    for w in numbers.windows(2) {
        if w[0] == w[1] {
            same += run;
            run += 1;
        } else {
            run = 1;
        }
    }
    (same >= 100).then(|| same as f64 / (n * (n - 1.0) / 2.0))
}

/// Draws the regime samples; returns how many pairs were drawn.
fn sample_regimes(data: &Data, stats: &[Stats], tf: &TermFrequencies, out: &mut Patterns) -> usize {
    let n = data.recs.len();
    if n < 2 {
        return 0;
    }
    let jobs: Vec<usize> = (0..NREGIME).collect();
    let found: Vec<Vec<(u8, u64)>> = jobs
        .into_par_iter()
        .map(|s| {
            let pairs = if s == 0 {
                random_pairs(n, RANDOM_PAIRS, 1)
            } else {
                regime_pairs(data, tf, s)
            };
            pairs
                .into_iter()
                .map(|(i, j)| {
                    let (a, b) = (i as usize, j as usize);
                    let v = vector(
                        &data.vocab,
                        &data.recs[a],
                        &stats[a],
                        &data.recs[b],
                        &stats[b],
                    );
                    ((REGIME + s) as u8, v.pack())
                })
                .collect()
        })
        .collect();
    let mut total = 0;
    for list in found {
        total += list.len();
        for k in list {
            *out.entry(k).or_default() += 1.0;
        }
    }
    total
}

fn random_pairs(n: usize, count: usize, seed: u64) -> Vec<(u32, u32)> {
    let mut rng = Rng(seed);
    let n = n as u64;
    (0..count)
        .filter_map(|_| {
            let i = rng.below(n);
            let j = rng.below(n);
            (i != j).then_some((i as u32, j as u32))
        })
        .collect()
}

/// Pairs drawn uniformly among the pairs of records that share the exact family-core key of
/// regime `s` (all of them when there are few).
fn regime_pairs(data: &Data, tf: &TermFrequencies, s: usize) -> Vec<(u32, u32)> {
    let _ = tf;
    let mut keyed: Vec<(u64, u32)> = data
        .recs
        .iter()
        .enumerate()
        .filter_map(|(i, r)| core_key(s, core_tfs(&data.vocab, r)).map(|k| (k, i as u32)))
        .collect();
    keyed.sort_unstable();
    // Groups as (start, len), with the running count of pairs.
    let mut groups = Vec::new();
    let mut cum = Vec::new();
    let mut total: u64 = 0;
    let mut start = 0;
    while start < keyed.len() {
        let mut end = start + 1;
        while end < keyed.len() && keyed[end].0 == keyed[start].0 {
            end += 1;
        }
        let len = (end - start) as u64;
        if len > 1 {
            total += len * (len - 1) / 2;
            groups.push((start, len));
            cum.push(total);
        }
        start = end;
    }
    if total == 0 {
        return Vec::new();
    }
    let pick = |g: usize, x: u64, y: u64| {
        (
            keyed[groups[g].0 + x as usize].1,
            keyed[groups[g].0 + y as usize].1,
        )
    };
    if total <= REGIME_PAIRS as u64 {
        let mut out = Vec::with_capacity(total as usize);
        for (g, &(_, len)) in groups.iter().enumerate() {
            for x in 0..len {
                for y in 0..x {
                    out.push(pick(g, x, y));
                }
            }
        }
        return out;
    }
    let mut rng = Rng(0x5eed ^ s as u64);
    (0..REGIME_PAIRS)
        .map(|_| {
            let t = rng.below(total);
            let g = cum.partition_point(|&c| c <= t);
            let len = groups[g].1;
            let x = rng.below(len);
            let mut y = rng.below(len - 1);
            if y >= x {
                y += 1;
            }
            pick(g, x, y)
        })
        .collect()
}

/// Compares every candidate (as `candidates` lists them) of a random subset of records, about
/// `target` pairs in all, into source `src`; returns the pairs compared (later record first)
/// and the fraction of records taken.
fn sample_blocked(
    data: &Data,
    stats: &[Stats],
    src: usize,
    target: usize,
    candidates: impl Fn(u32, &mut dyn FnMut(u32)) + Sync,
    out: &mut Patterns,
) -> (Vec<(u32, u32)>, f64) {
    let n = data.recs.len();
    if n < 2 {
        return (Vec::new(), 1.0);
    }
    // Estimate pairs per record from a probe, then choose the fraction.
    let probe_n = n.min(4000);
    let step = (n / probe_n).max(1);
    let mut probe = 0usize;
    for i in (0..n).step_by(step).take(probe_n) {
        candidates(i as u32, &mut |_| probe += 1);
    }
    let per_record = probe as f64 / probe_n as f64;
    let fraction = (target as f64 / (per_record * n as f64).max(1.0)).min(1.0);
    let threshold = (fraction * u64::MAX as f64) as u64;
    let seed = 0xb10c_0000 ^ src as u64;
    let chosen: Vec<u32> = (0..n as u32)
        .filter(|&i| fraction >= 1.0 || hash::mix(u64::from(i) ^ seed) <= threshold)
        .collect();
    let found: Vec<((u32, u32), u64)> = chosen
        .par_iter()
        .flat_map_iter(|&i| {
            let mut v = Vec::new();
            let a = i as usize;
            candidates(i, &mut |j| {
                let b = j as usize;
                if crate::compare::impossible(&data.recs[a], &data.recs[b]) {
                    return;
                }
                let x = vector(
                    &data.vocab,
                    &data.recs[a],
                    &stats[a],
                    &data.recs[b],
                    &stats[b],
                );
                v.push(((i, j), x.pack()));
            });
            v
        })
        .collect();
    let mut pairs = Vec::with_capacity(found.len());
    for (pair, x) in found {
        *out.entry((src as u8, x)).or_default() += 1.0;
        pairs.push(pair);
    }
    (pairs, fraction)
}
