//! Any text, however hostile, is laid out in bounded work and fits its box.

use proptest::prelude::*;
use sijil_card::{
    CardData, Field, Label, Side,
    fonts::Weight,
    render,
    text::{Base, ELLIPSIS, MAX_CHARS, clean, fit_line},
};

/// Arabic, Latin, digits, marks, bidi controls, controls, emoji and unassigned-looking code
/// points, mixed.
fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[\u{0621}-\u{064A}\u{064B}-\u{0652} ]{1,12}",
            "[A-Za-z0-9<>&/ ]{1,12}",
            "[\u{200E}\u{200F}\u{202A}-\u{202E}\u{2066}-\u{2069}\u{061C}\n\t\u{0}]{1,3}",
            any::<char>().prop_map(String::from),
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_text_fits_its_box_or_is_cut_with_an_ellipsis(
        text in hostile(),
        width in 20.0f32..600.0,
        rtl in any::<bool>(),
    ) {
        let base = if rtl { Base::Rtl } else { Base::Ltr };
        let line = fit_line(&text, base, Weight::Regular, 30.0, 24.0, width);
        let cleaned = clean(&text);
        prop_assert!(cleaned.chars().count() <= MAX_CHARS);
        let isolates = '\u{2066}'..='\u{2069}';
        let stray = cleaned.chars().any(|c| c.is_control() || isolates.contains(&c));
        prop_assert!(!stray, "controls left in {:?}", cleaned);
        if line.text != cleaned {
            prop_assert!(line.text.ends_with(ELLIPSIS), "{:?}", line.text);
        }
        // Only a box too narrow for the ellipsis itself may overflow.
        let ellipsis = fit_line("…", base, Weight::Regular, 24.0, 24.0, 1e6).width;
        prop_assert!(line.width <= width.max(ellipsis) + 0.01, "{} > {width}", line.width);
    }

    #[test]
    fn any_values_draw_both_sides(text in hostile()) {
        let f = || Field::new(Label::new(text.clone(), text.clone()), text.clone());
        let card = CardData {
            name_ar: f(), name_latin: f(), national_number: f(), sex: f(), birth_date: f(),
            birth_place: f(), mother: f(), registry: f(), card_number: f(), issued_on: f(),
            expires_on: f(), photo: Label::new(text.clone(), text.clone()),
            qr_caption: Label::new(text.clone(), text.clone()),
            credential: String::new(), mrz: text.clone(),
        };
        prop_assert!(render(&card, Side::Both, 150).is_ok());
    }
}
