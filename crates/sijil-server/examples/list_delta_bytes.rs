//! Downlink bytes for the revocation list, whole and as a delta (issue 5): what a node holding
//! a 100,000-card list receives when one more card is reported stolen, before (the whole list
//! again) and now (one signed delta), and what a node with no list receives.
//!
//! The answers are built from the same structures the central sends (`DownlinkBody` with a
//! `ListUpdate`, the whole-list entry with its trust list) and sealed to a device key as the
//! central seals them; HTTP headers are not counted. Run:
//!
//! ```sh
//! cargo run --release -p sijil-server --example list_delta_bytes [-- CARDS]
//! ```

use base64::{Engine as _, engine::general_purpose::STANDARD as BASE64};
use ed25519_dalek::SigningKey;
use sijil_docs::{
    KeyId, KeyUsage, RevocationList, RevocationReason, TrustList, TrustedKey,
    credential::delta::{ListDelta, content_digest},
};
use sijil_server::sync::{
    client::DownlinkBody, downlink_context_for, list_deltas::ListUpdate, list_deltas::ListsHeld,
};
use sijil_store::DownlinkEntry;
use sijil_sync::DeviceSigningKey;
use time::{Duration, OffsetDateTime};

fn main() {
    let cards: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let now = OffsetDateTime::now_utc();
    let list_key = SigningKey::from_bytes(&[9; 32]);
    let kid = KeyId::new(b"SY-LIST-20261129-1".to_vec()).expect("short");
    let mut trust = TrustList::new();
    trust.insert(TrustedKey::new(
        KeyId::new(b"SY-ID-20261129-1".to_vec()).expect("short"),
        SigningKey::from_bytes(&[1; 32]).verifying_key(),
        KeyUsage::Credentials,
        now,
    ));
    trust.insert(TrustedKey::new(
        kid.clone(),
        list_key.verifying_key(),
        KeyUsage::Lists,
        now,
    ));
    let trust_json = trust.to_json();

    // Card numbers as the central writes them (a letter and eight digits), reasons mixed.
    let v1_version = 1_795_000_000_000u64;
    let mut v1 = RevocationList::new(v1_version, now);
    for i in 0..cards {
        let reason = [
            RevocationReason::Cancelled,
            RevocationReason::Lost,
            RevocationReason::Stolen,
        ][i % 3];
        v1.revoke_document_for(format!("A{i:08}"), reason);
    }
    let mut v2 = v1.clone();
    (v2.version, v2.issued_at) = (v1_version + 60_000, now + Duration::minutes(1));
    v2.revoke_document_for("B00000001", RevocationReason::Stolen);

    let whole = v2.sign(&list_key, &kid);
    let delta = ListDelta::between(&v1, &v2).sign(&list_key, &kid);
    let whole_entry = DownlinkEntry {
        version: 42,
        kind: "revocation".into(),
        payload: serde_json::json!({
            "trust_list": trust_json,
            "list": BASE64.encode(&whole),
            "version": v2.version,
            "digest": hex::encode(content_digest(&v2)),
        }),
    };
    let device = DeviceSigningKey::generate();
    let key_id = device.id().to_string();
    let held_v1 = ListsHeld {
        revocation: Some(format!(
            "{}:{}",
            v1.version,
            hex::encode(content_digest(&v1))
        )),
        alert: Some("0".into()),
    };
    let cases: [(&str, DownlinkBody, ListsHeld); 3] = [
        (
            "before: node at v1, whole list again",
            DownlinkBody {
                entries: vec![whole_entry.clone()],
                lists: Vec::new(),
            },
            ListsHeld::default(),
        ),
        (
            "now: node at v1, one delta",
            DownlinkBody {
                entries: Vec::new(),
                lists: vec![ListUpdate {
                    kind: "revocation".into(),
                    whole: None,
                    deltas: vec![BASE64.encode(&delta)],
                }],
            },
            held_v1,
        ),
        (
            "now: node with no list (version 0)",
            DownlinkBody {
                entries: Vec::new(),
                lists: vec![ListUpdate {
                    kind: "revocation".into(),
                    whole: Some(whole_entry.clone()),
                    deltas: Vec::new(),
                }],
            },
            ListsHeld::nothing(),
        ),
    ];
    println!(
        "revocation list of {cards} cards: whole COSE {} B, delta COSE {} B",
        whole.len(),
        delta.len()
    );
    println!("| case | sealed answer, bytes | at 64 kbit/s | at 9.6 kbit/s |");
    println!("|---|---:|---:|---:|");
    for (name, body, held) in cases {
        let body = serde_json::to_vec(&body).expect("serialises");
        let sealed = sijil_sync::downlink::seal_to_device(
            &device.verifying_key(),
            &downlink_context_for(7, &key_id, &held),
            &body,
        );
        let bits = sealed.len() as f64 * 8.0;
        println!(
            "| {name} | {} | {:.1} s | {:.1} s |",
            sealed.len(),
            bits / 64_000.0,
            bits / 9_600.0
        );
    }
}
