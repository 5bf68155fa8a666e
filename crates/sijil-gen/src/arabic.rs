//! Arabic-script noise: the spelling habits of clerks and keyboards.
//!
//! Orthographic choices are drawn once per record ([`ArabicStyle`]), because they are habits of
//! the person typing — one clerk never writes the hamza on alef, another joins every عبد
//! compound — and then applied to every name of the record. Typing slips are drawn per name.

use fastrand::Rng;

use crate::rates;
use crate::sample::{chance, pick};
use crate::stats::{GenStats, NoiseKind};

/// How أ and إ are treated in one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alef {
    Kept,
    Dropped,
    Confused,
}

/// One record's orthographic habits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ArabicStyle {
    alef: Alef,
    teh_as_heh: bool,
    maksura_as_yeh: bool,
    yeh_as_maksura: bool,
    hamza_seat: bool,
    joined: bool,
    persian: bool,
    article_drop: bool,
    article_add: bool,
    /// Name field (0–5) that gets diacritics, tatweel or a stray space.
    diacritics: Option<u8>,
    tatweel: Option<u8>,
    space: Option<u8>,
}

impl ArabicStyle {
    /// Draws a record's habits and counts them.
    pub(crate) fn draw(rng: &mut Rng, stats: &mut GenStats) -> Self {
        let mut flag = |kind: NoiseKind, p: f64| {
            let on = chance(rng, p);
            stats.offer(kind, p, on);
            on
        };
        let alef = if flag(NoiseKind::AlefHamzaDropped, rates::ALEF_HAMZA_DROPPED) {
            Alef::Dropped
        } else if flag(NoiseKind::AlefHamzaConfused, rates::ALEF_HAMZA_CONFUSED) {
            Alef::Confused
        } else {
            Alef::Kept
        };
        let teh_as_heh = flag(NoiseKind::TehMarbutaAsHeh, rates::TEH_MARBUTA_AS_HEH);
        let maksura_as_yeh = flag(NoiseKind::AlefMaksuraAsYeh, rates::ALEF_MAKSURA_AS_YEH);
        let yeh_as_maksura = !maksura_as_yeh
            && flag(
                NoiseKind::FinalYehAsAlefMaksura,
                rates::FINAL_YEH_AS_ALEF_MAKSURA,
            );
        let hamza_seat = flag(NoiseKind::HamzaSeat, rates::HAMZA_SEAT);
        let joined = flag(NoiseKind::CompoundJoined, rates::COMPOUND_JOINED);
        let persian = flag(NoiseKind::PersianLetters, rates::PERSIAN_LETTERS);
        let diacritics = flag(NoiseKind::Diacritics, rates::DIACRITICS);
        let tatweel = flag(NoiseKind::Tatweel, rates::TATWEEL);
        let space = flag(NoiseKind::ExtraSpace, rates::EXTRA_SPACE);
        // The article toggles are counted where they apply (a family name with or without ال).
        let article_drop = chance(rng, rates::FAMILY_ARTICLE_DROPPED);
        let article_add = chance(rng, rates::FAMILY_ARTICLE_ADDED);
        let mut field = |on: bool| on.then(|| rng.u8(0..6));
        ArabicStyle {
            alef,
            teh_as_heh,
            maksura_as_yeh,
            yeh_as_maksura,
            hamza_seat,
            joined,
            persian,
            article_drop,
            article_add,
            diacritics: field(diacritics),
            tatweel: field(tatweel),
            space: field(space),
        }
    }
}

/// Letters that do not join the next one; tatweel cannot follow them.
fn non_joining(c: char) -> bool {
    matches!(
        c,
        'ا' | 'أ' | 'إ' | 'آ' | 'د' | 'ذ' | 'ر' | 'ز' | 'و' | 'ؤ' | 'ة' | 'ى' | 'ء' | ' '
    )
}

