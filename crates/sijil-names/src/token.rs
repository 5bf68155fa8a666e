//! Name-aware tokens (arabic-names.md §2): compounds joined into one token, the article handled
//! per field, Latin compound spellings brought to one canonical form.
//!
//! The passes run in a fixed order on the strict tokens:
//! 1. articles: a free-standing ال / al / el / ar- (sun letters) joins the next token, or is
//!    dropped in fields that strip the article;
//! 2. suffixes: X + الدين / الله (eddine, uddin, allah, ullah…) join the previous token;
//! 3. prefixes: عبد / ابو (Abd, Abdel, Abdul, Abu, Abou…) join the next token;
//! 4. in family, place and full-name fields, a leading article is stripped;
//! 5. Latin compounds are rewritten to one form: `abdal` + name (Abdelrahman, Abd al-Rahman
//!    and Abdurrahman all give `abdalrahman`), `abual` + name, name + `din` and name + `lah`
//!    (Nureddin, Nour al-Din: `nurdin`; Atallah, Ata Allah: `atlah`).

use std::sync::OnceLock;

use crate::{Convention, NameField, Script};

/// One token after the structural passes.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    /// Strict letters, structure applied.
    pub text: String,
    pub script: Script,
    /// The token before the article was stripped, when it was (for dictionary look-ups:
    /// `الياس` is a given name even in a family field).
    pub unstripped: Option<String>,
}

const AR_ARTICLE: &str = "ال";
const AR_PREFIXES: [&str; 2] = ["عبد", "ابو"];
const AR_SUFFIXES: [&str; 2] = ["الدين", "الله"];
const AR_CONNECTORS: [&str; 3] = ["بن", "ابن", "بنت"];

const LAT_ARTICLES: [&str; 4] = ["al", "el", "ul", "il"];
/// Articles assimilated to a sun letter, each with the letters the next token must start with.
const LAT_SUN_ARTICLES: [(&str, &str); 24] = [
    ("as", "s"),
    ("es", "s"),
    ("us", "s"),
    ("ash", "sh"),
    ("esh", "sh"),
    ("ush", "sh"),
    ("ar", "r"),
    ("er", "r"),
    ("ur", "r"),
    ("ad", "d"),
    ("ed", "d"),
    ("ud", "d"),
    ("an", "n"),
    ("en", "n"),
    ("un", "n"),
    ("at", "t"),
    ("et", "t"),
    ("ut", "t"),
    ("az", "z"),
    ("ez", "z"),
    ("uz", "z"),
    ("ath", "th"),
    ("adh", "dh"),
    ("ats", "s"),
];
const LAT_ABD: [&str; 14] = [
    "abd", "abdel", "abdul", "abdal", "abdil", "abdol", "abdoul", "abdur", "abdus", "abdar",
    "abdas", "abder", "abdes", "abdelal",
];
const LAT_ABU: [&str; 6] = ["abu", "abou", "abo", "ebu", "abul", "aboul"];
/// Prefixes that are also names on their own (Abed, Abdo): joined only before an article.
const LAT_ABD_WEAK: [&str; 4] = ["abed", "abdo", "abdu", "abdou"];
const LAT_DIN: [&str; 24] = [
    "aldin", "aldine", "eldin", "eldine", "eddin", "eddine", "uddin", "uddine", "addin", "addine",
    "iddin", "iddine", "edin", "edine", "udin", "aldeen", "uddeen", "eddeen", "din", "dine",
    "deen", "ettin", "uttin", "attin",
];
const LAT_ALLAH: [&str; 10] = [
    "allah", "alla", "ullah", "ulla", "illah", "ellah", "ollah", "olla", "lah", "llah",
];
/// Free-standing forms of Allah that join the name before them (Ata Allah, Nasr Ullah).
const LAT_ALLAH_TOKENS: [&str; 7] = ["allah", "alla", "ullah", "ulla", "illah", "ellah", "ollah"];
const LAT_CONNECTORS: [&str; 5] = ["bin", "ibn", "ben", "bint", "ibni"];

