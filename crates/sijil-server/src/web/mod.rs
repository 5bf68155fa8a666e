//! The web application: server-rendered, Arabic-first HTML for clerks, auditors and
//! administrators. It works with JavaScript off and loads nothing from outside the server.
//!
//! - Sessions are the API's sessions (the `sessions` table, tokens stored as BLAKE3 hashes),
//!   carried in a cookie that is `HttpOnly; SameSite=Strict; Path=/` (and `Secure` when
//!   configured).
//! - Every form carries a CSRF token checked on POST: for a session, a key derived from the
//!   session token (synchronizer pattern without server state); for the login form, a random
//!   value also set in a cookie (double submit).
//! - Pages send a strict Content-Security-Policy: no inline script or style, assets from
//!   `'self'` only. Askama escapes every value; names are shown inside `<bdi>`.
//! - Every string comes from the Fluent catalogue ([`i18n`]); validation messages come from the
//!   domain's own Arabic and English texts.

mod admin;
mod admin_user;
mod alerts;
mod assets;
mod audit;
pub(crate) mod card_image;
mod documents;
mod forms;
mod home;
pub mod i18n;
mod login;
mod person;
mod register;
mod resolution;
mod sync;

use askama::Template;
use axum::{
    Router,
    extract::{FromRequestParts, Request},
    http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use sijil_core::{Permission, Role};
use sijil_store::{Store, StoreError, User};

use crate::{AppState, auth};
use i18n::{Lang, Tr};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "sijil_session";
/// Name of the language cookie.
pub const LANG_COOKIE: &str = "sijil_lang";
/// Name of the login form's double-submit cookie.
pub const LOGIN_CSRF_COOKIE: &str = "sijil_login_csrf";
/// Name of the hidden form field holding the CSRF token.
pub const CSRF_FIELD: &str = "csrf";

/// The policy every page is served with: nothing inline, nothing from elsewhere.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The web application's routes, merged into the API's router by [`crate::app`].
pub fn router<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/", get(home::home::<S>))
        .route("/login", get(login::form).post(login::submit::<S>))
        .route("/logout", post(login::logout::<S>))
        .route("/lang/{code}", get(login::switch_language))
        .route(
            "/register",
            get(register::form::<S>).post(register::submit::<S>),
        )
        .route("/search", get(resolution::search::<S>))
        .route("/review", get(resolution::queue::<S>))
        .route(
            "/review/{id}",
            get(resolution::item::<S>).post(resolution::decide::<S>),
        )
        .route("/decisions/{id}/undo", post(resolution::undo::<S>))
        .route("/people/by-number", get(person::by_number::<S>))
        .route("/people/{id}", get(person::page::<S>))
        .route("/people/{id}/print", get(person::print::<S>))
        .route("/people/{id}/merge", post(resolution::merge::<S>))
        .route("/people/{id}/split", post(resolution::split::<S>))
        .route("/people/{id}/events", post(person::record_event::<S>))
        .route("/audit", get(audit::page::<S>))
        .route("/people/{id}/id-card", post(documents::issue_card::<S>))
        .route("/documents/{id}", get(documents::page::<S>))
        .route("/documents/{id}/qr.svg", get(documents::qr::<S>))
        .route("/documents/{id}/card.png", get(documents::card_png::<S>))
        .route(
            "/documents/{id}/status",
            post(documents::change_status::<S>),
        )
        .route(
            "/verify",
            get(documents::verify_form::<S>).post(documents::verify_submit::<S>),
        )
        .route(
            "/passports",
            get(documents::passports::<S>).post(documents::apply::<S>),
        )
        .route("/passports/{id}", get(documents::passport::<S>))
        .route(
            "/passports/{id}/{step}",
            post(documents::passport_step::<S>),
        )
        .route(
            "/admin/users",
            get(admin::users::<S>).post(admin::create_user::<S>),
        )
        .route(
            "/admin/users/{username}",
            get(admin_user::show::<S>).post(admin_user::change::<S>),
        )
        .route(
            "/admin/users/{username}/password",
            post(admin_user::password::<S>),
        )
        .route(
            "/admin/users/{username}/sessions",
            post(admin_user::end_sessions::<S>),
        )
        .route(
            "/admin/offices",
            get(admin::offices::<S>).post(admin::create_office::<S>),
        )
        .route("/alerts", get(alerts::list::<S>).post(alerts::raise::<S>))
        .route("/alerts/{id}/lift", axum::routing::post(alerts::lift::<S>))
        .route("/sync", get(sync::page::<S>))
        .route(
            "/sync/devices/{key_id}/{decision}",
            post(sync::decide_device::<S>),
        )
        .route("/sync/quarantine/{id}/{decision}", post(sync::resolve::<S>))
        .route("/assets/{file}", get(assets::serve))
        .layer(axum::middleware::from_fn(pages))
}

