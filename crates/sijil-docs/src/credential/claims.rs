//! CWT claims <-> [`CardClaims`], per the table in the module documentation.

use ciborium::Value;
use sijil_core::{NationalNumber, PartialDate, Sex};
use time::{Date, Duration, OffsetDateTime, Time};

use super::{CardClaims, CredentialId, PersonName, VerifyError};

const ISS: i64 = 1;
const EXP: i64 = 4;
const NBF: i64 = 5;
const IAT: i64 = 6;
const CTI: i64 = 7;
const IDENTITY: i64 = 169;
/// Private-use CWT claim (RFC 8392 §9.1: below -65536) for what Claim 169 has no key for.
const SIJIL: i64 = -65537;

/// The times a credential carries, as Unix seconds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Times {
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
}

fn midnight(date: Date) -> i64 {
    date.with_time(Time::MIDNIGHT).assume_utc().unix_timestamp()
}

pub(crate) fn encode(claims: &CardClaims, now: OffsetDateTime) -> Vec<u8> {
    let int = |k: i64| Value::Integer(k.into());
    let text = |s: &str| Value::Text(s.to_owned());
    let mut identity = vec![
        (int(1), text(claims.national_number.as_str())),
        (int(3), text("ara")),
        (int(4), text(&claims.name_ar.full())),
        (int(5), text(&claims.name_ar.first)),
        (int(6), text(&claims.name_ar.father)),
        (int(7), text(&claims.name_ar.family)),
        (int(8), text(&dob(&claims.birth_date))),
    ];
    if let Some(sex) = claims.sex {
        identity.push((int(9), int(if sex == Sex::Male { 1 } else { 2 })));
    }
    identity.push((int(13), text(&claims.nationality)));
    if let Some(latin) = &claims.name_latin {
        identity.push((int(19), text(latin)));
        identity.push((int(20), text("eng")));
    }
    let mut sijil = vec![(int(1), text(&claims.document_number))];
    for (key, value) in [
        (2, &claims.mother_name_ar),
        (3, &claims.birth_place_ar),
        (4, &claims.registry_ar),
    ] {
        if let Some(v) = value {
            sijil.push((int(key), text(v)));
        }
    }
    let cwt = Value::Map(vec![
        (int(ISS), text(&claims.issuer)),
        (
            int(EXP),
            int(midnight(claims.expires_on + Duration::days(1))),
        ),
        (int(NBF), int(midnight(claims.issued_on))),
        (int(IAT), int(now.unix_timestamp())),
        (
            int(CTI),
            Value::Bytes(claims.credential_id.as_bytes().to_vec()),
        ),
        (int(IDENTITY), Value::Map(identity)),
        (int(SIJIL), Value::Map(sijil)),
    ]);
    let mut out = Vec::with_capacity(512);
    ciborium::into_writer(&cwt, &mut out).expect("writing CBOR to memory cannot fail");
    out
}

/// `YYYYMMDD`, with `00` for an unknown month or day.
fn dob(d: &PartialDate) -> String {
    format!(
        "{:04}{:02}{:02}",
        d.year(),
        d.month().unwrap_or(0),
        d.day().unwrap_or(0)
    )
}

fn malformed(claim: &str, reason: impl Into<String>) -> VerifyError {
    VerifyError::MalformedClaim {
        claim: claim.to_owned(),
        reason: reason.into(),
    }
}

/// A CBOR map with integer keys, looked up by key.
struct IntMap<'a> {
    entries: &'a [(Value, Value)],
    prefix: &'static str,
}

impl<'a> IntMap<'a> {
    fn new(
        value: &'a Value,
        what: &'static str,
        prefix: &'static str,
    ) -> Result<Self, VerifyError> {
        match value {
            Value::Map(entries) => Ok(Self { entries, prefix }),
            _ => Err(malformed(what, "not a map")),
        }
    }

    fn get(&self, key: i64) -> Option<&'a Value> {
        self.entries.iter().find_map(|(k, v)| match k {
            Value::Integer(i) if i128::from(*i) == i128::from(key) => Some(v),
            _ => None,
        })
    }

    fn name(&self, key: i64, what: &str) -> String {
        format!("{}{key} ({what})", self.prefix)
    }

    fn text(&self, key: i64, what: &str) -> Result<Option<String>, VerifyError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Text(s)) if s.trim().is_empty() => {
                Err(malformed(&self.name(key, what), "empty"))
            }
            Some(Value::Text(s)) => Ok(Some(s.clone())),
            Some(_) => Err(malformed(&self.name(key, what), "not a text string")),
        }
    }

    fn required_text(&self, key: i64, what: &str) -> Result<String, VerifyError> {
        self.text(key, what)?
            .ok_or_else(|| malformed(&self.name(key, what), "missing"))
    }

    fn int(&self, key: i64, what: &str) -> Result<Option<i64>, VerifyError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Integer(i)) => i64::try_from(i128::from(*i))
                .map(Some)
                .map_err(|_| malformed(&self.name(key, what), "out of range")),
            Some(_) => Err(malformed(&self.name(key, what), "not an integer")),
        }
    }

    fn required_int(&self, key: i64, what: &str) -> Result<i64, VerifyError> {
        self.int(key, what)?
            .ok_or_else(|| malformed(&self.name(key, what), "missing"))
    }
}

