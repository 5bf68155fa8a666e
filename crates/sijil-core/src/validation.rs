//! Validation errors that name the field and say what is wrong, in Arabic and in English.
//!
//! Every parser in this crate returns these, so the API, the import command and the web forms
//! all show the same message for the same mistake.

use serde::{Serialize, Serializer, ser::SerializeStruct};

use crate::national_number::NationalNumberError;

/// Longest accepted text value (names, places, references), in characters.
pub const MAX_TEXT_CHARS: usize = 200;

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The field must have a value.
    Required,
    /// The value is longer than allowed.
    TooLong {
        /// The limit, in characters.
        max: usize,
    },
    /// The value contains a control or bidi-override character.
    ForbiddenCharacter {
        /// The character's code point.
        code_point: u32,
        /// One-based position in the value.
        position: usize,
    },
    /// Not a date of the form YYYY, YYYY-MM or YYYY-MM-DD, or not a real calendar date.
    InvalidDate,
    /// A date after today.
    DateInFuture,
    /// A date implausibly far in the past.
    DateTooOld,
    /// Sex must be M, F or empty.
    InvalidSex,
    /// The national number is malformed.
    InvalidNationalNumber(NationalNumberError),
    /// A value outside the listed choices.
    NotOneOf(&'static [&'static str]),
    /// A rule of the civil registry forbids this (the text says which).
    Rule(RuleViolation),
    /// The same value was given twice where it must be unique.
    Duplicate,
    /// No person has this id.
    UnknownPerson,
    /// The value is shorter than allowed.
    TooShort {
        /// The minimum, in characters.
        min: usize,
    },
    /// The value names something that does not exist (an office, a user).
    NotFound,
    /// The value names an office outside the officer's own (see [`crate::access::Scope`]).
    OutsideScope,
}

/// A civil-registry rule that an event or record breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuleViolation {
    /// An event dated before the person was born.
    BeforeBirth,
    /// An event (other than the death itself) dated after the person died.
    AfterDeath,
    /// The person already has a recorded death.
    AlreadyDead,
    /// The person already has a recorded birth.
    AlreadyBorn,
    /// A marriage of someone under 18 without a court authorisation.
    MinorWithoutCourtRecord,
    /// A marriage of someone too young even with a court authorisation.
    TooYoungToMarry,
    /// A woman who is already married.
    AlreadyMarried,
    /// A man who already has four wives.
    TooManySpouses,
    /// Marriage requires one man and one woman.
    SpousesSameSex,
    /// A person cannot marry themselves.
    SelfMarriage,
    /// A divorce between two people who are not married to each other.
    NotMarried,
    /// This event needs a second person (a spouse).
    SpouseRequired,
    /// This event kind takes no second person.
    SpouseNotAllowed,
    /// A parent must be born before the child.
    ParentYoungerThanChild,
}

impl RuleViolation {
    fn en(self) -> &'static str {
        use RuleViolation::*;
        match self {
            BeforeBirth => "the event is dated before the person's birth",
            AfterDeath => "the event is dated after the person's death",
            AlreadyDead => "a death is already recorded for this person",
            AlreadyBorn => "a birth is already recorded for this person",
            MinorWithoutCourtRecord => {
                "a person under 18 may marry only with a court authorisation (give its reference)"
            }
            TooYoungToMarry => "the person is below the minimum age of marriage (15)",
            AlreadyMarried => "the woman is already married",
            TooManySpouses => "the man already has four wives",
            SpousesSameSex => "a marriage is between a man and a woman",
            SelfMarriage => "a person cannot marry themselves",
            NotMarried => "these two people are not married to each other",
            SpouseRequired => "this event needs the spouse's person id",
            SpouseNotAllowed => "this event does not take a spouse",
            ParentYoungerThanChild => "a parent must be born before the child",
        }
    }

    fn ar(self) -> &'static str {
        use RuleViolation::*;
        match self {
            BeforeBirth => "تاريخ الواقعة سابق لتاريخ الولادة",
            AfterDeath => "تاريخ الواقعة لاحق لتاريخ الوفاة",
            AlreadyDead => "سبق تسجيل وفاة هذا الشخص",
            AlreadyBorn => "سبق تسجيل ولادة هذا الشخص",
            MinorWithoutCourtRecord => {
                "لا يجوز زواج من هو دون الثامنة عشرة إلا بإذن من المحكمة (أدخل رقمه)"
            }
            TooYoungToMarry => "العمر دون الحد الأدنى لسن الزواج (15 سنة)",
            AlreadyMarried => "المرأة متزوجة حالياً",
            TooManySpouses => "للرجل أربع زوجات حالياً",
            SpousesSameSex => "الزواج يكون بين رجل وامرأة",
            SelfMarriage => "لا يجوز أن يكون الشخص زوجاً لنفسه",
            NotMarried => "الشخصان غير متزوجين أحدهما من الآخر",
            SpouseRequired => "هذه الواقعة تحتاج إلى رقم الزوج أو الزوجة",
            SpouseNotAllowed => "هذه الواقعة لا تقبل زوجاً أو زوجة",
            ParentYoungerThanChild => "يجب أن يولد الوالد قبل الولد",
        }
    }
}

