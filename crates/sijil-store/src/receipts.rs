//! Receipts: what the central made of each packet an office sent. An office issues
//! provisional national numbers from its own secretariat series; the central resolves every
//! record against the whole registry and may link it to a person who already has a number,
//! issue its own, or send it to review. The office learns the outcome from these.

use serde::{Deserialize, Serialize};
use sijil_core::NationalNumber;
use time::OffsetDateTime;
use uuid::Uuid;

/// What the central did with a packet's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReceiptOutcome {
    /// Asked, not answered yet (kept at the office only; the central never sends it).
    Pending,
    /// Linked to a person the central already had (another number than the office's, maybe).
    Linked,
    /// A person created by this record at the central.
    New,
    /// Waiting for an adjudicator; no number is final yet.
    Review,
    /// Refused and kept in quarantine at the central.
    Quarantined,
}

impl ReceiptOutcome {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Linked => "linked",
            Self::New => "new",
            Self::Review => "review",
            Self::Quarantined => "quarantined",
        }
    }

    /// From the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "linked" => Some(Self::Linked),
            "new" => Some(Self::New),
            "review" => Some(Self::Review),
            "quarantined" => Some(Self::Quarantined),
            _ => None,
        }
    }
}

/// The central's receipt for one packet.
///
/// **Wire format: do not edit casually.** The central sends these signed with its downlink
/// key; the office verifies the body before trusting a number in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// The packet.
    pub packet_id: Uuid,
    /// What happened to its record.
    pub outcome: ReceiptOutcome,
    /// The person's national number at the central (`linked`, `new`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_number: Option<NationalNumber>,
    /// The quarantine reason code (`quarantined`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
}

/// A receipt held at an office, with the local record and number it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldReceipt {
    /// The central's answer.
    #[serde(flatten)]
    pub receipt: Receipt,
    /// The local record the packet carried.
    pub record_id: String,
    /// The number the office issued locally (provisional), if the record is linked here.
    pub local_national_number: Option<String>,
    /// When the central's latest answer was stored.
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
}
