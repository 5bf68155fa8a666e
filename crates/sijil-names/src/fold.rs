//! Orthographic normalisation: NFKC, then one fold per code point (arabic-names.md §1).
//!
//! The output is a list of tokens separated by single spaces. Tokens are split at separators
//! (spaces, punctuation, hyphens, Arabic punctuation) and wherever the script changes between
//! Arabic and Latin letters, so `محمدMohammed` gives two tokens.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// The most characters a normalised name keeps. No real name is longer; the cap bounds the cost
/// of hostile input. Input beyond four times this length is not even read.
pub const MAX_NAME_CHARS: usize = 128;

/// The result of the strict pass.
pub(crate) struct Strict {
    /// Tokens separated by single spaces, no leading or trailing space.
    pub text: String,
    /// Whether the input had letters only Turkish uses (ş, ğ, ı, İ).
    pub turkish: bool,
}

/// Strict orthographic normalisation of a name: NFKC, diacritics, tatweel and invisible
/// characters removed, Arabic letter variants folded (alef forms, ى, ؤ, ئ, ة, Persian forms),
/// Arabic digits to ASCII, Latin lowercased with diacritics folded (ü→u, ş→sh, ı→i, é→e), one
/// space between tokens. Keeps ء and the article; joins nothing.
///
/// Idempotent: `normalize_strict(&normalize_strict(s)) == normalize_strict(s)`.
pub fn normalize_strict(text: &str) -> String {
    strict(text).text
}

pub(crate) fn strict(input: &str) -> Strict {
    let input = prefix_chars(input, MAX_NAME_CHARS * 4);
    let mut turkish = false;
    let mut text = pass(input, &mut turkish);
    // Letters outside our own alphabet (other scripts) can, rarely, change again under NFKC
    // after lowercasing; repeat until stable so that the result is idempotent.
    let mut rounds = 0;
    while rounds < 4 && !text.chars().all(is_stable) {
        let again = pass(&text, &mut turkish);
        if again == text {
            break;
        }
        text = again;
        rounds += 1;
    }
    Strict { text, turkish }
}

fn prefix_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Characters that the pass maps to themselves whatever surrounds them.
fn is_stable(c: char) -> bool {
    c == ' ' || c.is_ascii_lowercase() || c.is_ascii_digit() || is_arabic_letter(c)
}

fn pass(input: &str, turkish: &mut bool) -> String {
    let mut w = Writer {
        out: String::with_capacity(input.len()),
        pending_sep: false,
        class: Class::Neutral,
        chars: 0,
    };
    // Most names are already in NFKC (plain Arabic letters, Latin): skip the normaliser then.
    let normal = input.is_ascii()
        || unicode_normalization::is_nfkc_quick(input.chars())
            == unicode_normalization::IsNormalized::Yes;
    if normal {
        for c in input.chars() {
            fold_char(c, &mut w, turkish);
        }
    } else {
        for c in input.nfkc() {
            fold_char(c, &mut w, turkish);
        }
    }
    w.out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Arabic,
    Latin,
    Other,
    Neutral,
}

struct Writer {
    out: String,
    pending_sep: bool,
    /// Script of the letters of the current token.
    class: Class,
    chars: usize,
}

impl Writer {
    fn sep(&mut self) {
        self.pending_sep = true;
    }

    fn push(&mut self, c: char) {
        if self.chars >= MAX_NAME_CHARS {
            return;
        }
        let class = if c.is_ascii_alphabetic() {
            Class::Latin
        } else if c.is_ascii_digit() {
            Class::Neutral
        } else if is_arabic_letter(c) {
            Class::Arabic
        } else {
            Class::Other
        };
        if class != Class::Neutral && self.class != Class::Neutral && class != self.class {
            self.pending_sep = true;
        }
        if self.pending_sep {
            self.pending_sep = false;
            self.class = Class::Neutral;
            if !self.out.is_empty() {
                if self.chars + 1 >= MAX_NAME_CHARS {
                    self.chars = MAX_NAME_CHARS;
                    return;
                }
                self.out.push(' ');
                self.chars += 1;
            }
        }
        if class != Class::Neutral {
            self.class = class;
        }
        self.out.push(c);
        self.chars += 1;
    }

    fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            self.push(c);
        }
    }
}

/// Arabic-script letters that can appear in a strict key.
pub(crate) fn is_arabic_letter(c: char) -> bool {
    // The common case first, without Unicode property look-ups: the base alphabet.
    if matches!(c, '\u{0620}'..='\u{064A}') {
        return c != '\u{0640}';
    }
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06EE}'..='\u{06EF}' | '\u{06FA}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08C9}')
        && !matches!(c, '\u{0640}' | '\u{06D4}')
        && c.is_alphabetic()
        && !is_combining_mark(c)
}

fn fold_char(c: char, w: &mut Writer, turkish: &mut bool) {
    match c {
        'a'..='z' | '0'..='9' => w.push(c),
        'A'..='Z' => w.push(c.to_ascii_lowercase()),
        // Apostrophes and ayn/hamza signs inside Latin names: dropped, not separators
        // (Ma'moun = Mamoun, Sa'ad = Saad).
        '\''
        | '`'
        | '\u{00B4}'
        | '\u{2018}'
        | '\u{2019}'
        | '\u{201B}'
        | '\u{2032}'
        | '\u{02B9}'..='\u{02BF}'
        | '\u{02C8}' => {}
        '\u{0000}'..='\u{007F}' => w.sep(),
        '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' => {
            fold_arabic(c, w)
        }
        _ if is_invisible(c) => {}
        '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => fold_latin(c, w, turkish),
        _ if is_combining_mark(c) => {}
        _ if c.is_alphanumeric() => {
            for l in c.to_lowercase() {
                if !is_combining_mark(l) {
                    w.push(l);
                }
            }
        }
        _ => w.sep(),
    }
}

/// Format and control characters that carry no letter: zero-width joiners and spaces, bidi
/// marks and embeddings, BOM, soft hyphen, variation selectors, tags.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{E0000}'..='\u{E0FFF}')
}

fn fold_arabic(c: char, w: &mut Writer) {
    let out = match c {
        'ء' => 'ء',
        'آ' | 'أ' | 'إ' | 'ٱ' | 'ٲ' | 'ٳ' | 'ٵ' => 'ا',
        'ؤ' => 'و',
        'ئ' | 'ى' | 'ی' | 'ے' | 'ې' | 'ۍ' | 'ۑ' | 'ؠ' => 'ي',
        'ة' | 'ۀ' | 'ہ' | 'ۂ' | 'ۃ' | 'ھ' | 'ە' => 'ه',
        'ک' | 'ڪ' => 'ك',
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        // Number signs and the Arabic letter mark are format characters.
        '\u{0600}'..='\u{0605}' | '\u{061C}' | '\u{06DD}' | '\u{08E2}' => return,
        // Tatweel, small high letters, high hamza.
        'ـ' | '\u{06E5}' | '\u{06E6}' | '\u{0674}' => return,
        _ if is_arabic_letter(c) => c,
        _ if is_combining_mark(c) => return,
        _ => return w.sep(),
    };
    w.push(out);
}

fn fold_latin(c: char, w: &mut Writer, turkish: &mut bool) {
    let s = match c {
        'ß' | 'ẞ' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'ł' | 'Ł' | 'ŀ' | 'Ŀ' => "l",
        'þ' | 'Þ' => "th",
        'ħ' | 'Ħ' => "h",
        'ŧ' | 'Ŧ' => "t",
        'ƒ' => "f",
        'ş' | 'Ş' => {
            *turkish = true;
            "sh"
        }
        'ğ' | 'Ğ' => {
            *turkish = true;
            "g"
        }
        'ı' | 'İ' => {
            *turkish = true;
            "i"
        }
        'ș' | 'Ș' | 'š' | 'Š' => "sh",
        'ç' | 'Ç' | 'č' | 'Č' => "ch",
        'ž' | 'Ž' => "zh",
        // Scholarly transliteration of Arabic (DIN 31635, ALA-LC).
        'ḫ' | 'Ḫ' => "kh",
        'ṯ' | 'Ṯ' => "th",
        'ḏ' | 'Ḏ' => "dh",
        'ġ' | 'Ġ' => "gh",
        'ǧ' | 'Ǧ' => "j",
        _ => {
            let mut any = false;
            decompose_canonical(c, |d| {
                if d.is_ascii_alphabetic() {
                    any = true;
                    w.push(d.to_ascii_lowercase());
                }
            });
            if !any && c.is_alphabetic() {
                for l in c.to_lowercase() {
                    if !is_combining_mark(l) {
                        w.push(l);
                    }
                }
            }
            return;
        }
    };
    w.push_str(s);
}

