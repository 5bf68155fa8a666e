//! Provisional national numbers reconciled: an office issues numbers from its own series, the
//! central resolves each record against the whole registry; the office learns the outcome
//! (receipts) and shows the central's number.

use std::time::Duration;

use serde_json::{Value, json};

use super::*;
use crate::{
    e2e::{OFFICE_ARGS, enrolled_pair},
    proxy::Faults,
};

fn person(record_id: &str, first: &str, family: &str, birth: &str) -> Value {
    json!({
        "record": {
            "record_id": record_id,
            "first_name": first,
            "father_name": "عبد الرحمن",
            "grandfather_name": "مصطفى",
            "family_name": family,
            "mother_name": "آمنة",
            "sex": "M",
            "birth_date": birth,
            "birth_place": "حلب",
            "registry_place": "حلب",
            "registry_number": "4711",
        },
        "evidence": [{"kind": "family_booklet", "reference": format!("FB-{record_id}")}],
    })
}

async fn receipt(api: &Api, record_id: &str) -> Option<Value> {
    let list = api
        .get(&format!("/api/v1/sync/receipts?record_id={record_id}"))
        .await;
    list.as_array().unwrap().first().cloned()
}

/// A person the central already has, registered again at an office (which gives a local,
/// provisional number), ends up shown at the office with the central's number; a person new
/// to the central gets the central's own number.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_the_central_already_has_shows_the_central_number_at_the_office() {
    let sites = Sites::new();
    let faults = Faults {
        bytes_per_sec: 1 << 20,
        latency: Duration::from_millis(5),
        cut_every: None,
        buffer: Duration::ZERO,
    };
    let p = enrolled_pair(&sites, faults, OFFICE_ARGS).await;
    let (status, at_central) = p
        .central_api
        .post(
            "/api/v1/records",
            person("CEN-0001", "ياسر", "القباني", "1971-03-14"),
        )
        .await;
    assert_eq!(status, 201, "{at_central}");
    let central_number = at_central["national_number"].as_str().unwrap().to_owned();

    let (status, at_office) = p
        .office_api
        .post(
            "/api/v1/records",
            person("DAM-01-R-1", "ياسر", "القباني", "1971-03-14"),
        )
        .await;
    assert_eq!(status, 201, "{at_office}");
    let local_number = at_office["national_number"].as_str().unwrap().to_owned();
    assert_ne!(local_number, central_number, "two series, two numbers");
    let (status, other) = p
        .office_api
        .post(
            "/api/v1/records",
            person("DAM-01-R-2", "نزار", "الكواكبي", "1990-11-02"),
        )
        .await;
    assert_eq!(status, 201, "{other}");

    wait_for(Duration::from_secs(60), "both receipts", || async {
        receipt(&p.office_api, "DAM-01-R-1").await.is_some()
            && receipt(&p.office_api, "DAM-01-R-2").await.is_some()
    })
    .await;
    let linked = receipt(&p.office_api, "DAM-01-R-1").await.unwrap();
    assert_eq!(linked["outcome"], "linked", "{linked}");
    assert_eq!(
        linked["national_number"],
        central_number.as_str(),
        "{linked}"
    );
    assert_eq!(
        linked["local_national_number"],
        local_number.as_str(),
        "{linked}"
    );

    // Shown where clerks look: the person page and the sync page at the office.
    let person = at_office["person_id"].as_str().unwrap();
    let page = p.office_api.page(&format!("/people/{person}")).await;
    assert!(
        page.contains(&central_number),
        "the person page shows the central's number"
    );
    let page = p.office_api.page("/sync").await;
    assert!(page.contains(&central_number) && page.contains(&local_number));

    let new = receipt(&p.office_api, "DAM-01-R-2").await.unwrap();
    assert_eq!(new["outcome"], "new", "{new}");
    let new_number = new["national_number"].as_str().unwrap();
    assert_ne!(new_number, central_number);
    assert_ne!(
        new_number, other["national_number"],
        "the central issues its own number"
    );
    // Unsigned questions get nothing at the central.
    let resp = reqwest::Client::new()
        .post(format!("{}/api/v1/sync/receipts", p.central_api.base))
        .json(&json!({ "key_id": "00", "packet_ids": [], "nonce": "0190b2c4-0000-7000-8000-000000000000" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 403);
}
