//! The built-in variant dictionary: which spellings, in either script, are the same name.
//!
//! The tables ([`given`], [`family`]) are plain text so that they stay easy to read and extend.
//! They are parsed once, on first use, into four maps from a token's key to the names it can
//! be: Arabic and Latin, each by its spelled form (exact) and by its loose form (fallback for
//! spellings not listed, such as Mouhammad for Muhammad).

mod family;
mod given;

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::key::{Parts, analyse};
use crate::{Convention, NameField, Script};

/// One name of the built-in dictionary, in all its spellings: `محمد`, Mohammed, Muhammad,
/// Mehmet… are one cluster. Ids are stable within a build of this crate, not across versions;
/// store the canonical form if you need something durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClusterId(u16);

impl ClusterId {
    /// The canonical Arabic form, as the table writes it (`عبد الرحمن`, `الحلبي`).
    pub fn canonical(self) -> &'static str {
        index().names[usize::from(self.0)].canonical
    }

    /// Whether the name comes from the family-name table.
    pub fn is_family(self) -> bool {
        index().names[usize::from(self.0)].family
    }

    /// A dense index, below [`ClusterId::count`], for arrays keyed by cluster.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// How many clusters the dictionary has.
    pub fn count() -> usize {
        index().names.len()
    }
}

/// Up to four clusters a token may belong to (a Latin spelling can be two names: Amina is
/// آمنة or أمينة). Further ones are dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClusterSet {
    ids: [ClusterId; 4],
    len: u8,
}

impl Default for ClusterSet {
    fn default() -> Self {
        ClusterSet {
            ids: [ClusterId(0); 4],
            len: 0,
        }
    }
}

impl ClusterSet {
    pub(crate) const EMPTY: ClusterSet = ClusterSet {
        ids: [ClusterId(0); 4],
        len: 0,
    };

    pub(crate) fn as_slice(&self) -> &[ClusterId] {
        &self.ids[..usize::from(self.len)]
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn insert(&mut self, id: ClusterId) {
        if !self.as_slice().contains(&id) && usize::from(self.len) < self.ids.len() {
            self.ids[usize::from(self.len)] = id;
            self.len += 1;
        }
    }

    fn extend(&mut self, other: &ClusterSet) {
        for &id in other.as_slice() {
            self.insert(id);
        }
    }
}

/// The usual Latin spelling of a name written in Arabic, when the dictionary lists it: the
/// first spelling of its line (the English convention), e.g. `محمد` → Muhammad, `الحلبي` →
/// Halabi. Matched on the form as written, trimmed; given names win over family names. Meant
/// for printing a readable Latin name on documents, not for matching.
pub fn latin_spelling(arabic: &str) -> Option<&'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::new();
        for line in lines() {
            if let Some(&latin) = line.latin.first() {
                for form in line.arabic {
                    map.entry(form).or_insert(latin);
                }
            }
        }
        map
    })
    .get(arabic.trim())
    .copied()
}

/// Whether two cluster lists share a name.
pub(crate) fn intersects(a: &[ClusterId], b: &[ClusterId]) -> bool {
    a.iter().any(|x| b.contains(x))
}

struct Name {
    canonical: &'static str,
    family: bool,
}

#[derive(Default)]
struct Index {
    names: Vec<Name>,
    arabic: HashMap<String, ClusterSet>,
    arabic_loose: HashMap<String, ClusterSet>,
    latin: HashMap<String, ClusterSet>,
    latin_loose: HashMap<String, ClusterSet>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(build)
}

/// One parsed table line: Arabic forms and Latin spellings.
pub(crate) struct Line {
    pub arabic: Vec<&'static str>,
    pub latin: Vec<&'static str>,
    pub family: bool,
}

/// The table lines, parsed (exposed to the tests).
pub(crate) fn lines() -> impl Iterator<Item = Line> {
    let given = given::GIVEN.lines().map(|l| (l, false));
    let family = family::FAMILY.lines().map(|l| (l, true));
    given.chain(family).filter_map(|(l, family)| {
        let l = l.trim();
        if l.is_empty() || l.starts_with('#') {
            return None;
        }
        let (ar, la) = l.split_once('=')?;
        let split = |s: &'static str, sep| {
            s.split(sep)
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
        };
        Some(Line {
            arabic: split(ar, '|'),
            latin: split(la, ','),
            family,
        })
    })
}