/// Writes name `src` (field `field`, 0–5) as this record's clerk would, into `out`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn render(
    src: &str,
    field: u8,
    is_family: bool,
    style: &ArabicStyle,
    typo_p: f64,
    rng: &mut Rng,
    buf: &mut Vec<char>,
    out: &mut String,
    stats: &mut GenStats,
) {
    buf.clear();
    // Compounds: عبد الله → عبدالله, نور الدين → نورالدين, أبو زيد → أبوزيد.
    let mut words = src.split(' ').peekable();
    while let Some(w) = words.next() {
        buf.extend(w.chars());
        if let Some(&next) = words.peek() {
            let join =
                style.joined && (w == "عبد" || w == "أبو" || next == "الدين" || next == "الله");
            if !join {
                buf.push(' ');
            }
        }
    }
    if is_family {
        let has_article = buf.len() > 3 && buf[0] == 'ا' && buf[1] == 'ل';
        if has_article && style.article_drop {
            buf.drain(..2);
            stats.count(NoiseKind::FamilyArticleDropped);
        } else if !has_article && style.article_add && !src.starts_with("أبو") {
            buf.splice(0..0, ['ا', 'ل']);
            stats.count(NoiseKind::FamilyArticleAdded);
        }
        if has_article {
            stats.count_opportunity(NoiseKind::FamilyArticleDropped);
        } else if !src.starts_with("أبو") {
            stats.count_opportunity(NoiseKind::FamilyArticleAdded);
        }
    }
    fold(style, buf);
    let slip = chance(rng, typo_p);
    stats.offer(NoiseKind::ArabicTypo, typo_p, slip);
    if slip {
        typo(rng, buf);
    }
    if style.diacritics == Some(field) {
        diacritics(rng, buf);
    }
    if style.tatweel == Some(field) {
        tatweel(rng, buf);
    }
    if style.space == Some(field) {
        match buf.iter().position(|&c| c == ' ') {
            Some(i) if rng.bool() => buf.insert(i, ' '),
            _ => buf.push(' '),
        }
    }
    out.extend(buf.iter());
}

/// Writes a place name with the record's compound and letter habits (no slips: places are
/// usually picked from a list).
pub(crate) fn render_place(src: &str, style: &ArabicStyle, buf: &mut Vec<char>, out: &mut String) {
    buf.clear();
    buf.extend(src.chars());
    fold(style, buf);
    out.extend(buf.iter());
}

/// Applies the record's letter habits in place.
fn fold(style: &ArabicStyle, buf: &mut Vec<char>) {
    let n = buf.len();
    let mut write = 0;
    let mut word_start = 0;
    for read in 0..n {
        let c = buf[read];
        let is_final = read + 1 == n || buf[read + 1] == ' ';
        let prev = if read > word_start {
            Some(buf[read - 1])
        } else {
            None
        };
        let word_len = read + 1 - word_start;
        let mapped = match c {
            ' ' => {
                word_start = read + 1;
                Some(' ')
            }
            'أ' | 'إ' | 'آ' => Some(match style.alef {
                Alef::Kept => c,
                Alef::Dropped => 'ا',
                Alef::Confused => match c {
                    'أ' => 'إ',
                    _ => 'أ',
                },
            }),
            'ة' if is_final && style.teh_as_heh => Some('ه'),
            'ى' if style.maksura_as_yeh => Some('ي'),
            'ي' if is_final && style.yeh_as_maksura && word_len > 2 => Some('ى'),
            'ئ' if style.hamza_seat => Some('ي'),
            'ؤ' if style.hamza_seat => Some('و'),
            'ء' if style.hamza_seat && is_final && prev == Some('ا') => None,
            'ي' if style.persian => Some('ی'),
            'ك' if style.persian => Some('ک'),
            _ => Some(c),
        };
        if let Some(m) = mapped {
            buf[write] = m;
            write += 1;
        }
    }
    buf.truncate(write);
}

/// The standard Arabic (101) keyboard, by rows; used for adjacent-key slips.
const KEY_ROWS: [&str; 3] = ["ضصثقفغعهخحجد", "شسيبلاتنمكط", "ئءؤرلاىةوزظ"];
/// Horizontal offset of each row, in key widths.
const ROW_OFFSET: [f64; 3] = [0.0, 0.25, 0.75];

fn key_position(c: char) -> Option<(usize, f64)> {
    let c = match c {
        'أ' | 'إ' | 'آ' => 'ا',
        other => other,
    };
    KEY_ROWS.iter().enumerate().find_map(|(r, row)| {
        row.chars()
            .position(|k| k == c)
            .map(|col| (r, col as f64 + ROW_OFFSET[r]))
    })
}

/// A key next to `c`, or `c` itself when it is not on the keyboard.
fn neighbour(rng: &mut Rng, c: char) -> char {
    let Some((row, x)) = key_position(c) else {
        return c;
    };
    let mut near: [char; 8] = ['\0'; 8];
    let mut n = 0;
    for (r, keys) in KEY_ROWS.iter().enumerate() {
        if r.abs_diff(row) > 1 {
            continue;
        }
        for (col, k) in keys.chars().enumerate() {
            let dx = (col as f64 + ROW_OFFSET[r] - x).abs();
            let adjacent = if r == row {
                (dx - 1.0).abs() < 1e-9
            } else {
                dx <= 0.75
            };
            if adjacent && n < near.len() {
                near[n] = k;
                n += 1;
            }
        }
    }
    if n == 0 { c } else { near[rng.usize(..n)] }
}

#[derive(Clone, Copy)]
enum Slip {
    Adjacent,
    Deletion,
    Doubling,
    Transposition,
}

