//! Identity documents in the web application: issuing a card from a person's page, the card
//! view (front and back, printable at ID-1 size), status changes, the passport workflow, and
//! the verification page where an officer pastes a QR payload or a zone.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use sijil_core::{NationalNumber, Permission};
use sijil_docs::{
    Verdict, qr_svg,
    verify::{Authenticity, Checked},
};
use sijil_store::{
    Store,
    documents::{ApplicationStep, Document, DocumentKind, DocumentStatus, PassportApplication},
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Ctx, WebError, WebUser, card_image, forms::FormData, html};
use crate::{AppError, AppState, issuance};

fn parse_id(id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| WebError::NotFound)
}

/// The error code a refused workflow step shows on the page it returns to.
fn step_error(e: AppError) -> Result<&'static str, WebError> {
    match e {
        AppError::Conflict(m) if m.contains("second officer") => Ok("second-officer"),
        AppError::Conflict(m) if m.contains("note") => Ok("note-needed"),
        // The store refuses documents for a merged-away person (they go to the survivor).
        AppError::Conflict(m) if m.contains("was merged into") => Ok("merged"),
        AppError::Conflict(_) => Ok("step"),
        AppError::Invalid(_) => Ok("incomplete"),
        other => Err(other.into()),
    }
}

pub(super) async fn issue_card<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(person): Path<String>,
    form: FormData,
) -> Result<Response, WebError> {
    user.check_csrf(form.csrf())?;
    user.require(Permission::IssueDocuments)?;
    let person = parse_id(&person)?;
    let keys = state.keys()?;
    match issuance::issue_id_card(&state.store, keys, person, &user.user.actor()).await {
        Ok(doc) => Ok(Redirect::to(&format!("/documents/{}", doc.id)).into_response()),
        Err(e) => {
            let code = step_error(e)?;
            Ok(Redirect::to(&format!("/people/{person}?document_error={code}")).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "documents/card.html")]
struct DocumentPage {
    ctx: Ctx,
    doc: Document,
    is_card: bool,
    name_ar: String,
    name_latin: String,
    national_number: String,
    rows: Vec<(String, String)>,
    mrz_lines: Vec<String>,
    status: String,
    history: Vec<(String, String, String)>,
    can_change: bool,
    next: Vec<(String, String)>,
}

pub(super) async fn page<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    let actor = user.user.actor();
    let doc = state.store.document(parse_id(&id)?, &actor).await?;
    let person = state.store.person(doc.person_id, &actor).await?.person;
    let ctx = user.ctx();
    let t = ctx.t;
    let v = &person.view;
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    let name = issuance::printed_name(v);
    let mut rows = vec![
        (
            t.t("card-birth-date"),
            v.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (t.t("card-birth-place"), text(&v.birth_place)),
        (
            t.code("field", "sex"),
            v.sex.map(|s| t.code("sex", s.code())).unwrap_or_default(),
        ),
    ];
    if doc.kind == DocumentKind::IdCard {
        rows.push((t.code("field", "mother_name"), text(&v.mother_name)));
        rows.push((
            t.t("card-registry"),
            format!("{} {}", text(&v.registry_place), text(&v.registry_number)),
        ));
    }
    let status = doc.status();
    let next = DocumentStatus::ALL
        .into_iter()
        .filter(|s| status.may_become(*s))
        .map(|s| (s.as_str().to_owned(), t.code("doc-status", s.as_str())))
        .collect();
    let page = DocumentPage {
        is_card: doc.kind == DocumentKind::IdCard,
        name_latin: issuance::latin_name(&name).unwrap_or_default(),
        name_ar: name.full(),
        national_number: person.national_number.to_string(),
        rows,
        mrz_lines: doc.mrz.lines().map(str::to_owned).collect(),
        status: t.code("doc-status", status.as_str()),
        history: doc
            .history
            .iter()
            .map(|h| {
                (
                    super::person::when(h.at),
                    t.code("doc-status", h.status.as_str()),
                    h.by.clone(),
                )
            })
            .collect(),
        can_change: user.user.role.allows(Permission::IssueDocuments),
        next,
        doc,
        ctx,
    };
    html(&page)
}

/// The card drawn as a PNG image for print (see [`super::card_image`] for the query).
pub(super) async fn card_png<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(id): Path<String>,
    Query(q): Query<card_image::CardQuery>,
) -> Result<Response, WebError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    let id = parse_id(&id)?;
    let (side, dpi) = q.parse()?;
    let png = card_image::card_png(&state.store, id, &user.user.actor(), side, dpi).await?;
    Ok(card_image::png_response(png))
}

/// The card's QR code as SVG, for the card view's `<img>`.
pub(super) async fn qr<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    let doc = state
        .store
        .document(parse_id(&id)?, &user.user.actor())
        .await?;
    let text = doc.credential.ok_or(WebError::NotFound)?;
    let svg = qr_svg(&text, 1).map_err(|e| WebError::Internal(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        svg,
    )
        .into_response())
}

