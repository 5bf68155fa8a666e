//! Per-field comparison levels (arabic-names.md §4, "Recommended per-field comparison levels").

use crate::Script;
use crate::key::{NameKey, Token};
use crate::skeleton::arabic_class as class;
use crate::variants::intersects;

/// The most edits [`Comparison::edits`] counts; more are reported as this value.
pub const MAX_EDITS: u8 = 3;

/// How strongly two names agree. Levels are categories for a Fellegi–Sunter model, which
/// learns a weight for each; they are ordered from no agreement to identity (`Null` first),
/// so `level >= Level::KnownVariant` reads "the same name". `Null` is missing evidence, not
/// disagreement: give it weight zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// One side has no usable name (empty, or only marks, punctuation and invisible
    /// characters).
    Null,
    /// Nothing in common that spelling can explain: different skeletons, or different token
    /// counts with different skeletons.
    Different,
    /// Consonant skeletons are equal, but nothing else says the names are one: either the
    /// dictionary knows both as different names (`محمد`/`محمود`, `حسن`/Hussein, `علاء`/`علا`),
    /// or the spellings differ in a way that usually makes another name (a long vowel letter,
    /// ع or ء: `حسن`/`حسين`). Weak evidence; when [`Comparison::one_edit_apart`] holds, the
    /// matcher may still call it a typo if one spelling is rare and the other common.
    SkeletonOnly,
    /// Skeletons equal and the spellings close in the way typos and transliteration variants
    /// are: Latin pairs whose vowel-folded Jaro–Winkler is at least 0.9; Arabic pairs one
    /// letter apart within a consonant class (س/ص, ت/ط, ق/ك) or by a doubled letter; a Latin
    /// spelling not in the dictionary whose skeleton (three consonants or more) equals the
    /// Arabic one. Never fires when the dictionary knows the two as different names.
    SkeletonClose,
    /// The dictionary has both as spellings of one name, including across scripts (`محمد`/
    /// Mohammed, Mohammed/Muhammad, `جمال`/Cemal).
    KnownVariant,
    /// Equal loose keys: the same after joining compounds, stripping the article in family
    /// fields and dropping ء (Arabic), or after convention and vowel folding (Latin: Hussein/
    /// Husain). Not given when the dictionary knows the two as different names (`علاء`/`علا`).
    ExactLoose,
    /// Equal strict keys: the same orthography once marks, letter variants and case are
    /// folded (`مُحَمَّد`/`محمد`, `أحمد`/`احمد`).
    ExactStrict,
}

impl Level {
    /// All levels, from `Null` to `ExactStrict`, in the order of [`Level::index`].
    pub const ALL: [Level; 7] = [
        Level::Null,
        Level::Different,
        Level::SkeletonOnly,
        Level::SkeletonClose,
        Level::KnownVariant,
        Level::ExactLoose,
        Level::ExactStrict,
    ];

    /// A dense index (0 for `Null` … 6 for `ExactStrict`), for arrays of weights.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The result of comparing two names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comparison {
    /// The similarity level.
    pub level: Level,
    /// Edits between the two names, capped at [`MAX_EDITS`]: Levenshtein distance in
    /// characters between the spelled keys (Arabic, ء kept) or the loose keys (Latin).
    /// `None` across scripts, for mixed-script names, and when a side is empty.
    pub edits: Option<u8>,
}

impl Comparison {
    /// Exactly one edit apart (`محمد`/`محمود`, `حسن`/`حسين`, `علاء`/`علا`): the case where a
    /// frequency-aware matcher must decide between a typo and a different name.
    pub fn one_edit_apart(&self) -> bool {
        self.edits == Some(1)
    }
}

/// Compares two names of the same kind of field, token by token in order. Cheap: it compares
/// stored keys; the rare expensive step (Jaro–Winkler, edit distance) runs on short strings
/// without allocating. Symmetric: `compare(a, b) == compare(b, a)`.
pub fn compare(a: &NameKey, b: &NameKey) -> Comparison {
    if a.is_empty() || b.is_empty() {
        return Comparison {
            level: Level::Null,
            edits: None,
        };
    }
    if a.strict() == b.strict() {
        return Comparison {
            level: Level::ExactStrict,
            edits: Some(0),
        };
    }
    let edits = match (a.script(), b.script()) {
        (Script::Arabic, Script::Arabic) => Some(bounded_edits(a.spelled(), b.spelled())),
        (Script::Latin, Script::Latin) => Some(bounded_edits(a.loose(), b.loose())),
        _ => None,
    };
    let n = a.token_count();
    let level = if n == 1 && b.token_count() == 1 {
        token_level(&a.token(0), &b.token(0))
    } else if n == b.token_count() {
        let mut level = Level::ExactLoose;
        for i in 0..n {
            level = level.min(token_level(&a.token(i), &b.token(i)));
            if level == Level::Different {
                break;
            }
        }
        level
    } else if !a.skeleton().is_empty() && a.skeleton() == b.skeleton() {
        Level::SkeletonOnly
    } else {
        Level::Different
    };
    Comparison { level, edits }
}

