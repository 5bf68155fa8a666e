//! Identity resolution for the civil registry: find every person once, across scripts.
//!
//! Pure computation (rayon for parallelism, no I/O). Three entry points share one engine:
//! [`dedup`] over a whole file, [`Index::resolve`] for one record against a registry held in
//! memory, and [`Index::search`] for a clerk's query.
//!
//! # The model
//!
//! A Fellegi–Sunter model. Each pair of records gets a *comparison vector*: one categorical
//! level per comparison — first, father, grandfather, family, mother and mother's family names
//! (through `sijil-names`, so across scripts, with two refinements that need the registry: a
//! one-letter difference between a rare and a common spelling is a typo, and a difference of
//! one letter or one consonant class is told apart from names with nothing in common); birth
//! date (exact, same year and month, day and month swapped, same year with one side imprecise
//! — year only, or 1 January, the default of foreign papers —, same year, a year off on the same
//! day, a year off, different); birth place; family register (place and number, weighed apart
//! for women, whose register moves on marriage); sex; national number (exact, one digit off
//! when one side failed its check digit, different); and whether first and father names were
//! swapped. Each level weighs `log₂(m/u)`: `m` its probability for two records of one person,
//! `u` for two records of different people. Agreement on a value is adjusted by how common the
//! value is (term frequencies on the normalised key or dictionary name, so that every spelling
//! of `محمد` counts as one name and weighs little); a first name shared by two people born
//! within a year of each other is weighed by its frequency in their decade (names go in and out
//! of fashion).
//!
//! Pairs with one record in Arabic letters and the other in Latin get their own `m` and `u`
//! for every comparison: their names agree as dictionary variants rather than exactly, their
//! dates come from papers that default to 1 January, and mixing them with same-script pairs
//! would make either kind look wrong.
//!
//! # Why a family core
//!
//! Siblings agree on father, grandfather, family name, mother, mother's family and register. A
//! model that adds those up as independent evidence merges whole families (this is what
//! happened to Splink on Syrian data; see `research/dedup-lessons.md`). Here the father, family
//! and mother names form one *family core*. Which of them agree is the pair's *regime*; the
//! weight of the agreement is the chance that a random record shares that *combination* of
//! values, counted in the data (a large family's context weighs less than a rare one), and
//! every other comparison is weighed with the `u` of its regime: among records that share
//! father and family names, a shared register or grandfather says little, while different
//! first names and birth years say a lot.
//!
//! # Learning without labels
//!
//! * `u`: pairs drawn at random from the population (regime "none") and from the records that
//!   share each regime's names exactly (siblings, namesakes, and the person's own records,
//!   which EM takes out).
//! * `m`: EM over pairs that blocking finds, one sample per blocking key, each leaving out the
//!   comparisons its key selected on (as Splink does). Pairs that share a valid national
//!   number are one person whatever else they say, so their sample anchors `m`; the others
//!   are pooled in as a prior. (Pooled alone they are biased: twins agree on everything but
//!   the first name, so in samples selected on birth date and parents they make a different
//!   first name look common among matches.)
//! * The prior, the chance that two random records are one person: the share of pairs that
//!   share a valid national number among records that carry one — a count, not a model.
//!
//! # Blocking, clustering, incremental
//!
//! Records are compared when they share any of several keys built from cross-script name
//! codes, dates and national numbers (see [`BLOCKING_KEYS`]), so that any one damaged field
//! leaves a true pair a key; each record meets at most a fixed number of records per key, so
//! cost grows linearly. Records are then decided in input order, each against the clusters
//! formed before it, by one decision function that the incremental [`Index`] uses too: batch
//! and incremental give the same answers on the same data. A cluster never holds two records
//! that cannot be one person (two valid national numbers, two sexes, or strong contrary
//! evidence that nothing outweighs), however they are linked through others.

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

pub use batch::{Batch, Decision, Dedup, ModelSource, Progress, ScoredPair, dedup, train_model};
pub use block::BLOCKING_KEYS;
pub use export::{NORMALISED_COLUMNS, normalised};
pub use index::{Candidate, Index, RecordRef, Resolution, Resolve};
pub use model::{
    Explanation, MODEL_FORMAT, Model, REGIME_NAMES, Settings, TERMS, Term, TrainingReport,
    probability,
};
pub use prepare::convention_for_source;
pub use search::{Query, SearchHit};
