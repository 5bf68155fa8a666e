//! What identity resolution keeps in the store: the model it decides with, the record moves
//! that every decision makes, and the review queue of decisions left to an adjudicator.

use serde::Serialize;
use sijil_core::{OfficeCode, PersonRecord};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Person, StoredRecord};

/// A record as the resolver's in-memory index holds it: its place in the registry's order and
/// the person it currently belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedRecord {
    /// Registry order (insertion sequence).
    pub seq: i64,
    /// The interchange fields.
    pub record: PersonRecord,
    /// The person it belongs to now.
    pub person_id: Uuid,
}

/// One record moved from one person to another by a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordMove {
    /// Order of the move among all moves (the resolver follows moves by this).
    pub seq: i64,
    /// The record.
    pub record_seq: i64,
    /// The person it left.
    pub from: Uuid,
    /// The person it joined.
    pub to: Uuid,
}

/// Where a match model came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ModelSource {
    /// Learnt from this registry's own records.
    Registry,
    /// Learnt from a generated population, until the registry is large enough.
    Synthetic,
}

impl ModelSource {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ModelSource::Registry => "registry",
            ModelSource::Synthetic => "synthetic",
        }
    }
}

/// A match model to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewModel {
    /// Where it was learnt.
    pub source: ModelSource,
    /// From how many records.
    pub records: i64,
    /// JSON of `sijil_match::Model`.
    pub json: String,
}

/// A kept match model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredModel {
    /// Id (decisions name the model that made them).
    pub id: Uuid,
    /// Where it was learnt.
    pub source: ModelSource,
    /// From how many records.
    pub records: i64,
    /// JSON of `sijil_match::Model`.
    pub json: String,
    /// When it was kept.
    pub created_at: OffsetDateTime,
}

/// Why a record went to the review queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewKind {
    /// A candidate scored between the thresholds (or was vetoed): the record was kept as a
    /// person of its own until an adjudicator says whether it is one of the candidates.
    PossibleMatch,
    /// The record linked to a person and showed other persons to be the same one; merging
    /// persons who may already hold documents is left to an adjudicator.
    Merge,
}

impl ReviewKind {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewKind::PossibleMatch => "possible_match",
            ReviewKind::Merge => "merge",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "possible_match" => Some(ReviewKind::PossibleMatch),
            "merge" => Some(ReviewKind::Merge),
            _ => None,
        }
    }
}

/// A candidate person for a review item, as the resolver scored it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewCandidate {
    /// The candidate person.
    pub person_id: Uuid,
    /// Their record that scored best.
    pub record_seq: i64,
    /// Match weight (log₂ odds).
    pub weight: f64,
    /// Per-field explanation (JSON of `sijil_match::Explanation`).
    #[cfg_attr(feature = "openapi", schema(value_type = sijil_match::Explanation))]
    pub explanation: serde_json::Value,
}

/// A review item to open with a record.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRequest {
    /// Why.
    pub kind: ReviewKind,
    /// The candidates, best first.
    pub candidates: Vec<ReviewCandidate>,
}

/// Filter for the review queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewQuery {
    /// Settled items too.
    pub include_settled: bool,
    /// Only items opened by records captured at this office (an adjudicator's scope).
    pub office: Option<OfficeCode>,
    /// At most this many, oldest first (0 means 50).
    pub limit: u32,
}

/// A line of the review queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewSummary {
    /// Id.
    pub id: Uuid,
    /// Why.
    pub kind: ReviewKind,
    /// The record's person now.
    pub person_id: Uuid,
    /// The record's full name as captured (for the adjudicator's list).
    pub name: String,
    /// The office that captured the record.
    pub office: OfficeCode,
    /// How many candidates.
    pub candidates: usize,
    /// The best candidate's weight.
    pub best_weight: f64,
    /// When it was opened.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The decision that settled it, if settled.
    pub settled_by: Option<Uuid>,
}

/// A candidate, with what an adjudicator needs to compare.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateDetail {
    /// The person now (a candidate may have been merged since: see `merged_into`).
    pub person: Person,
    /// Their record that scored best.
    pub record: StoredRecord,
    /// Match weight.
    pub weight: f64,
    /// Per-field explanation.
    #[cfg_attr(feature = "openapi", schema(value_type = sijil_match::Explanation))]
    pub explanation: serde_json::Value,
}

/// A review item with both sides.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewItem {
    /// Id.
    pub id: Uuid,
    /// Why.
    pub kind: ReviewKind,
    /// The record under review.
    pub record: StoredRecord,
    /// Its person now.
    pub person: Person,
    /// Candidates, best first.
    pub candidates: Vec<CandidateDetail>,
    /// When it was opened.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The decision that settled it, if settled.
    pub settled_by: Option<Uuid>,
}

/// What an adjudicator decides. Every decision moves records between persons (or none), is
/// kept forever with its reason, and can be undone by [`Adjudication::Undo`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Adjudication {
    /// Settles a review item: its record belongs to `person`, one of the item's candidates
    /// (for a `merge` item: the record's person and `person` are one, and are merged).
    Link {
        /// The item.
        review: Uuid,
        /// The candidate chosen.
        person: Uuid,
    },
    /// Settles a review item: its record's person is nobody else (no record moves).
    Separate {
        /// The item.
        review: Uuid,
    },
    /// Moves every record of `from` into `into`; `from` then points to `into`.
    Merge {
        /// The person merged away.
        from: Uuid,
        /// The person who remains.
        into: Uuid,
    },
    /// Moves these records (by id) of a person to a new person, who gets a national number.
    Split {
        /// The person split.
        person: Uuid,
        /// The records that leave (some, not all).
        records: Vec<Uuid>,
    },
    /// Undoes a decision: moves its records back (only if none moved again since) and opens
    /// again the review item it settled.
    Undo {
        /// The decision undone.
        decision: Uuid,
    },
}

impl Adjudication {
    /// The stored kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Adjudication::Link { .. } => "link",
            Adjudication::Separate { .. } => "separate",
            Adjudication::Merge { .. } => "merge",
            Adjudication::Split { .. } => "split",
            Adjudication::Undo { .. } => "undo",
        }
    }
}

/// The outcome of an adjudication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionReceipt {
    /// The decision's id (to undo it).
    pub decision_id: Uuid,
    /// Records moved.
    pub moves: Vec<RecordMove>,
    /// The person a split created.
    pub new_person: Option<Uuid>,
}

/// A decision about a person's records, for their history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionEntry {
    /// Id.
    pub id: Uuid,
    /// `resolution`, `link`, `separate`, `merge`, `split` or `undo`.
    pub kind: String,
    /// The record it was about, if one.
    pub record_id: Option<Uuid>,
    /// The review item it settled, if one.
    pub review_id: Option<Uuid>,
    /// The decision it undid, if one.
    pub reverses: Option<Uuid>,
    /// Why (a code for the resolver, an adjudicator's words otherwise).
    pub reason: String,
    /// Scores and per-field weights, when a model decided.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<sijil_match::Explanation>))]
    pub explanation: Option<serde_json::Value>,
    /// Who.
    pub decided_by: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub decided_at: OffsetDateTime,
    /// Records moved.
    pub moves: Vec<RecordMove>,
}
