//! Expectation–maximisation over counted comparison patterns, with no labels.
//!
//! The data are comparison vectors from three kinds of sample:
//!
//! * **per-key blocked pairs**: for each blocking key, pairs that share it. They teach `m`,
//!   the probability of each level for two records of one person. As in Splink, a sample
//!   says nothing about the comparisons its key selected on (pairs found by first name agree
//!   on first names whoever they are), so those are left out of its likelihood; each
//!   comparison's `m` pools the samples of the keys that do not select on it.
//! * **regime samples**: pairs drawn at random among records that agree exactly on a set of
//!   family-core fields (none: the whole population; father and family: siblings, namesakes
//!   and the person's own records; …). They teach `u` *given the regime*: how often siblings
//!   share a birth year, how often unrelated people share a first name. The person's own
//!   records among them are taken out by EM with `m` held.
//! * **deduplicated blocked pairs**: every candidate of some records, as the batch compares
//!   them, to estimate how many pairs are matches (the prior).
//!
//! The two fits alternate (u given m, m given u) a few rounds. Every (sample, regime) has
//! its own share of matches `λ`.

use rustc_hash::FxHashMap;

use crate::block::{NKEYS, excluded};
use crate::compare::{
    C_NUMBER, C_ORDER, CORE, NCOMP, NPARAM, NREGIME, Vector, core_agrees, level_names, nl,
};

/// Source of a pattern: `0..NKEYS` per-key blocked samples, [`DEDUP`] the deduplicated
/// blocked sample, `REGIME + s` the sample of regime `s`.
pub(crate) const DEDUP: usize = NKEYS;
pub(crate) const REGIME: usize = NKEYS + 1;
const NSOURCE: usize = REGIME + NREGIME;

/// Counted patterns: `(source, packed vector) → count`.
pub(crate) type Patterns = FxHashMap<(u8, u64), f64>;

/// Parameters being estimated.
#[derive(Debug, Clone)]
pub(crate) struct Params {
    pub m: Vec<Vec<f64>>,
    pub u: Vec<Vec<Vec<f64>>>,
    pub rest: Vec<Vec<f64>>,
    /// `lambda[source][regime]`.
    pub lambda: Vec<Vec<f64>>,
}

/// A pattern as EM sees it.
type Item = ((u8, Vector), f64);

/// The presence mask of the core fields outside regime `s`.
pub(crate) fn mask_outside(v: &Vector, s: usize) -> usize {
    let mut mask = 0;
    for (bit, &c) in CORE.iter().enumerate() {
        if s & (1 << bit) == 0 && v.levels[c] != nl::NULL {
            mask |= 1 << bit;
        }
    }
    mask
}

fn core_bit(c: usize) -> Option<usize> {
    CORE.iter().position(|&x| x == c)
}

/// Starting values of `m`: what a careful guess of record noise says (most matches agree).
fn initial_m() -> Vec<Vec<f64>> {
    (0..NPARAM)
        .map(|c| {
            let c = c % NCOMP;
            if c == C_ORDER {
                return vec![0.98, 0.02];
            }
            let n = level_names(c).len();
            let mut v = vec![0.02; n];
            // The most exact level is `EXACT` for names, level 1 for everything else.
            let best = if level_names(c) == nl::NAMES {
                usize::from(nl::EXACT)
            } else {
                1
            };
            v[best] = 0.8;
            v[0] = 0.0;
            normalise(&mut v, 1);
            v
        })
        .collect()
}

fn normalise(v: &mut [f64], skip: usize) {
    let sum: f64 = v.iter().skip(skip).sum();
    if sum > 0.0 {
        for x in v.iter_mut().skip(skip) {
            *x /= sum;
        }
    }
}

fn unpack(patterns: &Patterns, keep: impl Fn(usize) -> bool) -> Vec<Item> {
    let mut list: Vec<Item> = patterns
        .iter()
        .filter(|((s, _), _)| keep(usize::from(*s)))
        .map(|(&(s, x), &n)| ((s, Vector::unpack(x)), n))
        .collect();
    // A fixed order, so that sums (and so the model) do not depend on hash order.
    list.sort_unstable_by_key(|((s, v), _)| (*s, v.pack()));
    list
}

