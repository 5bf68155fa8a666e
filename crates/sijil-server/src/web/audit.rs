//! The audit log for auditors: filter by officer, person, action and time; the chain's state.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use serde::Deserialize;
use sijil_core::{NationalNumber, Permission};
use sijil_store::{AuditEntry, AuditQuery, AuditVerification, Store};

use super::{Ctx, WebError, WebUser, forms::url_encode, html, person::when_text};
use crate::AppState;

/// Entries per page.
const PAGE: u32 = 50;

/// Actions offered in the filter (any other can still be typed in the URL).
pub(super) const ACTIONS: [&str; 26] = [
    "person.read",
    "person.events.read",
    "register.read",
    "record.register",
    "event.record",
    "records.import",
    "auth.login",
    "auth.logout",
    "auth.login_failed",
    "user.create",
    "user.changed",
    "user.password_set",
    "user.sessions_ended",
    "office.create",
    "person.search",
    "review.list",
    "review.read",
    "decision.link",
    "decision.separate",
    "decision.merge",
    "decision.split",
    "decision.undo",
    "person.decisions.read",
    "model.save",
    "audit.read",
    "limit.person_reads",
];

#[derive(Deserialize, Default)]
pub(super) struct Filter {
    #[serde(default)]
    officer: String,
    /// An office's code (the central's auditors choose; others read their own office).
    #[serde(default)]
    office: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    since: String,
    #[serde(default)]
    until: String,
    before: Option<i64>,
}

/// One entry as shown.
struct Row {
    seq: i64,
    at: String,
    actor: String,
    office: String,
    action: String,
    subject: String,
    /// The subject with its id shortened, for reading.
    subject_short: String,
    /// Link to the subject, for persons.
    href: String,
    detail: String,
    /// The detail with its ids shortened.
    detail_short: String,
}

/// A UUID shown by its last eight digits (the full one is in the cell's title); its first
/// digits are a UUIDv7's timestamp, the same for everything done in the same minute.
fn short_id(s: &str) -> Option<String> {
    uuid::Uuid::parse_str(s)
        .ok()
        .map(|_| format!("…{}", &s[s.len() - 8..]))
}

/// `person:0190…-…a13cc5d` → `person:…0a13cc5d`.
fn shorten_subject(subject: &str) -> String {
    match subject.split_once(':') {
        Some((kind, id)) => match short_id(id) {
            Some(short) => format!("{kind}:{short}"),
            None => subject.to_owned(),
        },
        None => subject.to_owned(),
    }
}

/// Every quoted UUID in a JSON detail, shortened.
fn shorten_detail(detail: &str) -> String {
    detail
        .split('"')
        .map(|part| short_id(part).unwrap_or_else(|| part.to_owned()))
        .collect::<Vec<_>>()
        .join("\"")
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    ctx: Ctx,
    f: Filter,
    rows: Vec<Row>,
    actions: Vec<(&'static str, String)>,
    verification: AuditVerification,
    older: String,
    bad_person: bool,
    /// The offices to filter by; empty for an auditor of one office.
    offices: Vec<String>,
}

/// `YYYY-MM-DD` → the RFC 3339 start of that day (the stored times are UTC text).
fn day_start(day: &str) -> Option<String> {
    let d = day.trim();
    let ok = d.len() == 10
        && d.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    ok.then(|| format!("{d}T00:00:00Z"))
}

/// The day after `YYYY-MM-DD`, so that "until" includes the day itself.
fn day_after(day: &str) -> Option<String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let d = time::Date::parse(day.trim(), format).ok()?.next_day()?;
    Some(format!("{}T00:00:00Z", d.format(format).ok()?))
}

pub(super) async fn page<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Query(f): Query<Filter>,
) -> Result<Response, WebError> {
    user.require(Permission::ReadAudit)?;
    let ctx = user.ctx();
    // A person may be given by national number or as `person:<id>`.
    let person = f.person.trim();
    let mut bad_person = false;
    let subject = if person.is_empty() {
        None
    } else if let Ok(n) = NationalNumber::parse(person) {
        match state.store.person_id_by_national_number(&n).await? {
            Some(id) => Some(format!("person:{id}")),
            None => {
                bad_person = true;
                Some(format!("person:{n}"))
            }
        }
    } else if uuid::Uuid::parse_str(person).is_ok() {
        Some(format!("person:{person}"))
    } else {
        Some(person.to_owned())
    };
    let query = AuditQuery {
        actor: Some(f.officer.trim().to_owned()).filter(|s| !s.is_empty()),
        // An auditor of another office than the central reads their own office's trail.
        office: match user.scope().office() {
            Some(own) => Some(own.to_string()),
            None => Some(f.office.trim().to_owned()).filter(|s| !s.is_empty()),
        },
        subject,
        action: Some(f.action.trim().to_owned()).filter(|s| !s.is_empty()),
        since: day_start(&f.since),
        until: day_after(&f.until),
        before_seq: f.before,
        limit: PAGE,
    };
    let entries = crate::auth::read_audit(&state, &user.user, &query).await?;
    let verification = state.store.verify_audit().await?;
    let older = match entries.last() {
        Some(last) if entries.len() == PAGE as usize => format!(
            "/audit?officer={}&office={}&person={}&action={}&since={}&until={}&before={}",
            url_encode(&f.officer),
            url_encode(&f.office),
            url_encode(&f.person),
            url_encode(&f.action),
            url_encode(&f.since),
            url_encode(&f.until),
            last.seq
        ),
        _ => String::new(),
    };
    let rows = entries.into_iter().map(|e| row(&ctx, e)).collect();
    let actions = ACTIONS
        .into_iter()
        .map(|a| (a, ctx.t.code("action", a)))
        .collect();
    let offices = user.office_choices(&state).await?;
    html(&AuditPage {
        ctx,
        f,
        rows,
        actions,
        verification,
        older,
        bad_person,
        offices,
    })
}

impl AuditPage {
    fn same(&self, a: &str, b: &str) -> bool {
        a == b
    }
}

fn row(ctx: &Ctx, e: AuditEntry) -> Row {
    let href = e
        .subject
        .strip_prefix("person:")
        .filter(|id| uuid::Uuid::parse_str(id).is_ok())
        .map(|id| format!("/people/{id}"))
        .unwrap_or_default();
    Row {
        seq: e.seq,
        at: when_text(&e.at),
        actor: e.actor,
        office: e.office,
        action: ctx.t.code("action", &e.action),
        subject_short: shorten_subject(&e.subject),
        subject: e.subject,
        href,
        detail_short: shorten_detail(&e.detail),
        detail: if e.detail == "{}" {
            String::new()
        } else {
            e.detail
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_become_half_open_ranges() {
        assert_eq!(
            day_start("2026-11-29").as_deref(),
            Some("2026-11-29T00:00:00Z")
        );
        assert_eq!(
            day_after("2026-11-30").as_deref(),
            Some("2026-12-01T00:00:00Z")
        );
        assert_eq!(day_start("2026-1-1"), None);
        assert_eq!(day_after("yesterday"), None);
    }

    #[test]
    fn ids_are_shortened_for_reading() {
        let id = "01a22799-4542-7344-b425-a0521a13cc5d";
        assert_eq!(shorten_subject(&format!("person:{id}")), "person:…1a13cc5d");
        assert_eq!(shorten_subject("register:حمص/157"), "register:حمص/157");
        assert_eq!(
            shorten_detail(&format!(r#"{{"persons":["{id}"],"kind":"birth"}}"#)),
            r#"{"persons":["…1a13cc5d"],"kind":"birth"}"#
        );
    }
}
