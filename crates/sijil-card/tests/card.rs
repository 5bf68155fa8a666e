//! The card as a reader and a machine see it: Arabic shaped into joined forms and ligatures,
//! in the right order; the QR code on the back reads back to the signed credential, which
//! verifies; the zone is printed; the size is ID-1 at the asked resolution; and hostile values
//! stay in their boxes.

mod common;

use sijil_card::{
    CardData, CardError, Field, Label, MAX_DPI, MIN_DPI, MRZ_TOP_MM, Side,
    fonts::{FontId, Weight, face},
    render, render_png, side_size,
    text::{Base, ELLIPSIS, clean, fit_line, shape_line},
};
use sijil_docs::{RevocationList, decode_qr_image, verify_credential};
use tiny_skia::Pixmap;

fn nominal(font: FontId, c: char) -> u16 {
    face(font).glyph_index(c).unwrap().0
}

#[test]
fn arabic_letters_take_their_joined_forms_and_run_right_to_left() {
    let line = shape_line("محمد", Weight::Regular, 40.0);
    assert!(line.rtl);
    assert_eq!(line.runs.len(), 1);
    let run = &line.runs[0];
    assert!(run.rtl);
    assert_eq!(run.font, FontId::Arabic);
    assert_eq!(run.glyphs.len(), 4);
    // Visual order, left to right, is the reverse of the logical order: د first, م last.
    let clusters: Vec<usize> = run.glyphs.iter().map(|g| g.cluster).collect();
    assert_eq!(clusters, vec![6, 4, 2, 0]);
    // Initial م, medial ح, medial م, final د: none is the isolated form the cmap names.
    for (g, c) in run.glyphs.iter().rev().zip("محمد".chars()) {
        assert_ne!(
            g.id,
            nominal(FontId::Arabic, c),
            "{c} kept its isolated form"
        );
    }
    // Pens advance left to right.
    assert!(run.glyphs.windows(2).all(|w| w[0].x <= w[1].x));
}

#[test]
fn latin_text_keeps_its_nominal_glyphs_left_to_right() {
    let line = shape_line("Halabi", Weight::Regular, 40.0);
    assert!(!line.rtl);
    let run = &line.runs[0];
    assert_eq!(run.font, FontId::Latin);
    let ids: Vec<u16> = run.glyphs.iter().map(|g| g.id).collect();
    let nominal: Vec<u16> = "Halabi"
        .chars()
        .map(|c| nominal(FontId::Latin, c))
        .collect();
    assert_eq!(ids, nominal);
}

#[test]
fn lam_alef_and_the_name_of_god_are_ligatures() {
    // خلال: Noto Naskh composes lam-alef from two special forms drawn on one spot: neither is
    // the nominal letter, and the alef adds no width of its own.
    let run = &shape_line("خلال", Weight::Regular, 40.0).runs[0];
    let lam = "خ".len();
    let alef = lam + "ل".len();
    let at = |cluster: usize| {
        run.glyphs
            .iter()
            .position(|g| g.cluster == cluster)
            .unwrap()
    };
    let (l, a) = (at(lam), at(alef));
    assert_ne!(run.glyphs[l].id, nominal(FontId::Arabic, 'ل'));
    assert_ne!(run.glyphs[a].id, nominal(FontId::Arabic, 'ا'));
    assert_eq!(a + 1, l, "alef is drawn just left of its lam");
    assert_eq!(run.glyphs[a].x, run.glyphs[l].x, "{:?}", run.glyphs);
    // عبد الله: the four letters of الله are drawn as its ligature (at most two glyphs).
    let line = shape_line("عبد الله", Weight::Bold, 40.0);
    assert_eq!(line.runs.len(), 1, "one Arabic run, space included");
    assert_eq!(line.runs[0].font, FontId::ArabicBold);
    let allah: Vec<_> = line.runs[0]
        .glyphs
        .iter()
        .filter(|g| g.cluster >= "عبد ".len())
        .collect();
    assert!(allah.len() <= 2, "{allah:?}");
}

