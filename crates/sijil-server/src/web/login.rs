//! Signing in and out, and switching language.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use sijil_store::Store;

use super::{
    Ctx, LANG_COOKIE, LOGIN_CSRF_COOKIE, ReqLang, SESSION_COOKIE, WebError, WebUser, cookie,
    forms::FormData, html, i18n::Lang, same_token, set_cookie,
};
use crate::{
    AppState, auth,
    service::{self, LoginRefused},
};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ctx: Ctx,
    username: String,
    error: String,
    notice: String,
}

/// `?ended=1`: the previous session ended (see [`WebError::SessionEnded`]).
#[derive(Debug, Default, Deserialize)]
pub(super) struct LoginQuery {
    #[serde(default)]
    ended: Option<String>,
}

/// A fresh or the existing double-submit token for the login form.
fn login_csrf(headers: &HeaderMap) -> (String, bool) {
    match cookie(headers, LOGIN_CSRF_COOKIE).filter(|v| v.len() == 32) {
        Some(v) => (v.to_owned(), false),
        None => (auth::random_hex(16), true),
    }
}

fn login_page<S: Store>(
    state: &AppState<S>,
    headers: &HeaderMap,
    lang: Lang,
    status: StatusCode,
    username: String,
    error: String,
    notice: String,
) -> Result<Response, WebError> {
    let (token, fresh) = login_csrf(headers);
    let mut ctx = Ctx::anonymous(lang, "/login");
    ctx.csrf = token.clone();
    let mut response = html(&LoginPage {
        ctx,
        username,
        error,
        notice,
    })?;
    *response.status_mut() = status;
    if fresh {
        response.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(LOGIN_CSRF_COOKIE, &token, 3600, state.config.secure_cookies),
        );
    }
    Ok(response)
}

pub(super) async fn form<S: Store>(
    State(state): State<AppState<S>>,
    ReqLang(lang): ReqLang,
    Query(query): Query<LoginQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    // Someone already signed in goes straight to work.
    if let Some(token) = cookie(&headers, SESSION_COOKIE).filter(|t| t.len() <= 128)
        && state
            .store
            .session_user(&auth::token_hash(token), state.config.session_idle)
            .await
            .is_ok()
    {
        return Ok(Redirect::to("/").into_response());
    }
    let notice = match query.ended {
        Some(_) => super::i18n::Tr(lang).t("login-session-ended"),
        None => String::new(),
    };
    login_page(
        &state,
        &headers,
        lang,
        StatusCode::OK,
        String::new(),
        String::new(),
        notice,
    )
}

pub(super) async fn submit<S: Store>(
    State(state): State<AppState<S>>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    form: FormData,
) -> Result<Response, WebError> {
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    if expected.len() != 32 || !same_token(form.csrf(), expected) {
        return Err(WebError::Csrf);
    }
    let t = super::i18n::Tr(lang);
    let username = form.get("username").trim().to_owned();
    let password = form.string("password");
    let refuse = |key: &str| {
        login_page(
            &state,
            &headers,
            lang,
            StatusCode::UNAUTHORIZED,
            username.clone(),
            t.t(key),
            String::new(),
        )
    };
    let session = match service::login(&state, &username, password, "web").await {
        Ok(session) => session,
        Err(LoginRefused::BadCredentials) => return refuse("login-failed"),
        Err(LoginRefused::LockedOut) => return refuse("login-locked"),
        Err(LoginRefused::Store(e)) => return Err(e.into()),
    };
    let (token, ttl) = (session.token, state.config.session_ttl);
    let mut response = Redirect::to("/").into_response();
    let h = response.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(
            SESSION_COOKIE,
            &token,
            ttl.as_secs(),
            state.config.secure_cookies,
        ),
    );
    h.append(
        header::SET_COOKIE,
        set_cookie(LOGIN_CSRF_COOKIE, "", 0, state.config.secure_cookies),
    );
    Ok(response)
}

pub(super) async fn logout<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    form: FormData,
) -> Result<Response, WebError> {
    user.check_csrf(form.csrf())?;
    state
        .store
        .delete_session(&auth::token_hash(&user.token), &user.user.actor())
        .await?;
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, state.config.secure_cookies),
    );
    Ok(response)
}

#[derive(Deserialize)]
pub(super) struct Next {
    next: Option<String>,
}

/// Sets the language cookie and goes back to the page the switch was on (a local path only).
pub(super) async fn switch_language(
    Path(code): Path<String>,
    Query(q): Query<Next>,
) -> Result<Response, WebError> {
    let lang = Lang::parse(&code).ok_or(WebError::NotFound)?;
    let next = q
        .next
        .filter(|n| {
            // A local path only, and one that is a valid header value.
            n.starts_with('/')
                && !n.starts_with("//")
                && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
        })
        .map(|n| strip_lang_param(&n))
        .unwrap_or_else(|| "/".to_owned());
    let mut response = Redirect::to(&next).into_response();
    // A year: the choice is a preference, not a secret; not HttpOnly-worthy but harmless.
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LANG_COOKIE, lang.code(), 365 * 24 * 3600, false),
    );
    Ok(response)
}

/// Drops a `lang=` query parameter, which would otherwise override the new cookie.
fn strip_lang_param(path: &str) -> String {
    let Some((p, q)) = path.split_once('?') else {
        return path.to_owned();
    };
    let kept: Vec<&str> = q.split('&').filter(|kv| !kv.starts_with("lang=")).collect();
    if kept.is_empty() {
        p.to_owned()
    } else {
        format!("{p}?{}", kept.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_drops_the_lang_parameter() {
        assert_eq!(strip_lang_param("/a?lang=en"), "/a");
        assert_eq!(strip_lang_param("/a?x=1&lang=en&y=2"), "/a?x=1&y=2");
        assert_eq!(strip_lang_param("/a"), "/a");
    }
}
