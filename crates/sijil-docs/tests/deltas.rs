//! Signed list deltas from outside (issue 5 with issue 6): a node holding version V rebuilds
//! exactly the central's next list from a delta, and every forged, replayed, out-of-order,
//! misapplied or mismatched delta is refused without touching what is held.

mod common;

use common::{key, kid, trust};
use sijil_docs::credential::delta::{
    ListDelta, content_digest, open_chain, read_delta_file, write_delta_file,
};
use sijil_docs::{AlertList, RevocationList, RevocationListError, RevocationReason};
use time::{Duration, OffsetDateTime, macros::datetime};

fn at(step: i64) -> OffsetDateTime {
    datetime!(2026-11-29 10:00 UTC) + Duration::minutes(step)
}

/// Version `v` of a revocation list with `cards` cards, one credential, reasons on some.
fn revocations(v: u64, cards: usize) -> RevocationList {
    let mut list = RevocationList::new(v, at(v as i64));
    for i in 0..cards {
        let number = format!("SY{i:09}");
        match i % 3 {
            0 => list.revoke_document(number),
            1 => list.revoke_document_for(number, RevocationReason::Lost),
            _ => list.revoke_document_for(number, RevocationReason::Stolen),
        }
    }
    list.revoke_credential(sijil_docs::CredentialId::new(vec![7; 16]).unwrap());
    list
}

fn sign_rev(list: &RevocationList) -> Vec<u8> {
    list.sign(&key(9), &kid("SY-LIST-1"))
}

/// v1 → v2: one card reported stolen, one card's reason changed, one card taken off.
fn two_versions() -> (RevocationList, RevocationList) {
    let v1 = revocations(1, 50);
    let mut v2 = RevocationList::new(2, at(2));
    for (i, n) in (0..50).map(|i| (i, format!("SY{i:09}"))) {
        match i {
            4 => {} // taken off (issued in error, say)
            5 => v2.revoke_document_for(n, RevocationReason::Cancelled),
            _ => match v1.document_reason(&n) {
                Some(r) => v2.revoke_document_for(n, r),
                None => v2.revoke_document(n),
            },
        }
    }
    v2.revoke_document_for("SY999999999", RevocationReason::Stolen);
    v2.revoke_credential(sijil_docs::CredentialId::new(vec![7; 16]).unwrap());
    (v1, v2)
}

#[test]
fn a_node_holding_v1_rebuilds_exactly_v2_from_the_signed_delta() {
    let (v1, v2) = two_versions();
    let delta = ListDelta::between(&v1, &v2);
    assert_eq!(delta.added.len(), 2, "the new card and the changed reason");
    assert_eq!(
        delta.removed.len(),
        2,
        "the card taken off and the old reason"
    );
    let bytes = delta.sign(&key(9), &kid("SY-LIST-1"));
    assert!(
        bytes.len() < 300,
        "a delta of a few changes is small: {}",
        bytes.len()
    );
    let opened = ListDelta::<RevocationList>::open(&bytes, &trust()).unwrap();
    assert_eq!(opened, delta);
    let rebuilt = opened.apply(&v1).unwrap();
    assert_eq!(rebuilt, v2);
    assert_eq!(content_digest(&rebuilt), content_digest(&v2));
    assert!(rebuilt.is_document_revoked("SY999999999"));
    assert!(!rebuilt.is_document_revoked("SY000000004"));
    assert_eq!(
        rebuilt.document_reason("SY000000005"),
        Some(RevocationReason::Cancelled)
    );
}

#[test]
fn a_forged_delta_is_refused_whatever_byte_changed_or_whoever_signed_it() {
    let (v1, v2) = two_versions();
    let bytes = ListDelta::between(&v1, &v2).sign(&key(9), &kid("SY-LIST-1"));
    for i in 0..bytes.len() {
        let mut bad = bytes.clone();
        bad[i] ^= 0x01;
        assert!(
            ListDelta::<RevocationList>::open(&bad, &trust()).is_err(),
            "byte {i} flipped"
        );
    }
    // Signed by the card key (trusted, but not for lists), or by a key nobody trusts.
    let by_card_key = ListDelta::between(&v1, &v2).sign(&key(1), &kid("SY-ID-1"));
    assert!(matches!(
        ListDelta::<RevocationList>::open(&by_card_key, &trust()),
        Err(RevocationListError::Signature(_))
    ));
    let by_stranger = ListDelta::between(&v1, &v2).sign(&key(9), &kid("SY-LIST-X"));
    assert!(ListDelta::<RevocationList>::open(&by_stranger, &trust()).is_err());
}

#[test]
fn a_replayed_or_out_of_order_delta_is_refused_and_the_held_list_is_unchanged() {
    let (v1, v2) = two_versions();
    let mut v3 = v2.clone();
    (v3.version, v3.issued_at) = (3, at(3));
    v3.revoke_document("SY888888888");
    let d12 = ListDelta::between(&v1, &v2);
    let d23 = ListDelta::between(&v2, &v3);
    let held = d12.apply(&v1).unwrap();

    // The same delta again: not newer than what is held.
    assert_eq!(
        d12.apply(&held),
        Err(RevocationListError::Stale { have: 2, got: 2 })
    );
    // v2 → v3 offered to a node still at v1 (v1 → v2 missed, or arriving later).
    assert_eq!(
        d23.apply(&v1),
        Err(RevocationListError::DeltaBase { held: 1, base: 2 })
    );
    // An older delta after a newer one.
    let at3 = d23.apply(&held).unwrap();
    assert_eq!(
        d12.apply(&at3),
        Err(RevocationListError::Stale { have: 3, got: 2 })
    );
    assert_eq!(at3, v3);
    assert_eq!(held, v2, "refusals changed nothing");
}

