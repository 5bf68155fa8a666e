//! Checks Sijil's credentials and zones with independent implementations (Python: pycose, cbor2
//! and base45 for the credential, `mrz` for the zones), through `tests/independent/check.py`.
//!
//! The test writes what Sijil produces into a temporary folder and runs the script on it. When
//! python3 or one of the modules is missing it is skipped with a note, unless
//! `SIJIL_REQUIRE_PYTHON_CHECKS=1` (as in CI), where a missing module is a failure.

mod common;

use std::{path::Path, process::Command};

use common::{issued_at, key, kid, typical_claims};
use serde_json::{Value, json};
use sijil_core::{PartialDate, Sex};
use sijil_docs::{
    CardClaims, CredentialId, PersonName, issue_card_credential,
    mrz::{MrzData, MrzDate, MrzName},
};
use time::{Duration, Time, macros::date};

const MODULES: &str = "import pycose, cbor2, base45, mrz";

fn python_ready() -> Result<(), String> {
    match Command::new("python3").args(["-c", MODULES]).output() {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(format!(
            "python3 cannot `{MODULES}`: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => Err(format!("python3 is not available: {e}")),
    }
}

fn credential_case(name: &str, claims: &CardClaims, seed: u8, key_id: &str) -> Value {
    let text = issue_card_credential(claims, &key(seed), &kid(key_id), issued_at());
    let midnight = |d: time::Date| d.with_time(Time::MIDNIGHT).assume_utc().unix_timestamp();
    let dob = &claims.birth_date;
    json!({
        "name": name,
        "text": text,
        "kid": key_id,
        "public_key_hex": hex::encode(key(seed).verifying_key().to_bytes()),
        "expect": {
            "iss": claims.issuer,
            "iat": issued_at().unix_timestamp(),
            "nbf": midnight(claims.issued_on),
            "exp": midnight(claims.expires_on + Duration::days(1)),
            "cti_hex": hex::encode(claims.credential_id.as_bytes()),
            "national_number": claims.national_number.as_str(),
            "language": "ara",
            "full_name": claims.name_ar.full(),
            "first": claims.name_ar.first,
            "father": claims.name_ar.father,
            "family": claims.name_ar.family,
            "dob": format!("{:04}{:02}{:02}", dob.year(), dob.month().unwrap_or(0), dob.day().unwrap_or(0)),
            "gender": claims.sex.map(|s| if s == Sex::Male { 1 } else { 2 }),
            "nationality": claims.nationality,
            "latin": claims.name_latin,
            "document_number": claims.document_number,
            "mother": claims.mother_name_ar,
            "birth_place": claims.birth_place_ar,
            "registry": claims.registry_ar,
        }
    })
}

fn credentials() -> Vec<Value> {
    let typical = typical_claims();
    let sparse = CardClaims {
        credential_id: CredentialId::new(vec![0xAB; 16]).unwrap(),
        document_number: "B00000001".into(),
        name_ar: PersonName {
            first: "هيفاء".into(),
            father: "مؤمن".into(),
            family: "آل إبراهيم".into(),
        },
        name_latin: None,
        mother_name_ar: None,
        birth_date: PartialDate::parse_unchecked("1950-06").unwrap(),
        birth_place_ar: None,
        sex: Some(Sex::Female),
        registry_ar: None,
        ..typical.clone()
    };
    let unknown_sex = CardClaims {
        sex: None,
        birth_date: PartialDate::parse_unchecked("1931").unwrap(),
        ..typical.clone()
    };
    vec![
        credential_case("typical card", &typical, 1, "SY-ID-1"),
        credential_case("sparse card, partial birth date", &sparse, 2, "SY-ID-2"),
        credential_case(
            "year-only birth date, sex unknown",
            &unknown_sex,
            3,
            "kid with spaces",
        ),
    ]
}

fn mrz_case(name: &str, format: &str, data: &MrzData) -> Value {
    let text = if format == "TD3" {
        data.to_td3()
    } else {
        data.to_td1()
    }
    .unwrap();
    let spaced = |s: &str| s.replace('<', " ");
    // What the field holds once truncated to its width.
    let held = sijil_docs::mrz::parse_mrz(&text).unwrap().data.name;
    json!({
        "name": name,
        "format": format,
        "text": text,
        "expect": {
            "surname": spaced(&held.primary),
            "name": spaced(&held.secondary),
            "country": data.issuing_state,
            "nationality": data.nationality,
            "document_number": data.document_number,
            "birth_date": data.birth_date.to_mrz(),
            "expiry_date": data.expiry_date.to_mrz(),
            "sex": match data.sex { Some(Sex::Male) => "M", Some(Sex::Female) => "F", None => "<" },
            "optional_data": data.optional_data,
        }
    })
}

fn zones() -> Vec<Value> {
    let specimen = MrzData {
        document_code: "P<".into(),
        issuing_state: "UTO".into(),
        name: MrzName::transliterate("Eriksson", "Anna Maria").unwrap(),
        document_number: "L898902C3".into(),
        nationality: "UTO".into(),
        birth_date: MrzDate::from_date(date!(1974 - 08 - 12)),
        sex: Some(Sex::Female),
        expiry_date: MrzDate::from_date(date!(2012 - 04 - 15)),
        optional_data: "ZE184226B".into(),
        optional_data_2: String::new(),
    };
    let td1_specimen = MrzData {
        document_code: "I<".into(),
        document_number: "D23145890".into(),
        optional_data: String::new(),
        ..specimen.clone()
    };
    let c = typical_claims();
    let passport = MrzData {
        document_code: "P<".into(),
        issuing_state: "SYR".into(),
        name: MrzName::transliterate(
            &c.name_ar.family,
            &format!("{} {}", c.name_ar.first, c.name_ar.father),
        )
        .unwrap(),
        document_number: "N01234567".into(),
        nationality: "SYR".into(),
        birth_date: MrzDate::from_partial(&c.birth_date),
        sex: c.sex,
        expiry_date: MrzDate::from_date(date!(2032 - 11 - 28)),
        optional_data: c.national_number.as_str().into(),
        optional_data_2: String::new(),
    };
    let id_card = MrzData {
        document_code: "I<".into(),
        document_number: c.document_number.clone(),
        expiry_date: MrzDate::from_date(c.expires_on),
        ..passport.clone()
    };
    let long_name = MrzData {
        name: MrzName::transliterate("فاطمة الزهراء", "عبد الرحمن محمد خير الدين الشامي").unwrap(),
        sex: Some(Sex::Female),
        ..passport.clone()
    };
    let no_sex_no_personal = MrzData {
        sex: None,
        optional_data: String::new(),
        document_number: "N7".into(),
        ..passport.clone()
    };
    vec![
        mrz_case("ICAO TD3 specimen", "TD3", &specimen),
        mrz_case("ICAO TD1 specimen", "TD1", &td1_specimen),
        mrz_case("Syrian passport, Arabic names", "TD3", &passport),
        mrz_case(
            "Syrian ID card, national number in optional data",
            "TD1",
            &id_card,
        ),
        mrz_case("truncated Arabic names, passport", "TD3", &long_name),
        mrz_case(
            "truncated Arabic names, ID card",
            "TD1",
            &MrzData {
                document_code: "I<".into(),
                ..long_name.clone()
            },
        ),
        mrz_case(
            "sex unspecified, no personal number, short number",
            "TD3",
            &no_sex_no_personal,
        ),
    ]
}

#[test]
fn credentials_and_zones_pass_independent_python_checkers() {
    let required = std::env::var("SIJIL_REQUIRE_PYTHON_CHECKS").is_ok_and(|v| v == "1");
    if let Err(why) = python_ready() {
        assert!(
            !required,
            "SIJIL_REQUIRE_PYTHON_CHECKS=1 but {why}; pip install pycose cbor2 base45 mrz"
        );
        eprintln!("independent checks skipped: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("credentials.json"),
        serde_json::to_string_pretty(&credentials()).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("mrz.json"),
        serde_json::to_string_pretty(&zones()).unwrap(),
    )
    .unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/independent/check.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "independent checks failed:\n{stdout}\n{stderr}"
    );
}
