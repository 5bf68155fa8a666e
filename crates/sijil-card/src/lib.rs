//! The national ID card drawn as a PNG image for print: front and back at ID-1 size
//! (85.60 × 53.98 mm, ISO/IEC 7810) at a chosen resolution, Arabic text shaped correctly.
//!
//! The card view in the browser prints well, but a card printer's software, an archive or a
//! mobile office wants an image. Drawing Arabic correctly is the hard part: letters join and
//! change form with their neighbours, lam and alef fuse, and a line mixes right-to-left words with
//! left-to-right digits and Latin names. So the text goes through the same steps a browser takes
//! (see [`text`]): the Unicode bidi algorithm (`unicode-bidi`), shaping by a port of HarfBuzz
//! (`rustybuzz`) with Noto Naskh Arabic and Noto Sans compiled into the crate, and glyph outlines
//! filled by `tiny-skia`, which also writes the PNG.
//!
//! Pure computation: no files, no clock, no network. The caller passes every field and every
//! label (the labels come from the server's Fluent catalogues, in Arabic and in English, since
//! a card is bilingual whatever the reader's language); only the state's header is fixed, as
//! part of the document's design. A value that does not fit its box is shrunk a little, then
//! cut with an ellipsis; control and bidi-control characters are removed, so no value can
//! reorder the card around it.
//!
//! The back carries the same signed credential as the card view's QR code, drawn at a whole
//! number of pixels a module with its quiet zone, and the TD1 machine-readable zone at the ICAO
//! pitch (2.54 mm a character, 3 lines 4.23 mm apart) in a monospaced face.
#![deny(missing_docs)]

mod canvas;
pub mod fonts;
mod layout;
pub mod text;

use tiny_skia::{Pixmap, PixmapPaint, Transform};

pub use canvas::{CARD_H, CARD_W};
pub use fonts::{FontId, Weight};
pub use sijil_docs::qr::QrError;

/// The lowest resolution drawn: below it the card's smallest labels are unreadable and QR
/// modules would be under two pixels.
pub const MIN_DPI: u32 = 150;
/// The highest resolution drawn: 600 dpi is more than a card printer uses, and bounds the
/// memory of one request (a 2022 × 1275 side is 10 MB of pixels).
pub const MAX_DPI: u32 = 600;
/// The resolution of a card printer, and the default.
pub const DEFAULT_DPI: u32 = 300;

/// The top of the back's machine-readable zone (its white band), in millimetres from the top.
pub const MRZ_TOP_MM: f32 = layout::MRZ_TOP;

/// The gap between the two sides when both are drawn in one image, in millimetres.
pub const SIDES_GAP_MM: f32 = 4.0;

/// A label in both of the card's languages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Label {
    /// Arabic, drawn on the right.
    pub ar: String,
    /// English, drawn on the left.
    pub en: String,
}

impl Label {
    /// A label from its Arabic and English texts.
    pub fn new(ar: impl Into<String>, en: impl Into<String>) -> Self {
        Label {
            ar: ar.into(),
            en: en.into(),
        }
    }
}

/// A labelled value on the card.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Field {
    /// What the value is, in both languages.
    pub label: Label,
    /// The value as printed (may be empty: the label is still drawn).
    pub value: String,
}

impl Field {
    /// A field from its label and value.
    pub fn new(label: Label, value: impl Into<String>) -> Self {
        Field {
            label,
            value: value.into(),
        }
    }
}

/// Everything printed on the card. Values are printed as given; the caller formats dates and
/// codes (sex) in the card's conventions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardData {
    /// The full name in Arabic (the legal name).
    pub name_ar: Field,
    /// The full name in Latin letters.
    pub name_latin: Field,
    /// The national number.
    pub national_number: Field,
    /// Sex.
    pub sex: Field,
    /// Date of birth.
    pub birth_date: Field,
    /// Place of birth.
    pub birth_place: Field,
    /// Mother's name.
    pub mother: Field,
    /// Civil registry place and number (محل ورقم القيد).
    pub registry: Field,
    /// Card number.
    pub card_number: Field,
    /// Date of issue.
    pub issued_on: Field,
    /// Date of expiry.
    pub expires_on: Field,
    /// The caption of the photo box.
    pub photo: Label,
    /// The caption of the QR code.
    pub qr_caption: Label,
    /// The signed credential the QR code carries (Base45 text); empty draws no code.
    pub credential: String,
    /// The TD1 machine-readable zone, three lines of 30 characters separated by newlines.
    pub mrz: String,
}

/// Which side, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Photo, names and particulars.
    Front,
    /// QR code and machine-readable zone.
    Back,
    /// Front above back, [`SIDES_GAP_MM`] apart, in one image.
    Both,
}

impl Side {
    /// Parses `front`, `back` or `both`.
    pub fn parse(s: &str) -> Option<Side> {
        match s {
            "front" => Some(Side::Front),
            "back" => Some(Side::Back),
            "both" => Some(Side::Both),
            _ => None,
        }
    }
}

/// Why a card could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    /// The resolution is outside [`MIN_DPI`]..=[`MAX_DPI`].
    #[error("a card is drawn at {MIN_DPI} to {MAX_DPI} dpi, not {0}")]
    Dpi(u32),
    /// The credential does not fit in a QR code.
    #[error("the credential cannot be drawn as a QR code: {0}")]
    Qr(#[from] QrError),
    /// PNG encoding failed.
    #[error("PNG encoding failed: {0}")]
    Png(String),
}

/// The size in pixels of one side at `dpi`: 1011 × 638 at 300 dpi.
pub fn side_size(dpi: u32) -> (u32, u32) {
    let px = |mm: f32| (mm * dpi as f32 / 25.4).round() as u32;
    (px(CARD_W), px(CARD_H))
}

/// Draws `side` of the card at `dpi` into a pixmap (premultiplied RGBA; transparent outside
/// the card's rounded corners and between the sides).
pub fn render(card: &CardData, side: Side, dpi: u32) -> Result<Pixmap, CardError> {
    if !(MIN_DPI..=MAX_DPI).contains(&dpi) {
        return Err(CardError::Dpi(dpi));
    }
    let (w, h) = side_size(dpi);
    match side {
        Side::Front => Ok(layout::front(card, w, h, dpi)),
        Side::Back => layout::back(card, w, h, dpi),
        Side::Both => {
            let back = layout::back(card, w, h, dpi)?;
            let front = layout::front(card, w, h, dpi);
            let gap = (SIDES_GAP_MM * dpi as f32 / 25.4).round() as u32;
            let mut both = Pixmap::new(w, 2 * h + gap).expect("bounded dpi gives a valid size");
            let paint = PixmapPaint::default();
            both.draw_pixmap(0, 0, front.as_ref(), &paint, Transform::identity(), None);
            let y = (h + gap) as i32;
            both.draw_pixmap(0, y, back.as_ref(), &paint, Transform::identity(), None);
            Ok(both)
        }
    }
}

/// Draws `side` of the card at `dpi` as PNG bytes.
pub fn render_png(card: &CardData, side: Side, dpi: u32) -> Result<Vec<u8>, CardError> {
    render(card, side, dpi)?
        .encode_png()
        .map_err(|e| CardError::Png(e.to_string()))
}
