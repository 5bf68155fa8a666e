//! Latin-script names: this generator's own transliteration from the phonemic forms.
//!
//! Four conventions ([`Scheme`]) each spell every sound in several weighted ways, with
//! context rules where practice differs (French `ss` between vowels and `-ine` endings, Turkish
//! final devoicing, German `j` for y). Articles and compounds have their own patterns
//! (Al-Halabi, El Halabi, Halabi; Abdulrahman, Abdel Rahman, Abderrahmane; Nour al-Din,
//! Noureddine, Nurettin). Frequent names use an established spelling most of the time
//! ([`crate::rates::LATIN_ESTABLISHED_SPELLING`]). The source of a record picks the scheme.

use fastrand::Rng;

mod spelling;

use crate::data::Name;
use crate::rates::{self, Scheme};
use crate::sample::{chance, pick, pick_spelling};
use crate::stats::{GenStats, NoiseKind};
use spelling::{
    Choices, abd_allah, abd_prefix, consonant_choices, diphthong_choices, gemination,
    inner_article, leading_article, main_spelling, marbuta_choices, vowel_choices, x_allah,
};

/// The column of a scheme in the four-spelling tables.
pub(crate) fn column(scheme: Scheme) -> usize {
    match scheme {
        Scheme::English => 0,
        Scheme::French => 1,
        Scheme::German => 2,
        Scheme::Turkish => 3,
    }
}

/// A phonemic unit: consonant (geminated or not), vowel (long or not), or ة with its vowel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    C(u8, bool),
    V(u8, bool),
    Marbuta,
}

fn tokenize(word: &str, toks: &mut Vec<Tok>) {
    toks.clear();
    let b = word.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let doubled = i + 1 < b.len() && b[i + 1] == c;
        match c {
            b'a' if b.get(i + 1) == Some(&b'@') => {
                toks.push(Tok::Marbuta);
                i += 2;
            }
            b'a' | b'i' | b'u' | b'e' | b'o' => {
                toks.push(Tok::V(c, doubled));
                i += 1 + doubled as usize;
            }
            b'@' | b'-' => i += 1,
            _ => {
                toks.push(Tok::C(c, doubled));
                i += 1 + doubled as usize;
            }
        }
    }
}

fn is_vowel(t: Option<Tok>) -> bool {
    matches!(t, Some(Tok::V(..)) | Some(Tok::Marbuta))
}

/// Letters the article assimilates to (ad-Din, ar-Rahman).
fn is_sun(c: u8) -> bool {
    b"tVdQrzscSDTZln".contains(&c)
}