/// Splits a strict key into name-aware tokens for `field`.
pub(crate) fn structure(strict: &str, field: NameField, conv: Convention) -> Vec<Piece> {
    let mut toks: Vec<Piece> = Vec::new();
    for t in strict.split(' ').filter(|t| !t.is_empty()) {
        // A lone hamza is a final hamza typed after a space (علا ء): it belongs to the word
        // before. Joining it also keeps the neighbours the same once the loose key drops it.
        if t.chars().all(|c| c == 'ء') {
            if let Some(prev) = toks.last_mut().filter(|p| p.script == Script::Arabic) {
                prev.text.push_str(t);
            }
            continue;
        }
        toks.push(Piece {
            text: t.to_owned(),
            script: script_of(t),
            unstripped: None,
        });
    }
    if field == NameField::Full && toks.len() > 1 {
        toks.retain(|t| !is_connector(&t.text));
    }
    let strip = field.strips_article();
    join_articles(&mut toks, strip, conv);
    join_suffixes(&mut toks, conv);
    join_prefixes(&mut toks, conv);
    for t in &mut toks {
        if strip {
            strip_article(t);
        }
        if t.script == Script::Latin {
            t.text = canonical_latin(&t.text);
        }
    }
    toks
}

/// The script of a strict token (tokens are single-script by construction).
pub(crate) fn script_of(t: &str) -> Script {
    let mut other = false;
    for c in t.chars() {
        if c.is_ascii_alphabetic() {
            return Script::Latin;
        }
        if crate::fold::is_arabic_letter(c) {
            return Script::Arabic;
        }
        other = true;
    }
    if other { Script::Other } else { Script::Empty }
}

/// Whether Arabic token `t` is `word` once its letters are loose (اپو is ابو, ءال is ال): the
/// loose key is read again as a name and must find the same compounds.
fn ar_is(t: &str, word: &str) -> bool {
    let mut loose = t.chars().filter_map(crate::fold::loose_arabic);
    word.chars().all(|w| loose.next() == Some(w)) && loose.next().is_none()
}

fn is_connector(t: &str) -> bool {
    AR_CONNECTORS.iter().any(|a| ar_is(t, a)) || LAT_CONNECTORS.contains(&t)
}

fn same_script(a: &Piece, b: &Piece) -> bool {
    a.script == b.script && matches!(a.script, Script::Arabic | Script::Latin)
}

/// The Latin word lists as the loose key spells them, so that a loose key read again as a name
/// finds the same compounds (abdell reads as abdil, odyn as udin).
struct LooseLists {
    prefixes: Vec<String>,
    suffixes: Vec<String>,
    compound_ends: Vec<String>,
}

fn loose_lists() -> &'static LooseLists {
    static LISTS: OnceLock<LooseLists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let fold = |words: &mut dyn Iterator<Item = &&str>| -> Vec<String> {
            words
                .filter_map(|w| loose_word(w, Convention::Unknown))
                .collect()
        };
        let din_suffixes = LAT_DIN
            .iter()
            .filter(|t| t.starts_with(['a', 'e', 'i', 'u']));
        LooseLists {
            prefixes: fold(&mut LAT_ABD.iter().chain(&LAT_ABU)),
            suffixes: fold(&mut din_suffixes.chain(&LAT_ALLAH_TOKENS)),
            compound_ends: fold(&mut LAT_DIN.iter().chain(&LAT_ALLAH)),
        }
    })
}

/// A short Latin word as the loose key spells it; `None` for anything else.
fn loose_word(t: &str, conv: Convention) -> Option<String> {
    if !t.is_ascii() || t.len() > 8 {
        return None;
    }
    let consonants = crate::latin::fold_consonants(t.as_bytes(), conv);
    Some(crate::latin::fold_vowels(&consonants))
}

fn in_list(t: &str, conv: Convention, list: &[String]) -> bool {
    loose_word(t, conv).is_some_and(|w| list.contains(&w))
}