/// The CWT's times, read before the rest so the key's period of use can be checked.
pub(crate) fn decode_times(cwt: &Value) -> Result<Times, VerifyError> {
    let m = IntMap::new(cwt, "CWT claims", "")?;
    Ok(Times {
        iat: m.required_int(IAT, "iat")?,
        nbf: m.required_int(NBF, "nbf")?,
        exp: m.required_int(EXP, "exp")?,
    })
}

pub(crate) fn parse_payload(payload: &[u8]) -> Result<Value, VerifyError> {
    ciborium::from_reader(payload).map_err(|e| malformed("CWT claims", format!("not CBOR: {e}")))
}

pub(crate) fn decode(cwt: &Value, times: Times) -> Result<CardClaims, VerifyError> {
    let m = IntMap::new(cwt, "CWT claims", "")?;
    let issuer = m.required_text(ISS, "iss")?;
    let credential_id = match m.get(CTI) {
        Some(Value::Bytes(b)) => {
            CredentialId::new(b.clone()).map_err(|e| malformed("7 (cti)", e.to_string()))?
        }
        Some(_) => return Err(malformed("7 (cti)", "not a byte string")),
        None => return Err(malformed("7 (cti)", "missing")),
    };
    let id = IntMap::new(
        m.get(IDENTITY)
            .ok_or_else(|| malformed("169 (identity data)", "missing"))?,
        "169 (identity data)",
        "169/",
    )?;
    let national_number = NationalNumber::parse(&id.required_text(1, "national number")?)
        .map_err(|e| malformed("169/1 (national number)", e.to_string()))?;
    let name_ar = PersonName {
        first: id.required_text(5, "first name")?,
        father: id.required_text(6, "middle name")?,
        family: id.required_text(7, "last name")?,
    };
    let birth_date = parse_dob(&id.required_text(8, "date of birth")?).ok_or_else(|| {
        malformed(
            "169/8 (date of birth)",
            "not YYYYMMDD (00 for unknown parts)",
        )
    })?;
    let sex = match id.int(9, "gender")? {
        None | Some(3) => None,
        Some(1) => Some(Sex::Male),
        Some(2) => Some(Sex::Female),
        Some(other) => {
            return Err(malformed(
                "169/9 (gender)",
                format!("{other} is not 1, 2 or 3"),
            ));
        }
    };
    let nationality = id.required_text(13, "nationality")?;
    let name_latin = id.text(19, "full name, secondary language")?;

    let ext = IntMap::new(
        m.get(SIJIL)
            .ok_or_else(|| malformed("-65537 (Sijil extension)", "missing"))?,
        "-65537 (Sijil extension)",
        "-65537/",
    )?;
    let document_number = ext.required_text(1, "document number")?;

    let day = |secs: i64, what: &str| {
        OffsetDateTime::from_unix_timestamp(secs)
            .map(|t| t.date())
            .map_err(|_| malformed(what, "out of range"))
    };
    Ok(CardClaims {
        issuer,
        credential_id,
        document_number,
        national_number,
        name_ar,
        name_latin,
        mother_name_ar: ext.text(2, "mother's name")?,
        birth_date,
        birth_place_ar: ext.text(3, "place of birth")?,
        sex,
        registry_ar: ext.text(4, "civil registry")?,
        nationality,
        issued_on: day(times.nbf, "5 (nbf)")?,
        expires_on: day(times.exp.saturating_sub(1), "4 (exp)")?,
    })
}

fn parse_dob(s: &str) -> Option<PartialDate> {
    let b = s.as_bytes();
    if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let text = match (&s[4..6], &s[6..8]) {
        ("00", "00") => s[..4].to_owned(),
        (m, "00") => format!("{}-{m}", &s[..4]),
        ("00", _) => return None,
        (m, d) => format!("{}-{m}-{d}", &s[..4]),
    };
    PartialDate::parse_unchecked(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_birth_keep_their_precision() {
        for text in ["1980", "1980-07", "1980-07-15"] {
            let d = PartialDate::parse_unchecked(text).unwrap();
            assert_eq!(parse_dob(&dob(&d)), Some(d), "{text}");
        }
        assert_eq!(
            dob(&PartialDate::parse_unchecked("1980").unwrap()),
            "19800000"
        );
        assert_eq!(parse_dob("19800015"), None);
        assert_eq!(parse_dob("19801315"), None);
        assert_eq!(parse_dob("1980-7-1"), None);
    }
}