/// Gives every web response its headers, and turns a [`WebError`] into a page in the
/// request's language.
async fn pages(req: Request, next: Next) -> Response {
    let lang = request_lang(req.headers(), req.uri().query());
    let mut response = next.run(req).await;
    if let Some(error) = response.extensions_mut().remove::<ErrorKind>() {
        response = error_page(error, lang);
    }
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    response
}

/// What went wrong, for the error page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ErrorKind {
    Forbidden,
    OutsideScope,
    NotFound,
    Csrf,
    BadRequest,
    RateLimited(u64),
    Internal,
}

/// Why a page could not be shown. Rendered in the request's language by [`pages`].
#[derive(Debug)]
pub enum WebError {
    /// No session: go to the login page.
    Login,
    /// The session cookie names a session that has ended (unused too long, expired, or
    /// ended elsewhere): back to the login page, which says so.
    SessionEnded,
    /// The role does not allow it.
    Forbidden,
    /// The role allows it, but not for this office (see [`sijil_core::Scope`]).
    OutsideScope,
    /// No such thing.
    NotFound,
    /// The form's CSRF token is missing or wrong.
    Csrf,
    /// The request is not what a form sends.
    BadRequest,
    /// Too many reads in a short time; retry after this many seconds.
    RateLimited(u64),
    /// A bug or a broken database; logged.
    Internal(anyhow::Error),
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => WebError::NotFound,
            other => WebError::Internal(other.into()),
        }
    }
}

impl From<crate::AppError> for WebError {
    /// For work shared with the API (documents, rate limits).
    fn from(e: crate::AppError) -> Self {
        use crate::AppError;
        match e {
            AppError::NotFound(_) => WebError::NotFound,
            AppError::Forbidden => WebError::Forbidden,
            AppError::OutsideScope => WebError::OutsideScope,
            AppError::RateLimited(secs) => WebError::RateLimited(secs),
            AppError::Invalid(_) | AppError::Conflict(_) | AppError::Malformed(_) => {
                WebError::BadRequest
            }
            other => WebError::Internal(other.into()),
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Internal(e.into())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let kind = match self {
            WebError::Login => return Redirect::to("/login").into_response(),
            WebError::SessionEnded => {
                let mut response = Redirect::to("/login?ended=1").into_response();
                // The cookie is worthless now; a secure flag is not needed to clear it.
                response
                    .headers_mut()
                    .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", 0, false));
                return response;
            }
            WebError::Forbidden => ErrorKind::Forbidden,
            WebError::OutsideScope => ErrorKind::OutsideScope,
            WebError::NotFound => ErrorKind::NotFound,
            WebError::Csrf => ErrorKind::Csrf,
            WebError::BadRequest => ErrorKind::BadRequest,
            WebError::RateLimited(secs) => ErrorKind::RateLimited(secs),
            WebError::Internal(e) => {
                tracing::error!(error = ?e, "web request failed");
                ErrorKind::Internal
            }
        };
        let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
        response.extensions_mut().insert(kind);
        response
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: Ctx,
    title: String,
    message: String,
}

fn error_page(kind: ErrorKind, lang: Lang) -> Response {
    let (status, key) = match kind {
        ErrorKind::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
        ErrorKind::OutsideScope => (StatusCode::FORBIDDEN, "outside-scope"),
        ErrorKind::NotFound => (StatusCode::NOT_FOUND, "not-found"),
        ErrorKind::Csrf => (StatusCode::FORBIDDEN, "csrf"),
        ErrorKind::BadRequest => (StatusCode::BAD_REQUEST, "bad-request"),
        ErrorKind::RateLimited(_) => (StatusCode::TOO_MANY_REQUESTS, "rate-limited"),
        ErrorKind::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    };
    let t = Tr(lang);
    let page = ErrorPage {
        ctx: Ctx::anonymous(lang, "/"),
        title: t.t(&format!("error-{key}-title")),
        message: t.t(&format!("error-{key}-text")),
    };
    let mut response = match page.render() {
        Ok(html) => (status, html_headers(), html).into_response(),
        Err(_) => status.into_response(),
    };
    if let ErrorKind::RateLimited(secs) = kind {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, secs.into());
    }
    response
}

/// `Content-Type` of every page.
fn html_headers() -> [(header::HeaderName, &'static str); 1] {
    [(header::CONTENT_TYPE, "text/html; charset=utf-8")]
}

/// A rendered page as a response.
fn html(page: &impl Template) -> Result<Response, WebError> {
    Ok((html_headers(), page.render()?).into_response())
}

/// The value of cookie `name`, if the request has it.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with the flags every Sijil cookie carries.
fn set_cookie(name: &str, value: &str, max_age_secs: u64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_secs}{secure}"
    ))
    .expect("cookie values are hex or fixed ASCII")
}

