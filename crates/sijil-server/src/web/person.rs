//! A person's page: the current view, every source record with how it was captured, civil
//! events, the family register, and (for auditors) who viewed it. Also the print view, the
//! civil-event form, and opening a person by national number.
//!
//! Every read goes through the store's audited methods, so opening this page is itself
//! recorded: once for the person, once for their events, once for their family register.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use sijil_core::{
    CivilEvent, EventInput, EventKind, Evidence, NationalNumber, Permission, RegisterKey,
    ValidationErrors,
};
use sijil_store::{
    AuditEntry, AuditQuery, DecisionEntry, MergedFrom, PersonDetail, RegisterMember, Store,
    StoreError, StoredRecord,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    Ctx, WebError, WebUser,
    forms::{Errors, FormData},
    html,
};
use crate::AppState;

/// Everything shown about a person.
struct Dossier {
    detail: PersonDetail,
    events: Vec<CivilEvent>,
    members: Vec<RegisterMember>,
    views: Vec<AuditEntry>,
}

async fn dossier<S: Store>(
    state: &AppState<S>,
    user: &WebUser,
    id: Uuid,
) -> Result<Dossier, WebError> {
    let actor = user.user.actor();
    let detail = state.store.person(id, &actor).await?;
    let events = state.store.events(id, &actor).await?;
    let key = detail
        .person
        .view
        .registry_place
        .as_deref()
        .zip(detail.person.view.registry_number.as_deref())
        .and_then(|(place, number)| RegisterKey::new(place, number));
    let members = match key {
        Some(key) => state
            .store
            .register_members(&key, &actor)
            .await?
            .into_iter()
            .filter(|m| m.person_id != id)
            .collect(),
        None => Vec::new(),
    };
    let views = if user.user.role.allows(Permission::ReadAudit) {
        state
            .store
            .audit_entries(&AuditQuery {
                subject: Some(format!("person:{id}")),
                action: Some("person.read".into()),
                office: user.scope().office().map(ToString::to_string),
                limit: 50,
                ..Default::default()
            })
            .await?
    } else {
        Vec::new()
    };
    Ok(Dossier {
        detail,
        events,
        members,
        views,
    })
}

/// The national number of `id` if it was merged into the person `d` (directly or not).
fn merged_number(d: &PersonDetail, id: Uuid) -> Option<String> {
    d.merged_from
        .iter()
        .find(|m| m.person_id == id)
        .map(|m| m.national_number.clone())
}

/// Labels and values of the current view, in display order.
fn view_rows(ctx: &Ctx, d: &PersonDetail) -> Vec<(String, String)> {
    let v = &d.person.view;
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    let rows = [
        ("first_name", text(&v.first_name)),
        ("father_name", text(&v.father_name)),
        ("grandfather_name", text(&v.grandfather_name)),
        ("family_name", text(&v.family_name)),
        ("mother_name", text(&v.mother_name)),
        ("mother_family_name", text(&v.mother_family_name)),
        (
            "sex",
            v.sex
                .map(|s| ctx.t.code("sex", s.code()))
                .unwrap_or_default(),
        ),
        (
            "birth_date",
            v.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        ),
        ("birth_place", text(&v.birth_place)),
        ("registry_place", text(&v.registry_place)),
        ("registry_number", text(&v.registry_number)),
    ];
    rows.into_iter()
        .map(|(field, value)| (ctx.t.code("field", field), value))
        .collect()
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    ctx: Ctx,
    d: Dossier,
    rows: Vec<(String, String)>,
    name: String,
    can_record: bool,
    values: FormData,
    errors: Errors,
    notice: String,
    /// The person's documents: id, number, kind and status, translated, and the national
    /// number of the merged-away person it was issued to (empty when issued to this person).
    documents: Vec<(String, String, String, String, String)>,
    decisions: Vec<DecisionEntry>,
    /// At an office node: what the central made of this person's records sent there.
    central: Vec<String>,
    /// For a merged-away person: the decision that moved their last records, if recorded.
    merged_by: Option<DecisionEntry>,
}

