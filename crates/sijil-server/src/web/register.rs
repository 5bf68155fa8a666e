//! Registering a person: the form in the order a registrar works, and its result.
//!
//! The form carries its own record id, made when the form is shown, so submitting the same
//! form twice (a reload, a double click on a slow link) is refused as already registered
//! instead of creating a second record.

use askama::Template;
use axum::{extract::State, response::Response};
use sijil_core::{
    Evidence, EvidenceKind, FieldError, Permission, Problem, RecordRow, ValidationErrors,
};
use sijil_store::{Registration, Store, StoreError};
use time::OffsetDateTime;

use super::{
    Ctx, WebError, WebUser,
    forms::{Errors, FormData},
    html,
};
use crate::{AppState, service};

/// Document rows on the form.
const DOCUMENT_ROWS: usize = 3;
/// Witness rows on the form.
const WITNESS_ROWS: usize = 2;

/// The record's text fields, in the registrar's order, grouped as the form shows them.
pub(super) const GROUPS: [(&str, &[&str]); 4] = [
    (
        "register-group-name",
        &[
            "first_name",
            "father_name",
            "grandfather_name",
            "family_name",
        ],
    ),
    (
        "register-group-mother",
        &["mother_name", "mother_family_name"],
    ),
    (
        "register-group-birth",
        &["sex", "birth_date", "birth_place"],
    ),
    (
        "register-group-register",
        &["registry_place", "registry_number", "national_number"],
    ),
];

/// Fields a clerk must fill although the interchange format allows them empty.
const REQUIRED: [&str; 3] = ["first_name", "family_name", "sex"];

/// One document row as shown.
pub(super) struct DocRow {
    pub name: String,
    pub kind: String,
    pub reference: String,
    pub kind_error: String,
    pub ref_error: String,
}

/// One witness row as shown.
pub(super) struct WitnessRow {
    pub name: String,
    pub witness: String,
    pub reference: String,
    pub name_error: String,
    pub ref_error: String,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    ctx: Ctx,
    record_id: String,
    values: FormData,
    errors: Errors,
    docs: Vec<DocRow>,
    witnesses: Vec<WitnessRow>,
    kinds: Vec<(&'static str, String)>,
    notice: String,
}

impl RegisterPage {
    fn value(&self, field: &str) -> &str {
        self.values.get(field)
    }

    fn label(&self, field: &str) -> String {
        self.ctx.t.code("field", field)
    }

    fn hint(&self, field: &str) -> String {
        let id = format!("hint-{}", field.replace('_', "-"));
        let text = self.ctx.t.t(&id);
        if text == id { String::new() } else { text }
    }

    fn required(&self, field: &str) -> bool {
        REQUIRED.contains(&field)
    }

    /// The groups of fields with their translated legends.
    fn groups(&self) -> Vec<(String, Vec<&'static str>)> {
        GROUPS
            .iter()
            .map(|(key, fields)| (self.ctx.t.t(key), fields.to_vec()))
            .collect()
    }

    /// How a field is shown: `sex` (a choice), `ltr` (digits and dates) or `text`.
    fn input_kind(&self, field: &str) -> &'static str {
        match field {
            "sex" => "sex",
            "birth_date" | "registry_number" | "national_number" => "ltr",
            _ => "text",
        }
    }

    fn same(&self, a: &str, b: &str) -> bool {
        a == b
    }
}

#[derive(Template)]
#[template(path = "registered.html")]
struct RegisteredPage {
    ctx: Ctx,
    reg: Registration,
    name: String,
}

impl RegisteredPage {
    /// The explanation's terms that weighed something: (comparison, level, bits, class).
    fn terms(&self) -> Vec<(String, String, String, &'static str)> {
        let Some(e) = &self.reg.explanation else {
            return Vec::new();
        };
        let t = &self.ctx.t;
        e["terms"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|term| {
                let w = term["weight"].as_f64()?;
                if w.abs() < 0.05 {
                    return None;
                }
                let comparison = term["comparison"].as_str().unwrap_or("");
                let class = if w > 0.0 { "agree" } else { "disagree" };
                Some((
                    t.code("term", comparison),
                    t.code("level", term["level"].as_str().unwrap_or("")),
                    format!("{w:+.1}"),
                    class,
                ))
            })
            .collect()
    }

