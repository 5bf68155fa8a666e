//! Issuing documents from the registry, and the signed lists that checkpoints receive: the
//! glue between the store (rows, audit), the keyring (files) and sijil-docs (pure formats).
//! The JSON API, the web pages and the command line all call these functions.

use std::sync::Mutex;

use sijil_core::{PersonView, Problem, ValidationErrors};
use sijil_docs::{
    AlertList, CardClaims, CredentialId, KeyUsage, PersonName, RevocationList, RevocationReason,
    issue_card_credential,
    mrz::{MrzData, MrzDate, MrzName},
};
use sijil_store::{
    Actor, Store,
    documents::{Document, DocumentKind, DocumentStatus, NewDocument, Printed},
};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{AppError, keyring::Keyring};

/// The issuer written in every credential (CWT `iss`).
pub const ISSUER: &str = "https://sijil.gov.sy/id";

/// Years an ID card is valid.
pub const CARD_YEARS: i32 = 10;
/// Years a passport is valid.
pub const PASSPORT_YEARS: i32 = 6;

/// The last day of validity of a document issued on `issued_on` for `years`.
pub fn expiry(issued_on: Date, years: i32) -> Date {
    let year = issued_on.year() + years;
    let day = issued_on
        .day()
        .min(time::util::days_in_month(issued_on.month(), year));
    Date::from_calendar_date(year, issued_on.month(), day)
        .expect("a valid date")
        .previous_day()
        .expect("not the first day of time")
}

fn missing(field: &str) -> ValidationErrors {
    ValidationErrors::single(field, Problem::Required)
}

/// The parts of a person's name a document needs; each missing part is named.
fn names(view: &PersonView) -> Result<PersonName, AppError> {
    let mut errors = Vec::new();
    for (field, v) in [
        ("first_name", &view.first_name),
        ("father_name", &view.father_name),
        ("family_name", &view.family_name),
    ] {
        if v.as_deref().is_none_or(str::is_empty) {
            errors.extend(missing(field).0);
        }
    }
    if !errors.is_empty() {
        return Err(ValidationErrors(errors).into());
    }
    Ok(printed_name(view))
}

/// The name as a document prints it, a missing part left empty (for showing a document
/// already issued; issuing refuses a name with a part missing).
pub fn printed_name(view: &PersonView) -> PersonName {
    PersonName {
        first: view.first_name.clone().unwrap_or_default(),
        father: view.father_name.clone().unwrap_or_default(),
        family: view.family_name.clone().unwrap_or_default(),
    }
}

/// The Latin rendering of a name printed on documents: each part's usual spelling from the
/// name dictionary (`محمد` → Muhammad; a family name keeps its article, Al-Halabi), and for a
/// name the dictionary does not know, the ICAO transliteration of the zone (so it can still be
/// read back into Arabic), in title case.
pub fn latin_name(name: &PersonName) -> Option<String> {
    let mut words = Vec::new();
    for (i, part) in [&name.first, &name.father, &name.family]
        .into_iter()
        .enumerate()
    {
        let family = i == 2;
        let part = part.trim();
        if let Some(latin) = sijil_names::latin_spelling(part) {
            words.push(with_article(part, latin, family));
            continue;
        }
        for word in part.split_whitespace() {
            match sijil_names::latin_spelling(word) {
                Some(latin) => words.push(with_article(word, latin, family)),
                None => match word
                    .strip_prefix("ال")
                    .and_then(sijil_names::latin_spelling)
                {
                    // A family name made from a given name with the article (الأحمد).
                    Some(latin) => words.push(format!("Al-{latin}")),
                    None => {
                        let zone = sijil_docs::mrz::names::transliterate(word).ok()?;
                        words.push(title_case(&zone.replace('<', "-")));
                    }
                },
            }
        }
    }
    (!words.is_empty()).then(|| words.join(" "))
}

