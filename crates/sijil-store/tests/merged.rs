//! A person merged into another is read whole on the survivor's side (issues 3 and 4
//! follow-up): their civil events, documents, alerts and family register membership follow
//! the merge, transitively, and an undone merge shows them apart again. Also: reading the
//! persons a search found takes one query and answers as one query per person did.

use sijil_core::{Capture, EventKind, NewEvent, RecordRow, RegisterKey};
use sijil_store::{
    Actor, Adjudication, AuditQuery, Decision, DocumentStore, Link, NewSourceRecord, Store,
    StoreError, bootstrap,
    documents::{ApplicationStep, DocumentKind, DocumentStatus, NewDocument, Printed},
    sqlite::SqliteStore,
};
use time::{Date, OffsetDateTime, macros::date};
use uuid::Uuid;

const TODAY: Date = date!(2026 - 11 - 29);

async fn open() -> (tempfile::TempDir, SqliteStore, Actor) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("sijil.db"))
        .await
        .unwrap();
    let central = bootstrap::ensure_central_office(&store).await.unwrap();
    (dir, store, Actor::system(central.code))
}

/// Registers one person from one record in family register دمشق/12.
async fn person(store: &SqliteStore, actor: &Actor, id: &str, first: &str, sex: &str) -> Uuid {
    let row = RecordRow {
        record_id: id.into(),
        first_name: first.into(),
        father_name: "أحمد".into(),
        family_name: "الخطيب".into(),
        sex: sex.into(),
        birth_date: "1980-01-01".into(),
        registry_place: "دمشق".into(),
        registry_number: "12".into(),
        ..Default::default()
    };
    store
        .register_record(
            NewSourceRecord {
                record: row.validate(TODAY).unwrap(),
                capture: Capture {
                    office: actor.office.clone(),
                    officer: actor.username.clone(),
                    captured_at: OffsetDateTime::now_utc(),
                    evidence: vec![],
                },
            },
            Decision::plain(Link::NewPerson, "test"),
            actor,
        )
        .await
        .unwrap()
        .person_id
}

fn event(kind: EventKind, date: Date, spouse: Option<Uuid>) -> NewEvent {
    NewEvent {
        kind,
        date,
        place: None,
        spouse_id: spouse,
        court_record: None,
    }
}

fn printer(number: &str) -> Result<Printed, String> {
    Ok(Printed {
        mrz: format!("ZONE FOR {number}"),
        credential: None,
    })
}

fn card(person: Uuid) -> NewDocument {
    NewDocument {
        kind: DocumentKind::IdCard,
        person_id: person,
        issued_on: TODAY,
        expires_on: date!(2036 - 11 - 28),
    }
}

async fn merge(store: &SqliteStore, actor: &Actor, from: Uuid, into: Uuid) -> Uuid {
    store
        .adjudicate(Adjudication::Merge { from, into }, "one person", actor)
        .await
        .unwrap()
        .decision_id
}