#[test]
fn digits_in_an_arabic_line_read_left_to_right_at_its_left_end() {
    let text = "دمشق - الميدان 245";
    let line = shape_line(text, Weight::Regular, 40.0);
    assert!(line.rtl);
    let first = &line.runs[0];
    assert!(!first.rtl, "{:?}", line.runs);
    assert_eq!(&line.text[first.range.clone()], "245");
    let digits: Vec<usize> = first.glyphs.iter().map(|g| g.cluster).collect();
    assert!(digits.windows(2).all(|w| w[0] < w[1]), "2, 4, 5 in order");
    assert!(line.runs[1..].iter().all(|r| r.rtl));
}

#[test]
fn the_back_carries_the_signed_credential_that_verifies() {
    let card = common::card();
    for dpi in [MIN_DPI, 300] {
        let png = render_png(&card, Side::Back, dpi).unwrap();
        let text = decode_qr_image(&png).unwrap();
        assert_eq!(text, card.credential, "at {dpi} dpi");
        let verified = verify_credential(
            &text,
            &common::trust(),
            &RevocationList::empty(),
            common::issued_at() + time::Duration::days(1),
        )
        .unwrap();
        assert_eq!(verified.claims, common::claims());
    }
    // Both sides in one image: the code is still found.
    let both = render_png(&card, Side::Both, 300).unwrap();
    assert_eq!(decode_qr_image(&both).unwrap(), card.credential);
}

fn dark(p: &Pixmap, x: u32, y: u32) -> bool {
    let c = p.pixel(x, y).unwrap();
    c.alpha() > 200 && (u32::from(c.red()) + u32::from(c.green()) + u32::from(c.blue())) < 3 * 110
}

fn dark_in(p: &Pixmap, xs: std::ops::Range<u32>, ys: std::ops::Range<u32>) -> usize {
    ys.flat_map(|y| xs.clone().map(move |x| (x, y)))
        .filter(|&(x, y)| dark(p, x, y))
        .count()
}

#[test]
fn the_zone_is_printed_line_by_line_in_its_band() {
    let card = common::card();
    let with = render(&card, Side::Back, 300).unwrap();
    let without = render(
        &CardData {
            mrz: String::new(),
            ..card.clone()
        },
        Side::Back,
        300,
    )
    .unwrap();
    let mm = |v: f32| (v * 300.0 / 25.4) as u32;
    let (w, h) = side_size(300);
    let top = mm(MRZ_TOP_MM);
    assert_eq!(dark_in(&without, 0..w, top..h), 0);
    // Three lines, each with ink in its own strip.
    let strip = (h - top) / 3;
    for i in 0..3 {
        let ys = top + i * strip..top + (i + 1) * strip;
        let ink = dark_in(&with, 0..w, ys);
        assert!(ink > 1000, "line {i}: {ink} dark pixels");
    }
}

#[test]
fn each_side_is_id1_at_the_asked_resolution() {
    assert_eq!(side_size(300), (1011, 638));
    assert_eq!(side_size(600), (2022, 1275));
    let card = common::card();
    for (side, dpi) in [
        (Side::Front, 300),
        (Side::Back, 600),
        (Side::Front, MIN_DPI),
    ] {
        let png = render_png(&card, side, dpi).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let p = Pixmap::decode_png(&png).unwrap();
        assert_eq!((p.width(), p.height()), side_size(dpi));
    }
    let both = render(&card, Side::Both, 300).unwrap();
    assert_eq!((both.width(), both.height()), (1011, 2 * 638 + 47));
    // Outside the rounded corner is transparent; inside the card is opaque.
    let front = render(&card, Side::Front, 300).unwrap();
    assert_eq!(front.pixel(0, 0).unwrap().alpha(), 0);
    assert_eq!(front.pixel(500, 300).unwrap().alpha(), 255);
    for dpi in [0, MIN_DPI - 1, MAX_DPI + 1, u32::MAX] {
        assert_eq!(
            render_png(&card, Side::Front, dpi),
            Err(CardError::Dpi(dpi))
        );
    }
}