impl PersonPage {
    fn decision_kind(&self, d: &DecisionEntry) -> String {
        self.ctx.t.code("decision-kind", &d.kind)
    }
    /// The resolver's reasons are codes; an adjudicator's are their own words.
    fn decision_reason(&self, d: &DecisionEntry) -> String {
        if d.kind == "resolution" {
            self.ctx.t.code("reason", &d.reason)
        } else {
            d.reason.clone()
        }
    }
    fn decision_weight(&self, d: &DecisionEntry) -> String {
        d.explanation
            .as_ref()
            .and_then(|e| e["weight"].as_f64())
            .map(|w| format!("{w:+.1}"))
            .unwrap_or_default()
    }
    fn can_undo(&self, d: &DecisionEntry) -> bool {
        self.ctx.can_correct_persons && d.kind != "resolution"
    }
}

#[derive(Template)]
#[template(path = "person_print.html")]
struct PrintPage {
    ctx: Ctx,
    d: Dossier,
    rows: Vec<(String, String)>,
    name: String,
    printed_at: String,
}

/// Formatting shared by the person page and its print view.
trait Show {
    fn tr(&self) -> super::i18n::Tr;

    fn at(&self, t: &OffsetDateTime) -> String {
        when(*t)
    }

    fn record_name(&self, r: &StoredRecord) -> String {
        let v = sijil_core::PersonView::derive(std::slice::from_ref(&r.record));
        v.full_name()
    }

    fn record_details(&self, r: &StoredRecord) -> Vec<(String, String)> {
        let t = self.tr();
        let row = r.record.to_row();
        [
            ("mother_name", row.mother_name),
            ("mother_family_name", row.mother_family_name),
            (
                "sex",
                r.record
                    .sex
                    .map(|s| t.code("sex", s.code()))
                    .unwrap_or_default(),
            ),
            ("birth_date", row.birth_date),
            ("birth_place", row.birth_place),
            ("registry_place", row.registry_place),
            ("registry_number", row.registry_number),
            ("national_number", row.national_number),
            ("source", row.source),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (t.code("field", k), v))
        .collect()
    }

    fn evidence_kind(&self, e: &Evidence) -> String {
        let code = serde_json::to_value(e.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        self.tr().code("evidence", &code)
    }

    fn event_kind(&self, e: &CivilEvent) -> String {
        self.tr().code("event", e.kind.as_str())
    }

    /// The other party of a marriage or divorce, seen from the person and everyone merged
    /// into them (an event recorded on a merged-away person names that person, not `d`).
    fn partner(&self, e: &CivilEvent, d: &PersonDetail) -> String {
        let ours = |p: Uuid| p == d.person.id || d.merged_from.iter().any(|m| m.person_id == p);
        match e.spouse_id {
            Some(s) if ours(e.person_id) && !ours(s) => s.to_string(),
            Some(_) if !ours(e.person_id) => e.person_id.to_string(),
            _ => String::new(),
        }
    }

    /// The national number of the merged-away person an event was recorded on, or empty when
    /// it names the person themselves.
    fn event_from(&self, e: &CivilEvent, d: &PersonDetail) -> String {
        if e.person_id == d.person.id || e.spouse_id == Some(d.person.id) {
            return String::new();
        }
        merged_number(d, e.person_id)
            .or_else(|| e.spouse_id.and_then(|s| merged_number(d, s)))
            .unwrap_or_default()
    }

    fn merged_at(&self, m: &MergedFrom) -> String {
        m.decided_at.map(when).unwrap_or_default()
    }

    fn merged_kind(&self, m: &MergedFrom) -> String {
        m.decision_kind
            .as_deref()
            .map(|k| self.tr().code("decision-kind", k))
            .unwrap_or_default()
    }

    fn member_name(&self, m: &RegisterMember) -> String {
        m.view.full_name()
    }

    fn member_birth(&self, m: &RegisterMember) -> String {
        m.view.birth_date.map(|d| d.to_string()).unwrap_or_default()
    }

    fn audit_at(&self, e: &AuditEntry) -> String {
        when_text(&e.at)
    }

    fn opt(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }
}

impl Show for PersonPage {
    fn tr(&self) -> super::i18n::Tr {
        self.ctx.t
    }
}

impl Show for PrintPage {
    fn tr(&self) -> super::i18n::Tr {
        self.ctx.t
    }
}

impl PersonPage {
    fn same(&self, a: &str, b: &str) -> bool {
        a == b
    }

