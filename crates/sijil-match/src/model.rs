//! The trained model: Fellegi–Sunter probabilities, term frequencies and settings; the match
//! weight of a comparison vector and its explanation.

use serde::{Deserialize, Serialize};

use crate::compare::{
    C_BIRTH_PLACE, C_DATE, C_FIRST, C_GRANDFATHER, C_MOTHER_FAMILY, C_ORDER, C_REGISTRY_MEN,
    C_REGISTRY_WOMEN, COMPARISON_NAMES, CORE, NCOMP, NPARAM, NREGIME, Stats, Vector, dl,
    level_names, nl, ol,
};
use crate::prepare::{FIRST, GRANDFATHER, MOTHER_FAMILY};
use crate::tf::TermFrequencies;

/// Version of the saved model format.
pub const MODEL_FORMAT: u32 = 1;

/// Smallest probability a level is given, so that no weight is infinite.
pub(crate) const P_MIN: f64 = 1e-6;

/// The most a term-frequency adjustment may add, in bits: a value seen once in training must
/// not outweigh the rest of the evidence.
const TF_CAP: f64 = 10.0;

/// Names of the regimes (which of father, family, mother agree), by regime bits.
pub const REGIME_NAMES: [&str; NREGIME] = [
    "none",
    "father",
    "family",
    "father+family",
    "mother",
    "father+mother",
    "family+mother",
    "father+family+mother",
];

/// The terms of every [`Explanation`], in order: the prior, the family core, then each
/// comparison.
pub const TERMS: [&str; NCOMP + 2] = [
    "prior",
    "family_core",
    COMPARISON_NAMES[0],
    COMPARISON_NAMES[1],
    COMPARISON_NAMES[2],
    COMPARISON_NAMES[3],
    COMPARISON_NAMES[4],
    COMPARISON_NAMES[5],
    COMPARISON_NAMES[6],
    COMPARISON_NAMES[7],
    COMPARISON_NAMES[8],
    COMPARISON_NAMES[9],
    COMPARISON_NAMES[10],
    COMPARISON_NAMES[11],
    COMPARISON_NAMES[12],
];

/// Decision thresholds and other settings kept with a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Match weight (log₂ odds) at or above which a pair is linked.
    pub link_threshold: f64,
    /// Match weight below which a record is a new person; between the two it goes to review.
    pub review_threshold: f64,
    /// Contrary evidence (sum of a pair's negative comparison weights, in bits) at or below
    /// which two records may never be put in one cluster, whatever links them through others,
    /// unless their own weight reaches the review threshold all the same.
    pub veto: f64,
    /// Most records of one blocking group a record is compared with (the latest ones).
    ///
    /// Twenty by default: among a million people (1.65 million records) it compares 28
    /// million pairs instead of the 49 million of a cap of 200, and pairwise F1 moved from
    /// 0.9770 to 0.9774 on the generator's file, and from 0.9763 to 0.9759 on the same file
    /// shuffled (where a person's records lie far apart); see bench/RESULTS.md. This is the
    /// cap of the kinds that find most true pairs alone; the others take a share of it (a
    /// quarter or half, see `block::CAP_PERCENT`).
    pub block_cap: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            link_threshold: 0.0,
            review_threshold: -8.0,
            veto: -10.0,
            block_cap: 20,
        }
    }
}

/// What training saw, kept in the model for the record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainingReport {
    /// Records trained on.
    pub records: u64,
    /// Random pairs sampled for `u`, all regimes together.
    pub random_pairs: u64,
    /// Blocked pairs sampled for EM.
    pub blocked_pairs: u64,
    /// EM iterations run.
    pub iterations: u32,
    /// Estimated matching pairs among all pairs of the training records.
    pub expected_matches: f64,
}

