//! Spelling tables: how each convention writes each sound, article and compound.
//!
//! Each entry lists `(spelling, weight)`; [`crate::sample::pick`] chooses among them. These
//! are this generator's own choices, from general knowledge of how Syrian names appear on
//! English, French, German and Turkish papers.

use crate::rates::Scheme;

/// Weighted spellings.
pub(super) type Choices = &'static [(&'static str, f64)];

/// The main spellings of a consonant.
pub(super) fn consonant_choices(c: u8, s: Scheme) -> Choices {
    use Scheme::*;
    match (c, s) {
        (b'V', English) => &[("th", 0.8), ("s", 0.1), ("t", 0.1)],
        (b'V', French) => &[("th", 0.7), ("t", 0.3)],
        (b'V', German) => &[("th", 0.6), ("s", 0.4)],
        (b'V', Turkish) => &[("s", 1.0)],
        (b'j', English) => &[("j", 0.95), ("g", 0.05)],
        (b'j', French) => &[("dj", 0.5), ("j", 0.5)],
        (b'j', German) => &[("dsch", 0.3), ("dj", 0.2), ("j", 0.5)],
        (b'j', Turkish) => &[("c", 1.0)],
        (b'H', _) | (b'h', _) => &[("h", 1.0)],
        (b'x', German) => &[("ch", 0.5), ("kh", 0.5)],
        (b'x', Turkish) => &[("h", 1.0)],
        (b'x', _) => &[("kh", 1.0)],
        (b'Q', English) => &[("dh", 0.5), ("z", 0.3), ("th", 0.2)],
        (b'Q', French) => &[("dh", 0.5), ("z", 0.5)],
        (b'Q', German) => &[("dh", 0.4), ("z", 0.4), ("s", 0.2)],
        (b'Q', Turkish) => &[("z", 1.0)],
        (b'z', German) => &[("z", 0.8), ("s", 0.2)],
        (b'c', English) => &[("sh", 1.0)],
        (b'c', French) => &[("ch", 1.0)],
        (b'c', German) => &[("sch", 0.7), ("sh", 0.3)],
        (b'c', Turkish) => &[("ş", 1.0)],
        (b'S', _) => &[("s", 1.0)],
        (b'D', English) => &[("d", 0.7), ("dh", 0.3)],
        (b'D', Turkish) => &[("d", 0.7), ("z", 0.3)],
        (b'D', _) => &[("d", 1.0)],
        (b'T', _) => &[("t", 1.0)],
        (b'Z', English) | (b'Z', French) => &[("z", 0.5), ("dh", 0.5)],
        (b'Z', _) => &[("z", 1.0)],
        (b'g', French) => &[("gh", 0.8), ("r", 0.2)],
        (b'g', German) => &[("gh", 0.8), ("g", 0.2)],
        (b'g', Turkish) => &[("ğ", 0.5), ("g", 0.5)],
        (b'g', _) => &[("gh", 1.0)],
        (b'q', English) => &[("q", 0.5), ("k", 0.5)],
        (b'q', French) => &[("k", 0.7), ("q", 0.3)],
        (b'q', German) => &[("k", 0.8), ("q", 0.2)],
        (b'q', Turkish) => &[("k", 1.0)],
        (b'w', French) => &[("w", 0.8), ("ou", 0.2)],
        (b'w', Turkish) => &[("v", 1.0)],
        (b'y', German) => &[("y", 0.6), ("j", 0.4)],
        (b'b', _) => &[("b", 1.0)],
        (b't', _) => &[("t", 1.0)],
        (b'd', _) => &[("d", 1.0)],
        (b'r', _) => &[("r", 1.0)],
        (b'z', _) => &[("z", 1.0)],
        (b's', _) => &[("s", 1.0)],
        (b'f', _) => &[("f", 1.0)],
        (b'k', _) => &[("k", 1.0)],
        (b'l', _) => &[("l", 1.0)],
        (b'm', _) => &[("m", 1.0)],
        (b'n', _) => &[("n", 1.0)],
        (b'w', _) => &[("w", 1.0)],
        (b'y', _) => &[("y", 1.0)],
        (b'p', _) => &[("p", 1.0)],
        (b'v', _) => &[("v", 1.0)],
        _ => &[("", 1.0)],
    }
}

