//! Operations on identity documents: ID cards, passport applications, alerts, the published
//! lists and verification (see `docs/documents.md`). Each function only carries its
//! `#[utoipa::path]`; the handlers are in `routes/documents.rs`.

#![allow(dead_code)] // Carriers for the path attributes, never called.

use sijil_store::documents::{AlertRecord, Document, PassportApplication};
use utoipa::OpenApi;

use super::schemas::Verdict;
use crate::{routes::documents as docs, web::card_image::CardQuery};

#[derive(OpenApi)]
#[openapi(paths(
    issue_id_card,
    person_documents,
    get_document,
    change_document_status,
    card_png,
    document_qr,
    list_passport_applications,
    apply_for_passport,
    get_passport_application,
    passport_application_step,
    list_alerts,
    add_alert,
    lift_alert,
    published_list,
    verify,
))]
pub(super) struct Documents;

#[utoipa::path(post, path = "/api/v1/persons/{id}/id-card", tag = "documents", operation_id = "issue_id_card",
    summary = "Issue a national ID card (its signed QR credential); a valid earlier card is cancelled",
    params(("id" = Uuid, Path, description = "the person")),
    responses((status = 201, description = "the card", body = Document)))]
fn issue_id_card() {}

#[utoipa::path(get, path = "/api/v1/persons/{id}/documents", tag = "documents", operation_id = "person_documents",
    summary = "A person's documents, with those of persons merged into them",
    params(("id" = Uuid, Path, description = "the person")),
    responses((status = 200, description = "documents", body = Vec<Document>)))]
fn person_documents() {}

#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents", operation_id = "get_document",
    summary = "A document",
    params(("id" = Uuid, Path, description = "the document")),
    responses((status = 200, description = "the document", body = Document)))]
fn get_document() {}

#[utoipa::path(post, path = "/api/v1/documents/{id}/status", tag = "documents", operation_id = "change_document_status",
    summary = "Record a document's delivery, loss, theft or cancellation",
    params(("id" = Uuid, Path, description = "the document")),
    request_body = docs::StatusInput,
    responses((status = 200, description = "the document", body = Document)))]
fn change_document_status() {}

#[utoipa::path(get, path = "/api/v1/documents/{id}/card.png", tag = "documents", operation_id = "card_png",
    summary = "The ID card as a printable PNG (both faces)",
    params(("id" = Uuid, Path, description = "the document"), CardQuery),
    responses((status = 200, description = "the card", content_type = "image/png", body = Vec<u8>)))]
fn card_png() {}

#[utoipa::path(get, path = "/api/v1/documents/{id}/{file}", tag = "documents", operation_id = "document_qr",
    summary = "A document's QR code as SVG or PNG",
    params(
        ("id" = Uuid, Path, description = "the document"),
        ("file" = String, Path, description = "`qr.svg` or `qr.png`", pattern = "^qr\\.(svg|png)$"),
    ),
    responses((status = 200, description = "the QR code",
        content((String = "image/svg+xml"), (Vec<u8> = "image/png")))))]
fn document_qr() {}

#[utoipa::path(get, path = "/api/v1/passport-applications", tag = "documents",
    operation_id = "list_passport_applications",
    summary = "Passport applications",
    responses((status = 200, description = "applications", body = Vec<PassportApplication>)))]
fn list_passport_applications() {}

#[utoipa::path(post, path = "/api/v1/passport-applications", tag = "documents", operation_id = "apply_for_passport",
    summary = "Take a passport application for a person",
    request_body = docs::ApplyInput,
    responses((status = 201, description = "the application", body = PassportApplication)))]
fn apply_for_passport() {}

#[utoipa::path(get, path = "/api/v1/passport-applications/{id}", tag = "documents",
    operation_id = "get_passport_application",
    summary = "A passport application with its steps",
    params(("id" = Uuid, Path, description = "the application")),
    responses((status = 200, description = "the application", body = PassportApplication)))]
fn get_passport_application() {}

#[utoipa::path(post, path = "/api/v1/passport-applications/{id}/{step}", tag = "documents",
    operation_id = "passport_application_step",
    summary = "Take an application a step further: check, approve (another officer), refuse, issue",
    description = "`refuse` needs a note. `issue` answers 201 with the passport; the other steps \
        answer 200 with the application. The body may be empty.",
    params(
        ("id" = Uuid, Path, description = "the application"),
        ("step" = String, Path, description = "`check`, `approve`, `refuse` or `issue`",
            pattern = "^(check|approve|refuse|issue)$"),
    ),
    request_body(content = Option<docs::NoteInput>, description = "an optional note"),
    responses(
        (status = 200, description = "the application after the step", body = PassportApplication),
        (status = 201, description = "`issue`: the passport", body = Document),
    ))]
fn passport_application_step() {}

#[utoipa::path(get, path = "/api/v1/alerts", tag = "documents", operation_id = "list_alerts",
    summary = "Alerts on people",
    responses((status = 200, description = "alerts", body = Vec<AlertRecord>)))]
fn list_alerts() {}

#[utoipa::path(post, path = "/api/v1/alerts", tag = "documents", operation_id = "add_alert",
    summary = "Raise an alert on a national number (holds passport applications, shows at checks)",
    request_body = docs::AlertInput,
    responses((status = 201, description = "the alert", body = AlertRecord)))]
fn add_alert() {}

#[utoipa::path(post, path = "/api/v1/alerts/{id}/lift", tag = "documents", operation_id = "lift_alert",
    summary = "Lift an alert",
    params(("id" = Uuid, Path, description = "the alert")),
    responses((status = 204, description = "lifted")))]
fn lift_alert() {}

#[utoipa::path(get, path = "/api/v1/lists/{file}", tag = "documents", operation_id = "published_list",
    summary = "The trust list, or the signed revocation or alert list, as offices install them",
    params(("file" = String, Path, description = "`trust-list.json`, `revocations.cose` or `alerts.cose`",
        pattern = "^(trust-list\\.json|revocations\\.cose|alerts\\.cose)$")),
    responses((status = 200, description = "the list",
        content((Object = "application/json"), (Vec<u8> = "application/cose; cose-type=\"cose-sign1\"")))))]
fn published_list() {}

#[utoipa::path(post, path = "/api/v1/verify", tag = "documents", operation_id = "verify",
    summary = "Check an ID card's QR text or a machine-readable zone",
    description = "Against the keys and current lists at the central, against the lists last \
        received at an office. Give exactly one of `qr` and `mrz`.",
    request_body = docs::VerifyInput,
    responses((status = 200, description = "the verdict", body = Verdict)))]
fn verify() {}