fn build() -> Index {
    let mut ix = Index::default();
    for line in lines() {
        let Some(&canonical) = line.arabic.first() else {
            continue;
        };
        let Ok(n) = u16::try_from(ix.names.len()) else {
            break;
        };
        let id = ClusterId(n);
        ix.names.push(Name {
            canonical,
            family: line.family,
        });
        // Family names are indexed without their article, and also as written, so that a
        // family field and a given field both find them.
        let fields: &[NameField] = if line.family {
            &[NameField::Family, NameField::Given]
        } else {
            &[NameField::Given]
        };
        for &field in fields {
            for form in &line.arabic {
                insert(&mut ix.arabic, &mut ix.arabic_loose, form, field, id);
            }
            for spelling in &line.latin {
                insert(&mut ix.latin, &mut ix.latin_loose, spelling, field, id);
            }
        }
    }
    ix
}

fn insert(
    exact: &mut HashMap<String, ClusterSet>,
    loose: &mut HashMap<String, ClusterSet>,
    form: &str,
    field: NameField,
    id: ClusterId,
) {
    let (_, parts) = analyse(form, field, Convention::Unknown);
    // A table entry is one name: it must make one token.
    let [p] = parts.as_slice() else { return };
    exact.entry(p.spelled.clone()).or_default().insert(id);
    loose.entry(p.loose.clone()).or_default().insert(id);
}

/// The clusters a token belongs to: by its spelled form (and, where the article was stripped,
/// by the form as written), else by its loose form.
pub(crate) fn lookup(p: &Parts) -> ClusterSet {
    let ix = index();
    let (exact, loose) = match p.script {
        Script::Arabic => (&ix.arabic, &ix.arabic_loose),
        Script::Latin => (&ix.latin, &ix.latin_loose),
        _ => return ClusterSet::default(),
    };
    let mut set = exact.get(&p.spelled).copied().unwrap_or_default();
    if let Some(more) = p.unstripped.as_ref().and_then(|u| exact.get(u)) {
        set.extend(more);
    }
    if set.is_empty()
        && let Some(more) = loose.get(&p.loose)
    {
        set.extend(more);
    }
    set
}

#[cfg(test)]
mod latin_spelling_tests {
    #[test]
    fn common_names_have_their_usual_latin_spelling() {
        assert_eq!(super::latin_spelling("محمد"), Some("Muhammad"));
        assert_eq!(super::latin_spelling(" عبد الرحمان "), Some("Abdulrahman"));
        assert_eq!(super::latin_spelling("الحلبي"), Some("Halabi"));
        assert_eq!(super::latin_spelling("زززز"), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_enough_names() {
        let n = lines().count();
        assert!(n >= 300, "{n} names");
        let spellings: usize = lines().map(|l| l.latin.len()).sum();
        assert!(spellings >= 1500, "{spellings} spellings");
    }

    /// Latin spellings that two names share, on purpose. Anything else is a slip in the table.
    const SHARED: &[&str] = &["amina", "assad", "asad", "hamid", "hala"];

    #[test]
    fn every_spelling_finds_its_own_name() {
        let mut shared = Vec::new();
        for line in lines() {
            let field = if line.family {
                NameField::Family
            } else {
                NameField::Given
            };
            for s in line.arabic.iter().chain(&line.latin) {
                let (_, parts) = analyse(s, field, Convention::Unknown);
                let set = lookup(&parts[0]);
                let names: Vec<_> = set.as_slice().iter().map(|c| c.canonical()).collect();
                assert!(names.contains(&line.arabic[0]), "{s}: {names:?}");
                if set.as_slice().len() > 1 && !line.arabic.contains(s) {
                    shared.push(parts[0].spelled.clone());
                }
            }
        }
        shared.sort();
        shared.dedup();
        let unexpected: Vec<_> = shared
            .iter()
            .filter(|s| !SHARED.contains(&s.as_str()))
            .collect();
        assert!(
            unexpected.is_empty(),
            "spellings in two names: {unexpected:?}"
        );
    }

    #[test]
    fn every_entry_is_one_token() {
        for line in lines() {
            let field = if line.family {
                NameField::Family
            } else {
                NameField::Given
            };
            for s in line.arabic.iter().chain(&line.latin) {
                let (_, parts) = analyse(s, field, Convention::Unknown);
                assert_eq!(parts.len(), 1, "{s} gives {} tokens", parts.len());
            }
        }
    }
}