#[test]
fn bidi_controls_and_control_characters_are_removed() {
    assert_eq!(
        clean("\u{202E}محمد\u{202C} \u{2066}x\u{2069}\t\ny\u{0}"),
        "محمد x y"
    );
    assert_eq!(clean("   "), "");
    assert_eq!(
        clean(&"ا".repeat(10_000)).chars().count(),
        sijil_card::text::MAX_CHARS
    );
}

#[test]
fn a_value_too_long_for_its_box_is_shrunk_then_cut_with_an_ellipsis() {
    let long = "محمد عبد الله الحلبي ".repeat(30);
    let max = 300.0;
    let line = fit_line(&long, Base::Auto, Weight::Bold, 40.0, 30.0, max);
    assert!(line.width <= max, "{} > {max}", line.width);
    assert!(line.text.ends_with(ELLIPSIS));
    assert_eq!(line.size, 30.0);
    // The ellipsis is at the logical end, the left of an Arabic line.
    assert!(line.rtl);
    // A slightly long value shrinks and stays whole.
    let short = fit_line(
        "محمد عبد الله الحلبي",
        Base::Auto,
        Weight::Bold,
        40.0,
        30.0,
        230.0,
    );
    assert!(!short.text.ends_with(ELLIPSIS) && short.width <= 230.0);
    assert!(short.size < 40.0);
}

#[test]
fn an_arabic_box_stays_right_to_left_when_its_value_starts_with_latin() {
    let text = "<b>x</b> محمد عبد الله";
    assert!(
        !shape_line(text, Weight::Regular, 40.0).rtl,
        "auto: Latin first"
    );
    let line = fit_line(text, Base::Rtl, Weight::Regular, 40.0, 40.0, 10_000.0);
    assert!(line.rtl);
    // Right to left: the markup, read first, is at the right end and the Arabic words after it
    // are to its left (as a browser shows it with dir="rtl"); auto would have put them right.
    let visual: Vec<&str> = line
        .runs
        .iter()
        .map(|r| line.text[r.range.clone()].trim())
        .collect();
    assert_eq!(visual.first(), Some(&"محمد عبد الله"), "{visual:?}");
    assert!(line.runs[0].rtl);
    let auto = shape_line(text, Weight::Regular, 40.0);
    assert_eq!(auto.text[auto.runs[0].range.clone()].trim(), "<b>x</b>");
    // Cut, the ellipsis ends the line on the left.
    let cut = fit_line(text, Base::Rtl, Weight::Regular, 40.0, 40.0, 150.0);
    assert!(cut.text.ends_with(ELLIPSIS));
    let first = &cut.runs[0];
    assert!(
        cut.text[first.range.clone()].contains(ELLIPSIS),
        "{:?}",
        cut.runs
    );
}

#[test]
fn hostile_and_empty_values_draw_inside_their_boxes() {
    let hostile = format!(
        "\u{202E}<script>alert(1)</script>{}\u{2067}{}",
        "محمد عبد الله ".repeat(200),
        "x".repeat(5000)
    );
    let mut card = common::card();
    card.name_ar = Field::new(
        Label::new(hostile.clone(), hostile.clone()),
        hostile.clone(),
    );
    card.mother.value = hostile.clone();
    card.mrz = hostile.clone();
    let front = render(&card, Side::Front, 300).unwrap();
    // The gap between the photo and the fields stays clear on the name's lines: the value
    // was cut to its box.
    let mm = |v: f32| (v * 300.0 / 25.4).round() as u32;
    assert_eq!(dark_in(&front, mm(24.4)..mm(27.1), mm(10.5)..mm(18.5)), 0);
    render_png(&card, Side::Both, 300).unwrap();
    // Nothing at all.
    render_png(&CardData::default(), Side::Both, 300).unwrap();
    // A credential too long for any QR code is an error, not a panic.
    let card = CardData {
        credential: "A".repeat(5000),
        ..CardData::default()
    };
    assert!(matches!(
        render(&card, Side::Back, 300),
        Err(CardError::Qr(_))
    ));
    assert!(render(&card, Side::Front, 300).is_ok());
}