    fn event_kinds(&self) -> Vec<(&'static str, String)> {
        ["birth", "death", "marriage", "divorce"]
            .into_iter()
            .map(|k| (k, self.ctx.t.code("event", k)))
            .collect()
    }
}

/// Short, readable time: `2026-11-29 13:05` (UTC).
pub(super) fn when(t: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// The stored audit time text, shortened the same way.
pub(super) fn when_text(at: &str) -> String {
    at.get(..16).unwrap_or(at).replace('T', " ")
}

fn parse_id(id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| WebError::NotFound)
}

#[derive(Deserialize)]
pub(super) struct Flags {
    recorded: Option<String>,
    undo: Option<String>,
    adjudicate: Option<String>,
    /// Why issuing a document from this page failed (see `documents::issue_card`).
    document_error: Option<String>,
}

async fn person_page<S: Store>(
    state: &AppState<S>,
    user: &WebUser,
    id: Uuid,
    values: FormData,
    errors: Errors,
    notice: String,
) -> Result<PersonPage, WebError> {
    user.read_persons(state, Permission::ReadPerson).await?;
    let ctx = user.ctx();
    let d = dossier(state, user, id).await?;
    let decisions = state.store.decisions_of(id, &user.user.actor()).await?;
    let documents = state
        .store
        .documents_of(id, &user.user.actor())
        .await?
        .into_iter()
        .map(|doc| {
            (
                doc.id.to_string(),
                doc.number.clone(),
                ctx.t.code("doc-kind", doc.kind.as_str()),
                ctx.t.code("doc-status", doc.status().as_str()),
                merged_number(&d.detail, doc.person_id).unwrap_or_default(),
            )
        })
        .collect();
    let central = match state.sync.as_deref().filter(|c| c.office().is_some()) {
        Some(sync) => {
            let ids: Vec<String> = d
                .detail
                .records
                .iter()
                .map(|r| r.record.record_id.clone())
                .collect();
            sync.store
                .held_receipts(Some(&ids), 50)
                .await?
                .iter()
                .map(|r| super::sync::receipt_line(&ctx.t, r))
                .collect()
        }
        None => Vec::new(),
    };
    let merged_by = d.detail.person.merged_into.and_then(|to| {
        decisions
            .iter()
            .find(|dec| dec.moves.iter().any(|m| m.from == id && m.to == to))
            .cloned()
    });
    Ok(PersonPage {
        central,
        merged_by,
        decisions,
        documents,
        rows: view_rows(&ctx, &d.detail),
        name: d.detail.person.view.full_name(),
        // Events belong on the survivor of a merge (the store refuses them here).
        can_record: user.user.role.allows(Permission::RecordEvent)
            && d.detail.person.merged_into.is_none(),
        ctx,
        d,
        values,
        errors,
        notice,
    })
}

pub(super) async fn page<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(id): Path<String>,
    Query(flags): Query<Flags>,
) -> Result<Response, WebError> {
    let t = user.ctx().t;
    let notice = match (
        flags.recorded.as_deref(),
        flags.undo.as_deref(),
        flags.adjudicate.as_deref(),
        flags.document_error.as_deref(),
    ) {
        (Some(_), _, _, _) => t.t("event-recorded"),
        (_, Some("done"), _, _) => t.t("decision-undone"),
        (_, Some("conflict"), _, _) => t.t("decision-undo-conflict"),
        (_, Some(_), _, _) => t.t("decision-undo-reason-needed"),
        (_, _, Some(flag), _) => t.code("adjudicate-done", flag),
        (
            _,
            _,
            _,
            Some(code @ ("incomplete" | "step" | "second-officer" | "note-needed" | "merged")),
        ) => t.t(&format!("document-error-{code}")),
        _ => String::new(),
    };
    let page = person_page(
        &state,
        &user,
        parse_id(&id)?,
        FormData::empty(),
        Errors::default(),
        notice,
    )
    .await?;
    html(&page)
}

