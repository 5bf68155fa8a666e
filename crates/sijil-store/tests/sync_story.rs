//! The sync tables through [`SyncStore`], on SQLite: states only move forward, each decision is
//! taken once, and every write lands in an intact audit chain.

use sijil_core::{Capture, OfficeCode, RecordRow};
use sijil_store::{
    Actor, ContactDelta, Decision, DeviceStatus, DownlinkEntry, InboxClaim, InboxState, Link,
    ListDeltaRow, NewDevice, NewOutboxPacket, NewQuarantine, NewSourceRecord, OutboxState,
    Resolution, Store, StoreError, SyncStore, Via, bootstrap, sqlite::SqliteStore,
};
use time::{OffsetDateTime, macros::date};
use uuid::Uuid;

async fn store() -> (tempfile::TempDir, SqliteStore, Actor) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("s.db")).await.unwrap();
    let office = bootstrap::ensure_central_office(&store).await.unwrap();
    (dir, store, Actor::system(office.code))
}

#[tokio::test]
async fn the_outbox_holds_one_packet_per_record_and_only_moves_forward() {
    let (_dir, store, actor) = store().await;
    let office = actor.office.clone();
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
                office: office.clone(),
                officer: actor.username.clone(),
                captured_at: OffsetDateTime::now_utc(),
                evidence: vec![],
            },
        };
        let decision = Decision::plain(Link::NewPerson, "test");
        store.register_record(new, decision, &actor).await.unwrap();
    }
    let unsealed = store.unsealed_records(&office, 10).await.unwrap();
    assert_eq!(unsealed.len(), 3);
    assert_eq!(store.next_sequence("k1").await.unwrap(), 1);
    let packets: Vec<NewOutboxPacket> = unsealed
        .iter()
        .enumerate()
        .map(|(i, r)| NewOutboxPacket {
            record_seq: r.record_seq,
            key_id: "k1".into(),
            sequence: i as u64 + 1,
            packet_id: Uuid::now_v7(),
            bytes: vec![i as u8; 10],
        })
        .collect();
    let ids: Vec<Uuid> = packets.iter().map(|p| p.packet_id).collect();
    store.add_to_outbox(packets.clone(), &actor).await.unwrap();
    assert!(
        store
            .unsealed_records(&office, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.next_sequence("k1").await.unwrap(), 4);
    // The same record cannot be sealed twice, and a failed batch leaves nothing.
    let again = store.add_to_outbox(vec![packets[0].clone()], &actor).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");

    assert_eq!(
        store
            .mark_outbox(&ids[..2], OutboxState::Acknowledged, &actor)
            .await
            .unwrap(),
        2
    );
    // Never back: acknowledged packets do not return to sent.
    assert_eq!(
        store
            .mark_outbox(&ids, OutboxState::Sent, &actor)
            .await
            .unwrap(),
        1
    );
    let c = store.outbox_counts(&office).await.unwrap();
    assert_eq!(
        (c.unsealed, c.pending, c.sent, c.acknowledged),
        (0, 0, 1, 2)
    );
    assert_eq!(c.pending_bytes, 10);
    assert!(store.verify_audit().await.unwrap().broken.is_none());
}

