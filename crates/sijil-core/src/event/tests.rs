use super::*;
use time::macros::{date, datetime};

fn person(sex: Sex, born: &str) -> PersonFacts {
    PersonFacts {
        id: Uuid::now_v7(),
        sex: Some(sex),
        birth_date: Some(PartialDate::parse_unchecked(born).unwrap()),
        ..Default::default()
    }
}

fn event(kind: EventKind, day: Date, spouse: Option<&PersonFacts>) -> NewEvent {
    NewEvent {
        kind,
        date: day,
        place: None,
        spouse_id: spouse.map(|s| s.id),
        court_record: None,
    }
}

fn registered(e: &NewEvent, subject: &PersonFacts) -> CivilEvent {
    CivilEvent {
        id: Uuid::now_v7(),
        kind: e.kind,
        person_id: subject.id,
        spouse_id: e.spouse_id,
        date: e.date,
        place: None,
        court_record: e.court_record.clone(),
        recorded_by: "clerk".into(),
        recorded_at: datetime!(2026-01-01 0:00 UTC),
    }
}

fn rules(r: Result<(), ValidationErrors>) -> Vec<Problem> {
    r.err()
        .map(|e| e.0.into_iter().map(|f| f.problem).collect())
        .unwrap_or_default()
}

#[test]
fn death_before_birth_is_refused() {
    let p = person(Sex::Male, "1990-05-01");
    let e = event(EventKind::Death, date!(1989 - 01 - 01), None);
    assert_eq!(
        rules(check_event(&e, &p, None)),
        [Problem::Rule(RuleViolation::BeforeBirth)]
    );
}

#[test]
fn no_event_after_death_and_no_second_death() {
    let mut p = person(Sex::Male, "1950");
    let death = event(EventKind::Death, date!(2000 - 01 - 01), None);
    assert!(check_event(&death, &p, None).is_ok());
    p.events.push(registered(&death, &p));
    let again = event(EventKind::Death, date!(2001 - 01 - 01), None);
    assert_eq!(
        rules(check_event(&again, &p, None)),
        [
            Problem::Rule(RuleViolation::AfterDeath),
            Problem::Rule(RuleViolation::AlreadyDead)
        ]
    );
    let birth = event(EventKind::Birth, date!(2001 - 01 - 01), None);
    assert_eq!(
        rules(check_event(&birth, &p, None)),
        [Problem::Rule(RuleViolation::AfterDeath)]
    );
}

#[test]
fn minor_needs_a_court_record_and_a_child_cannot_marry() {
    let man = person(Sex::Male, "1990");
    let girl = person(Sex::Female, "2009-03-01");
    let mut e = event(EventKind::Marriage, date!(2026 - 01 - 01), Some(&girl));
    assert_eq!(
        rules(check_event(&e, &man, Some(&girl))),
        [Problem::Rule(RuleViolation::MinorWithoutCourtRecord)]
    );
    e.court_record = Some("محكمة دمشق الشرعية 123/2025".into());
    assert!(check_event(&e, &man, Some(&girl)).is_ok());
    let child = person(Sex::Female, "2014");
    let e = event(EventKind::Marriage, date!(2026 - 01 - 01), Some(&child));
    assert_eq!(
        rules(check_event(&e, &man, Some(&child))),
        [Problem::Rule(RuleViolation::TooYoungToMarry)]
    );
}

#[test]
fn a_married_woman_cannot_marry_again_until_divorced() {
    let mut woman = person(Sex::Female, "1990");
    let mut first = person(Sex::Male, "1985");
    let second = person(Sex::Male, "1986");
    let m = event(EventKind::Marriage, date!(2015 - 01 - 01), Some(&first));
    let rec = registered(&m, &woman);
    woman.events.push(rec.clone());
    first.events.push(rec);
    let m2 = event(EventKind::Marriage, date!(2020 - 01 - 01), Some(&second));
    assert_eq!(
        rules(check_event(&m2, &woman, Some(&second))),
        [Problem::Rule(RuleViolation::AlreadyMarried)]
    );
    let d = event(EventKind::Divorce, date!(2018 - 01 - 01), Some(&first));
    assert!(check_event(&d, &woman, Some(&first)).is_ok());
    woman.events.push(registered(&d, &woman));
    assert!(check_event(&m2, &woman, Some(&second)).is_ok());
}

#[test]
fn a_widow_may_remarry() {
    let mut woman = person(Sex::Female, "1990");
    let first = person(Sex::Male, "1985");
    let second = person(Sex::Male, "1986");
    let m = event(EventKind::Marriage, date!(2015 - 01 - 01), Some(&first));
    woman.events.push(registered(&m, &woman));
    woman
        .deceased_spouses
        .push((first.id, date!(2019 - 01 - 01)));
    let m2 = event(EventKind::Marriage, date!(2020 - 01 - 01), Some(&second));
    assert!(check_event(&m2, &woman, Some(&second)).is_ok());
}

#[test]
fn a_fifth_wife_is_refused() {
    let mut man = person(Sex::Male, "1970");
    for year in 0..4 {
        let w = person(Sex::Female, "1980");
        let e = event(
            EventKind::Marriage,
            Date::from_calendar_date(2000 + year, time::Month::May, 1).unwrap(),
            Some(&w),
        );
        assert!(check_event(&e, &man, Some(&w)).is_ok());
        man.events.push(registered(&e, &man));
    }
    let fifth = person(Sex::Female, "1985");
    let e = event(EventKind::Marriage, date!(2010 - 01 - 01), Some(&fifth));
    assert_eq!(
        rules(check_event(&e, &man, Some(&fifth))),
        [Problem::Rule(RuleViolation::TooManySpouses)]
    );
}

#[test]
fn divorce_requires_a_marriage_and_marriage_two_sexes() {
    let man = person(Sex::Male, "1970");
    let woman = person(Sex::Female, "1975");
    let other = person(Sex::Male, "1972");
    let d = event(EventKind::Divorce, date!(2010 - 01 - 01), Some(&woman));
    assert_eq!(
        rules(check_event(&d, &man, Some(&woman))),
        [Problem::Rule(RuleViolation::NotMarried)]
    );
    let m = event(EventKind::Marriage, date!(2010 - 01 - 01), Some(&other));
    assert_eq!(
        rules(check_event(&m, &man, Some(&other))),
        [Problem::Rule(RuleViolation::SpousesSameSex)]
    );
    let m = event(EventKind::Marriage, date!(2010 - 01 - 01), Some(&man));
    assert_eq!(
        rules(check_event(&m, &man, Some(&man))),
        [Problem::Rule(RuleViolation::SelfMarriage)]
    );
}

#[test]
fn input_validation_checks_spouse_presence_and_date() {
    let today = date!(2026 - 11 - 29);
    let input = EventInput {
        kind: EventKind::Marriage,
        date: "2020-02-30".into(),
        place: None,
        spouse_id: None,
        court_record: None,
    };
    let errors = input.validate(today).unwrap_err();
    let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["date", "spouse_id"]);
}