/// One typing slip on a letter (never on a space); names of under three letters are left alone.
pub(crate) fn typo(rng: &mut Rng, buf: &mut Vec<char>) {
    let letters: usize = buf.iter().filter(|&&c| c != ' ').count();
    if letters < 3 {
        return;
    }
    let mut i = rng.usize(..buf.len());
    while buf[i] == ' ' {
        i = (i + 1) % buf.len();
    }
    let slip = pick(
        rng,
        &[
            (Slip::Adjacent, 0.40),
            (Slip::Deletion, 0.25),
            (Slip::Doubling, 0.20),
            (Slip::Transposition, 0.15),
        ],
    );
    match slip {
        Slip::Adjacent => {
            let k = neighbour(rng, buf[i]);
            if k == buf[i] {
                buf.remove(i);
            } else {
                buf[i] = k;
            }
        }
        Slip::Deletion => {
            buf.remove(i);
        }
        Slip::Doubling => buf.insert(i, buf[i]),
        Slip::Transposition => {
            if i + 1 < buf.len() && buf[i + 1] != ' ' && buf[i + 1] != buf[i] {
                buf.swap(i, i + 1);
            } else if i > 0 && buf[i - 1] != ' ' && buf[i - 1] != buf[i] {
                buf.swap(i - 1, i);
            } else {
                buf.remove(i);
            }
        }
    }
}

/// Partial vocalisation: one to three harakat after random letters.
fn diacritics(rng: &mut Rng, buf: &mut Vec<char>) {
    const MARKS: [char; 5] = ['\u{064E}', '\u{064F}', '\u{0650}', '\u{0652}', '\u{0651}'];
    for _ in 0..rng.usize(1..=3) {
        let i = rng.usize(..buf.len());
        if buf[i] != ' ' && !('\u{064B}'..='\u{0652}').contains(&buf[i]) {
            buf.insert(i + 1, MARKS[rng.usize(..MARKS.len())]);
        }
    }
}

/// Tatweel after a joining letter inside a word (محمـــد).
fn tatweel(rng: &mut Rng, buf: &mut Vec<char>) {
    let spots: Vec<usize> = (0..buf.len().saturating_sub(1))
        .filter(|&i| !non_joining(buf[i]) && buf[i + 1] != ' ')
        .collect();
    if spots.is_empty() {
        return;
    }
    let i = spots[rng.usize(..spots.len())];
    for _ in 0..rng.usize(1..=3) {
        buf.insert(i + 1, 'ـ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style() -> ArabicStyle {
        ArabicStyle {
            alef: Alef::Kept,
            teh_as_heh: false,
            maksura_as_yeh: false,
            yeh_as_maksura: false,
            hamza_seat: false,
            joined: false,
            persian: false,
            article_drop: false,
            article_add: false,
            diacritics: None,
            tatweel: None,
            space: None,
        }
    }

    fn run(src: &str, s: &ArabicStyle, family: bool) -> String {
        let mut rng = Rng::with_seed(1);
        let mut out = String::new();
        let mut stats = GenStats::default();
        render(
            src,
            0,
            family,
            s,
            0.0,
            &mut rng,
            &mut Vec::new(),
            &mut out,
            &mut stats,
        );
        out
    }

    #[test]
    fn habits_produce_the_documented_variants() {
        let mut s = style();
        assert_eq!(run("عبد الرحمن", &s, false), "عبد الرحمن");
        s.joined = true;
        assert_eq!(run("عبد الرحمن", &s, false), "عبدالرحمن");
        assert_eq!(run("نور الدين", &s, false), "نورالدين");
        s.alef = Alef::Dropped;
        assert_eq!(run("إبراهيم", &s, false), "ابراهيم");
        s.teh_as_heh = true;
        s.maksura_as_yeh = true;
        assert_eq!(run("فاطمة", &s, false), "فاطمه");
        assert_eq!(run("مصطفى", &s, false), "مصطفي");
        s.hamza_seat = true;
        assert_eq!(run("وائل", &s, false), "وايل");
        assert_eq!(run("علاء", &s, false), "علا");
        s.article_drop = true;
        assert_eq!(run("الحلبي", &s, true), "حلبي");
        assert_eq!(run("الحلبي", &s, false), "الحلبي");
    }

    #[test]
    fn slips_change_the_name_a_little() {
        let mut rng = Rng::with_seed(3);
        for _ in 0..500 {
            let mut buf: Vec<char> = "محمود".chars().collect();
            typo(&mut rng, &mut buf);
            let len = buf.len() as i64;
            assert!((len - 5).abs() <= 1);
            assert_ne!(buf.iter().collect::<String>(), "");
        }
    }

    #[test]
    fn neighbours_are_on_the_keyboard() {
        let mut rng = Rng::with_seed(4);
        for _ in 0..100 {
            let k = neighbour(&mut rng, 'س');
            assert!(['ش', 'ي', 'ص', 'ث', 'ض', 'ئ', 'ء', 'ؤ'].contains(&k), "{k}");
        }
    }
}
