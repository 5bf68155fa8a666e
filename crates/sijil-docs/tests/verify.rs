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