impl Problem {
    /// A stable machine-readable code for the problem.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::TooLong { .. } => "too_long",
            Problem::ForbiddenCharacter { .. } => "forbidden_character",
            Problem::InvalidDate => "invalid_date",
            Problem::DateInFuture => "date_in_future",
            Problem::DateTooOld => "date_too_old",
            Problem::InvalidSex => "invalid_sex",
            Problem::InvalidNationalNumber(_) => "invalid_national_number",
            Problem::NotOneOf(_) => "not_one_of",
            Problem::Rule(_) => "rule",
            Problem::Duplicate => "duplicate",
            Problem::UnknownPerson => "unknown_person",
            Problem::TooShort { .. } => "too_short",
            Problem::NotFound => "not_found",
            Problem::OutsideScope => "outside_scope",
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            Problem::Required => "a value is required".into(),
            Problem::TooLong { max } => format!("must be at most {max} characters"),
            Problem::ForbiddenCharacter {
                code_point,
                position,
            } => {
                format!(
                    "control character U+{code_point:04X} at position {position} is not allowed"
                )
            }
            Problem::InvalidDate => {
                "must be a real date written YYYY, YYYY-MM or YYYY-MM-DD".into()
            }
            Problem::DateInFuture => "must not be in the future".into(),
            Problem::DateTooOld => "must not be before the year 1880".into(),
            Problem::InvalidSex => "must be M, F or empty".into(),
            Problem::InvalidNationalNumber(e) => e.to_string(),
            Problem::NotOneOf(choices) => format!("must be one of: {}", choices.join(", ")),
            Problem::Rule(r) => r.en().into(),
            Problem::Duplicate => "this value is already used".into(),
            Problem::UnknownPerson => "no person has this id".into(),
            Problem::TooShort { min } => format!("must be at least {min} characters"),
            Problem::NotFound => "no such item exists".into(),
            Problem::OutsideScope => "you may act only for your own office".into(),
        }
    }

    /// The message in Arabic.
    pub fn message_ar(&self) -> String {
        match self {
            Problem::Required => "هذا الحقل مطلوب".into(),
            Problem::TooLong { max } => format!("يجب ألا يتجاوز {max} حرفاً"),
            Problem::ForbiddenCharacter {
                code_point,
                position,
            } => {
                format!("المحرف U+{code_point:04X} في الموضع {position} غير مسموح")
            }
            Problem::InvalidDate => {
                "يجب أن يكون تاريخاً صحيحاً بالشكل YYYY أو YYYY-MM أو YYYY-MM-DD".into()
            }
            Problem::DateInFuture => "لا يجوز أن يكون التاريخ في المستقبل".into(),
            Problem::DateTooOld => "لا يجوز أن يكون التاريخ قبل عام 1880".into(),
            Problem::InvalidSex => "يجب أن يكون M (ذكر) أو F (أنثى) أو فارغاً".into(),
            Problem::InvalidNationalNumber(e) => match e {
                NationalNumberError::NotADigit { position, .. } => {
                    format!("الرقم الوطني يجب أن يتكون من أرقام فقط (خطأ في الموضع {position})")
                }
                NationalNumberError::WrongLength(n) => {
                    format!("الرقم الوطني يتكون من 11 رقماً، وأُدخل {n}")
                }
                NationalNumberError::BadCheckDigit { .. } => {
                    "رقم التحقق في الرقم الوطني غير صحيح".into()
                }
            },
            Problem::NotOneOf(choices) => {
                format!("يجب أن تكون القيمة إحدى: {}", choices.join("، "))
            }
            Problem::Rule(r) => r.ar().into(),
            Problem::Duplicate => "هذه القيمة مستخدمة من قبل".into(),
            Problem::UnknownPerson => "لا يوجد شخص بهذا المعرّف".into(),
            Problem::TooShort { min } => format!("يجب ألا يقل عن {min} حرفاً"),
            Problem::NotFound => "العنصر المذكور غير موجود".into(),
            Problem::OutsideScope => "لا يحق لك العمل إلا لمكتبك".into(),
        }
    }
}

