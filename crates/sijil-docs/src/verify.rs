//! What a checkpoint needs to know about a document, offline: is it genuine, is it in date, is
//! it revoked (lost, stolen, cancelled), is its holder under an alert, and who the holder is.
//!
//! [`Verifier`] holds the trust list and the lists the device last received, and turns a QR
//! payload or a machine-readable zone into one [`Verdict`] that lists *every* finding rather
//! than the first: an officer holding an expired card that was also reported stolen must see
//! both. Only a signature proves a document genuine; a zone carries check digits but no
//! signature, so a consistent zone is reported as "consistent, not signed" and the officer is
//! told to inspect the document itself.

use serde_json::{Value, json};
use sijil_core::Sex;
use time::{Date, OffsetDateTime};

use crate::credential::{
    Alert, AlertList, KeyId, RevocationList, RevocationReason, TrustList, VerifyError,
    read_credential,
};
use crate::mrz::{MrzFormat, arabic_from_mrz, parse_mrz};

/// The trust list and the lists a device holds.
#[derive(Debug, Clone, Copy)]
pub struct Verifier<'a> {
    /// Public keys by key id.
    pub trust: &'a TrustList,
    /// The newest revocation list received.
    pub revocations: &'a RevocationList,
    /// The newest alert list received.
    pub alerts: &'a AlertList,
}

/// What was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    /// The signed credential of an ID card's QR code.
    Qr,
    /// A machine-readable zone.
    Mrz(MrzFormat),
}

/// How far the document was shown to be genuine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authenticity {
    /// The signature verified with a trusted key.
    Signed {
        /// The key.
        key_id: KeyId,
        /// When it was signed.
        signed_at: OffsetDateTime,
    },
    /// A zone whose check digits agree; it has no signature, so nothing more is proved.
    ConsistentZone,
    /// Not genuine, or unreadable.
    Failed(Failure),
}

/// Why a document could not be shown genuine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The signature does not match: the content was altered or another key signed it.
    BadSignature(VerifyError),
    /// The key id is not on the trust list.
    UnknownKey(VerifyError),
    /// The key is revoked, retired before signing, or not trusted for cards.
    UntrustedKey(VerifyError),
    /// Not a credential at all, or cut short, or with a claim of the wrong form.
    Malformed(VerifyError),
    /// A zone with a wrong check digit, character or shape.
    BadZone(crate::mrz::MrzError),
}

impl Failure {
    fn of(e: VerifyError) -> Self {
        match e {
            VerifyError::BadSignature(_) => Failure::BadSignature(e),
            VerifyError::UnknownKeyId(_) => Failure::UnknownKey(e),
            VerifyError::KeyRevoked(_)
            | VerifyError::KeyNotValidWhenSigned { .. }
            | VerifyError::WrongKeyUsage(..) => Failure::UntrustedKey(e),
            _ => Failure::Malformed(e),
        }
    }

    /// A stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Failure::BadSignature(_) => "bad_signature",
            Failure::UnknownKey(_) => "unknown_key",
            Failure::UntrustedKey(_) => "untrusted_key",
            Failure::Malformed(_) => "malformed",
            Failure::BadZone(_) => "bad_zone",
        }
    }

    /// The detail, in English.
    pub fn detail(&self) -> String {
        match self {
            Failure::BadSignature(e)
            | Failure::UnknownKey(e)
            | Failure::UntrustedKey(e)
            | Failure::Malformed(e) => e.to_string(),
            Failure::BadZone(e) => e.to_string(),
        }
    }

    /// One line in Arabic.
    pub fn message_ar(&self) -> &'static str {
        match self {
            Failure::BadSignature(_) => {
                "التوقيع غير صحيح: الوثيقة معدّلة أو غير موقّعة بمفتاح الوزارة"
            }
            Failure::UnknownKey(_) => "مفتاح التوقيع غير موجود في قائمة الثقة",
            Failure::UntrustedKey(_) => "مفتاح التوقيع ملغى أو غير صالح لهذا الاستخدام",
            Failure::Malformed(_) => "الرمز ليس وثيقة صحيحة البنية",
            Failure::BadZone(_) => "المنطقة المقروءة آلياً غير صحيحة",
        }
    }
}

/// Something that makes a genuine document not valid today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Past its date of expiry.
    Expired {
        /// The last day it was valid.
        on: Date,
    },
    /// Before its date of issue.
    NotYetValid {
        /// The first day it is valid.
        from: Date,
    },
    /// The card or passport number is on the revocation list.
    Revoked {
        /// Why, when the list says.
        reason: Option<RevocationReason>,
    },
    /// This one credential (not the whole card) is on the revocation list.
    CredentialRevoked,
    /// The holder is under an alert.
    UnderAlert(Alert),
}

