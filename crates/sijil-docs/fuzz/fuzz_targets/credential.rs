//! Fuzzes credential and revocation-list verification. The first byte picks the layer the rest
//! of the input enters at, so that the fuzzer reaches the inner parsers without having to
//! forge Base45, zlib or a signature:
//!
//! 0. the QR text itself;
//! 1. the bytes after Base45 and zlib (COSE_Sign1 parsing);
//! 2. a CWT payload signed with the trusted key (claim decoding);
//! 3. a signed revocation list's wire form;
//! 4. a payload signed with the trusted list key, read as a revocation list and as an alert
//!    list (the list parsers behind a valid signature);
//! 5. a trust-list file;
//! 6. the checkpoint verifier, on a signed payload as a QR code and on the text as a zone.
//!
//! Nothing may panic, and nothing but a genuine credential may verify.
#![no_main]

use std::io::Write;

use coset::{CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana};
use ed25519_dalek::{Signer, SigningKey};
use libfuzzer_sys::fuzz_target;
use sijil_docs::{
    AlertList, KeyId, KeyUsage, RevocationList, TrustList, TrustedKey, Verifier,
    verify_credential,
};
use time::macros::datetime;

fn pack(bytes: &[u8]) -> String {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(bytes).unwrap();
    base45::encode(z.finish().unwrap())
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let key = SigningKey::from_bytes(&[1; 32]);
    let kid = KeyId::new(b"SY-ID-1".to_vec()).unwrap();
    let list_kid = KeyId::new(b"SY-LIST-1".to_vec()).unwrap();
    let mut trust = TrustList::new();
    let since = datetime!(2020-01-01 0:00 UTC);
    trust.insert(TrustedKey::new(
        kid.clone(),
        key.verifying_key(),
        KeyUsage::Credentials,
        since,
    ));
    trust.insert(TrustedKey::new(
        list_kid,
        key.verifying_key(),
        KeyUsage::Lists,
        since,
    ));
    let now = datetime!(2027-01-01 0:00 UTC);
    let none = RevocationList::empty();
    let sign = |kid: &KeyId, payload: &[u8]| {
        let protected = HeaderBuilder::new()
            .algorithm(iana::Algorithm::EdDSA)
            .key_id(kid.as_bytes().to_vec())
            .build();
        CoseSign1Builder::new()
            .protected(protected)
            .payload(payload.to_vec())
            .create_signature(b"", |tbs| key.sign(tbs).to_bytes().to_vec())
            .build()
            .to_tagged_vec()
            .unwrap()
    };
    match mode % 7 {
        0 => {
            let _ = verify_credential(&String::from_utf8_lossy(rest), &trust, &none, now);
        }
        1 => {
            let _ = verify_credential(&pack(rest), &trust, &none, now);
        }
        2 => {
            let protected = HeaderBuilder::new()
                .algorithm(iana::Algorithm::EdDSA)
                .key_id(kid.as_bytes().to_vec())
                .build();
            let cose = CoseSign1Builder::new()
                .protected(protected)
                .payload(rest.to_vec())
                .create_signature(b"", |tbs| key.sign(tbs).to_bytes().to_vec())
                .build()
                .to_tagged_vec()
                .unwrap();
            if let Ok(v) = verify_credential(&pack(&cose), &trust, &none, now) {
                // Whatever verifies must be a well-formed card.
                assert!(!v.claims.document_number.is_empty());
                assert!(v.claims.national_number.as_str().len() == 11);
            }
        }
        3 => {
            let _ = RevocationList::open(rest, &trust);
        }
        4 => {
            let signed = sign(&KeyId::new(b"SY-LIST-1".to_vec()).unwrap(), rest);
            let _ = RevocationList::open(&signed, &trust);
            let _ = AlertList::open(&signed, &trust);
        }
        5 => {
            if let Ok(list) = TrustList::from_json(&String::from_utf8_lossy(rest)) {
                // What reads must write back to the same list.
                assert_eq!(TrustList::from_json(&list.to_json()).unwrap(), list);
            }
        }
        _ => {
            let alerts = AlertList::new(0, now);
            let verifier = Verifier {
                trust: &trust,
                revocations: &none,
                alerts: &alerts,
            };
            let verdict = verifier.check_qr(&pack(&sign(&kid, rest)), now);
            let _ = verdict.to_json();
            let _ = verifier.check_mrz(&String::from_utf8_lossy(rest), now.date()).to_json();
        }
    }
});