/// A Fellegi–Sunter model learnt from data. [`crate::dedup`] learns one (see
/// [`crate::Dedup::model`]); save it with
/// [`Model::to_json`], load it with [`Model::from_json`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "ModelRepr", into = "ModelRepr")]
pub struct Model {
    pub(crate) settings: Settings,
    /// Probability that a random pair of records is one person.
    pub(crate) prior: f64,
    /// `m[c][level]`: P(level | match); `c` below [`NCOMP`] for pairs in one script, above
    /// for pairs across scripts.
    pub(crate) m: Vec<Vec<f64>>,
    /// `u[regime][c][level]`: P(level | non-match, regime); for core comparisons, given
    /// agreement (in the regime) or disagreement (outside it).
    pub(crate) u: Vec<Vec<Vec<f64>>>,
    /// `rest[regime][mask]`: P(none of the core fields in `mask` agree | the regime's fields
    /// agree, non-match), `mask` being the core fields outside the regime present in both.
    pub(crate) rest: Vec<Vec<f64>>,
    pub(crate) tf: TermFrequencies,
    pub(crate) report: TrainingReport,
    /// Log-weights derived from the above.
    w: Weights,
}

#[derive(Serialize, Deserialize)]
struct ModelRepr {
    format: u32,
    settings: Settings,
    prior: f64,
    report: TrainingReport,
    m: Vec<Vec<f64>>,
    u: Vec<Vec<Vec<f64>>>,
    rest: Vec<Vec<f64>>,
    tf: TermFrequencies,
}

impl TryFrom<ModelRepr> for Model {
    type Error = String;
    fn try_from(r: ModelRepr) -> Result<Self, String> {
        if r.format != MODEL_FORMAT {
            return Err(format!(
                "model format {} is not supported (expected {MODEL_FORMAT})",
                r.format
            ));
        }
        let levels_ok = |x: &Vec<Vec<f64>>| {
            x.len() == NPARAM
                && x.iter()
                    .enumerate()
                    .all(|(c, l)| l.len() == level_names(c % NCOMP).len())
        };
        let shape_ok = levels_ok(&r.m)
            && r.u.len() == NREGIME
            && r.u.iter().all(levels_ok)
            && r.rest.len() == NREGIME
            && r.rest.iter().all(|x| x.len() == NREGIME)
            && r.tf.names.len() == 6
            && r.tf.joint.len() == NREGIME
            && r.prior > 0.0
            && r.prior < 1.0;
        if !shape_ok {
            return Err("model parameters have the wrong shape".into());
        }
        Ok(Model::assemble(
            r.settings, r.prior, r.m, r.u, r.rest, r.tf, r.report,
        ))
    }
}

impl From<Model> for ModelRepr {
    fn from(m: Model) -> Self {
        ModelRepr {
            format: MODEL_FORMAT,
            settings: m.settings,
            prior: m.prior,
            report: m.report,
            m: m.m,
            u: m.u,
            rest: m.rest,
            tf: m.tf,
        }
    }
}

/// Precomputed log₂ values.
#[derive(Debug, Clone, Default)]
struct Weights {
    prior: f64,
    /// `log2 m[c][l]`.
    lm: Vec<Vec<f64>>,
    /// `log2 u[regime][c][l]`.
    lu: Vec<Vec<Vec<f64>>>,
    /// `log2 rest[regime][mask]`.
    lrest: Vec<Vec<f64>>,
    records: f64,
}

/// The frequencies of a pair's values (see [`pair_tf`]).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PairTf {
    pub core: u32,
    pub first: u32,
    pub grandfather: u32,
    pub mother_family: u32,
    pub date: u32,
    pub birth_place: u32,
    pub registry: u32,
    /// The share of the first name among records born in the same decade (0 when unknown).
    pub first_in_decade: f64,
}

/// The larger count of each value of a pair (symmetric in the two records). For a crosswise
/// pair the record whose names are out of order has a family-core key that no family shares, so
/// the larger count is the other record's, which is the one wanted.
pub(crate) fn pair_tf(v: &Vector, a: &Stats, b: &Stats) -> PairTf {
    let share = |x: &Stats| {
        if x.decade > 1 && x.first_decade > 0 {
            f64::from(x.first_decade.saturating_sub(1).max(1)) / f64::from(x.decade - 1)
        } else {
            0.0
        }
    };
    let s = usize::from(v.regime);
    PairTf {
        core: a.joint[s].max(b.joint[s]),
        first: a.names[FIRST].max(b.names[FIRST]),
        grandfather: a.names[GRANDFATHER].max(b.names[GRANDFATHER]),
        mother_family: a.names[MOTHER_FAMILY].max(b.names[MOTHER_FAMILY]),
        date: a.date.max(b.date),
        birth_place: a.birth_place.max(b.birth_place),
        registry: a.registry.max(b.registry),
        first_in_decade: share(a).max(share(b)),
    }
}