pub(super) async fn change_status<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, WebError> {
    user.check_csrf(form.csrf())?;
    user.require(Permission::IssueDocuments)?;
    let id = parse_id(&id)?;
    let status = DocumentStatus::parse(form.get("status")).ok_or(WebError::BadRequest)?;
    let note = Some(form.string("note")).filter(|n| !n.trim().is_empty());
    state
        .store
        .change_document_status(id, status, note, &user.user.actor())
        .await
        .map_err(AppError::from)?;
    Ok(Redirect::to(&format!("/documents/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "documents/verify.html")]
struct VerifyPage {
    ctx: Ctx,
    input: String,
    result: Option<VerdictView>,
    /// Which lists the answer rests on (an officer must know how fresh they are).
    lists: String,
    /// An office that has received no lists cannot verify: the form is not offered.
    can_verify: bool,
}

fn lists_line<S: Store>(state: &AppState<S>, ctx: &Ctx) -> (String, bool) {
    use crate::verification::ListsInUse;
    match crate::verification::lists_in_use(state) {
        ListsInUse::Current => (ctx.t.t("verify-lists-current"), true),
        ListsInUse::Received {
            revocations_at,
            alerts_at,
        } => (
            ctx.t.s(
                "verify-lists-received",
                "at",
                &super::person::when(revocations_at.min(alerts_at)),
            ),
            true,
        ),
        ListsInUse::None => (ctx.t.t("verify-lists-none"), false),
    }
}

/// A verdict in the page's language.
struct VerdictView {
    valid: bool,
    checked: String,
    genuine: String,
    findings: Vec<String>,
    holder: Vec<(String, String)>,
}

fn verdict_view(ctx: &Ctx, v: &Verdict) -> VerdictView {
    let t = ctx.t;
    let ar = ctx.lang.is_ar();
    let genuine = match &v.authenticity {
        Authenticity::Signed { key_id, .. } => t.s(
            "verify-signed",
            "key",
            &super::i18n::isolate_ltr(&key_id.to_string()),
        ),
        Authenticity::ConsistentZone => t.t("verify-zone-only"),
        Authenticity::Failed(f) if ar => f.message_ar().to_owned(),
        Authenticity::Failed(f) => f.detail(),
    };
    let findings = v
        .findings
        .iter()
        .map(|f| if ar { f.message_ar() } else { f.message_en() })
        .collect();
    let mut holder = Vec::new();
    if let Some(h) = &v.holder {
        for (key, value) in [
            ("field-national-number", &h.national_number),
            ("card-name-ar", &h.name_ar),
            ("card-name-latin", &h.name_latin),
            ("card-birth-date", &h.birth_date),
        ] {
            if let Some(value) = value {
                holder.push((t.t(key), value.clone()));
            }
        }
        if let Some(n) = &v.document_number {
            holder.push((t.t("card-number"), n.clone()));
        }
        if let Some(d) = v.expires_on {
            holder.push((t.t("card-expires"), d.to_string()));
        }
    }
    VerdictView {
        valid: v.is_valid(),
        checked: t.t(match v.checked {
            Checked::Qr => "verify-checked-qr",
            Checked::Mrz(_) => "verify-checked-mrz",
        }),
        genuine,
        findings,
        holder,
    }
}

pub(super) async fn verify_form<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
) -> Result<Response, WebError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    let ctx = user.ctx();
    let (lists, can_verify) = lists_line(&state, &ctx);
    html(&VerifyPage {
        ctx,
        input: String::new(),
        result: None,
        lists,
        can_verify,
    })
}

pub(super) async fn verify_submit<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    form: FormData,
) -> Result<Response, WebError> {
    user.check_csrf(form.csrf())?;
    user.read_persons(&state, Permission::ReadPerson).await?;
    let input = form.string("code").trim().to_owned();
    if input.is_empty() || input.len() > 8 * 1024 {
        return Err(WebError::BadRequest);
    }
    let zone = crate::verification::looks_like_zone(&input);
    let verdict = crate::verification::verify(&state, &input, zone).await?;
    let ctx = user.ctx();
    let result = Some(verdict_view(&ctx, &verdict));
    let (lists, can_verify) = lists_line(&state, &ctx);
    html(&VerifyPage {
        ctx,
        input,
        result,
        lists,
        can_verify,
    })
}

#[derive(Template)]
#[template(path = "documents/passports.html")]
struct PassportsPage {
    ctx: Ctx,
    apps: Vec<(String, String, String, String)>,
    can_apply: bool,
    error: bool,
}

#[derive(Deserialize)]
pub(super) struct ErrorQuery {
    error: Option<String>,
}

pub(super) async fn passports<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Query(q): Query<ErrorQuery>,
) -> Result<Response, WebError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    let ctx = user.ctx();
    let apps = state
        .store
        .passport_applications(100)
        .await?
        .into_iter()
        .map(|a| {
            let when = a
                .steps
                .first()
                .map(|s| super::person::when(s.at))
                .unwrap_or_default();
            (
                a.id.to_string(),
                ctx.t.code("passport-step", a.step().as_str()),
                a.applied_by.clone(),
                when,
            )
        })
        .collect();
    html(&PassportsPage {
        can_apply: user.user.role.allows(Permission::IssueDocuments),
        error: q.error.is_some(),
        apps,
        ctx,
    })
}

