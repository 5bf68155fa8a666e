//! The SQLite backend: one file, WAL mode, every write in a transaction.
//!
//! Writes go through a pool of exactly one connection, so transactions never fight over the
//! write lock (SQLite allows one writer; a deferred transaction that upgrades would fail with
//! "database is locked" instead of waiting). Plain reads use a separate pool of readers, which
//! WAL lets run beside the writer.

mod access;
mod audit_log;
mod documents;
mod events;
mod import;
mod merged;
mod passports;
mod records;
mod resolution;
mod review;
mod rows;
mod sync;
mod sync_central;
mod sync_lists;
mod sync_office;
mod sync_receipts;

use std::{collections::HashMap, path::Path, str::FromStr, time::Duration};

use async_trait::async_trait;
use sijil_core::{NationalNumber, NewEvent, RegisterKey};
use sqlx::{
    SqliteConnection,
    sqlite::{
        SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
    },
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::documents::{
    AlertRecord, Document, DocumentStatus, NewDocument, PassportApplication, Printer,
};
use crate::{
    Actor, Adjudication, AuditEntry, AuditQuery, AuditVerification, Decision, DecisionEntry,
    DecisionReceipt, Event, ImportMeta, ImportReceipt, IndexedRecord, NewAuditEntry, NewModel,
    NewOffice, NewSourceRecord, NewUser, Office, PersonDetail, RecordMove, RegisterMember,
    Registration, ReviewItem, ReviewQuery, ReviewSummary, Stats, Store, StoreError, StoreResult,
    StoredModel, User,
};

/// A Sijil registry in one SQLite file.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> StoreResult<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        Self::with_options(options).await
    }

    /// Opens a database from a `sqlite:` URL.
    pub async fn open_url(url: &str) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(db)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        Self::with_options(options).await
    }

    async fn with_options(options: SqliteConnectOptions) -> StoreResult<Self> {
        // The writer gets a 64 MiB page cache (SQLite's default is 2 MiB): a large import is
        // one transaction, and with a small cache its B-tree pages spill to the WAL and are
        // rewritten there many times over before the commit.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone().pragma("cache_size", "-65536"))
            .await
            .map_err(db)?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&writer)
            .await
            .map_err(|e| StoreError::Database(Box::new(e)))?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(db)?;
        Ok(Self { writer, reader })
    }

    /// Closes both pools, checkpointing the WAL.
    pub async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }

    async fn begin(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Sqlite>> {
        self.writer.begin().await.map_err(db)
    }
}

/// Wraps a database error, turning unique violations into conflicts.
pub(crate) fn db(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound("row"),
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::Conflict(d.message().to_owned())
        }
        _ => StoreError::Database(Box::new(e)),
    }
}

