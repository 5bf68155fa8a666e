//! [`NameKey`]: everything about one name that comparisons need, computed once.

use crate::variants::{self, ClusterSet};
use crate::{ClusterId, Convention, NameField, Script, fold, latin, skeleton, token};

/// One token's keys, before dictionary look-up.
#[derive(Debug, Clone)]
pub(crate) struct Parts {
    pub spelled: String,
    pub loose: String,
    pub skeleton: String,
    pub script: Script,
    pub unstripped: Option<String>,
}

/// Strict text and token keys of a name, without the dictionary (which is itself built with it).
pub(crate) fn analyse(text: &str, field: NameField, conv: Convention) -> (String, Vec<Parts>) {
    let strict = fold::strict(text);
    let conv = latin::effective(conv, strict.turkish);
    let mut parts = Vec::new();
    for piece in token::structure(&strict.text, field, conv) {
        let mut skel = String::new();
        let loose = match piece.script {
            Script::Arabic => {
                let loose: String = piece.text.chars().filter_map(fold::loose_arabic).collect();
                skeleton::arabic(&loose, &mut skel);
                loose
            }
            Script::Latin => {
                let loose = latin::fold(&piece.text, conv);
                skeleton::latin(&loose, &mut skel);
                loose
            }
            _ => piece.text.clone(),
        };
        if loose.is_empty() {
            continue;
        }
        parts.push(Parts {
            spelled: piece.text,
            loose,
            skeleton: skel,
            script: piece.script,
            unstripped: piece.unstripped,
        });
    }
    (strict.text, parts)
}

/// Byte range into the key's buffer.
type Span = (u16, u16);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TokenMeta {
    spelled: Span,
    loose: Span,
    skeleton: Span,
    script: Script,
    clusters: ClusterSet,
}

const NO_TOKEN: TokenMeta = TokenMeta {
    spelled: (0, 0),
    loose: (0, 0),
    skeleton: (0, 0),
    script: Script::Empty,
    clusters: ClusterSet::EMPTY,
};

/// The precomputed keys of one name in one field. Build it once per record and field with
/// [`NameKey::new`]; [`crate::compare`] then only compares what is stored here.
///
/// A key is one heap block (all its strings end to end) when the name has one token, two
/// otherwise, so that comparing two keys touches little memory.
///
/// ```
/// use sijil_names::{compare, Level, NameField, NameKey};
/// let a = NameKey::new("مُحَمَّد", NameField::Given);
/// let b = NameKey::new("Mohammed", NameField::Given);
/// assert_eq!(a.strict(), "محمد");
/// assert_eq!(a.skeleton(), b.skeleton());
/// assert_eq!(compare(&a, &b).level, Level::KnownVariant);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKey {
    field: NameField,
    script: Script,
    tokens: u16,
    /// Ends of the strict, spelled, loose and skeleton sections of `buf`.
    ends: [u16; 4],
    buf: Box<str>,
    first: TokenMeta,
    rest: Box<[TokenMeta]>,
}

/// A view of one name-aware token of a [`NameKey`] (a compound such as `عبد الرحمن` is one
/// token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// Strict letters with the structure applied: compounds joined, the article stripped where
    /// the field says so, Latin compounds in their canonical form (`abdalrahman`).
    pub spelled: &'a str,
    /// The loose key of the token: Arabic without ء and with پچگڤ folded; Latin folded by
    /// convention and vowels.
    pub loose: &'a str,
    /// The consonant skeleton (ASCII capitals; may be empty).
    pub skeleton: &'a str,
    /// The token's script: Arabic, Latin or Other.
    pub script: Script,
    /// The dictionary names this token can be; empty when it is not in the dictionary.
    pub clusters: &'a [ClusterId],
}

impl NameKey {
    /// Builds the keys of `text` as a name of kind `field`, with the Latin transliteration
    /// convention unknown. Never fails: an unusable name gives an empty key, which compares as
    /// [`crate::Level::Null`].
    pub fn new(text: &str, field: NameField) -> Self {
        Self::with_convention(text, field, Convention::Unknown)
    }

