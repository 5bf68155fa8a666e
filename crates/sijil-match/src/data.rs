//! A data set prepared for matching: the interned vocabulary and the compact records.

use sijil_core::PersonRecord;

use crate::prepare::{Rec, Vocab, convention_for_source, prepare};

/// Prepared records, in input order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Data {
    pub vocab: Vocab,
    pub recs: Vec<Rec>,
}

impl Data {
    /// Prepares and appends one record; returns its index.
    pub(crate) fn push(&mut self, r: &PersonRecord) -> u32 {
        let conv = convention_for_source(r.source.as_deref());
        let rec = prepare(&mut self.vocab, r, conv);
        self.recs.push(rec);
        (self.recs.len() - 1) as u32
    }
}
