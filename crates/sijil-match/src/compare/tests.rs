//! One test per comparison level, on records built by hand.

use sijil_core::{PersonRecord, RecordRow};
use sijil_names::Convention;

use super::*;
use crate::prepare::{Vocab, prepare};

fn record(fields: &[(&str, &str)]) -> PersonRecord {
    let mut row = RecordRow {
        record_id: "R".into(),
        ..Default::default()
    };
    for (k, v) in fields {
        row.set(k, (*v).to_owned());
    }
    row.validate_with(
        time::macros::date!(2026 - 01 - 01),
        sijil_core::NumberPolicy::KeepUnverified,
    )
    .expect("valid")
}

/// The vector of two records, with frequencies that make no spelling rare.
fn compare(a: &[(&str, &str)], b: &[(&str, &str)]) -> Vector {
    let mut v = Vocab::default();
    let conv = |f: &[(&str, &str)]| {
        crate::prepare::convention_for_source(f.iter().find(|x| x.0 == "source").map(|x| x.1))
    };
    let ra = prepare(&mut v, &record(a), conv(a));
    let rb = prepare(&mut v, &record(b), conv(b));
    let s = Stats {
        names: [100; 6],
        ..Stats::default()
    };
    let x = vector(&v, &ra, &s, &rb, &s);
    let y = vector(&v, &rb, &s, &ra, &s);
    assert_eq!(x, y, "comparison is symmetric");
    x
}

fn first(a: &str, b: &str) -> u8 {
    compare(&[("first_name", a)], &[("first_name", b)]).levels[C_FIRST]
}

#[test]
fn name_levels() {
    assert_eq!(first("محمد", ""), nl::NULL);
    assert_eq!(first("مُحَمَّد", "محمد"), nl::EXACT);
    assert_eq!(first("عبد الرحمن", "عبدالرحمن"), nl::LOOSE);
    assert_eq!(first("محمد", "Mohammed"), nl::VARIANT);
    assert_eq!(first("Hussein", "Husain"), nl::LOOSE);
    assert_eq!(first("محمد", "محمود"), nl::KNOWN_DIFFERENT);
    assert_eq!(first("محمد", "خالد"), nl::DIFFERENT);
    assert_eq!(first("محمد", "Khaled"), nl::DIFFERENT_SCRIPTS);
    assert_eq!(first("سالم", "صالم"), nl::CLOSE);
}

#[test]
fn near_misses_are_told_from_other_names() {
    // One letter apart, not a known pair, neither much more frequent: near but different.
    assert_eq!(first("نواف", "نزاف"), nl::DIFFERENT_NEAR);
    // Across scripts, one consonant class apart.
    assert_eq!(first("كوثر", "Kavsar"), nl::DIFFERENT_SCRIPTS_NEAR);
}

#[test]
fn a_rare_spelling_one_letter_from_a_common_one_is_a_typo() {
    let mut v = Vocab::default();
    let a = prepare(
        &mut v,
        &record(&[("first_name", "نواف")]),
        Convention::Unknown,
    );
    let b = prepare(
        &mut v,
        &record(&[("first_name", "نزاف")]),
        Convention::Unknown,
    );
    let (x, y) = (a.names[0], b.names[0]);
    assert_eq!(name_level(&v, Kind::Given, x, y, 400, 1), nl::TYPO);
    assert_eq!(
        name_level(&v, Kind::Given, x, y, 400, 300),
        nl::DIFFERENT_NEAR
    );
    // Two names the dictionary knows stay two names.
    let c = prepare(
        &mut v,
        &record(&[("first_name", "محمد")]),
        Convention::Unknown,
    );
    let d = prepare(
        &mut v,
        &record(&[("first_name", "محمود")]),
        Convention::Unknown,
    );
    let (x, y) = (c.names[0], d.names[0]);
    assert_eq!(
        name_level(&v, Kind::Given, x, y, 40_000, 1),
        nl::KNOWN_DIFFERENT
    );
}

#[test]
fn family_names_agree_on_their_skeleton_alone() {
    let v = compare(
        &[("family_name", "الحوراني")],
        &[("family_name", "الوحراني")],
    );
    assert_eq!(v.levels[C_FAMILY], nl::SKELETON);
    assert_eq!(v.regime, 2);
    let v = compare(&[("father_name", "محمد")], &[("father_name", "محمود")]);
    assert_eq!(v.regime, 0);
}

#[test]
fn swapped_first_and_father_names_are_compared_crosswise() {
    let a = [
        ("first_name", "أحمد"),
        ("father_name", "خالد"),
        ("family_name", "النجار"),
    ];
    let b = [
        ("first_name", "خالد"),
        ("father_name", "أحمد"),
        ("family_name", "النجار"),
    ];
    let v = compare(&a, &b);
    assert_eq!(v.levels[C_ORDER], 1);
    assert_eq!(v.levels[C_FIRST], nl::EXACT);
    assert_eq!(v.regime, 3);
    let v = compare(&a, &a);
    assert_eq!(v.levels[C_ORDER], 0);
}

fn date(a: &str, b: &str) -> u8 {
    compare(&[("birth_date", a)], &[("birth_date", b)]).levels[C_DATE]
}

