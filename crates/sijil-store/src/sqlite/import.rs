//! Importing a batch of source records in one transaction, fast.
//!
//! The result is exactly that of appending the records one by one in order (as
//! [`super::records::register`] does), but the work is planned in memory first and written with
//! multi-row statements: sqlx hands every statement to SQLite's worker thread and back, and at
//! a hundred thousand records those round trips, not SQLite, were the cost. So:
//! 1. plan: which person each record goes to (new, earlier in the batch, or existing);
//! 2. read, in chunks: record ids already stored, existing persons with their records, claimed
//!    national numbers already held;
//! 3. compute every national number and every person's final view in memory;
//! 4. write, in chunks: new persons, then source records (with `seq` assigned here, which is
//!    safe because the transaction holds the write lock from its first statement) with their
//!    links, decisions and review items, then the views of existing persons that gained
//!    records. A chunk's full decisions (JSON explanations) are asked of the batch only when
//!    that chunk is written ([`ImportBatch`]), so they never all sit in memory at once.
//!
//! All of it is one transaction: a bad record, a conflict or a crash anywhere leaves the
//! registry as it was, with no trace of the import.

use std::collections::{HashMap, HashSet};

use serde_json::json;
use sijil_core::{NationalNumber, PersonRecord, PersonView};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{SqliteStore, access::entry, commit_audited, db, rows, ts};
use crate::{
    Actor, Decision, ImportBatch, ImportMeta, ImportReceipt, Link, StoreError, StoreResult,
};

/// Rows per multi-row statement (SQLite allows 32766 bound values per statement).
const CHUNK: usize = 500;

/// Where one record goes.
#[derive(Clone, Copy)]
enum Target {
    /// The `k`-th person created by this batch.
    New(usize),
    /// The `k`-th distinct existing person named by this batch.
    Existing(usize),
}

/// A person that gains records, with everything needed to write them.
struct PersonPlan {
    id: Uuid,
    number: Option<NationalNumber>,
    /// Records already stored, oldest first (existing persons only).
    stored: Vec<PersonRecord>,
    /// Items of this batch that go to this person, in order.
    items: Vec<usize>,
}

pub(super) async fn import(
    s: &SqliteStore,
    batch: &dyn ImportBatch,
    meta: ImportMeta,
    actor: &Actor,
    progress: &(dyn Fn(usize) + Send + Sync),
) -> StoreResult<ImportReceipt> {
    let now = ts(OffsetDateTime::now_utc());
    let import_id = Uuid::now_v7();
    let (targets, mut new, mut existing) = plan(batch)?;

    let mut tx = s.begin().await?;
    // The first statement writes, so the transaction holds SQLite's write lock from here on.
    sqlx::query("INSERT INTO imports (id, file_name, digest, records, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(import_id.to_string())
        .bind(&meta.file_name)
        .bind(&meta.digest)
        .bind(batch.len() as i64)
        .bind(actor.username.as_str())
        .bind(&now)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    refuse_stored_record_ids(&mut tx, batch).await?;
    load_existing(&mut tx, &mut existing).await?;
    number_new_persons(&mut tx, batch, &mut new, actor).await?;

    insert_persons(&mut tx, batch, &new, &now).await?;
    let first_seq: i64 =
        sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(seq), 0) + 1 FROM source_records")
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
    let person_of = |t: Target| match t {
        Target::New(k) => new[k].id,
        Target::Existing(k) => existing[k].id,
    };
    let mut reviews = 0;
    for start in (0..batch.len()).step_by(CHUNK) {
        let end = (start + CHUNK).min(batch.len());
        insert_records(&mut tx, batch, start..end, first_seq, import_id, &now).await?;
        let mut b = QueryBuilder::<Sqlite>::new(
            "INSERT INTO record_links (record_seq, person_id, decision, linked_at) ",
        );
        // The full decisions of this chunk only: a batch keeps its own compact.
        let decisions: Vec<(i64, Decision)> = (start..end)
            .map(|i| {
                let mut d = batch.decision(i);
                name_batch_candidates(&mut d, first_seq, |j| person_of(targets[j]));
                (first_seq + i as i64, d)
            })
            .collect();
        b.push_values(
            decisions.iter().zip(start..end),
            |mut row, ((seq, d), i)| {
                row.push_bind(*seq)
                    .push_bind(person_of(targets[i]).to_string())
                    .push_bind(d.reason)
                    .push_bind(&now);
            },
        );
        b.build().execute(&mut *tx).await.map_err(db)?;
        let items: Vec<(i64, &Decision)> = decisions.iter().map(|(s, d)| (*s, d)).collect();
        reviews += super::resolution::keep_resolutions(&mut tx, &items, actor, &now)
            .await?
            .into_iter()
            .flatten()
            .count();
        progress(end);
    }
    update_existing(&mut tx, batch, &existing, &now).await?;

    let new_persons = new.len();
    let detail = json!({
        "records": batch.len(),
        "new_persons": new_persons,
        "reviews": reviews,
        "digest": meta.digest,
    });
    commit_audited(
        tx,
        entry(
            actor,
            "records.import",
            format!("import:{import_id}"),
            detail,
        ),
    )
    .await?;
    Ok(ImportReceipt {
        import_id,
        records: batch.len(),
        new_persons,
        reviews,
        first_seq,
        persons: targets.iter().map(|&t| person_of(t)).collect(),
    })
}

