//! Where everything sits on the two sides, in millimetres from the card's top left corner.
//!
//! Arabic is the card's first language: each label's Arabic text is set against the right edge
//! of its box and its English text against the left edge, on one line, with the value below
//! set from the right (the Latin name from the left). The photo is on the left of the front, as
//! on Syrian cards; the back holds the QR code and the TD1 zone at the bottom, where a reader's
//! OCR window expects it.

use tiny_skia::{Color, Mask, PathBuilder, Pixmap, Rect, Transform};

use crate::canvas::{
    BAND, CARD_H, CARD_W, Canvas, GOLD, INK, LABEL, Style, WHITE, rgb, rounded_rect,
};
use crate::fonts::{FontId, Weight, face};
use crate::text::{Align, GlyphSink};
use crate::{CardData, CardError, Field, Label};

/// Side margin.
const M: f32 = 3.6;

const STATE_AR: &str = "الجمهورية العربية السورية";
const STATE_EN: &str = "SYRIAN ARAB REPUBLIC";
const KIND_AR: &str = "بطاقة شخصية";
const KIND_EN: &str = "IDENTITY CARD";

const LABEL_AR: Style = Style::fixed(Weight::Regular, 1.85, LABEL);
const LABEL_EN: Style = Style::fixed(Weight::Regular, 1.45, LABEL);
const VALUE: Style = Style {
    weight: Weight::Regular,
    size: 2.45,
    min_size: 1.9,
    color: INK,
};
const VALUE_BOLD: Style = Style {
    weight: Weight::Bold,
    ..VALUE
};

/// Draws a label pair on one line across the box `x..x + w`: Arabic on the right, English on
/// the left, each given at most just under half the box.
fn label(c: &mut Canvas, l: &Label, x: f32, baseline: f32, w: f32) {
    let half = w / 2.0 - 0.6;
    c.text(&l.ar, LABEL_AR, x + w - half, baseline, half, Align::Right);
    c.text(&l.en, LABEL_EN, x, baseline, half, Align::Left);
}

/// A field: its label pair, and the value 3.5 mm lower.
fn field(c: &mut Canvas, f: &Field, x: f32, top: f32, w: f32, style: Style, align: Align) {
    label(c, &f.label, x, top, w);
    c.text(&f.value, style, x, top + 3.5, w, align);
}

/// The ministry's band across the top of a side, `h` mm high, with the gold rule below it.
fn band(c: &mut Canvas, h: f32) {
    c.fill_rect(0.0, 0.0, CARD_W, h, BAND);
    c.fill_rect(0.0, h, CARD_W, 0.35, GOLD);
}

