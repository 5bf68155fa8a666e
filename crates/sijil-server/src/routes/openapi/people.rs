//! Operations of the registry proper: liveness and metrics, sessions, registration, persons and
//! their events, identity resolution, administration and the audit log. Each function is only a
//! carrier for its `#[utoipa::path]`; the handlers are in the sibling route modules.

#![allow(dead_code)] // Carriers for the path attributes, never called.

use sijil_core::{CivilEvent, EventInput};
use sijil_store::{
    AuditEntry, AuditVerification, DecisionEntry, DecisionReceipt, Office, PersonDetail,
    RegisterMember, Registration, ReviewItem, ReviewSummary, Stats, User,
};
use utoipa::OpenApi;

use super::schemas::{Health, LoginResponse, Me};
use crate::{
    resolution::SearchResult,
    routes::{admin, audit, records, review, session},
};

#[derive(OpenApi)]
#[openapi(paths(
    health,
    metrics,
    openapi,
    login,
    logout,
    me,
    register_record,
    get_person,
    search,
    review_queue,
    review_item,
    settle_review,
    merge_person,
    split_person,
    person_decisions,
    undo_decision,
    person_events,
    record_event,
    register_members,
    list_users,
    create_user,
    change_user,
    reset_password,
    end_sessions,
    list_offices,
    create_office,
    stats,
    audit_entries,
    audit_verify,
))]
pub(super) struct People;

#[utoipa::path(get, path = "/health", tag = "operations", operation_id = "health",
    summary = "Liveness, for load balancers and monitors",
    responses((status = 200, description = "the server answers", body = Health)))]
fn health() {}

#[utoipa::path(get, path = "/metrics", tag = "operations", operation_id = "metrics",
    summary = "Prometheus metrics (text exposition format 0.0.4)",
    description = "Prometheus sends the token as a bearer token.",
    responses((status = 200, description = "the metrics", content_type = "text/plain", body = String)))]
fn metrics() {}

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "operations", operation_id = "openapi",
    summary = "This document (OpenAPI 3.1)",
    responses((status = 200, description = "the OpenAPI document", body = Object)))]
fn openapi() {}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "sessions", operation_id = "login",
    summary = "Log in: a bearer token for the other operations",
    description = "Five failed logins lock the account for 15 minutes; failures are audited.",
    request_body = session::LoginRequest,
    responses((status = 200, description = "a new session", body = LoginResponse)))]
fn login() {}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "sessions", operation_id = "logout",
    summary = "Log out: the token stops working",
    responses((status = 204, description = "the session is ended")))]
fn logout() {}

#[utoipa::path(get, path = "/api/v1/auth/me", tag = "sessions", operation_id = "me",
    summary = "Who the session belongs to",
    responses((status = 200, description = "the session's user", body = Me)))]
fn me() {}

#[utoipa::path(post, path = "/api/v1/records", tag = "registration", operation_id = "register_record",
    summary = "Register a source record",
    description = "The record (the interchange fields) and the evidence seen are checked together \
        and every problem is answered at once. The record is stored (never changed afterwards) \
        and resolved against the registry: linked to a person, made a new person, or also sent \
        to the review queue. An empty `record_id` gets one.",
    request_body = records::RegisterRequest,
    responses((status = 201, description = "stored and resolved", body = Registration)))]
fn register_record() {}

#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "registration", operation_id = "get_person",
    summary = "A person: current view, every source record, persons merged into them",
    description = "An audited read of the person.",
    params(("id" = Uuid, Path, description = "the person's id")),
    responses((status = 200, description = "the person", body = PersonDetail)))]
fn get_person() {}

#[utoipa::path(get, path = "/api/v1/search", tag = "resolution", operation_id = "search",
    summary = "Fuzzy person search, names in Arabic or Latin letters, ranked",
    description = "Audited: who searched, for what, and whom it showed.",
    params(review::SearchParams),
    responses((status = 200, description = "persons found, best first", body = Vec<SearchResult>)))]
fn search() {}

#[utoipa::path(get, path = "/api/v1/review", tag = "resolution", operation_id = "review_queue",
    summary = "The review queue, oldest first",
    params(review::QueueParams),
    responses((status = 200, description = "review items", body = Vec<ReviewSummary>)))]
fn review_queue() {}

#[utoipa::path(get, path = "/api/v1/review/{id}", tag = "resolution", operation_id = "review_item",
    summary = "One review item: the record, each candidate and every field's weight",
    params(("id" = Uuid, Path, description = "the review item's id")),
    responses((status = 200, description = "the item", body = ReviewItem)))]
fn review_item() {}

#[utoipa::path(post, path = "/api/v1/review/{id}/decision", tag = "resolution", operation_id = "settle_review",
    summary = "Settle a review item: link to a candidate, or keep apart",
    params(("id" = Uuid, Path, description = "the review item's id")),
    request_body = review::Settle,
    responses((status = 201, description = "the decision, audited and reversible", body = DecisionReceipt)))]
fn settle_review() {}

#[utoipa::path(post, path = "/api/v1/persons/{id}/merge", tag = "resolution", operation_id = "merge_person",
    summary = "Merge this person into another",
    params(("id" = Uuid, Path, description = "the person merged away")),
    request_body = review::MergeBody,
    responses((status = 201, description = "the decision", body = DecisionReceipt)))]