/// Spells one word (no article, no spaces), lowercase, into `s`.
fn word(core: &str, scheme: Scheme, rng: &mut Rng, s: &mut String, toks: &mut Vec<Tok>) {
    tokenize(core, toks);
    let n = toks.len();
    let mut k = 0;
    while k < n {
        let prev = if k > 0 { Some(toks[k - 1]) } else { None };
        let next = toks.get(k + 1).copied();
        let last = k + 1 == n;
        match toks[k] {
            Tok::V(b'a', false)
                if matches!(next, Some(Tok::C(b'y' | b'w', false)))
                    && !is_vowel(toks.get(k + 2).copied()) =>
            {
                let Some(Tok::C(w, _)) = next else {
                    unreachable!()
                };
                s.push_str(pick(rng, diphthong_choices(w, scheme)));
                k += 2;
                continue;
            }
            Tok::V(v, long) => {
                let after_glottal = matches!(prev, Some(Tok::C(b'\'' | b'3', _)));
                let choices: Choices = if v == b'a' && long && next == Some(Tok::C(b'\'', false)) {
                    // Final -aa' (علاء, أسماء): the long vowel is often kept doubled.
                    match scheme {
                        Scheme::Turkish => &[("a", 1.0)],
                        _ => &[("aa", 0.6), ("a", 0.4)],
                    }
                } else if v == b'a' && long && last {
                    // Final ى / ا (مصطفى, موسى): a single a.
                    &[("a", 0.95), ("aa", 0.05)]
                } else if v == b'a' && !long && k == 0 && scheme != Scheme::Turkish {
                    &[("a", 0.95), ("e", 0.05)]
                } else if v == b'i' && !long && after_glottal && scheme != Scheme::Turkish {
                    // وائل → Wael, رائد → Raed.
                    &[("e", 0.6), ("i", 0.4)]
                } else {
                    vowel_choices(v, long, scheme)
                };
                s.push_str(pick(rng, choices));
            }
            Tok::Marbuta => s.push_str(pick(rng, marbuta_choices(scheme))),
            Tok::C(c @ (b'3' | b'\''), _) => {
                if k > 0 {
                    glottal(c, prev, next, scheme, rng, s);
                }
            }
            Tok::C(c, gem) => {
                let intervocalic = is_vowel(prev) && is_vowel(next);
                let mut spelled = pick(rng, consonant_choices(c, scheme));
                if k == 0 && spelled == "ğ" {
                    // Turkish ğ never starts a word: Gazi, not Ğazi.
                    spelled = "g";
                }
                if matches!(c, b's' | b'S') && intervocalic && !gem {
                    let p = match scheme {
                        Scheme::French => 0.7,
                        Scheme::German => 0.3,
                        Scheme::English => 0.1,
                        Scheme::Turkish => 0.0,
                    };
                    if chance(rng, p) {
                        spelled = "ss";
                    }
                }
                if scheme == Scheme::Turkish && last && !gem {
                    spelled = match c {
                        b'd' if chance(rng, 0.7) => "t",
                        b'b' if chance(rng, 0.6) => "p",
                        b'j' if chance(rng, 0.5) => "ç",
                        _ => spelled,
                    };
                }
                s.push_str(spelled);
                if gem && spelled.len() == 1 && chance(rng, gemination(scheme)) {
                    s.push_str(spelled);
                }
                if scheme == Scheme::French
                    && c == b'n'
                    && last
                    && matches!(prev, Some(Tok::V(b'i' | b'a', true)))
                    && chance(rng, 0.5)
                {
                    s.push('e');
                }
            }
        }
        k += 1;
    }
}

/// ع and ء inside a word.
fn glottal(
    c: u8,
    prev: Option<Tok>,
    next: Option<Tok>,
    scheme: Scheme,
    rng: &mut Rng,
    s: &mut String,
) {
    let choices: Choices = match (scheme, is_vowel(prev), is_vowel(next)) {
        (Scheme::Turkish, _, _) => &[("", 0.85), ("'", 0.15)],
        // Between vowels: سعيد → Saeed / Said / Sa'id.
        (_, true, true) => &[("", 0.75), ("'", 0.25)],
        // After a long vowel at the end: ربيع → Rabie / Rabih / Rabi.
        (_, true, false) if matches!(prev, Some(Tok::V(_, true))) => {
            &[("", 0.5), ("e", 0.2), ("h", 0.2), ("'", 0.1)]
        }
        // After a short vowel, before a consonant: سعد → Saad / Sad / Sa'd.
        (_, true, false) if c == b'3' => &[("a", 0.45), ("", 0.35), ("'", 0.2)],
        (_, true, false) => &[("", 0.6), ("'", 0.2), ("a", 0.2)],
        (_, false, _) => &[("", 0.75), ("'", 0.25)],
    };
    s.push_str(pick(rng, choices));
}

/// Renders an article pattern. `#v` stands for the vowel `v` plus the assimilated first
/// consonant of the next word (ad-, ed, ur); when that consonant is not a sun letter, `vl`.
fn article(pattern: &str, next_core: &str, scheme: Scheme, s: &mut String) {
    let first = next_core.as_bytes().first().copied().unwrap_or(b'a');
    let mut chars = pattern.chars();
    while let Some(ch) = chars.next() {
        if ch == '#' {
            let v = chars.next().unwrap_or('a');
            s.push(v);
            if is_sun(first) {
                s.push_str(main_spelling(first, scheme));
            } else {
                s.push('l');
            }
        } else {
            s.push(ch);
        }
    }
}

