//! Interned names: every distinct spelling gets its [`NameKey`] built once, and records hold
//! small ids. A registry of a million people has tens of thousands of distinct names but
//! millions of name fields, so this saves most of the key-building time and memory, and lets
//! two records that spell a name the same way compare by id.

use rustc_hash::FxHashMap;
use sijil_names::{Convention, NameField, NameKey, Script};

use crate::hash;

/// No value (an empty field).
pub(crate) const NONE: u32 = u32::MAX;

/// The kind of table a name lives in: given-name fields share one (so that a first name can be
/// compared with a father's name when a clerk swapped them), family-name fields another, places
/// a third. The kinds differ in how the article ال / Al- is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Given = 0,
    Family = 1,
    Place = 2,
}

impl Kind {
    fn field(self) -> NameField {
        match self {
            Kind::Given => NameField::Given,
            Kind::Family => NameField::Family,
            Kind::Place => NameField::Place,
        }
    }

    /// Seeds the hashes so that the same letters in two kinds of field never collide.
    pub(crate) fn seed(self) -> u64 {
        match self {
            Kind::Given => 0x6769_7665_6e00_0001,
            Kind::Family => 0x6661_6d69_6c79_0002,
            Kind::Place => 0x706c_6163_6500_0003,
        }
    }
}

/// One distinct spelling and what comparisons and counts need of it.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub key: NameKey,
    /// Hash of the term-frequency key: the dictionary name when the spelling is a known
    /// variant of one name (so `محمد`, Mohammed and Mehmet count together), else the loose key.
    pub tf: u64,
    /// Blocking code: hash of the coarse consonant skeleton (see [`coarse_skeleton`]), which
    /// spellings in both scripts share; the term-frequency key when the skeleton is empty.
    pub code: u64,
    /// Whether the (first) token is in the variant dictionary.
    pub known: bool,
    /// The coarse consonant skeleton itself, to tell names in two scripts that are nearly
    /// alike from names that have nothing in common.
    pub coarse: Box<str>,
}

/// Read access to interned names, by kind and id: the registry's own vocabulary, or that plus a
/// few spellings of a record being resolved (see `prepare::Overlay`).
pub(crate) trait Lookup {
    /// The entry of an id (not [`NONE`]).
    fn entry(&self, kind: Kind, id: u32) -> &Entry;
    /// The identity of the table of a kind (see [`Table::uid`]).
    fn uid(&self, kind: Kind) -> u32;
}

/// Source of table identities; 0 is never handed out.
static NEXT_UID: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

fn next_uid() -> u32 {
    NEXT_UID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The interned spellings of one kind of field.
#[derive(Debug)]
pub(crate) struct Table {
    /// Unique in the process (a copy gets its own): ids mean something only within one table,
    /// and caches keyed by ids must know which.
    uid: u32,
    kind: Kind,
    /// Spelling to id, one map per convention (only Latin spellings use more than the first).
    ids: [FxHashMap<Box<str>, u32>; 5],
    /// Strict key (and convention) to id: spellings that normalise alike share one id, so that
    /// comparing them is comparing two numbers.
    strict: [FxHashMap<Box<str>, u32>; 5],
    entries: Vec<Entry>,
}

impl Clone for Table {
    fn clone(&self) -> Self {
        Table {
            uid: next_uid(),
            kind: self.kind,
            ids: self.ids.clone(),
            strict: self.strict.clone(),
            entries: self.entries.clone(),
        }
    }
}

impl Table {
    pub(crate) fn new(kind: Kind) -> Self {
        Table {
            uid: next_uid(),
            kind,
            ids: Default::default(),
            strict: Default::default(),
            entries: Vec::new(),
        }
    }

    /// The id of `text` read under `conv`, building its keys the first time. Only Latin
    /// spellings depend on the convention.
    pub(crate) fn intern(&mut self, text: &str, conv: Convention) -> u32 {
        let conv = if text.is_ascii() || has_latin(text) {
            conv
        } else {
            Convention::Unknown
        };
        let map = &mut self.ids[conv_index(conv)];
        if let Some(&id) = map.get(text) {
            return id;
        }
        let entry = build(self.kind, text, conv);
        if entry.key.is_empty() {
            map.insert(text.into(), NONE);
            return NONE;
        }
        let strict = &mut self.strict[conv_index(conv)];
        let id = match strict.get(entry.key.strict()) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(self.entries.len()).expect("fewer than 2 billion names");
                assert!(id < 1 << 31, "fewer than 2 billion names");
                strict.insert(entry.key.strict().into(), id);
                self.entries.push(entry);
                id
            }
        };
        map.insert(text.into(), id);
        id
    }

    /// The entry of an id (not [`NONE`]).
    #[inline]
    pub(crate) fn get(&self, id: u32) -> &Entry {
        &self.entries[id as usize]
    }

    /// The table's identity.
    pub(crate) fn uid(&self) -> u32 {
        self.uid
    }

    /// The id of `text` if it was interned before (no insertion).
    pub(crate) fn find(&self, text: &str, conv: Convention) -> Option<u32> {
        let conv = if text.is_ascii() || has_latin(text) {
            conv
        } else {
            Convention::Unknown
        };
        self.ids[conv_index(conv)].get(text).copied()
    }
}