/// Compares two tokens (never returns `Null` or `ExactStrict`).
pub(crate) fn token_level(a: &Token<'_>, b: &Token<'_>) -> Level {
    let known = !a.clusters.is_empty() && !b.clusters.is_empty();
    let shared = known && intersects(a.clusters, b.clusters);
    let disjoint = known && !shared;
    if a.script == b.script && (a.spelled == b.spelled || (a.loose == b.loose && !disjoint)) {
        return Level::ExactLoose;
    }
    if shared {
        return Level::KnownVariant;
    }
    if a.skeleton.is_empty() || a.skeleton != b.skeleton {
        return Level::Different;
    }
    if disjoint {
        return Level::SkeletonOnly;
    }
    let close = match (a.script, b.script) {
        (Script::Arabic, Script::Arabic) => arabic_spelling_close(a.spelled, b.spelled),
        (Script::Latin, Script::Latin) => {
            // Arguments in a fixed order: Jaro's greedy matching is not always symmetric.
            let (x, y) = if a.loose <= b.loose {
                (a.loose, b.loose)
            } else {
                (b.loose, a.loose)
            };
            a.skeleton.len() >= 2 && jaro_winkler(x, y) >= 0.9
        }
        (Script::Arabic, Script::Latin) => b.clusters.is_empty() && a.skeleton.len() >= 3,
        (Script::Latin, Script::Arabic) => a.clusters.is_empty() && a.skeleton.len() >= 3,
        _ => false,
    };
    if close {
        Level::SkeletonClose
    } else {
        Level::SkeletonOnly
    }
}

