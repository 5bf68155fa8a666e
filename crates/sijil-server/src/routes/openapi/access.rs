//! Who may call each operation, in one table, and what follows from it in the document: the
//! security requirement, a sentence naming the permission and the roles that hold it (computed
//! from [`Role::allows`], so the document follows the roles), and the error answers.

use sijil_core::{Permission, Role};
use utoipa::openapi::{
    Content, OpenApi, Ref, RefOr, ResponseBuilder,
    path::{Operation, PathItem},
    security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme},
};

/// What a caller must hold.
#[derive(Clone, Copy)]
enum Access {
    /// Nothing: public.
    Public,
    /// Any session, whatever the role.
    Session,
    /// A session whose role allows this.
    Needs(Permission),
    /// As `Needs`, and an officer of another office than the central acts for their own
    /// office only (the answer is limited to it, or a request for another is refused).
    Office(Permission),
    /// As `Needs`, and only for officers of the central office: national work.
    National(Permission),
    /// An office node's approved device key (in a header, in the body, or through the upload
    /// it created) and the packets' signatures, not a session.
    Device,
}

use Access::*;
use Permission::*;

/// Each operation id with its access. Must agree with the handlers' `user.require(...)`:
/// `tests/api/openapi_roles.rs` calls every operation without a body as each role to check it.
const TABLE: &[(&str, Access)] = &[
    ("health", Public),
    ("metrics", Needs(ViewMetrics)),
    ("openapi", Public),
    ("login", Public),
    ("logout", Session),
    ("me", Session),
    ("register_record", Needs(RegisterRecord)),
    ("get_person", Needs(ReadPerson)),
    ("search", Needs(SearchPersons)),
    ("review_queue", Office(Adjudicate)),
    ("review_item", Office(Adjudicate)),
    ("settle_review", Office(Adjudicate)),
    ("merge_person", National(Adjudicate)),
    ("split_person", National(Adjudicate)),
    ("person_decisions", Needs(ReadPerson)),
    ("undo_decision", National(Adjudicate)),
    ("person_events", Needs(ReadPerson)),
    ("record_event", Needs(RecordEvent)),
    ("register_members", Needs(ReadPerson)),
    ("list_users", Office(ManageUsers)),
    ("create_user", Office(ManageUsers)),
    ("change_user", Office(ManageUsers)),
    ("reset_password", Office(ManageUsers)),
    ("end_sessions", Office(ManageUsers)),
    ("list_offices", Session),
    ("create_office", National(ManageOffices)),
    ("stats", Session),
    ("audit_entries", Office(ReadAudit)),
    ("audit_verify", Needs(ReadAudit)),
    ("issue_id_card", Needs(IssueDocuments)),
    ("person_documents", Needs(ReadPerson)),
    ("get_document", Needs(ReadPerson)),
    ("change_document_status", Needs(IssueDocuments)),
    ("card_png", Needs(ReadPerson)),
    ("document_qr", Needs(ReadPerson)),
    ("list_passport_applications", Needs(ReadPerson)),
    ("apply_for_passport", Needs(IssueDocuments)),
    ("get_passport_application", Needs(ReadPerson)),
    ("passport_application_step", Office(IssueDocuments)),
    ("list_alerts", National(ManageAlerts)),
    ("add_alert", National(ManageAlerts)),
    ("lift_alert", National(ManageAlerts)),
    ("published_list", Session),
    ("verify", Session),
    ("sync_keys", Public),
    ("sync_enrol", Public),
    ("sync_create_upload", Device),
    ("sync_upload_offset", Device),
    ("sync_upload_chunk", Device),
    ("sync_acks", Device),
    ("sync_receipts_question", Device),
    ("sync_downlink", Device),
    ("sync_devices", National(ManageOffices)),
    ("sync_decide_device", National(ManageOffices)),
    ("sync_quarantine", National(ManageOffices)),
    ("sync_resolve_quarantine", National(ManageOffices)),
    ("sync_offices", Office(ViewMetrics)),
    ("sync_outbox", Session),
    ("sync_receipts", Needs(ReadPerson)),
];

/// The error answers, each a shared response whose body is the `Error` schema.
const ERRORS: &[(&str, &str, &str)] = &[
    (
        "400",
        "Malformed",
        "the body or a parameter is not what the operation takes (`malformed`)",
    ),
    (
        "401",
        "Unauthenticated",
        "no valid session (`unauthenticated`), or for login a wrong username or password (`bad_credentials`)",
    ),
    (
        "403",
        "Forbidden",
        "the role (or the device key) does not allow this (`forbidden`), or it is outside the \
         officer's office (`outside_scope`)",
    ),
    (
        "404",
        "NotFound",
        "what the path names does not exist (`not_found`)",
    ),
    (
        "409",
        "Conflict",
        "it would contradict what is stored (`conflict`): nothing was written",
    ),
    (
        "413",
        "TooLarge",
        "the body is larger than allowed (`too_large`)",
    ),
    (
        "422",
        "Invalid",
        "some fields are not valid (`validation`): every one is listed, in Arabic and English",
    ),
    (
        "429",
        "LockedOut",
        "too many failed logins for this account (`locked_out`)",
    ),
    (
        "500",
        "Internal",
        "an internal failure, logged with its cause (`internal`)",
    ),
];

