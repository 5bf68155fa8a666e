//! Source records, persons and family registers.

use std::collections::{HashMap, HashSet};

use serde_json::json;
use sijil_core::{NationalNumber, PersonRecord, PersonView, RegisterKey};
use sqlx::{SqliteConnection, SqlitePool};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{SqliteStore, access::entry, commit_audited, db, rows, ts};
use crate::{
    Actor, Decision, Link, NewSourceRecord, PersonDetail, RegisterMember, Registration, Stats,
    StoreError, StoreResult,
};

/// Issues national numbers for one office inside a transaction, remembering the next serial.
pub(super) struct Issuer {
    governorate: u8,
    secretariat: u8,
    next: Option<u32>,
    /// For batches: the numbers at or above the first serial that persons already hold
    /// (brought from older registers), read once instead of once per candidate.
    held: Option<HashSet<String>>,
}

impl Issuer {
    pub(super) async fn for_office(conn: &mut SqliteConnection, office: &str) -> StoreResult<Self> {
        let (governorate, secretariat): (i64, i64) =
            sqlx::query_as("SELECT governorate, secretariat FROM offices WHERE code = ?")
                .bind(office)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db)?
                .ok_or(StoreError::NotFound("office"))?;
        Ok(Self {
            governorate: governorate as u8,
            secretariat: secretariat as u8,
            next: None,
            held: None,
        })
    }

    async fn next_serial(&mut self, conn: &mut SqliteConnection) -> StoreResult<u32> {
        if let Some(n) = self.next {
            return Ok(n);
        }
        let n = sqlx::query_scalar::<_, i64>(
            "SELECT next_serial FROM national_number_serials WHERE governorate = ? AND secretariat = ?",
        )
        .bind(i64::from(self.governorate))
        .bind(i64::from(self.secretariat))
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?
        .unwrap_or(1) as u32;
        Ok(n)
    }

    fn number(&self, serial: u32) -> StoreResult<NationalNumber> {
        NationalNumber::from_parts(self.governorate, self.secretariat, serial).ok_or_else(|| {
            StoreError::Conflict("the secretariat has used all its national numbers".into())
        })
    }

    pub(super) async fn issue(
        &mut self,
        conn: &mut SqliteConnection,
    ) -> StoreResult<NationalNumber> {
        let mut serial = self.next_serial(conn).await?;
        loop {
            let number = self.number(serial)?;
            serial += 1;
            // A number may already be taken by a person who brought it from an older register.
            if !national_number_taken(conn, &number).await? {
                self.next = Some(serial);
                return Ok(number);
            }
        }
    }

    /// Like `issue`, for a batch whose persons are not stored yet: skips the numbers persons
    /// hold and those in `also_taken` (the batch's own).
    pub(super) async fn issue_avoiding(
        &mut self,
        conn: &mut SqliteConnection,
        also_taken: &HashSet<String>,
    ) -> StoreResult<NationalNumber> {
        let mut serial = self.next_serial(conn).await?;
        if self.held.is_none() {
            // Fixed-width digit strings sort as numbers; the 10-digit lower bound sorts before
            // every 11-digit number that starts with it.
            let (g, s) = (self.governorate, self.secretariat);
            let held: Vec<String> = sqlx::query_scalar(
                "SELECT national_number FROM persons WHERE national_number >= ? AND national_number <= ?",
            )
            .bind(format!("{g:02}{s:02}{serial:06}"))
            .bind(format!("{g:02}{s:02}9999999"))
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
            self.held = Some(held.into_iter().collect());
        }
        let held = self.held.as_ref().expect("loaded above");
        loop {
            let number = self.number(serial)?;
            serial += 1;
            if !held.contains(number.as_str()) && !also_taken.contains(number.as_str()) {
                self.next = Some(serial);
                return Ok(number);
            }
        }
    }

    pub(super) async fn save(&self, conn: &mut SqliteConnection) -> StoreResult<()> {
        let Some(next) = self.next else { return Ok(()) };
        sqlx::query(
            "INSERT INTO national_number_serials (governorate, secretariat, next_serial) VALUES (?, ?, ?)
             ON CONFLICT (governorate, secretariat) DO UPDATE SET next_serial = excluded.next_serial",
        )
        .bind(i64::from(self.governorate))
        .bind(i64::from(self.secretariat))
        .bind(i64::from(next))
        .execute(&mut *conn)
        .await
        .map_err(db)?;
        Ok(())
    }
}

