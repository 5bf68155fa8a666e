//! The payload of a packet: one registration (validated record + capture metadata + evidence),
//! encoded as a CBOR map with small integer keys.
//!
//! **Wire format: do not edit casually.** The integer keys, the value encodings and the
//! evidence-kind numbers below are signed by offices that may stay offline for weeks; changing
//! one makes the central misread or refuse their packets. Add new keys with new numbers; never
//! reuse or renumber one. Any change needs a new [`crate::packet::FORMAT_VERSION`].
//!
//! Integer keys instead of field names keep a typical Syrian record near 300 bytes before
//! compression (names in Arabic are two bytes a letter, so every byte of framing counts). Absent
//! fields are left out. Decoding is strict: unknown or repeated keys, wrong types and bad values
//! are refused, naming the field.

use ciborium::Value;
use sijil_core::{
    Capture, Evidence, EvidenceKind, NationalNumber, OfficeCode, PartialDate, PersonRecord, Sex,
    Username,
};
use time::OffsetDateTime;

/// One registration as carried by a packet.
///
/// Wire format (see the module docs): do not add, remove or retype a field without a new key.
/// `captured_at` travels to the whole second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// The validated source record.
    pub record: PersonRecord,
    /// Who captured it, where, when, on what evidence.
    pub capture: Capture,
}

/// A payload that could not be decoded; `field` names where (`first_name`,
/// `evidence[2].kind`, `key 99`, or `payload` for the whole).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("payload field {field}: {problem}")]
pub struct PayloadError {
    /// The field.
    pub field: String,
    /// What is wrong with it.
    pub problem: String,
}

fn bad(field: impl Into<String>, problem: impl Into<String>) -> PayloadError {
    PayloadError {
        field: field.into(),
        problem: problem.into(),
    }
}

// Keys. Wire format: never renumber.
const RECORD_ID: u8 = 0;
const TEXT_FIELDS: [(u8, &str); 10] = [
    (1, "first_name"),
    (2, "father_name"),
    (3, "grandfather_name"),
    (4, "family_name"),
    (5, "mother_name"),
    (6, "mother_family_name"),
    (9, "birth_place"),
    (10, "registry_place"),
    (11, "registry_number"),
    (14, "source"),
];
const SEX: u8 = 7;
const BIRTH_DATE: u8 = 8;
const NATIONAL_NUMBER: u8 = 12;
const UNVERIFIED_NATIONAL_NUMBER: u8 = 13;
const OFFICE: u8 = 20;
const OFFICER: u8 = 21;
const CAPTURED_AT: u8 = 22;
const EVIDENCE: u8 = 23;

/// Evidence kinds as numbers. Wire format: never renumber; append only.
const EVIDENCE_KINDS: [EvidenceKind; 9] = [
    EvidenceKind::FamilyBooklet,
    EvidenceKind::CivilIdCard,
    EvidenceKind::BirthCertificate,
    EvidenceKind::Passport,
    EvidenceKind::RegisterExtract,
    EvidenceKind::RefugeeCard,
    EvidenceKind::CourtDecision,
    EvidenceKind::ForeignDocument,
    EvidenceKind::Witness,
];

fn text_slot(r: &PersonRecord, key: u8) -> &Option<String> {
    match key {
        1 => &r.first_name,
        2 => &r.father_name,
        3 => &r.grandfather_name,
        4 => &r.family_name,
        5 => &r.mother_name,
        6 => &r.mother_family_name,
        9 => &r.birth_place,
        10 => &r.registry_place,
        11 => &r.registry_number,
        _ => &r.source,
    }
}

fn text_slot_mut(r: &mut PersonRecord, key: u8) -> &mut Option<String> {
    match key {
        1 => &mut r.first_name,
        2 => &mut r.father_name,
        3 => &mut r.grandfather_name,
        4 => &mut r.family_name,
        5 => &mut r.mother_name,
        6 => &mut r.mother_family_name,
        9 => &mut r.birth_place,
        10 => &mut r.registry_place,
        11 => &mut r.registry_number,
        _ => &mut r.source,
    }
}

/// A partial date as one integer `yyyymmdd`, with `00` for an unknown month or day: 5 bytes
/// of CBOR instead of 11 for the text form.
fn date_code(d: PartialDate) -> u64 {
    d.year() as u64 * 10_000 + d.month().unwrap_or(0) as u64 * 100 + d.day().unwrap_or(0) as u64
}

fn date_from_code(code: u64) -> Option<PartialDate> {
    let (y, m, d) = (code / 10_000, code / 100 % 100, code % 100);
    let text = match (m, d) {
        (0, 0) => format!("{y:04}"),
        (_, 0) => format!("{y:04}-{m:02}"),
        (0, _) => return None,
        _ => format!("{y:04}-{m:02}-{d:02}"),
    };
    (y <= 9999).then_some(())?;
    PartialDate::parse_unchecked(&text).ok()
}

