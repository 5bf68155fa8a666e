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
//! 4. write, in chunks: new persons, source records (with `seq` assigned here, which is safe
//!    because the transaction holds the write lock from its first statement), links, and the
//!    views of existing persons that gained records.

use std::collections::{HashMap, HashSet};

use serde_json::json;
use sijil_core::{NationalNumber, PersonRecord, PersonView};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{SqliteStore, access::entry, commit_audited, db, rows, ts};
use crate::{
    Actor, Decision, ImportMeta, ImportReceipt, Link, NewSourceRecord, StoreError, StoreResult,
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
    batch: Vec<(NewSourceRecord, Decision)>,
    meta: ImportMeta,
    actor: &Actor,
    progress: &(dyn Fn(usize) + Send + Sync),
) -> StoreResult<ImportReceipt> {
    let now = ts(OffsetDateTime::now_utc());
    let import_id = Uuid::now_v7();
    let (targets, mut new, mut existing) = plan(&batch)?;

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
    refuse_stored_record_ids(&mut tx, &batch).await?;
    load_existing(&mut tx, &mut existing).await?;
    number_new_persons(&mut tx, &batch, &mut new, actor).await?;

    insert_persons(&mut tx, &batch, &new, &now).await?;
    let first_seq: i64 =
        sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(seq), 0) + 1 FROM source_records")
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
    let person_of = |t: Target| match t {
        Target::New(k) => new[k].id,
        Target::Existing(k) => existing[k].id,
    };
    for (c, chunk) in batch.chunks(CHUNK).enumerate() {
        let start = c * CHUNK;
        insert_records(&mut tx, chunk, first_seq + start as i64, import_id, &now).await?;
        let mut b = QueryBuilder::<Sqlite>::new(
            "INSERT INTO record_links (record_seq, person_id, decision, linked_at) ",
        );
        b.push_values(chunk.iter().enumerate(), |mut row, (i, (_, decision))| {
            row.push_bind(first_seq + (start + i) as i64)
                .push_bind(person_of(targets[start + i]).to_string())
                .push_bind(decision.reason)
                .push_bind(&now);
        });
        b.build().execute(&mut *tx).await.map_err(db)?;
        progress(start + chunk.len());
    }
    update_existing(&mut tx, &batch, &existing, &now).await?;
    // Candidates created earlier in this batch are named by their item: now that they have
    // a place and a person, name them so.
    let in_batch = |c: &crate::ReviewCandidate| c.record_seq < 0;
    let named: Vec<(i64, std::borrow::Cow<'_, Decision>)> = batch
        .iter()
        .enumerate()
        .map(|(i, (_, decision))| {
            let seq = first_seq + i as i64;
            match &decision.review {
                Some(review) if review.candidates.iter().any(in_batch) => {
                    let mut d = decision.clone();
                    for c in &mut d.review.as_mut().expect("matched above").candidates {
                        if in_batch(c) {
                            let j = (-c.record_seq - 1) as usize;
                            c.record_seq = first_seq + j as i64;
                            c.person_id = person_of(targets[j]);
                        }
                    }
                    (seq, std::borrow::Cow::Owned(d))
                }
                _ => (seq, std::borrow::Cow::Borrowed(decision)),
            }
        })
        .collect();
    let items: Vec<(i64, &Decision)> = named.iter().map(|(s, d)| (*s, d.as_ref())).collect();
    let reviews = super::resolution::keep_resolutions(&mut tx, &items, actor, &now)
        .await?
        .into_iter()
        .flatten()
        .count();
    drop(items);
    drop(named);

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

/// Decides each item's person from the decisions alone.
#[allow(clippy::type_complexity)]
fn plan(
    batch: &[(NewSourceRecord, Decision)],
) -> StoreResult<(Vec<Target>, Vec<PersonPlan>, Vec<PersonPlan>)> {
    let mut targets: Vec<Target> = Vec::with_capacity(batch.len());
    let mut new: Vec<PersonPlan> = Vec::new();
    let mut existing: Vec<PersonPlan> = Vec::new();
    let mut existing_index: HashMap<Uuid, usize> = HashMap::new();
    let mut record_ids: HashSet<&str> = HashSet::with_capacity(batch.len());
    for (i, (item, decision)) in batch.iter().enumerate() {
        if !record_ids.insert(&item.record.record_id) {
            return Err(StoreError::Conflict(format!(
                "record_id {:?} appears twice in the batch",
                item.record.record_id
            )));
        }
        let target = match decision.link {
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
    batch: &[(NewSourceRecord, Decision)],
) -> StoreResult<()> {
    for chunk in batch.chunks(CHUNK) {
        let mut b = in_list(
            "SELECT record_id FROM source_records WHERE record_id IN",
            chunk,
            |(item, _)| item.record.record_id.clone(),
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
    batch: &[(NewSourceRecord, Decision)],
    new: &mut [PersonPlan],
    actor: &Actor,
) -> StoreResult<()> {
    let claimed: Vec<&NationalNumber> = new
        .iter()
        .filter_map(|p| batch[p.items[0]].0.record.national_number.as_ref())
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
        let claim = &batch[person.items[0]].0.record.national_number;
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
fn view(batch: &[(NewSourceRecord, Decision)], person: &PersonPlan) -> PersonView {
    if person.stored.is_empty()
        && let [only] = person.items[..]
    {
        return PersonView::derive(std::slice::from_ref(&batch[only].0.record));
    }
    let records: Vec<PersonRecord> = person
        .stored
        .iter()
        .cloned()
        .chain(person.items.iter().map(|&i| batch[i].0.record.clone()))
        .collect();
    PersonView::derive(&records)
}

async fn insert_persons(
    conn: &mut SqliteConnection,
    batch: &[(NewSourceRecord, Decision)],
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
    chunk: &[(NewSourceRecord, Decision)],
    first_seq: i64,
    import_id: Uuid,
    now: &str,
) -> StoreResult<()> {
    let import_id = import_id.to_string();
    let mut b = QueryBuilder::<Sqlite>::new(
        "INSERT INTO source_records (seq, id, record_id, fields, office_code, officer, captured_at, evidence, import_id, created_at) ",
    );
    b.push_values(chunk.iter().enumerate(), |mut row, (i, (item, _))| {
        row.push_bind(first_seq + i as i64)
            .push_bind(Uuid::now_v7().to_string())
            .push_bind(item.record.record_id.clone())
            .push_bind(serde_json::to_string(&item.record).expect("records serialise"))
            .push_bind(item.capture.office.as_str().to_owned())
            .push_bind(item.capture.officer.as_str().to_owned())
            .push_bind(ts(item.capture.captured_at))
            .push_bind(serde_json::to_string(&item.capture.evidence).expect("evidence serialises"))
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
    batch: &[(NewSourceRecord, Decision)],
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
