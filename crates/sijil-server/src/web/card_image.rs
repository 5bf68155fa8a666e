//! The ID card as a PNG image (`card.png`), for the web application and the API alike.
//!
//! The card is bilingual whatever the reader's language, so every label is taken from both
//! catalogues; the values are the person's current view, as on the card page. Reading the card
//! reads the document and the person through the store, which audits both reads like the card
//! page does. Drawing takes tens of milliseconds of CPU, so it runs on the blocking pool.
//!
//! Query: `side=front|back|both` (default `both`: front above back) and `dpi` from
//! [`sijil_card::MIN_DPI`] to [`sijil_card::MAX_DPI`] (default 300, a card printer's).

use axum::{
    http::header,
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use sijil_card::{CardData, DEFAULT_DPI, Field, Label, MAX_DPI, MIN_DPI, Side};
use sijil_store::{Actor, Store, documents::DocumentKind};
use uuid::Uuid;

use super::i18n::{Lang, Tr};
use crate::{AppError, issuance};

/// The query of a `card.png` request.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct CardQuery {
    /// `front`, `back` or `both` (default).
    side: Option<String>,
    /// Resolution in dots per inch (default 300, a card printer's).
    dpi: Option<String>,
}

impl CardQuery {
    /// The side and resolution asked for, or why they cannot be drawn.
    pub(crate) fn parse(&self) -> Result<(Side, u32), AppError> {
        let side = match self.side.as_deref() {
            None => Side::Both,
            Some(s) => Side::parse(s)
                .ok_or_else(|| AppError::Malformed("side must be front, back or both".into()))?,
        };
        let dpi = match self.dpi.as_deref() {
            None => DEFAULT_DPI,
            Some(d) => d
                .parse()
                .ok()
                .filter(|d| (MIN_DPI..=MAX_DPI).contains(d))
                .ok_or_else(|| {
                    AppError::Malformed(format!("dpi must be a number from {MIN_DPI} to {MAX_DPI}"))
                })?,
        };
        Ok((side, dpi))
    }
}

/// A label in both languages, from one message id.
fn both(message: impl Fn(Tr) -> String) -> Label {
    Label::new(message(Tr(Lang::Ar)), message(Tr(Lang::En)))
}

/// Draws the ID card `id` as PNG. Passports and documents without a credential have no card
/// image (not found).
pub(crate) async fn card_png<S: Store>(
    store: &S,
    id: Uuid,
    actor: &Actor,
    side: Side,
    dpi: u32,
) -> Result<Vec<u8>, AppError> {
    let doc = store.document(id, actor).await?;
    if doc.kind != DocumentKind::IdCard {
        return Err(AppError::NotFound("ID card"));
    }
    let credential = doc
        .credential
        .clone()
        .ok_or(AppError::NotFound("ID card"))?;
    let person = store.person(doc.person_id, actor).await?.person;
    let v = &person.view;
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    let name = issuance::printed_name(v);
    let sex = v
        .sex
        .map(|s| format!("{} / {}", Tr(Lang::Ar).code("sex", s.code()), s.code()))
        .unwrap_or_default();
    let registry = format!("{} {}", text(&v.registry_place), text(&v.registry_number));
    let card = CardData {
        name_ar: Field::new(both(|t| t.t("card-png-name")), name.full()),
        name_latin: Field::new(
            both(|t| t.t("card-name-latin")),
            issuance::latin_name(&name).unwrap_or_default(),
        ),
        national_number: Field::new(
            both(|t| t.t("field-national-number")),
            person.national_number.to_string(),
        ),
        sex: Field::new(both(|t| t.t("field-sex")), sex),
        birth_date: Field::new(
            both(|t| t.t("card-birth-date")),
            v.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        ),
        birth_place: Field::new(both(|t| t.t("card-birth-place")), text(&v.birth_place)),
        mother: Field::new(both(|t| t.t("field-mother-name")), text(&v.mother_name)),
        registry: Field::new(both(|t| t.t("card-registry")), registry.trim()),
        card_number: Field::new(both(|t| t.t("card-number")), doc.number.clone()),
        issued_on: Field::new(both(|t| t.t("card-issued")), doc.issued_on.to_string()),
        expires_on: Field::new(both(|t| t.t("card-expires")), doc.expires_on.to_string()),
        photo: both(|t| t.t("card-photo")),
        qr_caption: both(|t| t.t("card-png-qr")),
        credential,
        mrz: doc.mrz.clone(),
    };
    tokio::task::spawn_blocking(move || sijil_card::render_png(&card, side, dpi))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(e.into()))
}

/// The PNG response: never cached, since it shows a person's data.
pub(crate) fn png_response(png: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        png,
    )
        .into_response()
}
