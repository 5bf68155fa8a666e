//! The ID-card credential from outside: issue, verify, and every way verification refuses.

mod common;

use std::io::Write;

use ciborium::Value;
use common::{issued_at, key, kid, trust, typical_claims};
use coset::{CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana};
use ed25519_dalek::Signer;
use sijil_docs::credential::{RevokedItem, credential_payload_sizes};
use sijil_docs::{
    CredentialId, KeyUsage, RevocationList, TrustedKey, VerifyError, issue_card_credential,
    qr_version, verify_credential,
};
use time::{Duration, macros::datetime};

fn issue() -> String {
    issue_card_credential(&typical_claims(), &key(1), &kid("SY-ID-1"), issued_at())
}

fn later() -> time::OffsetDateTime {
    issued_at() + Duration::days(30)
}

#[test]
fn a_card_verifies_and_reads_back_exactly() {
    let text = issue();
    let v = verify_credential(&text, &trust(), &RevocationList::empty(), later()).unwrap();
    assert_eq!(v.claims, typical_claims());
    assert_eq!(v.key_id, kid("SY-ID-1"));
    assert_eq!(v.signed_at, issued_at());
}

#[test]
fn a_typical_card_fits_a_version_15_qr_code_at_level_m() {
    let text = issue();
    let sizes = credential_payload_sizes(&typical_claims(), &key(1), &kid("SY-ID-1"), issued_at());
    assert_eq!(sizes.base45, text.len());
    let version = qr_version(&text).unwrap();
    println!("typical card: {sizes:?}, QR version {version} at M");
    assert!(version <= 15, "QR version {version}");
}

#[test]
fn a_credential_signed_by_another_key_under_the_same_id_is_refused() {
    let forged = issue_card_credential(&typical_claims(), &key(2), &kid("SY-ID-1"), issued_at());
    assert_eq!(
        verify_credential(&forged, &trust(), &RevocationList::empty(), later()).unwrap_err(),
        VerifyError::BadSignature(kid("SY-ID-1"))
    );
}

#[test]
fn an_unknown_key_id_is_named() {
    let text = issue_card_credential(&typical_claims(), &key(1), &kid("SY-ID-9"), issued_at());
    assert_eq!(
        verify_credential(&text, &trust(), &RevocationList::empty(), later()).unwrap_err(),
        VerifyError::UnknownKeyId(kid("SY-ID-9"))
    );
}

#[test]
fn nothing_signed_by_a_revoked_key_is_accepted() {
    let mut t = trust();
    t.revoke(&kid("SY-ID-1"));
    assert_eq!(
        verify_credential(&issue(), &t, &RevocationList::empty(), later()).unwrap_err(),
        VerifyError::KeyRevoked(kid("SY-ID-1"))
    );
}

#[test]
fn a_retired_key_keeps_its_old_cards_but_signs_no_new_ones() {
    let mut t = trust();
    t.retire(&kid("SY-ID-1"), issued_at() + Duration::days(1));
    assert!(verify_credential(&issue(), &t, &RevocationList::empty(), later()).is_ok());
    let after = issued_at() + Duration::days(2);
    let text = issue_card_credential(&typical_claims(), &key(1), &kid("SY-ID-1"), after);
    assert_eq!(
        verify_credential(&text, &t, &RevocationList::empty(), later()).unwrap_err(),
        VerifyError::KeyNotValidWhenSigned {
            kid: kid("SY-ID-1"),
            signed_at: after
        }
    );
    // The successor key takes over.
    t.insert(TrustedKey::new(
        kid("SY-ID-2"),
        key(2).verifying_key(),
        KeyUsage::Credentials,
        after,
    ));
    let text = issue_card_credential(&typical_claims(), &key(2), &kid("SY-ID-2"), after);
    assert!(verify_credential(&text, &t, &RevocationList::empty(), later()).is_ok());
}

#[test]
fn a_list_key_cannot_sign_cards() {
    let text = issue_card_credential(&typical_claims(), &key(9), &kid("SY-LIST-1"), issued_at());
    assert_eq!(
        verify_credential(&text, &trust(), &RevocationList::empty(), later()).unwrap_err(),
        VerifyError::WrongKeyUsage(kid("SY-LIST-1"), KeyUsage::Credentials)
    );
}

