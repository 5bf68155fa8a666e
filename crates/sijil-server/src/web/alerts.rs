//! Alerts on people (wanted, travel ban…), for those who manage them: the active alerts, a form
//! to raise one on a national number, and lifting one. Offices and checkpoints receive them in
//! the signed alert list; until this page they could be managed only through the API.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use sijil_core::{NationalNumber, Permission, ValidationErrors, validation::Problem};
use sijil_store::{Store, StoreError, documents::AlertRecord};
use uuid::Uuid;

use super::{
    Ctx, WebError, WebUser,
    forms::{Errors, FormData},
    html,
    person::when,
};
use crate::AppState;

#[derive(Template)]
#[template(path = "alerts.html")]
struct AlertsPage {
    ctx: Ctx,
    alerts: Vec<AlertRecord>,
    values: FormData,
    errors: Errors,
    notice: String,
}

impl AlertsPage {
    fn raised(&self, a: &AlertRecord) -> String {
        when(a.created_at)
    }
}

async fn page<S: Store>(
    state: &AppState<S>,
    user: &WebUser,
    values: FormData,
    errors: Errors,
    notice: String,
) -> Result<AlertsPage, WebError> {
    Ok(AlertsPage {
        ctx: user.ctx(),
        alerts: state.store.active_alerts().await?,
        values,
        errors,
        notice,
    })
}

pub(super) async fn list<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
) -> Result<Response, WebError> {
    user.require_national(Permission::ManageAlerts)?;
    html(
        &page(
            &state,
            &user,
            FormData::empty(),
            Errors::default(),
            String::new(),
        )
        .await?,
    )
}

pub(super) async fn raise<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    form: FormData,
) -> Result<Response, WebError> {
    user.require_national(Permission::ManageAlerts)?;
    user.check_csrf(form.csrf())?;
    let refuse = |field: &'static str, problem: Problem, form: FormData| {
        let (state, user) = (&state, &user);
        async move {
            let v = ValidationErrors::single(field, problem);
            let errors = Errors::from_validation(&v, user.lang, str::to_owned);
            let notice = user.ctx().t.t("form-fix");
            let mut response = html(&page(state, user, form, errors, notice).await?)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok::<_, WebError>(response)
        }
    };
    let number = match NationalNumber::parse(form.get("national_number").trim()) {
        Ok(n) => n,
        Err(e) => {
            return refuse("national_number", Problem::InvalidNationalNumber(e), form).await;
        }
    };
    let code = form.get("code").trim().to_owned();
    match state
        .store
        .add_alert(&number, &code, &user.user.actor())
        .await
    {
        Ok(_) => Ok(Redirect::to("/alerts").into_response()),
        // The store names the rule an alert code must follow.
        Err(StoreError::Conflict(_)) => {
            refuse("code", Problem::NotOneOf(&["a-z 0-9 -"]), form).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn lift<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, WebError> {
    user.require_national(Permission::ManageAlerts)?;
    user.check_csrf(form.csrf())?;
    let id = Uuid::parse_str(&id).map_err(|_| WebError::NotFound)?;
    state.store.lift_alert(id, &user.user.actor()).await?;
    Ok(Redirect::to("/alerts").into_response())
}
