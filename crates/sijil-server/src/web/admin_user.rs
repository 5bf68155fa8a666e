//! One officer's page for administrators: change the role, suspend or restore, set a new
//! password. Each change ends the officer's sessions and is audited (`service`).

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use sijil_core::ValidationErrors;
use sijil_store::{Store, StoreError, User};

use super::{
    Ctx, WebError, WebUser,
    forms::{Errors, FormData},
    html,
    person::when,
};
use crate::{AppState, service};

#[derive(Template)]
#[template(path = "admin_user.html")]
struct UserPage {
    ctx: Ctx,
    target: User,
    roles: Vec<(&'static str, String)>,
    errors: Errors,
    notice: String,
}

impl UserPage {
    fn created(&self) -> String {
        when(self.target.created_at)
    }

    fn is_role(&self, code: &str) -> bool {
        self.target.role.as_str() == code
    }
}

fn page(user: &WebUser, target: User, errors: Errors, notice: String) -> UserPage {
    let ctx = user.ctx();
    let roles = super::admin::role_choices(&ctx);
    UserPage {
        ctx,
        target,
        roles,
        errors,
        notice,
    }
}

/// `GET /admin/users/{username}`
pub(super) async fn show<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(username): Path<String>,
) -> Result<Response, WebError> {
    let target = service::user_to_manage(&state, &user.user, &username).await?;
    html(&page(&user, target, Errors::default(), String::new()))
}

/// `POST /admin/users/{username}`: role and state.
pub(super) async fn change<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(username): Path<String>,
    form: FormData,
) -> Result<Response, WebError> {
    user.check_csrf(form.csrf())?;
    let target = service::user_to_manage(&state, &user.user, &username).await?;
    let active = match form.get("active") {
        "1" => true,
        "0" => false,
        _ => return Err(WebError::BadRequest),
    };
    let changed = service::change_user(
        &state,
        &user.user.actor(),
        &target,
        Some(form.get("role")),
        Some(active),
    )
    .await;
    answer(&state, &user, &username, changed.map(|_| ())).await
}

/// `POST /admin/users/{username}/password`
pub(super) async fn password<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(username): Path<String>,
    form: FormData,
) -> Result<Response, WebError> {
    user.check_csrf(form.csrf())?;
    let target = service::user_to_manage(&state, &user.user, &username).await?;
    let set =
        service::reset_password(&state, &user.user.actor(), &target, form.string("password")).await;
    answer(&state, &user, &username, set).await
}

/// `POST /admin/users/{username}/sessions`: ends every session of theirs.
pub(super) async fn end_sessions<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(username): Path<String>,
    form: FormData,
) -> Result<Response, WebError> {
    user.check_csrf(form.csrf())?;
    let target = service::user_to_manage(&state, &user.user, &username).await?;
    state
        .store
        .end_user_sessions(target.username.as_str(), &user.user.actor())
        .await?;
    Ok(Redirect::to("/admin/users?changed=1").into_response())
}

/// Back to the list when done; the page again with its errors when a field was wrong.
async fn answer<S: Store>(
    state: &AppState<S>,
    user: &WebUser,
    username: &str,
    outcome: Result<(), StoreError>,
) -> Result<Response, WebError> {
    match outcome {
        Ok(()) => Ok(Redirect::to("/admin/users?changed=1").into_response()),
        Err(StoreError::Invalid(v)) => refuse(state, user, username, &v).await,
        Err(e) => Err(e.into()),
    }
}

async fn refuse<S: Store>(
    state: &AppState<S>,
    user: &WebUser,
    username: &str,
    v: &ValidationErrors,
) -> Result<Response, WebError> {
    let target = state.store.user_by_name(username).await?;
    let errors = Errors::from_validation(v, user.lang, str::to_owned);
    let notice = user.ctx().t.t("form-fix");
    let mut response = html(&page(user, target, errors, notice))?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}