/// The request's language: `?lang=` first, then the cookie, else Arabic.
fn request_lang(headers: &HeaderMap, query: Option<&str>) -> Lang {
    query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .find_map(|kv| kv.strip_prefix("lang="))
        .and_then(Lang::parse)
        .or_else(|| cookie(headers, LANG_COOKIE).and_then(Lang::parse))
        .unwrap_or(Lang::Ar)
}

/// The CSRF token for a session: derived from its (secret, HttpOnly) token, so it needs no
/// storage and changes with every login.
fn csrf_token(session_token: &str) -> String {
    hex::encode(&blake3::derive_key("sijil web csrf v1", session_token.as_bytes())[..16])
}

/// Compares two tokens in time independent of where they differ.
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The request's language, as an extractor.
pub struct ReqLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ReqLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ReqLang(request_lang(&parts.headers, parts.uri.query())))
    }
}

/// A signed-in user of the web application, from the session cookie.
pub struct WebUser {
    /// The user.
    pub user: User,
    /// The session token (to derive the CSRF token and to end the session).
    token: String,
    /// The request's language.
    pub lang: Lang,
    /// The request's path and query, for the language switch to come back to.
    path: String,
}

impl<S: Store> FromRequestParts<AppState<S>> for WebUser {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState<S>,
    ) -> Result<Self, Self::Rejection> {
        let token = cookie(&parts.headers, SESSION_COOKIE)
            .filter(|t| !t.is_empty() && t.len() <= 128)
            .ok_or(WebError::Login)?
            .to_owned();
        let user = match state
            .store
            .session_user(&auth::token_hash(&token), state.config.session_idle)
            .await
        {
            Ok(user) => user,
            Err(StoreError::NotFound(_)) => return Err(WebError::SessionEnded),
            Err(e) => return Err(e.into()),
        };
        Ok(WebUser {
            user,
            token,
            lang: request_lang(&parts.headers, parts.uri.query()),
            path: parts
                .uri
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_owned(),
        })
    }
}

impl WebUser {
    /// Refuses unless the user's role allows `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), WebError> {
        if self.user.role.allows(permission) {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }

    /// How far this officer's authority reaches.
    pub fn scope(&self) -> sijil_core::Scope {
        sijil_core::Scope::of(&self.user.office)
    }

    /// Refuses unless the role allows `permission` and the officer acts nationally.
    pub fn require_national(&self, permission: Permission) -> Result<(), WebError> {
        Ok(crate::auth::require_within(&self.user, permission, None)?)
    }

    /// Refuses unless the role allows `permission` and `office` is within the officer's scope.
    pub fn require_for(
        &self,
        permission: Permission,
        office: &sijil_core::OfficeCode,
    ) -> Result<(), WebError> {
        Ok(crate::auth::require_within(
            &self.user,
            permission,
            Some(office),
        )?)
    }

    /// Refuses unless the role may read persons and this officer is under the ceiling of
    /// person reads ([`crate::limits`]). Every page that shows a person asks this.
    pub async fn read_persons<S: Store>(
        &self,
        state: &AppState<S>,
        permission: Permission,
    ) -> Result<(), WebError> {
        self.require(permission)?;
        Ok(crate::limits::take_person_read(state, &self.user).await?)
    }

    /// The office codes a filter offers this officer, in order: every office at the central,
    /// none elsewhere (a list there is always the officer's own office).
    pub async fn office_choices<S: Store>(
        &self,
        state: &AppState<S>,
    ) -> Result<Vec<String>, WebError> {
        if !self.scope().is_national() {
            return Ok(Vec::new());
        }
        let mut codes: Vec<String> = state
            .store
            .offices()
            .await?
            .into_iter()
            .map(|o| o.code.to_string())
            .collect();
        codes.sort();
        Ok(codes)
    }