fn with_article(arabic: &str, latin: &str, family: bool) -> String {
    let has = latin.to_ascii_lowercase().starts_with("al");
    if family && arabic.starts_with("ال") && !has {
        format!("Al-{latin}")
    } else {
        latin.to_owned()
    }
}

fn title_case(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// Issues a national ID card to a person: reads them (audited), signs the credential with the
/// card key in use, writes the TD1 zone, and stores it (the earlier card is cancelled).
pub async fn issue_id_card<S: Store>(
    store: &S,
    keyring: &Mutex<Keyring>,
    person_id: Uuid,
    actor: &Actor,
) -> Result<Document, AppError> {
    let now = OffsetDateTime::now_utc();
    let person = store.person(person_id, actor).await?.person;
    let view = &person.view;
    let name_ar = names(view)?;
    let birth_date = view.birth_date.ok_or_else(|| missing("birth_date"))?;
    let (kid, key) = keyring
        .lock()
        .map_err(|_| AppError::Internal(anyhow::anyhow!("keyring lock poisoned")))?
        .signing_key(KeyUsage::Credentials, now)
        .map_err(|e| AppError::Internal(e.into()))?;
    let mut cti = [0u8; 8];
    getrandom::fill(&mut cti).map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let issued_on = now.date();
    let template = CardClaims {
        issuer: ISSUER.into(),
        credential_id: CredentialId::new(cti.to_vec()).expect("8 bytes"),
        document_number: String::new(),
        national_number: person.national_number.clone(),
        name_latin: latin_name(&name_ar),
        name_ar,
        mother_name_ar: match (&view.mother_name, &view.mother_family_name) {
            (Some(m), Some(f)) => Some(format!("{m} {f}")),
            (Some(m), None) => Some(m.clone()),
            _ => None,
        },
        birth_date,
        birth_place_ar: view.birth_place.clone(),
        sex: view.sex,
        registry_ar: match (&view.registry_place, &view.registry_number) {
            (Some(p), Some(n)) => Some(format!("{p} {n}")),
            _ => None,
        },
        nationality: "SYR".into(),
        issued_on,
        expires_on: expiry(issued_on, CARD_YEARS),
    };
    let print = |number: &str| -> Result<Printed, String> {
        let mut claims = template.clone();
        claims.document_number = number.to_owned();
        let mrz = claims.td1_zone().map_err(|e| e.to_string())?;
        let text = issue_card_credential(&claims, &key, &kid, now);
        Ok(Printed {
            mrz,
            credential: Some((text, hex::encode(cti), kid.to_string())),
        })
    };
    let new = NewDocument {
        kind: DocumentKind::IdCard,
        person_id,
        issued_on,
        expires_on: template.expires_on,
    };
    Ok(store.issue_document(new, &print, actor).await?)
}

/// Issues the passport of an approved application, with its TD3 zone.
pub async fn issue_passport<S: Store>(
    store: &S,
    application_id: Uuid,
    actor: &Actor,
) -> Result<Document, AppError> {
    let app = store.passport_application(application_id).await?;
    let person = store.person(app.person_id, actor).await?.person;
    let name = names(&person.view)?;
    let birth = person
        .view
        .birth_date
        .ok_or_else(|| missing("birth_date"))?;
    let issued_on = OffsetDateTime::now_utc().date();
    let expires_on = expiry(issued_on, PASSPORT_YEARS);
    let mrz_name = MrzName::transliterate(&name.family, &format!("{} {}", name.first, name.father))
        .map_err(|e| AppError::Conflict(format!("the name cannot be written in the zone: {e}")))?;
    let print = |number: &str| -> Result<Printed, String> {
        let mrz = MrzData {
            document_code: "P<".into(),
            issuing_state: "SYR".into(),
            name: mrz_name.clone(),
            document_number: number.to_owned(),
            nationality: "SYR".into(),
            birth_date: MrzDate::from_partial(&birth),
            sex: person.view.sex,
            expiry_date: MrzDate::from_date(expires_on),
            optional_data: person.national_number.as_str().to_owned(),
            optional_data_2: String::new(),
        }
        .to_td3()
        .map_err(|e| e.to_string())?;
        Ok(Printed {
            mrz,
            credential: None,
        })
    };
    Ok(store
        .issue_passport(application_id, issued_on, expires_on, &print, actor)
        .await?)
}

/// The revocation list as of now, built from the documents' status histories. Its version is
/// the time in milliseconds, so each list is newer than the last.
pub async fn current_revocations<S: Store>(store: &S) -> Result<RevocationList, AppError> {
    let now = OffsetDateTime::now_utc();
    let mut list = RevocationList::new(version(now), now);
    for (number, status) in store.revoked_documents().await? {
        let reason = match status {
            DocumentStatus::Lost => RevocationReason::Lost,
            DocumentStatus::Stolen => RevocationReason::Stolen,
            _ => RevocationReason::Cancelled,
        };
        list.revoke_document_for(number, reason);
    }
    Ok(list)
}

/// The alert list as of now.
pub async fn current_alerts<S: Store>(store: &S) -> Result<AlertList, AppError> {
    let now = OffsetDateTime::now_utc();
    let mut list = AlertList::new(version(now), now);
    for alert in store.active_alerts().await? {
        // An alert on a merged-away number holds the survivor too: a checkpoint reading the
        // survivor's card must see it.
        if let Some(survivor) = alert.survivor_number {
            list.add(survivor, alert.code.clone());
        }
        list.add(alert.national_number, alert.code);
    }
    Ok(list)
}

/// The current revocation list, signed with the list key: what offices receive through sync.
pub async fn revocation_list<S: Store>(
    store: &S,
    keyring: &Mutex<Keyring>,
) -> Result<Vec<u8>, AppError> {
    let list = current_revocations(store).await?;
    let (kid, key) = list_key(keyring, list.issued_at)?;
    Ok(list.sign(&key, &kid))
}

/// The current alert list, signed with the list key.
pub async fn alert_list<S: Store>(
    store: &S,
    keyring: &Mutex<Keyring>,
) -> Result<Vec<u8>, AppError> {
    let list = current_alerts(store).await?;
    let (kid, key) = list_key(keyring, list.issued_at)?;
    Ok(list.sign(&key, &kid))
}

fn version(now: OffsetDateTime) -> u64 {
    u64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
}

/// The key that signs lists now (whole lists and their deltas alike).
pub(crate) fn list_key(
    keyring: &Mutex<Keyring>,
    now: OffsetDateTime,
) -> Result<(sijil_docs::KeyId, ed25519_dalek::SigningKey), AppError> {
    keyring
        .lock()
        .map_err(|_| AppError::Internal(anyhow::anyhow!("keyring lock poisoned")))?
        .signing_key(KeyUsage::Lists, now)
        .map_err(|e| AppError::Internal(e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn validity_ends_the_day_before_the_anniversary() {
        assert_eq!(expiry(date!(2026 - 11 - 29), 10), date!(2036 - 11 - 28));
        assert_eq!(expiry(date!(2028 - 02 - 29), 6), date!(2034 - 02 - 27));
    }

    #[test]
    fn the_latin_name_uses_the_usual_spellings_and_falls_back_to_the_zone() {
        let name = PersonName {
            first: "محمد".into(),
            father: "عبد الرحمن".into(),
            family: "الحلبي".into(),
        };
        assert_eq!(
            latin_name(&name).as_deref(),
            Some("Muhammad Abdulrahman Al-Halabi")
        );
        let rare = PersonName {
            first: "زبرجد".into(),
            father: "علي".into(),
            family: "الحلبي".into(),
        };
        assert_eq!(latin_name(&rare).as_deref(), Some("Zbrjd Ali Al-Halabi"));
        let article = PersonName {
            first: "فاطمة".into(),
            father: "عمر".into(),
            family: "الأحمد".into(),
        };
        assert_eq!(
            latin_name(&article).as_deref(),
            Some("Fatima Omar Al-Ahmad")
        );
    }
}
