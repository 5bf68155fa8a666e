//! The card page's PNG download (issue 6, "Print"): the link is on the page, the image is the
//! card with its QR code, and the code it carries verifies on the verification page.

use reqwest::StatusCode;
use sijil_docs::decode_qr_image;

use crate::helpers::*;

#[tokio::test]
async fn the_card_page_offers_a_png_whose_code_verifies() {
    let app = spawn_app().await;
    let mut clerk = app.user_with_role("clerk.one", "clerk").await;
    let r = register(&mut clerk, &person_form("سامر")).await;
    let person = person_link(&r.text().await.unwrap());
    let r = clerk
        .submit(&person, &format!("{person}/id-card"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let card_path = r.headers()["location"].to_str().unwrap().to_owned();

    let page = clerk.page(&card_path).await;
    let link = format!("id=\"card-png\" href=\"{card_path}/card.png\"");
    assert!(page.contains(&link), "download link on the card page");
    assert!(page.contains("تنزيل صورة البطاقة"), "labelled in Arabic");

    let r = clerk.get(&format!("{card_path}/card.png")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["cache-control"], "private, no-store");
    let png = r.bytes().await.unwrap();
    let code = decode_qr_image(&png).unwrap();
    let verdict = clerk
        .submit("/verify", "/verify", &[("code", &code)])
        .await
        .text()
        .await
        .unwrap();
    assert!(verdict.contains("verdict valid"), "{verdict}");

    assert_eq!(
        clerk
            .get(&format!("{card_path}/card.png?dpi=9000"))
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    // Signed out: no image.
    let mut stranger = app.session();
    let r = stranger.get(&format!("{card_path}/card.png")).await;
    assert_ne!(r.status(), StatusCode::OK);
}
