//! Civil events (الوقائع المدنية) and the rules a registrar enforces before recording one.
//!
//! The rules are pure functions over the facts already registered for the people involved, so
//! the same checks run at the central, in an office node, and in tests.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{
    date::PartialDate,
    record::Sex,
    validation::{Collector, Problem, RuleViolation, ValidationErrors, clean_text},
};

/// Minimum age of marriage with a court authorisation; 18 without one.
pub const MIN_MARRIAGE_AGE_WITH_COURT: i32 = 15;
/// Age of majority for marriage.
pub const MARRIAGE_AGE: i32 = 18;
/// A man may have at most this many wives at once under Syrian personal-status law.
pub const MAX_WIVES: usize = 4;

/// The kind of a civil event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// ولادة
    Birth,
    /// وفاة
    Death,
    /// زواج
    Marriage,
    /// طلاق
    Divorce,
}

impl EventKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Birth => "birth",
            EventKind::Death => "death",
            EventKind::Marriage => "marriage",
            EventKind::Divorce => "divorce",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Result<Self, Problem> {
        match s {
            "birth" => Ok(EventKind::Birth),
            "death" => Ok(EventKind::Death),
            "marriage" => Ok(EventKind::Marriage),
            "divorce" => Ok(EventKind::Divorce),
            _ => Err(Problem::NotOneOf(&[
                "birth", "death", "marriage", "divorce",
            ])),
        }
    }

    fn takes_spouse(self) -> bool {
        matches!(self, EventKind::Marriage | EventKind::Divorce)
    }
}

/// A civil event as submitted, before the rules are checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventInput {
    /// Which event.
    pub kind: EventKind,
    /// The day it happened, `YYYY-MM-DD`.
    pub date: String,
    /// Where.
    #[serde(default)]
    pub place: Option<String>,
    /// The spouse, for a marriage or a divorce.
    #[serde(default)]
    pub spouse_id: Option<Uuid>,
    /// Reference of the court decision (required for the marriage of a minor).
    #[serde(default)]
    pub court_record: Option<String>,
}

/// A validated event, ready for the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// Which event.
    pub kind: EventKind,
    /// The day it happened.
    pub date: Date,
    /// Where.
    pub place: Option<String>,
    /// The spouse, for a marriage or a divorce.
    pub spouse_id: Option<Uuid>,
    /// Court decision reference.
    pub court_record: Option<String>,
}

impl EventInput {
    /// Checks the form of the input (not the registry rules).
    pub fn validate(&self, today: Date) -> Result<NewEvent, ValidationErrors> {
        let mut c = Collector::default();
        let date = c.check(
            "date",
            PartialDate::parse(&self.date, today)
                .and_then(|d| d.to_date().ok_or(Problem::InvalidDate)),
        );
        let place = self
            .place
            .as_deref()
            .and_then(|p| c.check("place", clean_text(p)))
            .flatten();
        let court_record = self
            .court_record
            .as_deref()
            .and_then(|p| c.check("court_record", clean_text(p)))
            .flatten();
        match (self.kind.takes_spouse(), self.spouse_id) {
            (true, None) => c.push("spouse_id", Problem::Rule(RuleViolation::SpouseRequired)),
            (false, Some(_)) => c.push("spouse_id", Problem::Rule(RuleViolation::SpouseNotAllowed)),
            _ => {}
        }
        c.finish(|| NewEvent {
            kind: self.kind,
            date: date.expect("checked"),
            place,
            spouse_id: self.spouse_id,
            court_record,
        })
    }
}

/// An event as registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CivilEvent {
    /// Its id.
    pub id: Uuid,
    /// Which event.
    pub kind: EventKind,
    /// The person it is about (for a marriage, either spouse).
    pub person_id: Uuid,
    /// The other spouse, for a marriage or divorce.
    pub spouse_id: Option<Uuid>,
    /// The day it happened.
    #[serde(with = "crate::date::iso_day")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: Date,
    /// Where.
    pub place: Option<String>,
    /// Court decision reference.
    pub court_record: Option<String>,
    /// Who recorded it.
    pub recorded_by: String,
    /// When it was recorded.
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
}

impl CivilEvent {
    /// The other party of a marriage or divorce, seen from `person`.
    pub fn partner_of(&self, person: Uuid) -> Option<Uuid> {
        let spouse = self.spouse_id?;
        if self.person_id == person {
            Some(spouse)
        } else if spouse == person {
            Some(self.person_id)
        } else {
            None
        }
    }
}

/// What the registry knows about one person, as the rules need it.
#[derive(Debug, Clone, Default)]
pub struct PersonFacts {
    /// The person.
    pub id: Uuid,
    /// Sex, if known.
    pub sex: Option<Sex>,
    /// Birth date from the person's records, if known.
    pub birth_date: Option<PartialDate>,
    /// Every event naming this person (as subject or spouse), in any order.
    pub events: Vec<CivilEvent>,
    /// Those of the person's spouses who have a recorded death, with its date.
    pub deceased_spouses: Vec<(Uuid, Date)>,
}

impl PersonFacts {
    /// The recorded death date, if any.
    pub fn death(&self) -> Option<Date> {
        self.events
            .iter()
            .find(|e| e.kind == EventKind::Death && e.person_id == self.id)
            .map(|e| e.date)
    }

