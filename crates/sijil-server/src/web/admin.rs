//! Administration: users and offices.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use sijil_core::{
    OfficeCode, Permission, Role, ValidationErrors,
    validation::{Collector, Problem, clean_text},
};
use sijil_store::{NewOffice, Office, Store, StoreError, User};

use super::{
    Ctx, WebError, WebUser,
    forms::{Errors, FormData},
    html,
    person::when,
};
use crate::{AppState, service};

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    ctx: Ctx,
    users: Vec<User>,
    offices: Vec<Office>,
    roles: Vec<(&'static str, String)>,
    values: FormData,
    errors: Errors,
    notice: String,
    /// Back from a user's page with a change saved.
    changed: bool,
}

#[derive(Template)]
#[template(path = "admin_offices.html")]
struct OfficesPage {
    ctx: Ctx,
    offices: Vec<Office>,
    values: FormData,
    errors: Errors,
    notice: String,
}

impl UsersPage {
    fn created(&self, u: &User) -> String {
        when(u.created_at)
    }

    fn role(&self, u: &User) -> String {
        self.ctx.t.code("role", u.role.as_str())
    }

    fn same(&self, a: &str, b: &str) -> bool {
        a == b
    }

    /// Whether the reader may open this user's page: not their own account.
    fn manageable(&self, u: &User) -> bool {
        self.ctx
            .user
            .as_ref()
            .is_none_or(|me| me.username != u.username.as_str())
    }
}

impl OfficesPage {
    fn created(&self, o: &Office) -> String {
        when(o.created_at)
    }
}

async fn users_page<S: Store>(
    state: &AppState<S>,
    user: &WebUser,
    values: FormData,
    errors: Errors,
    notice: String,
) -> Result<UsersPage, WebError> {
    let ctx = user.ctx();
    let roles = role_choices(&ctx);
    // An administrator of another office than the central sees and creates its users only.
    let scope = user.scope();
    let mut users = state.store.users().await?;
    users.retain(|u| scope.covers(&u.office));
    let mut offices = state.store.offices().await?;
    offices.retain(|o| scope.covers(&o.code));
    Ok(UsersPage {
        users,
        offices,
        roles,
        ctx,
        values,
        errors,
        notice,
        changed: false,
    })
}

pub(super) async fn users<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageUsers)?;
    let mut page = users_page(
        &state,
        &user,
        FormData::empty(),
        Errors::default(),
        String::new(),
    )
    .await?;
    page.changed = q.get("changed").is_some_and(|v| v == "1");
    html(&page)
}

pub(super) async fn create_user<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    form: FormData,
) -> Result<Response, WebError> {
    user.require(Permission::ManageUsers)?;
    user.check_csrf(form.csrf())?;
    let (st, us) = (&state, &user);
    let refuse = |v: ValidationErrors, form: FormData| async move {
        let errors = Errors::from_validation(&v, us.lang, str::to_owned);
        let notice = us.ctx().t.t("form-fix");
        let page = users_page(st, us, form, errors, notice).await?;
        let mut response = html(&page)?;
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        Ok::<_, WebError>(response)
    };
    let input = service::UserInput {
        username: form.get("username"),
        display_name: form.get("display_name"),
        role: form.get("role"),
        office: form.get("office"),
        password: form.string("password"),
    };
    match service::create_user(&state, &user.user.actor(), input).await {
        Ok(_) => Ok(Redirect::to("/admin/users").into_response()),
        Err(StoreError::Invalid(v)) => refuse(v, form).await,
        Err(StoreError::Conflict(_)) => {
            refuse(
                ValidationErrors::single("username", Problem::Duplicate),
                form,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn offices_page<S: Store>(
    state: &AppState<S>,
    user: &WebUser,
    values: FormData,
    errors: Errors,
    notice: String,
) -> Result<OfficesPage, WebError> {
    Ok(OfficesPage {
        ctx: user.ctx(),
        offices: state.store.offices().await?,
        values,
        errors,
        notice,
    })
}

pub(super) async fn offices<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
) -> Result<Response, WebError> {
    user.require_national(Permission::ManageOffices)?;
    let page = offices_page(
        &state,
        &user,
        FormData::empty(),
        Errors::default(),
        String::new(),
    )
    .await?;
    html(&page)
}

/// A two-digit code (00–99) from a form field.
fn two_digits(value: &str) -> Result<u8, Problem> {
    let v = sijil_core::digits::fold_digits(value.trim());
    if v.is_empty() {
        return Err(Problem::Required);
    }
    match v.parse::<u8>() {
        Ok(n) if n <= 99 && v.len() <= 2 => Ok(n),
        _ => Err(Problem::NotOneOf(&["00–99"])),
    }
}

pub(super) async fn create_office<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    form: FormData,
) -> Result<Response, WebError> {
    user.require_national(Permission::ManageOffices)?;
    user.check_csrf(form.csrf())?;
    let mut c = Collector::default();
    let code = c.check("code", OfficeCode::parse(form.get("code")));
    let mut text = |field: &str| {
        c.check(
            field,
            clean_text(form.get(field)).and_then(|v| v.ok_or(Problem::Required)),
        )
    };
    let name_ar = text("name_ar");
    let name_en = text("name_en");
    let governorate = c.check("governorate", two_digits(form.get("governorate")));
    let secretariat = c.check("secretariat", two_digits(form.get("secretariat")));
    let checked = c.finish(|| NewOffice {
        code: code.expect("checked"),
        name_ar: name_ar.expect("checked"),
        name_en: name_en.expect("checked"),
        governorate: governorate.expect("checked"),
        secretariat: secretariat.expect("checked"),
    });
    let (st, us) = (&state, &user);
    let refuse = |v: ValidationErrors, form: FormData| async move {
        let errors = Errors::from_validation(&v, us.lang, str::to_owned);
        let notice = us.ctx().t.t("form-fix");
        let page = offices_page(st, us, form, errors, notice).await?;
        let mut response = html(&page)?;
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        Ok::<_, WebError>(response)
    };
    let office = match checked {
        Ok(o) => o,
        Err(v) => return refuse(v, form).await,
    };
    match state.store.create_office(office, &user.user.actor()).await {
        Ok(_) => Ok(Redirect::to("/admin/offices").into_response()),
        Err(StoreError::Conflict(_)) => {
            refuse(ValidationErrors::single("code", Problem::Duplicate), form).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The roles a form offers, each with its name in the page's language: the least powerful
/// first, so that a hurried administrator grants too little rather than too much.
pub(super) fn role_choices(ctx: &Ctx) -> Vec<(&'static str, String)> {
    [
        Role::Clerk,
        Role::Adjudicator,
        Role::Auditor,
        Role::Administrator,
    ]
    .into_iter()
    .map(|r| (r.as_str(), ctx.t.code("role", r.as_str())))
    .collect()
}