const BEARER: &str = "bearer";

/// Completes the document from [`TABLE`]. Panics on an operation the table does not name (or
/// a name no operation has): the unit test below builds the document.
pub(super) fn apply(doc: &mut OpenApi) {
    let components = doc.components.get_or_insert_default();
    components.add_security_scheme(
        BEARER,
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "a session token from `POST /api/v1/auth/login`; it lasts 8 hours by default",
                ))
                .build(),
        ),
    );
    for (_, name, description) in ERRORS {
        let response = ResponseBuilder::new().description(*description).content(
            "application/json",
            Content::new(Some(Ref::from_schema_name("Error"))),
        );
        components
            .responses
            .insert((*name).to_owned(), RefOr::T(response.build()));
    }
    doc.security = Some(vec![SecurityRequirement::new(BEARER, Vec::<String>::new())]);
    let mut seen = Vec::new();
    for item in doc.paths.paths.values_mut() {
        for op in operations(item) {
            let id = op.operation_id.clone().expect("every operation has an id");
            let access = TABLE
                .iter()
                .find(|(name, _)| *name == id)
                .unwrap_or_else(|| panic!("operation {id} is not in the access table"))
                .1;
            complete(op, access);
            seen.push(id);
        }
    }
    for (name, _) in TABLE {
        assert!(
            seen.iter().any(|s| s == name),
            "the access table names {name}, which no operation has"
        );
    }
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.head.as_mut(),
        item.patch.as_mut(),
    ]
    .into_iter()
    .flatten()
}

/// The sentence naming a permission and the roles that hold it (the roles test reads it).
fn held_by(p: Permission) -> String {
    let roles: Vec<&str> = Role::ALL
        .into_iter()
        .filter(|r| r.allows(p))
        .map(Role::as_str)
        .collect();
    format!(
        "**Access:** permission `{p:?}`, held by the roles {}.",
        roles.join(", ")
    )
}

fn complete(op: &mut Operation, access: Access) {
    let who = match access {
        Public => "**Access:** public, no session.".to_owned(),
        Session => "**Access:** any session (every role).".to_owned(),
        Needs(p) => held_by(p),
        Office(p) => format!(
            "{} Officers of another office than the central act for their own office only.",
            held_by(p)
        ),
        National(p) => format!(
            "{} National work: officers of the central office only.",
            held_by(p)
        ),
        Device => "**Access:** office nodes, no session: an approved device key (named in \
                   `Sijil-Device-Key` or in the body, or through the upload it created) and the \
                   packets' signatures; see `docs/sync.md`."
            .to_owned(),
    };
    op.description = Some(match op.description.take() {
        Some(d) if !d.is_empty() => format!("{d}\n\n{who}"),
        _ => who,
    });
    if matches!(access, Public | Device) {
        // An empty list overrides the document's bearer requirement: no session.
        op.security = Some(Vec::new());
    }
    let mut errors = vec!["500"];
    let needs = matches!(access, Needs(_) | Office(_) | National(_));
    if needs || matches!(access, Session) {
        errors.push("401");
    }
    if needs || matches!(access, Device) {
        errors.push("403");
    }
    let has_path_params = op.parameters.iter().flatten().any(|p| match p {
        RefOr::T(p) => p.parameter_in == utoipa::openapi::path::ParameterIn::Path,
        RefOr::Ref(_) => false,
    });
    if has_path_params || matches!(access, Device) {
        errors.push("404");
    }
    let has_query = op.parameters.iter().flatten().any(|p| match p {
        RefOr::T(p) => p.parameter_in == utoipa::openapi::path::ParameterIn::Query,
        RefOr::Ref(_) => false,
    });
    if op.request_body.is_some() || has_query {
        errors.extend(["400", "413", "422"]);
    }
    if op.request_body.is_some() {
        errors.push("409");
    }
    if op.operation_id.as_deref() == Some("login") {
        // A login validates nothing and writes no record: it is refused or locked out.
        errors = vec!["400", "401", "413", "429", "500"];
    }
    for (status, name, _) in ERRORS {
        if errors.contains(status) && !op.responses.responses.contains_key(*status) {
            op.responses.responses.insert(
                (*status).to_owned(),
                RefOr::Ref(Ref::new(format!("#/components/responses/{name}"))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_operation_has_an_access_rule_and_every_rule_an_operation() {
        // `apply` panics otherwise.
        let doc = super::super::spec();
        assert!(doc.paths.paths.len() > 40);
    }
}
