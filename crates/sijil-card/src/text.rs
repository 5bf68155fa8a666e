//! One line of text, from characters to positioned glyphs and then to pixels.
//!
//! The steps are the ones a browser takes, reduced to a single line:
//! 1. **Clean** the text: control characters and explicit bidi controls are removed (a value
//!    from the registry must not reorder the card around it), and the line is cut to
//!    [`MAX_CHARS`] so that hostile input costs bounded work.
//! 2. **Bidi** (`unicode-bidi`, UAX #9): the paragraph direction comes from the first strong
//!    character, and the line is split into runs of one embedding level, in visual order.
//! 3. **Font runs**: within a bidi run, Arabic letters take the Naskh face and everything else
//!    the Latin face; spaces, digits and punctuation stay in the face of the text around them
//!    when it has them, so a space between two Arabic words is shaped as Arabic.
//! 4. **Shaping** (`rustybuzz`, a port of HarfBuzz): contextual forms (initial, medial, final),
//!    the lam-alef and other required ligatures, mark positioning and kerning. A right-to-left
//!    run comes back from the shaper already in visual order.
//! 5. **Drawing** (`tiny-skia`): each glyph's outline is read from the font and filled with
//!    anti-aliasing.

use std::ops::Range;

use rustybuzz::{Direction, UnicodeBuffer, ttf_parser};
use tiny_skia::{Color, FillRule, Paint, PathBuilder, Pixmap, Transform};
use unicode_bidi::{BidiInfo, Level};

use crate::fonts::{FontId, Weight, face, has_glyph};

/// The longest text laid out on one line, in characters. No box on a card holds more than
/// about 70; the bound keeps a hostile value from costing more than a few shapings.
pub const MAX_CHARS: usize = 160;

/// The ellipsis put where a value is cut to fit its box.
pub const ELLIPSIS: char = '…';

/// The direction of a line's paragraph, which decides where neutral characters go and which
/// end an ellipsis is put at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// From the first strong character (UAX #9 rules P2 and P3); left to right if none.
    Auto,
    /// Right to left: an Arabic box, even when its value starts with Latin letters or digits.
    Rtl,
    /// Left to right: a Latin box.
    Ltr,
}

/// A glyph placed on the line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedGlyph {
    /// Glyph id in the run's face.
    pub id: u16,
    /// Byte offset in [`ShapedLine::text`] of the first character this glyph draws.
    pub cluster: usize,
    /// Pen position from the line's left edge, in pixels.
    pub x: f32,
    /// Offset above the baseline, in pixels (marks sit above or below their base).
    pub y: f32,
}

/// A run of glyphs in one face and one direction.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapedRun {
    /// The face the glyphs belong to.
    pub font: FontId,
    /// Whether the run is right-to-left.
    pub rtl: bool,
    /// The bytes of [`ShapedLine::text`] the run covers.
    pub range: Range<usize>,
    /// Glyphs in visual order, left to right.
    pub glyphs: Vec<PlacedGlyph>,
}

/// A line of text, shaped and placed, ready to draw at any position.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapedLine {
    /// The cleaned text the runs index into (may end with [`ELLIPSIS`] when cut to fit).
    pub text: String,
    /// The paragraph direction: right-to-left when the first strong character is Arabic.
    pub rtl: bool,
    /// Runs in visual order, left to right.
    pub runs: Vec<ShapedRun>,
    /// Advance width, in pixels.
    pub width: f32,
    /// Em size, in pixels.
    pub size: f32,
}

fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// The text as the card draws it: control characters, bidi controls and line or paragraph
/// separators removed (tabs and newlines become spaces), runs of spaces collapsed, trimmed, and
/// cut to [`MAX_CHARS`] characters.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_CHARS * 4));
    let mut count = 0;
    for c in text.chars() {
        let c = if matches!(c, '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}') {
            ' '
        } else {
            c
        };
        if c.is_control() || is_bidi_control(c) || (c == ' ' && out.ends_with(' ')) {
            continue;
        }
        if c == ' ' && out.is_empty() {
            continue;
        }
        if count == MAX_CHARS {
            break;
        }
        out.push(c);
        count += 1;
    }
    out.truncate(out.trim_end().len());
    out
}