/// Candidates created earlier in the batch are named by their item (`record_seq` −1 − item):
/// now that they have a place and a person, names them so.
fn name_batch_candidates(d: &mut Decision, first_seq: i64, person_of: impl Fn(usize) -> Uuid) {
    let Some(review) = &mut d.review else { return };
    for c in &mut review.candidates {
        if c.record_seq < 0 {
            let j = (-c.record_seq - 1) as usize;
            c.record_seq = first_seq + j as i64;
            c.person_id = person_of(j);
        }
    }
}

/// Decides each item's person from the decisions alone.
#[allow(clippy::type_complexity)]
fn plan(batch: &dyn ImportBatch) -> StoreResult<(Vec<Target>, Vec<PersonPlan>, Vec<PersonPlan>)> {
    let mut targets: Vec<Target> = Vec::with_capacity(batch.len());
    let mut new: Vec<PersonPlan> = Vec::new();
    let mut existing: Vec<PersonPlan> = Vec::new();
    let mut existing_index: HashMap<Uuid, usize> = HashMap::new();
    let mut record_ids: HashSet<&str> = HashSet::with_capacity(batch.len());
    for i in 0..batch.len() {
        let record_id = &batch.record(i).record_id;
        if !record_ids.insert(record_id) {
            return Err(StoreError::Conflict(format!(
                "record_id {record_id:?} appears twice in the batch"
            )));
        }
        let target = match batch.link(i) {
            Link::NewPerson => {
                new.push(PersonPlan {
                    id: Uuid::now_v7(),
                    number: None,
                    stored: vec![],
                    items: vec![],
                });
                Target::New(new.len() - 1)
            }
            Link::Person(id) => Target::Existing(*existing_index.entry(id).or_insert_with(|| {
                existing.push(PersonPlan {
                    id,
                    number: None,
                    stored: vec![],
                    items: vec![],
                });
                existing.len() - 1
            })),
            Link::SameAsItem(j) if j < i => targets[j],
            Link::SameAsItem(j) => {
                return Err(StoreError::Conflict(format!(
                    "batch item {j} does not precede this one"
                )));
            }
        };
        match target {
            Target::New(k) => new[k].items.push(i),
            Target::Existing(k) => existing[k].items.push(i),
        }
        targets.push(target);
    }
    Ok((targets, new, existing))
}

/// Binds `values` as `(?, ?, …)` after `sql`.
fn in_list<'a, T>(
    sql: &str,
    values: &'a [T],
    bind: impl Fn(&'a T) -> String,
) -> QueryBuilder<Sqlite> {
    let mut b = QueryBuilder::new(sql);
    b.push(" (");
    let mut sep = b.separated(", ");
    for v in values {
        sep.push_bind(bind(v));
    }
    b.push(")");
    b
}

