//! A typical Syrian registration, for tests, examples, fuzz seeds and size measurements.

use sijil_core::{
    Capture, Evidence, EvidenceKind, NationalNumber, OfficeCode, PartialDate, PersonRecord, Sex,
    Username,
};
use time::OffsetDateTime;

use crate::payload::Registration;

const FIRST: [&str; 6] = ["محمد", "أحمد", "فاطمة", "عبد الرحمن", "خديجة", "يوسف"];
const FAMILY: [&str; 6] = ["الحلبي", "العلي", "الأحمد", "الخطيب", "الشامي", "الحمصي"];
const PLACES: [&str; 6] = ["حلب", "دمشق", "حمص", "إدلب", "دير الزور", "اللاذقية"];

/// Registration number `i` (any `i` gives a valid record): full Arabic names, a full birth
/// date, a national number, and one family booklet seen.
pub fn registration(i: u32) -> Registration {
    let n = i as usize;
    let pick = |list: &[&str], k: usize| list[(n + k) % list.len()].to_owned();
    let record = PersonRecord {
        record_id: format!("DAM-01-2026-{i:06}"),
        first_name: Some(pick(&FIRST, 0)),
        father_name: Some(pick(&FIRST, 1)),
        grandfather_name: Some(pick(&FIRST, 2)),
        family_name: Some(pick(&FAMILY, 0)),
        mother_name: Some(pick(&FIRST, 4)),
        mother_family_name: Some(pick(&FAMILY, 3)),
        sex: Some(if i.is_multiple_of(2) {
            Sex::Male
        } else {
            Sex::Female
        }),
        birth_date: Some(
            PartialDate::parse_unchecked(&format!(
                "19{:02}-0{}-1{}",
                50 + i % 50,
                1 + i % 9,
                i % 10
            ))
            .expect("valid date"),
        ),
        birth_place: Some(pick(&PLACES, 0)),
        registry_place: Some(pick(&PLACES, 1)),
        registry_number: Some(format!("{}", 100 + i % 900)),
        national_number: NationalNumber::from_parts(1 + (i % 14) as u8, 3, 10_000 + i),
        unverified_national_number: None,
        source: Some("تسجيل ميداني".to_owned()),
    };
    let capture = Capture {
        office: OfficeCode::parse("DAM-01").expect("valid office"),
        officer: Username::parse("clerk.samira").expect("valid user"),
        captured_at: OffsetDateTime::from_unix_timestamp(1_795_000_000 + i64::from(i) * 61)
            .expect("valid time"),
        evidence: vec![Evidence {
            kind: EvidenceKind::FamilyBooklet,
            reference: Some(format!("FB-{:07}", 1_234_567 + i)),
            note: Some("دفتر عائلة أصلي".to_owned()),
        }],
    };
    Registration { record, capture }
}