impl Finding {
    /// A stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Finding::Expired { .. } => "expired",
            Finding::NotYetValid { .. } => "not_yet_valid",
            Finding::Revoked {
                reason: Some(RevocationReason::Lost),
            } => "reported_lost",
            Finding::Revoked {
                reason: Some(RevocationReason::Stolen),
            } => "reported_stolen",
            Finding::Revoked {
                reason: Some(RevocationReason::Cancelled),
            } => "cancelled",
            Finding::Revoked { .. } | Finding::CredentialRevoked => "revoked",
            Finding::UnderAlert(_) => "under_alert",
        }
    }

    /// One line in English.
    pub fn message_en(&self) -> String {
        match self {
            Finding::Expired { on } => format!("expired: valid through {on}"),
            Finding::NotYetValid { from } => format!("not yet valid: valid from {from}"),
            Finding::Revoked { reason: Some(r) } => format!("{r}: the document is revoked"),
            Finding::Revoked { reason: None } => "revoked".into(),
            Finding::CredentialRevoked => "this card's code is revoked".into(),
            Finding::UnderAlert(a) => format!("the holder is under an alert: {}", a.code),
        }
    }

    /// One line in Arabic.
    pub fn message_ar(&self) -> String {
        match self {
            Finding::Expired { on } => format!("منتهية الصلاحية: صالحة حتى {on}"),
            Finding::NotYetValid { from } => format!("لم تبدأ صلاحيتها بعد: صالحة من {from}"),
            Finding::Revoked {
                reason: Some(RevocationReason::Lost),
            } => "مبلَّغ عن فقدانها: الوثيقة ملغاة".into(),
            Finding::Revoked {
                reason: Some(RevocationReason::Stolen),
            } => "مبلَّغ عن سرقتها: الوثيقة ملغاة".into(),
            Finding::Revoked { .. } | Finding::CredentialRevoked => "الوثيقة ملغاة".into(),
            Finding::UnderAlert(a) => format!("صاحب الوثيقة عليه تعميم: {}", a.code),
        }
    }
}

/// Who the document says its holder is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Holder {
    /// National number, when the document carries it.
    pub national_number: Option<String>,
    /// Name in Arabic (for a zone: read back from its transliteration).
    pub name_ar: Option<String>,
    /// Name in Latin letters.
    pub name_latin: Option<String>,
    /// Date of birth as written (`YYYY-MM-DD`, or shorter when partly unknown).
    pub birth_date: Option<String>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Nationality (three letters).
    pub nationality: Option<String>,
    /// Mother's name in Arabic (credential only).
    pub mother_name_ar: Option<String>,
    /// Place of birth in Arabic (credential only).
    pub birth_place_ar: Option<String>,
}

/// The answer for one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// What was checked.
    pub checked: Checked,
    /// Whether it is genuine.
    pub authenticity: Authenticity,
    /// Card or passport number.
    pub document_number: Option<String>,
    /// Last day of validity.
    pub expires_on: Option<Date>,
    /// The holder, when the document could be read.
    pub holder: Option<Holder>,
    /// Everything that makes a genuine document not valid today.
    pub findings: Vec<Finding>,
    /// Version and date of the revocation list used.
    pub revocation_list: (u64, OffsetDateTime),
    /// Version and date of the alert list used.
    pub alert_list: (u64, OffsetDateTime),
}

impl Verdict {
    /// Valid: genuine (or a consistent zone), in date, not revoked, holder under no alert.
    pub fn is_valid(&self) -> bool {
        !matches!(self.authenticity, Authenticity::Failed(_)) && self.findings.is_empty()
    }

    /// The verdict as JSON, for `sijil verify --json` and the API.
    pub fn to_json(&self) -> Value {
        let (authenticity, failure) = match &self.authenticity {
            Authenticity::Signed { key_id, signed_at } => (
                json!({"status": "signed", "key_id": key_id.to_string(),
                       "signed_at": signed_at.unix_timestamp()}),
                Value::Null,
            ),
            Authenticity::ConsistentZone => (json!({"status": "consistent_zone"}), Value::Null),
            Authenticity::Failed(f) => (
                json!({"status": "not_genuine"}),
                json!({"code": f.code(), "message_ar": f.message_ar(), "detail": f.detail()}),
            ),
        };
        let holder = self.holder.as_ref().map(|h| {
            json!({
                "national_number": h.national_number, "name_ar": h.name_ar,
                "name_latin": h.name_latin, "birth_date": h.birth_date,
                "sex": h.sex.map(|s| if s == Sex::Male { "M" } else { "F" }),
                "nationality": h.nationality, "mother_name_ar": h.mother_name_ar,
                "birth_place_ar": h.birth_place_ar,
            })
        });
        json!({
            "valid": self.is_valid(),
            "checked": match self.checked {
                Checked::Qr => "qr",
                Checked::Mrz(MrzFormat::Td1) => "mrz_td1",
                Checked::Mrz(MrzFormat::Td3) => "mrz_td3",
            },
            "authenticity": authenticity,
            "failure": failure,
            "document_number": self.document_number,
            "expires_on": self.expires_on.map(|d| d.to_string()),
            "holder": holder,
            "findings": self.findings.iter().map(|f| json!({
                "code": f.code(), "message_en": f.message_en(), "message_ar": f.message_ar(),
            })).collect::<Vec<_>>(),
            "revocation_list_version": self.revocation_list.0,
            "alert_list_version": self.alert_list.0,
        })
    }
}

