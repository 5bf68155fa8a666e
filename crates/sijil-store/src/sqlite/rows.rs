//! Turning SQLite rows back into domain types. Anything that does not parse is reported as
//! corrupt data rather than papered over.

use sijil_core::{Capture, NationalNumber, OfficeCode, PersonRecord, PersonView, Role, Username};
use sqlx::{Row, sqlite::SqliteRow};
use uuid::Uuid;

use super::{db, parse_ts};
use crate::{Office, Person, StoreError, StoreResult, StoredRecord, User};

pub(super) fn uuid(s: &str) -> StoreResult<Uuid> {
    Uuid::parse_str(s).map_err(|e| StoreError::Corrupt(format!("id {s:?}: {e}")))
}

/// An office code column's value.
pub(super) fn office_code(s: &str) -> StoreResult<OfficeCode> {
    OfficeCode::parse(s).map_err(corrupt("office code"))
}

/// An optional id column.
pub(super) fn opt_uuid(row: &SqliteRow, col: &str) -> StoreResult<Option<Uuid>> {
    get::<Option<String>>(row, col)?
        .as_deref()
        .map(uuid)
        .transpose()
}

/// A `record_moves` row read as `(seq, record_seq, from_person, to_person)`.
pub(super) fn record_move(
    (seq, record_seq, from, to): (i64, i64, String, String),
) -> StoreResult<crate::RecordMove> {
    Ok(crate::RecordMove {
        seq,
        record_seq,
        from: uuid(&from)?,
        to: uuid(&to)?,
    })
}

/// A downlink row read as `(version, kind, payload)` (central and office keep the same shape).
pub(super) fn downlink_entry(
    (version, kind, payload): (i64, String, String),
) -> StoreResult<crate::DownlinkEntry> {
    Ok(crate::DownlinkEntry {
        version,
        kind,
        payload: json(&payload, "downlink payload")?,
    })
}

fn get<'r, T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>>(
    row: &'r SqliteRow,
    col: &str,
) -> StoreResult<T> {
    row.try_get(col).map_err(db)
}

fn json<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> StoreResult<T> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

fn corrupt(what: &str) -> impl Fn(sijil_core::Problem) -> StoreError + '_ {
    move |p| StoreError::Corrupt(format!("{what}: {}", p.message_en()))
}

pub(super) fn office(row: &SqliteRow) -> StoreResult<Office> {
    Ok(Office {
        code: OfficeCode::parse(&get::<String>(row, "code")?).map_err(corrupt("office code"))?,
        name_ar: get(row, "name_ar")?,
        name_en: get(row, "name_en")?,
        governorate: get::<i64>(row, "governorate")? as u8,
        secretariat: get::<i64>(row, "secretariat")? as u8,
        created_at: parse_ts(&get::<String>(row, "created_at")?)?,
    })
}

pub(super) fn user(row: &SqliteRow) -> StoreResult<User> {
    Ok(User {
        id: uuid(&get::<String>(row, "id")?)?,
        username: Username::parse(&get::<String>(row, "username")?).map_err(corrupt("username"))?,
        display_name: get(row, "display_name")?,
        role: Role::parse(&get::<String>(row, "role")?).map_err(corrupt("role"))?,
        office: OfficeCode::parse(&get::<String>(row, "office_code")?)
            .map_err(corrupt("office code"))?,
        password_hash: get(row, "password_hash")?,
        active: get::<i64>(row, "active")? != 0,
        created_at: parse_ts(&get::<String>(row, "created_at")?)?,
    })
}

pub(super) fn person(row: &SqliteRow) -> StoreResult<Person> {
    Ok(Person {
        id: uuid(&get::<String>(row, "id")?)?,
        national_number: NationalNumber::parse(&get::<String>(row, "national_number")?)
            .map_err(|e| StoreError::Corrupt(format!("national number: {e}")))?,
        view: json::<PersonView>(&get::<String>(row, "view")?, "person view")?,
        merged_into: get::<Option<String>>(row, "merged_into")?
            .as_deref()
            .map(uuid)
            .transpose()?,
        created_at: parse_ts(&get::<String>(row, "created_at")?)?,
        updated_at: parse_ts(&get::<String>(row, "updated_at")?)?,
    })
}

/// Expects the source_records columns plus `person_id` from record_links.
pub(super) fn record(row: &SqliteRow) -> StoreResult<StoredRecord> {
    let evidence = json(&get::<String>(row, "evidence")?, "evidence")?;
    Ok(StoredRecord {
        id: uuid(&get::<String>(row, "id")?)?,
        record: json::<PersonRecord>(&get::<String>(row, "fields")?, "record fields")?,
        capture: Capture {
            office: OfficeCode::parse(&get::<String>(row, "office_code")?)
                .map_err(corrupt("office code"))?,
            officer: Username::parse(&get::<String>(row, "officer")?)
                .map_err(corrupt("officer"))?,
            captured_at: parse_ts(&get::<String>(row, "captured_at")?)?,
            evidence,
        },
        import_id: get::<Option<String>>(row, "import_id")?
            .as_deref()
            .map(uuid)
            .transpose()?,
        person_id: get::<Option<String>>(row, "person_id")?
            .as_deref()
            .map(uuid)
            .transpose()?,
        created_at: parse_ts(&get::<String>(row, "created_at")?)?,
    })
}
