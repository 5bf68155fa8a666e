//! An import resolves the records of a stretch ahead, in parallel, and keeps an answer found
//! ahead only when nothing inserted since could have changed it (issue 3, import at national
//! scale). What it stores must be exactly what resolving them one after another stores:
//! the same persons and national numbers, decisions, explanations and review items.

use std::collections::HashMap;

use sijil_core::{Capture, PersonRecord, interchange};
use sijil_match::Settings;
use sijil_store::{
    Actor, ImportMeta, ModelSource, NewModel, Store, bootstrap, resolve::Resolver,
    sqlite::SqliteStore,
};
use sqlx::{Row, SqlitePool};
use time::OffsetDateTime;

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

/// Everything the import stored about its records, with person ids (random) replaced by
/// national numbers (issued in order, so comparable between registries).
#[derive(Debug, PartialEq)]
struct Stored {
    links: Vec<(String, String, String)>,
    decisions: Vec<(String, String, Option<String>)>,
    reviews: Vec<(String, String, serde_json::Value)>,
}

async fn import(records: &[PersonRecord], model: &str, ahead: bool) -> Stored {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sijil.db");
    let store = SqliteStore::open(&path).await.unwrap();
    let central = bootstrap::ensure_central_office(&store).await.unwrap();
    let actor = Actor::system(central.code);
    let new = NewModel {
        source: ModelSource::Registry,
        records: records.len() as i64,
        json: model.to_owned(),
    };
    store.save_model(new, &actor).await.unwrap();
    let resolver = Resolver::load(&store, &actor).await.unwrap();
    resolver.resolve_ahead(ahead).await;
    let capture = Capture {
        office: actor.office.clone(),
        officer: actor.username.clone(),
        captured_at: OffsetDateTime::now_utc(),
        evidence: vec![],
    };
    let meta = ImportMeta {
        file_name: "test.csv".into(),
        digest: "0".into(),
    };
    resolver
        .import(&store, records.to_vec(), &capture, meta, &actor, &|_, _| {})
        .await
        .unwrap();
    store.close().await;

    let pool = SqlitePool::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    let numbers: HashMap<String, String> =
        sqlx::query_as("SELECT id, national_number FROM persons")
            .fetch_all(&pool)
            .await
            .unwrap()
            .into_iter()
            .collect();
    let links = sqlx::query(
        "SELECT r.record_id, l.person_id, l.decision FROM source_records r
         JOIN record_links l ON l.record_seq = r.seq ORDER BY r.seq",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .iter()
    .map(|row| {
        let person: String = row.get(1);
        (row.get(0), numbers[&person].clone(), row.get(2))
    })
    .collect();
    let decisions = sqlx::query_as(
        "SELECT r.record_id, d.reason, d.explanation FROM link_decisions d
         JOIN source_records r ON r.seq = d.record_seq ORDER BY r.seq",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let reviews = sqlx::query(
        "SELECT r.record_id, i.kind, i.candidates FROM review_items i
         JOIN source_records r ON r.seq = i.record_seq ORDER BY r.seq",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .iter()
    .map(|row| {
        let mut candidates: serde_json::Value =
            serde_json::from_str(&row.get::<String, _>(2)).unwrap();
        for c in candidates.as_array_mut().unwrap() {
            let person = c["person_id"].as_str().unwrap().to_owned();
            c["person_id"] = numbers[&person].clone().into();
        }
        (row.get(0), row.get(1), candidates)
    })
    .collect();
    pool.close().await;
    Stored {
        links,
        decisions,
        reviews,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolving_ahead_stores_exactly_what_resolving_in_order_stores() {
    let records = population(2_500, 31);
    let model = sijil_match::train_model(&records, Settings::default()).to_json();
    let ahead = import(&records, &model, true).await;
    let in_order = import(&records, &model, false).await;
    assert_eq!(ahead.links.len(), records.len());
    assert!(
        ahead.links.iter().any(|(_, _, d)| d == "match"),
        "the population has records of one person to link"
    );
    assert!(!ahead.reviews.is_empty(), "and borderline pairs to review");
    assert_eq!(ahead.links, in_order.links);
    assert_eq!(ahead.decisions, in_order.decisions);
    assert_eq!(ahead.reviews, in_order.reviews);
}
