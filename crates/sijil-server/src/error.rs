//! One error type for every handler, turned into one JSON shape:
//!
//! ```json
//! {"error": {"code": "validation", "message_ar": "…", "message_en": "…",
//!            "fields": [{"field": "birth_date", "code": "invalid_date", "message_ar": "…", "message_en": "…"}]}}
//! ```
//!
//! Client mistakes are not logged (they are the client's business, and may hold personal data);
//! internal failures are logged with their cause and answered with a generic message.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::json;
use sijil_core::{FieldError, ValidationErrors};
use sijil_store::StoreError;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No valid session.
    #[error("authentication required")]
    Unauthenticated,
    /// Wrong username or password.
    #[error("wrong username or password")]
    BadCredentials,
    /// Too many failed logins for this account.
    #[error("too many failed logins")]
    LockedOut,
    /// The user's role does not allow this.
    #[error("not allowed for this role")]
    Forbidden,
    /// The role allows it, but not for this office: the officer's authority ends at their own
    /// office (or the work is national, for officers of the central office only).
    #[error("outside the officer's office")]
    OutsideScope,
    /// The thing asked for does not exist.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The body is not JSON, or not the JSON expected.
    #[error("malformed request: {0}")]
    Malformed(String),
    /// Fields failed validation.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// It would duplicate something that must be unique.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The body is larger than allowed.
    #[error("request body too large")]
    TooLarge,
    /// A rate limit was reached; retry after this many seconds.
    #[error("too many requests; retry in {0} s")]
    RateLimited(u64),
    /// Anything else: a bug or a broken database.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => AppError::NotFound(what),
            StoreError::Conflict(m) => AppError::Conflict(m),
            StoreError::Invalid(v) => AppError::Invalid(v),
            other => AppError::Internal(other.into()),
        }
    }
}

impl AppError {
    fn parts(&self) -> (StatusCode, &'static str, String, String) {
        use AppError::*;
        match self {
            Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "يجب تسجيل الدخول".into(),
                "authentication required".into(),
            ),
            BadCredentials => (
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                "اسم المستخدم أو كلمة المرور غير صحيحة".into(),
                "wrong username or password".into(),
            ),
            LockedOut => (
                StatusCode::TOO_MANY_REQUESTS,
                "locked_out",
                "محاولات دخول فاشلة كثيرة؛ أعد المحاولة بعد ربع ساعة".into(),
                "too many failed logins; try again in 15 minutes".into(),
            ),
            Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "لا تسمح صلاحيتك بهذا الإجراء".into(),
                "your role does not allow this".into(),
            ),
            OutsideScope => (
                StatusCode::FORBIDDEN,
                "outside_scope",
                "هذا خارج نطاق مكتبك: لا يقوم به إلا موظفو مكتبه أو السجل المركزي".into(),
                "outside your office: only that office's officers or the central registry's may do this"
                    .into(),
            ),
            NotFound(what) => (
                StatusCode::NOT_FOUND,
                "not_found",
                "غير موجود".into(),
                format!("{what} not found"),
            ),
            Malformed(detail) => (
                StatusCode::BAD_REQUEST,
                "malformed",
                format!("الطلب غير صالح: {detail}"),
                format!("malformed request: {detail}"),
            ),
            Invalid(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "بعض الحقول غير صحيحة".into(),
                "some fields are not valid".into(),
            ),
            Conflict(m) => (
                StatusCode::CONFLICT,
                "conflict",
                format!("تعارض: {m}"),
                format!("conflict: {m}"),
            ),
            TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "حجم الطلب أكبر من المسموح".into(),
                "request body too large".into(),
            ),
            RateLimited(secs) => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("طلبات كثيرة في وقت قصير؛ أعد المحاولة بعد {secs} ثانية"),
                format!("too many requests in a short time; try again in {secs} s"),
            ),
            Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "خطأ داخلي؛ سُجّل للمراجعة".into(),
                "internal error; it has been logged".into(),
            ),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(e) = &self {
            tracing::error!(error = ?e, "request failed");
        }
        let (status, code, ar, en) = self.parts();
        let fields: &[FieldError] = match &self {
            AppError::Invalid(v) => &v.0,
            _ => &[],
        };
        let body = json!({ "error": { "code": code, "message_ar": ar, "message_en": en, "fields": fields } });
        let mut response = (status, Json(body)).into_response();
        if let AppError::RateLimited(secs) = self {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response
    }
}