fn is_prefix(t: &str, conv: Convention) -> bool {
    AR_PREFIXES.iter().any(|a| ar_is(t, a))
        || LAT_ABD.contains(&t)
        || LAT_ABU.contains(&t)
        || in_list(t, conv, &loose_lists().prefixes)
}

/// Is `t` an article in front of `next`? Latin articles are matched as the loose key reads
/// them (ol, ul and al are one article; ach is ash), so that a loose key read again finds the
/// same ones.
fn is_article(t: &str, next: &str, conv: Convention) -> bool {
    if ar_is(t, AR_ARTICLE) {
        return true;
    }
    let Some(t) = loose_word(t, conv) else {
        return false;
    };
    let t = t.as_bytes();
    if t.len() > 3 {
        return false;
    }
    let same = |a: &str| {
        let a = a.as_bytes();
        a.len() == t.len() && a[1..] == t[1..] && is_vowel(t[0])
    };
    if LAT_ARTICLES.iter().any(|a| same(a)) {
        return true;
    }
    // The next token's consonants as the loose key will read them (Us Cemal: c is s or j).
    let next = crate::latin::fold_consonants(next.as_bytes(), conv);
    LAT_SUN_ARTICLES.iter().any(|&(a, start)| {
        same(a) && next.starts_with(start.as_bytes()) && next.len() > start.len()
    })
}

fn join_articles(toks: &mut Vec<Piece>, strip: bool, conv: Convention) {
    let mut i = 0;
    while i + 1 < toks.len() {
        let (t, next) = (&toks[i], &toks[i + 1]);
        if same_script(t, next) && is_article(&t.text, &next.text, conv) {
            let arabic = t.script == Script::Arabic;
            // Keep the article inside compounds (Abd al-Rahman, Nur al-Din) so that the
            // later passes see them whole, whatever the field.
            let after_prefix = i > 0 && {
                let prev = toks[i - 1].text.as_str();
                is_prefix(prev, conv) || LAT_ABD_WEAK.contains(&prev)
            };
            let next = next.text.as_str();
            let in_compound = after_prefix
                || LAT_DIN.contains(&next)
                || LAT_ALLAH.contains(&next)
                || in_list(next, conv, &loose_lists().compound_ends);
            if strip && !in_compound {
                toks.remove(i);
                continue;
            }
            let article = if arabic { AR_ARTICLE } else { "al" };
            let joined = format!("{article}{next}");
            toks[i + 1].text = joined;
            toks.remove(i);
            continue;
        }
        i += 1;
    }
}

fn is_suffix(t: &str, conv: Convention) -> bool {
    AR_SUFFIXES.iter().any(|a| ar_is(t, a))
        || (LAT_DIN.contains(&t) && t.starts_with(['a', 'e', 'i', 'u']))
        || LAT_ALLAH_TOKENS.contains(&t)
        || in_list(t, conv, &loose_lists().suffixes)
}

fn join_suffixes(toks: &mut Vec<Piece>, conv: Convention) {
    let mut i = 1;
    while i < toks.len() {
        if same_script(&toks[i - 1], &toks[i]) && is_suffix(&toks[i].text, conv) {
            let s = toks.remove(i);
            toks[i - 1].text.push_str(&s.text);
            continue;
        }
        i += 1;
    }
}

fn join_prefixes(toks: &mut Vec<Piece>, conv: Convention) {
    let mut i = 0;
    while i + 1 < toks.len() {
        let t = toks[i].text.as_str();
        let next = toks[i + 1].text.as_str();
        let weak = LAT_ABD_WEAK.contains(&t) && (next.starts_with("al") || next.starts_with("el"));
        if same_script(&toks[i], &toks[i + 1]) && (is_prefix(t, conv) || weak) {
            let n = toks.remove(i + 1);
            toks[i].text.push_str(&n.text);
            // The joined token is checked again (it is rarely still a prefix).
            continue;
        }
        i += 1;
    }
}

