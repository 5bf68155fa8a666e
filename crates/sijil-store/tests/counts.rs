//! Read-only counts for dashboards.

use sijil_core::{Capture, RecordRow};
use sijil_store::{
    Actor, Decision, Link, NewSourceRecord, Store, bootstrap::ensure_central_office,
    sqlite::SqliteStore,
};
use time::{Duration, OffsetDateTime};

#[tokio::test]
async fn records_stored_since_counts_only_records_at_or_after_the_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("s.db")).await.unwrap();
    let office = ensure_central_office(&store).await.unwrap();
    let actor = Actor::system(office.code.clone());
    let before = OffsetDateTime::now_utc() - Duration::seconds(1);
    assert_eq!(store.records_stored_since(before, None).await.unwrap(), 0);
    for id in ["R1", "R2"] {
        let row = RecordRow {
            record_id: id.into(),
            first_name: "سامر".into(),
            ..Default::default()
        };
        let record = row.validate(OffsetDateTime::now_utc().date()).unwrap();
        let capture = Capture {
            office: office.code.clone(),
            officer: actor.username.clone(),
            captured_at: OffsetDateTime::now_utc(),
            evidence: vec![],
        };
        let decision = Decision::plain(Link::NewPerson, "test");
        store
            .register_record(NewSourceRecord { record, capture }, decision, &actor)
            .await
            .unwrap();
    }
    assert_eq!(store.records_stored_since(before, None).await.unwrap(), 2);
    // Counted by the office that captured them.
    let central = Some(&office.code);
    assert_eq!(
        store.records_stored_since(before, central).await.unwrap(),
        2
    );
    let homs = sijil_core::OfficeCode::parse("HMS-01").unwrap();
    assert_eq!(
        store
            .records_stored_since(before, Some(&homs))
            .await
            .unwrap(),
        0
    );
    let later = OffsetDateTime::now_utc() + Duration::seconds(5);
    assert_eq!(store.records_stored_since(later, None).await.unwrap(), 0);
}