pub(super) async fn print<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    let ctx = user.ctx();
    let d = dossier(&state, &user, parse_id(&id)?).await?;
    html(&PrintPage {
        rows: view_rows(&ctx, &d.detail),
        name: d.detail.person.view.full_name(),
        ctx,
        d,
        printed_at: when(OffsetDateTime::now_utc()),
    })
}

pub(super) async fn record_event<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, WebError> {
    user.require(Permission::RecordEvent)?;
    user.check_csrf(form.csrf())?;
    let id = parse_id(&id)?;
    let t = user.ctx().t;
    let mut errors = Errors::default();
    let kind = EventKind::parse(form.get("kind"));
    // Clerks know the spouse by national number, not by the registry's internal id.
    let spouse = match form.get("spouse").trim() {
        "" => None,
        s => match NationalNumber::parse(s) {
            Ok(n) => match state.store.person_id_by_national_number(&n).await? {
                Some(p) => Some(p),
                None => {
                    errors.add("spouse", t.t("event-spouse-unknown"));
                    None
                }
            },
            Err(e) => {
                let problem = sijil_core::Problem::InvalidNationalNumber(e);
                let v = ValidationErrors::single("spouse", problem);
                for (f, m) in Errors::from_validation(&v, user.lang, str::to_owned).entries() {
                    errors.add(&f, m);
                }
                None
            }
        },
    };
    let outcome = match kind {
        Ok(kind) => {
            let input = EventInput {
                kind,
                date: form.string("date"),
                place: Some(form.string("place")),
                spouse_id: spouse,
                court_record: Some(form.string("court_record")),
            };
            match input.validate(OffsetDateTime::now_utc().date()) {
                Ok(event) if errors.is_empty() => {
                    match state
                        .store
                        .record_event(id, event, &user.user.actor())
                        .await
                    {
                        Ok(_) => Ok(()),
                        Err(StoreError::Invalid(v)) => Err(v),
                        Err(e) => return Err(e.into()),
                    }
                }
                Ok(_) => Err(ValidationErrors(Vec::new())),
                Err(v) => Err(v),
            }
        }
        Err(p) => Err(ValidationErrors::single("kind", p)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/people/{id}?recorded=1")).into_response()),
        Err(v) => {
            let rename = |f: &str| if f == "spouse_id" { "spouse" } else { f }.to_owned();
            for (f, m) in Errors::from_validation(&v, user.lang, rename).entries() {
                errors.add(&f, m);
            }
            let page =
                person_page(&state, &user, id, form, errors, t.t("event-not-recorded")).await?;
            let mut response = html(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}

#[derive(Deserialize)]
pub(super) struct ByNumber {
    nn: Option<String>,
}

/// Opens the person holding a national number (an exact lookup, not a search); says so on
/// the home page when the number is malformed or nobody holds it.
pub(super) async fn by_number<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Query(q): Query<ByNumber>,
) -> Result<Response, WebError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    let typed = q.nn.unwrap_or_default();
    let error = match NationalNumber::parse(typed.trim()) {
        Ok(number) => match state.store.person_id_by_national_number(&number).await? {
            Some(id) => return Ok(Redirect::to(&format!("/people/{id}")).into_response()),
            None => user.ctx().t.t("home-open-none"),
        },
        Err(e) => {
            let v = ValidationErrors::single("nn", sijil_core::Problem::InvalidNationalNumber(e));
            Errors::from_validation(&v, user.lang, str::to_owned)
                .get("nn")
                .to_owned()
        }
    };
    let mut response = super::home::home_page(&state, &user, typed, error).await?;
    *response.status_mut() = StatusCode::NOT_FOUND;
    Ok(response)
}