#[test]
fn validity_runs_from_the_issue_day_through_the_expiry_day() {
    let text = issue();
    let none = RevocationList::empty();
    let last_moment = datetime!(2036-11-28 23:59:59 UTC);
    assert!(verify_credential(&text, &trust(), &none, last_moment).is_ok());
    assert_eq!(
        verify_credential(&text, &trust(), &none, last_moment + Duration::seconds(1)).unwrap_err(),
        VerifyError::Expired {
            expired_at: datetime!(2036-11-29 0:00 UTC)
        }
    );
    assert_eq!(
        verify_credential(&text, &trust(), &none, datetime!(2026-11-28 23:00 UTC)).unwrap_err(),
        VerifyError::NotYetValid {
            valid_from: datetime!(2026-11-29 0:00 UTC)
        }
    );
}

#[test]
fn revoked_cards_and_credentials_are_refused_with_the_list_version() {
    let text = issue();
    let mut list = RevocationList::new(7, later());
    list.revoke_document("A12345678");
    assert_eq!(
        verify_credential(&text, &trust(), &list, later()).unwrap_err(),
        VerifyError::Revoked {
            item: RevokedItem::Document("A12345678".into()),
            list_version: 7
        }
    );
    let mut list = RevocationList::new(8, later());
    list.revoke_credential(typical_claims().credential_id);
    list.revoke_credential(CredentialId::new(vec![1, 2, 3]).unwrap());
    assert!(matches!(
        verify_credential(&text, &trust(), &list, later()),
        Err(VerifyError::Revoked {
            item: RevokedItem::Credential(_),
            list_version: 8
        })
    ));
}

#[test]
fn every_changed_character_of_the_text_is_caught() {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let text = issue();
    let original = {
        let z = base45::decode(&text).unwrap();
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&z[..]), &mut out).unwrap();
        out
    };
    let mut same_content = 0;
    for i in 0..text.len() {
        // One substitution per position (a different one each time) keeps this quick in
        // debug builds, where each Ed25519 verification takes milliseconds.
        for &c in &ALPHABET[(i * 7) % 44..(i * 7) % 44 + 1] {
            if text.as_bytes()[i] == c {
                continue;
            }
            let mut t = text.clone().into_bytes();
            t[i] = c;
            let t = String::from_utf8(t).unwrap();
            if verify_credential(&t, &trust(), &RevocationList::empty(), later()).is_ok() {
                // Only possible if the change did not alter the signed bytes at all.
                let z = base45::decode(&t).unwrap();
                let mut out = Vec::new();
                std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&z[..]), &mut out)
                    .unwrap();
                assert_eq!(
                    out,
                    original,
                    "character {i} changed to {:?} was accepted",
                    char::from(c)
                );
                same_content += 1;
            }
        }
    }
    println!("{same_content} changes left the signed bytes unchanged (deflate padding bits)");
}

#[test]
fn every_flipped_bit_of_the_signed_structure_is_caught() {
    let text = issue();
    let z = base45::decode(&text).unwrap();
    let mut cose = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&z[..]), &mut cose).unwrap();
    for i in 0..cose.len() {
        // Every byte; all eight bits in the COSE structure and headers, one bit (a different
        // one each time) in the payload and signature, where any change breaks the signature.
        let bits: Vec<u8> = if i < 24 {
            (0..8).collect()
        } else {
            vec![(i % 8) as u8]
        };
        for bit in bits {
            let mut bad = cose.clone();
            bad[i] ^= 1 << bit;
            let text = pack(&bad);
            let result = verify_credential(&text, &trust(), &RevocationList::empty(), later());
            assert!(result.is_err(), "byte {i} bit {bit} flipped was accepted");
        }
    }
}

fn pack(bytes: &[u8]) -> String {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(bytes).unwrap();
    base45::encode(z.finish().unwrap())
}

/// Signs an arbitrary CWT payload with the trusted card key, as a faulty issuer might.
fn signed_payload(payload: &Value) -> String {
    let mut bytes = Vec::new();
    ciborium::into_writer(payload, &mut bytes).unwrap();
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::EdDSA)
        .key_id(b"SY-ID-1".to_vec())
        .build();
    let cose = CoseSign1Builder::new()
        .protected(protected)
        .payload(bytes)
        .create_signature(b"", |tbs| key(1).sign(tbs).to_bytes().to_vec())
        .build()
        .to_tagged_vec()
        .unwrap();
    pack(&cose)
}