fn strip_article(t: &mut Piece) {
    let cut = match t.script {
        Script::Arabic => {
            let rest = t.text.strip_prefix(AR_ARTICLE);
            match rest {
                Some(r) if r.chars().count() >= 2 && t.text != "الله" => AR_ARTICLE.len(),
                _ => return,
            }
        }
        Script::Latin => {
            let b = t.text.as_bytes();
            let has = t.text.starts_with("al") || t.text.starts_with("el");
            // Alaeddin, Aloush: a name, not an article, when two vowels follow.
            let two_vowels = b.len() > 3 && is_vowel(b[2]) && is_vowel(b[3]);
            if has && b.len() >= 6 && !two_vowels && !t.text.starts_with("allah") {
                2
            } else {
                return;
            }
        }
        _ => return,
    };
    let rest = t.text[cut..].to_owned();
    t.unstripped = Some(std::mem::replace(&mut t.text, rest));
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Rewrites Latin compound spellings to one form (see the module comment).
pub(crate) fn canonical_latin(t: &str) -> String {
    let mut s = t.to_owned();
    // A vowel before the suffix may belong to either side (Ata-llah, Alaa-ddin): drop it.
    let trim = |s: &mut String, stem_len: usize, suffix: &str| {
        s.truncate(stem_len);
        while s.len() > 2 && s.ends_with(['a', 'e', 'i', 'o', 'u']) {
            s.pop();
        }
        s.push_str(suffix);
    };
    if let Some(stem_len) = din_stem(&s) {
        trim(&mut s, stem_len, "din");
    } else if let Some(stem_len) = allah_stem(&s) {
        trim(&mut s, stem_len, "lah");
    }
    // abd + any article + name → abd + al + name. The article stays (Arabic writes it) and
    // is written one way, so that folding the result again changes nothing.
    if let Some(r) = s
        .strip_prefix("abed")
        .filter(|r| r.starts_with("al") || r.starts_with("el"))
    {
        s = format!("abd{r}");
    }
    if let Some(r) = s.strip_prefix("abd")
        && let Some(rest) = strip_joined_article(r.as_bytes())
    {
        s = format!("abdal{rest}");
    }
    for p in ["abual", "aboual", "abuel", "abouel", "abul", "aboul"] {
        if let Some(r) = s.strip_prefix(p)
            && r.len() >= 3
        {
            s = format!("abual{r}");
            break;
        }
    }
    s
}

/// The rest after a joined article at the start of `r` (al-, el-, ul-, ur-r, es-s, a-),
/// when what remains is long enough to be a name.
fn strip_joined_article(r: &[u8]) -> Option<&str> {
    if r.len() < 5 || !is_vowel(r[0]) || is_vowel(r[1]) {
        return None;
    }
    // al-, el-, ul- or an assimilated article (ur-r, es-s) take two letters; a lone vowel
    // (Abdurahman) takes one.
    let rest = if r[1] == b'l' || r[1] == r[2] {
        &r[2..]
    } else {
        &r[1..]
    };
    if rest.len() < 3 {
        return None;
    }
    std::str::from_utf8(rest).ok()
}

fn din_stem(s: &str) -> Option<usize> {
    const ENDS: [&str; 21] = [
        "aldine", "eldine", "eddine", "uddine", "addine", "iddine", "aldeen", "uddeen", "eddeen",
        "aldin", "eldin", "eddin", "uddin", "addin", "iddin", "ettin", "uttin", "attin", "edine",
        "edin", "udin",
    ];
    ENDS.iter().find_map(|e| {
        let stem = s.strip_suffix(e)?;
        (stem.len() >= 2).then_some(stem.len())
    })
}

fn allah_stem(s: &str) -> Option<usize> {
    const ENDS: [&str; 8] = [
        "allah", "ullah", "illah", "ellah", "ollah", "alla", "ulla", "olla",
    ];
    ENDS.iter().find_map(|e| {
        let stem = s.strip_suffix(e)?;
        (stem.len() >= 2).then_some(stem.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::normalize_strict;

    fn toks(s: &str, f: NameField) -> Vec<String> {
        structure(&normalize_strict(s), f, Convention::Unknown)
            .into_iter()
            .map(|p| p.text)
            .collect()
    }

    #[test]
    fn arabic_compounds_join() {
        assert_eq!(toks("عبد الرحمن", NameField::Given), ["عبدالرحمن"]);
        assert_eq!(toks("نور الدين", NameField::Given), ["نورالدين"]);
        assert_eq!(toks("أبو بكر", NameField::Given), ["ابوبكر"]);
        assert_eq!(toks("ابو عبد الله", NameField::Given), ["ابوعبدالله"]);
        assert_eq!(toks("محمد علي", NameField::Given), ["محمد", "علي"]);
    }

    #[test]
    fn article_stripped_in_family_fields_only() {
        assert_eq!(toks("الحلبي", NameField::Family), ["حلبي"]);
        assert_eq!(toks("ال حلبي", NameField::Family), ["حلبي"]);
        assert_eq!(toks("الياس", NameField::Given), ["الياس"]);
        assert_eq!(toks("Al-Halabi", NameField::Family), ["halabi"]);
        assert_eq!(toks("Alhalabi", NameField::Family), ["halabi"]);
        assert_eq!(toks("As-Sayed", NameField::Family), ["sayed"]);
        assert_eq!(toks("Alwan", NameField::Family), ["alwan"]);
        assert_eq!(toks("Al-Hassan", NameField::Given), ["alhassan"]);
    }

    #[test]
    fn latin_abd_compounds_share_one_form() {
        for s in [
            "Abd al-Rahman",
            "Abdelrahman",
            "Abdul Rahman",
            "Abdurrahman",
            "Abd ar-Rahman",
            "Abdel Rahman",
            "Abdurahman",
        ] {
            assert_eq!(toks(s, NameField::Given), ["abdalrahman"], "{s}");
        }
        assert_eq!(toks("Abdallah", NameField::Given), ["abdlah"]);
        assert_eq!(toks("Abdullah", NameField::Given), ["abdlah"]);
        assert_eq!(toks("Abdessamad", NameField::Given), ["abdalsamad"]);
        assert_eq!(toks("Abdel Aleem", NameField::Given), ["abdalaleem"]);
        assert_eq!(toks("abdalaleem", NameField::Given), ["abdalaleem"]);
        assert_eq!(toks("Abd Rabbo", NameField::Given), ["abdrabbo"]);
        assert_eq!(toks("Abdoun", NameField::Family), ["abdoun"]);
    }

    #[test]
    fn latin_din_and_allah_compounds() {
        for s in [
            "Nour Eddine",
            "Noureddine",
            "Nour al-Din",
            "Nour El Din",
            "Nouredine",
        ] {
            assert_eq!(toks(s, NameField::Given), ["nourdin"], "{s}");
        }
        assert_eq!(toks("Nour al-Din", NameField::Family), ["nourdin"]);
        assert_eq!(toks("Ata Allah", NameField::Given), ["atlah"]);
        assert_eq!(toks("Ataullah", NameField::Given), ["atlah"]);
        assert_eq!(
            toks("Alaa Eddine", NameField::Given),
            toks("Alaaddin", NameField::Given)
        );
        assert_eq!(toks("Abu Bakr", NameField::Given), ["abubakr"]);
        assert_eq!(toks("Abu al-Khair", NameField::Family), ["abualkhair"]);
    }

    #[test]
    fn a_detached_final_hamza_joins_its_word() {
        assert_eq!(toks("علا ء", NameField::Given), ["علاء"]);
        assert_eq!(toks("ء علي", NameField::Given), ["علي"]);
    }

    #[test]
    fn connectors_dropped_in_full_names() {
        assert_eq!(toks("محمد بن سلمان", NameField::Full), ["محمد", "سلمان"]);
        assert_eq!(toks("bin", NameField::Full), ["bin"]);
    }
}
