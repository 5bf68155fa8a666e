//! The printed card as a PNG image through the API (issue 6, "Print"): the image is a PNG of
//! ID-1 size, its QR code reads back to the card's signed credential, it is never cached, and
//! downloading it is a read of the person that the audit log records.

use serde_json::Value;
use sijil_docs::decode_qr_image;

use crate::helpers::spawn_app;

fn png_size(png: &[u8]) -> (u32, u32) {
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

#[tokio::test]
async fn an_issued_card_downloads_as_a_png_whose_code_is_its_credential() {
    let app = spawn_app().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let (reg, card) = app.person_with_card(&clerk).await;
    let person_id = reg["person_id"].as_str().unwrap();
    let doc_id = card["id"].as_str().unwrap();
    let path = format!("/api/v1/documents/{doc_id}/card.png");

    let r = app.get(&path, &clerk).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["cache-control"], "private, no-store");
    let png = r.bytes().await.unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // Both sides at 300 dpi: 1011 wide, two sides of 638 and a 4 mm gap.
    assert_eq!(png_size(&png), (1011, 2 * 638 + 47));
    assert_eq!(
        decode_qr_image(&png).unwrap(),
        card["credential"].as_str().unwrap()
    );

    // One side at another resolution; the front has no code.
    let back = app.get(&format!("{path}?side=back&dpi=200"), &clerk).await;
    let back = back.bytes().await.unwrap();
    assert_eq!(png_size(&back), (674, 425));
    assert_eq!(
        decode_qr_image(&back).unwrap(),
        card["credential"].as_str().unwrap()
    );
    let front = app.get(&format!("{path}?side=front"), &clerk).await;
    assert_eq!(png_size(&front.bytes().await.unwrap()), (1011, 638));

    // The download read the person, and the audit log says who.
    let auditor = app.user_with_role("auditor.one", "auditor").await;
    let log: Value = app
        .get(
            &format!("/api/v1/audit?subject=person:{person_id}"),
            &auditor,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log[0]["action"], "person.read");
    assert_eq!(log[0]["actor"], "clerk.one");
}

#[tokio::test]
async fn a_card_image_is_refused_for_bad_options_strangers_and_unknown_documents() {
    let app = spawn_app().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let (_, card) = app.person_with_card(&clerk).await;
    let path = format!(
        "/api/v1/documents/{}/card.png",
        card["id"].as_str().unwrap()
    );
    for query in ["side=top", "dpi=100", "dpi=601", "dpi=abc", "dpi=-1"] {
        let r = app.get(&format!("{path}?{query}"), &clerk).await;
        assert_eq!(r.status(), 400, "{query}");
        let body: Value = r.json().await.unwrap();
        assert!(body["error"]["message_en"].is_string(), "{body}");
    }
    let r = reqwest::get(app.url(&path)).await.unwrap();
    assert_eq!(r.status(), 401);
    let r = app
        .get(
            "/api/v1/documents/00000000-0000-7000-8000-000000000000/card.png",
            &clerk,
        )
        .await;
    assert_eq!(r.status(), 404);
    let r = app
        .get("/api/v1/documents/not-an-id/card.png", &clerk)
        .await;
    assert_eq!(r.status(), 404);
}
