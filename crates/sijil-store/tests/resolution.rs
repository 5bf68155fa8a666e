//! Identity resolution through the store: the resolver's decisions are kept with their
//! explanations, batch and incremental agree, adjudicators' decisions move records and can be
//! undone, and a resolver follows decisions made by another.

use std::collections::HashMap;

use sijil_core::{Capture, PersonRecord, interchange};
use sijil_match::{ModelSource as Source, Settings};
use sijil_store::{
    Actor, Adjudication, ImportMeta, ModelSource, NewModel, NewSourceRecord, ReviewQuery, Store,
    StoreError, bootstrap, resolve::Resolver, sqlite::SqliteStore,
};
use time::OffsetDateTime;
use uuid::Uuid;

fn population(people: usize, seed: u64) -> Vec<PersonRecord> {
    let (mut records, mut truth) = (Vec::new(), Vec::new());
    sijil_gen::generate(
        &sijil_gen::GenConfig::new(people, seed),
        &mut records,
        &mut truth,
    )
    .unwrap();
    interchange::read_all(records.as_slice(), OffsetDateTime::now_utc().date())
        .unwrap()
        .into_iter()
        .map(|r| r.record)
        .collect()
}

async fn open() -> (tempfile::TempDir, SqliteStore, Actor) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("sijil.db"))
        .await
        .unwrap();
    let central = bootstrap::ensure_central_office(&store).await.unwrap();
    (dir, store, Actor::system(central.code))
}

fn capture(actor: &Actor) -> Capture {
    Capture {
        office: actor.office.clone(),
        officer: actor.username.clone(),
        captured_at: OffsetDateTime::now_utc(),
        evidence: vec![],
    }
}

fn meta() -> ImportMeta {
    ImportMeta {
        file_name: "test.csv".into(),
        digest: "0".into(),
    }
}

