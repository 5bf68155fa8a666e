//! The checkpoint's verdict (issue 6): every finding about a document, with the holder.

mod common;

use common::{issued_at, key, kid, trust, typical_claims};
use sijil_docs::{
    AlertList, RevocationList, RevocationReason, Verifier, issue_card_credential,
    verify::{Authenticity, Checked, Failure, Finding},
};
use time::{Duration, macros::date};

fn lists() -> (RevocationList, AlertList) {
    (
        RevocationList::new(1, issued_at()),
        AlertList::new(1, issued_at()),
    )
}

#[test]
fn a_genuine_card_is_valid_and_names_its_holder() {
    let trust = trust();
    let (rev, alerts) = lists();
    let v = Verifier {
        trust: &trust,
        revocations: &rev,
        alerts: &alerts,
    };
    let text = issue_card_credential(&typical_claims(), &key(1), &kid("SY-ID-1"), issued_at());
    let verdict = v.check_qr(&text, issued_at() + Duration::days(1));
    assert!(verdict.is_valid(), "{verdict:?}");
    assert!(matches!(verdict.authenticity, Authenticity::Signed { .. }));
    let holder = verdict.holder.unwrap();
    assert_eq!(holder.name_ar.as_deref(), Some("محمد عبد الرحمن الحلبي"));
    assert_eq!(holder.national_number.as_deref(), Some("01021234569"));
    assert_eq!(verdict.document_number.as_deref(), Some("A12345678"));
}

#[test]
fn every_altered_character_and_a_foreign_key_are_refused_with_a_reason() {
    let trust = trust();
    let (rev, alerts) = lists();
    let v = Verifier {
        trust: &trust,
        revocations: &rev,
        alerts: &alerts,
    };
    let now = issued_at() + Duration::days(1);
    let text = issue_card_credential(&typical_claims(), &key(1), &kid("SY-ID-1"), issued_at());
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    for i in 0..text.len() {
        let mut bytes = text.clone().into_bytes();
        let at = ALPHABET.iter().position(|&c| c == bytes[i]).unwrap();
        bytes[i] = ALPHABET[(at + 1) % ALPHABET.len()];
        let verdict = v.check_qr(std::str::from_utf8(&bytes).unwrap(), now);
        assert!(
            matches!(verdict.authenticity, Authenticity::Failed(_)),
            "character {i} altered yet accepted"
        );
        assert!(verdict.holder.is_none(), "no holder shown for a forgery");
    }
    // Same key id, another key: the signature does not match.
    let forged = issue_card_credential(&typical_claims(), &key(7), &kid("SY-ID-1"), issued_at());
    let verdict = v.check_qr(&forged, now);
    assert!(matches!(
        verdict.authenticity,
        Authenticity::Failed(Failure::BadSignature(_))
    ));
    let unknown = issue_card_credential(&typical_claims(), &key(1), &kid("SY-ID-X"), issued_at());
    assert_eq!(
        v.check_qr(&unknown, now).to_json()["failure"]["code"],
        "unknown_key"
    );
}

#[test]
fn an_expired_stolen_card_of_a_wanted_person_shows_all_three() {
    let trust = trust();
    let mut rev = RevocationList::new(4, issued_at());
    rev.revoke_document_for("A12345678", RevocationReason::Stolen);
    let mut alerts = AlertList::new(2, issued_at());
    alerts.add("01021234569", "wanted");
    let v = Verifier {
        trust: &trust,
        revocations: &rev,
        alerts: &alerts,
    };
    let text = issue_card_credential(&typical_claims(), &key(1), &kid("SY-ID-1"), issued_at());
    let verdict = v.check_qr(&text, issued_at() + Duration::days(365 * 11));
    assert!(!verdict.is_valid());
    let codes: Vec<_> = verdict.findings.iter().map(Finding::code).collect();
    assert_eq!(codes, ["expired", "reported_stolen", "under_alert"]);
    assert!(
        verdict.holder.is_some(),
        "a genuine expired card still names its holder"
    );
    assert_eq!(verdict.to_json()["revocation_list_version"], 4);
}