pub(super) async fn apply<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    form: FormData,
) -> Result<Response, WebError> {
    user.check_csrf(form.csrf())?;
    user.require(Permission::IssueDocuments)?;
    let folded = sijil_core::digits::fold_digits(form.get("national_number").trim());
    let person = match NationalNumber::parse(&folded) {
        Ok(nn) => state.store.person_id_by_national_number(&nn).await?,
        Err(_) => None,
    };
    let Some(person) = person else {
        return Ok(Redirect::to("/passports?error=person").into_response());
    };
    let app = state
        .store
        .apply_passport(person, &user.user.actor())
        .await?;
    Ok(Redirect::to(&format!("/passports/{}", app.id)).into_response())
}

#[derive(Template)]
#[template(path = "documents/passport.html")]
struct PassportPage {
    ctx: Ctx,
    app: PassportApplication,
    step: String,
    steps: Vec<(String, String, String, String)>,
    actions: Vec<(&'static str, String)>,
    error: String,
    document: Option<String>,
}

pub(super) async fn passport<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(id): Path<String>,
    Query(q): Query<ErrorQuery>,
) -> Result<Response, WebError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    let app = state.store.passport_application(parse_id(&id)?).await?;
    let ctx = user.ctx();
    let t = ctx.t;
    let steps = app
        .steps
        .iter()
        .map(|s| {
            let detail = match (s.detail.get("alerts"), s.detail.get("valid_passports")) {
                (Some(a), Some(p)) => t.s(
                    "passport-check-found",
                    "found",
                    &format!(
                        "{} / {}",
                        a.as_array().map_or(0, Vec::len),
                        p.as_array().map_or(0, Vec::len)
                    ),
                ),
                _ => s
                    .detail
                    .get("note")
                    .and_then(|n| n.as_str())
                    .unwrap_or("")
                    .to_owned(),
            };
            (
                super::person::when(s.at),
                t.code("passport-step", s.step.as_str()),
                s.by.clone(),
                detail,
            )
        })
        .collect();
    // Its next steps are for the office that took it, or the central.
    let can = user.user.role.allows(Permission::IssueDocuments) && user.scope().covers(&app.office);
    let actions: Vec<(&'static str, String)> = match app.step() {
        ApplicationStep::Applied => vec!["check", "refuse"],
        ApplicationStep::Held => vec!["check", "approve", "refuse"],
        ApplicationStep::Checked => vec!["approve", "refuse"],
        ApplicationStep::Approved => vec!["issue", "refuse"],
        ApplicationStep::Issued | ApplicationStep::Refused => vec![],
    }
    .into_iter()
    .filter(|_| can)
    .map(|a| (a, t.t(&format!("passport-do-{a}"))))
    .collect();
    let document = app.steps.iter().find_map(|s| {
        s.detail
            .get("document")
            .and_then(|d| d.as_str())
            .map(str::to_owned)
    });
    let error = q
        .error
        .filter(|e| ["second-officer", "note-needed", "step", "incomplete"].contains(&e.as_str()))
        .map(|e| t.t(&format!("passport-error-{e}")))
        .unwrap_or_default();
    html(&PassportPage {
        step: t.code("passport-step", app.step().as_str()),
        app,
        steps,
        actions,
        error,
        document,
        ctx,
    })
}

pub(super) async fn passport_step<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path((id, step)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, WebError> {
    user.check_csrf(form.csrf())?;
    user.require(Permission::IssueDocuments)?;
    let id = parse_id(&id)?;
    // The office that took an application (or the central) checks, approves and issues it.
    let office = state.store.passport_application(id).await?.office;
    user.require_for(Permission::IssueDocuments, &office)?;
    let actor = user.user.actor();
    let store = &state.store;
    let note = Some(form.string("note")).filter(|n| !n.trim().is_empty());
    let result: Result<Option<Uuid>, AppError> = match step.as_str() {
        "check" => store
            .check_passport_application(id, OffsetDateTime::now_utc().date(), &actor)
            .await
            .map(|_| None)
            .map_err(Into::into),
        "approve" => store
            .approve_passport_application(id, note, &actor)
            .await
            .map(|_| None)
            .map_err(Into::into),
        "refuse" => match note {
            Some(note) => store
                .refuse_passport_application(id, note, &actor)
                .await
                .map(|_| None)
                .map_err(Into::into),
            None => Err(AppError::Conflict("a refusal needs a note".into())),
        },
        "issue" => issuance::issue_passport(store, id, &actor)
            .await
            .map(|d| Some(d.id)),
        _ => return Err(WebError::NotFound),
    };
    match result {
        Ok(Some(doc)) => Ok(Redirect::to(&format!("/documents/{doc}")).into_response()),
        Ok(None) => Ok(Redirect::to(&format!("/passports/{id}")).into_response()),
        Err(e) => {
            let code = step_error(e)?;
            Ok(Redirect::to(&format!("/passports/{id}?error={code}")).into_response())
        }
    }
}
