//! A typical Syrian card with a credential signed by a fixed test key, shared by the tests and
//! the `render` example.
#![allow(dead_code)]

use ed25519_dalek::SigningKey;
use sijil_card::{CardData, Field, Label};
use sijil_docs::{CardClaims, KeyId, KeyUsage, TrustList, TrustedKey};
use time::{OffsetDateTime, macros::datetime};

pub fn key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

pub fn kid() -> KeyId {
    KeyId::new(b"SY-ID-1".to_vec()).unwrap()
}

pub fn issued_at() -> OffsetDateTime {
    datetime!(2026-11-29 09:30 UTC)
}

pub fn trust() -> TrustList {
    let mut t = TrustList::new();
    t.insert(TrustedKey::new(
        kid(),
        key().verifying_key(),
        KeyUsage::Credentials,
        datetime!(2026-01-01 0:00 UTC),
    ));
    t
}

pub fn claims() -> CardClaims {
    CardClaims::specimen()
}

/// The card for [`claims`], labelled as the server labels it.
pub fn card() -> CardData {
    let c = claims();
    let credential = sijil_docs::issue_card_credential(&c, &key(), &kid(), issued_at());
    let f = |ar: &str, en: &str, v: &str| Field::new(Label::new(ar, en), v);
    CardData {
        name_ar: f("الاسم", "Name", &c.name_ar.full()),
        name_latin: f(
            "الاسم بالأحرف اللاتينية",
            "Name (Latin)",
            c.name_latin.as_deref().unwrap(),
        ),
        national_number: f("الرقم الوطني", "National no.", c.national_number.as_str()),
        sex: f("الجنس", "Sex", "ذكر / M"),
        birth_date: f("تاريخ الولادة", "Date of birth", "1985-03-17"),
        birth_place: f("مكان الولادة", "Place of birth", "دمشق"),
        mother: f("اسم الأم", "Mother", "فاطمة الزهراء الشامي"),
        registry: f("محل ورقم القيد", "Civil register", "دمشق - الميدان 245"),
        card_number: f("رقم البطاقة", "Card no.", &c.document_number),
        issued_on: f("تاريخ المنح", "Issued", "2026-11-29"),
        expires_on: f("تاريخ الانتهاء", "Expires", "2036-11-28"),
        photo: Label::new("الصورة", "Photo"),
        qr_caption: Label::new("رمز موقّع رقمياً", "Digitally signed code"),
        mrz: c.td1_zone().unwrap(),
        credential,
    }
}