/// Jaro–Winkler as `strsim` computes it, without allocating for ASCII names up to 64 bytes
/// (Latin loose keys always are ASCII).
pub(crate) fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if !a.is_ascii() || !b.is_ascii() || x.len() > 64 || y.len() > 64 {
        return strsim::jaro_winkler(a, b);
    }
    let (n, m) = (x.len(), y.len());
    if n == 0 || m == 0 {
        return if n == m { 1.0 } else { 0.0 };
    }
    let window = (n.max(m) / 2).saturating_sub(1);
    let (mut xf, mut yf) = (0u64, 0u64);
    let mut matches = 0usize;
    for (i, &c) in x.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = m.min(i + window + 1);
        for (j, &d) in y.iter().enumerate().take(hi).skip(lo) {
            if yf & (1 << j) == 0 && d == c {
                xf |= 1 << i;
                yf |= 1 << j;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut j = 0;
    for (i, &c) in x.iter().enumerate() {
        if xf & (1 << i) != 0 {
            while yf & (1 << j) == 0 {
                j += 1;
            }
            transpositions += usize::from(c != y[j]);
            j += 1;
        }
    }
    let t = transpositions / 2;
    let mf = matches as f64;
    let sim = ((mf / n as f64) + (mf / m as f64) + ((matches - t) as f64 / mf)) / 3.0;
    if sim > 0.7 {
        let prefix = x.iter().zip(y).take(4).take_while(|(p, q)| p == q).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

const BUF: usize = 64;

fn chars_of(s: &str, buf: &mut [char; BUF]) -> Option<usize> {
    let mut n = 0;
    for c in s.chars() {
        *buf.get_mut(n)? = c;
        n += 1;
    }
    Some(n)
}

/// Levenshtein distance in characters, capped at [`MAX_EDITS`]. When the part that differs
/// is longer than 64 characters, the answer is [`MAX_EDITS`]. No allocation; ASCII needs no
/// decoding.
pub(crate) fn bounded_edits(a: &str, b: &str) -> u8 {
    if a == b {
        return 0;
    }
    if a.len().abs_diff(b.len()) >= 4 * usize::from(MAX_EDITS) {
        return MAX_EDITS;
    }
    if a.is_ascii() && b.is_ascii() {
        return bounded_levenshtein(a.as_bytes(), b.as_bytes());
    }
    // Arabic names: short, and in the Basic Multilingual Plane.
    let (mut ab, mut bb) = ([0u16; SHORT], [0u16; SHORT]);
    if let (Some(n), Some(m)) = (units_of(a, &mut ab), units_of(b, &mut bb)) {
        return bounded_levenshtein(&ab[..n], &bb[..m]);
    }
    let (mut ab, mut bb) = (['\0'; BUF], ['\0'; BUF]);
    let (Some(n), Some(m)) = (chars_of(a, &mut ab), chars_of(b, &mut bb)) else {
        return MAX_EDITS;
    };
    bounded_levenshtein(&ab[..n], &bb[..m])
}

const SHORT: usize = 24;

fn units_of(s: &str, buf: &mut [u16; SHORT]) -> Option<usize> {
    let mut n = 0;
    for c in s.chars() {
        *buf.get_mut(n)? = u16::try_from(u32::from(c)).ok()?;
        n += 1;
    }
    Some(n)
}

fn bounded_levenshtein<T: PartialEq>(a: &[T], b: &[T]) -> u8 {
    // A shared prefix and suffix cost nothing; most pairs that are close differ in the middle
    // only, which leaves a tiny table.
    if a.len().abs_diff(b.len()) >= usize::from(MAX_EDITS) {
        return MAX_EDITS;
    }
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[p..], &b[p..]);
    let q = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - q], &b[..b.len() - q]);
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        // The lengths differ by less than MAX_EDITS.
        return n.max(m) as u8;
    }
    if n > BUF || m > BUF {
        return MAX_EDITS;
    }
    let mut prev = [0u8; BUF + 1];
    let mut cur = [0u8; BUF + 1];
    for (j, p) in prev.iter_mut().enumerate().take(m + 1) {
        *p = (j as u8).min(MAX_EDITS);
    }
    for i in 1..=n {
        cur[0] = (i as u8).min(MAX_EDITS);
        let mut row_min = cur[0];
        for j in 1..=m {
            let sub = prev[j - 1] + u8::from(a[i - 1] != b[j - 1]);
            let v = sub.min(prev[j] + 1).min(cur[j - 1] + 1).min(MAX_EDITS);
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min >= MAX_EDITS {
            return MAX_EDITS;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

/// One letter apart within a consonant class (`صالم`/`سالم`), or by one doubled letter
/// (`محممد`/`محمد`). Differences in ا و ي ع ء make different names and do not count.
fn arabic_spelling_close(a: &str, b: &str) -> bool {
    let (mut ab, mut bb) = (['\0'; BUF], ['\0'; BUF]);
    let (Some(n), Some(m)) = (chars_of(a, &mut ab), chars_of(b, &mut bb)) else {
        return false;
    };
    let (a, b) = (&ab[..n], &bb[..m]);
    if n == m {
        let mut diffs = a.iter().zip(b).filter(|(x, y)| x != y);
        return match (diffs.next(), diffs.next()) {
            (Some((&x, &y)), None) => class(x).is_some() && class(x) == class(y),
            _ => false,
        };
    }
    let (long, short) = if n > m { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 {
        return false;
    }
    let i = long
        .iter()
        .zip(short)
        .position(|(x, y)| x != y)
        .unwrap_or(short.len());
    let doubled = (i > 0 && long[i] == long[i - 1]) || long.get(i + 1) == Some(&long[i]);
    doubled && long[i + 1..] == short[i..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_are_bounded_and_symmetric() {
        assert_eq!(bounded_edits("محمد", "محمود"), 1);
        assert_eq!(bounded_edits("محمود", "محمد"), 1);
        assert_eq!(bounded_edits("abc", "abc"), 0);
        assert_eq!(bounded_edits("abcdef", "uvwxyz"), MAX_EDITS);
        assert_eq!(bounded_edits("a", "abcdefgh"), MAX_EDITS);
        assert_eq!(bounded_edits("kitten", "sitting"), 3);
        assert_eq!(bounded_edits("", "ab"), 2);
    }

    proptest::proptest! {
        #[test]
        fn edits_agree_with_plain_levenshtein(
            a in "[abcدمح ]{0,12}|[a-c]{0,70}", b in "[abcدمح ]{0,12}|[a-c]{0,70}",
        ) {
            let want = strsim::levenshtein(&a, &b).min(usize::from(MAX_EDITS)) as u8;
            let long = a.chars().count().max(b.chars().count()) > BUF && !a.is_ascii();
            if !long {
                proptest::prop_assert_eq!(bounded_edits(&a, &b), want);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn jaro_winkler_agrees_with_strsim(a in "[a-e]{0,66}|[a-z]{0,9}", b in "[a-e]{0,66}|[a-z]{0,9}") {
            let (ours, theirs) = (jaro_winkler(&a, &b), strsim::jaro_winkler(&a, &b));
            proptest::prop_assert!((ours - theirs).abs() < 1e-12, "{} vs {}", ours, theirs);
        }
    }

    #[test]
    fn arabic_closeness_is_about_consonant_classes() {
        assert!(arabic_spelling_close("سالم", "صالم"));
        assert!(arabic_spelling_close("محمد", "محممد"));
        assert!(!arabic_spelling_close("محمد", "محمود"));
        assert!(!arabic_spelling_close("حسن", "حسين"));
        assert!(!arabic_spelling_close("سعيد", "سعد"));
        assert!(!arabic_spelling_close("علي", "عيل"));
    }

    #[test]
    fn levels_are_ordered() {
        assert!(Level::ExactStrict > Level::ExactLoose);
        assert!(Level::KnownVariant > Level::SkeletonClose);
        assert!(Level::Different > Level::Null);
        for (i, l) in Level::ALL.iter().enumerate() {
            assert_eq!(l.index(), i);
        }
    }
}
