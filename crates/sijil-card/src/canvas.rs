//! A pixmap addressed in millimetres: the card's layout is written in the units of its print
//! specification (ID-1 is 85.60 × 53.98 mm) and the same layout serves every resolution.

use tiny_skia::{
    Color, FillRule, GradientStop, LinearGradient, Mask, Paint, Path, PathBuilder, Pixmap, Point,
    Rect, SpreadMode, Stroke, Transform,
};

use crate::fonts::Weight;
use crate::text::{Align, Base, draw_line, fit_line};

/// ID-1 width (ISO/IEC 7810), in millimetres.
pub const CARD_W: f32 = 85.60;
/// ID-1 height, in millimetres.
pub const CARD_H: f32 = 53.98;
/// ID-1 corner radius, in millimetres.
pub const CORNER: f32 = 3.18;

/// The ink of the card's text.
pub const INK: Rgba = rgb(0x1b, 0x24, 0x22);
/// Labels: quieter than the values they name.
pub const LABEL: Rgba = rgb(0x4f, 0x5f, 0x5a);
/// The ministry's band colour.
pub const BAND: Rgba = rgb(0x0f, 0x4c, 0x44);
/// A thin gold rule under the band.
pub const GOLD: Rgba = rgb(0xb8, 0x93, 0x2e);
/// White.
pub const WHITE: Rgba = rgb(0xff, 0xff, 0xff);

/// An opaque colour.
pub const fn rgb(r: u8, g: u8, b: u8) -> Rgba {
    Rgba(r, g, b, 255)
}

/// A colour as 8-bit red, green, blue and alpha (tiny-skia's own colour type has no const
/// constructor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgba(pub u8, pub u8, pub u8, pub u8);

impl Rgba {
    /// As tiny-skia's colour.
    pub fn color(self) -> Color {
        Color::from_rgba8(self.0, self.1, self.2, self.3)
    }
}

/// Text style: weight, em size and the smallest size a too-long value may shrink to, in mm.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Regular or bold.
    pub weight: Weight,
    /// Em size, in millimetres.
    pub size: f32,
    /// Smallest em size before the text is cut with an ellipsis.
    pub min_size: f32,
    /// Colour.
    pub color: Rgba,
}

impl Style {
    /// A style that does not shrink.
    pub const fn fixed(weight: Weight, size: f32, color: Rgba) -> Self {
        Style {
            weight,
            size,
            min_size: size,
            color,
        }
    }
}

/// One side of the card being drawn.
pub struct Canvas {
    /// The pixels.
    pub pixmap: Pixmap,
    /// Pixels per millimetre.
    pub scale: f32,
    card: Mask,
}

impl Canvas {
    /// A blank side at `dpi`: transparent outside the card's rounded corners.
    pub fn new(width: u32, height: u32, dpi: u32) -> Self {
        let scale = dpi as f32 / 25.4;
        let pixmap = Pixmap::new(width, height).expect("bounded dpi gives a valid size");
        let mut card = Mask::new(width, height).expect("same size as the pixmap");
        let outline = rounded_rect(0.0, 0.0, width as f32, height as f32, CORNER * scale);
        card.fill_path(&outline, FillRule::Winding, true, Transform::identity());
        Canvas {
            pixmap,
            scale,
            card,
        }
    }

    /// Millimetres to pixels.
    pub fn px(&self, mm: f32) -> f32 {
        mm * self.scale
    }

    fn rect(&self, x: f32, y: f32, w: f32, h: f32) -> Option<Rect> {
        Rect::from_xywh(self.px(x), self.px(y), self.px(w), self.px(h))
    }

