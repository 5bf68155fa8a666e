//! The built-in dictionary through the public API. The table's own consistency (every spelling
//! finds its name, shared spellings are deliberate) is checked beside it, in
//! `src/variants/mod.rs`.

use sijil_names::{ClusterId, Convention, NameField, NameKey};

fn names_of(text: &str, field: NameField) -> Vec<&'static str> {
    let k = NameKey::new(text, field);
    assert_eq!(k.token_count(), 1, "{text}");
    k.token(0).clusters.iter().map(|c| c.canonical()).collect()
}

#[test]
fn dictionary_is_large_enough() {
    assert!(ClusterId::count() >= 300, "{}", ClusterId::count());
}

#[test]
fn spellings_in_each_convention_find_their_arabic_name() {
    let cases = [
        ("Mohammed", "محمد"),
        ("Mouhamad", "محمد"),
        ("Mehmet", "محمد"),
        ("Houssein", "حسين"),
        ("Hüseyin", "حسين"),
        ("Youcef", "يوسف"),
        ("Jussuf", "يوسف"),
        ("Chadi", "شادي"),
        ("Schadi", "شادي"),
        ("Djamel", "جمال"),
        ("Cemal", "جمال"),
        ("Abderrahmane", "عبد الرحمن"),
        ("Abdurrahman", "عبد الرحمن"),
        ("Selahattin", "صلاح الدين"),
        ("Nurettin", "نور الدين"),
        ("Ebubekir", "أبو بكر"),
        ("Ayşe", "عائشة"),
        ("Zeynep", "زينب"),
    ];
    for (latin, arabic) in cases {
        assert!(
            names_of(latin, NameField::Given).contains(&arabic),
            "{latin}"
        );
    }
}

#[test]
fn unlisted_spellings_fall_back_to_the_loose_key() {
    // Not in the table, but vowel folding takes them to a listed spelling.
    assert!(names_of("Mouhammed", NameField::Given).contains(&"محمد"));
    assert!(names_of("Husseyn", NameField::Given).contains(&"حسين"));
    let german = NameKey::with_convention("Jasser", NameField::Given, Convention::German);
    assert_eq!(german.token(0).clusters[0].canonical(), "ياسر");
}

#[test]
fn family_names_are_found_with_or_without_the_article() {
    for s in [
        "الحلبي",
        "حلبي",
        "Al-Halabi",
        "El Halabi",
        "Alhalabi",
        "Halabi",
    ] {
        assert_eq!(names_of(s, NameField::Family), ["الحلبي"], "{s}");
    }
    assert!(ClusterId::count() > 0);
    let k = NameKey::new("الحلبي", NameField::Family);
    assert!(k.token(0).clusters[0].is_family());
}

#[test]
fn arabic_spellings_of_one_name_share_a_cluster() {
    assert_eq!(names_of("إسحق", NameField::Given), ["إسحاق"]);
    assert_eq!(names_of("عبد الرحمان", NameField::Given), ["عبد الرحمن"]);
    assert_eq!(names_of("علاء", NameField::Given), ["علاء"]);
    assert_eq!(names_of("علا", NameField::Given), ["علا"]);
}
