//! Search, the review queue, and a review item side by side with the adjudicator's actions.
//!
//! The work is the shared [`crate::resolution`] service's; these handlers turn forms into its
//! calls and its answers into pages.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use sijil_core::{Permission, PersonRecord, ValidationErrors};
use sijil_store::{
    Adjudication, ReviewItem, ReviewKind, ReviewQuery, ReviewSummary, Store, StoreError,
};
use uuid::Uuid;

use super::{
    Ctx, WebError, WebUser,
    forms::{Errors, FormData},
    html,
};
use crate::{
    AppError, AppState,
    resolution::{self, SearchInput, SearchResult},
};

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    ctx: Ctx,
    names: String,
    birth_year: String,
    place: String,
    searched: bool,
    results: Vec<SearchResult>,
    errors: Errors,
}

impl SearchPage {
    fn name(&self, r: &SearchResult) -> String {
        r.view.full_name()
    }
    fn born(&self, r: &SearchResult) -> String {
        r.view.birth_date.map(|d| d.to_string()).unwrap_or_default()
    }
    fn score(&self, r: &SearchResult) -> String {
        format!("{:.1}", r.score)
    }
}

pub(super) async fn search<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Result<Response, WebError> {
    user.read_persons(&state, Permission::SearchPersons).await?;
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let mut page = SearchPage {
        ctx: user.ctx(),
        names: get("names"),
        birth_year: get("birth_year"),
        place: get("place"),
        searched: false,
        results: Vec::new(),
        errors: Errors::default(),
    };
    if page.names.trim().is_empty() && page.birth_year.is_empty() && page.place.is_empty() {
        return html(&page);
    }
    let input = SearchInput {
        names: &page.names,
        birth_year: &page.birth_year,
        place: &page.place,
        limit: None,
    };
    match resolution::search(&state, &user.user.actor(), input).await {
        Ok(results) => {
            page.searched = true;
            page.results = results;
            html(&page)
        }
        Err(AppError::Invalid(v)) => {
            page.errors = Errors::from_validation(&v, user.lang, str::to_owned);
            let mut response = html(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(WebError::Internal(e.into())),
    }
}

#[derive(Template)]
#[template(path = "review_list.html")]
struct ReviewListPage {
    ctx: Ctx,
    items: Vec<ReviewSummary>,
    notice: String,
    /// Offices to filter by (the central's adjudicators only).
    offices: Vec<String>,
    /// The office filtered by, if any.
    office: String,
}

impl ReviewListPage {
    fn chosen(&self, code: &str) -> bool {
        self.office == code
    }
    fn kind(&self, i: &ReviewSummary) -> String {
        self.ctx.t.code("review-kind", i.kind.as_str())
    }
    fn weight(&self, i: &ReviewSummary) -> String {
        format!("{:.1}", i.best_weight)
    }
    fn when(&self, i: &ReviewSummary) -> String {
        super::person::when(i.created_at)
    }
}

pub(super) async fn queue<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Result<Response, WebError> {
    user.require(Permission::Adjudicate)?;
    let office = crate::auth::office_filter(&user.user, q.get("office").map(String::as_str))
        .map_err(|e| match e {
            crate::AppError::Invalid(_) => WebError::BadRequest,
            other => other.into(),
        })?;
    let query = ReviewQuery {
        office: office.clone(),
        ..ReviewQuery::default()
    };
    let items = state.store.review_queue(&query, &user.user.actor()).await?;
    let ctx = user.ctx();
    let notice = match q.get("done").map(String::as_str) {
        Some("1") => ctx.t.t("review-done"),
        _ => String::new(),
    };
    // The central's adjudicators may share the queue out by office.
    let offices = user.office_choices(&state).await?;
    html(&ReviewListPage {
        ctx,
        items,
        notice,
        offices,
        office: office.map(|o| o.to_string()).unwrap_or_default(),
    })
}

/// One field of the two records, with how the model weighed it.
struct FieldRow {
    label: String,
    ours: String,
    theirs: String,
    level: String,
    weight: f64,
}

impl FieldRow {
    fn class(&self) -> &'static str {
        if self.weight > 0.05 {
            "agree"
        } else if self.weight < -0.05 {
            "disagree"
        } else {
            "neutral"
        }
    }
    fn shown_weight(&self) -> String {
        format!("{:+.1}", self.weight)
    }
}

struct CandidateView {
    person_id: Uuid,
    national_number: String,
    name: String,
    weight: String,
    probability: String,
    rows: Vec<FieldRow>,
    merged: bool,
}

#[derive(Template)]
#[template(path = "review_item.html")]
struct ReviewItemPage {
    ctx: Ctx,
    item: ReviewItem,
    kind: String,
    candidates: Vec<CandidateView>,
    reason: String,
    errors: Errors,
    notice: String,
}

fn text(o: &Option<String>) -> String {
    o.clone().unwrap_or_default()
}

/// The fields of a record under the comparison that weighed them.
fn fields(ctx: &Ctx, r: &PersonRecord) -> Vec<(&'static str, &'static str, String)> {
    let register = match (&r.registry_place, &r.registry_number) {
        (Some(p), Some(n)) => format!("{p} / {n}"),
        (Some(p), None) => p.clone(),
        (None, Some(n)) => n.clone(),
        (None, None) => String::new(),
    };
    vec![
        ("first_name", "first_name", text(&r.first_name)),
        ("father_name", "father_name", text(&r.father_name)),
        (
            "grandfather_name",
            "grandfather_name",
            text(&r.grandfather_name),
        ),
        ("family_name", "family_name", text(&r.family_name)),
        ("mother_name", "mother_name", text(&r.mother_name)),
        (
            "mother_family_name",
            "mother_family_name",
            text(&r.mother_family_name),
        ),
        (
            "sex",
            "sex",
            r.sex
                .map(|s| ctx.t.code("sex", s.code()))
                .unwrap_or_default(),
        ),
        (
            "birth_date",
            "birth_date",
            r.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        ),
        ("birth_place", "birth_place", text(&r.birth_place)),
        ("registry", "registry_place", register),
        (
            "national_number",
            "national_number",
            r.national_number
                .as_ref()
                .map(|n| n.to_string())
                .or_else(|| r.unverified_national_number.clone())
                .unwrap_or_default(),
        ),
    ]
}

fn candidate_views(ctx: &Ctx, item: &ReviewItem) -> Vec<CandidateView> {
    let ours = fields(ctx, &item.record.record);
    item.candidates
        .iter()
        .map(|c| {
            let terms = c.explanation["terms"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let term = |name: &str| {
                terms
                    .iter()
                    .filter(|t| {
                        let comp = t["comparison"].as_str().unwrap_or("");
                        comp == name || (name == "registry" && comp.starts_with("registry_"))
                    })
                    .max_by(|a, b| {
                        let w = |t: &serde_json::Value| t["weight"].as_f64().unwrap_or(0.0).abs();
                        w(a).total_cmp(&w(b))
                    })
                    .map(|t| {
                        (
                            t["level"].as_str().unwrap_or("").to_owned(),
                            t["weight"].as_f64().unwrap_or(0.0),
                        )
                    })
                    .unwrap_or_default()
            };
            let theirs = fields(ctx, &c.record.record);
            let mut rows: Vec<FieldRow> = ours
                .iter()
                .zip(&theirs)
                .map(|((comparison, label, a), (_, _, b))| {
                    let (level, weight) = term(comparison);
                    FieldRow {
                        label: ctx.t.code("field", label),
                        ours: a.clone(),
                        theirs: b.clone(),
                        level: ctx.t.code("level", &level),
                        weight,
                    }
                })
                .collect();
            // Evidence that belongs to no single field.
            for extra in ["family_core", "name_order", "prior"] {
                let (level, weight) = term(extra);
                if weight != 0.0 {
                    rows.push(FieldRow {
                        label: ctx.t.code("term", extra),
                        ours: String::new(),
                        theirs: String::new(),
                        level: ctx.t.code("level", &level),
                        weight,
                    });
                }
            }
            CandidateView {
                person_id: c.person.id,
                national_number: c.person.national_number.to_string(),
                name: c.person.view.full_name(),
                weight: format!("{:+.1}", c.weight),
                probability: format!("{:.0}%", sijil_match::probability(c.weight) * 100.0),
                rows,
                merged: c.person.merged_into.is_some(),
            }
        })
        .collect()
}

async fn item_page<S: Store>(
    state: &AppState<S>,
    user: &WebUser,
    id: Uuid,
    reason: String,
    errors: Errors,
    notice: String,
) -> Result<Response, WebError> {
    let item = state.store.review_item(id, &user.user.actor()).await?;
    let ctx = user.ctx();
    let candidates = candidate_views(&ctx, &item);
    let kind = ctx.t.code("review-kind", item.kind.as_str());
    html(&ReviewItemPage {
        ctx,
        item,
        kind,
        candidates,
        reason,
        errors,
        notice,
    })
}

impl ReviewItemPage {
    fn record_name(&self) -> String {
        sijil_core::PersonView::derive(std::slice::from_ref(&self.item.record.record)).full_name()
    }
    fn is_merge(&self) -> bool {
        self.item.kind == ReviewKind::Merge
    }
}

fn parse(id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| WebError::NotFound)
}

pub(super) async fn item<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let review = parse(&id)?;
    resolution::require_review_in_scope(&state, &user.user, review).await?;
    item_page(
        &state,
        &user,
        review,
        String::new(),
        Errors::default(),
        String::new(),
    )
    .await
}