/// Loose Arabic letter: drops ء (returns `None`) and folds letters that Persian and Kurdish
/// keyboards add (پ→ب, چ→ج, گ→ك, ڤ→ف, ژ→ز, ڕ→ر, ڵ→ل, ۆ→و, ێ→ي).
pub(crate) fn loose_arabic(c: char) -> Option<char> {
    Some(match c {
        'ء' => return None,
        'پ' => 'ب',
        'چ' => 'ج',
        'گ' | 'ڭ' => 'ك',
        'ڤ' | 'ڥ' => 'ف',
        'ژ' => 'ز',
        'ڕ' => 'ر',
        'ڵ' => 'ل',
        'ۆ' | 'ۇ' | 'ۈ' | 'ۋ' => 'و',
        'ێ' => 'ي',
        'ڨ' => 'ق',
        _ => c,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_marks_and_folds_arabic_variants() {
        assert_eq!(normalize_strict("مُحَمَّد"), "محمد");
        assert_eq!(normalize_strict("محمـــد"), "محمد");
        assert_eq!(normalize_strict("ﻣﺤﻤﺪ"), "محمد");
        assert_eq!(normalize_strict("آمنة"), "امنه");
        assert_eq!(normalize_strict("مصطفى"), "مصطفي");
        assert_eq!(normalize_strict("عبد الرحمٰن"), "عبد الرحمن");
        assert_eq!(normalize_strict("کریم"), "كريم");
        assert_eq!(normalize_strict("علاء"), "علاء");
    }

    #[test]
    fn composes_separate_hamza_before_folding() {
        // ا + U+0654 HAMZA ABOVE composes to أ under NFKC, which then folds to ا.
        assert_eq!(normalize_strict("\u{0627}\u{0654}حمد"), "احمد");
        assert_eq!(normalize_strict("\u{064A}\u{0654}"), "ي");
    }

    #[test]
    fn digits_and_ligatures() {
        assert_eq!(normalize_strict("٠١٢٣ ۴۵"), "0123 45");
        assert_eq!(normalize_strict("عبد ﷲ"), "عبد الله");
    }

    #[test]
    fn invisible_characters_do_not_split_tokens() {
        assert_eq!(normalize_strict("مح\u{200C}مد"), "محمد");
        assert_eq!(normalize_strict("\u{202B}محمد\u{202C}\u{200F}"), "محمد");
        assert_eq!(normalize_strict("\u{FEFF}Ali\u{00AD}ce"), "alice");
    }

    #[test]
    fn latin_diacritics_and_turkish_letters() {
        assert_eq!(normalize_strict("Hüseyin ÇELİK"), "huseyin chelik");
        let s = strict("Ayşe");
        assert_eq!(s.text, "ayshe");
        assert!(s.turkish);
        assert_eq!(normalize_strict("Ma'moun Saʿīd"), "mamoun said");
        assert_eq!(
            normalize_strict("Al-Halabi, Mohammed"),
            "al halabi mohammed"
        );
    }

    #[test]
    fn splits_at_script_changes() {
        assert_eq!(normalize_strict("محمدMohammed"), "محمد mohammed");
        assert_eq!(normalize_strict("Ali3ly"), "ali3ly");
    }

    #[test]
    fn caps_length() {
        let long = "محمد ".repeat(10_000);
        let s = normalize_strict(&long);
        assert!(s.chars().count() <= MAX_NAME_CHARS);
        assert!(!s.ends_with(' '));
    }
}