/// The most usual spelling of a consonant (for assimilated articles: ad-Din, Eş-Şami).
pub(super) fn main_spelling(c: u8, s: Scheme) -> &'static str {
    consonant_choices(c, s)[0].0
}

/// The spellings of a vowel, short or long.
pub(super) fn vowel_choices(v: u8, long: bool, s: Scheme) -> Choices {
    use Scheme::*;
    match (v, long, s) {
        (b'a', false, English) => &[("a", 0.9), ("e", 0.1)],
        (b'a', false, French) => &[("a", 0.75), ("e", 0.25)],
        (b'a', false, German) => &[("a", 0.9), ("e", 0.1)],
        (b'a', false, Turkish) => &[("a", 0.55), ("e", 0.45)],
        (b'i', false, English) => &[("i", 0.7), ("e", 0.3)],
        (b'i', false, French) => &[("i", 0.65), ("e", 0.35)],
        (b'i', false, German) => &[("i", 0.75), ("e", 0.25)],
        (b'i', false, Turkish) => &[("i", 0.75), ("e", 0.15), ("ı", 0.1)],
        (b'u', false, English) => &[("u", 0.55), ("o", 0.45)],
        (b'u', false, French) => &[("ou", 0.6), ("o", 0.3), ("u", 0.1)],
        (b'u', false, German) => &[("u", 0.7), ("o", 0.3)],
        (b'u', false, Turkish) => &[("u", 0.5), ("ü", 0.25), ("o", 0.25)],
        (b'a', true, English) => &[("a", 0.92), ("aa", 0.08)],
        (b'a', true, German) => &[("a", 0.9), ("aa", 0.1)],
        (b'a', true, _) => &[("a", 1.0)],
        (b'i', true, English) => &[("i", 0.6), ("ee", 0.35), ("ie", 0.05)],
        (b'i', true, German) => &[("i", 0.6), ("ie", 0.4)],
        (b'i', true, _) => &[("i", 1.0)],
        (b'u', true, English) => &[("u", 0.45), ("ou", 0.3), ("oo", 0.25)],
        (b'u', true, French) => &[("ou", 1.0)],
        (b'u', true, German) => &[("u", 0.8), ("ou", 0.2)],
        (b'u', true, Turkish) => &[("u", 0.7), ("ü", 0.3)],
        (b'e', _, _) => &[("e", 1.0)],
        (b'o', _, _) => &[("o", 1.0)],
        _ => &[("a", 1.0)],
    }
}

/// The spellings of ay / aw.
pub(super) fn diphthong_choices(w: u8, s: Scheme) -> Choices {
    use Scheme::*;
    match (w, s) {
        (b'y', English) => &[("ai", 0.3), ("ay", 0.3), ("ei", 0.3), ("ey", 0.1)],
        (b'y', French) => &[("ei", 0.4), ("ai", 0.4), ("ay", 0.2)],
        (b'y', German) => &[("ai", 0.4), ("ei", 0.4), ("ay", 0.2)],
        (b'y', Turkish) => &[("ey", 0.7), ("ay", 0.3)],
        (_, English) => &[("aw", 0.5), ("ou", 0.2), ("o", 0.2), ("au", 0.1)],
        (_, French) => &[("aou", 0.3), ("ou", 0.3), ("aw", 0.2), ("o", 0.2)],
        (_, German) => &[("au", 0.4), ("aw", 0.4), ("o", 0.2)],
        (_, Turkish) => &[("ev", 0.5), ("av", 0.3), ("o", 0.2)],
    }
}

/// The spellings of final -a with ة.
pub(super) fn marbuta_choices(s: Scheme) -> Choices {
    match s {
        Scheme::English => &[("a", 0.6), ("ah", 0.2), ("eh", 0.15), ("e", 0.05)],
        Scheme::French => &[("a", 0.75), ("e", 0.2), ("ah", 0.05)],
        Scheme::German => &[("a", 0.8), ("ah", 0.1), ("e", 0.1)],
        Scheme::Turkish => &[("e", 0.5), ("a", 0.5)],
    }
}

/// Probability that a geminated consonant is written double.
pub(super) fn gemination(s: Scheme) -> f64 {
    match s {
        Scheme::English => 0.75,
        Scheme::French => 0.6,
        Scheme::German => 0.7,
        Scheme::Turkish => 0.5,
    }
}