/// The stored text of a timestamp: UTC, fixed width, so text order is time order.
pub(crate) fn ts(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

pub(crate) fn parse_ts(s: &str) -> StoreResult<OffsetDateTime> {
    OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .map_err(|e| StoreError::Corrupt(format!("timestamp {s:?}: {e}")))
}

/// Appends the audit entry of a transaction's work and commits both: a write and its audit
/// entry are stored together or not at all.
pub(crate) async fn commit_audited(
    mut tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    entry: NewAuditEntry,
) -> StoreResult<()> {
    append_audit(&mut tx, entry).await?;
    tx.commit().await.map_err(db)
}

/// Commits `tx` with the audit entry `entry` makes when it changed `changed` rows; when it
/// changed none, rolls back and writes nothing, no audit entry either (a clean-up that found
/// nothing to clean is not an event).
pub(crate) async fn commit_audited_if_changed(
    tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    changed: u64,
    entry: impl FnOnce() -> NewAuditEntry,
) -> StoreResult<u64> {
    if changed == 0 {
        tx.rollback().await.map_err(db)?;
        return Ok(0);
    }
    commit_audited(tx, entry()).await?;
    Ok(changed)
}

/// Appends one audit entry inside the caller's transaction.
pub(crate) async fn append_audit(
    conn: &mut SqliteConnection,
    entry: NewAuditEntry,
) -> StoreResult<()> {
    audit_log::append(conn, entry, OffsetDateTime::now_utc()).await
}

#[async_trait]
impl Store for SqliteStore {
    async fn create_office(&self, office: NewOffice, actor: &Actor) -> StoreResult<Office> {
        access::create_office(self, office, actor).await
    }
    async fn offices(&self) -> StoreResult<Vec<Office>> {
        access::offices(&self.reader).await
    }
    async fn create_user(&self, user: NewUser, actor: &Actor) -> StoreResult<User> {
        access::create_user(self, user, actor).await
    }
    async fn user_by_name(&self, username: &str) -> StoreResult<User> {
        access::user_by_name(&self.reader, username).await
    }
    async fn users(&self) -> StoreResult<Vec<User>> {
        access::users(&self.reader).await
    }
    async fn create_session(
        &self,
        token_hash: &str,
        user: &User,
        expires_at: OffsetDateTime,
        idle_until: OffsetDateTime,
    ) -> StoreResult<()> {
        access::create_session(self, token_hash, user, expires_at, idle_until).await
    }
    async fn session_user(&self, token_hash: &str, idle: std::time::Duration) -> StoreResult<User> {
        access::session_user(self, token_hash, idle).await
    }
    async fn change_user(
        &self,
        username: &str,
        change: crate::UserChange,
        actor: &Actor,
    ) -> StoreResult<User> {
        access::change_user(self, username, change, actor).await
    }
    async fn end_user_sessions(&self, username: &str, actor: &Actor) -> StoreResult<u64> {
        access::end_user_sessions(self, username, actor).await
    }
    async fn set_password(
        &self,
        username: &str,
        password_hash: &str,
        actor: &Actor,
    ) -> StoreResult<()> {
        access::set_password(self, username, password_hash, actor).await
    }
    async fn delete_session(&self, token_hash: &str, actor: &Actor) -> StoreResult<()> {
        access::delete_session(self, token_hash, actor).await
    }
    async fn audit(&self, entry: NewAuditEntry) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        append_audit(&mut tx, entry).await?;
        tx.commit().await.map_err(db)
    }
    async fn register_record(
        &self,
        record: NewSourceRecord,
        decision: Decision,
        actor: &Actor,
    ) -> StoreResult<Registration> {
        records::register(self, record, decision, actor).await
    }
    async fn import_records(
        &self,
        batch: &dyn crate::ImportBatch,
        meta: ImportMeta,
        actor: &Actor,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> StoreResult<ImportReceipt> {
        import::import(self, batch, meta, actor, progress).await
    }
    async fn existing_record_ids(&self, record_ids: &[String]) -> StoreResult<Vec<String>> {
        records::existing_record_ids(&self.reader, record_ids).await
    }
    async fn person(&self, id: Uuid, actor: &Actor) -> StoreResult<PersonDetail> {
        records::person(self, id, actor).await
    }
    async fn person_id_by_national_number(
        &self,
        number: &NationalNumber,
    ) -> StoreResult<Option<Uuid>> {
        records::person_id_by_national_number(&self.reader, number).await
    }
    async fn person_ids_by_national_numbers(
        &self,
        numbers: &[NationalNumber],
    ) -> StoreResult<HashMap<NationalNumber, Uuid>> {
        records::person_ids_by_national_numbers(&self.reader, numbers).await
    }
    async fn register_members(
        &self,
        register: &RegisterKey,
        actor: &Actor,
    ) -> StoreResult<Vec<RegisterMember>> {
        records::register_members(self, register, actor).await
    }
    async fn events(&self, person_id: Uuid, actor: &Actor) -> StoreResult<Vec<Event>> {
        events::list(self, person_id, actor).await
    }
    async fn record_event(
        &self,
        person_id: Uuid,
        event: NewEvent,
        actor: &Actor,
    ) -> StoreResult<Event> {
        events::record(self, person_id, event, actor).await
    }
    async fn index_records(&self, after_seq: i64, limit: u32) -> StoreResult<Vec<IndexedRecord>> {
        resolution::index_records(&self.reader, after_seq, limit).await
    }
    async fn record_moves(&self, after_seq: i64, limit: u32) -> StoreResult<Vec<RecordMove>> {
        resolution::record_moves(&self.reader, after_seq, limit).await
    }
    async fn latest_model(&self) -> StoreResult<Option<StoredModel>> {
        resolution::latest_model(&self.reader).await
    }
    async fn save_model(&self, model: NewModel, actor: &Actor) -> StoreResult<StoredModel> {
        resolution::save_model(self, model, actor).await
    }
    async fn review_queue(
        &self,
        query: &ReviewQuery,
        actor: &Actor,
    ) -> StoreResult<Vec<ReviewSummary>> {
        review::review_queue(self, query, actor).await
    }
    async fn review_item(&self, id: Uuid, actor: &Actor) -> StoreResult<ReviewItem> {
        review::review_item(self, id, actor).await
    }
    async fn open_review_count(&self, office: Option<&sijil_core::OfficeCode>) -> StoreResult<i64> {
        review::open_count(self, office).await
    }
    async fn review_office(&self, id: Uuid) -> StoreResult<sijil_core::OfficeCode> {
        review::review_office(self, id).await
    }
    async fn adjudicate(
        &self,
        decision: Adjudication,
        reason: &str,
        actor: &Actor,
    ) -> StoreResult<DecisionReceipt> {
        review::adjudicate(self, decision, reason, actor).await
    }
    async fn persons_found(
        &self,
        ids: &[Uuid],
        search: serde_json::Value,
        actor: &Actor,
    ) -> StoreResult<Vec<crate::Person>> {
        records::persons_found(self, ids, search, actor).await
    }
    async fn decisions_of(
        &self,
        person_id: Uuid,
        actor: &Actor,
    ) -> StoreResult<Vec<DecisionEntry>> {
        review::decisions_of(self, person_id, actor).await
    }

    async fn audit_entries(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEntry>> {
        audit_log::entries(&self.reader, query).await
    }
    async fn verify_audit(&self) -> StoreResult<AuditVerification> {
        audit_log::verify(&self.reader).await
    }
    async fn stats(&self) -> StoreResult<Stats> {
        records::stats(&self.reader).await
    }
    async fn records_stored_since(
        &self,
        since: OffsetDateTime,
        office: Option<&sijil_core::OfficeCode>,
    ) -> StoreResult<i64> {
        records::stored_since(&self.reader, since, office).await
    }
}

#[async_trait]
impl crate::DocumentStore for SqliteStore {
    async fn issue_document(
        &self,
        new: NewDocument,
        print: &dyn Printer,
        actor: &Actor,
    ) -> StoreResult<Document> {
        documents::issue(self, new, print, actor).await
    }
    async fn document(&self, id: Uuid, actor: &Actor) -> StoreResult<Document> {
        documents::get(self, id, actor).await
    }
    async fn document_by_number(&self, number: &str, actor: &Actor) -> StoreResult<Document> {
        documents::by_number(self, number, actor).await
    }
    async fn documents_of(&self, person_id: Uuid, actor: &Actor) -> StoreResult<Vec<Document>> {
        documents::list_of_person(self, person_id, actor).await
    }
    async fn change_document_status(
        &self,
        id: Uuid,
        status: DocumentStatus,
        note: Option<String>,
        actor: &Actor,
    ) -> StoreResult<Document> {
        documents::change_status(self, id, status, note, actor).await
    }
    async fn revoked_documents(&self) -> StoreResult<Vec<(String, DocumentStatus)>> {
        documents::revoked(self).await
    }
    async fn apply_passport(
        &self,
        person_id: Uuid,
        actor: &Actor,
    ) -> StoreResult<PassportApplication> {
        passports::apply(self, person_id, actor).await
    }
    async fn passport_application(&self, id: Uuid) -> StoreResult<PassportApplication> {
        passports::get(self, id).await
    }
    async fn passport_applications(&self, limit: u32) -> StoreResult<Vec<PassportApplication>> {
        passports::list(self, limit).await
    }
    async fn check_passport_application(
        &self,
        id: Uuid,
        today: time::Date,
        actor: &Actor,
    ) -> StoreResult<PassportApplication> {
        passports::check(self, id, today, actor).await
    }
    async fn approve_passport_application(
        &self,
        id: Uuid,
        note: Option<String>,
        actor: &Actor,
    ) -> StoreResult<PassportApplication> {
        passports::approve(self, id, note, actor).await
    }
    async fn refuse_passport_application(
        &self,
        id: Uuid,
        note: String,
        actor: &Actor,
    ) -> StoreResult<PassportApplication> {
        passports::refuse(self, id, note, actor).await
    }
    async fn issue_passport(
        &self,
        application_id: Uuid,
        issued_on: time::Date,
        expires_on: time::Date,
        print: &dyn Printer,
        actor: &Actor,
    ) -> StoreResult<Document> {
        passports::issue(self, application_id, issued_on, expires_on, print, actor).await
    }
    async fn add_alert(
        &self,
        national_number: &NationalNumber,
        code: &str,
        actor: &Actor,
    ) -> StoreResult<AlertRecord> {
        documents::add_alert(self, national_number, code, actor).await
    }
    async fn lift_alert(&self, id: Uuid, actor: &Actor) -> StoreResult<()> {
        documents::lift_alert(self, id, actor).await
    }
    async fn active_alerts(&self) -> StoreResult<Vec<AlertRecord>> {
        documents::active_alerts(self).await
    }
}
