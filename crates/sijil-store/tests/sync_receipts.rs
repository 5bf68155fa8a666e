//! Receipts at an office node through [`SyncStore`], on SQLite: only acknowledged packets are
//! asked about, answers replace older ones, receipts for packets this node never sent are
//! ignored, and settled answers are not asked for again.

use sijil_core::{Capture, NationalNumber, RecordRow};
use sijil_store::{
    Actor, Decision, Link, NewOutboxPacket, NewQuarantine, NewSourceRecord, OutboxState, Receipt,
    ReceiptOutcome, Store, SyncStore, Via, bootstrap, sqlite::SqliteStore,
};
use time::{Duration, OffsetDateTime, macros::date};
use uuid::Uuid;

#[tokio::test]
async fn receipts_are_asked_for_acknowledged_packets_and_kept_with_the_local_record() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("s.db")).await.unwrap();
    let office = bootstrap::ensure_central_office(&store).await.unwrap();
    let actor = Actor::system(office.code.clone());
    let mut local_numbers = vec![];
    for i in 0..3 {
        let row = RecordRow {
            record_id: format!("R{i}"),
            first_name: "محمد".into(),
            family_name: "الحلبي".into(),
            sex: "M".into(),
            ..Default::default()
        };
        let new = NewSourceRecord {
            record: row.validate(date!(2026 - 11 - 29)).unwrap(),
            capture: Capture {
                office: office.code.clone(),
                officer: actor.username.clone(),
                captured_at: OffsetDateTime::now_utc(),
                evidence: vec![],
            },
        };
        let r = store
            .register_record(new, Decision::plain(Link::NewPerson, "test"), &actor)
            .await
            .unwrap();
        local_numbers.push(r.national_number.to_string());
    }
    let unsealed = store.unsealed_records(&office.code, 10).await.unwrap();
    let packets: Vec<NewOutboxPacket> = unsealed
        .iter()
        .enumerate()
        .map(|(i, r)| NewOutboxPacket {
            record_seq: r.record_seq,
            key_id: "k1".into(),
            sequence: i as u64 + 1,
            packet_id: Uuid::now_v7(),
            bytes: vec![1; 10],
        })
        .collect();
    let ids: Vec<Uuid> = packets.iter().map(|p| p.packet_id).collect();
    store.add_to_outbox(packets, &actor).await.unwrap();
    let now = OffsetDateTime::now_utc();
    assert!(store.receipts_wanted(now, 10).await.unwrap().is_empty());
    store
        .mark_outbox(&ids[..2], OutboxState::Acknowledged, &actor)
        .await
        .unwrap();
    assert_eq!(store.receipts_wanted(now, 10).await.unwrap(), ids[..2]);

    let central = NationalNumber::parse(&local_numbers[2]).unwrap();
    let answers = vec![
        Receipt {
            packet_id: ids[0],
            outcome: ReceiptOutcome::Linked,
            national_number: Some(central.clone()),
            reason_code: None,
        },
        Receipt {
            packet_id: ids[1],
            outcome: ReceiptOutcome::Review,
            national_number: None,
            reason_code: None,
        },
        // Not a packet of this node: ignored.
        Receipt {
            packet_id: Uuid::now_v7(),
            outcome: ReceiptOutcome::New,
            national_number: Some(central.clone()),
            reason_code: None,
        },
    ];
    assert_eq!(
        store
            .store_receipts(&ids[..2], &answers, &actor)
            .await
            .unwrap(),
        2
    );
    // The same answers again change nothing.
    assert_eq!(
        store
            .store_receipts(&ids[..2], &answers, &actor)
            .await
            .unwrap(),
        0
    );
    // Settled: not asked again; in review: asked again only after the recheck time.
    assert!(store.receipts_wanted(now, 10).await.unwrap().is_empty());
    let later = OffsetDateTime::now_utc() + Duration::hours(2);
    assert_eq!(store.receipts_wanted(later, 10).await.unwrap(), ids[1..2]);

    let held = store
        .held_receipts(Some(&["R0".to_owned()]), 10)
        .await
        .unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].receipt.outcome, ReceiptOutcome::Linked);
    assert_eq!(held[0].receipt.national_number, Some(central));
    assert_eq!(
        held[0].local_national_number.as_deref(),
        Some(&*local_numbers[0])
    );
    assert_eq!(store.held_receipts(None, 10).await.unwrap().len(), 2);

    // Asked, not answered: kept as pending and not asked again on the next pass.
    store
        .mark_outbox(&ids[2..], OutboxState::Acknowledged, &actor)
        .await
        .unwrap();
    assert_eq!(store.receipts_wanted(now, 10).await.unwrap(), ids[2..]);
    store.store_receipts(&ids[2..], &[], &actor).await.unwrap();
    let held = store
        .held_receipts(Some(&["R2".to_owned()]), 10)
        .await
        .unwrap();
    assert_eq!(held[0].receipt.outcome, ReceiptOutcome::Pending);
    assert!(store.receipts_wanted(now, 10).await.unwrap().is_empty());
    assert!(store.verify_audit().await.unwrap().broken.is_none());
}

/// At the central: a packet refused before it was claimed is answered from its quarantine
/// row, to its own device key only.
#[tokio::test]
async fn the_central_answers_for_quarantined_packets_to_their_own_key_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("s.db")).await.unwrap();
    let office = bootstrap::ensure_central_office(&store).await.unwrap();
    let actor = Actor::system(office.code.clone());
    let pid = Uuid::now_v7();
    store
        .quarantine(
            NewQuarantine {
                via: Via::Upload,
                office: Some("DAM-01".into()),
                key_id: Some("k1".into()),
                packet_id: Some(pid),
                sequence: Some(7),
                reason_code: "validation",
                reason: "birth date in the future".into(),
                bytes: vec![1, 2, 3],
            },
            &actor,
        )
        .await
        .unwrap();
    let answer = store
        .central_receipts("k1", &[pid, Uuid::now_v7()])
        .await
        .unwrap();
    assert_eq!(
        answer,
        vec![Receipt {
            packet_id: pid,
            outcome: ReceiptOutcome::Quarantined,
            national_number: None,
            reason_code: Some("validation".into()),
        }]
    );
    assert!(
        store
            .central_receipts("k2", &[pid])
            .await
            .unwrap()
            .is_empty()
    );
}
