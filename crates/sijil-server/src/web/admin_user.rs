//! One officer's page for administrators: change the role, suspend or restore, set a new
//! password. Each change ends the officer's sessions and is audited (`service`).

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
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
    let target = posted_target(&state, &user, &username, &form).await?;
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
    answer(&user, target, changed.map(|_| ()))
}

/// `POST /admin/users/{username}/password`
pub(super) async fn password<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(username): Path<String>,
    form: FormData,
) -> Result<Response, WebError> {
    let target = posted_target(&state, &user, &username, &form).await?;
    let set =
        service::reset_password(&state, &user.user.actor(), &target, form.string("password")).await;
    answer(&user, target, set)
}

/// `POST /admin/users/{username}/sessions`: ends every session of theirs.
pub(super) async fn end_sessions<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path(username): Path<String>,
    form: FormData,
) -> Result<Response, WebError> {
    let target = posted_target(&state, &user, &username, &form).await?;
    state
        .store
        .end_user_sessions(target.username.as_str(), &user.user.actor())
        .await?;
    Ok(Redirect::to("/admin/users?changed=1").into_response())
}

/// The officer a posted form changes, once the form's token and the poster's right to
/// change them are checked.
async fn posted_target<S: Store>(
    state: &AppState<S>,
    user: &WebUser,
    username: &str,
    form: &FormData,
) -> Result<User, WebError> {
    user.check_csrf(form.csrf())?;
    Ok(service::user_to_manage(state, &user.user, username).await?)
}

/// Back to the list when done; the page again (of `target` as it was) with its errors when a
/// field was wrong.
fn answer(
    user: &WebUser,
    target: User,
    outcome: Result<(), StoreError>,
) -> Result<Response, WebError> {
    match outcome {
        Ok(()) => Ok(Redirect::to("/admin/users?changed=1").into_response()),
        Err(StoreError::Invalid(v)) => {
            let errors = Errors::from_validation(&v, user.lang, str::to_owned);
            let notice = user.ctx().t.t("form-fix");
            let mut response = html(&page(user, target, errors, notice))?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}