pub(super) async fn decide<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, WebError> {
    user.check_csrf(form.csrf())?;
    let review = parse(&id)?;
    resolution::require_review_in_scope(&state, &user.user, review).await?;
    let decision = match form.get("action") {
        "link" => Adjudication::Link {
            review,
            person: Uuid::parse_str(form.get("person")).map_err(|_| WebError::BadRequest)?,
        },
        "separate" => Adjudication::Separate { review },
        _ => return Err(WebError::BadRequest),
    };
    let reason = match resolution::reason(form.get("reason")) {
        Ok(r) => r,
        Err(v) => return refused(&state, &user, review, &form, v).await,
    };
    match resolution::adjudicate(&state, &user.user.actor(), decision, &reason).await {
        Ok(_) => Ok(Redirect::to("/review?done=1").into_response()),
        Err(StoreError::Conflict(_)) => {
            let notice = user.ctx().t.t("review-conflict");
            let mut response = item_page(
                &state,
                &user,
                review,
                form.string("reason"),
                Errors::default(),
                notice,
            )
            .await?;
            *response.status_mut() = StatusCode::CONFLICT;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

async fn refused<S: Store>(
    state: &AppState<S>,
    user: &WebUser,
    review: Uuid,
    form: &FormData,
    v: ValidationErrors,
) -> Result<Response, WebError> {
    let errors = Errors::from_validation(&v, user.lang, str::to_owned);
    let notice = user.ctx().t.t("review-reason-needed");
    let mut response =
        item_page(state, user, review, form.string("reason"), errors, notice).await?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// Undoing a decision from a person's history.
pub(super) async fn undo<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, WebError> {
    user.require_national(Permission::Adjudicate)?;
    user.check_csrf(form.csrf())?;
    let decision = parse(&id)?;
    let back = form.get("person");
    let back = Uuid::parse_str(back).map_err(|_| WebError::BadRequest)?;
    let reason = match resolution::reason(form.get("reason")) {
        Ok(r) => r,
        Err(_) => return Ok(Redirect::to(&format!("/people/{back}?undo=reason")).into_response()),
    };
    match resolution::adjudicate(
        &state,
        &user.user.actor(),
        Adjudication::Undo { decision },
        &reason,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/people/{back}?undo=done")).into_response()),
        Err(StoreError::Conflict(_)) => {
            Ok(Redirect::to(&format!("/people/{back}?undo=conflict")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The checks every adjudicator's form on a person's page starts with: the role, the form's
/// token and the person; and the reason, `None` when it is missing.
fn person_decision(
    user: &WebUser,
    id: &str,
    form: &FormData,
) -> Result<(Uuid, Option<String>), WebError> {
    user.require_national(Permission::Adjudicate)?;
    user.check_csrf(form.csrf())?;
    Ok((parse(id)?, resolution::reason(form.get("reason")).ok()))
}

/// Back to a person's page, with a notice.
fn back_to(person: Uuid, flag: &str) -> Result<Response, WebError> {
    Ok(Redirect::to(&format!("/people/{person}?adjudicate={flag}")).into_response())
}

/// Merging a person into another, named by national number, from the person's page.
pub(super) async fn merge<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, WebError> {
    let (from, reason) = person_decision(&user, &id, &form)?;
    let Some(reason) = reason else {
        return back_to(from, "reason");
    };
    let into = match sijil_core::NationalNumber::parse(form.get("into").trim()) {
        Ok(n) => state.store.person_id_by_national_number(&n).await?,
        Err(_) => None,
    };
    let Some(into) = into else {
        return back_to(from, "unknown");
    };
    match resolution::adjudicate(
        &state,
        &user.user.actor(),
        Adjudication::Merge { from, into },
        &reason,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/people/{into}?adjudicate=merged")).into_response()),
        Err(StoreError::Conflict(_)) => back_to(from, "conflict"),
        Err(e) => Err(e.into()),
    }
}

/// Splitting chosen records off a person into a new person, from the person's page.
pub(super) async fn split<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, WebError> {
    let (person, reason) = person_decision(&user, &id, &form)?;
    let Some(reason) = reason else {
        return back_to(person, "reason");
    };
    let records = form
        .all("record")
        .into_iter()
        .map(Uuid::parse_str)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| WebError::BadRequest)?;
    let split = Adjudication::Split { person, records };
    match resolution::adjudicate(&state, &user.user.actor(), split, &reason).await {
        Ok(receipt) => {
            let to = receipt.new_person.expect("a split makes a person");
            Ok(Redirect::to(&format!("/people/{to}?adjudicate=split")).into_response())
        }
        Err(StoreError::Conflict(_)) => back_to(person, "conflict"),
        Err(e) => Err(e.into()),
    }
}