async fn national_number_taken(
    conn: &mut SqliteConnection,
    n: &NationalNumber,
) -> StoreResult<bool> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT 1 FROM persons WHERE national_number = ?")
            .bind(n.as_str())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?
            .is_some(),
    )
}

/// Appends one record and its link; returns (record uuid, person id, national number, new?).
async fn append(
    conn: &mut SqliteConnection,
    item: &NewSourceRecord,
    decision: &Decision,
    import_id: Option<Uuid>,
    batch_persons: &[(Uuid, NationalNumber)],
    issuer: &mut Issuer,
    now: &str,
) -> StoreResult<(i64, Uuid, Uuid, NationalNumber, bool)> {
    let id = Uuid::now_v7();
    let fields = serde_json::to_string(&item.record).expect("records serialise");
    let evidence = serde_json::to_string(&item.capture.evidence).expect("evidence serialises");
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO source_records (id, record_id, fields, office_code, officer, captured_at, evidence, import_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
    )
    .bind(id.to_string())
    .bind(&item.record.record_id)
    .bind(fields)
    .bind(item.capture.office.as_str())
    .bind(item.capture.officer.as_str())
    .bind(ts(item.capture.captured_at))
    .bind(evidence)
    .bind(import_id.map(|i| i.to_string()))
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| match db(e) {
        StoreError::Conflict(_) => {
            StoreError::Conflict(format!("record_id {:?} is already registered", item.record.record_id))
        }
        other => other,
    })?;

    let (person_id, number, new_person) = match decision.link {
        Link::NewPerson => {
            let number = match &item.record.national_number {
                Some(claimed) if !national_number_taken(conn, claimed).await? => claimed.clone(),
                _ => issuer.issue(conn).await?,
            };
            let person_id = Uuid::now_v7();
            let view = PersonView::derive(std::slice::from_ref(&item.record));
            insert_person(conn, person_id, &number, &view, now).await?;
            (person_id, number, true)
        }
        Link::Person(person_id) => {
            let number: String =
                sqlx::query_scalar("SELECT national_number FROM persons WHERE id = ?")
                    .bind(person_id.to_string())
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(db)?
                    .ok_or(StoreError::NotFound("person"))?;
            let number =
                NationalNumber::parse(&number).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            (person_id, number, false)
        }
        Link::SameAsItem(i) => {
            let (person_id, number) = batch_persons.get(i).cloned().ok_or_else(|| {
                StoreError::Conflict(format!("batch item {i} does not precede this one"))
            })?;
            (person_id, number, false)
        }
    };
    sqlx::query(
        "INSERT INTO record_links (record_seq, person_id, decision, linked_at) VALUES (?, ?, ?, ?)",
    )
    .bind(seq)
    .bind(person_id.to_string())
    .bind(decision.reason)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    if !new_person {
        refresh_view(conn, person_id, now).await?;
    }
    Ok((seq, id, person_id, number, new_person))
}