async fn refuse_stored_record_ids(
    conn: &mut SqliteConnection,
    batch: &dyn ImportBatch,
) -> StoreResult<()> {
    let items: Vec<usize> = (0..batch.len()).collect();
    for chunk in items.chunks(CHUNK) {
        let mut b = in_list(
            "SELECT record_id FROM source_records WHERE record_id IN",
            chunk,
            |&i| batch.record(i).record_id.clone(),
        );
        b.push(" LIMIT 1");
        let found: Option<String> = b
            .build_query_scalar()
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?;
        if let Some(id) = found {
            return Err(StoreError::Conflict(format!(
                "record_id {id:?} is already registered"
            )));
        }
    }
    Ok(())
}

/// Reads each existing person's national number and stored records.
async fn load_existing(
    conn: &mut SqliteConnection,
    existing: &mut [PersonPlan],
) -> StoreResult<()> {
    let index: HashMap<Uuid, usize> = existing
        .iter()
        .enumerate()
        .map(|(k, p)| (p.id, k))
        .collect();
    let ids: Vec<Uuid> = existing.iter().map(|p| p.id).collect();
    for chunk in ids.chunks(CHUNK) {
        let rows = in_list(
            "SELECT id, national_number FROM persons WHERE id IN",
            chunk,
            Uuid::to_string,
        )
        .build()
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
        for row in rows {
            let id = rows::uuid(&row.try_get::<String, _>("id").map_err(db)?)?;
            let number: String = row.try_get("national_number").map_err(db)?;
            let number =
                NationalNumber::parse(&number).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            if let Some(&k) = index.get(&id) {
                existing[k].number = Some(number);
            }
        }
        let rows = in_list(
            "SELECT l.person_id, r.fields FROM record_links l JOIN source_records r ON r.seq = l.record_seq WHERE l.person_id IN",
            chunk,
            Uuid::to_string,
        )
        .push(" ORDER BY r.seq")
        .build()
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
        for row in rows {
            let id = rows::uuid(&row.try_get::<String, _>("person_id").map_err(db)?)?;
            let fields: String = row.try_get("fields").map_err(db)?;
            let record = serde_json::from_str::<PersonRecord>(&fields)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            if let Some(&k) = index.get(&id) {
                existing[k].stored.push(record);
            }
        }
    }
    if existing.iter().any(|p| p.number.is_none()) {
        return Err(StoreError::NotFound("person"));
    }
    Ok(())
}

/// Gives each new person the national number its first record claims, unless someone holds
/// it already, else a freshly issued one; in batch order, as one-by-one appends would.
async fn number_new_persons(
    conn: &mut SqliteConnection,
    batch: &dyn ImportBatch,
    new: &mut [PersonPlan],
    actor: &Actor,
) -> StoreResult<()> {
    let claimed: Vec<&NationalNumber> = new
        .iter()
        .filter_map(|p| batch.record(p.items[0]).national_number.as_ref())
        .collect();
    let mut taken: HashSet<String> = HashSet::new();
    for chunk in claimed.chunks(CHUNK) {
        let held: Vec<String> = in_list(
            "SELECT national_number FROM persons WHERE national_number IN",
            chunk,
            |n| n.as_str().to_owned(),
        )
        .build_query_scalar()
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
        taken.extend(held);
    }
    let mut issuer = super::records::Issuer::for_office(conn, actor.office.as_str()).await?;
    for person in new.iter_mut() {
        let claim = &batch.record(person.items[0]).national_number;
        let number = match claim {
            Some(n) if !taken.contains(n.as_str()) => n.clone(),
            _ => issuer.issue_avoiding(conn, &taken).await?,
        };
        taken.insert(number.as_str().to_owned());
        person.number = Some(number);
    }
    issuer.save(conn).await
}