/// Arabic letters and marks (the Arabic blocks and presentation forms).
fn is_arabic(c: char) -> bool {
    matches!(c,
        '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Whether a character takes the face of the text around it (spaces, digits, punctuation).
fn is_neutral(c: char) -> bool {
    !c.is_alphabetic() && !is_arabic(c)
}

/// The face of a strong (non-neutral) character.
fn strong_font(c: char, weight: Weight) -> FontId {
    let (arabic, latin) = (FontId::arabic(weight), FontId::latin(weight));
    if is_arabic(c) || (!has_glyph(latin, c) && has_glyph(arabic, c)) {
        arabic
    } else {
        latin
    }
}

/// Splits `text[run]` into font runs, in logical order. A neutral character takes the face of
/// the character before it, or at the start of the run of the first strong character after
/// it, when that face has it; else the Latin face (which has the most neutrals).
fn font_runs(text: &str, run: Range<usize>, weight: Weight) -> Vec<(FontId, Range<usize>)> {
    let chars: Vec<(usize, char)> = text[run.clone()].char_indices().collect();
    let next_strong = chars
        .iter()
        .find(|(_, c)| !is_neutral(*c))
        .map(|(_, c)| strong_font(*c, weight));
    let mut items: Vec<(FontId, Range<usize>)> = Vec::new();
    let mut prev = next_strong;
    for (i, c) in chars {
        let at = run.start + i;
        let font = if !is_neutral(c) {
            strong_font(c, weight)
        } else {
            match prev {
                Some(p) if has_glyph(p, c) => p,
                _ if has_glyph(FontId::latin(weight), c) => FontId::latin(weight),
                _ => FontId::arabic(weight),
            }
        };
        match items.last_mut() {
            Some((f, r)) if *f == font => r.end = at + c.len_utf8(),
            _ => items.push((font, at..at + c.len_utf8())),
        }
        prev = Some(font);
    }
    items
}

/// Shapes `text` (cleaned first) on one line at `size` pixels to the em, its direction taken
/// from its first strong character.
pub fn shape_line(text: &str, weight: Weight, size: f32) -> ShapedLine {
    shape_clean(clean(text), Base::Auto, weight, size)
}

fn shape_clean(text: String, base: Base, weight: Weight, size: f32) -> ShapedLine {
    let mut line = ShapedLine {
        rtl: false,
        runs: Vec::new(),
        width: 0.0,
        size,
        text: String::new(),
    };
    if text.is_empty() {
        return line;
    }
    let level = match base {
        Base::Auto => None,
        Base::Rtl => Some(Level::rtl()),
        Base::Ltr => Some(Level::ltr()),
    };
    let bidi = BidiInfo::new(&text, level);
    let para = &bidi.paragraphs[0];
    line.rtl = para.level.is_rtl();
    let (levels, runs) = bidi.visual_runs(para, para.range.clone());
    let mut pen = 0.0;
    for run in runs {
        let rtl = levels[run.start].is_rtl();
        let mut items = font_runs(&text, run, weight);
        if rtl {
            items.reverse();
        }
        for (font, range) in items {
            let shaped = shape_item(&text, font, range, rtl, size, pen);
            pen += shaped.1;
            line.runs.push(shaped.0);
        }
    }
    line.width = pen;
    line.text = text;
    line
}

fn shape_item(
    text: &str,
    font: FontId,
    range: Range<usize>,
    rtl: bool,
    size: f32,
    start: f32,
) -> (ShapedRun, f32) {
    let face = face(font);
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(&text[range.clone()]);
    buffer.guess_segment_properties();
    buffer.set_direction(if rtl {
        Direction::RightToLeft
    } else {
        Direction::LeftToRight
    });
    let out = rustybuzz::shape(face, &[], buffer);
    let scale = size / face.units_per_em() as f32;
    let mut pen = start;
    let glyphs = out
        .glyph_infos()
        .iter()
        .zip(out.glyph_positions())
        .map(|(info, pos)| {
            let g = PlacedGlyph {
                id: info.glyph_id as u16,
                cluster: range.start + info.cluster as usize,
                x: pen + pos.x_offset as f32 * scale,
                y: pos.y_offset as f32 * scale,
            };
            pen += pos.x_advance as f32 * scale;
            g
        })
        .collect();
    (
        ShapedRun {
            font,
            rtl,
            range,
            glyphs,
        },
        pen - start,
    )
}

/// Shapes `text` in a paragraph of direction `base` to fit `max_width` pixels: at `size` if it
/// fits, else at a smaller size down to `min_size`, else cut at a character boundary with an
/// [`ELLIPSIS`] at its logical end (the left end of a right-to-left line). Never wider than
/// `max_width` unless even the ellipsis is wider.
pub fn fit_line(
    text: &str,
    base: Base,
    weight: Weight,
    size: f32,
    min_size: f32,
    max_width: f32,
) -> ShapedLine {
    let text = clean(text);
    let full = shape_clean(text.clone(), base, weight, size);
    if full.width <= max_width {
        return full;
    }
    // Shrinking keeps a long name whole, down to the smallest size still legible.
    if min_size < size {
        let smaller = (size * max_width / full.width).max(min_size);
        let line = shape_clean(text.clone(), base, weight, smaller);
        if line.width <= max_width {
            return line;
        }
    }
    let size = min_size.min(size);
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let cut = |n: usize| {
        let mut s = text[..bounds[n]].trim_end().to_owned();
        s.push(ELLIPSIS);
        shape_clean(s, base, weight, size)
    };
    // The widest prefix that fits with its ellipsis (width grows with the prefix, nearly).
    let (mut lo, mut hi) = (0, bounds.len() - 1);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if cut(mid).width <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    cut(lo)
}

/// Where a line sits in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Against the box's left edge.
    Left,
    /// Against the box's right edge.
    Right,
    /// Centred.
    Center,
}

/// Collects glyph outlines into a path, from font units (y up) to pixels (y down) at a pen
/// position.
pub(crate) struct GlyphSink<'a> {
    pub(crate) pb: &'a mut PathBuilder,
    pub(crate) x: f32,
    pub(crate) y: f32,
    pub(crate) scale: f32,
}

