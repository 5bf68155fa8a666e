//! Exactly-once bookkeeping at the central: which sequence numbers of a series were applied.
//!
//! Keep one state per **device key** (the header's key id, checked to belong to the header's
//! office), not per office: an office may run several devices (a mobile team's laptops), and a
//! reinstalled node gets a new key and starts its sequence again at 1.
//!
//! The state is the highest contiguous sequence applied (`1..=contiguous`) plus the set of
//! sequences applied beyond it (out of order: a retry overtook a slow piece, or a USB export
//! was imported before the last network sync). It stays small: the set empties as the gaps
//! fill.
//!
//! Use: [`Received::decide`] is pure and changes nothing; after the packet's records are
//! stored, call [`Received::mark`] and store the new state **in the same transaction**, so a
//! crash between the two cannot apply a packet twice or lose one.

use std::collections::BTreeSet;

/// What to do with a packet of a given sequence number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// New, and every earlier sequence was applied: apply it.
    Accept,
    /// New, but earlier sequences are missing (`missing` of them): apply it all the same
    /// (registrations do not depend on each other) and report the gap; it fills when they come.
    Gap {
        /// How many earlier sequences have not arrived.
        missing: u64,
    },
    /// Already applied: acknowledge again, change nothing.
    Duplicate,
    /// Sequence 0, or so far ahead that it is refused (see [`Received::MAX_AHEAD`]):
    /// quarantine it.
    OutOfRange,
}

/// The sequences of one series (one device key) applied so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Received {
    contiguous: u64,
    ahead: BTreeSet<u64>,
}

impl Received {
    /// How far beyond the contiguous point a sequence may be. An honest office never gets this
    /// far ahead; the bound keeps a forged or buggy sequence from blowing up the state.
    pub const MAX_AHEAD: u64 = 1 << 20;

    /// Nothing received yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A state read back from storage; `None` if inconsistent (an `ahead` entry not above
    /// `contiguous + 1`, or too far).
    pub fn from_parts(contiguous: u64, ahead: impl IntoIterator<Item = u64>) -> Option<Self> {
        let ahead: BTreeSet<u64> = ahead.into_iter().collect();
        let ok = ahead
            .iter()
            .all(|&s| s > contiguous.saturating_add(1) && s - contiguous <= Self::MAX_AHEAD);
        ok.then_some(Self { contiguous, ahead })
    }

    /// Every sequence up to this one has been applied.
    pub fn contiguous(&self) -> u64 {
        self.contiguous
    }

    /// Sequences applied beyond the contiguous point, ascending.
    pub fn ahead(&self) -> impl Iterator<Item = u64> + '_ {
        self.ahead.iter().copied()
    }

    /// Whether this sequence was applied.
    pub fn contains(&self, sequence: u64) -> bool {
        (sequence != 0 && sequence <= self.contiguous) || self.ahead.contains(&sequence)
    }

    /// Sequences not yet received below the highest received one (for operators).
    pub fn missing_count(&self) -> u64 {
        match self.ahead.last() {
            Some(&top) => top - self.contiguous - self.ahead.len() as u64,
            None => 0,
        }
    }

    /// What to do with `sequence`; changes nothing.
    pub fn decide(&self, sequence: u64) -> Decision {
        if sequence == 0 || sequence - self.contiguous.min(sequence) > Self::MAX_AHEAD {
            return Decision::OutOfRange;
        }
        if self.contains(sequence) {
            return Decision::Duplicate;
        }
        let below = self.ahead.range(..sequence).count() as u64;
        match sequence - self.contiguous - 1 - below {
            0 => Decision::Accept,
            missing => Decision::Gap { missing },
        }
    }

    /// Records `sequence` as applied (after its records were stored). Returns `false`, and
    /// changes nothing, for a duplicate or out-of-range sequence.
    pub fn mark(&mut self, sequence: u64) -> bool {
        if matches!(
            self.decide(sequence),
            Decision::Duplicate | Decision::OutOfRange
        ) {
            return false;
        }
        if sequence == self.contiguous + 1 {
            self.contiguous = sequence;
            while self.ahead.remove(&(self.contiguous + 1)) {
                self.contiguous += 1;
            }
        } else {
            self.ahead.insert(sequence);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn in_order_out_of_order_and_again() {
        let mut r = Received::new();
        assert_eq!(r.decide(1), Decision::Accept);
        assert!(r.mark(1));
        assert_eq!(r.decide(4), Decision::Gap { missing: 2 });
        assert!(r.mark(4));
        assert_eq!(r.missing_count(), 2);
        assert_eq!(r.decide(3), Decision::Gap { missing: 1 });
        assert!(r.mark(3));
        assert_eq!(r.decide(4), Decision::Duplicate);
        assert!(!r.mark(4));
        assert_eq!(r.decide(2), Decision::Accept);
        assert!(r.mark(2));
        assert_eq!((r.contiguous(), r.ahead().count()), (4, 0));
        assert_eq!(r.decide(1), Decision::Duplicate);
        assert_eq!(r.decide(0), Decision::OutOfRange);
        assert_eq!(r.decide(5 + Received::MAX_AHEAD), Decision::OutOfRange);
        assert_eq!(r.decide(u64::MAX), Decision::OutOfRange);
    }

    #[test]
    fn a_stored_state_is_checked() {
        assert!(Received::from_parts(3, [5, 9]).is_some());
        assert!(Received::from_parts(3, [4]).is_none());
        assert!(Received::from_parts(3, [2]).is_none());
    }

    proptest! {
        /// Any order and any repetition of deliveries: each sequence is applied exactly once,
        /// and the state ends contiguous.
        #[test]
        fn every_packet_is_applied_exactly_once(
            n in 1u64..120,
            order in proptest::collection::vec(any::<prop::sample::Index>(), 0..400),
        ) {
            let mut deliveries: Vec<u64> = (1..=n).collect();
            deliveries.extend(order.iter().map(|i| 1 + i.index(n as usize) as u64));
            // Shuffle deterministically from the generated indices.
            for (k, i) in order.iter().enumerate() {
                let a = k % deliveries.len();
                let b = i.index(deliveries.len());
                deliveries.swap(a, b);
            }
            let mut r = Received::new();
            let mut applied = vec![0u32; n as usize + 1];
            for s in deliveries {
                let d = r.decide(s);
                prop_assert_eq!(d == Decision::Duplicate, applied[s as usize] > 0);
                if r.mark(s) {
                    applied[s as usize] += 1;
                }
                let stored = Received::from_parts(r.contiguous(), r.ahead());
                prop_assert_eq!(stored.as_ref(), Some(&r));
            }
            prop_assert!(applied[1..].iter().all(|&c| c == 1));
            prop_assert_eq!(r.contiguous(), n);
            prop_assert_eq!(r.ahead().count(), 0);
        }
    }
}
