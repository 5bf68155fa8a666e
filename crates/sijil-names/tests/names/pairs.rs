//! Our own pairs beyond the research note: Syrian names, compounds, family names, Turkish,
//! French and German spellings, and hostile input.

use sijil_names::{Convention, Level, NameField, NameKey, compare};

use Expect::*;
use Level::*;
use NameField::{Family, Given, Place};

#[derive(Debug, Clone, Copy)]
enum Expect {
    /// `KnownVariant` or better.
    Same,
    /// Below `KnownVariant`.
    Diff,
    /// This level exactly.
    Is(Level),
}

const PAIRS: &[(&str, &str, NameField, Expect)] = &[
    // Arabic spelling and structure
    ("عبد القادر", "عبدالقادر", Given, Is(ExactLoose)),
    ("عبد الله", "عبدالله", Given, Is(ExactLoose)),
    ("صلاح الدين", "صلاح\u{200C}الدين", Given, Is(ExactLoose)),
    ("عطا الله", "عطاالله", Given, Is(ExactLoose)),
    ("ابو زيد", "أبوزيد", Family, Is(ExactLoose)),
    ("هناء", "هنا", Given, Is(ExactLoose)),
    ("إسحاق", "إسحق", Given, Is(KnownVariant)),
    ("داود", "داوود", Given, Is(KnownVariant)),
    ("فاطمة", "فاطمه", Given, Is(ExactStrict)),
    ("الخطيب", "خطيب", Family, Is(ExactLoose)),
    ("ڤيان", "فيان", Given, Is(ExactLoose)),
    ("گلستان", "كلستان", Given, Is(ExactLoose)),
    ("سالم", "صالم", Given, Is(SkeletonClose)),
    ("تامر", "ثامر", Given, Is(SkeletonOnly)),
    ("خالد", "خليل", Given, Is(Different)),
    ("جميل", "جمال", Given, Is(SkeletonOnly)),
    ("محمد", "مجمد", Given, Is(Different)),
    // Cross-script, English and French
    ("محمد", "Mhd", Given, Same),
    ("محمد علي", "Mohammad Ali", Given, Same),
    ("عبد الله", "Abdulla", Given, Same),
    ("عائشة", "Aicha", Given, Same),
    ("يوسف", "Youssouf", Given, Same),
    ("شوقي", "Chawki", Given, Same),
    ("هشام", "Hicham", Given, Same),
    ("نزار", "Nizar", Given, Same),
    ("علاء", "Alaa", Given, Same),
    ("علا", "Ola", Given, Same),
    ("الياس", "Elias", Given, Same),
    ("الياس", "Elias", Family, Same),
    ("حمزة", "Hamza", Given, Same),
    ("طه", "Taha", Given, Same),
    ("آزاد", "Azad", Given, Same),
    ("أبو بكر", "Ebubekir", Given, Same),
    ("جميل", "Djamel", Given, Diff),
    ("محمد", "Mahmoud", Given, Is(SkeletonOnly)),
    // Turkish and German
    ("محمد", "Mehmet", Given, Same),
    ("أحمد", "Ahmet", Given, Same),
    ("خالد", "Halit", Given, Same),
    ("عثمان", "Osman", Given, Same),
    ("يعقوب", "Yakup", Given, Same),
    ("رجب", "Recep", Given, Same),
    ("جعفر", "Cafer", Given, Same),
    ("زينب", "Zeynep", Given, Same),
    ("خديجة", "Hatice", Given, Same),
    ("جمال", "Dschamal", Given, Same),
    ("Ayşe", "Ayse", Given, Same),
    ("Omar", "Ömer", Given, Same),
    // Family names
    ("النجار", "Najjar", Family, Same),
    ("الصباغ", "Sabbagh", Family, Same),
    ("السيد", "El-Sayed", Family, Same),
    ("Al Khatib", "Khatib", Family, Is(ExactLoose)),
    ("Qabbani", "Kabbani", Family, Same),
    ("طرابيشي", "Tarabishi", Family, Is(SkeletonClose)),
    ("Tarabishi", "Tarabichi", Family, Is(ExactLoose)),
    ("الرقة", "Raqqa", Place, Is(SkeletonOnly)),
    // Latin against Latin
    ("Mohamed", "Mouhamad", Given, Same),
    ("Hussein", "Husain", Given, Is(ExactLoose)),
    ("Hasan", "Hassan", Given, Is(ExactLoose)),
    ("Abdel Kader", "Abdulkadir", Given, Same),
    ("Nour Eddine", "Noureddine", Given, Is(ExactLoose)),
    ("Salah al-Din", "Salaheddine", Given, Same),
    ("Abu Bakr", "Aboubakr", Given, Same),
    ("Abd Allah", "Abdallah", Given, Same),
    ("Khalid", "Khaled", Given, Same),
    ("Fadi", "Fady", Given, Is(ExactLoose)),
    ("Ghassan", "Gassan", Given, Same),
    ("Ma'moun", "Mamoun", Given, Is(ExactStrict)),
    ("MOHAMMED", "mohammed", Given, Is(ExactStrict)),
    ("Samir", "Samer", Given, Diff),
    ("Amine", "Amina", Given, Diff),
    ("Jamal", "Jamil", Given, Diff),
    ("Alaa", "Ola", Given, Diff),
    ("Muhammad", "Mahmoud", Given, Is(SkeletonOnly)),
    ("Schaker", "Shaker", Given, Is(ExactLoose)),
    // Hostile input
    ("", "محمد", Given, Is(Null)),
    ("   ", "", Given, Is(Null)),
    ("\u{064E}\u{064F}\u{0651}", "محمد", Given, Is(Null)),
    ("\u{202E}محمد\u{202C}", "محمد", Given, Is(ExactStrict)),
    (
        "\u{2067}محمد\u{2069}\u{200F}",
        "محمد",
        Given,
        Is(ExactStrict),
    ),
    ("محمد\u{200D}", "محمد", Given, Is(ExactStrict)),
    ("١٢٣", "123", Given, Is(ExactStrict)),
    ("😀", "😀", Given, Is(Null)),
    ("Ахмед", "Ахмед", Given, Is(ExactStrict)),
    ("Ахмед", "Ahmed", Given, Is(Different)),
    ("محمد Mohammed", "محمد محمد", Given, Same),
    ("محمدMohammed", "محمد محمد", Given, Same),
    ("Mohammed\u{0000}", "Mohammed", Given, Is(ExactStrict)),
    ("-- Ali --", "علي", Given, Same),
];