    /// Like [`NameKey::new`], reading Latin letters by a known convention (say, Turkish for a
    /// record made in Turkey, where `Cemal` is جمال).
    pub fn with_convention(text: &str, field: NameField, convention: Convention) -> Self {
        let (strict, parts) = analyse(text, field, convention);
        let words = |f: fn(&Parts) -> &str| -> usize {
            parts.iter().map(|p| f(p).len() + 1).sum::<usize>()
        };
        let cap =
            strict.len() + words(|p| &p.spelled) + words(|p| &p.loose) + words(|p| &p.skeleton);
        let mut buf = String::with_capacity(cap);
        buf.push_str(&strict);
        let mut ends = [0u16; 4];
        ends[0] = clamp(buf.len());
        let mut metas: Vec<TokenMeta> = parts
            .iter()
            .map(|p| TokenMeta {
                script: p.script,
                clusters: variants::lookup(p),
                ..NO_TOKEN
            })
            .collect();
        // Sections one after the other; tokens separated by one space inside a section.
        for (section, get) in [
            (1, (|p: &Parts| p.spelled.as_str()) as fn(&Parts) -> &str),
            (2, |p: &Parts| p.loose.as_str()),
            (3, |p: &Parts| p.skeleton.as_str()),
        ] {
            for (i, (p, m)) in parts.iter().zip(&mut metas).enumerate() {
                // The whole skeleton runs tokens together; the other sections space them.
                if i > 0 && section != 3 {
                    buf.push(' ');
                }
                let start = clamp(buf.len());
                buf.push_str(get(p));
                let span = (start, clamp(buf.len()));
                match section {
                    1 => m.spelled = span,
                    2 => m.loose = span,
                    _ => m.skeleton = span,
                }
            }
            ends[section] = clamp(buf.len());
        }
        let script = metas
            .iter()
            .fold(Script::Empty, |acc, m| match (acc, m.script) {
                (Script::Empty, s) => s,
                (s, t) if s == t => s,
                _ => Script::Mixed,
            });
        let tokens = clamp(metas.len());
        let first = if metas.is_empty() {
            NO_TOKEN
        } else {
            metas.remove(0)
        };
        NameKey {
            field,
            script,
            tokens,
            ends,
            buf: buf.into_boxed_str(),
            first,
            rest: metas.into_boxed_slice(),
        }
    }

    #[inline]
    fn section(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            usize::from(self.ends[i - 1])
        };
        &self.buf[start..usize::from(self.ends[i])]
    }

    /// The field this key was built for.
    pub fn field(&self) -> NameField {
        self.field
    }

    /// The script of the name: Arabic, Latin, Mixed, Other, or Empty.
    #[inline]
    pub fn script(&self) -> Script {
        self.script
    }

    /// Whether nothing usable was left (compares as [`crate::Level::Null`]).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.tokens == 0
    }

    /// The strict key: see [`crate::normalize_strict`].
    #[inline]
    pub fn strict(&self) -> &str {
        self.section(0)
    }

    /// The structural key: tokens' [`Token::spelled`] separated by spaces. Arabic edit
    /// distances are measured on it (it keeps ء).
    #[inline]
    pub fn spelled(&self) -> &str {
        self.section(1)
    }

    /// The loose key: tokens' [`Token::loose`] separated by spaces. A good key for term
    /// frequencies, with [`Token::clusters`] for names in the dictionary.
    #[inline]
    pub fn loose(&self) -> &str {
        self.section(2)
    }

    /// The consonant skeleton of the whole name (tokens' skeletons run together): a blocking
    /// key comparable across scripts.
    #[inline]
    pub fn skeleton(&self) -> &str {
        self.section(3)
    }

    /// How many name-aware tokens the name has.
    #[inline]
    pub fn token_count(&self) -> usize {
        usize::from(self.tokens)
    }

    /// The name-aware tokens, in order.
    pub fn tokens(&self) -> impl ExactSizeIterator<Item = Token<'_>> + '_ {
        (0..self.token_count()).map(|i| self.token(i))
    }

    /// Token `i`. Panics when `i >= self.token_count()`.
    #[inline]
    pub fn token(&self, i: usize) -> Token<'_> {
        assert!(
            i < self.token_count(),
            "token {i} of {}",
            self.token_count()
        );
        let t = if i == 0 {
            &self.first
        } else {
            &self.rest[i - 1]
        };
        let slice = |(a, b): Span| &self.buf[usize::from(a)..usize::from(b)];
        Token {
            spelled: slice(t.spelled),
            loose: slice(t.loose),
            skeleton: slice(t.skeleton),
            script: t.script,
            clusters: t.clusters.as_slice(),
        }
    }
}

// Names are capped at a few hundred bytes, far below u16::MAX.
fn clamp(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_an_arabic_family_name() {
        let k = NameKey::new("الحَلَبي", NameField::Family);
        assert_eq!(k.strict(), "الحلبي");
        assert_eq!(k.spelled(), "حلبي");
        assert_eq!(k.skeleton(), "HLB");
        assert_eq!(k.script(), Script::Arabic);
        let t = k.token(0);
        assert_eq!(t.clusters.len(), 1);
        assert_eq!(t.clusters[0].canonical(), "الحلبي");
    }

    #[test]
    fn keys_of_a_latin_compound() {
        let k = NameKey::new("Abd al-Rahman", NameField::Given);
        assert_eq!(k.strict(), "abd al rahman");
        assert_eq!(k.token_count(), 1);
        assert_eq!(k.loose(), "abdalrahman");
        assert_eq!(k.skeleton(), "BDLRHMN");
        assert_eq!(k.token(0).clusters[0].canonical(), "عبد الرحمن");
    }

    #[test]
    fn mixed_and_empty() {
        assert_eq!(
            NameKey::new("محمد Mohammed", NameField::Full).script(),
            Script::Mixed
        );
        let e = NameKey::new(" \u{064E}\u{0640} - ", NameField::Given);
        assert!(e.is_empty());
        assert_eq!(e.script(), Script::Empty);
    }
}