impl Verifier<'_> {
    fn verdict(&self, checked: Checked, authenticity: Authenticity) -> Verdict {
        Verdict {
            checked,
            authenticity,
            document_number: None,
            expires_on: None,
            holder: None,
            findings: Vec::new(),
            revocation_list: (self.revocations.version, self.revocations.issued_at),
            alert_list: (self.alerts.version, self.alerts.issued_at),
        }
    }

    /// Checks the text of an ID card's QR code at `now`.
    pub fn check_qr(&self, text: &str, now: OffsetDateTime) -> Verdict {
        let read = match read_credential(text, self.trust) {
            Ok(read) => read,
            Err(e) => return self.verdict(Checked::Qr, Authenticity::Failed(Failure::of(e))),
        };
        let c = &read.claims;
        let mut v = self.verdict(
            Checked::Qr,
            Authenticity::Signed {
                key_id: read.key_id.clone(),
                signed_at: read.signed_at,
            },
        );
        if now < read.valid_from {
            v.findings.push(Finding::NotYetValid { from: c.issued_on });
        }
        if now >= read.expires_at {
            v.findings.push(Finding::Expired { on: c.expires_on });
        }
        if self.revocations.is_document_revoked(&c.document_number) {
            v.findings.push(Finding::Revoked {
                reason: self.revocations.document_reason(&c.document_number),
            });
        } else if self.revocations.is_credential_revoked(&c.credential_id) {
            v.findings.push(Finding::CredentialRevoked);
        }
        let nn = c.national_number.as_str();
        v.findings.extend(
            self.alerts
                .for_person(nn)
                .into_iter()
                .map(Finding::UnderAlert),
        );
        v.document_number = Some(c.document_number.clone());
        v.expires_on = Some(c.expires_on);
        v.holder = Some(Holder {
            national_number: Some(nn.to_owned()),
            name_ar: Some(c.name_ar.full()),
            name_latin: c.name_latin.clone(),
            birth_date: Some(c.birth_date.to_string()),
            sex: c.sex,
            nationality: Some(c.nationality.clone()),
            mother_name_ar: c.mother_name_ar.clone(),
            birth_place_ar: c.birth_place_ar.clone(),
        });
        v
    }

    /// Checks a machine-readable zone (TD1 or TD3) on `today`.
    pub fn check_mrz(&self, text: &str, today: Date) -> Verdict {
        let parsed = match parse_mrz(text) {
            Ok(p) => p,
            Err(e) => {
                // The shape decides the layout; report TD3 for anything unreadable.
                return self.verdict(
                    Checked::Mrz(MrzFormat::Td3),
                    Authenticity::Failed(Failure::BadZone(e)),
                );
            }
        };
        let d = &parsed.data;
        let mut v = self.verdict(Checked::Mrz(parsed.format), Authenticity::ConsistentZone);
        let expiry = d.expiry_date.expiry_date(today);
        if let Some(on) = expiry
            && today > on
        {
            v.findings.push(Finding::Expired { on });
        }
        if self.revocations.is_document_revoked(&d.document_number) {
            v.findings.push(Finding::Revoked {
                reason: self.revocations.document_reason(&d.document_number),
            });
        }
        let nn = d.optional_data.trim_end_matches('<').to_owned();
        if !nn.is_empty() {
            v.findings.extend(
                self.alerts
                    .for_person(&nn)
                    .into_iter()
                    .map(Finding::UnderAlert),
            );
        }
        let words = |s: &str| {
            s.split('<')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let latin = [words(&d.name.secondary), words(&d.name.primary)].concat();
        let arabic = match (
            arabic_from_mrz(&d.name.secondary),
            arabic_from_mrz(&d.name.primary),
        ) {
            (Some(given), Some(family)) if !given.is_empty() => Some(format!("{given} {family}")),
            (_, Some(family)) => Some(family),
            _ => None,
        };
        v.document_number = Some(d.document_number.clone());
        v.expires_on = expiry;
        v.holder = Some(Holder {
            national_number: (!nn.is_empty()).then_some(nn),
            name_ar: arabic,
            name_latin: Some(latin.join(" ")),
            birth_date: d.birth_date.birth_date(today).map(|b| b.to_string()),
            sex: d.sex,
            nationality: Some(d.nationality.clone()),
            mother_name_ar: None,
            birth_place_ar: None,
        });
        v
    }
}