impl Registration {
    /// The CBOR encoding (integer keys in ascending order, absent fields left out).
    pub fn to_cbor(&self) -> Vec<u8> {
        let r = &self.record;
        let c = &self.capture;
        let mut map: Vec<(Value, Value)> = Vec::with_capacity(20);
        let mut put = |k: u8, v: Value| map.push((Value::Integer(k.into()), v));
        put(RECORD_ID, Value::Text(r.record_id.clone()));
        for key in 1..=14u8 {
            match key {
                SEX => {
                    if let Some(s) = r.sex {
                        put(SEX, Value::Integer(u8::from(s == Sex::Female).into()));
                    }
                }
                BIRTH_DATE => {
                    if let Some(d) = r.birth_date {
                        put(BIRTH_DATE, Value::Integer(date_code(d).into()));
                    }
                }
                NATIONAL_NUMBER => {
                    if let Some(n) = &r.national_number {
                        put(key, Value::Text(n.as_str().to_owned()));
                    }
                }
                UNVERIFIED_NATIONAL_NUMBER => {
                    if let Some(n) = &r.unverified_national_number {
                        put(key, Value::Text(n.clone()));
                    }
                }
                _ => {
                    if let Some(t) = text_slot(r, key) {
                        put(key, Value::Text(t.clone()));
                    }
                }
            }
        }
        put(OFFICE, Value::Text(c.office.as_str().to_owned()));
        put(OFFICER, Value::Text(c.officer.as_str().to_owned()));
        put(
            CAPTURED_AT,
            Value::Integer(c.captured_at.unix_timestamp().into()),
        );
        if !c.evidence.is_empty() {
            let list = c.evidence.iter().map(evidence_to_cbor).collect();
            put(EVIDENCE, Value::Array(list));
        }
        let mut out = Vec::with_capacity(320);
        ciborium::into_writer(&Value::Map(map), &mut out).expect("writing to a Vec cannot fail");
        out
    }

    /// Decodes and checks a payload (strict: see the module docs).
    pub fn from_cbor(bytes: &[u8]) -> Result<Self, PayloadError> {
        let mut rest = bytes;
        let value: Value = ciborium::de::from_reader_with_recursion_limit(&mut rest, 8)
            .map_err(|e| bad("payload", format!("not CBOR: {e}")))?;
        if !rest.is_empty() {
            return Err(bad("payload", "bytes after the end"));
        }
        let Value::Map(entries) = value else {
            return Err(bad("payload", "not a map"));
        };
        let mut record = PersonRecord::default();
        let (mut record_id, mut office, mut officer, mut captured_at) = (None, None, None, None);
        let mut evidence = Vec::new();
        let mut seen = 0u32;
        for (k, v) in entries {
            let key = match k {
                Value::Integer(i) => u8::try_from(i128::from(i))
                    .ok()
                    .filter(|&k| k < 32)
                    .ok_or_else(|| bad("payload", "key out of range"))?,
                _ => return Err(bad("payload", "key is not an integer")),
            };
            if seen & (1 << key) != 0 {
                return Err(bad(format!("key {key}"), "repeated"));
            }
            seen |= 1 << key;
            match key {
                RECORD_ID => record_id = Some(text(v, "record_id")?),
                SEX => {
                    record.sex = Some(match uint(v, "sex")? {
                        0 => Sex::Male,
                        1 => Sex::Female,
                        _ => return Err(bad("sex", "not 0 or 1")),
                    })
                }
                BIRTH_DATE => {
                    let code = uint(v, "birth_date")?;
                    record.birth_date = Some(
                        date_from_code(code).ok_or_else(|| bad("birth_date", "no such date"))?,
                    )
                }
                NATIONAL_NUMBER => {
                    let t = text(v, "national_number")?;
                    record.national_number = Some(
                        NationalNumber::parse(&t)
                            .map_err(|e| bad("national_number", e.to_string()))?,
                    )
                }
                UNVERIFIED_NATIONAL_NUMBER => {
                    record.unverified_national_number = Some(text(v, "unverified_national_number")?)
                }
                OFFICE => {
                    let t = text(v, "office")?;
                    office = Some(OfficeCode::parse(&t).map_err(|p| bad("office", p.message_en()))?)
                }
                OFFICER => {
                    let t = text(v, "officer")?;
                    officer = Some(Username::parse(&t).map_err(|p| bad("officer", p.message_en()))?)
                }
                CAPTURED_AT => {
                    let secs = match v {
                        Value::Integer(i) => i64::try_from(i128::from(i)).ok(),
                        _ => None,
                    };
                    captured_at = Some(
                        secs.and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
                            .ok_or_else(|| bad("captured_at", "not a time"))?,
                    )
                }
                EVIDENCE => evidence = evidence_list(v)?,
                _ => match TEXT_FIELDS.iter().find(|(k, _)| *k == key) {
                    Some(&(k, name)) => *text_slot_mut(&mut record, k) = Some(text(v, name)?),
                    None => return Err(bad(format!("key {key}"), "unknown")),
                },
            }
        }
        record.record_id = record_id.ok_or_else(|| bad("record_id", "missing"))?;
        let capture = Capture {
            office: office.ok_or_else(|| bad("office", "missing"))?,
            officer: officer.ok_or_else(|| bad("officer", "missing"))?,
            captured_at: captured_at.ok_or_else(|| bad("captured_at", "missing"))?,
            evidence,
        };
        Ok(Self { record, capture })
    }
}

