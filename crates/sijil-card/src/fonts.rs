//! The fonts drawn on the card, compiled into the binary so that a card looks the same on every
//! server and office node whatever fonts the machine has (see `fonts/README.md` for where each
//! file comes from and how the Latin and monospaced ones were subset).

use std::sync::OnceLock;

use rustybuzz::Face;

/// Which face a piece of text is drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FontId {
    /// Noto Naskh Arabic Regular: the Arabic script, in the book hand a Syrian document uses.
    Arabic,
    /// Noto Naskh Arabic Bold.
    ArabicBold,
    /// Noto Sans Regular, subset to Latin.
    Latin,
    /// Noto Sans Bold, subset to Latin.
    LatinBold,
    /// Noto Sans Mono Regular, subset to ASCII: the machine-readable zone.
    Mono,
}

/// Regular or bold text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    /// Labels and most values.
    Regular,
    /// Names, headings, the numbers a reader looks for.
    Bold,
}

impl FontId {
    /// The Arabic face of a weight.
    pub fn arabic(weight: Weight) -> Self {
        match weight {
            Weight::Regular => FontId::Arabic,
            Weight::Bold => FontId::ArabicBold,
        }
    }

    /// The Latin face of a weight.
    pub fn latin(weight: Weight) -> Self {
        match weight {
            Weight::Regular => FontId::Latin,
            Weight::Bold => FontId::LatinBold,
        }
    }
}

struct Fonts {
    faces: [Face<'static>; 5],
}

static NASKH: &[u8] = include_bytes!("../fonts/NotoNaskhArabic-Regular.ttf");
static NASKH_BOLD: &[u8] = include_bytes!("../fonts/NotoNaskhArabic-Bold.ttf");
static SANS: &[u8] = include_bytes!("../fonts/NotoSans-Regular-Latin.ttf");
static SANS_BOLD: &[u8] = include_bytes!("../fonts/NotoSans-Bold-Latin.ttf");
static MONO: &[u8] = include_bytes!("../fonts/NotoSansMono-Regular-ASCII.ttf");

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        // The bytes are compiled in and checked by the tests: a parse failure is a build
        // defect, not an input error.
        let parse = |bytes: &'static [u8]| Face::from_slice(bytes, 0).expect("bundled font parses");
        Fonts {
            faces: [
                parse(NASKH),
                parse(NASKH_BOLD),
                parse(SANS),
                parse(SANS_BOLD),
                parse(MONO),
            ],
        }
    })
}

/// The parsed face (parsed once per process).
pub fn face(id: FontId) -> &'static Face<'static> {
    &fonts().faces[id as usize]
}

/// Whether the face has a glyph for `c` (other than `.notdef`).
pub fn has_glyph(id: FontId, c: char) -> bool {
    face(id).glyph_index(c).is_some_and(|g| g.0 != 0)
}
