//! What goes into the store (`New…`) and what comes out.

use serde::Serialize;
use sijil_core::{
    Capture, CivilEvent, NationalNumber, OfficeCode, PersonRecord, PersonView, Role, Username,
};
use time::OffsetDateTime;
use uuid::Uuid;

/// The officer on whose behalf a store operation runs; recorded in the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user's id.
    pub user_id: Uuid,
    /// The user's login name.
    pub username: Username,
    /// The user's role.
    pub role: Role,
    /// The user's office.
    pub office: OfficeCode,
}

/// An office to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOffice {
    /// Its code.
    pub code: OfficeCode,
    /// Name in Arabic.
    pub name_ar: String,
    /// Name in English.
    pub name_en: String,
    /// Governorate code (first two digits of national numbers it issues).
    pub governorate: u8,
    /// Secretariat code (next two digits).
    pub secretariat: u8,
}

/// An office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Office {
    /// Its code.
    pub code: OfficeCode,
    /// Name in Arabic.
    pub name_ar: String,
    /// Name in English.
    pub name_en: String,
    /// Governorate code.
    pub governorate: u8,
    /// Secretariat code.
    pub secretariat: u8,
    /// When it was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// What an administrator changes of a user; `None` keeps the value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserChange {
    /// A new role.
    pub role: Option<Role>,
    /// Whether the user may log in.
    pub active: Option<bool>,
}

/// A user to create. The password arrives already hashed: the store never sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Login name.
    pub username: Username,
    /// Name shown on screens.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Office.
    pub office: OfficeCode,
    /// Argon2id PHC string.
    pub password_hash: String,
}

/// A user.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    /// Id.
    pub id: Uuid,
    /// Login name.
    pub username: Username,
    /// Name shown on screens.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Office.
    pub office: OfficeCode,
    /// Argon2id PHC string.
    #[serde(skip)]
    pub password_hash: String,
    /// Whether the user may log in.
    pub active: bool,
    /// When the user was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("role", &self.role)
            .field("office", &self.office)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

impl Actor {
    /// The login name reserved for Sijil itself (bootstrap, migrations of data).
    pub const SYSTEM: &'static str = "system";

    /// Sijil itself, for work no officer asked for (first start, sample data).
    pub fn system(office: OfficeCode) -> Self {
        Actor {
            user_id: Uuid::nil(),
            username: Username::parse(Self::SYSTEM).expect("valid username"),
            role: Role::Administrator,
            office,
        }
    }
}

impl User {
    /// The actor this user acts as.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.id,
            username: self.username.clone(),
            role: self.role,
            office: self.office.clone(),
        }
    }
}

/// A source record to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSourceRecord {
    /// The validated interchange fields.
    pub record: PersonRecord,
    /// Who captured it, where, when, on what evidence.
    pub capture: Capture,
}

/// Which person a new source record belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// A new person is created for it.
    NewPerson,
    /// It belongs to this existing person.
    Person(Uuid),
    /// In a batch: it belongs to the same person as the earlier item at this index.
    SameAsItem(usize),
}

/// A decision about a new record: where it goes and why (stored with the link).
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Where the record goes.
    pub link: Link,
    /// Why, as a short code such as `national_number` or `no_candidate`.
    pub reason: &'static str,
    /// The scores behind it (JSON), when a model decided; kept as a decision of kind
    /// `resolution`.
    pub explanation: Option<serde_json::Value>,
    /// The model that decided.
    pub model_id: Option<Uuid>,
    /// A review item to open with the record.
    pub review: Option<crate::ReviewRequest>,
}

impl Decision {
    /// A decision with no model behind it.
    pub fn plain(link: Link, reason: &'static str) -> Self {
        Decision {
            link,
            reason,
            explanation: None,
            model_id: None,
            review: None,
        }
    }
}