#[test]
fn our_pairs() {
    assert!(PAIRS.len() >= 60);
    let mut failures = Vec::new();
    for &(a, b, field, expect) in PAIRS {
        let (ka, kb) = (NameKey::new(a, field), NameKey::new(b, field));
        let c = compare(&ka, &kb);
        let ok = match expect {
            Same => c.level >= KnownVariant,
            Diff => c.level < KnownVariant && c.level > Null,
            Is(l) => c.level == l,
        };
        if !ok {
            failures.push(format!(
                "{a} / {b}: got {:?}, want {expect:?} (loose {} / {}, skeleton {} / {})",
                c.level,
                ka.loose(),
                kb.loose(),
                ka.skeleton(),
                kb.skeleton()
            ));
        }
        assert_eq!(c, compare(&kb, &ka), "{a} / {b} not symmetric");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn conventions_change_how_latin_is_read() {
    let a = NameKey::new("يوسف", Given);
    let german = NameKey::with_convention("Jussuf", Given, Convention::German);
    assert_eq!(a.skeleton(), german.skeleton());
    assert!(compare(&a, &german).level >= KnownVariant);
    // شاكر is not in the dictionary: the skeleton is the only link.
    let shakir = NameKey::new("شاكر", Given);
    let schaker = NameKey::with_convention("Schaker", Given, Convention::German);
    assert_eq!(compare(&shakir, &schaker).level, SkeletonClose);
    // Turkish letters switch an unknown convention to Turkish: c is ج.
    let k = NameKey::new("Ayşe Cennet", Given);
    assert_eq!(k.token(1).skeleton, "JNT");
}

#[test]
fn typos_one_edit_from_a_name_are_flagged() {
    let c = compare(&NameKey::new("محمد", Given), &NameKey::new("مجمد", Given));
    assert!(c.one_edit_apart());
    let c = compare(
        &NameKey::new("Mohammed", Given),
        &NameKey::new("Mohamed", Given),
    );
    assert_eq!(c.edits, Some(0), "vowel folding makes them equal: {c:?}");
    let c = compare(
        &NameKey::new("محمد", Given),
        &NameKey::new("Mohammed", Given),
    );
    assert_eq!(c.edits, None);
}

#[test]
fn very_long_names_are_capped_and_cheap() {
    let long = "محمد ".repeat(100_000);
    let k = NameKey::new(&long, Given);
    assert!(k.strict().chars().count() <= sijil_names::MAX_NAME_CHARS);
    assert_eq!(compare(&k, &k.clone()).level, ExactStrict);
    assert_eq!(compare(&k, &NameKey::new("محمد", Given)).level, Different);
    let latin = "a".repeat(1_000_000);
    let k = NameKey::new(&latin, Given);
    assert_eq!(k.loose(), "a");
}

#[test]
fn swapped_fields_can_still_be_compared() {
    // A clerk's slip puts the father's name in the given-name field.
    let given = NameKey::new("أحمد", Given);
    let father = NameKey::new("احمد", NameField::Father);
    assert_eq!(compare(&given, &father).level, ExactStrict);
}
