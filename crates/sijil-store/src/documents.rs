//! Identity documents at the central registry: ID cards and passports, their status history,
//! passport applications, and the alerts that checks consult.
//!
//! A document is never edited: it is issued once, and each later event (delivered, reported
//! lost or stolen, cancelled) is a new row in its status history, audited in the same
//! transaction. The revocation list that checkpoints receive is derived from that history
//! ([`DocumentStore::revoked_documents`]), so it cannot disagree with the registry.
//!
//! Signing happens outside the store (keys are files, not rows); the store allocates the
//! document number inside its transaction and hands it to a caller-supplied function that
//! returns what is printed on the document ([`Printed`]: the zone and, for a card, the signed
//! credential), so the number, the credential and the row are written together or not at all.

use async_trait::async_trait;
use serde::Serialize;
use sijil_core::NationalNumber;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Actor, StoreResult};

/// The kinds of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// National ID card (ID-1 size, TD1 zone, QR credential).
    IdCard,
    /// Passport (TD3 zone).
    Passport,
}

impl DocumentKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::IdCard => "id_card",
            DocumentKind::Passport => "passport",
        }
    }

    /// The first letter of its numbers.
    pub fn prefix(self) -> char {
        match self {
            DocumentKind::IdCard => 'A',
            DocumentKind::Passport => 'N',
        }
    }
}

/// A document's status. `Lost`, `Stolen` and `Cancelled` are final and put it on the
/// revocation list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    /// Made, not yet handed over.
    Issued,
    /// Handed to its holder.
    Delivered,
    /// Reported lost.
    Lost,
    /// Reported stolen.
    Stolen,
    /// Cancelled (replaced, issued in error, holder deceased).
    Cancelled,
}

impl DocumentStatus {
    /// Every status.
    pub const ALL: [DocumentStatus; 5] = [
        DocumentStatus::Issued,
        DocumentStatus::Delivered,
        DocumentStatus::Lost,
        DocumentStatus::Stolen,
        DocumentStatus::Cancelled,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentStatus::Issued => "issued",
            DocumentStatus::Delivered => "delivered",
            DocumentStatus::Lost => "lost",
            DocumentStatus::Stolen => "stolen",
            DocumentStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the document is revoked (no longer good anywhere).
    pub fn is_revoked(self) -> bool {
        matches!(
            self,
            DocumentStatus::Lost | DocumentStatus::Stolen | DocumentStatus::Cancelled
        )
    }

    /// Whether a document in this status may move to `next`.
    pub fn may_become(self, next: DocumentStatus) -> bool {
        use DocumentStatus::*;
        matches!(
            (self, next),
            (Issued, Delivered) | (Issued | Delivered, Lost | Stolen | Cancelled)
        )
    }
}

/// One entry of a document's status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    /// The new status.
    pub status: DocumentStatus,
    /// Why, when given.
    pub note: Option<String>,
    /// Who.
    pub by: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// An issued document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Document {
    /// Id.
    pub id: Uuid,
    /// Card or passport number.
    pub number: String,
    /// Kind.
    pub kind: DocumentKind,
    /// Holder.
    pub person_id: Uuid,
    /// Date of issue.
    #[serde(with = "sijil_core::date::iso_day")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub issued_on: Date,
    /// Last day of validity.
    #[serde(with = "sijil_core::date::iso_day")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub expires_on: Date,
    /// The signed credential in the card's QR code (ID cards).
    pub credential: Option<String>,
    /// The key that signed it.
    pub key_id: Option<String>,
    /// The passport application it came from (passports).
    pub application_id: Option<Uuid>,
    /// The machine-readable zone, lines joined by `\n`.
    pub mrz: String,
    /// Status history, oldest first (never empty).
    pub history: Vec<StatusChange>,
}

impl Document {
    /// The current status.
    pub fn status(&self) -> DocumentStatus {
        self.history
            .last()
            .map_or(DocumentStatus::Issued, |c| c.status)
    }

    /// Whether it is good on `today`: not revoked and not expired.
    pub fn is_valid_on(&self, today: Date) -> bool {
        !self.status().is_revoked() && today <= self.expires_on
    }
}

/// What gets printed on a new document, made once its number is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    /// The machine-readable zone.
    pub mrz: String,
    /// For a card: the credential text, its id (hex) and the signing key's id.
    pub credential: Option<(String, String, String)>,
}

/// Makes what is printed on a document once its number is known (the zone, the signed
/// credential). Any `Fn(&str) -> Result<Printed, String>` is one; an error aborts the issue.
pub trait Printer: Send + Sync {
    /// Prints the document numbered `number`.
    fn print(&self, number: &str) -> Result<Printed, String>;
}

impl<F: Fn(&str) -> Result<Printed, String> + Send + Sync> Printer for F {
    fn print(&self, number: &str) -> Result<Printed, String> {
        self(number)
    }
}

/// A document to issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    /// Kind.
    pub kind: DocumentKind,
    /// Holder.
    pub person_id: Uuid,
    /// Date of issue.
    pub issued_on: Date,
    /// Last day of validity.
    pub expires_on: Date,
}

/// The state of a passport application (its latest step).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStep {
    /// Received.
    Applied,
    /// Checks passed; waiting for a second officer's approval.
    Checked,
    /// Checks found something (a valid passport, an alert); an officer must look.
    Held,
    /// Approved by a second officer.
    Approved,
    /// The passport was issued.
    Issued,
    /// Refused.
    Refused,
}