    /// The birth date: a birth event wins over the records.
    pub fn birth(&self) -> Option<PartialDate> {
        self.events
            .iter()
            .find(|e| e.kind == EventKind::Birth && e.person_id == self.id)
            .map(|e| PartialDate::from_date(e.date))
            .or(self.birth_date)
    }

    /// Spouses the person is married to on `on`: marriages not ended by divorce or death.
    pub fn spouses_on(&self, on: Date) -> Vec<Uuid> {
        let mut ordered: Vec<&CivilEvent> = self.events.iter().filter(|e| e.date <= on).collect();
        ordered.sort_by_key(|e| (e.date, e.recorded_at));
        let mut spouses: Vec<Uuid> = Vec::new();
        for e in ordered {
            let Some(partner) = e.partner_of(self.id) else {
                continue;
            };
            match e.kind {
                EventKind::Marriage if !spouses.contains(&partner) => spouses.push(partner),
                EventKind::Divorce => spouses.retain(|s| *s != partner),
                _ => {}
            }
        }
        spouses.retain(|s| {
            !self
                .deceased_spouses
                .iter()
                .any(|(d, when)| d == s && *when <= on)
        });
        spouses
    }
}

/// Checks the registry rules for `event` about `subject` (and `spouse`, for a marriage or
/// divorce). Returns every broken rule, each attached to the field it concerns.
pub fn check_event(
    event: &NewEvent,
    subject: &PersonFacts,
    spouse: Option<&PersonFacts>,
) -> Result<(), ValidationErrors> {
    let mut c = Collector::default();
    let rule = |c: &mut Collector, field: &str, r: RuleViolation| c.push(field, Problem::Rule(r));
    check_alive_and_born(&mut c, "date", event, subject);
    match event.kind {
        EventKind::Birth => {
            if subject
                .events
                .iter()
                .any(|e| e.kind == EventKind::Birth && e.person_id == subject.id)
            {
                rule(&mut c, "kind", RuleViolation::AlreadyBorn);
            }
        }
        EventKind::Death => {
            if subject.death().is_some() {
                rule(&mut c, "kind", RuleViolation::AlreadyDead);
            }
        }
        EventKind::Marriage | EventKind::Divorce => match spouse {
            None => rule(&mut c, "spouse_id", RuleViolation::SpouseRequired),
            Some(sp) if sp.id == subject.id => {
                rule(&mut c, "spouse_id", RuleViolation::SelfMarriage)
            }
            Some(sp) => {
                check_alive_and_born(&mut c, "spouse_id", event, sp);
                if event.kind == EventKind::Marriage {
                    check_marriage(&mut c, event, subject, sp);
                } else if !subject.spouses_on(event.date).contains(&sp.id) {
                    rule(&mut c, "spouse_id", RuleViolation::NotMarried);
                }
            }
        },
    }
    c.finish(|| ())
}

fn check_alive_and_born(c: &mut Collector, field: &str, event: &NewEvent, who: &PersonFacts) {
    let day = PartialDate::from_date(event.date);
    if event.kind != EventKind::Birth
        && let Some(birth) = who.birth()
        && day.certainly_before(&birth)
    {
        c.push(field, Problem::Rule(RuleViolation::BeforeBirth));
    }
    if let Some(death) = who.death()
        && (event.date > death || (event.kind == EventKind::Birth && event.date >= death))
    {
        c.push(field, Problem::Rule(RuleViolation::AfterDeath));
    }
}

fn check_marriage(c: &mut Collector, event: &NewEvent, a: &PersonFacts, b: &PersonFacts) {
    let (man, woman) = match (a.sex, b.sex) {
        (Some(Sex::Male), Some(Sex::Female)) => (a, b),
        (Some(Sex::Female), Some(Sex::Male)) => (b, a),
        (None, _) | (_, None) => {
            let field = if a.sex.is_none() { "sex" } else { "spouse_id" };
            c.push(field, Problem::Required);
            return;
        }
        _ => {
            c.push("spouse_id", Problem::Rule(RuleViolation::SpousesSameSex));
            return;
        }
    };
    for (field, p) in [("person_id", a), ("spouse_id", b)] {
        let Some(birth) = p.birth() else { continue };
        let age = birth.age_on(event.date);
        if age < MIN_MARRIAGE_AGE_WITH_COURT {
            c.push(field, Problem::Rule(RuleViolation::TooYoungToMarry));
        } else if age < MARRIAGE_AGE && event.court_record.is_none() {
            c.push(
                "court_record",
                Problem::Rule(RuleViolation::MinorWithoutCourtRecord),
            );
        }
    }
    if !woman.spouses_on(event.date).is_empty() {
        let field = if woman.id == a.id {
            "person_id"
        } else {
            "spouse_id"
        };
        c.push(field, Problem::Rule(RuleViolation::AlreadyMarried));
    }
    let wives = man.spouses_on(event.date);
    if wives.contains(&woman.id) {
        c.push("spouse_id", Problem::Rule(RuleViolation::AlreadyMarried));
    } else if wives.len() >= MAX_WIVES {
        let field = if man.id == a.id {
            "person_id"
        } else {
            "spouse_id"
        };
        c.push(field, Problem::Rule(RuleViolation::TooManySpouses));
    }
}

#[cfg(test)]
mod tests;
