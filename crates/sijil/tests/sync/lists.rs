//! The document lists reach a real office node process: a card reported stolen at the central
//! is refused at the office (web API and `sijil verify` on the node's data directory) once the
//! node has synced, and still after the node stops.

use std::time::Duration;

use super::*;
use crate::{e2e::enrolled_pair, proxy::Faults};

#[tokio::test]
async fn a_card_reported_stolen_at_the_central_is_refused_at_the_office_and_by_sijil_verify() {
    let sites = Sites::new();
    // A slow link, though not a cut one: lists cross it like any downlink.
    let faults = Faults {
        bytes_per_sec: 64 * 1024,
        latency: Duration::from_millis(50),
        cut_every: None,
        buffer: Duration::ZERO,
    };
    let mut pair = enrolled_pair(&sites, faults, &[]).await;
    let central = &pair.central_api;

    let record = json!({
        "record_id": "CEN-LISTS-1", "first_name": "سامر", "father_name": "محمد",
        "family_name": "الحلبي", "mother_name": "فاطمة", "sex": "M",
        "birth_date": "1990-04-12", "birth_place": "دمشق",
        "registry_place": "دمشق", "registry_number": "245",
    });
    let (status, reg) = central
        .post(
            "/api/v1/records",
            json!({ "record": record, "evidence": [{"kind": "family_booklet", "reference": "FB-1"}] }),
        )
        .await;
    assert_eq!(status, 201, "{reg}");
    let person = reg["person_id"].as_str().unwrap();
    let (status, card) = central
        .post(&format!("/api/v1/persons/{person}/id-card"), json!({}))
        .await;
    assert_eq!(status, 201, "{card}");
    let qr = card["credential"].as_str().unwrap().to_owned();
    let doc = card["id"].as_str().unwrap();

    let office_says = |qr: String| {
        let api = &pair.office_api;
        async move { api.post("/api/v1/verify", json!({ "qr": qr })).await }
    };
    wait_for(Duration::from_secs(60), "the office's first lists", || {
        let f = office_says(qr.clone());
        async move { f.await.1["valid"] == true }
    })
    .await;

    let (status, _) = central
        .post(
            &format!("/api/v1/documents/{doc}/status"),
            json!({"status": "stolen", "note": "police report 77"}),
        )
        .await;
    assert_eq!(status, 200);
    wait_for(
        Duration::from_secs(60),
        "the stolen card refused at the office",
        || {
            let f = office_says(qr.clone());
            async move {
                let (_, verdict) = f.await;
                verdict["valid"] == false
                    && verdict["findings"]
                        .as_array()
                        .is_some_and(|f| f.iter().any(|f| f["code"] == "reported_stolen"))
            }
        },
    )
    .await;

    // The node's data directory holds the same lists: `sijil verify` there agrees, even with
    // the node and the central both stopped.
    pair.office.take().unwrap().kill();
    pair.central.take().unwrap().kill();
    let out = sijil(&sites.office, &["verify", "--qr", &qr, "--json"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdict["valid"], false);
    assert!(
        verdict["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "reported_stolen"),
        "{verdict}"
    );
}