#[test]
fn date_levels() {
    assert_eq!(date("1985-03-12", ""), dl::NULL);
    assert_eq!(date("1985-03-12", "1985-03-12"), dl::EXACT);
    assert_eq!(date("1985", "1985"), dl::SAME_PARTIAL);
    assert_eq!(date("1985-03-12", "1985-12-03"), dl::SWAPPED);
    assert_eq!(date("1985-03-12", "1985-03-20"), dl::YEAR_MONTH);
    assert_eq!(date("1985-03", "1985-03-20"), dl::YEAR_MONTH);
    assert_eq!(date("1985-01-01", "1985-07-20"), dl::IMPRECISE);
    assert_eq!(date("1985", "1985-07-20"), dl::IMPRECISE);
    assert_eq!(date("1985-02-11", "1985-07-20"), dl::SAME_YEAR);
    assert_eq!(date("1985-03-12", "1986-03-12"), dl::YEAR_OFF_SAME_DAY);
    assert_eq!(date("1985-03-12", "1986-07-01"), dl::YEAR_OFF);
    assert_eq!(date("1985-03-12", "1990-03-12"), dl::DIFFERENT);
}

#[test]
fn sex_place_and_register_levels() {
    let v = compare(&[("sex", "M")], &[("sex", "M")]);
    assert_eq!(v.levels[C_SEX], 1);
    let v = compare(&[("sex", "M")], &[("sex", "F")]);
    assert_eq!(v.levels[C_SEX], ol::SEX_DISAGREE);
    let place = |a: &str, b: &str| {
        compare(&[("birth_place", a)], &[("birth_place", b)]).levels[C_BIRTH_PLACE]
    };
    assert_eq!(place("حلب", "حلب"), ol::PLACE_EXACT);
    assert_eq!(place("الرقة", "الرقه"), ol::PLACE_EXACT);
    assert_eq!(place("حلب", "Halab"), 3);
    assert_eq!(place("حلب", "دمشق"), 4);
    assert_eq!(place("حلب", ""), ol::NULL);
    let reg = |a: [&str; 2], b: [&str; 2], sex: &str| {
        let ra = [
            ("registry_place", a[0]),
            ("registry_number", a[1]),
            ("sex", sex),
        ];
        let rb = [
            ("registry_place", b[0]),
            ("registry_number", b[1]),
            ("sex", sex),
        ];
        let v = compare(&ra, &rb);
        if sex == "F" {
            assert_eq!(v.levels[C_REGISTRY_MEN], ol::NULL);
            v.levels[C_REGISTRY_WOMEN]
        } else {
            assert_eq!(v.levels[C_REGISTRY_WOMEN], ol::NULL);
            v.levels[C_REGISTRY_MEN]
        }
    };
    assert_eq!(reg(["حلب", "12"], ["حلب", "012"], "M"), ol::REG_BOTH);
    assert_eq!(reg(["حلب", "12"], ["حلب", ""], "M"), 2);
    assert_eq!(reg(["حلب", "12"], ["حلب", "13"], "F"), 3);
    assert_eq!(reg(["حلب", "12"], ["دمشق", "12"], "F"), 4);
    assert_eq!(reg(["حلب", "12"], ["دمشق", "13"], "M"), 5);
    assert_eq!(reg(["", "12"], ["حلب", ""], "M"), ol::NULL);
}

fn nn(a: &str, b: &str) -> u8 {
    compare(&[("national_number", a)], &[("national_number", b)]).levels[C_NUMBER]
}

#[test]
fn national_number_levels() {
    let n = |g, s, x| {
        sijil_core::NationalNumber::from_parts(g, s, x)
            .unwrap()
            .to_string()
    };
    let (a, b) = (n(1, 2, 345), n(1, 2, 346));
    assert_eq!(nn(&a, ""), ol::NULL);
    assert_eq!(nn(&a, &a), ol::NUMBER_EXACT);
    assert_eq!(nn(&a, &b), ol::NUMBER_CONFLICT);
    // A mistyped copy fails its check digit and is one digit off.
    let mut typo = a.clone().into_bytes();
    typo[4] = b'0' + (typo[4] - b'0' + 1) % 10;
    let typo = String::from_utf8(typo).unwrap();
    assert_eq!(nn(&a, &typo), 2);
    // Two adjacent digits swapped.
    let mut swap = a.clone().into_bytes();
    swap.swap(7, 8);
    let swap = String::from_utf8(swap).unwrap();
    if swap != a {
        assert_eq!(nn(&a, &swap), 2);
    }
    assert_eq!(nn(&typo, &b), 3);
}

#[test]
fn impossible_pairs() {
    let mut v = Vocab::default();
    let n = |g, s, x| {
        sijil_core::NationalNumber::from_parts(g, s, x)
            .unwrap()
            .to_string()
    };
    let m = prepare(
        &mut v,
        &record(&[("sex", "M"), ("national_number", &n(1, 2, 3))]),
        Convention::Unknown,
    );
    let f = prepare(&mut v, &record(&[("sex", "F")]), Convention::Unknown);
    let m2 = prepare(
        &mut v,
        &record(&[("sex", "M"), ("national_number", &n(1, 2, 4))]),
        Convention::Unknown,
    );
    let m3 = prepare(&mut v, &record(&[("sex", "M")]), Convention::Unknown);
    assert!(impossible(&m, &f));
    assert!(impossible(&m, &m2));
    assert!(!impossible(&m, &m3));
}

#[test]
fn vectors_pack_and_unpack() {
    let v = compare(
        &[
            ("first_name", "محمد"),
            ("family_name", "الحلبي"),
            ("birth_date", "1980"),
        ],
        &[
            ("first_name", "Mohammed"),
            ("family_name", "Halabi"),
            ("birth_date", "1981"),
        ],
    );
    assert!(v.cross);
    assert_eq!(Vector::unpack(v.pack()), v);
}

#[test]
fn coarse_skeletons_within_one() {
    assert!(within_one(b"KTR", b"KFTR"));
    assert!(within_one(b"KTR", b"KTR"));
    assert!(!within_one(b"KTR", b"MHMT"));
    assert!(!within_one(b"K", b"T"));
}