    fn probability(&self) -> String {
        let w = self
            .reg
            .explanation
            .as_ref()
            .and_then(|e| e["weight"].as_f64());
        w.map(|w| format!("{:.0}%", sijil_match::probability(w) * 100.0))
            .unwrap_or_default()
    }
}

fn kinds(ctx: &Ctx) -> Vec<(&'static str, String)> {
    EvidenceKind::ALL
        .into_iter()
        .filter(|k| *k != EvidenceKind::Witness)
        .map(|k| {
            let code = kind_code(k);
            (code, ctx.t.code("evidence", code))
        })
        .collect()
}

fn kind_code(k: EvidenceKind) -> &'static str {
    match k {
        EvidenceKind::FamilyBooklet => "family_booklet",
        EvidenceKind::CivilIdCard => "civil_id_card",
        EvidenceKind::BirthCertificate => "birth_certificate",
        EvidenceKind::Passport => "passport",
        EvidenceKind::RegisterExtract => "register_extract",
        EvidenceKind::RefugeeCard => "refugee_card",
        EvidenceKind::CourtDecision => "court_decision",
        EvidenceKind::ForeignDocument => "foreign_document",
        EvidenceKind::Witness => "witness",
    }
}

fn page(user: &WebUser, values: FormData, errors: Errors, notice: String) -> RegisterPage {
    let ctx = user.ctx();
    let record_id = match values.get("record_id") {
        "" => format!("{}-{}", user.user.office, uuid::Uuid::now_v7()),
        id => id.to_owned(),
    };
    let docs = (0..DOCUMENT_ROWS)
        .map(|i| DocRow {
            name: format!("doc{i}"),
            kind: values.string(&format!("doc{i}_kind")),
            reference: values.string(&format!("doc{i}_ref")),
            kind_error: errors.get(&format!("doc{i}_kind")).to_owned(),
            ref_error: errors.get(&format!("doc{i}_ref")).to_owned(),
        })
        .collect();
    let witnesses = (0..WITNESS_ROWS)
        .map(|i| WitnessRow {
            name: format!("wit{i}"),
            witness: values.string(&format!("wit{i}_name")),
            reference: values.string(&format!("wit{i}_ref")),
            name_error: errors.get(&format!("wit{i}_name")).to_owned(),
            ref_error: errors.get(&format!("wit{i}_ref")).to_owned(),
        })
        .collect();
    RegisterPage {
        kinds: kinds(&ctx),
        ctx,
        record_id,
        values,
        errors,
        docs,
        witnesses,
        notice,
    }
}

pub(super) async fn form<S: Store>(
    State(_state): State<AppState<S>>,
    user: WebUser,
) -> Result<Response, WebError> {
    user.require(Permission::RegisterRecord)?;
    html(&page(
        &user,
        FormData::empty(),
        Errors::default(),
        String::new(),
    ))
}

/// The evidence on the form, with the form field each item came from (to place its errors).
fn evidence(form: &FormData, errors: &mut Errors, ctx: &Ctx) -> (Vec<Evidence>, Vec<String>) {
    let mut list = Vec::new();
    let mut origin = Vec::new();
    for i in 0..DOCUMENT_ROWS {
        let kind = form.get(&format!("doc{i}_kind"));
        let reference = form.get(&format!("doc{i}_ref")).trim();
        let kind = EvidenceKind::ALL
            .into_iter()
            .find(|k| *k != EvidenceKind::Witness && kind_code(*k) == kind);
        match kind {
            Some(kind) => {
                list.push(Evidence {
                    kind,
                    reference: (!reference.is_empty()).then(|| reference.to_owned()),
                    note: None,
                });
                origin.push(format!("doc{i}"));
            }
            None if !reference.is_empty() => {
                errors.add(&format!("doc{i}_kind"), ctx.t.t("register-kind-needed"));
            }
            None => {}
        }
    }
    for i in 0..WITNESS_ROWS {
        let name = form.get(&format!("wit{i}_name")).trim();
        let reference = form.get(&format!("wit{i}_ref")).trim();
        if name.is_empty() && reference.is_empty() {
            continue;
        }
        if name.is_empty() {
            errors.add(&format!("wit{i}_name"), ctx.t.t("register-witness-named"));
        }
        list.push(Evidence {
            kind: EvidenceKind::Witness,
            reference: (!reference.is_empty()).then(|| reference.to_owned()),
            note: (!name.is_empty()).then(|| name.to_owned()),
        });
        origin.push(format!("wit{i}"));
    }
    (list, origin)
}