    /// Refuses unless `submitted` is this session's CSRF token.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), WebError> {
        if same_token(submitted, &csrf_token(&self.token)) {
            Ok(())
        } else {
            Err(WebError::Csrf)
        }
    }

    /// The context every page template gets.
    pub fn ctx(&self) -> Ctx {
        let role = self.user.role;
        let national = self.scope().is_national();
        let t = Tr(self.lang);
        Ctx {
            t,
            lang: self.lang,
            csrf: csrf_token(&self.token),
            path: self.path.clone(),
            user: Some(Header {
                display_name: self.user.display_name.clone(),
                username: self.user.username.to_string(),
                role: t.code("role", role.as_str()),
                office: self.user.office.to_string(),
            }),
            can_register: role.allows(Permission::RegisterRecord),
            can_issue: role.allows(Permission::IssueDocuments),
            can_audit: role.allows(Permission::ReadAudit),
            can_admin: role.allows(Permission::ManageUsers),
            can_alerts: national && role.allows(Permission::ManageAlerts),
            can_manage_offices: national && role.allows(Permission::ManageOffices),
            can_search: role.allows(Permission::SearchPersons),
            can_adjudicate: role.allows(Permission::Adjudicate),
            can_correct_persons: national && role.allows(Permission::Adjudicate),
            is_auditor: role == Role::Auditor,
            css: assets::css_href(),
            js: assets::js_href(),
            icon: assets::icon_href(),
        }
    }
}

/// Who is signed in, for the page header.
pub struct Header {
    /// Name shown.
    pub display_name: String,
    /// Login name.
    pub username: String,
    /// Role, translated.
    pub role: String,
    /// Office code.
    pub office: String,
}

/// What every page template gets: the translator, the language, the user and the CSRF token.
pub struct Ctx {
    /// Messages in the page's language.
    pub t: Tr,
    /// The page's language.
    pub lang: Lang,
    /// The CSRF token for the page's forms.
    pub csrf: String,
    /// The current path and query (the language switch returns here).
    pub path: String,
    /// The signed-in user, if any.
    pub user: Option<Header>,
    /// Whether to offer registration.
    pub can_register: bool,
    /// Whether to offer issuing documents.
    pub can_issue: bool,
    /// Whether to offer the audit log.
    pub can_audit: bool,
    /// Whether to offer administration.
    pub can_admin: bool,
    /// May raise and lift alerts (national work).
    pub can_alerts: bool,
    /// May create offices and approve or revoke their devices (national work).
    pub can_manage_offices: bool,
    /// Whether to offer search.
    pub can_search: bool,
    /// Whether to offer the review queue (of the officer's own office, or all at the central).
    pub can_adjudicate: bool,
    /// May merge and split persons and undo decisions (adjudicators of the central office).
    pub can_correct_persons: bool,
    /// Whether the user is an auditor (who sees who viewed a person).
    pub is_auditor: bool,
    /// Fingerprinted stylesheet URL.
    pub css: &'static str,
    /// Fingerprinted script URL.
    pub js: &'static str,
    /// Fingerprinted icon URL.
    pub icon: &'static str,
}

impl Ctx {
    /// A context with nobody signed in.
    fn anonymous(lang: Lang, path: &str) -> Self {
        Ctx {
            t: Tr(lang),
            lang,
            csrf: String::new(),
            path: path.to_owned(),
            user: None,
            can_register: false,
            can_issue: false,
            can_audit: false,
            can_admin: false,
            can_alerts: false,
            can_manage_offices: false,
            can_search: false,
            can_adjudicate: false,
            can_correct_persons: false,
            is_auditor: false,
            css: assets::css_href(),
            js: assets::js_href(),
            icon: assets::icon_href(),
        }
    }

    /// The language-switch link: back to this page in the other language.
    pub fn switch_href(&self) -> String {
        format!(
            "/lang/{}?next={}",
            self.lang.other().code(),
            forms::url_encode(&self.path)
        )
    }

    /// Whether the page is `href` or under it (for `aria-current` in the menu).
    pub fn current(&self, href: &str) -> bool {
        let path = self.path.split('?').next().unwrap_or("");
        if href == "/" {
            path == "/"
        } else {
            path == href || path.starts_with(&format!("{href}/"))
        }
    }

    /// The other language's name, in that language.
    pub fn switch_label(&self) -> String {
        Tr(self.lang.other()).t("lang-self")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; sijil_session=abc; sijil_lang=en"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(request_lang(&h, None), Lang::En);
        assert_eq!(request_lang(&h, Some("x=1&lang=ar")), Lang::Ar);
        assert_eq!(request_lang(&HeaderMap::new(), None), Lang::Ar);
    }

    #[test]
    fn csrf_tokens_depend_on_the_session() {
        assert_ne!(csrf_token("a"), csrf_token("b"));
        assert!(same_token(&csrf_token("a"), &csrf_token("a")));
        assert!(!same_token(&csrf_token("a"), ""));
    }
}
