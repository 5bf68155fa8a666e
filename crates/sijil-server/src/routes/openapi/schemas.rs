//! Schemas of answers the handlers build as JSON values rather than from a type (`json!`), and
//! of the error body. They describe those values; the tests check real answers against them.

#![allow(dead_code)] // Read only by the schema derive, never built.

use sijil_core::FieldError;
use sijil_store::User;
use utoipa::ToSchema;

/// Every error answer: `{"error": {...}}` (see `AppError` in `error.rs`).
#[derive(ToSchema)]
pub(super) struct Error {
    error: ErrorDetail,
}

/// What went wrong, for a program (`code`) and for a person (in Arabic and English).
#[derive(ToSchema)]
pub(super) struct ErrorDetail {
    /// A stable code.
    #[schema(
        pattern = "^(unauthenticated|bad_credentials|locked_out|forbidden|not_found|malformed|validation|conflict|too_large|internal)$"
    )]
    code: String,
    /// The message in Arabic.
    message_ar: String,
    /// The message in English.
    message_en: String,
    /// For `validation`: every field at fault; empty otherwise.
    fields: Vec<FieldError>,
}

/// `GET /health`.
#[derive(ToSchema)]
pub(super) struct Health {
    /// Always `ok` when the server answers.
    status: String,
}

/// A new session.
#[derive(ToSchema)]
pub(super) struct LoginResponse {
    /// The bearer token: send it as `Authorization: Bearer <token>`. Only its hash is stored.
    token: String,
    /// When the session ends (RFC 3339).
    #[schema(format = DateTime)]
    expires_at: Option<String>,
    /// Who logged in.
    user: User,
}

/// Who the session belongs to.
#[derive(ToSchema)]
pub(super) struct Me {
    /// The session's user.
    user: User,
}

/// How a document's authenticity was established.
#[derive(ToSchema)]
pub(super) struct Authenticity {
    /// `signed` (a QR code whose signature checks), `consistent_zone` (an MRZ whose check
    /// digits agree) or `not_genuine`.
    status: String,
    /// The signing key, for `signed`.
    key_id: Option<String>,
    /// When it was signed (Unix seconds), for `signed`.
    signed_at: Option<i64>,
}

/// Why a document is not genuine.
#[derive(ToSchema)]
pub(super) struct VerifyFailure {
    /// A stable code.
    code: String,
    /// The reason in Arabic.
    message_ar: String,
    /// Detail for the operator (English).
    detail: String,
}

/// The holder as the document names them.
#[derive(ToSchema)]
pub(super) struct Holder {
    national_number: Option<String>,
    name_ar: Option<String>,
    name_latin: Option<String>,
    birth_date: Option<String>,
    /// `M` or `F`.
    sex: Option<String>,
    nationality: Option<String>,
    mother_name_ar: Option<String>,
    birth_place_ar: Option<String>,
}

/// Something that makes a genuine document not valid today (expired, revoked, lost, an alert).
#[derive(ToSchema)]
pub(super) struct Finding {
    code: String,
    message_en: String,
    message_ar: String,
}

/// The verdict on an ID card's QR code or a machine-readable zone (as `sijil verify --json`).
#[derive(ToSchema)]
pub(super) struct Verdict {
    /// Genuine, in date, not revoked, holder under no alert.
    valid: bool,
    /// `qr`, `mrz_td1` or `mrz_td3`.
    checked: String,
    authenticity: Authenticity,
    failure: Option<VerifyFailure>,
    document_number: Option<String>,
    /// `YYYY-MM-DD`.
    expires_on: Option<String>,
    holder: Option<Holder>,
    findings: Vec<Finding>,
    revocation_list_version: u64,
    alert_list_version: u64,
}