/// One field's problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name as it appears in the input (a CSV column or a JSON key).
    pub field: String,
    /// What is wrong.
    pub problem: Problem,
}

impl FieldError {
    /// A problem with the named field.
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        Self {
            field: field.into(),
            problem,
        }
    }
}

impl Serialize for FieldError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("FieldError", 4)?;
        s.serialize_field("field", &self.field)?;
        s.serialize_field("code", self.problem.code())?;
        s.serialize_field("message_ar", &self.problem.message_ar())?;
        s.serialize_field("message_en", &self.problem.message_en())?;
        s.end()
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.problem.message_en())
    }
}

/// Every problem found in one input; never empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(transparent)]
#[error("{}", display_list(.0))]
pub struct ValidationErrors(pub Vec<FieldError>);

fn display_list(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl ValidationErrors {
    /// One error.
    pub fn single(field: impl Into<String>, problem: Problem) -> Self {
        Self(vec![FieldError::new(field, problem)])
    }
}

/// Gathers field errors while a whole input is checked, so the user sees them all at once.
#[derive(Debug, Default)]
pub struct Collector(Vec<FieldError>);

impl Collector {
    /// Records a problem.
    pub fn push(&mut self, field: impl Into<String>, problem: Problem) {
        self.0.push(FieldError::new(field, problem));
    }

    /// Keeps the value on success, records the problem on failure.
    pub fn check<T>(&mut self, field: &str, result: Result<T, Problem>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(p) => {
                self.push(field, p);
                None
            }
        }
    }

    /// `Ok(value)` when nothing was recorded.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, ValidationErrors> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(ValidationErrors(self.0))
        }
    }
}

/// Checks a free-text value: trimmed, at most [`MAX_TEXT_CHARS`], without control or bidi
/// override characters (those can disguise a name on screen). Empty becomes `None`.
pub fn clean_text(value: &str) -> Result<Option<String>, Problem> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let mut count = 0;
    for (i, c) in trimmed.chars().enumerate() {
        count += 1;
        if is_forbidden(c) {
            return Err(Problem::ForbiddenCharacter {
                code_point: c as u32,
                position: i + 1,
            });
        }
    }
    if count > MAX_TEXT_CHARS {
        return Err(Problem::TooLong {
            max: MAX_TEXT_CHARS,
        });
    }
    Ok(Some(trimmed.to_owned()))
}

/// Control characters and the bidi embedding/override/isolate controls. The marks LRM, RLM,
/// ALM, ZWJ and ZWNJ stay allowed: they occur in honestly typed Arabic.
fn is_forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_refuses_bidi_overrides_and_controls() {
        assert_eq!(clean_text("  "), Ok(None));
        assert_eq!(clean_text(" محمد ").unwrap().as_deref(), Some("محمد"));
        assert_eq!(
            clean_text("ab\u{202E}c"),
            Err(Problem::ForbiddenCharacter {
                code_point: 0x202E,
                position: 3
            })
        );
        assert!(clean_text("a\u{0}").is_err());
        assert_eq!(
            clean_text(&"ا".repeat(201)),
            Err(Problem::TooLong { max: 200 })
        );
        assert!(clean_text(&"ا".repeat(200)).is_ok());
    }

    #[test]
    fn errors_serialise_with_both_languages() {
        let e = FieldError::new("sex", Problem::InvalidSex);
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["field"], "sex");
        assert_eq!(v["code"], "invalid_sex");
        assert!(v["message_ar"].as_str().unwrap().contains("ذكر"));
        assert!(v["message_en"].as_str().unwrap().contains("M, F"));
    }
}
