//! What an import hands the store: records with the decision that places each, read on
//! demand rather than handed over as one vector of full decisions.
//!
//! A national import holds millions of records. Their full decisions carry JSON explanations
//! (one per linked record, five per review item) that took about 10 KB each as
//! `serde_json::Value` trees: a gigabyte per 100,000 records. Behind this trait a resolver
//! keeps its decisions compact and expands them a chunk at a time, as the store writes them.

use sijil_core::{Capture, PersonRecord};

use crate::{Decision, Link, NewSourceRecord};

/// A batch of source records to import in order, each with its decision. The store reads it
/// more than once (planning every record's person first, then writing chunk by chunk) and asks
/// for an item's full [`Decision`] only when it writes that item, so an implementation may
/// build it then.
pub trait ImportBatch: Send + Sync {
    /// Items in the batch.
    fn len(&self) -> usize;
    /// Whether the batch holds no item.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The record of item `i`.
    fn record(&self, i: usize) -> &PersonRecord;
    /// Who captured item `i`, where, when, on what evidence.
    fn capture(&self, i: usize) -> &Capture;
    /// Where item `i` goes: the same as `self.decision(i).link`, without building the rest.
    fn link(&self, i: usize) -> Link;
    /// The full decision for item `i`.
    fn decision(&self, i: usize) -> Decision;
}

/// A batch already in memory, decisions and all (tests, small imports).
impl ImportBatch for Vec<(NewSourceRecord, Decision)> {
    fn len(&self) -> usize {
        <[_]>::len(self)
    }
    fn record(&self, i: usize) -> &PersonRecord {
        &self[i].0.record
    }
    fn capture(&self, i: usize) -> &Capture {
        &self[i].0.capture
    }
    fn link(&self, i: usize) -> Link {
        self[i].1.link
    }
    fn decision(&self, i: usize) -> Decision {
        self[i].1.clone()
    }
}