/// A source record as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredRecord {
    /// The registry's own id for it.
    pub id: Uuid,
    /// The interchange fields.
    pub record: PersonRecord,
    /// Capture metadata.
    pub capture: Capture,
    /// The import it came in, if any.
    pub import_id: Option<Uuid>,
    /// The person it is linked to.
    pub person_id: Option<Uuid>,
    /// When it was stored.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// A person (derived from their linked records).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    /// Id.
    pub id: Uuid,
    /// National number.
    pub national_number: NationalNumber,
    /// Current view.
    pub view: PersonView,
    /// Set when every record of this person went to another person (a merge): where.
    pub merged_into: Option<Uuid>,
    /// When the person was first registered.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When the view last changed.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A person with every source record linked to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonDetail {
    /// The person.
    #[serde(flatten)]
    pub person: Person,
    /// Linked source records, oldest first.
    pub records: Vec<StoredRecord>,
    /// Every person merged into this one (directly or through another merged person), oldest
    /// decision first. Their events and documents are read with this person's; an undone
    /// merge drops them from here.
    pub merged_from: Vec<MergedFrom>,
}

/// A person merged into another: their row stays (their national number is never reissued)
/// and what still names them is read with the survivor's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergedFrom {
    /// The merged-away person.
    pub person_id: Uuid,
    /// Their national number (kept, never reissued).
    pub national_number: String,
    /// The person their records went to (the survivor, or another person merged into it).
    pub into: Uuid,
    /// The decision that moved their last records, if one is recorded.
    pub decision_id: Option<Uuid>,
    /// That decision's kind (`merge`, `link`, …).
    pub decision_kind: Option<String>,
    /// Who decided.
    pub decided_by: Option<String>,
    /// When.
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
}

/// The outcome of registering one source record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Registration {
    /// The stored record's id.
    pub record_uuid: Uuid,
    /// The person it was linked to.
    pub person_id: Uuid,
    /// That person's national number.
    pub national_number: NationalNumber,
    /// Whether the person was created by this registration.
    pub new_person: bool,
    /// Why it was linked so.
    pub reason: &'static str,
    /// The review item opened with it, if an adjudicator must look.
    pub review_id: Option<Uuid>,
    /// The scores behind the decision (each field's level and weight), when a model decided.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<sijil_match::Explanation>))]
    pub explanation: Option<serde_json::Value>,
    /// Registry order of the stored record.
    #[serde(skip)]
    pub record_seq: i64,
}

/// Metadata about an imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportMeta {
    /// The file's name (not its path).
    pub file_name: String,
    /// BLAKE3 hex digest of the file's bytes.
    pub digest: String,
}

/// The outcome of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReceipt {
    /// Import id.
    pub import_id: Uuid,
    /// Records stored.
    pub records: usize,
    /// Persons created.
    pub new_persons: usize,
    /// Review items opened.
    pub reviews: usize,
    /// Registry order of the first record (the others follow it without gaps).
    #[serde(skip)]
    pub first_seq: i64,
    /// The person of each record, in the batch's order.
    #[serde(skip)]
    pub persons: Vec<Uuid>,
}

/// A member of a family register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterMember {
    /// Person id.
    pub person_id: Uuid,
    /// National number.
    pub national_number: NationalNumber,
    /// Current view.
    pub view: PersonView,
}

/// A registered civil event with its parties.
pub type Event = CivilEvent;

/// Filter for reading the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only this actor.
    pub actor: Option<String>,
    /// Only entries of officers of this office (an auditor's scope, or a filter).
    pub office: Option<String>,
    /// Only this subject (e.g. `person:…`).
    pub subject: Option<String>,
    /// Only this action.
    pub action: Option<String>,
    /// Only entries at or after this time (RFC 3339).
    pub since: Option<String>,
    /// Only entries before this time (RFC 3339).
    pub until: Option<String>,
    /// Only entries with `seq` below this (for paging backwards).
    pub before_seq: Option<i64>,
    /// At most this many, newest first.
    pub limit: u32,
}

/// The result of verifying the whole audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditVerification {
    /// Entries that verified before the first break (all of them when intact).
    pub verified: i64,
    /// The hash of the last good entry.
    pub head: String,
    /// The first broken entry, if any.
    pub broken: Option<crate::audit::BrokenEntry>,
}

/// Counts for dashboards and metrics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    /// Persons.
    pub persons: i64,
    /// Source records.
    pub source_records: i64,
    /// Civil events.
    pub events: i64,
    /// Users.
    pub users: i64,
    /// Audit entries.
    pub audit_entries: i64,
    /// Open review items.
    pub open_reviews: i64,
}
