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

#[tokio::test]
async fn an_office_with_no_link_takes_the_lists_from_a_file_carried_by_hand() {
    let sites = Sites::new();
    let faults = Faults {
        bytes_per_sec: 64 * 1024,
        latency: Duration::from_millis(50),
        cut_every: None,
        buffer: Duration::ZERO,
    };
    let pair = enrolled_pair(&sites, faults, &[]).await;
    let key = pair.central_api.get("/api/v1/sync/devices").await[0]["key_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The node must have heard the central's answer to its enrolment (it keeps the central's
    // keys from it) before the link goes: its first call as an approved device shows that.
    wait_for(
        Duration::from_secs(60),
        "the office's first call as an approved device",
        || async {
            pair.central_api
                .get("/api/v1/sync/offices")
                .await
                .as_array()
                .is_some_and(|offices| !offices.is_empty())
        },
    )
    .await;
    // The link goes; from now on only a USB stick connects the two.
    pair.link
        .down
        .store(true, std::sync::atomic::Ordering::SeqCst);

    let central = &pair.central_api;
    let qr = card_reported(
        central,
        json!({
            "record_id": "CEN-USB-1", "first_name": "ريم", "father_name": "خالد",
            "family_name": "الشامي", "mother_name": "هدى", "sex": "F",
            "birth_date": "1992-06-01", "birth_place": "حمص",
            "registry_place": "حمص", "registry_number": "77",
        }),
        json!({"status": "lost", "note": "reported at the office"}),
    )
    .await;

    let stick = sites.central.parent().unwrap().join("downlink.json");
    let out = sijil(
        &sites.central,
        &[
            "sync",
            "downlink",
            "--key",
            &key,
            "--out",
            stick.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    // A changed byte, or a file for another node, is refused and changes nothing.
    let text = std::fs::read_to_string(&stick).unwrap();
    let forged = sites.central.parent().unwrap().join("forged.json");
    let at = text.find("\"sealed\":\"").unwrap() + 20;
    let mut bytes = text.clone().into_bytes();
    bytes[at] = if bytes[at] == b'0' { b'1' } else { b'0' };
    std::fs::write(&forged, bytes).unwrap();
    let out = sijil(
        &sites.office,
        &["sync", "take-downlink", forged.to_str().unwrap()],
    );
    assert!(!out.status.success(), "a forged file is refused: {out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        !said.contains("not enrolled"),
        "refused for its forgery: {said}"
    );

    let out = sijil(
        &sites.office,
        &["sync", "take-downlink", stick.to_str().unwrap()],
    );
    assert!(out.status.success(), "{out:?}");
    // The running node picks the lists up from its store; `sijil verify` reads the files.
    let office = &pair.office_api;
    wait_for(
        Duration::from_secs(30),
        "the lost card refused at the office",
        || {
            let qr = qr.clone();
            async move {
                let (_, verdict) = office.post("/api/v1/verify", json!({ "qr": qr })).await;
                verdict["valid"] == false
            }
        },
    )
    .await;
    let out = sijil(&sites.office, &["verify", "--qr", &qr]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    // Taking the same file again changes nothing.
    let out = sijil(
        &sites.office,
        &["sync", "take-downlink", stick.to_str().unwrap()],
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(" 0 new"),
        "{out:?}"
    );

    // Another card is reported stolen. The office writes what it holds to the stick; the
    // central answers with the changes since then only: a signed delta, not the whole list.
    let qr2 = card_reported(
        central,
        json!({
            "record_id": "CEN-USB-2", "first_name": "باسل", "father_name": "أحمد",
            "family_name": "العلي", "mother_name": "سلمى", "sex": "M",
            "birth_date": "1980-02-14", "birth_place": "حماة",
            "registry_place": "حماة", "registry_number": "12",
        }),
        json!({"status": "stolen", "note": "police report 78"}),
    )
    .await;
    let request = sites.central.parent().unwrap().join("request.json");
    let out = sijil(
        &sites.office,
        &[
            "sync",
            "downlink-request",
            "--out",
            request.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let delta_stick = sites.central.parent().unwrap().join("delta.json");
    let out = sijil(
        &sites.central,
        &[
            "sync",
            "downlink",
            "--key",
            &key,
            "--request",
            request.to_str().unwrap(),
            "--out",
            delta_stick.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let whole_len = std::fs::metadata(&stick).unwrap().len();
    let delta_len = std::fs::metadata(&delta_stick).unwrap().len();
    assert!(
        delta_len * 2 < whole_len,
        "the delta file ({delta_len} B) is far smaller than the whole one ({whole_len} B)"
    );
    // A request for another key is refused at the central.
    let out = sijil(
        &sites.central,
        &[
            "sync",
            "downlink",
            "--key",
            "not-this-key",
            "--request",
            request.to_str().unwrap(),
            "--out",
            forged.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success(), "{out:?}");

    let out = sijil(
        &sites.office,
        &["sync", "take-downlink", delta_stick.to_str().unwrap()],
    );
    assert!(out.status.success(), "{out:?}");
    // `sijil verify` reads the whole list and the signed delta kept beside it.
    assert!(sites.office.join("revocations.deltas").exists());
    let out = sijil(&sites.office, &["verify", "--qr", &qr2, "--json"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        verdict["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "reported_stolen"),
        "{verdict}"
    );
    // The same delta file again, or the older whole list, changes nothing.
    for file in [&delta_stick, &stick] {
        let out = sijil(
            &sites.office,
            &["sync", "take-downlink", file.to_str().unwrap()],
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(" 0 new"),
            "{out:?}"
        );
    }
    let out = sijil(&sites.office, &["verify", "--qr", &qr2]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

/// Registers `record` at the central, issues an ID card and reports it (`status`); returns the
/// card's QR text.
async fn card_reported(central: &Api, record: Value, status: Value) -> String {
    let (code, reg) = central
        .post(
            "/api/v1/records",
            json!({ "record": record, "evidence": [{"kind": "family_booklet", "reference": "FB-USB"}] }),
        )
        .await;
    assert_eq!(code, 201, "{reg}");
    let person = reg["person_id"].as_str().unwrap();
    let (_, card) = central
        .post(&format!("/api/v1/persons/{person}/id-card"), json!({}))
        .await;
    let (code, _) = central
        .post(
            &format!("/api/v1/documents/{}/status", card["id"].as_str().unwrap()),
            status,
        )
        .await;
    assert_eq!(code, 200);
    card["credential"].as_str().unwrap().to_owned()
}
