//! The receipts answer (which national number each of a node's records got at the central) is
//! sealed to the node that asked: the link shows neither numbers nor outcomes, another device
//! cannot open it, and it opens only as the answer to its own question.

use std::time::Duration;

use serde_json::{Value, json};
use sijil_server::sync::client::{CentralClient, ReceiptsRequest};
use sijil_sync::DeviceSigningKey;
use uuid::Uuid;

use crate::helpers::spawn_central;

#[tokio::test]
async fn a_receipts_answer_is_sealed_to_the_device_that_asked() {
    let (central, _) = spawn_central(true).await;
    let admin = central.admin_token().await;
    let client = CentralClient::new(&central.address, Duration::from_secs(10));
    let device = DeviceSigningKey::generate();
    client
        .enrol(
            "DAM-01",
            &hex::encode(device.verifying_key().as_bytes()),
            "test node",
        )
        .await
        .unwrap();
    let key_id = device.id().to_string();
    let question = |device: &DeviceSigningKey| {
        let body = serde_json::to_vec(&ReceiptsRequest {
            key_id: key_id.clone(),
            packet_ids: vec![Uuid::now_v7()],
            nonce: Uuid::now_v7(),
        })
        .unwrap();
        let sig = hex::encode(device.sign_request(&body).to_bytes());
        (body, sig)
    };

    // Not approved yet: nothing is answered.
    let (body, sig) = question(&device);
    assert!(client.receipts(body, &sig).await.is_err());
    let r = central
        .post(
            &format!("/api/v1/sync/devices/{key_id}/approve"),
            &admin,
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    let (body, sig) = question(&device);
    let (sealed, _) = client.receipts(body.clone(), &sig).await.unwrap();
    assert!(
        serde_json::from_slice::<Value>(&sealed).is_err(),
        "not in clear"
    );
    assert!(!sealed.windows(8).any(|w| w == b"receipts"));
    let answer = sijil_sync::downlink::open_receipts(&device, &body, &sealed).unwrap();
    let answer: Value = serde_json::from_slice(&answer).unwrap();
    assert_eq!(
        answer["receipts"],
        json!([]),
        "an unknown packet has no receipt"
    );

    let stranger = DeviceSigningKey::generate();
    assert!(sijil_sync::downlink::open_receipts(&stranger, &body, &sealed).is_err());
    let (other_question, _) = question(&device);
    assert!(
        sijil_sync::downlink::open_receipts(&device, &other_question, &sealed).is_err(),
        "an answer opens only for its own question"
    );
    // A question signed by another key in this key's name is refused.
    let (body, sig) = question(&stranger);
    assert!(client.receipts(body, &sig).await.is_err());
}