/// `evidence[2].reference` → the form field of the third item.
fn evidence_field(field: &str, origin: &[String]) -> String {
    let parsed = field
        .strip_prefix("evidence[")
        .and_then(|rest| rest.split_once("]."))
        .and_then(|(i, part)| Some((i.parse::<usize>().ok()?, part)));
    match parsed {
        Some((i, part)) if i < origin.len() => {
            let suffix = match (origin[i].starts_with("wit"), part) {
                (true, "note") => "name",
                (_, "reference") => "ref",
                _ => "kind",
            };
            format!("{}_{suffix}", origin[i])
        }
        _ => "evidence".to_owned(),
    }
}

pub(super) async fn submit<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    form: FormData,
) -> Result<Response, WebError> {
    user.require(Permission::RegisterRecord)?;
    user.check_csrf(form.csrf())?;
    let ctx = user.ctx();
    let now = OffsetDateTime::now_utc();
    let mut row = RecordRow::default();
    for (_, fields) in GROUPS {
        for field in fields {
            row.set(field, form.string(field));
        }
    }
    row.record_id = form.get("record_id").trim().to_owned();
    if row.record_id.is_empty() || row.record_id.len() > 80 {
        return Err(WebError::BadRequest);
    }
    let mut errors = Errors::default();
    let (evidence, origin) = evidence(&form, &mut errors, &ctx);
    // Every problem at once: the record's own checks, the evidence's, and the form's.
    let mut problems: Vec<FieldError> = Vec::new();
    for field in REQUIRED {
        if form.get(field).trim().is_empty() {
            problems.push(FieldError::new(field, Problem::Required));
        }
    }
    if evidence.is_empty() && errors.is_empty() {
        errors.add("evidence", ctx.t.t("register-evidence-needed"));
    }
    let record = row.validate(now.date()).map_err(|v| problems.extend(v.0));
    let evidence = Evidence::validate_list(&evidence).map_err(|v| problems.extend(v.0));
    let mut all = Errors::from_validation(&ValidationErrors(problems), user.lang, |f| {
        if f.starts_with("evidence") {
            evidence_field(f, &origin)
        } else {
            f.to_owned()
        }
    });
    let (Ok(record), Ok(evidence), true, true) =
        (record, evidence, all.is_empty(), errors.is_empty())
    else {
        for (field, message) in errors.entries() {
            all.add(&field, message);
        }
        let mut response = html(&page(&user, form, all, ctx.t.t("register-fix")))?;
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    };
    let name = sijil_core::PersonView::derive(std::slice::from_ref(&record)).full_name();
    match service::register(&state, &user.user, record, evidence, now).await {
        Ok(reg) => html(&RegisteredPage { ctx, reg, name }),
        Err(StoreError::Conflict(_)) => {
            let mut response = html(&page(
                &user,
                form,
                Errors::default(),
                ctx.t.t("register-already"),
            ))?;
            *response.status_mut() = axum::http::StatusCode::CONFLICT;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_errors_land_on_their_row() {
        let origin = vec!["doc1".to_owned(), "wit0".to_owned()];
        assert_eq!(evidence_field("evidence[0].reference", &origin), "doc1_ref");
        assert_eq!(evidence_field("evidence[1].note", &origin), "wit0_name");
        assert_eq!(evidence_field("evidence[1].reference", &origin), "wit0_ref");
        assert_eq!(evidence_field("evidence", &origin), "evidence");
        assert_eq!(evidence_field("evidence[9].note", &origin), "evidence");
    }
}