/// Which records share a person, as sets of record ids numbered by first appearance.
fn partition(persons: &[Uuid]) -> Vec<u32> {
    let mut seen: HashMap<Uuid, u32> = HashMap::new();
    persons
        .iter()
        .map(|p| {
            let n = seen.len() as u32;
            *seen.entry(*p).or_insert(n)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_through_the_resolver_gives_the_batch_clusters() {
    let records = population(1_500, 7);
    let model = sijil_match::train_model(&records, Settings::default());
    let batch = sijil_match::dedup(&records, Source::Use(model.clone()), &());

    let (_dir, store, actor) = open().await;
    let new = NewModel {
        source: ModelSource::Registry,
        records: records.len() as i64,
        json: model.to_json(),
    };
    store.save_model(new, &actor).await.unwrap();
    let resolver = Resolver::load(&store, &actor).await.unwrap();
    resolver.hold_different_first_names(false).await;
    let receipt = resolver
        .import(
            &store,
            records.clone(),
            &capture(&actor),
            meta(),
            &actor,
            &|_, _| {},
        )
        .await
        .unwrap();
    assert_eq!(partition(&receipt.persons), batch.labels());
    assert!(
        receipt.reviews > 0,
        "a population this size has borderline pairs"
    );
    assert_eq!(
        receipt.reviews,
        batch
            .decisions()
            .iter()
            .filter(|d| **d == sijil_match::Decision::Review)
            .count()
    );

    // One by one, into another registry with the same model: the same decisions, except
    // that persons a record shows to be one are merged by an adjudicator, not by the
    // resolver, once they are stored. Settling those items gives the batch's persons.
    let first = &records[..600];
    let batch = sijil_match::dedup(first, Source::Use(model.clone()), &());
    let (_dir2, store2, actor2) = open().await;
    let new = NewModel {
        source: ModelSource::Registry,
        records: records.len() as i64,
        json: model.to_json(),
    };
    store2.save_model(new, &actor2).await.unwrap();
    let resolver2 = Resolver::load(&store2, &actor2).await.unwrap();
    resolver2.hold_different_first_names(false).await;
    let mut seqs = Vec::new();
    for r in first {
        let item = NewSourceRecord {
            record: r.clone(),
            capture: capture(&actor2),
        };
        seqs.push(
            resolver2
                .register(&store2, item, &actor2)
                .await
                .unwrap()
                .record_seq,
        );
    }
    let query = ReviewQuery {
        limit: 500,
        ..ReviewQuery::default()
    };
    for item in store2.review_queue(&query, &actor2).await.unwrap() {
        if item.kind != sijil_store::ReviewKind::Merge {
            continue;
        }
        let detail = store2.review_item(item.id, &actor2).await.unwrap();
        for c in &detail.candidates {
            let link = Adjudication::Link {
                review: item.id,
                person: c.person.id,
            };
            match store2.adjudicate(link, "one person", &actor2).await {
                Ok(_) | Err(StoreError::Conflict(_)) => {}
                Err(e) => panic!("{e}"),
            }
        }
    }
    resolver2.follow(&store2).await.unwrap();
    let persons: Vec<Uuid> = store2
        .index_records(0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.person_id)
        .collect();
    assert_eq!(persons.len(), seqs.len());
    assert_eq!(partition(&persons), batch.labels());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adjudicators_settle_merge_split_and_undo() {
    let records = population(1_500, 11);
    let (_dir, store, actor) = open().await;
    let resolver = Resolver::load(&store, &actor).await.unwrap();
    let receipt = resolver
        .import(
            &store,
            records,
            &capture(&actor),
            meta(),
            &actor,
            &|_, _| {},
        )
        .await
        .unwrap();
    assert!(receipt.reviews > 0);
    assert_eq!(
        store.stats().await.unwrap().open_reviews,
        receipt.reviews as i64
    );

    let queue = store
        .review_queue(&ReviewQuery::default(), &actor)
        .await
        .unwrap();
    assert_eq!(queue.len(), receipt.reviews.min(50));
    let first = queue
        .iter()
        .find(|i| i.kind == sijil_store::ReviewKind::PossibleMatch)
        .expect("a possible match");
    let item = store.review_item(first.id, &actor).await.unwrap();
    assert!(!item.candidates.is_empty());
    assert!(item.candidates[0].explanation["terms"].is_array());
    let provisional = item.person.id;
    let chosen = item.candidates[0].person.id;

    // A second resolver, as another process would hold, must see what the first decides.
    let other = Resolver::load(&store, &actor).await.unwrap();

    // Link: the record moves to the candidate; its provisional person points there.
    let linked = store
        .adjudicate(
            Adjudication::Link {
                review: item.id,
                person: chosen,
            },
            "same family booklet",
            &actor,
        )
        .await
        .unwrap();
    assert_eq!(linked.moves.len(), 1);
    assert_eq!(
        (linked.moves[0].from, linked.moves[0].to),
        (provisional, chosen)
    );
    let gone = store.person(provisional, &actor).await.unwrap();
    assert_eq!(gone.person.merged_into, Some(chosen));
    assert!(gone.records.is_empty());
    let kept = store.person(chosen, &actor).await.unwrap();
    assert!(kept.records.iter().any(|r| r.id == item.record.id));
    assert_eq!(
        store.stats().await.unwrap().open_reviews,
        receipt.reviews as i64 - 1
    );
    // Settled once: a second settlement is refused.
    let again = store
        .adjudicate(Adjudication::Separate { review: item.id }, "x", &actor)
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))));

    other.follow(&store).await.unwrap();
    let hits = other
        .search(&sijil_match::Query {
            names: item.record.record.first_name.clone().unwrap_or_default()
                + " "
                + item.record.record.family_name.as_deref().unwrap_or(""),
            birth_year: None,
            place: None,
            limit: 50,
        })
        .await;
    assert!(hits.iter().all(|h| h.person_id != provisional));

    // Undo: the record goes back, the provisional person lives again, the item reopens.
    let undone = store
        .adjudicate(
            Adjudication::Undo {
                decision: linked.decision_id,
            },
            "wrong booklet",
            &actor,
        )
        .await
        .unwrap();
    assert_eq!(
        (undone.moves[0].from, undone.moves[0].to),
        (chosen, provisional)
    );
    let back = store.person(provisional, &actor).await.unwrap();
    assert_eq!(back.person.merged_into, None);
    assert_eq!(back.records.len(), 1);
    assert_eq!(
        store.review_item(item.id, &actor).await.unwrap().settled_by,
        None
    );
    let twice = store
        .adjudicate(
            Adjudication::Undo {
                decision: linked.decision_id,
            },
            "again",
            &actor,
        )
        .await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))));

    // Merge the two persons, then split the record off again into a new person.
    let merged = store
        .adjudicate(
            Adjudication::Merge {
                from: provisional,
                into: chosen,
            },
            "one person",
            &actor,
        )
        .await
        .unwrap();
    assert_eq!(merged.moves.len(), 1);
    let split = store
        .adjudicate(
            Adjudication::Split {
                person: chosen,
                records: vec![item.record.id],
            },
            "two people after all",
            &actor,
        )
        .await
        .unwrap();
    let fresh = split.new_person.expect("a split makes a person");
    let fresh = store.person(fresh, &actor).await.unwrap();
    assert_eq!(fresh.records.len(), 1);
    assert_ne!(fresh.person.national_number, kept.person.national_number);
    // A split cannot take every record.
    let all: Vec<Uuid> = fresh.records.iter().map(|r| r.id).collect();
    let refused = store
        .adjudicate(
            Adjudication::Split {
                person: fresh.person.id,
                records: all,
            },
            "x",
            &actor,
        )
        .await;
    assert!(matches!(refused, Err(StoreError::Conflict(_))));

    // The history names every decision, and the audit chain still verifies.
    let history = store.decisions_of(chosen, &actor).await.unwrap();
    let kinds: Vec<&str> = history.iter().map(|d| d.kind.as_str()).collect();
    for k in ["link", "undo", "merge", "split"] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    assert!(store.verify_audit().await.unwrap().broken.is_none());
    let resolved_with: Vec<_> = history.iter().filter(|d| d.kind == "resolution").collect();
    assert!(resolved_with.iter().all(|d| d.explanation.is_some()));

    // The other resolver follows the moves: a record resolved now sees the registry as left.
    other.follow(&store).await.unwrap();
    let preview = other.preview(&item.record.record).await;
    assert!(preview.candidates.iter().all(|c| c.person != provisional));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_claiming_someone_elses_national_number_goes_to_review() {
    let (_dir, store, actor) = open().await;
    let resolver = Resolver::load(&store, &actor).await.unwrap();
    let nn = sijil_core::NationalNumber::from_parts(1, 0, 4242).unwrap();
    let row = |id: &str, first: &str, sex: &str, born: &str| sijil_core::RecordRow {
        record_id: id.into(),
        first_name: first.into(),
        father_name: "خالد".into(),
        family_name: "العلي".into(),
        sex: sex.into(),
        birth_date: born.into(),
        national_number: nn.as_str().into(),
        ..Default::default()
    };
    let today = OffsetDateTime::now_utc().date();
    let register = |r: sijil_core::RecordRow| {
        let item = NewSourceRecord {
            record: r.validate(today).unwrap(),
            capture: capture(&actor),
        };
        resolver.register(&store, item, &actor)
    };
    let first = register(row("N1", "هند", "F", "1990-04-02")).await.unwrap();
    assert!(first.new_person && first.review_id.is_none());
    // The same woman again: linked, with the explanation kept.
    let again = register(row("N2", "هند", "F", "1990-04-02")).await.unwrap();
    assert_eq!((again.person_id, again.reason), (first.person_id, "match"));
    // A man of another age with her number: a person of his own, and a review item naming her.
    let other = register(row("N3", "سامي", "M", "1961")).await.unwrap();
    assert_ne!(other.person_id, first.person_id);
    assert_eq!(other.reason, "national_number_held");
    let item = store
        .review_item(other.review_id.expect("flagged"), &actor)
        .await
        .unwrap();
    assert_eq!(item.candidates[0].person.id, first.person_id);
    let history = store.decisions_of(first.person_id, &actor).await.unwrap();
    assert!(
        history
            .iter()
            .any(|d| d.reason == "match" && d.explanation.is_some())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twins_are_never_linked_without_an_adjudicator() {
    let (_dir, store, actor) = open().await;
    let resolver = Resolver::load(&store, &actor).await.unwrap();
    let today = OffsetDateTime::now_utc().date();
    let twin = |id: &str, first: &str| sijil_core::RecordRow {
        record_id: id.into(),
        first_name: first.into(),
        father_name: "خالد".into(),
        grandfather_name: "محمود".into(),
        family_name: "الحمصي".into(),
        mother_name: "سعاد".into(),
        mother_family_name: "العلي".into(),
        sex: "M".into(),
        birth_date: "1990-04-12".into(),
        birth_place: "حمص".into(),
        registry_place: "حمص".into(),
        registry_number: "157".into(),
        ..Default::default()
    };
    let mut persons = Vec::new();
    for (id, first) in [
        ("T1", "سامر"),
        ("T2", "سامي"),
        ("T3", "عمر"),
        ("T4", "Samer"),
    ] {
        let item = NewSourceRecord {
            record: twin(id, first).validate(today).unwrap(),
            capture: capture(&actor),
        };
        persons.push(resolver.register(&store, item, &actor).await.unwrap());
    }
    // Another name entirely: a person of his own, and a question for an adjudicator.
    assert_eq!(persons[2].reason, "first_name_differs");
    assert!(persons[2].new_person && persons[2].review_id.is_some());
    assert_ne!(persons[2].person_id, persons[0].person_id);
    // The same name in Latin letters is linked.
    assert_eq!(persons[3].person_id, persons[0].person_id);
}
