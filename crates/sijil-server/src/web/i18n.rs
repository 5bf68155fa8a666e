//! The message catalogue: every string a user reads comes from `locales/{ar,en}/main.ftl`
//! (Project Fluent), compiled into the binary. Arabic is the default language.
//!
//! Placeables are not wrapped in bidi isolation marks by Fluent: messages only interpolate
//! numbers, and names are isolated by the templates with `<bdi>`, which also works for text
//! that is not a message.

use std::sync::LazyLock;

use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// العربية: the default.
    Ar,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 code, for `lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::En => "en",
        }
    }

    /// The writing direction, for `dir=`.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            Lang::En => "ltr",
        }
    }

    /// The language the switch offers.
    pub fn other(self) -> Lang {
        match self {
            Lang::Ar => Lang::En,
            Lang::En => Lang::Ar,
        }
    }

    /// Parses `ar` or `en`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "ar" => Some(Lang::Ar),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Whether this is Arabic (for choosing the domain's own Arabic or English messages).
    pub fn is_ar(self) -> bool {
        self == Lang::Ar
    }
}

const AR: &str = include_str!("../../locales/ar/main.ftl");
const EN: &str = include_str!("../../locales/en/main.ftl");

struct Catalogue {
    ar: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| Catalogue {
    ar: bundle("ar", AR),
    en: bundle("en", EN),
});

fn bundle(code: &str, source: &str) -> FluentBundle<FluentResource> {
    let resource = FluentResource::try_new(source.to_owned())
        .unwrap_or_else(|(_, errors)| panic!("the {code} catalogue does not parse: {errors:?}"));
    let langid: unic_langid::LanguageIdentifier = code.parse().expect("a valid language id");
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("the {code} catalogue repeats messages: {errors:?}"));
    bundle
}

/// Wraps the left-to-right runs of an Arabic text that the bidi algorithm would scramble
/// (dates such as `1990-04-12`, codes such as `YYYY-MM` or `U+202E`) in LRI … PDI, so they
/// read as written. Runs of bare digits are left alone: they display correctly already.
pub fn isolate_ltr(text: &str) -> String {
    let is_run =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.' | ':' | '/' | '_');
    let mut out = String::with_capacity(text.len() + 8);
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        // Trailing punctuation belongs to the sentence, not the run.
        let core = run.trim_end_matches(['.', ':', '-', '/']);
        let tail = &run[core.len()..];
        let needs = core.chars().any(|c| c.is_ascii_alphabetic())
            || (core
                .chars()
                .any(|c| matches!(c, '-' | '+' | '.' | ':' | '/' | '_'))
                && core.chars().any(|c| c.is_ascii_digit()));
        if needs {
            out.push('\u{2066}');
            out.push_str(core);
            out.push('\u{2069}');
            out.push_str(tail);
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if is_run(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Looks messages up in one language. Cheap to copy; templates call [`Tr::t`].
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    fn bundle(self) -> &'static FluentBundle<FluentResource> {
        match self.0 {
            Lang::Ar => &CATALOGUE.ar,
            Lang::En => &CATALOGUE.en,
        }
    }

    fn format(self, id: &str, args: Option<&FluentArgs>) -> String {
        let bundle = self.bundle();
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            // A missing message shows its id rather than failing the page; the catalogue tests
            // make sure none is missing.
            return id.to_owned();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        match self.0 {
            Lang::Ar => isolate_ltr(&text),
            Lang::En => text.into_owned(),
        }
    }

    /// The message `id`.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with one numeric argument.
    pub fn n(&self, id: &str, name: &str, value: &i64) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), FluentValue::from(*value));
        self.format(id, Some(&args))
    }

    /// The message `id` with one text argument (never a name: see the module's note).
    pub fn s(&self, id: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), FluentValue::from(value.to_owned()));
        self.format(id, Some(&args))
    }

    /// `prefix-key` if the catalogue has it, else `key` itself (for codes such as audit
    /// actions, where an unknown code is still worth showing).
    pub fn code(&self, prefix: &str, key: &str) -> String {
        let id = format!("{prefix}-{}", key.replace(['.', '_', '+'], "-"));
        if self.bundle().has_message(&id) {
            self.t(&id)
        } else {
            key.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn ids(source: &str) -> BTreeSet<String> {
        source
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter_map(|l| l.split_once('=').map(|(id, _)| id.trim().to_owned()))
            .collect()
    }

    #[test]
    fn both_catalogues_have_the_same_messages() {
        let (ar, en) = (ids(AR), ids(EN));
        assert!(ar.len() > 50);
        assert_eq!(
            ar.symmetric_difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new()
        );
        // And both parse.
        assert_eq!(Tr(Lang::Ar).t("app-name"), "سجل");
        assert_eq!(Tr(Lang::En).t("app-name"), "Sijil");
    }

    #[test]
    fn every_message_a_template_or_handler_asks_for_exists() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        let mut used = BTreeSet::new();
        let mut scan = |path: std::path::PathBuf| {
            let text = std::fs::read_to_string(&path).unwrap();
            for quote in ["t(\"", "n(\"", "s(\""] {
                for part in text.split(quote).skip(1) {
                    if let Some(id) = part.split('"').next()
                        && id.contains('-')
                        && id.starts_with(|c: char| c.is_ascii_lowercase())
                        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    {
                        used.insert(id.to_owned());
                    }
                }
            }
        };
        for sub in ["templates", "src/web"] {
            let mut stack = vec![std::path::PathBuf::from(dir).join(sub)];
            while let Some(p) = stack.pop() {
                if p.is_dir() {
                    stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                } else {
                    scan(p);
                }
            }
        }
        let known = ids(AR);
        let missing: Vec<_> = used.iter().filter(|id| !known.contains(*id)).collect();
        assert!(used.len() > 50, "the scan found the messages in use");
        assert_eq!(missing, Vec::<&String>::new());
    }

    #[test]
    fn every_code_shown_through_a_prefix_has_a_message() {
        // Every level of every comparison the matcher explains (its own names, kept in
        // sijil-match's compare tables and REGIME_NAMES).
        let mut levels: Vec<&str> = vec![
            "null",
            "exact",
            "exact_loose",
            "known_variant",
            "skeleton_close",
            "skeleton_only",
            "typo",
            "different",
            "known_different",
            "different_across_scripts",
            "different_one_letter",
            "different_across_scripts_one_consonant",
            "same_partial",
            "day_month_swapped",
            "same_year_month",
            "same_year_one_imprecise",
            "same_year",
            "year_off_same_day",
            "year_off",
            "agree",
            "disagree",
            "loose",
            "close",
            "place_and_number",
            "place_number_missing",
            "place_number_differs",
            "number_only",
            "one_digit_off",
            "different_unverified",
            "different_valid",
            "in_order",
            "first_and_father_swapped",
            "prior",
        ];
        levels.extend(sijil_match::REGIME_NAMES);
        let fields: Vec<&str> = crate::web::register::GROUPS
            .iter()
            .flat_map(|(_, f)| f.iter().copied())
            .chain(["source", "name"])
            .collect();
        let evidence = [
            "family_booklet",
            "civil_id_card",
            "birth_certificate",
            "passport",
            "register_extract",
            "refugee_card",
            "court_decision",
            "foreign_document",
            "witness",
        ];
        let families: [(&str, &[&str]); 13] = [
            ("role", &["administrator", "clerk", "auditor"]),
            ("event", &["birth", "death", "marriage", "divorce"]),
            ("evidence", &evidence),
            (
                "reason",
                &[
                    "national_number",
                    "national_number_new",
                    "no_national_number",
                    "match",
                    "no_candidate",
                    "review",
                    "national_number_held",
                    "first_name_differs",
                ],
            ),
            ("review-kind", &["possible_match", "merge"]),
            ("term", &sijil_match::TERMS),
            ("level", levels.as_slice()),
            (
                "adjudicate-done",
                &["merged", "split", "reason", "unknown", "conflict"],
            ),
            (
                "decision-kind",
                &["resolution", "link", "separate", "merge", "split", "undo"],
            ),
            ("sex", &["M", "F"]),
            ("field", &fields),
            ("action", &crate::web::audit::ACTIONS),
            (
                "error",
                &[
                    "forbidden-title",
                    "not-found-title",
                    "csrf-title",
                    "bad-request-title",
                    "internal-title",
                    "forbidden-text",
                    "not-found-text",
                    "csrf-text",
                    "bad-request-text",
                    "internal-text",
                ],
            ),
        ];
        for lang in [Lang::Ar, Lang::En] {
            for (prefix, codes) in families {
                for code in codes {
                    let id = format!("{prefix}-{}", code.replace(['.', '_', '+'], "-"));
                    assert!(Tr(lang).bundle().has_message(&id), "{lang:?} lacks {id}");
                }
            }
        }
    }

    #[test]
    fn latin_runs_in_arabic_are_isolated_but_plain_numbers_are_not() {
        assert_eq!(
            isolate_ltr("تاريخ كامل: 2024-03-15"),
            "تاريخ كامل: \u{2066}2024-03-15\u{2069}"
        );
        assert_eq!(isolate_ltr("يتكون من 11 رقماً"), "يتكون من 11 رقماً");
        assert_eq!(
            isolate_ltr("المحرف U+202E غير"),
            "المحرف \u{2066}U+202E\u{2069} غير"
        );
        assert_eq!(isolate_ltr("مثل DAM-02."), "مثل \u{2066}DAM-02\u{2069}.");
    }

    #[test]
    fn numbers_are_interpolated_with_the_languages_plural_rules() {
        assert!(
            Tr(Lang::En)
                .n("audit-verified", "count", &3)
                .contains("3 entries")
        );
        assert!(
            Tr(Lang::En)
                .n("audit-verified", "count", &1)
                .contains("1 entry")
        );
        let ar = |n: i64| Tr(Lang::Ar).n("audit-verified", "count", &n);
        assert!(ar(1).contains("قيد واحد"));
        assert!(ar(2).contains("قيدين"));
        assert!(ar(3).contains("3 قيود"));
        assert!(ar(11).contains("11 قيداً"));
        assert!(ar(100).contains("100 قيد."));
    }
}