/// Fits the model; returns the parameters and the EM iterations run.
pub(crate) fn fit(patterns: &Patterns, rounds: u32, max_iter: u32) -> (Params, u32) {
    let mut p = Params {
        m: initial_m(),
        u: (0..NREGIME)
            .map(|_| {
                (0..NPARAM)
                    .map(|c| vec![1.0; level_names(c % NCOMP).len()])
                    .collect()
            })
            .collect(),
        rest: vec![vec![1.0; NREGIME]; NREGIME],
        lambda: vec![vec![0.1; NREGIME]; NSOURCE],
    };
    for k in 0..=NKEYS {
        p.lambda[k] = vec![0.5; NREGIME];
    }
    p.lambda[REGIME] = vec![1e-4; NREGIME];
    let blocked = unpack(patterns, |s| s < NKEYS);
    let random = unpack(patterns, |s| s >= REGIME);
    let dedup = unpack(patterns, |s| s == DEDUP);
    // Start from every random pair counted as a non-match.
    m_step_u(&mut p, &random, &vec![0.0; random.len()]);
    let mut iterations = 0;
    for round in 0..rounds {
        iterations += fit_u(&mut p, &random, max_iter);
        if round + 1 < rounds {
            iterations += fit_m(&mut p, &blocked, max_iter);
        }
    }
    // The share of matches among deduplicated candidates, parameters held.
    let mut post = vec![0.0; dedup.len()];
    for _ in 0..max_iter {
        iterations += 1;
        e_step(&p, &dedup, &mut post);
        let old = p.lambda[DEDUP].clone();
        m_step_lambda(&mut p, &dedup, &post);
        if max_delta(&[old], &[p.lambda[DEDUP].clone()]) < 1e-6 {
            break;
        }
    }
    (p, iterations)
}

