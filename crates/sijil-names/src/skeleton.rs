//! Consonant skeletons (arabic-names.md §3, "Approaches"): one ASCII letter per consonant class,
//! the same alphabet for both scripts, so `محمد`, Mohammed and Muhamad all give `MHMD`.
//!
//! Classes: B (ب, b, p), T (ت ط ث, t, th), J (ج, j), H (ح ه, h), X (خ, kh), D (د ض ذ ظ, d, dh),
//! R, Z, S (س ص, s), C (ش, sh, ch), G (غ, gh, g), F (ف, f, v), K (ق ك, q, k, c), L, M, N.
//! Vowel letters (ا و ي ى, ع, ء; a e i o u y w) are dropped, as is a final ة/ه/ح in a token of
//! more than two letters and a final h after a vowel (Latin final h is ambiguous); doubled
//! letters are collapsed. The article of the suffixes الدين and الله is dropped on both sides,
//! because Latin spellings assimilate it (Nureddin, Atallah); after عبد and ابو it is kept, and
//! the Latin side writes it back (Abdurrahman: `abdalrahman`).

/// Appends the skeleton of one loose Arabic token.
pub(crate) fn arabic(token: &str, out: &mut String) {
    let t = without_compound_article(token);
    let n = t.chars().count();
    let mut last: Option<char> = None;
    for (i, c) in t.chars().enumerate() {
        let i = i + 1;
        if i == n && n > 2 && matches!(c, 'ه' | 'ح') {
            break;
        }
        let Some(k) = arabic_class(c) else { continue };
        if last != Some(k) {
            out.push(k);
            last = Some(k);
        }
    }
}

/// The skeleton class of an Arabic consonant; `None` for ا و ي ى ع ء and non-letters.
pub(crate) fn arabic_class(c: char) -> Option<char> {
    Some(match c {
        'ب' => 'B',
        'ت' | 'ط' | 'ث' => 'T',
        'ج' => 'J',
        'ح' | 'ه' => 'H',
        'خ' => 'X',
        'د' | 'ض' | 'ذ' | 'ظ' => 'D',
        'ر' => 'R',
        'ز' => 'Z',
        'س' | 'ص' => 'S',
        'ش' => 'C',
        'غ' => 'G',
        'ف' => 'F',
        'ق' | 'ك' => 'K',
        'ل' => 'L',
        'م' => 'M',
        'ن' => 'N',
        _ => return None,
    })
}

/// `نورالدين` → `نوردين`, `عطاالله` → `عطاله`: Latin spellings assimilate the article of
/// these suffixes (Nureddin, Atallah), so the skeleton drops it on both sides.
fn without_compound_article(t: &str) -> std::borrow::Cow<'_, str> {
    for (suffix, repl) in [("الدين", "دين"), ("الله", "له")] {
        if let Some(stem) = t.strip_suffix(suffix)
            && !stem.is_empty()
        {
            return format!("{stem}{repl}").into();
        }
    }
    t.into()
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'w')
}

/// Appends the skeleton of one loose Latin token.
pub(crate) fn latin(token: &str, out: &mut String) {
    let mut b = token.as_bytes();
    if b.len() > 2 && b[b.len() - 1] == b'h' && is_vowel(b[b.len() - 2]) {
        b = &b[..b.len() - 1];
    }
    let mut last = 0u8;
    let mut i = 0;
    while i < b.len() {
        let next = b.get(i + 1).copied();
        let (k, used) = match (b[i], next) {
            (b's' | b'c', Some(b'h')) => (b'C', 2),
            (b'k', Some(b'h')) => (b'X', 2),
            (b'g', Some(b'h')) => (b'G', 2),
            (b't', Some(b'h')) => (b'T', 2),
            (b'd', Some(b'h')) => (b'D', 2),
            (b'z', Some(b'h')) => (b'J', 2),
            (b'b' | b'p', _) => (b'B', 1),
            (b't', _) => (b'T', 1),
            (b'j', _) => (b'J', 1),
            (b'h', _) => (b'H', 1),
            (b'x', _) => (b'X', 1),
            (b'd', _) => (b'D', 1),
            (b'r', _) => (b'R', 1),
            (b'z', _) => (b'Z', 1),
            (b's', _) => (b'S', 1),
            (b'g', _) => (b'G', 1),
            (b'f' | b'v', _) => (b'F', 1),
            (b'k' | b'q' | b'c', _) => (b'K', 1),
            (b'l', _) => (b'L', 1),
            (b'm', _) => (b'M', 1),
            (b'n', _) => (b'N', 1),
            _ => (0, 1),
        };
        i += used;
        if k != 0 && k != last {
            out.push(char::from(k));
            last = k;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ar(s: &str) -> String {
        let mut o = String::new();
        arabic(s, &mut o);
        o
    }
    fn la(s: &str) -> String {
        let mut o = String::new();
        latin(s, &mut o);
        o
    }

    #[test]
    fn arabic_skeletons() {
        assert_eq!(ar("محمد"), "MHMD");
        assert_eq!(ar("محمود"), "MHMD");
        assert_eq!(ar("عبدالرحمن"), "BDLRHMN");
        assert_eq!(ar("صالح"), "SL");
        assert_eq!(ar("طه"), "TH");
        assert_eq!(ar("عايشه"), "C");
        assert_eq!(ar("عبدالله"), "BDL");
    }

    #[test]
    fn latin_skeletons() {
        assert_eq!(la("muhamid"), "MHMD");
        assert_eq!(la("abdalrahman"), "BDLRHMN");
        assert_eq!(la("salih"), "SL");
        assert_eq!(la("taha"), "TH");
        assert_eq!(la("shaikh"), "CX");
        assert_eq!(la("abdlah"), "BDL");
    }
}