/// The view of a person from their stored records and the batch items given to them.
fn view(batch: &dyn ImportBatch, person: &PersonPlan) -> PersonView {
    if person.stored.is_empty()
        && let [only] = person.items[..]
    {
        return PersonView::derive(std::slice::from_ref(batch.record(only)));
    }
    let records: Vec<PersonRecord> = person
        .stored
        .iter()
        .cloned()
        .chain(person.items.iter().map(|&i| batch.record(i).clone()))
        .collect();
    PersonView::derive(&records)
}

async fn insert_persons(
    conn: &mut SqliteConnection,
    batch: &dyn ImportBatch,
    new: &[PersonPlan],
    now: &str,
) -> StoreResult<()> {
    for chunk in new.chunks(CHUNK) {
        let views: Vec<PersonView> = chunk.iter().map(|p| view(batch, p)).collect();
        let mut b = QueryBuilder::<Sqlite>::new(
            "INSERT INTO persons (id, national_number, view, registry_place, registry_number, created_at, updated_at) ",
        );
        b.push_values(chunk.iter().zip(&views), |mut row, (p, v)| {
            let number = p.number.as_ref().expect("numbered before insertion");
            row.push_bind(p.id.to_string())
                .push_bind(number.as_str().to_owned())
                .push_bind(serde_json::to_string(v).expect("views serialise"))
                .push_bind(v.registry_place.clone())
                .push_bind(v.registry_number.clone())
                .push_bind(now.to_owned())
                .push_bind(now.to_owned());
        });
        b.build().execute(&mut *conn).await.map_err(db)?;
    }
    Ok(())
}

async fn insert_records(
    conn: &mut SqliteConnection,
    batch: &dyn ImportBatch,
    chunk: std::ops::Range<usize>,
    first_seq: i64,
    import_id: Uuid,
    now: &str,
) -> StoreResult<()> {
    let import_id = import_id.to_string();
    let mut b = QueryBuilder::<Sqlite>::new(
        "INSERT INTO source_records (seq, id, record_id, fields, office_code, officer, captured_at, evidence, import_id, created_at) ",
    );
    b.push_values(chunk, |mut row, i| {
        let (record, capture) = (batch.record(i), batch.capture(i));
        row.push_bind(first_seq + i as i64)
            .push_bind(Uuid::now_v7().to_string())
            .push_bind(record.record_id.clone())
            .push_bind(serde_json::to_string(record).expect("records serialise"))
            .push_bind(capture.office.as_str().to_owned())
            .push_bind(capture.officer.as_str().to_owned())
            .push_bind(ts(capture.captured_at))
            .push_bind(serde_json::to_string(&capture.evidence).expect("evidence serialises"))
            .push_bind(import_id.clone())
            .push_bind(now.to_owned());
    });
    b.build()
        .execute(&mut *conn)
        .await
        .map_err(|e| match db(e) {
            StoreError::Conflict(_) => {
                StoreError::Conflict("a record_id is already registered".into())
            }
            other => other,
        })?;
    Ok(())
}

/// Rewrites the views of existing persons that gained records.
async fn update_existing(
    conn: &mut SqliteConnection,
    batch: &dyn ImportBatch,
    existing: &[PersonPlan],
    now: &str,
) -> StoreResult<()> {
    for chunk in existing.chunks(CHUNK) {
        let views: Vec<PersonView> = chunk.iter().map(|p| view(batch, p)).collect();
        let mut b = QueryBuilder::<Sqlite>::new(
            "UPDATE persons SET view = v.column2, registry_place = v.column3, registry_number = v.column4, updated_at = ",
        );
        b.push_bind(now.to_owned()).push(" FROM (");
        b.push_values(chunk.iter().zip(&views), |mut row, (p, v)| {
            row.push_bind(p.id.to_string())
                .push_bind(serde_json::to_string(v).expect("views serialise"))
                .push_bind(v.registry_place.clone())
                .push_bind(v.registry_number.clone());
        });
        b.push(") AS v WHERE persons.id = v.column1");
        b.build().execute(&mut *conn).await.map_err(db)?;
    }
    Ok(())
}
