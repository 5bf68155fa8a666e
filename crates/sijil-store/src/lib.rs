//! Sijil's storage: one interface ([`Store`]) and its SQLite implementation ([`sqlite`]).
//!
//! Nothing above this crate names a database: the server and the command line are generic
//! over [`Store`], and only the binary picks the backend. A PostgreSQL implementation will
//! sit beside [`sqlite`] and pass the same conformance tests.
//!
//! Two rules hold in every implementation:
//! - source records and civil events are append-only (the SQLite schema enforces it with
//!   triggers);
//! - every write, and every read of a person, appends to the hash-chained audit log in the
//!   same transaction, so there is no way to do one without the other.
#![deny(missing_docs)]

pub mod audit;
pub mod bootstrap;
pub mod documents;
mod error;
mod import_batch;
pub mod keyfile;
pub mod models;
pub mod receipts;
pub mod resolve;
mod review;
pub mod sqlite;
pub mod sync;

use std::collections::HashMap;

use async_trait::async_trait;
use sijil_core::{NationalNumber, NewEvent, OfficeCode, RegisterKey};
use uuid::Uuid;

pub use audit::{AuditEntry, BrokenEntry, NewAuditEntry};
pub use documents::DocumentStore;
pub use error::{StoreError, StoreResult};
pub use import_batch::ImportBatch;
pub use models::*;
pub use receipts::*;
pub use review::*;
pub use sync::*;