#[test]
fn a_zone_is_checked_for_digits_expiry_revocation_and_alerts() {
    let trust = trust();
    let claims = typical_claims();
    let zone = claims.td1_zone().unwrap();
    let (rev, alerts) = lists();
    let v = Verifier {
        trust: &trust,
        revocations: &rev,
        alerts: &alerts,
    };
    let verdict = v.check_mrz(&zone, date!(2027 - 01 - 01));
    assert!(verdict.is_valid(), "{verdict:?}");
    assert_eq!(
        verdict.checked,
        Checked::Mrz(sijil_docs::mrz::MrzFormat::Td1)
    );
    assert_eq!(verdict.authenticity, Authenticity::ConsistentZone);
    let holder = verdict.holder.unwrap();
    assert_eq!(holder.national_number.as_deref(), Some("01021234569"));
    assert_eq!(holder.birth_date.as_deref(), Some("1985-03-17"));

    let expired = v.check_mrz(&zone, date!(2036 - 11 - 29));
    assert_eq!(
        expired.findings,
        [Finding::Expired {
            on: date!(2036 - 11 - 28)
        }]
    );
    assert!(v.check_mrz(&zone, date!(2036 - 11 - 28)).is_valid());

    let mut rev = RevocationList::new(2, issued_at());
    rev.revoke_document_for("A12345678", RevocationReason::Lost);
    let mut alerts = AlertList::new(2, issued_at());
    alerts.add("01021234569", "travel-ban");
    let v = Verifier {
        trust: &trust,
        revocations: &rev,
        alerts: &alerts,
    };
    let verdict = v.check_mrz(&zone, date!(2027 - 01 - 01));
    let codes: Vec<_> = verdict.findings.iter().map(Finding::code).collect();
    assert_eq!(codes, ["reported_lost", "under_alert"]);

    // One digit of the date of birth changed: the check digit catches it.
    let line2_start = zone.find('\n').unwrap() + 1;
    let mut bad = zone.clone().into_bytes();
    bad[line2_start + 5] = if bad[line2_start + 5] == b'7' {
        b'8'
    } else {
        b'7'
    };
    let verdict = v.check_mrz(std::str::from_utf8(&bad).unwrap(), date!(2027 - 01 - 01));
    assert!(matches!(
        verdict.authenticity,
        Authenticity::Failed(Failure::BadZone(_))
    ));
    assert!(!verdict.is_valid());
}

#[test]
fn a_passport_zone_names_its_holder_and_is_refused_once_reported_stolen() {
    use sijil_docs::mrz::{MrzData, MrzDate, MrzName};
    let claims = typical_claims();
    let zone = MrzData {
        document_code: "P<".into(),
        issuing_state: "SYR".into(),
        name: MrzName::transliterate("الحلبي", "محمد عبد الرحمن").unwrap(),
        document_number: "N00000042".into(),
        nationality: "SYR".into(),
        birth_date: MrzDate::from_partial(&claims.birth_date),
        sex: claims.sex,
        expiry_date: MrzDate::from_date(date!(2032 - 11 - 28)),
        optional_data: claims.national_number.as_str().into(),
        optional_data_2: String::new(),
    }
    .to_td3()
    .unwrap();
    let trust = trust();
    let (rev, alerts) = lists();
    let v = Verifier {
        trust: &trust,
        revocations: &rev,
        alerts: &alerts,
    };
    let verdict = v.check_mrz(&zone, date!(2027 - 01 - 01));
    assert!(verdict.is_valid());
    assert_eq!(
        verdict.checked,
        Checked::Mrz(sijil_docs::mrz::MrzFormat::Td3)
    );
    let holder = verdict.holder.unwrap();
    assert_eq!(holder.name_ar.as_deref(), Some("محمد عبد الرحمن الحلبي"));
    assert_eq!(holder.national_number.as_deref(), Some("01021234569"));

    let mut rev = RevocationList::new(9, issued_at());
    rev.revoke_document_for("N00000042", RevocationReason::Stolen);
    let v = Verifier {
        trust: &trust,
        revocations: &rev,
        alerts: &alerts,
    };
    let verdict = v.check_mrz(&zone, date!(2027 - 01 - 01));
    assert_eq!(
        verdict.findings,
        [Finding::Revoked {
            reason: Some(RevocationReason::Stolen)
        }]
    );
    assert_eq!(verdict.to_json()["findings"][0]["code"], "reported_stolen");
}

#[test]
fn revocation_reasons_travel_signed_and_older_lists_without_them_still_read() {
    use coset::{CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana};
    use ed25519_dalek::Signer;
    let trust = trust();
    let mut list = RevocationList::new(5, issued_at());
    list.revoke_document_for("A00000001", RevocationReason::Lost);
    list.revoke_document("A00000002");
    let back = RevocationList::open(&list.sign(&key(9), &kid("SY-LIST-1")), &trust).unwrap();
    assert_eq!(back, list);
    assert_eq!(
        back.document_reason("A00000001"),
        Some(RevocationReason::Lost)
    );
    assert_eq!(back.document_reason("A00000002"), None);

    // A list written before key 5 existed: {1: 4, 2: t, 3: ["A00000003"], 4: []}.
    let int = |i: i64| ciborium::Value::Integer(i.into());
    let payload = ciborium::Value::Map(vec![
        (int(1), int(4)),
        (int(2), int(issued_at().unix_timestamp())),
        (
            int(3),
            ciborium::Value::Array(vec![ciborium::Value::Text("A00000003".into())]),
        ),
        (int(4), ciborium::Value::Array(vec![])),
    ]);
    let mut bytes = Vec::new();
    ciborium::into_writer(&payload, &mut bytes).unwrap();
    let signed = CoseSign1Builder::new()
        .protected(
            HeaderBuilder::new()
                .algorithm(iana::Algorithm::EdDSA)
                .key_id(b"SY-LIST-1".to_vec())
                .build(),
        )
        .payload(bytes)
        .create_signature(b"", |tbs| key(9).sign(tbs).to_bytes().to_vec())
        .build()
        .to_tagged_vec()
        .unwrap();
    let old = RevocationList::open(&signed, &trust).unwrap();
    assert!(old.is_document_revoked("A00000003"));
    assert_eq!(old.document_reason("A00000003"), None);
}