fn conv_index(conv: Convention) -> usize {
    match conv {
        Convention::Unknown => 0,
        Convention::English => 1,
        Convention::French => 2,
        Convention::German => 3,
        Convention::Turkish => 4,
    }
}

/// Whether a spelling has Latin letters (so that its reading depends on the convention).
fn has_latin(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_ascii_alphabetic() || ('\u{00C0}'..'\u{0250}').contains(&c))
}

/// Builds the keys of one spelling.
pub(crate) fn build(kind: Kind, text: &str, conv: Convention) -> Entry {
    let key = NameKey::with_convention(text, kind.field(), conv);
    let tf = tf_hash(kind, &key);
    let coarse = coarse_skeleton(key.skeleton());
    let code = if coarse.is_empty() {
        tf
    } else {
        hash::str(kind.seed() ^ 0xc0de, &coarse)
    };
    let known = key.token_count() > 0 && !key.token(0).clusters.is_empty();
    Entry {
        key,
        tf,
        code,
        known,
        coarse: coarse.into_boxed_str(),
    }
}

/// The term-frequency key of a name: `#` and the canonical dictionary form for a one-token
/// name the dictionary knows (the smallest cluster when a spelling belongs to two), else the
/// loose key.
pub(crate) fn tf_key(key: &NameKey) -> String {
    if key.token_count() == 1 {
        let t = key.token(0);
        if let Some(c) = t.clusters.iter().min() {
            return format!("#{}", c.canonical());
        }
    }
    key.loose().to_owned()
}

fn tf_hash(kind: Kind, key: &NameKey) -> u64 {
    hash::str(kind.seed(), &tf_key(key))
}

/// The consonant skeleton with the classes that transliteration conventions disagree on
/// merged, then doubled letters collapsed again: D, S and Z with T (ث is th, s or t; ذ and ظ
/// are dh, z or d; Turkish writes a final د as t: Ahmet), X with H (Turkish writes خ as h:
/// Halit), G with K (ق is q, k or g), and J dropped (German j is ي, elsewhere ج). For
/// blocking only: it is much coarser than the skeleton that comparisons use, and keys combine
/// it with other fields.
pub(crate) fn coarse_skeleton(skeleton: &str) -> String {
    let mut out = String::with_capacity(skeleton.len());
    let mut last = '\0';
    for c in skeleton.chars() {
        let c = match c {
            'D' | 'S' | 'Z' => 'T',
            'X' => 'H',
            'G' => 'K',
            'J' => continue,
            c => c,
        };
        if c != last {
            out.push(c);
            last = c;
        }
    }
    out
}

/// Whether a key is in Latin letters (used to decide the father-in-first split).
pub(crate) fn is_latin(key: &NameKey) -> bool {
    key.script() == Script::Latin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_share_codes_across_scripts() {
        let mut t = Table::new(Kind::Given);
        let a = t.intern("محمد", Convention::Unknown);
        let b = t.intern("Mohammed", Convention::Unknown);
        let c = t.intern("Mehmet", Convention::Turkish);
        let d = t.intern("محمود", Convention::Unknown);
        assert_eq!(t.get(a).code, t.get(b).code);
        assert_eq!(t.get(a).code, t.get(c).code);
        assert_eq!(t.get(a).tf, t.get(b).tf);
        assert_eq!(t.get(a).tf, t.get(c).tf);
        assert_ne!(t.get(a).tf, t.get(d).tf);
        assert_eq!(t.intern("محمد", Convention::Turkish), a);
        assert_eq!(t.intern("مُحَمَّد", Convention::Unknown), a);
        assert_eq!(t.intern(" - ", Convention::Unknown), NONE);
        assert_eq!(t.entries.len(), 4);
    }

    #[test]
    fn coarse_skeleton_merges_devoicing() {
        assert_eq!(coarse_skeleton("MHMD"), "MHMT");
        assert_eq!(coarse_skeleton("MHMT"), "MHMT");
        assert_eq!(coarse_skeleton("XLD"), "HLT");
        assert_eq!(coarse_skeleton("HXD"), "HT");
        assert_eq!(coarse_skeleton("JD"), "T");
        assert_eq!(coarse_skeleton("ZHB"), coarse_skeleton("DHB"));
    }
}