#[tokio::test]
async fn devices_inbox_quarantine_and_uploads_at_the_central() {
    let (_dir, store, actor) = store().await;
    let dam = OfficeCode::parse("DAM-01").unwrap();
    let new = NewDevice {
        key_id: "abcd".into(),
        office: dam.clone(),
        public_key: "00".repeat(32),
        label: "laptop".into(),
    };
    let d = store.request_device(new.clone(), &actor).await.unwrap();
    assert_eq!(d.status, DeviceStatus::Requested);
    // Asking again is harmless; the same key for another office is refused.
    store.request_device(new.clone(), &actor).await.unwrap();
    let other = NewDevice {
        office: OfficeCode::parse("ALP-02").unwrap(),
        ..new
    };
    assert!(matches!(
        store.request_device(other, &actor).await,
        Err(StoreError::Conflict(_))
    ));
    let d = store
        .decide_device("abcd", DeviceStatus::Approved, &actor)
        .await
        .unwrap();
    assert_eq!(d.decided_by.as_deref(), Some("system"));

    let pid = Uuid::now_v7();
    let claim = InboxClaim {
        packet_id: pid,
        key_id: "abcd".into(),
        sequence: 1,
        office: dam.clone(),
        record_id: "R1".into(),
        via: Via::Upload,
        bytes: 300,
        received: (1, vec![]),
    };
    store.claim_inbox(claim.clone(), &actor).await.unwrap();
    assert!(matches!(
        store.claim_inbox(claim, &actor).await,
        Err(StoreError::Conflict(_))
    ));
    let e = store.inbox_entry(pid, "abcd", 1).await.unwrap().unwrap();
    assert_eq!(e.state, InboxState::Applying);
    store
        .finish_inbox(pid, InboxState::Accepted, None, &actor)
        .await
        .unwrap();
    // Found by (key, sequence) too: a second packet reusing the sequence is visible.
    let e = store
        .inbox_entry(Uuid::now_v7(), "abcd", 1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((e.packet_id, e.state), (pid, InboxState::Accepted));
    assert_eq!(
        store
            .device("abcd")
            .await
            .unwrap()
            .unwrap()
            .received_contiguous,
        1
    );

    let qid = store
        .quarantine(
            NewQuarantine {
                via: Via::File,
                office: Some("DAM-01".into()),
                key_id: None,
                packet_id: Some(pid),
                sequence: None,
                reason_code: "bad_signature",
                reason: "bad signature".into(),
                bytes: vec![1, 2, 3],
            },
            &actor,
        )
        .await
        .unwrap();
    assert!(store.packet_quarantined(pid).await.unwrap());
    assert_eq!(store.quarantined(false, 10).await.unwrap().len(), 1);
    let q = store
        .resolve_quarantine(qid, Resolution::Discarded, "forged", &actor)
        .await
        .unwrap();
    assert_eq!(q.resolution.as_deref(), Some("discarded"));
    assert!(matches!(
        store
            .resolve_quarantine(qid, Resolution::Released, "", &actor)
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(store.quarantined(false, 10).await.unwrap().is_empty());
    assert_eq!(store.quarantined_bytes(qid).await.unwrap(), vec![1, 2, 3]);

    let up = store.create_upload("abcd", 100, &actor).await.unwrap();
    store.save_upload(up, 40, &[9, 9], &actor).await.unwrap();
    assert!(matches!(
        store.save_upload(up, 10, &[], &actor).await,
        Err(StoreError::Conflict(_))
    ));
    let u = store.upload(up).await.unwrap();
    assert_eq!((u.offset, u.partial), (40, vec![9, 9]));

    store
        .record_contact(
            "DAM-01",
            ContactDelta {
                packets: 1,
                bytes: 300,
                ..ContactDelta::default()
            },
        )
        .await
        .unwrap();
    let c = store.contacts().await.unwrap();
    assert_eq!((c[0].packets, c[0].bytes, c[0].missing), (1, 300, 0));

    let v = store
        .publish_downlink("alert", serde_json::json!({"n": 1}), &actor)
        .await
        .unwrap();
    assert_eq!(store.downlink_since(v - 1, 10).await.unwrap().len(), 1);
    assert!(store.downlink_since(v, 10).await.unwrap().is_empty());
    // A newer alert list replaces the older for a node that has neither; other kinds stay.
    let code = store
        .publish_downlink("code_list", serde_json::json!({"n": 2}), &actor)
        .await
        .unwrap();
    let newer = store
        .publish_downlink("alert", serde_json::json!({"n": 3}), &actor)
        .await
        .unwrap();
    let versions: Vec<i64> = store
        .downlink_since(v - 1, 10)
        .await
        .unwrap()
        .iter()
        .map(|e| e.version)
        .collect();
    assert_eq!(versions, vec![code, newer]);
    let latest = store.latest_published("alert").await.unwrap().unwrap();
    assert_eq!(
        (latest.version, latest.payload["n"].as_i64()),
        (newer, Some(3))
    );
    assert!(
        store
            .latest_published("revocation")
            .await
            .unwrap()
            .is_none()
    );

    // The node's side keeps what it received; the newest of a kind is what it verifies with.
    let received: Vec<DownlinkEntry> =
        [(7, "revocation", 1), (9, "alert", 2), (8, "revocation", 3)]
            .into_iter()
            .map(|(version, kind, n)| DownlinkEntry {
                version,
                kind: kind.into(),
                payload: serde_json::json!({ "n": n }),
            })
            .collect();
    store.store_downlink(&received, &actor).await.unwrap();
    store.store_downlink(&received[..1], &actor).await.unwrap();
    let held = store.latest_received("revocation").await.unwrap().unwrap();
    assert_eq!((held.version, held.payload["n"].as_i64()), (8, Some(3)));
    assert!(store.latest_received("code_list").await.unwrap().is_none());
    assert!(store.verify_audit().await.unwrap().broken.is_none());
}

#[tokio::test]
async fn list_deltas_are_kept_in_order_pruned_by_version_and_whole_lists_kept_once() {
    let (_dir, store, actor) = store().await;
    let row = |version: i64| ListDeltaRow {
        kind: "revocation".into(),
        version,
        base_version: version - 10,
        base_digest: format!("{version:064x}"),
        bytes: vec![version as u8; 3],
    };
    for v in [30, 20, 40] {
        store.add_list_delta(row(v), &actor).await.unwrap();
    }
    // The same version again is left as it was.
    let mut again = row(20);
    again.bytes = vec![0; 9];
    store.add_list_delta(again, &actor).await.unwrap();
    let held = store.list_deltas("revocation", 0).await.unwrap();
    assert_eq!(held, vec![row(20), row(30), row(40)]);
    assert_eq!(
        store.list_deltas("revocation", 30).await.unwrap(),
        vec![row(40)]
    );
    assert!(store.list_deltas("alert", 0).await.unwrap().is_empty());
    // A delta for a kind that is not a list is refused by the table.
    let mut bad = row(50);
    bad.kind = "code_list".into();
    assert!(store.add_list_delta(bad, &actor).await.is_err());

    assert_eq!(
        store
            .prune_list_deltas("revocation", 30, &actor)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        store.list_deltas("revocation", 0).await.unwrap(),
        vec![row(40)]
    );
    assert_eq!(
        store
            .prune_list_deltas("revocation", 30, &actor)
            .await
            .unwrap(),
        0
    );

    for n in 1..=3 {
        store
            .publish_downlink("revocation", serde_json::json!({ "n": n }), &actor)
            .await
            .unwrap();
    }
    store
        .publish_downlink("code_list", serde_json::json!({ "n": 9 }), &actor)
        .await
        .unwrap();
    assert_eq!(
        store
            .drop_superseded_lists("revocation", &actor)
            .await
            .unwrap(),
        2
    );
    let latest = store.latest_published("revocation").await.unwrap().unwrap();
    assert_eq!(latest.payload["n"], 3);
    assert_eq!(
        store.latest_published_version("revocation").await.unwrap(),
        Some(latest.version)
    );
    assert_eq!(store.latest_published_version("alert").await.unwrap(), None);
    assert_eq!(
        store
            .drop_superseded_lists("revocation", &actor)
            .await
            .unwrap(),
        0
    );
    // Other kinds are untouched, and the audit chain still verifies after the deletions.
    assert_eq!(store.downlink_since(0, 10).await.unwrap().len(), 2);
    assert!(store.verify_audit().await.unwrap().broken.is_none());
}
