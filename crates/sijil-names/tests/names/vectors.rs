//! arabic-names.md §5. "Expected" decides the level: same ⇒ `KnownVariant` or better,
//! different ⇒ below that. "Skel" Y ⇒ skeletons equal, N ⇒ different; vector 42 (N*) needs the
//! Turkish c→j rule, so its skeletons are equal only under `Convention::Turkish`.

use sijil_names::{Convention, Level, NameField, NameKey, compare};

use NameField::{Family, Given};

/// (number, A, B, field, same, skeletons equal)
const VECTORS: [(u8, &str, &str, NameField, bool, bool); 55] = [
    (1, "مُحَمَّد", "محمد", Given, true, true),
    (2, "محمـــد", "محمد", Given, true, true),
    (3, "ﻣﺤﻤﺪ", "محمد", Given, true, true),
    (4, "أحمد", "احمد", Given, true, true),
    (5, "إبراهيم", "ابراهيم", Given, true, true),
    (6, "آمنة", "امنه", Given, true, true),
    (7, "مصطفى", "مصطفي", Given, true, true),
    (8, "يحيى", "يحيي", Given, true, true),
    (9, "وائل", "وايل", Given, true, true),
    (10, "مؤمن", "مومن", Given, true, true),
    (11, "كريم", "کریم", Given, true, true),
    (12, "عبد الرحمن", "عبدالرحمن", Given, true, true),
    (13, "عبد الرحمٰن", "عبدالرحمن", Given, true, true),
    (14, "نور الدين", "نورالدين", Given, true, true),
    (15, "أبو بكر", "ابوبكر", Given, true, true),
    (16, "الحلبي", "حلبي", Family, true, true),
    (17, "محمد", "محمود", Given, false, true),
    (18, "حسن", "حسين", Given, false, true),
    (19, "علي", "عليا", Given, false, true),
    (20, "سعيد", "سعد", Given, false, true),
    (21, "علاء", "علا", Given, false, true),
    (22, "أمين", "أمينة", Given, false, true),
    (23, "جمال", "جميل", Given, false, true),
    (24, "أحمد", "حامد", Given, false, true),
    (25, "عبد الله", "عبد الرحمن", Given, false, false),
    (26, "الياس", "ياس", Given, false, false),
    (27, "محمد", "Mohammed", Given, true, true),
    (28, "محمد", "Muhamad", Given, true, true),
    (29, "أحمد", "Ahmed", Given, true, true),
    (30, "عبد الرحمن", "Abd Al-Rahman", Given, true, true),
    (31, "عبد الرحمن", "Abdelrahman", Given, true, true),
    (32, "حسين", "Houssein", Given, true, true),
    (33, "حسين", "Hüseyin", Given, true, true),
    (34, "خالد", "Khalid", Given, true, true),
    (35, "يوسف", "Youcef", Given, true, true),
    (36, "مصطفى", "Moustafa", Given, true, true),
    (37, "إبراهيم", "Ebrahim", Given, true, true),
    (38, "الحلبي", "Alhalabi", Family, true, true),
    (39, "شادي", "Chadi", Given, true, true),
    (40, "شادي", "Schadi", Given, true, true),
    (41, "جمال", "Djamel", Given, true, true),
    (42, "جمال", "Cemal", Given, true, false),
    (43, "عائشة", "Ayşe", Given, true, true),
    (44, "محمد", "Mahmoud", Given, false, true),
    (45, "حسن", "Hussein", Given, false, true),
    (46, "سعيد", "Saad", Given, false, true),
    (47, "علي", "Alia", Given, false, true),
    (48, "Mohammed", "Muhammad", Given, true, true),
    (49, "Yusuf", "Youssef", Given, true, true),
    (50, "Al-Halabi", "El Halabi", Family, true, true),
    (51, "Abdul Rahman", "Abdelrahman", Given, true, true),
    (52, "Hassan", "Hussein", Given, false, true),
    (53, "Ahmad", "Hamad", Given, false, true),
    (54, "Khalid", "Khalil", Given, false, false),
    (55, "Said", "Saad", Given, false, true),
];

#[test]
fn all_55_vectors_of_the_research_note() {
    let mut failures = Vec::new();
    for (n, a, b, field, same, skel) in VECTORS {
        let (ka, kb) = (NameKey::new(a, field), NameKey::new(b, field));
        let c = compare(&ka, &kb);
        let level_ok = (c.level >= Level::KnownVariant) == same;
        let skel_ok = (ka.skeleton() == kb.skeleton()) == skel;
        if !level_ok || !skel_ok {
            failures.push(format!(
                "#{n} {a} / {b}: {:?}, skeletons {} / {}",
                c.level,
                ka.skeleton(),
                kb.skeleton()
            ));
        }
        assert_eq!(c, compare(&kb, &ka), "#{n} not symmetric");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn vector_42_skeletons_agree_under_the_turkish_rule() {
    let a = NameKey::new("جمال", Given);
    let b = NameKey::with_convention("Cemal", Given, Convention::Turkish);
    assert_eq!(a.skeleton(), b.skeleton());
    assert!(compare(&a, &b).level >= Level::KnownVariant);
}

#[test]
fn hard_negatives_one_edit_apart_stay_low_and_say_so() {
    for (a, b) in [
        ("محمد", "محمود"),
        ("حسن", "حسين"),
        ("علاء", "علا"),
        ("سعيد", "سعد"),
    ] {
        let c = compare(&NameKey::new(a, Given), &NameKey::new(b, Given));
        assert_eq!(c.level, Level::SkeletonOnly, "{a}/{b}");
        assert!(c.one_edit_apart(), "{a}/{b}: {:?}", c.edits);
    }
}