async fn reads_of(store: &SqliteStore, id: Uuid) -> usize {
    store
        .audit_entries(&AuditQuery {
            subject: Some(format!("person:{id}")),
            action: Some("person.read".into()),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_survivor_holds_the_events_documents_and_alerts_of_everyone_merged_into_it() {
    let (_dir, store, actor) = open().await;
    let a = person(&store, &actor, "A", "محمد", "M").await;
    let b = person(&store, &actor, "B", "محمود", "M").await;
    let d = person(&store, &actor, "D", "مُحمد", "M").await;
    let w = person(&store, &actor, "W", "فاطمة", "F").await;

    // B married W and holds a card; D died; B's number carries an alert.
    let wedding = store
        .record_event(
            b,
            event(EventKind::Marriage, date!(2010 - 05 - 01), Some(w)),
            &actor,
        )
        .await
        .unwrap();
    let death = store
        .record_event(
            d,
            event(EventKind::Death, date!(2020 - 01 - 01), None),
            &actor,
        )
        .await
        .unwrap();
    let b_card = store
        .issue_document(card(b), &printer, &actor)
        .await
        .unwrap();
    let b_number = store
        .person(b, &actor)
        .await
        .unwrap()
        .person
        .national_number;
    store
        .add_alert(&b_number, "travel-ban", &actor)
        .await
        .unwrap();

    // D into B, then B into A: A gathers both, transitively.
    let d_into_b = merge(&store, &actor, d, b).await;
    let b_into_a = merge(&store, &actor, b, a).await;

    let before = reads_of(&store, a).await;
    let seen = store.person(a, &actor).await.unwrap();
    assert_eq!(
        reads_of(&store, a).await,
        before + 1,
        "one audit entry per read"
    );
    assert_eq!(
        reads_of(&store, b).await,
        1,
        "B itself was read once, before the merge"
    );
    let from: Vec<(Uuid, Option<Uuid>)> = seen
        .merged_from
        .iter()
        .map(|m| (m.person_id, m.decision_id))
        .collect();
    assert_eq!(from, vec![(d, Some(d_into_b)), (b, Some(b_into_a))]);
    assert_eq!(seen.merged_from[0].into, b);
    assert_eq!(seen.merged_from[1].national_number, b_number.as_str());
    assert_eq!(seen.merged_from[1].decision_kind.as_deref(), Some("merge"));
    assert!(seen.merged_from[1].decided_at.is_some());

    let events: Vec<Uuid> = store
        .events(a, &actor)
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(events, vec![wedding.id, death.id]);
    let docs = store.documents_of(a, &actor).await.unwrap();
    assert_eq!(
        docs.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![b_card.id]
    );

    // The register shows each person once, as they are now.
    let key = RegisterKey::new("دمشق", "12").unwrap();
    let mut members: Vec<Uuid> = store
        .register_members(&key, &actor)
        .await
        .unwrap()
        .iter()
        .map(|m| m.person_id)
        .collect();
    members.sort();
    let mut expected = vec![a, w];
    expected.sort();
    assert_eq!(members, expected);

    // Rules see A whole: A may divorce W (B's marriage is A's), and D's death is A's death.
    store
        .record_event(
            a,
            event(EventKind::Divorce, date!(2015 - 01 - 01), Some(w)),
            &actor,
        )
        .await
        .expect("A is married to W through B");
    let after_death = store
        .record_event(
            a,
            event(EventKind::Marriage, date!(2021 - 01 - 01), Some(w)),
            &actor,
        )
        .await;
    assert!(
        matches!(after_death, Err(StoreError::Invalid(_))),
        "{after_death:?}"
    );
    // W's side: her former husband B is A now, so she cannot divorce him twice.
    let twice = store
        .record_event(
            w,
            event(EventKind::Divorce, date!(2016 - 01 - 01), Some(b)),
            &actor,
        )
        .await;
    assert!(matches!(twice, Err(StoreError::Invalid(_))), "{twice:?}");

    // Nothing new is written on a merged-away person; the error names the survivor.
    let on_b = store
        .record_event(
            b,
            event(EventKind::Birth, date!(1980 - 01 - 01), None),
            &actor,
        )
        .await;
    let a_number = seen.person.national_number.to_string();
    assert!(
        matches!(&on_b, Err(StoreError::Conflict(m)) if m.contains(&a_number)),
        "{on_b:?}"
    );
    assert!(matches!(
        store.issue_document(card(d), &printer, &actor).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.apply_passport(b, &actor).await,
        Err(StoreError::Conflict(_))
    ));

    // B's alert names A too, for the lists checkpoints receive.
    let alerts = store.active_alerts().await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].national_number, b_number.as_str());
    assert_eq!(
        alerts[0].survivor_number.as_deref(),
        Some(a_number.as_str())
    );

    // B's alert holds A's passport application.
    let app = store.apply_passport(a, &actor).await.unwrap();
    let checked = store
        .check_passport_application(app.id, TODAY, &actor)
        .await
        .unwrap();
    assert_eq!(checked.step(), ApplicationStep::Held);
    assert_eq!(
        checked.steps.last().unwrap().detail["alerts"],
        serde_json::json!(["travel-ban"])
    );

    // One valid card per person: A's new card replaces the card B held.
    store
        .issue_document(card(a), &printer, &actor)
        .await
        .unwrap();
    let old = store.document(b_card.id, &actor).await.unwrap();
    assert_eq!(old.status(), DocumentStatus::Cancelled);

    // Undo B into A: apart again. A keeps only its own; B has D's again.
    store
        .adjudicate(Adjudication::Undo { decision: b_into_a }, "not one", &actor)
        .await
        .unwrap();
    let seen = store.person(a, &actor).await.unwrap();
    assert!(seen.merged_from.is_empty());
    let a_events = store.events(a, &actor).await.unwrap();
    assert!(
        a_events
            .iter()
            .all(|e| e.id != wedding.id && e.id != death.id)
    );
    let a_docs = store.documents_of(a, &actor).await.unwrap();
    assert!(a_docs.iter().all(|doc| doc.id != b_card.id));
    let alerts = store.active_alerts().await.unwrap();
    assert_eq!(alerts[0].survivor_number, None);
    let b_seen = store.person(b, &actor).await.unwrap();
    assert_eq!(b_seen.person.merged_into, None);
    assert_eq!(
        b_seen
            .merged_from
            .iter()
            .map(|m| m.person_id)
            .collect::<Vec<_>>(),
        vec![d]
    );
    let b_events = store.events(b, &actor).await.unwrap();
    assert!(b_events.iter().any(|e| e.id == death.id));
    // A lives again once D's death is no longer A's.
    store
        .record_event(
            a,
            event(EventKind::Marriage, date!(2021 - 01 - 01), Some(w)),
            &actor,
        )
        .await
        .expect("A is alive and single again");
    assert!(store.verify_audit().await.unwrap().broken.is_none());
}

#[tokio::test]
async fn persons_found_reads_in_one_query_what_one_query_per_person_read() {
    let (_dir, store, actor) = open().await;
    let mut ids = Vec::new();
    for (i, name) in ["سامر", "رامي", "هالة", "ليلى", "عمر"].iter().enumerate() {
        ids.push(person(&store, &actor, &format!("P{i}"), name, "M").await);
    }
    merge(&store, &actor, ids[1], ids[0]).await;
    // A search's order, an unknown id skipped, a repeated id shown again.
    let asked = vec![ids[3], Uuid::now_v7(), ids[1], ids[0], ids[4], ids[3]];
    let found = store
        .persons_found(&asked, serde_json::json!({"q": "x"}), &actor)
        .await
        .unwrap();
    let mut one_by_one = Vec::new();
    for id in &asked {
        match store.person(*id, &actor).await {
            Ok(d) => one_by_one.push(d.person),
            Err(StoreError::NotFound(_)) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(found, one_by_one);
    assert_eq!(found.len(), 5);
    assert_eq!(found[1].merged_into, Some(ids[0]));
    let none = store
        .persons_found(&[], serde_json::json!({}), &actor)
        .await
        .unwrap();
    assert!(none.is_empty());
    let searches = store
        .audit_entries(&AuditQuery {
            action: Some("person.search".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(searches.len(), 2);
}