fn max_delta(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// `u` and `rest` given `m`.
fn fit_u(p: &mut Params, random: &[Item], max_iter: u32) -> u32 {
    let mut post = vec![0.0; random.len()];
    let mut it = 0;
    while it < max_iter {
        it += 1;
        e_step(p, random, &mut post);
        let old = p.u.clone();
        m_step_u(p, random, &post);
        m_step_lambda(p, random, &post);
        let delta = old
            .iter()
            .zip(&p.u)
            .map(|(a, b)| max_delta(a, b))
            .fold(0.0, f64::max);
        if delta < 1e-5 {
            break;
        }
    }
    it
}

/// `m` given `u`.
fn fit_m(p: &mut Params, blocked: &[Item], max_iter: u32) -> u32 {
    let mut post = vec![0.0; blocked.len()];
    let mut it = 0;
    while it < max_iter {
        it += 1;
        e_step(p, blocked, &mut post);
        let old = p.m.clone();
        m_step_m(p, blocked, &post);
        m_step_lambda(p, blocked, &post);
        if max_delta(&old, &p.m) < 1e-5 {
            break;
        }
    }
    it
}

/// Posterior match probability of each pattern.
fn e_step(p: &Params, list: &[Item], post: &mut [f64]) {
    let t = Logs::new(p);
    for (((src, v), _), q) in list.iter().zip(post.iter_mut()) {
        *q = posterior(&t, usize::from(*src), v);
    }
}

/// The logarithms the E-step needs, taken once per step.
struct Logs {
    /// `ln m`, for core comparisons given whether they agree.
    m: Vec<Vec<f64>>,
    u: Vec<Vec<Vec<f64>>>,
    rest: Vec<Vec<f64>>,
    /// `(ln λ, ln(1 − λ))` per source and regime.
    lambda: Vec<Vec<(f64, f64)>>,
}

impl Logs {
    fn new(p: &Params) -> Self {
        let ln = |x: f64| x.max(1e-9).ln();
        let m =
            p.m.iter()
                .enumerate()
                .map(|(i, pm)| {
                    let c = i % NCOMP;
                    (0..pm.len())
                        .map(|l| {
                            if core_bit(c).is_none() {
                                return ln(pm[l]);
                            }
                            let agrees = core_agrees(c, l as u8);
                            let state: f64 = (1..pm.len())
                                .filter(|&x| core_agrees(c, x as u8) == agrees)
                                .map(|x| pm[x])
                                .sum();
                            ln(pm[l]) - ln(state)
                        })
                        .collect()
                })
                .collect();
        let u =
            p.u.iter()
                .map(|r| {
                    r.iter()
                        .map(|x| x.iter().map(|&v| ln(v)).collect())
                        .collect()
                })
                .collect();
        let rest = p
            .rest
            .iter()
            .map(|x| x.iter().map(|&v| ln(v)).collect())
            .collect();
        let lambda = p
            .lambda
            .iter()
            .map(|r| {
                r.iter()
                    .map(|&l| {
                        let l = l.clamp(1e-12, 1.0 - 1e-9);
                        (l.ln(), (1.0 - l).ln())
                    })
                    .collect()
            })
            .collect();
        Logs { m, u, rest, lambda }
    }
}

/// The comparisons a source's likelihood leaves out.
fn skipped(src: usize) -> [bool; NCOMP] {
    if src < NKEYS {
        excluded(src)
    } else {
        [false; NCOMP]
    }
}

/// P(match | vector) within its (source, regime). The match side is conditioned on the
/// regime like the non-match side: each core field's level given whether it agrees.
fn posterior(t: &Logs, src: usize, v: &Vector) -> f64 {
    let s = usize::from(v.regime);
    let skip = skipped(src);
    let (mut lm, mut lu) = (0.0f64, 0.0f64);
    let mut mask = mask_outside(v, s);
    let o = v.offset();
    for c in 0..NCOMP {
        let l = usize::from(v.levels[c]);
        if skip[c] {
            if let Some(bit) = core_bit(c) {
                mask &= !(1 << bit);
            }
            continue;
        }
        if l == 0 && c != C_ORDER {
            continue;
        }
        lm += t.m[o + c][l];
        lu += t.u[s][o + c][l];
    }
    lu += t.rest[s][mask];
    let (yes, no) = t.lambda[src][s];
    1.0 / (1.0 + ((no + lu) - (yes + lm)).exp())
}

/// Pairs that share a national number weigh this many times the pooled estimate's pairs
/// (see [`m_step_m`]).
const POOLED_WEIGHT: f64 = 200.0;

/// `m` from the blocked samples. Pairs that share a national number (key 0) are one person
/// whatever their names and dates say, so they are the anchor; the other keys, each for the
/// comparisons it does not select on, give a pooled estimate that counts as
/// [`POOLED_WEIGHT`] pairs. The pooled estimate alone is biased where relatives pass for
/// matches: twins agree on everything but the first name, so in samples selected on birth
/// date and parents they make "different first name" look common among matches.
fn m_step_m(p: &mut Params, list: &[Item], post: &[f64]) {
    // A light prior towards the starting guess keeps unseen levels away from zero.
    let mut pooled: Vec<Vec<f64>> = initial_m()
        .iter()
        .map(|x| x.iter().map(|v| v * 2.0).collect())
        .collect();
    let mut anchor: Vec<Vec<f64>> = pooled.iter().map(|x| vec![0.0; x.len()]).collect();
    for (((src, v), n), q) in list.iter().zip(post) {
        let src = usize::from(*src);
        let skip = skipped(src);
        let o = v.offset();
        for c in 0..NCOMP {
            let l = usize::from(v.levels[c]);
            if !skip[c] && (l != 0 || c == C_ORDER) {
                let acc = if src == 0 { &mut anchor } else { &mut pooled };
                acc[o + c][l] += n * q;
            }
        }
    }
    for (i, (a, pl)) in anchor.iter_mut().zip(pooled.iter_mut()).enumerate() {
        let skip = usize::from(i % NCOMP != C_ORDER);
        normalise(pl, skip);
        if i % NCOMP != C_NUMBER {
            for (x, y) in a.iter_mut().zip(pl.iter()) {
                *x += POOLED_WEIGHT * y;
            }
            normalise(a, skip);
            *pl = a.clone();
        }
    }
    p.m = pooled;
}

/// `u[s]` from the sample of regime `s` (pairs whose regime is exactly `s`), shrunk towards
/// the population's `u`; `rest[s]` from all pairs of that sample.
fn m_step_u(p: &mut Params, list: &[Item], post: &[f64]) {
    let mut acc: Vec<Vec<Vec<f64>>> = (0..NREGIME)
        .map(|_| {
            (0..NPARAM)
                .map(|c| vec![0.0; level_names(c % NCOMP).len()])
                .collect()
        })
        .collect();
    // rest[s][mask]: (none agree, total)
    let mut rest = vec![vec![(0.0f64, 0.0f64); NREGIME]; NREGIME];
    // How agreeing core names agree (exactly, across scripts, …) in the population.
    let mut agree: Vec<Vec<f64>> = (0..2 * CORE.len())
        .map(|_| vec![0.0; nl::NAMES.len()])
        .collect();
    for (((src, v), n), q) in list.iter().zip(post) {
        let sample = usize::from(*src) - REGIME;
        let s = usize::from(v.regime);
        let weight = n * (1.0 - q);
        let o = v.offset();
        if sample == 0 {
            for (bit, &c) in CORE.iter().enumerate() {
                if s & (1 << bit) != 0 {
                    agree[bit + usize::from(v.cross) * CORE.len()][usize::from(v.levels[c])] +=
                        weight;
                }
            }
        }
        let mask = mask_outside(v, sample);
        rest[sample][mask].1 += weight;
        if s == sample {
            rest[sample][mask].0 += weight;
            for c in 0..NCOMP {
                let l = usize::from(v.levels[c]);
                if l != 0 || c == C_ORDER {
                    acc[s][o + c][l] += weight;
                }
            }
        }
    }
    let base = smooth(&acc[0], 0, None, 1.0);
    for s in 0..NREGIME {
        p.u[s] = if s == 0 {
            base.clone()
        } else {
            smooth(&acc[s], s, Some(&base), 20.0)
        };
        for mask in 0..NREGIME {
            let (none, total) = rest[s][mask];
            p.rest[s][mask] = if mask == 0 {
                1.0
            } else {
                ((none + 1.0) / (total + 2.0)).clamp(1e-6, 1.0)
            };
        }
        // Agreement inside the regime was sampled on exact keys, so its spread over levels
        // comes from the population.
        for (o, mode) in [(0, 0), (NCOMP, 1)] {
            for (bit, &c) in CORE.iter().enumerate() {
                if s & (1 << bit) != 0 {
                    let mut d: Vec<f64> = agree[bit + mode * CORE.len()]
                        .iter()
                        .enumerate()
                        .map(|(l, &x)| {
                            if core_agrees(c, l as u8) {
                                x + 0.5
                            } else {
                                0.0
                            }
                        })
                        .collect();
                    normalise(&mut d, 1);
                    p.u[s][o + c] = d;
                }
            }
            // A crosswise agreement is as likely by chance as one in order (see `model`).
            p.u[s][o + C_ORDER] = vec![1.0, 1.0];
        }
    }
}

/// Normalises counted levels of regime `s` into distributions. Without a base (the
/// population), `strength` pseudo-pairs are spread evenly. With one, each level's ratio to the
/// base is shrunk towards 1 by [`SHRINK`] pseudo-events: a level never seen in a regime's sample
/// but expected less than once there (an exact birth date among a few thousand pairs) keeps
/// about its population probability instead of falling to nothing. Core comparisons are
/// normalised over their agreeing levels (inside the regime) or disagreeing ones (outside).
fn smooth(
    acc: &[Vec<f64>],
    s: usize,
    base: Option<&Vec<Vec<f64>>>,
    strength: f64,
) -> Vec<Vec<f64>> {
    acc.iter()
        .enumerate()
        .map(|(i, counts)| {
            let c = i % NCOMP;
            let n = counts.len();
            let skip = usize::from(c != C_ORDER);
            let allowed = |l: usize| match core_bit(c) {
                Some(bit) if l != 0 => core_agrees(c, l as u8) == (s & (1 << bit) != 0),
                _ => true,
            };
            let mut prior: Vec<f64> = (0..n)
                .map(|l| match (l >= skip && allowed(l), base) {
                    (false, _) => 0.0,
                    (true, Some(b)) => b[i][l].max(1e-7),
                    (true, None) => 1.0,
                })
                .collect();
            if prior.iter().sum::<f64>() <= 1e-6 * n as f64 {
                // The base says nothing about these levels (agreement outside regime 0).
                for (l, p) in prior.iter_mut().enumerate() {
                    *p = if l >= skip && allowed(l) { 1.0 } else { 0.0 };
                }
            }
            normalise(&mut prior, skip);
            let mut out = vec![0.0; n];
            if base.is_some() {
                let total: f64 = (skip..n).filter(|&l| allowed(l)).map(|l| counts[l]).sum();
                for l in skip..n {
                    if prior[l] > 0.0 {
                        // The shrunk ratio when the level is rare in both; what was seen when
                        // it was seen often (the shrunk ratio then lags far behind).
                        let shrunk = prior[l] * (counts[l] + SHRINK) / (total * prior[l] + SHRINK);
                        out[l] = shrunk.max(counts[l] / total.max(1e-12));
                    }
                }
            } else {
                for l in skip..n {
                    if prior[l] > 0.0 {
                        out[l] = counts[l] + strength * prior[l];
                    }
                }
            }
            normalise(&mut out, skip);
            out
        })
        .collect()
}

/// Pseudo-events by which a regime's level probabilities are shrunk towards the base.
const SHRINK: f64 = 4.0;

fn m_step_lambda(p: &mut Params, list: &[Item], post: &[f64]) {
    let mut acc = vec![vec![(0.0f64, 0.0f64); NREGIME]; NSOURCE];
    for (((src, v), n), q) in list.iter().zip(post) {
        let a = &mut acc[usize::from(*src)][usize::from(v.regime)];
        a.0 += n * q;
        a.1 += n;
    }
    for (src, row) in acc.iter().enumerate() {
        for (s, &(m, t)) in row.iter().enumerate() {
            if t > 0.0 {
                p.lambda[src][s] = ((m + 1e-3) / (t + 2e-3)).clamp(1e-9, 1.0 - 1e-9);
            }
        }
    }
}

/// The expected number of matches in the deduplicated blocked sample.
pub(crate) fn dedup_matches(p: &Params, patterns: &Patterns) -> f64 {
    let t = Logs::new(p);
    unpack(patterns, |s| s == DEDUP)
        .iter()
        .map(|((src, v), n)| n * posterior(&t, usize::from(*src), v))
        .sum()
}