/// One comparison's part in a match weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Term {
    /// The comparison (`first_name`, `family_core`, `birth_date`, …; `prior` for the prior).
    pub comparison: &'static str,
    /// Its level for this pair (`exact`, `known_variant`, `father+family+mother`, …).
    pub level: &'static str,
    /// Bits this comparison adds to the match weight (term-frequency adjustment included).
    pub weight: f64,
    /// The part of `weight` that comes from how common the value is.
    pub tf_adjustment: f64,
}

/// Why a pair scored what it did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Explanation {
    /// Match weight: log₂ of the odds that the two records are one person.
    pub weight: f64,
    /// The same as a probability.
    pub probability: f64,
    /// The prior, the family core, then each comparison, in a fixed order; comparisons with
    /// no data (`null`) are included with weight 0.
    pub terms: Vec<Term>,
}

/// Converts a match weight to a probability.
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

impl Model {
    pub(crate) fn assemble(
        settings: Settings,
        prior: f64,
        m: Vec<Vec<f64>>,
        u: Vec<Vec<Vec<f64>>>,
        rest: Vec<Vec<f64>>,
        tf: TermFrequencies,
        report: TrainingReport,
    ) -> Self {
        let l = |p: f64| p.max(P_MIN).log2();
        let w = Weights {
            prior: l(prior) - l(1.0 - prior),
            lm: m
                .iter()
                .map(|x| x.iter().map(|&p| l(p)).collect())
                .collect(),
            lu: u
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|x| x.iter().map(|&p| l(p)).collect())
                        .collect()
                })
                .collect(),
            lrest: rest
                .iter()
                .map(|x| x.iter().map(|&p| l(p)).collect())
                .collect(),
            records: tf.records.max(1) as f64,
        };
        Model {
            settings,
            prior,
            m,
            u,
            rest,
            tf,
            report,
            w,
        }
    }

    /// The settings (thresholds, blocking cap).
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Replaces the settings.
    pub fn set_settings(&mut self, settings: Settings) {
        self.settings = settings;
    }

    /// What training saw.
    pub fn report(&self) -> &TrainingReport {
        &self.report
    }

    /// The model as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a model always serialises")
    }

    /// Reads a model written by [`Model::to_json`].
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// `log2(max(count − 1, 1) / N)`: the log chance that another record holds the value.
    fn log_tf(&self, count: u32) -> f64 {
        (f64::from(count.saturating_sub(1).max(1)) / self.w.records).log2()
    }

    fn tf_adjust(&self, mean: f64, count: u32) -> f64 {
        self.tf_adjust_capped(mean, count, TF_CAP)
    }

    fn tf_adjust_capped(&self, mean: f64, count: u32, cap: f64) -> f64 {
        if mean <= 0.0 {
            return 0.0;
        }
        (mean.log2() - self.log_tf(count)).min(cap)
    }

    /// The match weight of a vector, calling `emit` with each term (for explanations).
    pub(crate) fn weigh(
        &self,
        v: &Vector,
        tf: &PairTf,
        mut emit: impl FnMut(&'static str, &'static str, f64, f64),
    ) -> f64 {
        let w = &self.w;
        let s = usize::from(v.regime);
        let o = v.offset();
        let mut total = w.prior;
        emit("prior", "prior", w.prior, 0.0);
        // The family core: chance agreement on the regime's fields counted jointly, then the
        // fields outside it that could have agreed and did not.
        let mut mask = 0;
        for (bit, &c) in CORE.iter().enumerate() {
            if s & (1 << bit) == 0 && v.levels[c] != nl::NULL {
                mask |= 1 << bit;
            }
        }
        let mut core = -w.lrest[s][mask];
        if s != 0 {
            core -= self.log_tf(tf.core);
        }
        total += core;
        emit("family_core", REGIME_NAMES[s], core, 0.0);
        for c in 0..NCOMP {
            let l = usize::from(v.levels[c]);
            if l == 0 && c != C_ORDER {
                emit(COMPARISON_NAMES[c], level_names(c)[l], 0.0, 0.0);
                continue;
            }
            let base = w.lm[o + c][l] - w.lu[s][o + c][l];
            let adj = self.adjustment(v, c, s, tf);
            total += base + adj;
            emit(COMPARISON_NAMES[c], level_names(c)[l], base + adj, adj);
        }
        total
    }

    fn adjustment(&self, v: &Vector, c: usize, s: usize, tf: &PairTf) -> f64 {
        let t = &self.tf;
        let level = v.levels[c];
        let name_agrees = matches!(level, nl::VARIANT | nl::LOOSE | nl::EXACT);
        let same_years = matches!(
            v.levels[C_DATE],
            dl::EXACT
                | dl::SAME_PARTIAL
                | dl::SWAPPED
                | dl::YEAR_MONTH
                | dl::IMPRECISE
                | dl::SAME_YEAR
                | dl::YEAR_OFF_SAME_DAY
                | dl::YEAR_OFF
        );
        match c {
            // Born within a year of each other: how common the name was among people born
            // then is what says how often it agrees by chance.
            C_FIRST if name_agrees && same_years && tf.first_in_decade > 0.0 => {
                let mean = t.names[FIRST].mean;
                if mean <= 0.0 {
                    0.0
                } else {
                    (mean.log2() - tf.first_in_decade.log2()).min(TF_CAP)
                }
            }
            C_FIRST if name_agrees => self.tf_adjust(t.names[FIRST].mean, tf.first),
            C_GRANDFATHER if name_agrees && s & 1 == 0 => {
                self.tf_adjust(t.names[GRANDFATHER].mean, tf.grandfather)
            }
            C_MOTHER_FAMILY if name_agrees && s & 4 == 0 => {
                self.tf_adjust(t.names[MOTHER_FAMILY].mean, tf.mother_family)
            }
            // Dates are nearly uniform: only a default date (1 January) is common enough to
            // weigh less; a rare date earns nothing extra (twins share theirs by birth).
            C_DATE if level == dl::EXACT || level == dl::SAME_PARTIAL => {
                self.tf_adjust_capped(t.date.mean, tf.date, 0.0)
            }
            // Places and registers are spelled many ways: keep a rare spelling from counting
            // as a rare place.
            C_BIRTH_PLACE if level == ol::PLACE_EXACT || level == ol::PLACE_LOOSE => {
                self.tf_adjust_capped(t.birth_place.mean, tf.birth_place, 3.0)
            }
            // Siblings share a register whatever its size: only outside the family core does
            // a small register make agreement rarer.
            C_REGISTRY_MEN | C_REGISTRY_WOMEN if level == ol::REG_BOTH && s & 3 != 3 => {
                self.tf_adjust_capped(t.registry.mean, tf.registry, 3.0)
            }
            _ => 0.0,
        }
    }

    /// The match weight of a vector.
    #[inline]
    pub(crate) fn score(&self, v: &Vector, tf: &PairTf) -> f64 {
        self.weigh(v, tf, |_, _, _, _| {})
    }

    /// Whether two records may be in one cluster: not when the model finds them unlikely to be
    /// one person (below the review threshold) *and* the reason is contrary evidence (the sum
    /// of the negative comparison weights, prior excluded, at or below the veto), as between
    /// siblings. A pair that merely lacks evidence (a sparse foreign record) may be joined
    /// through others; so may a pair whose contradictions (two typing slips) are outweighed.
    pub(crate) fn compatible(&self, v: &Vector, tf: &PairTf) -> bool {
        let mut contrary = 0.0;
        let weight = self.weigh(v, tf, |c, _, w, _| {
            if c != "prior" && w < 0.0 {
                contrary += w;
            }
        });
        let s = &self.settings;
        !(contrary <= s.veto && weight < s.review_threshold)
    }

    /// The match weight of a vector with its terms.
    pub(crate) fn explain(&self, v: &Vector, tf: &PairTf) -> Explanation {
        let mut terms = Vec::with_capacity(NCOMP + 2);
        let weight = self.weigh(v, tf, |comparison, level, weight, tf_adjustment| {
            terms.push(Term {
                comparison,
                level,
                weight,
                tf_adjustment,
            })
        });
        Explanation {
            weight,
            probability: probability(weight),
            terms,
        }
    }
}