pub(crate) fn front(card: &CardData, w: u32, h: u32, dpi: u32) -> Pixmap {
    let mut c = Canvas::new(w, h, dpi);
    c.stock(0.0);
    band(&mut c, 9.6);
    let state_w = CARD_W / 2.0 - M - 1.0;
    let right = CARD_W - M - state_w;
    let white = |weight, size| Style::fixed(weight, size, WHITE);
    c.text(
        STATE_AR,
        white(Weight::Bold, 3.1),
        right,
        4.6,
        state_w,
        Align::Right,
    );
    c.text(
        KIND_AR,
        white(Weight::Regular, 2.6),
        right,
        8.1,
        state_w,
        Align::Right,
    );
    c.text(
        STATE_EN,
        white(Weight::Bold, 2.05),
        M,
        4.2,
        state_w,
        Align::Left,
    );
    c.text(
        KIND_EN,
        white(Weight::Regular, 1.85),
        M,
        7.7,
        state_w,
        Align::Left,
    );

    photo(&mut c, &card.photo, M, 12.2, 20.5, 26.5);

    let x0 = M + 20.5 + 3.2;
    let fw = CARD_W - M - x0;
    let name_ar = Style {
        size: 3.1,
        min_size: 2.3,
        ..VALUE_BOLD
    };
    label(&mut c, &card.name_ar.label, x0, 12.9, fw);
    c.text(&card.name_ar.value, name_ar, x0, 17.3, fw, Align::Right);
    let name_latin = Style {
        size: 2.3,
        min_size: 1.8,
        ..VALUE_BOLD
    };
    label(&mut c, &card.name_latin.label, x0, 20.6, fw);
    c.text(
        &card.name_latin.value,
        name_latin,
        x0,
        24.2,
        fw,
        Align::Left,
    );

    // Two columns, the first on the right.
    let gap = 2.0;
    let cw = (fw - gap) / 2.0;
    let (xr, xl) = (x0 + cw + gap, x0);
    let rows = [
        (&card.national_number, &card.sex, 27.5),
        (&card.birth_date, &card.birth_place, 34.0),
        (&card.mother, &card.registry, 40.5),
    ];
    for (i, (r, l, top)) in rows.into_iter().enumerate() {
        let style = if i == 0 { VALUE_BOLD } else { VALUE };
        field(&mut c, r, xr, top, cw, style, Align::Right);
        field(&mut c, l, xl, top, cw, VALUE, Align::Right);
    }

    // The document's own particulars along the bottom, under a hairline.
    c.fill_rect(M, 46.3, CARD_W - 2.0 * M, 0.15, rgb(0x9f, 0xb1, 0xaa));
    let cells = [&card.card_number, &card.issued_on, &card.expires_on];
    let cw = (CARD_W - 2.0 * M - 2.0 * gap) / 3.0;
    let small = Style {
        size: 2.2,
        ..VALUE_BOLD
    };
    for (i, f) in cells.into_iter().enumerate() {
        let x = CARD_W - M - (i as f32 + 1.0) * cw - i as f32 * gap;
        label(&mut c, &f.label, x, 48.9, cw);
        c.text(&f.value, small, x, 52.0, cw, Align::Right);
    }
    c.pixmap
}

/// The photo box with a neutral silhouette: the card printer lays the photograph over it.
fn photo(c: &mut Canvas, caption: &Label, x: f32, y: f32, w: f32, h: f32) {
    let r = rounded_rect(c.px(x), c.px(y), c.px(w), c.px(h), c.px(1.0));
    c.fill(&r, rgb(0xe3, 0xea, 0xe7));
    let mut inside = Mask::new(c.pixmap.width(), c.pixmap.height()).expect("card-sized");
    inside.fill_path(
        &r,
        tiny_skia::FillRule::Winding,
        true,
        Transform::identity(),
    );
    let shade = rgb(0xc4, 0xd0, 0xcb);
    let cx = x + w / 2.0;
    let head = PathBuilder::from_circle(c.px(cx), c.px(y + 9.5), c.px(4.3));
    let body = Rect::from_xywh(c.px(cx - 8.5), c.px(y + 15.0), c.px(17.0), c.px(16.0))
        .and_then(PathBuilder::from_oval);
    let mut paint = tiny_skia::Paint::default();
    paint.set_color(shade.color());
    paint.anti_alias = true;
    for p in [head, body].into_iter().flatten() {
        c.pixmap.fill_path(
            &p,
            &paint,
            tiny_skia::FillRule::Winding,
            Transform::identity(),
            Some(&inside),
        );
    }
    c.stroke(&r, 0.2, rgb(0x8e, 0xa1, 0x9a));
    let caption_style = Style::fixed(Weight::Regular, 1.6, LABEL);
    let line = format!("{} · {}", caption.ar, caption.en);
    c.text(
        &line,
        caption_style,
        x + 0.5,
        y + h - 1.0,
        w - 1.0,
        Align::Center,
    );
}

/// The TD1 zone: 3 lines, 30 characters each at 2.54 mm (10 to the inch), lines 4.23 mm apart
/// (6 to the inch), the last baseline 1.9 mm above the bottom edge.
const MRZ_PITCH: f32 = 2.54;
const MRZ_LEADING: f32 = 4.23;
const MRZ_SIZE: f32 = 3.55;

/// The top of the machine-readable zone's white band, in millimetres.
pub(crate) const MRZ_TOP: f32 = CARD_H - 1.9 - 2.0 * MRZ_LEADING - 4.6;

