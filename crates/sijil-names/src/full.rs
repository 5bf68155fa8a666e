//! Unstructured full names (arabic-names.md §4): tokens paired by best agreement, whatever their
//! order, so that `AL-HALABI Mohammed` meets `محمد الحلبي`.

use crate::compare::token_level;
use crate::{Level, NameKey};

/// The most tokens of a full name that [`compare_full`] pairs; further tokens are ignored.
pub const MAX_FULL_TOKENS: usize = 8;

/// One pair of tokens that [`compare_full`] matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenPair {
    /// Token index in the first name.
    pub a: u8,
    /// Token index in the second name.
    pub b: u8,
    /// How well the two tokens agree (at least [`Level::SkeletonOnly`]).
    pub level: Level,
}

/// The pairing of two full names' tokens. The matcher weighs each pair by its level and by the
/// token's frequency (`-log2 tf`), and unmatched tokens by whether they could be a nasab
/// (father's or grandfather's name) that one source left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FullNameMatch {
    pairs: [TokenPair; MAX_FULL_TOKENS],
    len: u8,
    tokens_a: u8,
    tokens_b: u8,
    exact: bool,
}

impl FullNameMatch {
    /// The matched pairs, in the order of the first name's tokens.
    pub fn pairs(&self) -> &[TokenPair] {
        &self.pairs[..usize::from(self.len)]
    }

    /// Tokens considered in the first name (at most [`MAX_FULL_TOKENS`]).
    pub fn tokens_a(&self) -> usize {
        usize::from(self.tokens_a)
    }

    /// Tokens considered in the second name (at most [`MAX_FULL_TOKENS`]).
    pub fn tokens_b(&self) -> usize {
        usize::from(self.tokens_b)
    }

    /// How many pairs agree at `level` or better.
    pub fn matched_at_least(&self, level: Level) -> usize {
        self.pairs().iter().filter(|p| p.level >= level).count()
    }

    /// Tokens of the first name left without a partner.
    pub fn unmatched_a(&self) -> usize {
        self.tokens_a() - self.pairs().len()
    }

    /// Tokens of the second name left without a partner.
    pub fn unmatched_b(&self) -> usize {
        self.tokens_b() - self.pairs().len()
    }

    /// Whether the pairs keep the tokens' order (false for `Halabi Mohammed` vs `محمد حلبي`).
    pub fn in_order(&self) -> bool {
        self.pairs().windows(2).all(|w| w[0].b < w[1].b)
    }

    /// A one-word summary: `Null` if a name is empty, `ExactStrict` if the strict keys are
    /// equal; otherwise, when every token of the shorter name found a partner, the weakest
    /// pair's level; else `Different`.
    pub fn level(&self) -> Level {
        if self.tokens_a == 0 || self.tokens_b == 0 {
            return Level::Null;
        }
        if self.exact {
            return Level::ExactStrict;
        }
        if self.len == 0 || self.len < self.tokens_a.min(self.tokens_b) {
            return Level::Different;
        }
        self.pairs()
            .iter()
            .map(|p| p.level)
            .min()
            .unwrap_or(Level::Different)
    }
}

/// Pairs the tokens of two full names greedily by best level (ties: closest position first), ignoring order. Build the keys with [`crate::NameField::Full`] so that
/// the article and the connectors بن/bin are handled. Symmetric in its pairs.
pub fn compare_full(a: &NameKey, b: &NameKey) -> FullNameMatch {
    let n = a.token_count().min(MAX_FULL_TOKENS);
    let m = b.token_count().min(MAX_FULL_TOKENS);
    let empty = TokenPair {
        a: 0,
        b: 0,
        level: Level::Null,
    };
    let mut out = FullNameMatch {
        pairs: [empty; MAX_FULL_TOKENS],
        len: 0,
        tokens_a: n as u8,
        tokens_b: m as u8,
        exact: n > 0 && m > 0 && a.strict() == b.strict(),
    };
    if n == 0 || m == 0 {
        return out;
    }
    let mut cand = [empty; MAX_FULL_TOKENS * MAX_FULL_TOKENS];
    let mut k = 0;
    for i in 0..n {
        let x = a.token(i);
        for j in 0..m {
            let level = token_level(&x, &b.token(j));
            if level >= Level::SkeletonOnly {
                cand[k] = TokenPair {
                    a: i as u8,
                    b: j as u8,
                    level,
                };
                k += 1;
            }
        }
    }
    let cand = &mut cand[..k];
    // The key gives a pair and its mirror image the same rank, so swapping the names swaps the
    // pairs and changes nothing else.
    cand.sort_unstable_by_key(|p| {
        (
            std::cmp::Reverse(p.level),
            p.a.abs_diff(p.b),
            p.a + p.b,
            p.a,
        )
    });
    let (mut used_a, mut used_b) = (0u16, 0u16);
    for p in cand.iter() {
        if used_a & (1 << p.a) == 0 && used_b & (1 << p.b) == 0 {
            used_a |= 1 << p.a;
            used_b |= 1 << p.b;
            out.pairs[usize::from(out.len)] = *p;
            out.len += 1;
        }
    }
    out.pairs[..usize::from(out.len)].sort_unstable_by_key(|p| p.a);
    out
}