#[test]
fn a_node_whose_list_differs_from_the_centrals_learns_it_and_never_holds_a_wrong_list() {
    let (v1, v2) = two_versions();
    let delta = ListDelta::between(&v1, &v2);
    // The node's v1 lost a card somewhere (a bug, a restored backup): same version, other
    // content. The delta would "apply", but the node would hold a list the central never made.
    let mut drifted = revocations(1, 49);
    drifted.revoke_document("SY000000049");
    assert!(matches!(
        delta.apply(&drifted),
        Err(RevocationListError::DeltaBaseDiffers { version: 1 })
    ));
    // A delta whose result digest is not what its entries give (signed, so only a central bug
    // could make one): refused rather than held.
    let mut wrong = delta.clone();
    wrong.digest[0] ^= 1;
    let bytes = wrong.sign(&key(9), &kid("SY-LIST-1"));
    let opened = ListDelta::<RevocationList>::open(&bytes, &trust()).unwrap();
    assert_eq!(
        opened.apply(&v1),
        Err(RevocationListError::DeltaDigest { version: 2 })
    );
    // Removing what is not held is refused by name.
    let mut removes_unknown = delta;
    removes_unknown
        .removed
        .push(sijil_docs::RevocationItem::Card("SY123".into(), None));
    assert!(matches!(
        removes_unknown.apply(&v1),
        Err(RevocationListError::DeltaInconsistent(_))
    ));
}

#[test]
fn a_delta_never_passes_for_a_whole_list_nor_for_the_other_kind_of_list() {
    let (v1, v2) = two_versions();
    let rev_delta = ListDelta::between(&v1, &v2).sign(&key(9), &kid("SY-LIST-1"));
    assert!(RevocationList::open(&rev_delta, &trust()).is_err());
    assert!(AlertList::open(&rev_delta, &trust()).is_err());
    assert!(ListDelta::<AlertList>::open(&rev_delta, &trust()).is_err());
    // A whole list is not a delta either.
    assert!(ListDelta::<RevocationList>::open(&sign_rev(&v2), &trust()).is_err());
    // An empty revocation list is not an (empty) alert list: that would lift every alert.
    let empty = RevocationList::new(9, at(9));
    assert!(AlertList::open(&sign_rev(&empty), &trust()).is_err());
}

#[test]
fn alerts_added_and_lifted_travel_as_a_delta() {
    let mut a1 = AlertList::new(1, at(1));
    a1.add("01002123456", "wanted");
    a1.add("01002999999", "travel-ban");
    let mut a2 = AlertList::new(2, at(2));
    a2.add("01002123456", "wanted");
    a2.add("01002123456", "missing");
    let delta = ListDelta::between(&a1, &a2);
    assert_eq!(delta.added, vec![("01002123456".into(), "missing".into())]);
    assert_eq!(
        delta.removed,
        vec![("01002999999".into(), "travel-ban".into())]
    );
    let bytes = delta.sign(&key(9), &kid("SY-LIST-1"));
    let rebuilt = ListDelta::<AlertList>::open(&bytes, &trust())
        .unwrap()
        .apply(&a1)
        .unwrap();
    assert_eq!(rebuilt, a2);
    assert!(rebuilt.for_person("01002999999").is_empty(), "lifted");
    assert!(ListDelta::<RevocationList>::open(&bytes, &trust()).is_err());
}

#[test]
fn what_a_node_keeps_on_disk_reads_back_from_the_trust_list_alone() {
    let (v1, v2) = two_versions();
    let mut v3 = v2.clone();
    (v3.version, v3.issued_at) = (3, at(3));
    v3.revoke_document("SY888888888");
    let deltas = vec![
        ListDelta::between(&v1, &v2).sign(&key(9), &kid("SY-LIST-1")),
        ListDelta::between(&v2, &v3).sign(&key(9), &kid("SY-LIST-1")),
    ];
    let file = write_delta_file(&deltas);
    let read = read_delta_file(&file).unwrap();
    assert_eq!(read, deltas);
    let held: RevocationList = open_chain(&sign_rev(&v1), &read, &trust()).unwrap();
    assert_eq!(held, v3);
    // A newer whole list written before the old deltas were cleared: they are skipped.
    let held: RevocationList = open_chain(&sign_rev(&v3), &read, &trust()).unwrap();
    assert_eq!(held, v3);
    // A gap in the chain is refused, not skipped over.
    let gap: Result<RevocationList, _> = open_chain(&sign_rev(&v1), &read[1..], &trust());
    assert_eq!(
        gap,
        Err(RevocationListError::DeltaBase { held: 1, base: 2 })
    );
    // A changed byte anywhere in the file fails the read.
    let mut bad = file.clone();
    let last = bad.len() - 5;
    bad[last] ^= 1;
    let bad = read_delta_file(&bad).unwrap();
    assert!(open_chain::<RevocationList, _>(&sign_rev(&v1), &bad, &trust()).is_err());
    assert!(read_delta_file(b"not cbor").is_err());
}
