//! Random helpers: seed derivation, weighted choice.
//!
//! Everything here is deterministic for a given seed on every platform: `fastrand`'s wyrand
//! stream and IEEE-754 arithmetic on `f64` are the same everywhere, and no iteration order
//! depends on hashing.

use fastrand::Rng;

/// SplitMix64 finaliser: turns structured inputs (seed, chunk, stream) into well-mixed seeds.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The RNG of one stream of one chunk. Streams keep population and record noise apart, so
/// [`crate::people`] can rebuild the population without drawing the records.
pub(crate) fn chunk_rng(seed: u64, chunk: u64, stream: u64) -> Rng {
    Rng::with_seed(mix(
        mix(mix(seed) ^ chunk) ^ stream.wrapping_mul(0xA24B_AED4_963E_E407)
    ))
}

/// True with probability `p`.
#[inline]
pub(crate) fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.f64() < p
}

/// A weighted choice among `n` items, by binary search over cumulative weights.
#[derive(Debug, Clone)]
pub(crate) struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    /// Builds a sampler; weights must be non-negative with a positive sum.
    pub(crate) fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut total = 0.0;
        let cumulative: Vec<f64> = weights
            .into_iter()
            .map(|w| {
                total += w;
                total
            })
            .collect();
        assert!(total > 0.0, "weighted choice needs a positive total weight");
        Self { cumulative }
    }

    /// Draws an index.
    #[inline]
    pub(crate) fn sample(&self, rng: &mut Rng) -> usize {
        let total = *self.cumulative.last().expect("non-empty");
        let x = rng.f64() * total;
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len() - 1)
    }

    /// The probability of index `i`.
    #[cfg(test)]
    pub(crate) fn share(&self, i: usize) -> f64 {
        let total = *self.cumulative.last().expect("non-empty");
        let prev = if i == 0 { 0.0 } else { self.cumulative[i - 1] };
        (self.cumulative[i] - prev) / total
    }
}

/// Picks one of a few `(value, weight)` pairs by linear scan; for short inline tables.
#[inline]
pub(crate) fn pick<T: Copy>(rng: &mut Rng, items: &[(T, f64)]) -> T {
    let total: f64 = items.iter().map(|&(_, w)| w).sum();
    let mut x = rng.f64() * total;
    for &(v, w) in items {
        if x < w {
            return v;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

/// Picks an index with probability proportional to `weights[i]`.
#[inline]
pub(crate) fn pick_index(rng: &mut Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = rng.f64() * total;
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// Picks one of the `|`-separated spellings in `cell`, favouring the first ones (weight
/// `1/(i+1)`).
pub(crate) fn pick_spelling<'a>(rng: &mut Rng, cell: &'a str) -> &'a str {
    let n = cell.split('|').count();
    let total: f64 = (1..=n).map(|i| 1.0 / i as f64).sum();
    let mut x = rng.f64() * total;
    for (i, s) in cell.split('|').enumerate() {
        let w = 1.0 / (i + 1) as f64;
        if x < w {
            return s;
        }
        x -= w;
    }
    cell.rsplit('|').next().unwrap_or(cell)
}

/// A Poisson draw by Knuth's method; fine for the small means used here.
pub(crate) fn poisson(rng: &mut Rng, mean: f64) -> u32 {
    let limit = (-mean).exp();
    let mut k = 0;
    let mut p = rng.f64();
    while p > limit && k < 30 {
        k += 1;
        p *= rng.f64();
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_choice_follows_weights() {
        let w = Weighted::new([1.0, 3.0, 0.0, 6.0]);
        let mut rng = Rng::with_seed(7);
        let mut counts = [0u32; 4];
        for _ in 0..100_000 {
            counts[w.sample(&mut rng)] += 1;
        }
        assert_eq!(counts[2], 0);
        assert!((counts[1] as f64 / 100_000.0 - 0.3).abs() < 0.01);
        assert!((w.share(3) - 0.6).abs() < 1e-12);
    }

    #[test]
    fn streams_differ() {
        let a = chunk_rng(1, 0, 0).u64(..);
        let b = chunk_rng(1, 0, 1).u64(..);
        let c = chunk_rng(1, 1, 0).u64(..);
        let d = chunk_rng(2, 0, 0).u64(..);
        assert!(a != b && a != c && a != d && b != c);
    }
}