impl ApplicationStep {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStep::Applied => "applied",
            ApplicationStep::Checked => "checked",
            ApplicationStep::Held => "held",
            ApplicationStep::Approved => "approved",
            ApplicationStep::Issued => "issued",
            ApplicationStep::Refused => "refused",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        use ApplicationStep::*;
        [Applied, Checked, Held, Approved, Issued, Refused]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// One step of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepEntry {
    /// The step.
    pub step: ApplicationStep,
    /// Details (for a check: what it found).
    pub detail: serde_json::Value,
    /// Who.
    pub by: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// A passport application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PassportApplication {
    /// Id.
    pub id: Uuid,
    /// Applicant.
    pub person_id: Uuid,
    /// The officer who took the application.
    pub applied_by: String,
    /// The office where it was taken: its officers (or the central's) take the next steps.
    pub office: sijil_core::OfficeCode,
    /// Steps, oldest first (never empty).
    pub steps: Vec<StepEntry>,
}

impl PassportApplication {
    /// The current step.
    pub fn step(&self) -> ApplicationStep {
        self.steps
            .last()
            .map_or(ApplicationStep::Applied, |s| s.step)
    }
}

/// An alert on a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertRecord {
    /// Id.
    pub id: Uuid,
    /// The person's national number.
    pub national_number: String,
    /// Kind, e.g. `wanted`.
    pub code: String,
    /// Who raised it.
    pub created_by: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it was lifted, if it was.
    #[serde(with = "time::serde::rfc3339::option")]
    pub lifted_at: Option<OffsetDateTime>,
    /// When the alerted number's person was merged into another: the survivor's national
    /// number. The alert holds the survivor too (a card issued to them after the merge
    /// carries only their number), so published alert lists name both numbers.
    pub survivor_number: Option<String>,
}

/// Storage of documents, applications and alerts. Every write is audited in its transaction.
#[async_trait]
pub trait DocumentStore: Send + Sync {
    /// Issues a document: allocates its number, calls `print` with it, stores the document
    /// and its first status (`issued`). A new ID card cancels the holder's earlier valid cards,
    /// those issued to persons merged into them included (one card per person). A merged-away
    /// person gets none (`Conflict`). A passport must come through
    /// [`DocumentStore::issue_passport`].
    async fn issue_document(
        &self,
        new: NewDocument,
        print: &dyn Printer,
        actor: &Actor,
    ) -> StoreResult<Document>;
    /// A document by id; audited as a read (its zone and credential carry the holder's data).
    async fn document(&self, id: Uuid, actor: &Actor) -> StoreResult<Document>;
    /// A document by its number; audited as a read.
    async fn document_by_number(&self, number: &str, actor: &Actor) -> StoreResult<Document>;
    /// A person's documents and those of anyone merged into them, newest first; audited as
    /// one read of this person.
    async fn documents_of(&self, person_id: Uuid, actor: &Actor) -> StoreResult<Vec<Document>>;
    /// Records a status change (delivered, lost, stolen, cancelled), refusing one the current
    /// status does not allow.
    async fn change_document_status(
        &self,
        id: Uuid,
        status: DocumentStatus,
        note: Option<String>,
        actor: &Actor,
    ) -> StoreResult<Document>;
    /// Every revoked document number with its status, for the revocation list.
    async fn revoked_documents(&self) -> StoreResult<Vec<(String, DocumentStatus)>>;

    /// Takes a passport application.
    async fn apply_passport(
        &self,
        person_id: Uuid,
        actor: &Actor,
    ) -> StoreResult<PassportApplication>;
    /// An application.
    async fn passport_application(&self, id: Uuid) -> StoreResult<PassportApplication>;
    /// Applications, newest first, at most `limit`.
    async fn passport_applications(&self, limit: u32) -> StoreResult<Vec<PassportApplication>>;
    /// Runs the checks (a valid passport already held, alerts on the applicant) on `today`:
    /// the application becomes `checked` when nothing is found, `held` otherwise.
    async fn check_passport_application(
        &self,
        id: Uuid,
        today: Date,
        actor: &Actor,
    ) -> StoreResult<PassportApplication>;
    /// Approves a checked application (or a held one, with a note saying why). The approver
    /// must not be the officer who took the application.
    async fn approve_passport_application(
        &self,
        id: Uuid,
        note: Option<String>,
        actor: &Actor,
    ) -> StoreResult<PassportApplication>;
    /// Refuses an application that is not yet issued.
    async fn refuse_passport_application(
        &self,
        id: Uuid,
        note: String,
        actor: &Actor,
    ) -> StoreResult<PassportApplication>;
    /// Issues the passport of an approved application.
    async fn issue_passport(
        &self,
        application_id: Uuid,
        issued_on: Date,
        expires_on: Date,
        print: &dyn Printer,
        actor: &Actor,
    ) -> StoreResult<Document>;

    /// Raises an alert on a national number.
    async fn add_alert(
        &self,
        national_number: &NationalNumber,
        code: &str,
        actor: &Actor,
    ) -> StoreResult<AlertRecord>;
    /// Lifts an alert.
    async fn lift_alert(&self, id: Uuid, actor: &Actor) -> StoreResult<()>;
    /// Alerts not lifted, by national number.
    async fn active_alerts(&self) -> StoreResult<Vec<AlertRecord>>;
}