pub(crate) fn back(card: &CardData, w: u32, h: u32, dpi: u32) -> Result<Pixmap, CardError> {
    let modules = if card.credential.is_empty() {
        None
    } else {
        Some(sijil_docs::qr_modules(&card.credential)?)
    };
    let mut c = Canvas::new(w, h, dpi);
    c.stock(1.7);
    band(&mut c, 6.0);
    let half = CARD_W / 2.0 - M - 1.0;
    let white = Style::fixed(Weight::Bold, 2.3, WHITE);
    c.text(STATE_AR, white, CARD_W - M - half, 4.2, half, Align::Right);
    let white_en = Style::fixed(Weight::Bold, 1.8, WHITE);
    c.text(STATE_EN, white_en, M, 3.9, half, Align::Left);

    // The QR code: whole pixels a module, the 4-module quiet zone in white, left-aligned.
    let qr_top = 7.6;
    let qr_box = MRZ_TOP - 1.0 - qr_top;
    let mut qr_right = M;
    if let Some(m) = &modules {
        let side = m.width as u32 + 8;
        let module = ((c.px(qr_box) as u32) / side).max(1);
        let (x0, y0) = (c.px(M).round() as u32, c.px(qr_top).round() as u32);
        let total = side * module;
        let white_rect = Rect::from_xywh(x0 as f32, y0 as f32, total as f32, total as f32);
        if let Some(r) = white_rect {
            c.fill(&PathBuilder::from_rect(r), WHITE);
        }
        let mut pb = PathBuilder::new();
        for y in 0..m.width {
            for x in 0..m.width {
                if m.is_dark(x, y) {
                    let px = x0 + (x as u32 + 4) * module;
                    let py = y0 + (y as u32 + 4) * module;
                    if let Some(r) =
                        Rect::from_xywh(px as f32, py as f32, module as f32, module as f32)
                    {
                        pb.push_rect(r);
                    }
                }
            }
        }
        if let Some(path) = pb.finish() {
            let mut paint = tiny_skia::Paint::default();
            paint.set_color(Color::BLACK);
            // Edges on whole pixels: no anti-aliasing, every module crisp.
            paint.anti_alias = false;
            c.pixmap.fill_path(
                &path,
                &paint,
                tiny_skia::FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
        qr_right = (x0 + total) as f32 / c.scale;
    }

    // Beside the code: what it is, and the numbers a clerk reads off the back.
    let x = qr_right + 2.5;
    let fw = CARD_W - M - x;
    label(&mut c, &card.qr_caption, x, 10.2, fw);
    field(
        &mut c,
        &card.card_number,
        x,
        15.2,
        fw,
        VALUE_BOLD,
        Align::Right,
    );
    field(
        &mut c,
        &card.national_number,
        x,
        21.7,
        fw,
        VALUE_BOLD,
        Align::Right,
    );
    field(&mut c, &card.expires_on, x, 28.2, fw, VALUE, Align::Right);

    c.fill_rect(0.0, MRZ_TOP, CARD_W, CARD_H - MRZ_TOP, WHITE);
    mrz(&mut c, &card.mrz);
    Ok(c.pixmap)
}

/// Each character centred in its 2.54 mm cell, so the pitch is exact whatever the face's own
/// advance; lines past the third and characters past the thirtieth are not drawn.
fn mrz(c: &mut Canvas, zone: &str) {
    let face = face(FontId::Mono);
    let size = c.px(MRZ_SIZE);
    let scale = size / face.units_per_em() as f32;
    let left = (CARD_W - 30.0 * MRZ_PITCH) / 2.0;
    let last = CARD_H - 1.9;
    let mut pb = PathBuilder::new();
    for (row, line) in zone.lines().take(3).enumerate() {
        let baseline = c.px(last - (2 - row) as f32 * MRZ_LEADING);
        for (col, ch) in line.chars().take(30).enumerate() {
            let Some(g) = face.glyph_index(ch) else {
                continue;
            };
            let advance = f32::from(face.glyph_hor_advance(g).unwrap_or(0)) * scale;
            let x = c.px(left + col as f32 * MRZ_PITCH) + (c.px(MRZ_PITCH) - advance) / 2.0;
            let mut sink = GlyphSink {
                pb: &mut pb,
                x,
                y: baseline,
                scale,
            };
            face.outline_glyph(g, &mut sink);
        }
    }
    if let Some(path) = pb.finish() {
        c.fill(&path, INK);
    }
}
