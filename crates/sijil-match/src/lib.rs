//! Identity resolution for the civil registry: find every person once, across scripts.
//!
//! Pure computation (rayon for parallelism, no I/O). Three entry points share one engine:
//! [`dedup`] over a whole file, [`Index::resolve`] for one record against a registry, and
//! [`Index::search`] for a clerk's query.
//!
//! # The model
//!
//! A Fellegi–Sunter model: each pair of records gets a *comparison vector* (one categorical
//! level per field: first, father, grandfather, family, mother and mother's family names
//! through `sijil-names`, so across scripts; birth date with levels for the ways dates go
//! wrong; birth place; family register; sex; national number, a mistyped one included; and
//! whether first and father names were swapped), and each level weighs `log₂(m/u)`, where `m`
//! is its probability for two records of one person and `u` for two records of different
//! people. Exact agreements are adjusted by how common the value is (term frequencies on the
//! normalised key, so that every spelling of `محمد` counts as one name).
//!
//! Nothing is labelled: `u` comes from pairs drawn at random, `m` from EM over the pairs that
//! blocking finds.
//!
//! # Why a family core
//!
//! Siblings agree on father, grandfather, family name, mother, mother's family and register. A
//! model that adds those up as independent evidence merges whole families (this is what
//! happened to Splink on Syrian data; see `research/dedup-lessons.md`). Here the father, family
//! and mother names form one *family core*: its weight is the chance that a random record
//! shares the *combination* of values that agree (counted, so a large family's context weighs
//! less than a rare one), and every other comparison is weighed by `u` learnt *within* that
//! regime: among records that share father and family names, agreeing on the register or the
//! grandfather says little, and differing first names and birth years say a lot. The `u` of
//! each regime is learnt from random pairs of records that share the regime's names, with the
//! person's own records taken out by EM.
//!
//! # Blocking, clustering, incremental
//!
//! Records are compared when they share any of several keys built from cross-script name
//! codes, dates and national numbers (see [`BLOCKING_KEYS`]); each record meets at most a
//! fixed number of records per key, so cost grows linearly. Records are then decided in input
//! order, each against the clusters formed before it, by one decision function that the
//! incremental [`Index`] uses too: batch and incremental give the same answers on the same
//! data. A cluster never holds two records that cannot be one person (two valid national
//! numbers, two sexes, or strong contrary evidence), however they are linked.

#![deny(missing_docs)]

mod batch;
mod block;
mod cluster;
mod compare;
mod data;
mod em;
mod export;
mod hash;
mod index;
mod model;
mod prepare;
mod search;
mod tf;
mod train;
mod vocab;

pub use batch::{Decision, Dedup, ModelSource, Progress, ScoredPair, dedup};
pub use block::BLOCKING_KEYS;
pub use export::{NORMALISED_COLUMNS, normalised};
pub use index::{Candidate, Index, RecordRef, Resolution, Resolve};
pub use model::{
    Explanation, MODEL_FORMAT, Model, REGIME_NAMES, Settings, TERMS, Term, TrainingReport,
    probability,
};
pub use prepare::convention_for_source;
pub use search::{Query, SearchHit};