/// Transliterates a phonemic name by the rules, lowercase, into `s`.
pub(crate) fn transliterate(
    ph: &str,
    scheme: Scheme,
    rng: &mut Rng,
    s: &mut String,
    toks: &mut Vec<Tok>,
) {
    let mut words: [&str; 8] = [""; 8];
    let mut n = 0;
    for w in ph.split(' ') {
        if n < words.len() {
            words[n] = w;
            n += 1;
        }
    }
    let mut i = 0;
    let mut glue = false;
    while i < n {
        let (has_article, core) = match words[i].strip_prefix("al-") {
            Some(c) => (true, c),
            None => (false, words[i]),
        };
        let sep = |s: &mut String, glue: bool| {
            if !s.is_empty() && !glue {
                s.push(' ');
            }
        };
        if core == "3abd" && i + 1 < n {
            if has_article && i == 0 {
                article(pick(rng, leading_article(scheme)), core, scheme, s);
            } else {
                sep(s, glue);
            }
            let next = words[i + 1];
            if next == "allaah" {
                s.push_str(pick(rng, abd_allah(scheme)));
            } else {
                let inner = next.strip_prefix("al-").unwrap_or(next);
                article(pick(rng, abd_prefix(scheme)), inner, scheme, s);
                word(inner, scheme, rng, s, toks);
            }
            glue = false;
            i += 2;
            continue;
        }
        if core == "allaah" && i > 0 {
            s.push_str(pick(rng, x_allah(scheme)));
            glue = false;
            i += 1;
            continue;
        }
        if has_article {
            let pattern = if i == 0 {
                pick(rng, leading_article(scheme))
            } else {
                pick(rng, inner_article(scheme))
            };
            article(pattern, core, scheme, s);
        } else {
            sep(s, glue);
        }
        word(core, scheme, rng, s, toks);
        glue = core == "abuu" && chance(rng, 0.12);
        i += 1;
    }
}

/// Capitalises the first letter after a space or hyphen (Turkish: i → İ).
pub(crate) fn title_case(src: &str, scheme: Scheme, out: &mut String) {
    let mut start = true;
    for ch in src.chars() {
        if start {
            push_upper(ch, scheme, out);
        } else {
            out.push(ch);
        }
        start = ch == ' ' || ch == '-';
    }
}

/// Pushes the capital of `ch` (Turkish dotted and dotless i kept apart).
pub(crate) fn push_upper(ch: char, scheme: Scheme, out: &mut String) {
    match (ch, scheme) {
        ('i', Scheme::Turkish) => out.push('İ'),
        ('ı', _) => out.push('I'),
        _ => out.extend(ch.to_uppercase()),
    }
}

/// Writes a name in Latin letters: an established spelling or the rules.
pub(crate) fn render_name(
    name: &Name,
    scheme: Scheme,
    rng: &mut Rng,
    scratch: &mut String,
    toks: &mut Vec<Tok>,
    out: &mut String,
    stats: &mut GenStats,
) {
    if let Some(cells) = name.latin {
        let p = rates::LATIN_ESTABLISHED_SPELLING;
        let established = chance(rng, p);
        stats.offer(NoiseKind::LatinEstablishedSpelling, p, established);
        if established {
            out.push_str(pick_spelling(rng, cells[column(scheme)]));
            return;
        }
    }
    scratch.clear();
    transliterate(name.ph, scheme, rng, scratch, toks);
    title_case(scratch, scheme, out);
}

const QWERTY: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

