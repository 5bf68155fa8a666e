//! Properties over arbitrary input.

use proptest::prelude::*;
use sijil_names::{NameField, NameKey, compare, compare_full, normalize_strict};

const FIELDS: [NameField; 8] = [
    NameField::Given,
    NameField::Father,
    NameField::Grandfather,
    NameField::Family,
    NameField::Mother,
    NameField::MotherFamily,
    NameField::Place,
    NameField::Full,
];

/// Name-like text: Arabic letters and marks, Latin letters with diacritics, separators and the
/// invisible characters that real data carries, mixed with arbitrary Unicode.
fn name_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[\u{0621}-\u{064A}\u{064B}-\u{0652}\u{0670}\u{0640}\u{067E}\u{06A9}\u{06CC}]{1,6}",
        3 => "[a-zA-Z\u{00C0}-\u{017F}'-]{1,8}",
        1 => "[ \u{200C}\u{200D}\u{200F}\u{202B}\u{202C}\u{FEFF}\u{00AD}،-]{1,3}",
        1 => any::<String>(),
        1 => Just("عبد ال".to_owned()),
        1 => Just("Abdel ".to_owned()),
        1 => Just(" الدين".to_owned()),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn strict_normalisation_is_idempotent(s in name_text()) {
        let once = normalize_strict(&s);
        prop_assert_eq!(normalize_strict(&once), once);
    }

    #[test]
    fn strict_normalisation_of_any_unicode_is_idempotent(s in any::<String>()) {
        let once = normalize_strict(&s);
        prop_assert_eq!(normalize_strict(&once), once);
    }

    #[test]
    fn loose_key_of_a_given_name_is_idempotent(s in name_text()) {
        let once = NameKey::new(&s, NameField::Given);
        let twice = NameKey::new(once.loose(), NameField::Given);
        prop_assert_eq!(twice.loose(), once.loose());
    }

    #[test]
    fn keys_never_panic(s in any::<String>(), f in 0usize..8) {
        let k = NameKey::new(&s, FIELDS[f]);
        prop_assert!(k.strict().chars().count() <= sijil_names::MAX_NAME_CHARS);
        prop_assert!(k.skeleton().bytes().all(|b| b.is_ascii_uppercase()));
        let _ = compare(&k, &k);
        let _ = compare_full(&k, &k);
    }

    #[test]
    fn a_name_is_exactly_itself(s in name_text(), f in 0usize..8) {
        let k = NameKey::new(&s, FIELDS[f]);
        let c = compare(&k, &k);
        if k.is_empty() {
            prop_assert_eq!(c.level, sijil_names::Level::Null);
        } else {
            prop_assert_eq!(c.level, sijil_names::Level::ExactStrict);
        }
    }

    #[test]
    fn comparison_is_symmetric(a in name_text(), b in name_text(), f in 0usize..8) {
        let (ka, kb) = (NameKey::new(&a, FIELDS[f]), NameKey::new(&b, FIELDS[f]));
        prop_assert_eq!(compare(&ka, &kb), compare(&kb, &ka));
        prop_assert_eq!(compare_full(&ka, &kb).level(), compare_full(&kb, &ka).level());
    }

    #[test]
    fn comparison_is_symmetric_on_name_variants(
        i in 0usize..NAMES.len(), j in 0usize..NAMES.len(), f in 0usize..8,
    ) {
        let (ka, kb) = (NameKey::new(NAMES[i], FIELDS[f]), NameKey::new(NAMES[j], FIELDS[f]));
        prop_assert_eq!(compare(&ka, &kb), compare(&kb, &ka));
    }
}

/// Real names, so that symmetry is also tested where levels other than `Different` occur.
const NAMES: &[&str] = &[
    "محمد",
    "محمود",
    "Mohammed",
    "Muhammad",
    "Mahmoud",
    "حسن",
    "حسين",
    "Hassan",
    "Hussein",
    "Husain",
    "عبد الرحمن",
    "Abdelrahman",
    "علاء",
    "علا",
    "Alaa",
    "Ola",
    "Ahmad",
    "Hamad",
    "أحمد",
    "حامد",
    "الحلبي",
    "Halabi",
    "Alhalabi",
    "جمال",
    "جميل",
    "Djamel",
    "Jamil",
    "سالم",
    "صالم",
    "Tarabishi",
    "طرابيشي",
    "Said",
    "Saad",
    "سعيد",
    "سعد",
    "Yusuf",
    "Youssef",
    "يوسف",
];