/// Evidence as `[kind, reference?, note?]`: a missing reference before a note is `null`.
fn evidence_to_cbor(e: &Evidence) -> Value {
    let kind = EVIDENCE_KINDS
        .iter()
        .position(|k| *k == e.kind)
        .expect("every kind is listed");
    let mut items = vec![Value::Integer(kind.into())];
    match (&e.reference, &e.note) {
        (None, None) => {}
        (Some(r), None) => items.push(Value::Text(r.clone())),
        (r, Some(n)) => {
            items.push(r.clone().map_or(Value::Null, Value::Text));
            items.push(Value::Text(n.clone()));
        }
    }
    Value::Array(items)
}

fn evidence_list(v: Value) -> Result<Vec<Evidence>, PayloadError> {
    let Value::Array(list) = v else {
        return Err(bad("evidence", "not an array"));
    };
    if list.len() > sijil_core::capture::MAX_EVIDENCE {
        return Err(bad("evidence", "too many items"));
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.into_iter().enumerate() {
        let Value::Array(parts) = item else {
            return Err(bad(format!("evidence[{i}]"), "not an array"));
        };
        if parts.is_empty() || parts.len() > 3 {
            return Err(bad(format!("evidence[{i}]"), "wrong length"));
        }
        let mut parts = parts.into_iter();
        let kind_field = format!("evidence[{i}].kind");
        let kind = usize::try_from(uint(parts.next().expect("checked"), &kind_field)?)
            .ok()
            .and_then(|k| EVIDENCE_KINDS.get(k).copied())
            .ok_or_else(|| bad(&kind_field, "unknown kind"))?;
        let mut opt = |name: &str| -> Result<Option<String>, PayloadError> {
            match parts.next() {
                None | Some(Value::Null) => Ok(None),
                Some(v) => text(v, &format!("evidence[{i}].{name}")).map(Some),
            }
        };
        let reference = opt("reference")?;
        let note = opt("note")?;
        out.push(Evidence {
            kind,
            reference,
            note,
        });
    }
    Ok(out)
}

fn text(v: Value, field: &str) -> Result<String, PayloadError> {
    match v {
        Value::Text(t) if !t.is_empty() && t.trim() == t => Ok(t),
        Value::Text(_) => Err(bad(field, "empty or untrimmed text")),
        _ => Err(bad(field, "not text")),
    }
}

fn uint(v: Value, field: &str) -> Result<u64, PayloadError> {
    match v {
        Value::Integer(i) => u64::try_from(i128::from(i)).map_err(|_| bad(field, "negative")),
        _ => Err(bad(field, "not an integer")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::registration;

    #[test]
    fn a_registration_survives_the_round_trip() {
        let r = registration(1);
        let bytes = r.to_cbor();
        assert_eq!(Registration::from_cbor(&bytes).unwrap(), r);
    }

    #[test]
    fn partial_dates_keep_their_precision() {
        for s in ["1980", "1980-05", "1980-05-03"] {
            let d = PartialDate::parse_unchecked(s).unwrap();
            assert_eq!(date_from_code(date_code(d)), Some(d));
        }
        assert_eq!(date_from_code(19_800_003), None);
        assert_eq!(date_from_code(19_800_231), None);
    }

    #[test]
    fn errors_name_the_field() {
        let mut map = vec![(Value::Integer(0.into()), Value::Text("R1".into()))];
        map.push((Value::Integer(7.into()), Value::Integer(5.into())));
        let mut bytes = Vec::new();
        ciborium::into_writer(&Value::Map(map.clone()), &mut bytes).unwrap();
        assert_eq!(Registration::from_cbor(&bytes).unwrap_err().field, "sex");
        map[1] = (Value::Integer(0.into()), Value::Text("R2".into()));
        bytes.clear();
        ciborium::into_writer(&Value::Map(map.clone()), &mut bytes).unwrap();
        assert_eq!(Registration::from_cbor(&bytes).unwrap_err().field, "key 0");
        map[1] = (Value::Integer(30.into()), Value::Null);
        bytes.clear();
        ciborium::into_writer(&Value::Map(map), &mut bytes).unwrap();
        assert_eq!(Registration::from_cbor(&bytes).unwrap_err().field, "key 30");
    }
}