/// Creates a person with a number and a view.
pub(super) async fn insert_person(
    conn: &mut SqliteConnection,
    id: Uuid,
    number: &NationalNumber,
    view: &PersonView,
    now: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO persons (id, national_number, view, registry_place, registry_number, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(number.as_str())
    .bind(serde_json::to_string(view).expect("views serialise"))
    .bind(&view.registry_place)
    .bind(&view.registry_number)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    Ok(())
}

/// Recomputes a person's view from all their linked records.
pub(super) async fn refresh_view(
    conn: &mut SqliteConnection,
    person_id: Uuid,
    now: &str,
) -> StoreResult<()> {
    let fields: Vec<String> = sqlx::query_scalar(
        "SELECT r.fields FROM source_records r JOIN record_links l ON l.record_seq = r.seq
         WHERE l.person_id = ? ORDER BY r.seq",
    )
    .bind(person_id.to_string())
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let records = fields
        .iter()
        .map(|f| {
            serde_json::from_str::<PersonRecord>(f).map_err(|e| StoreError::Corrupt(e.to_string()))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let view = PersonView::derive(&records);
    sqlx::query("UPDATE persons SET view = ?, registry_place = ?, registry_number = ?, updated_at = ? WHERE id = ?")
        .bind(serde_json::to_string(&view).expect("views serialise"))
        .bind(&view.registry_place)
        .bind(&view.registry_number)
        .bind(now)
        .bind(person_id.to_string())
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(())
}

pub(super) async fn register(
    s: &SqliteStore,
    item: NewSourceRecord,
    decision: Decision,
    actor: &Actor,
) -> StoreResult<Registration> {
    let now = ts(OffsetDateTime::now_utc());
    let mut tx = s.begin().await?;
    let mut issuer = Issuer::for_office(&mut tx, actor.office.as_str()).await?;
    let (record_seq, record_uuid, person_id, national_number, new_person) =
        append(&mut tx, &item, &decision, None, &[], &mut issuer, &now).await?;
    issuer.save(&mut tx).await?;
    let review_id =
        super::resolution::keep_resolution(&mut tx, record_seq, &decision, actor, &now).await?;
    let detail = json!({
        "person": person_id,
        "new_person": new_person,
        "reason": decision.reason,
        "review": review_id,
    });
    commit_audited(
        tx,
        entry(
            actor,
            "record.register",
            format!("record:{record_uuid}"),
            detail,
        ),
    )
    .await?;
    Ok(Registration {
        record_uuid,
        person_id,
        national_number,
        new_person,
        reason: decision.reason,
        review_id,
        explanation: decision.explanation,
        record_seq,
    })
}

pub(super) async fn existing_record_ids(
    pool: &SqlitePool,
    ids: &[String],
) -> StoreResult<Vec<String>> {
    let mut found = Vec::new();
    // SQLite limits bound parameters per statement; ask in slices.
    for chunk in ids.chunks(500) {
        let mut b =
            sqlx::QueryBuilder::new("SELECT record_id FROM source_records WHERE record_id IN (");
        let mut sep = b.separated(", ");
        for id in chunk {
            sep.push_bind(id.clone());
        }
        b.push(")");
        let rows: Vec<(String,)> = b.build_query_as().fetch_all(pool).await.map_err(db)?;
        found.extend(rows.into_iter().map(|(id,)| id));
    }
    Ok(found)
}

pub(super) async fn person(s: &SqliteStore, id: Uuid, actor: &Actor) -> StoreResult<PersonDetail> {
    let mut tx = s.begin().await?;
    let row = sqlx::query("SELECT * FROM persons WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound("person"))?;
    let person = rows::person(&row)?;
    let record_rows = sqlx::query(
        "SELECT r.*, l.person_id FROM source_records r JOIN record_links l ON l.record_seq = r.seq
         WHERE l.person_id = ? ORDER BY r.seq",
    )
    .bind(id.to_string())
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let records = record_rows
        .iter()
        .map(rows::record)
        .collect::<StoreResult<Vec<_>>>()?;
    let merged_from = super::merged::merged_from(&mut tx, id).await?;
    commit_audited(
        tx,
        entry(actor, "person.read", format!("person:{id}"), json!({})),
    )
    .await?;
    Ok(PersonDetail {
        person,
        records,
        merged_from,
    })
}

pub(super) async fn person_id_by_national_number(
    pool: &SqlitePool,
    n: &NationalNumber,
) -> StoreResult<Option<Uuid>> {
    let id: Option<String> = sqlx::query_scalar("SELECT id FROM persons WHERE national_number = ?")
        .bind(n.as_str())
        .fetch_optional(pool)
        .await
        .map_err(db)?;
    id.as_deref().map(rows::uuid).transpose()
}

pub(super) async fn person_ids_by_national_numbers(
    pool: &SqlitePool,
    numbers: &[NationalNumber],
) -> StoreResult<HashMap<NationalNumber, Uuid>> {
    let mut found = HashMap::new();
    // SQLite limits bound parameters per statement; ask in slices.
    for chunk in numbers.chunks(500) {
        let mut b = sqlx::QueryBuilder::new(
            "SELECT national_number, id FROM persons WHERE national_number IN (",
        );
        let mut sep = b.separated(", ");
        for n in chunk {
            sep.push_bind(n.as_str().to_owned());
        }
        b.push(")");
        let rows: Vec<(String, String)> = b.build_query_as().fetch_all(pool).await.map_err(db)?;
        for (number, id) in rows {
            let number =
                NationalNumber::parse(&number).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            found.insert(number, rows::uuid(&id)?);
        }
    }
    Ok(found)
}

pub(super) async fn register_members(
    s: &SqliteStore,
    key: &RegisterKey,
    actor: &Actor,
) -> StoreResult<Vec<RegisterMember>> {
    let mut tx = s.begin().await?;
    let rows = sqlx::query(
        "SELECT * FROM persons WHERE registry_place = ? AND registry_number = ? ORDER BY created_at LIMIT 500",
    )
    .bind(key.place())
    .bind(key.number())
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    // A member merged into someone else is that person now: shown once, as the survivor
    // (whose own view may name another register, or this one).
    let mut members: Vec<RegisterMember> = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut p = rows::person(row)?;
        if p.merged_into.is_some() {
            let to = super::merged::survivor(&mut tx, p.id).await?;
            let row = sqlx::query("SELECT * FROM persons WHERE id = ?")
                .bind(to.to_string())
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
            p = rows::person(&row)?;
        }
        if members.iter().all(|m| m.person_id != p.id) {
            members.push(RegisterMember {
                person_id: p.id,
                national_number: p.national_number,
                view: p.view,
            });
        }
    }
    let ids: Vec<Uuid> = members.iter().map(|m| m.person_id).collect();
    let subject = format!("register:{}/{}", key.place(), key.number());
    commit_audited(
        tx,
        entry(actor, "register.read", subject, json!({ "persons": ids })),
    )
    .await?;
    Ok(members)
}

pub(super) async fn stored_since(
    pool: &SqlitePool,
    since: OffsetDateTime,
    office: Option<&sijil_core::OfficeCode>,
) -> StoreResult<i64> {
    // created_at is fixed-width UTC text, so text order is time order.
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM source_records
         WHERE created_at >= ?1 AND (?2 IS NULL OR office_code = ?2)",
    )
    .bind(ts(since))
    .bind(office.map(|o| o.as_str()))
    .fetch_one(pool)
    .await
    .map_err(db)
}

pub(super) async fn stats(pool: &SqlitePool) -> StoreResult<Stats> {
    let counts: HashMap<String, i64> = sqlx::query_as::<_, (String, i64)>(
        "SELECT 'persons', COUNT(*) FROM persons
         UNION ALL SELECT 'records', COUNT(*) FROM source_records
         UNION ALL SELECT 'events', COUNT(*) FROM civil_events
         UNION ALL SELECT 'users', COUNT(*) FROM users
         UNION ALL SELECT 'audit', COALESCE(MAX(seq), 0) FROM audit_log
         UNION ALL SELECT 'reviews', COUNT(*) FROM review_items WHERE settled_by IS NULL",
    )
    .fetch_all(pool)
    .await
    .map_err(db)?
    .into_iter()
    .collect();
    let c = |k: &str| counts.get(k).copied().unwrap_or(0);
    Ok(Stats {
        persons: c("persons"),
        source_records: c("records"),
        events: c("events"),
        users: c("users"),
        audit_entries: c("audit"),
        open_reviews: c("reviews"),
    })
}

pub(super) async fn persons_found(
    s: &SqliteStore,
    ids: &[Uuid],
    search: serde_json::Value,
    actor: &Actor,
) -> StoreResult<Vec<crate::Person>> {
    let mut tx = s.begin().await?;
    // One query for the whole page of results (a search shows at most a few hundred, well
    // under SQLite's limit on bound parameters), then put back in the order given.
    let mut by_id: HashMap<Uuid, crate::Person> = HashMap::with_capacity(ids.len());
    if !ids.is_empty() {
        let mut b = sqlx::QueryBuilder::new("SELECT * FROM persons WHERE id IN ");
        super::merged::push_ids(&mut b, ids);
        for row in b.build().fetch_all(&mut *tx).await.map_err(db)? {
            let p = rows::person(&row)?;
            by_id.insert(p.id, p);
        }
    }
    // Unknown ids are skipped and a repeated id shows each time, as when this read one
    // person per query.
    let found: Vec<crate::Person> = ids.iter().filter_map(|id| by_id.get(id).cloned()).collect();
    let shown: Vec<Uuid> = found.iter().map(|p| p.id).collect();
    commit_audited(
        tx,
        entry(
            actor,
            "person.search",
            "search".into(),
            json!({ "query": search, "persons": shown }),
        ),
    )
    .await?;
    Ok(found)
}
