//! Full names from foreign documents: tokens paired whatever their order.

use sijil_names::{Level, NameField, NameKey, compare_full};

fn full(a: &str, b: &str) -> sijil_names::FullNameMatch {
    compare_full(
        &NameKey::new(a, NameField::Full),
        &NameKey::new(b, NameField::Full),
    )
}

#[test]
fn order_does_not_matter() {
    let m = full("AL-HALABI Mohammed", "محمد الحلبي");
    assert_eq!(m.level(), Level::KnownVariant);
    assert_eq!(m.pairs().len(), 2);
    assert!(!m.in_order());
}

#[test]
fn a_missing_nasab_leaves_one_token_unmatched() {
    let m = full("Mohammed Ahmad Halabi", "محمد الحلبي");
    assert_eq!(m.level(), Level::KnownVariant);
    assert_eq!(m.unmatched_a(), 1);
    assert_eq!(m.unmatched_b(), 0);
    assert_eq!(m.matched_at_least(Level::KnownVariant), 2);
}

#[test]
fn compounds_and_connectors() {
    let m = full("Abdul Rahman bin Khalid", "عبد الرحمن خالد");
    assert_eq!(m.level(), Level::KnownVariant);
    assert!(m.in_order());
    assert_eq!(
        full("محمد بن سلمان", "محمد سلمان").level(),
        Level::ExactLoose
    );
}

#[test]
fn different_people_and_empty_names() {
    assert_eq!(
        full("Omar Hassan", "Khalid Yousef").level(),
        Level::Different
    );
    assert_eq!(full("", "Omar").level(), Level::Null);
    assert_eq!(
        full("Omar Hassan", "omar hassan").level(),
        Level::ExactStrict
    );
}

#[test]
fn pairing_is_symmetric() {
    let (a, b) = ("Hussein Ali Hassan", "حسن علي حسين");
    let ab = full(a, b);
    let ba = full(b, a);
    assert_eq!(ab.level(), ba.level());
    let mut mirrored: Vec<_> = ba.pairs().iter().map(|p| (p.b, p.a, p.level)).collect();
    mirrored.sort();
    let direct: Vec<_> = ab.pairs().iter().map(|p| (p.a, p.b, p.level)).collect();
    assert_eq!(direct, mirrored);
}