#[test]
fn a_signed_but_malformed_claim_is_named() {
    let int = |i: i64| Value::Integer(i.into());
    let text = |s: &str| Value::Text(s.into());
    let identity = Value::Map(vec![
        (int(1), text("01021234560")), // wrong check digit
        (int(5), text("محمد")),
        (int(6), text("أحمد")),
        (int(7), text("الحلبي")),
        (int(8), text("19850317")),
        (int(13), text("SYR")),
    ]);
    let cwt = Value::Map(vec![
        (int(1), text("https://id.sijil.example")),
        (int(4), int(2_000_000_000)),
        (int(5), int(1_700_000_000)),
        (int(6), int(1_780_000_000)),
        (int(7), Value::Bytes(vec![1; 8])),
        (int(169), identity),
        (int(-65537), Value::Map(vec![(int(1), text("A1"))])),
    ]);
    match verify_credential(
        &signed_payload(&cwt),
        &trust(),
        &RevocationList::empty(),
        later(),
    ) {
        Err(VerifyError::MalformedClaim { claim, .. }) => {
            assert_eq!(claim, "169/1 (national number)")
        }
        other => panic!("{other:?}"),
    }
    let no_times = Value::Map(vec![(int(1), text("x"))]);
    match verify_credential(
        &signed_payload(&no_times),
        &trust(),
        &RevocationList::empty(),
        later(),
    ) {
        Err(VerifyError::MalformedClaim { claim, reason }) => {
            assert_eq!((claim.as_str(), reason.as_str()), ("6 (iat)", "missing"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn layers_that_are_not_a_credential_are_named() {
    let none = RevocationList::empty();
    assert!(matches!(
        verify_credential("HELLO WORLD", &trust(), &none, later()),
        Err(VerifyError::NotBase45 { .. })
    ));
    assert!(matches!(
        verify_credential(&base45::encode(b"plain"), &trust(), &none, later()),
        Err(VerifyError::NotZlib(_))
    ));
    assert!(matches!(
        verify_credential(&pack(&[0xA0]), &trust(), &none, later()),
        Err(VerifyError::NotCoseSign1(_))
    ));
    assert!(matches!(
        verify_credential(&"A".repeat(5000), &trust(), &none, later()),
        Err(VerifyError::TooLong { len: 5000, .. })
    ));
}

#[test]
fn revocation_lists_are_signed_and_never_roll_back() {
    let mut list = RevocationList::new(3, issued_at());
    list.revoke_document("A12345678");
    list.revoke_credential(CredentialId::new(vec![9; 16]).unwrap());
    let bytes = list.sign(&key(9), &kid("SY-LIST-1"));
    let opened = RevocationList::open(&bytes, &trust()).unwrap();
    assert_eq!(opened, list);

    let mut tampered = bytes.clone();
    let at = tampered.iter().position(|&b| b == b'A').unwrap();
    tampered[at] = b'B';
    assert!(RevocationList::open(&tampered, &trust()).is_err());

    let by_card_key = list.sign(&key(1), &kid("SY-ID-1"));
    assert_eq!(
        RevocationList::open(&by_card_key, &trust()).unwrap_err(),
        sijil_docs::credential::RevocationListError::Signature(VerifyError::WrongKeyUsage(
            kid("SY-ID-1"),
            KeyUsage::Lists
        ))
    );

    let newer = RevocationList::new(4, later()).sign(&key(9), &kid("SY-LIST-1"));
    assert_eq!(
        RevocationList::open_update(&list, &newer, &trust())
            .unwrap()
            .version,
        4
    );
    assert!(matches!(
        RevocationList::open_update(&list, &bytes, &trust()),
        Err(sijil_docs::credential::RevocationListError::Stale { have: 3, got: 3 })
    ));
}

#[test]
fn the_card_gets_a_td1_zone_from_the_same_claims() {
    let zone = typical_claims().td1_zone().unwrap();
    assert_eq!(
        zone,
        "I<SYRA12345678401021234569<<<<\n8503172M3611281SYR<<<<<<<<<<<1\nALXHLBY<<MXHMD<<<<<<<<<<<<<<<<"
    );
    let read = sijil_docs::mrz::parse_mrz(&zone).unwrap().data;
    assert_eq!(
        sijil_docs::mrz::arabic_from_mrz(&read.name.primary).as_deref(),
        Some("الحلبي")
    );
    assert_eq!(
        read.optional_data,
        typical_claims().national_number.as_str()
    );
}