    /// Fills a rectangle (in mm), clipped to the card.
    pub fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgba) {
        if let Some(r) = self.rect(x, y, w, h) {
            let path = PathBuilder::from_rect(r);
            self.fill(&path, color);
        }
    }

    /// Fills a path (in pixels), clipped to the card.
    pub fn fill(&mut self, path: &Path, color: Rgba) {
        let mut paint = Paint::default();
        paint.set_color(color.color());
        paint.anti_alias = true;
        self.pixmap.fill_path(
            path,
            &paint,
            FillRule::Winding,
            Transform::identity(),
            Some(&self.card),
        );
    }

    /// Strokes a path (in pixels) `width` mm wide.
    pub fn stroke(&mut self, path: &Path, width: f32, color: Rgba) {
        let mut paint = Paint::default();
        paint.set_color(color.color());
        paint.anti_alias = true;
        let stroke = Stroke {
            width: self.px(width),
            ..Stroke::default()
        };
        self.pixmap.stroke_path(
            path,
            &paint,
            &stroke,
            Transform::identity(),
            Some(&self.card),
        );
    }

    /// The card stock: a pale vertical gradient, guilloche-like waves behind the text (the
    /// fine line work of a security print, here only for the look), and a hairline edge.
    pub fn stock(&mut self, seed: f32) {
        let (w, h) = (self.pixmap.width() as f32, self.pixmap.height() as f32);
        let shader = LinearGradient::new(
            Point::from_xy(0.0, 0.0),
            Point::from_xy(w * 0.3, h),
            vec![
                GradientStop::new(0.0, rgb(0xfb, 0xfc, 0xf9).color()),
                GradientStop::new(1.0, rgb(0xe6, 0xef, 0xea).color()),
            ],
            SpreadMode::Pad,
            Transform::identity(),
        )
        .expect("two stops make a gradient");
        let paint = Paint {
            shader,
            ..Paint::default()
        };
        let full = PathBuilder::from_rect(Rect::from_xywh(0.0, 0.0, w, h).expect("non-empty"));
        self.pixmap.fill_path(
            &full,
            &paint,
            FillRule::Winding,
            Transform::identity(),
            Some(&self.card),
        );
        let wave = Rgba(0x0f, 0x4c, 0x44, 22);
        for i in 0..22 {
            let mut pb = PathBuilder::new();
            let base = 6.0 + i as f32 * 2.3;
            let phase = seed + i as f32 * 0.45;
            let mut x = 0.0;
            pb.move_to(0.0, self.px(base + 0.9 * phase.sin()));
            while x < CARD_W {
                x += 0.5;
                let y = base + 0.9 * (x * 0.21 + phase).sin() + 0.4 * (x * 0.05 - phase).cos();
                pb.line_to(self.px(x), self.px(y));
            }
            if let Some(p) = pb.finish() {
                self.stroke(&p, 0.09, wave);
            }
        }
        let edge = rounded_rect(0.5, 0.5, w - 1.0, h - 1.0, self.px(CORNER) - 0.5);
        self.stroke(&edge, 0.15, rgb(0xa9, 0xb8, 0xb2));
    }

    /// Draws `text` in the box from `x` that is `w` mm wide, on the baseline `baseline` mm from
    /// the top, shrunk or cut with an ellipsis to fit the box. Returns the drawn width in mm.
    ///
    /// The alignment is the box's language: a box set from the right is an Arabic box, so its
    /// paragraph is right to left whatever the value starts with (a name that opens with Latin
    /// letters or digits stays in Arabic order, its ellipsis on the left); a box set from the
    /// left is a Latin one; a centred box takes the direction of its text.
    pub fn text(
        &mut self,
        text: &str,
        style: Style,
        x: f32,
        baseline: f32,
        w: f32,
        align: Align,
    ) -> f32 {
        let s = self.scale;
        let base = match align {
            Align::Right => Base::Rtl,
            Align::Left => Base::Ltr,
            Align::Center => Base::Auto,
        };
        let line = fit_line(
            text,
            base,
            style.weight,
            style.size * s,
            style.min_size * s,
            w * s,
        );
        draw_line(
            &mut self.pixmap,
            &line,
            x * s,
            w * s,
            baseline * s,
            align,
            style.color.color(),
        );
        line.width / self.scale
    }
}

/// A rectangle with rounded corners (radius `r`), in pixels.
pub fn rounded_rect(x: f32, y: f32, w: f32, h: f32, r: f32) -> Path {
    // The cubic that best approximates a quarter circle.
    const K: f32 = 0.552_284_8;
    let r = r.min(w / 2.0).min(h / 2.0);
    let c = r * (1.0 - K);
    let mut pb = PathBuilder::new();
    pb.move_to(x + r, y);
    pb.line_to(x + w - r, y);
    pb.cubic_to(x + w - c, y, x + w, y + c, x + w, y + r);
    pb.line_to(x + w, y + h - r);
    pb.cubic_to(x + w, y + h - c, x + w - c, y + h, x + w - r, y + h);
    pb.line_to(x + r, y + h);
    pb.cubic_to(x + c, y + h, x, y + h - c, x, y + h - r);
    pb.line_to(x, y + r);
    pb.cubic_to(x, y + c, x + c, y, x + r, y);
    pb.close();
    pb.finish().expect("a rounded rectangle is a valid path")
}