/// Everything Sijil stores. Implementations are cheap to clone (a pool handle).
///
/// Identity documents are a trait of their own ([`DocumentStore`]) kept beside this one; every
/// store implements both, so code generic over `Store` reaches documents too.
#[async_trait]
pub trait Store: DocumentStore + Clone + Send + Sync + 'static {
    // Offices, users, sessions.

    /// Creates an office.
    async fn create_office(&self, office: NewOffice, actor: &Actor) -> StoreResult<Office>;
    /// Lists offices.
    async fn offices(&self) -> StoreResult<Vec<Office>>;
    /// Creates a user.
    async fn create_user(&self, user: NewUser, actor: &Actor) -> StoreResult<User>;
    /// Finds a user by login name.
    async fn user_by_name(&self, username: &str) -> StoreResult<User>;
    /// Lists users.
    async fn users(&self) -> StoreResult<Vec<User>>;
    /// Stores a session token's hash for `user_id`, valid until `expires_at` and, unless used,
    /// until `idle_until`; audited as a login.
    async fn create_session(
        &self,
        token_hash: &str,
        user: &User,
        expires_at: time::OffsetDateTime,
        idle_until: time::OffsetDateTime,
    ) -> StoreResult<()>;
    /// The active user of a session that has neither expired nor been idle for `idle`; using
    /// it moves its idle deadline forward (written at most once a minute).
    async fn session_user(&self, token_hash: &str, idle: std::time::Duration) -> StoreResult<User>;
    /// Ends a session; audited as a logout.
    async fn delete_session(&self, token_hash: &str, actor: &Actor) -> StoreResult<()>;
    /// Changes a user's role or whether they may log in, ending all their sessions when
    /// anything changed; audited with the values before and after.
    async fn change_user(
        &self,
        username: &str,
        change: UserChange,
        actor: &Actor,
    ) -> StoreResult<User>;
    /// Ends every session of a user (a stolen session cookie, a shared computer); audited
    /// with how many there were.
    async fn end_user_sessions(&self, username: &str, actor: &Actor) -> StoreResult<u64>;
    /// Replaces a user's password hash and ends all their sessions; audited.
    async fn set_password(
        &self,
        username: &str,
        password_hash: &str,
        actor: &Actor,
    ) -> StoreResult<()>;
    /// Appends an audit entry on its own (for events that change nothing else, such as a
    /// refused login).
    async fn audit(&self, entry: NewAuditEntry) -> StoreResult<()>;

    // Registry.

    /// Appends a source record and links it as decided.
    async fn register_record(
        &self,
        record: NewSourceRecord,
        decision: Decision,
        actor: &Actor,
    ) -> StoreResult<Registration>;
    /// Appends many records in one transaction: all are stored or none. `progress` is called
    /// with the number of records written so far, now and then, so a caller can show it. The
    /// batch's full decisions are asked for a chunk at a time, as they are written.
    async fn import_records(
        &self,
        batch: &dyn ImportBatch,
        meta: ImportMeta,
        actor: &Actor,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> StoreResult<ImportReceipt>;
    /// Which of these record ids are already stored.
    async fn existing_record_ids(&self, record_ids: &[String]) -> StoreResult<Vec<String>>;
    /// Reads a person with their records and the persons merged into them (transitively);
    /// audited as one read of this person.
    async fn person(&self, id: Uuid, actor: &Actor) -> StoreResult<PersonDetail>;
    /// The person holding a national number, without reading their record (for resolution).
    async fn person_id_by_national_number(
        &self,
        number: &NationalNumber,
    ) -> StoreResult<Option<Uuid>>;
    /// The persons holding any of these national numbers, without reading their records (for
    /// resolving a batch in a few queries); numbers nobody holds are absent from the map.
    async fn person_ids_by_national_numbers(
        &self,
        numbers: &[NationalNumber],
    ) -> StoreResult<HashMap<NationalNumber, Uuid>>;
    /// Members of a family register; audited as a read of each member.
    async fn register_members(
        &self,
        register: &RegisterKey,
        actor: &Actor,
    ) -> StoreResult<Vec<RegisterMember>>;
    /// Civil events naming a person or anyone merged into them (as subject or spouse), by
    /// date; audited as one read of this person.
    async fn events(&self, person_id: Uuid, actor: &Actor) -> StoreResult<Vec<Event>>;
    /// Checks the registry rules and records a civil event, in one transaction. The rules see
    /// the person whole (events of persons merged into them count); a merged-away subject is
    /// refused (`Conflict`), a merged-away spouse is recorded as their survivor.
    async fn record_event(
        &self,
        person_id: Uuid,
        event: NewEvent,
        actor: &Actor,
    ) -> StoreResult<Event>;

    // Identity resolution.

    /// Records after `after_seq` in registry order, at most `limit`, each with the person it
    /// belongs to now, for the resolver's index. Not a read of any person: not audited (the
    /// index never shows a record to anyone; reads through it are audited where they happen).
    async fn index_records(&self, after_seq: i64, limit: u32) -> StoreResult<Vec<IndexedRecord>>;
    /// Record moves after `after_seq`, in order, at most `limit` (for the resolver to follow
    /// decisions made by any process).
    async fn record_moves(&self, after_seq: i64, limit: u32) -> StoreResult<Vec<RecordMove>>;
    /// The latest kept match model.
    async fn latest_model(&self) -> StoreResult<Option<StoredModel>>;
    /// Keeps a match model; audited.
    async fn save_model(&self, model: NewModel, actor: &Actor) -> StoreResult<StoredModel>;
    /// The review queue, oldest first; audited as a read of the listed records' persons.
    async fn review_queue(
        &self,
        query: &ReviewQuery,
        actor: &Actor,
    ) -> StoreResult<Vec<ReviewSummary>>;
    /// One review item with its record and candidates; audited as a read of every person in it.
    async fn review_item(&self, id: Uuid, actor: &Actor) -> StoreResult<ReviewItem>;
    /// How many review items are open, only those opened by `office`'s captures when given.
    /// Not a read of any person, so not audited.
    async fn open_review_count(&self, office: Option<&OfficeCode>) -> StoreResult<i64>;
    /// The office whose capture opened a review item (to check an adjudicator's scope before
    /// anything is read); reads no person, so not audited.
    async fn review_office(&self, id: Uuid) -> StoreResult<OfficeCode>;
    /// Applies an adjudicator's decision in one transaction: moves records, refreshes the
    /// persons' views, settles or reopens review items; audited. `reason` is the
    /// adjudicator's own words and is required.
    async fn adjudicate(
        &self,
        decision: Adjudication,
        reason: &str,
        actor: &Actor,
    ) -> StoreResult<DecisionReceipt>;
    /// The persons a search found, in the order given; audited as one search naming the
    /// query (`search`, as the caller describes it) and every person shown.
    async fn persons_found(
        &self,
        ids: &[Uuid],
        search: serde_json::Value,
        actor: &Actor,
    ) -> StoreResult<Vec<Person>>;
    /// Every decision that touched a person's records, newest first; audited as a read.
    async fn decisions_of(&self, person_id: Uuid, actor: &Actor)
    -> StoreResult<Vec<DecisionEntry>>;

    // Audit.

    /// Reads audit entries, newest first.
    async fn audit_entries(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEntry>>;
    /// Verifies the whole chain.
    async fn verify_audit(&self) -> StoreResult<AuditVerification>;
    /// Counts for dashboards.
    async fn stats(&self) -> StoreResult<Stats>;
    /// How many source records were stored at or after `since` (imports included), only those
    /// captured at `office` when given; not a read of any person, so not audited.
    async fn records_stored_since(
        &self,
        since: time::OffsetDateTime,
        office: Option<&OfficeCode>,
    ) -> StoreResult<i64>;
}