impl ttf_parser::OutlineBuilder for GlyphSink<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.pb
            .move_to(self.x + x * self.scale, self.y - y * self.scale);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.pb
            .line_to(self.x + x * self.scale, self.y - y * self.scale);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (s, ox, oy) = (self.scale, self.x, self.y);
        self.pb
            .quad_to(ox + x1 * s, oy - y1 * s, ox + x * s, oy - y * s);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (s, ox, oy) = (self.scale, self.x, self.y);
        self.pb.cubic_to(
            ox + x1 * s,
            oy - y1 * s,
            ox + x2 * s,
            oy - y2 * s,
            ox + x * s,
            oy - y * s,
        );
    }
    fn close(&mut self) {
        self.pb.close();
    }
}

/// Draws `line` with its baseline at `baseline`, in the box from `left` that is `width` wide.
pub fn draw_line(
    pixmap: &mut Pixmap,
    line: &ShapedLine,
    left: f32,
    width: f32,
    baseline: f32,
    align: Align,
    color: Color,
) {
    let origin = match align {
        Align::Left => left,
        Align::Right => left + width - line.width,
        Align::Center => left + (width - line.width) / 2.0,
    };
    let mut paint = Paint::default();
    paint.set_color(color);
    paint.anti_alias = true;
    for run in &line.runs {
        let face = face(run.font);
        let scale = line.size / face.units_per_em() as f32;
        let mut pb = PathBuilder::new();
        for g in &run.glyphs {
            let mut sink = GlyphSink {
                pb: &mut pb,
                x: origin + g.x,
                y: baseline - g.y,
                scale,
            };
            face.outline_glyph(ttf_parser::GlyphId(g.id), &mut sink);
        }
        if let Some(path) = pb.finish() {
            pixmap.fill_path(
                &path,
                &paint,
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
    }
}
