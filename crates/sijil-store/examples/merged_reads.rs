//! How long the reads that follow merges take on a registry of about 100,000 persons with
//! 2,000 merges, and what reading a search's persons in one query saves over one query each.
//!
//! `cargo run -p sijil-store --example merged_reads [PEOPLE]` (SQLite itself is compiled
//! optimised in the dev profile; the store's own code is not, so this is an upper bound).

use std::time::Instant;

use sijil_core::{Capture, interchange};
use sijil_store::{
    Actor, Adjudication, Decision, ImportMeta, Link, NewSourceRecord, Store, bootstrap,
    sqlite::SqliteStore,
};
use time::OffsetDateTime;
use uuid::Uuid;

/// Median and 99th percentile, in milliseconds.
fn spread(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2] * 1e3, v[v.len() * 99 / 100] * 1e3)
}

#[tokio::main]
async fn main() {
    let people: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(60_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("merged.db");
    let store = SqliteStore::open(&path).await.unwrap();
    let central = bootstrap::ensure_central_office(&store).await.unwrap();
    let actor = Actor::system(central.code);
    let (mut csv, mut truth) = (Vec::new(), Vec::new());
    sijil_gen::generate(&sijil_gen::GenConfig::new(people, 7), &mut csv, &mut truth).unwrap();
    let today = OffsetDateTime::now_utc().date();
    let capture = Capture {
        office: actor.office.clone(),
        officer: actor.username.clone(),
        captured_at: OffsetDateTime::now_utc(),
        evidence: vec![],
    };
    let batch: Vec<_> = interchange::read_all(csv.as_slice(), today)
        .unwrap()
        .into_iter()
        .map(|r| {
            let record = NewSourceRecord {
                record: r.record,
                capture: capture.clone(),
            };
            (record, Decision::plain(Link::NewPerson, "bench"))
        })
        .collect();
    let meta = ImportMeta {
        file_name: "bench.csv".into(),
        digest: "0".into(),
    };
    let receipt = store
        .import_records(&batch, meta, &actor, &|_| {})
        .await
        .unwrap();
    let persons: Vec<Uuid> = receipt.persons;
    for pair in persons[..4_000].chunks(2) {
        let merge = Adjudication::Merge {
            from: pair[1],
            into: pair[0],
        };
        store.adjudicate(merge, "bench", &actor).await.unwrap();
    }
    println!("{} persons, 2,000 merged into others", persons.len());

    // The query a search's page of 100 persons ran before (one per person, on one
    // connection) and runs now.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let ids: Vec<Uuid> = persons.iter().step_by(997).take(100).copied().collect();
    let (mut each, mut one, mut found) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..50 {
        let t = Instant::now();
        for id in &ids {
            sqlx::query("SELECT * FROM persons WHERE id = ?")
                .bind(id.to_string())
                .fetch_optional(&mut *conn)
                .await
                .unwrap();
        }
        each.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let mut b = sqlx::QueryBuilder::new("SELECT * FROM persons WHERE id IN (");
        let mut sep = b.separated(", ");
        for id in &ids {
            sep.push_bind(id.to_string());
        }
        b.push(")");
        b.build().fetch_all(&mut *conn).await.unwrap();
        one.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        store
            .persons_found(&ids, serde_json::json!({}), &actor)
            .await
            .unwrap();
        found.push(t.elapsed().as_secs_f64());
    }
    println!(
        "100 persons: one query each {:.2?} ms, one query {:.2?} ms, persons_found with its audit entry {:.2?} ms (median, p99)",
        spread(each),
        spread(one),
        spread(found)
    );

    let survivors: Vec<Uuid> = persons[..4_000]
        .iter()
        .step_by(2)
        .take(300)
        .copied()
        .collect();
    let plain: Vec<Uuid> = persons[10_000..10_300].to_vec();
    for (label, set) in [
        ("a person nobody was merged into", plain),
        ("a survivor", survivors),
    ] {
        let (mut p, mut e, mut d) = (Vec::new(), Vec::new(), Vec::new());
        for id in set {
            let t = Instant::now();
            store.person(id, &actor).await.unwrap();
            p.push(t.elapsed().as_secs_f64());
            let t = Instant::now();
            store.events(id, &actor).await.unwrap();
            e.push(t.elapsed().as_secs_f64());
            let t = Instant::now();
            sijil_store::DocumentStore::documents_of(&store, id, &actor)
                .await
                .unwrap();
            d.push(t.elapsed().as_secs_f64());
        }
        println!(
            "{label}: person {:.2?} ms, events {:.2?} ms, documents {:.2?} ms (median, p99; each an audited read)",
            spread(p),
            spread(e),
            spread(d)
        );
    }
}