/// Article patterns at the start of a name (family names, places): Al-, Al , El , none.
pub(super) fn leading_article(scheme: Scheme) -> Choices {
    match scheme {
        Scheme::English => &[
            ("al-", 0.33),
            ("al ", 0.15),
            ("al", 0.10),
            ("", 0.28),
            ("el-", 0.05),
            ("el ", 0.04),
            ("#a-", 0.05),
        ],
        Scheme::French => &[
            ("el ", 0.28),
            ("el-", 0.10),
            ("al ", 0.15),
            ("", 0.35),
            ("al-", 0.08),
            ("#e", 0.04),
        ],
        Scheme::German => &[
            ("al-", 0.40),
            ("al ", 0.15),
            ("", 0.33),
            ("el-", 0.08),
            ("#a-", 0.04),
        ],
        Scheme::Turkish => &[
            ("", 0.60),
            ("el ", 0.22),
            ("al ", 0.08),
            ("el-", 0.06),
            ("#e", 0.04),
        ],
    }
}

/// Article patterns inside a compound, separator included: Nour al-Din, Noureddine.
pub(super) fn inner_article(scheme: Scheme) -> Choices {
    match scheme {
        Scheme::English => &[
            (" al-", 0.28),
            (" al ", 0.10),
            ("al", 0.12),
            (" el-", 0.05),
            ("#u", 0.10),
            ("#e", 0.15),
            (" #a-", 0.15),
            (" ", 0.05),
        ],
        Scheme::French => &[
            ("#e", 0.45),
            (" #e", 0.15),
            (" el ", 0.15),
            (" al-", 0.10),
            ("el", 0.15),
        ],
        Scheme::German => &[(" al-", 0.40), (" #a-", 0.20), ("#u", 0.20), (" al ", 0.20)],
        Scheme::Turkish => &[
            ("#e", 0.55),
            ("#ü", 0.10),
            ("ül", 0.10),
            (" el-", 0.15),
            ("#i", 0.10),
        ],
    }
}

/// How عبد joins the article of the divine name: Abdul, Abdel, Abd al-, Abdur.
pub(super) fn abd_prefix(scheme: Scheme) -> Choices {
    match scheme {
        Scheme::English => &[
            ("abdul", 0.30),
            ("abdul ", 0.20),
            ("abd al-", 0.12),
            ("abdel", 0.08),
            ("abdel ", 0.07),
            ("abd ", 0.05),
            ("abdal", 0.05),
            ("abd#u", 0.10),
            ("abd el-", 0.03),
        ],
        Scheme::French => &[
            ("abdel", 0.35),
            ("abdel ", 0.25),
            ("abd el ", 0.10),
            ("abd#e", 0.20),
            ("abdul", 0.10),
        ],
        Scheme::German => &[
            ("abdul", 0.35),
            ("abdul ", 0.25),
            ("abdel", 0.15),
            ("abd al-", 0.15),
            ("abd#u", 0.10),
        ],
        Scheme::Turkish => &[("abdül", 0.35), ("abdul", 0.30), ("abd#u", 0.35)],
    }
}

/// Spellings of عبد الله.
pub(super) fn abd_allah(scheme: Scheme) -> Choices {
    match scheme {
        Scheme::English => &[
            ("abdullah", 0.55),
            ("abdallah", 0.25),
            ("abdulla", 0.1),
            ("abd allah", 0.1),
        ],
        Scheme::French => &[("abdallah", 0.5), ("abdellah", 0.3), ("abdullah", 0.2)],
        Scheme::German => &[("abdullah", 0.6), ("abdallah", 0.4)],
        Scheme::Turkish => &[("abdullah", 0.9), ("abdulla", 0.1)],
    }
}

/// How الله follows another word: Fathallah, Fath Allah, Fethullah.
pub(super) fn x_allah(scheme: Scheme) -> Choices {
    match scheme {
        Scheme::English => &[
            ("allah", 0.45),
            (" allah", 0.35),
            ("ullah", 0.1),
            ("alla", 0.1),
        ],
        Scheme::French => &[("allah", 0.6), (" allah", 0.4)],
        Scheme::German => &[("allah", 0.5), (" allah", 0.5)],
        Scheme::Turkish => &[("ullah", 0.6), ("allah", 0.4)],
    }
}