/// One typing slip in a Latin name, on an ASCII letter.
pub(crate) fn typo(rng: &mut Rng, s: &mut String) {
    let letters: Vec<usize> = s
        .char_indices()
        .filter(|(_, c)| c.is_ascii_alphabetic())
        .map(|(i, _)| i)
        .collect();
    if letters.len() < 3 {
        return;
    }
    let i = letters[rng.usize(..letters.len())];
    let c = s.as_bytes()[i] as char;
    let upper = c.is_ascii_uppercase();
    let lower = c.to_ascii_lowercase();
    match rng.u8(0..4) {
        0 => {
            let (r, row) = QWERTY
                .iter()
                .enumerate()
                .find(|(_, row)| row.contains(lower))
                .expect("ASCII letters are on the keyboard");
            let col = row.find(lower).expect("found");
            let mut near: Vec<u8> = Vec::with_capacity(4);
            if col > 0 {
                near.push(row.as_bytes()[col - 1]);
            }
            if col + 1 < row.len() {
                near.push(row.as_bytes()[col + 1]);
            }
            for other in [r.wrapping_sub(1), r + 1] {
                if let Some(o) = QWERTY.get(other).and_then(|o| o.as_bytes().get(col)) {
                    near.push(*o);
                }
            }
            let k = near[rng.usize(..near.len())] as char;
            let k = if upper { k.to_ascii_uppercase() } else { k };
            s.replace_range(i..i + 1, k.encode_utf8(&mut [0; 4]));
        }
        1 => {
            s.remove(i);
        }
        2 => s.insert(i, c),
        _ => {
            if let Some(&j) = letters.iter().find(|&&j| j == i + 1) {
                let b = s.as_bytes()[j] as char;
                s.replace_range(i..j + 1, &format!("{b}{c}"));
            } else {
                s.remove(i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn many(ph: &str, scheme: Scheme) -> Vec<String> {
        let mut rng = Rng::with_seed(11);
        let mut toks = Vec::new();
        (0..400)
            .map(|_| {
                let mut s = String::new();
                transliterate(ph, scheme, &mut rng, &mut s, &mut toks);
                let mut out = String::new();
                title_case(&s, scheme, &mut out);
                out
            })
            .collect()
    }

    #[test]
    fn rules_give_the_usual_spellings() {
        let en = many("xaalid", Scheme::English);
        assert!(en.iter().any(|s| s == "Khalid") && en.iter().any(|s| s == "Khaled"));
        let tr = many("xaalid", Scheme::Turkish);
        assert!(tr.iter().any(|s| s == "Halit"), "{tr:?}");
        let fr = many("caadii", Scheme::French);
        assert!(fr.iter().all(|s| s.starts_with("Ch")), "{fr:?}");
        let de = many("caadii", Scheme::German);
        assert!(de.iter().any(|s| s == "Schadi"), "{de:?}");
        let tr = many("jamaal", Scheme::Turkish);
        assert!(tr.iter().any(|s| s == "Cemal"), "{tr:?}");
        let en = many("Husayn", Scheme::English);
        assert!(
            en.iter().any(|s| s == "Husain") && en.iter().any(|s| s == "Husein"),
            "{en:?}"
        );
        let en = many("waa'il", Scheme::English);
        assert!(en.iter().any(|s| s == "Wael"), "{en:?}");
    }

    #[test]
    fn articles_and_compounds_vary() {
        let en = many("al-Halabii", Scheme::English);
        for form in ["Al-Halabi", "Halabi", "Al Halabi", "Alhalabi"] {
            assert!(en.iter().any(|s| s == form), "{form} missing from {en:?}");
        }
        let en = many("3abd al-raHmaan", Scheme::English);
        for form in [
            "Abdulrahman",
            "Abdul Rahman",
            "Abd Al-Rahman",
            "Abdurrahman",
        ] {
            assert!(en.iter().any(|s| s == form), "{form} missing from {en:?}");
        }
        let fr = many("nuur al-diin", Scheme::French);
        assert!(fr.iter().any(|s| s == "Noureddine"), "{fr:?}");
        let tr = many("fatH allaah", Scheme::Turkish);
        assert!(
            tr.iter().any(|s| s == "Fethullah" || s == "Fatullah"),
            "{tr:?}"
        );
    }

    #[test]
    fn turkish_capitals_keep_the_dot() {
        let mut out = String::new();
        title_case("ibrahim", Scheme::Turkish, &mut out);
        assert_eq!(out, "İbrahim");
    }

    #[test]
    fn latin_slips_stay_small() {
        let mut rng = Rng::with_seed(2);
        for _ in 0..300 {
            let mut s = String::from("Mohammed");
            typo(&mut rng, &mut s);
            assert!((s.len() as i64 - 8).abs() <= 1, "{s}");
        }
    }
}
