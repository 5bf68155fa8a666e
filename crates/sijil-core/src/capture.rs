//! Capture metadata: who registered a source record, where, when, and on what evidence.
//! Kept with the record forever, so an adjudicator can weigh a re-registration made from a
//! family booklet differently from one made on two witnesses' word.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::{
    access::{OfficeCode, Username},
    validation::{Collector, Problem, ValidationErrors, clean_text},
};

/// Kinds of evidence a clerk can record as seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// دفتر العائلة
    FamilyBooklet,
    /// البطاقة الشخصية (old civil ID card)
    CivilIdCard,
    /// شهادة الولادة / بيان ولادة
    BirthCertificate,
    /// جواز السفر
    Passport,
    /// إخراج قيد
    RegisterExtract,
    /// بطاقة مفوضية اللاجئين
    RefugeeCard,
    /// قرار محكمة
    CourtDecision,
    /// A foreign document (residence permit, foreign ID).
    ForeignDocument,
    /// شاهد: a witness's statement.
    Witness,
}

impl EvidenceKind {
    /// Every kind, in display order.
    pub const ALL: [EvidenceKind; 9] = [
        EvidenceKind::FamilyBooklet,
        EvidenceKind::CivilIdCard,
        EvidenceKind::BirthCertificate,
        EvidenceKind::Passport,
        EvidenceKind::RegisterExtract,
        EvidenceKind::RefugeeCard,
        EvidenceKind::CourtDecision,
        EvidenceKind::ForeignDocument,
        EvidenceKind::Witness,
    ];
}

/// One piece of evidence seen at capture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evidence {
    /// What it was.
    pub kind: EvidenceKind,
    /// Its number or reference (a document number; a witness's national number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Free note (a witness's name and relation, a document's issuing country).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Longest evidence list accepted for one record.
pub const MAX_EVIDENCE: usize = 20;

impl Evidence {
    /// Validates a list of evidence, naming fields as `evidence[i].reference`.
    pub fn validate_list(list: &[Evidence]) -> Result<Vec<Evidence>, ValidationErrors> {
        let mut c = Collector::default();
        if list.len() > MAX_EVIDENCE {
            c.push("evidence", Problem::TooLong { max: MAX_EVIDENCE });
        }
        let mut out = Vec::with_capacity(list.len());
        for (i, e) in list.iter().take(MAX_EVIDENCE).enumerate() {
            let reference = e
                .reference
                .as_deref()
                .and_then(|r| c.check(&format!("evidence[{i}].reference"), clean_text(r)))
                .flatten();
            let note = e
                .note
                .as_deref()
                .and_then(|r| c.check(&format!("evidence[{i}].note"), clean_text(r)))
                .flatten();
            out.push(Evidence {
                kind: e.kind,
                reference,
                note,
            });
        }
        c.finish(|| out)
    }
}

/// Who captured a record, where and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Capture {
    /// The office where it was captured.
    pub office: OfficeCode,
    /// The officer who captured it.
    pub officer: Username,
    /// When it was captured.
    #[serde(with = "time::serde::rfc3339")]
    pub captured_at: OffsetDateTime,
    /// Evidence seen.
    pub evidence: Vec<Evidence>,
}