fn merge_person() {}

#[utoipa::path(post, path = "/api/v1/persons/{id}/split", tag = "resolution", operation_id = "split_person",
    summary = "Split records off this person into a new person",
    params(("id" = Uuid, Path, description = "the person")),
    request_body = review::SplitBody,
    responses((status = 201, description = "the decision", body = DecisionReceipt)))]
fn split_person() {}

#[utoipa::path(get, path = "/api/v1/persons/{id}/decisions", tag = "resolution", operation_id = "person_decisions",
    summary = "A person's identity decisions with their explanations",
    params(("id" = Uuid, Path, description = "the person")),
    responses((status = 200, description = "decisions, oldest first", body = Vec<DecisionEntry>)))]
fn person_decisions() {}

#[utoipa::path(post, path = "/api/v1/decisions/{id}/undo", tag = "resolution", operation_id = "undo_decision",
    summary = "Undo an identity decision (itself a new decision)",
    params(("id" = Uuid, Path, description = "the decision")),
    request_body = review::UndoBody,
    responses((status = 201, description = "the undoing decision", body = DecisionReceipt)))]
fn undo_decision() {}

#[utoipa::path(get, path = "/api/v1/persons/{id}/events", tag = "registration", operation_id = "person_events",
    summary = "A person's civil events, with those of persons merged into them",
    params(("id" = Uuid, Path, description = "the person")),
    responses((status = 200, description = "events", body = Vec<CivilEvent>)))]
fn person_events() {}

#[utoipa::path(post, path = "/api/v1/persons/{id}/events", tag = "registration", operation_id = "record_event",
    summary = "Record a civil event (birth, death, marriage, divorce) under the registrar's rules",
    params(("id" = Uuid, Path, description = "the person")),
    request_body = EventInput,
    responses((status = 201, description = "the event", body = CivilEvent)))]
fn record_event() {}

#[utoipa::path(get, path = "/api/v1/registers/{place}/{number}/members", tag = "registration",
    operation_id = "register_members",
    summary = "The members of a family register (القيد)",
    params(
        ("place" = String, Path, description = "the register's place, as written"),
        ("number" = String, Path, description = "the register's number (ASCII or Arabic-Indic digits)"),
    ),
    responses((status = 200, description = "members", body = Vec<RegisterMember>)))]
fn register_members() {}

#[utoipa::path(get, path = "/api/v1/users", tag = "administration", operation_id = "list_users",
    summary = "Officers",
    responses((status = 200, description = "users", body = Vec<User>)))]
fn list_users() {}

#[utoipa::path(post, path = "/api/v1/users", tag = "administration", operation_id = "create_user",
    summary = "Create an officer",
    request_body = admin::CreateUser,
    responses((status = 201, description = "the user", body = User)))]
fn create_user() {}

#[utoipa::path(patch, path = "/api/v1/users/{username}", tag = "administration", operation_id = "change_user",
    summary = "Change an officer's role, or whether they may log in",
    description = "Every session of theirs ends. Audited as `user.changed` with the values before and after. An administrator's own account is changed by another administrator (`409`).",
    params(("username" = String, Path, description = "the officer's login name")),
    request_body = admin::ChangeUser,
    responses((status = 200, description = "the user as changed", body = User)))]
fn change_user() {}

#[utoipa::path(post, path = "/api/v1/users/{username}/password", tag = "administration", operation_id = "reset_password",
    summary = "Give an officer a new password",
    description = "Every session of theirs ends. Audited as `user.password_set`; the password is never stored or logged.",
    params(("username" = String, Path, description = "the officer's login name")),
    request_body = admin::NewPassword,
    responses((status = 204, description = "the password is set")))]
fn reset_password() {}

#[utoipa::path(delete, path = "/api/v1/users/{username}/sessions", tag = "administration", operation_id = "end_sessions",
    summary = "End every session of an officer",
    description = "For a stolen session or a shared computer: the officer logs in again. Audited as `user.sessions_ended`.",
    params(("username" = String, Path, description = "the officer's login name")),
    responses((status = 200, description = "how many sessions were ended", body = admin::SessionsEnded)))]
fn end_sessions() {}

#[utoipa::path(get, path = "/api/v1/offices", tag = "administration", operation_id = "list_offices",
    summary = "Offices",
    responses((status = 200, description = "offices", body = Vec<Office>)))]
fn list_offices() {}

#[utoipa::path(post, path = "/api/v1/offices", tag = "administration", operation_id = "create_office",
    summary = "Create an office",
    request_body = admin::CreateOffice,
    responses((status = 201, description = "the office", body = Office)))]
fn create_office() {}

#[utoipa::path(get, path = "/api/v1/stats", tag = "administration", operation_id = "stats",
    summary = "Counts",
    responses((status = 200, description = "counts", body = Stats)))]
fn stats() {}

#[utoipa::path(get, path = "/api/v1/audit", tag = "administration", operation_id = "audit_entries",
    summary = "The audit log, newest first, filtered",
    params(audit::AuditParams),
    responses((status = 200, description = "entries", body = Vec<AuditEntry>)))]
fn audit_entries() {}

#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "administration", operation_id = "audit_verify",
    summary = "Verify the audit log's hash chain",
    responses((status = 200, description = "the verification", body = AuditVerification)))]
fn audit_verify() {}
