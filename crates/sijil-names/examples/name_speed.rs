//! Times key building and comparison over about a million synthetic names and pairs.
//!
//! `cargo run --release -p sijil-names --example name_speed [pairs]`
//!
//! The names are made up here, from a short list and a few kinds of noise (marks, tatweel,
//! hamza and alef variants, compound spacing, Latin spellings, case): enough to exercise every
//! path, not a model of real data. Each timing is the best of three rounds, so that other
//! work on the machine disturbs it less.

use std::hint::black_box;
use std::time::{Duration, Instant};

use sijil_names::{Level, NameField, NameKey, compare, compare_full};

const ARABIC: &[&str] = &[
    "محمد",
    "أحمد",
    "محمود",
    "علي",
    "حسن",
    "حسين",
    "عمر",
    "خالد",
    "يوسف",
    "إبراهيم",
    "عبد الرحمن",
    "عبد الله",
    "نور الدين",
    "أبو بكر",
    "مصطفى",
    "سعيد",
    "سعد",
    "علاء",
    "فاطمة",
    "عائشة",
    "زينب",
    "مريم",
    "آمنة",
    "هدى",
    "وائل",
    "مؤمن",
    "شادي",
    "جمال",
    "جميل",
    "طارق",
    "الحلبي",
    "الحمصي",
    "الخطيب",
    "النجار",
    "قباني",
    "طرابيشي",
    "الشيخ",
    "حداد",
    "كريم",
    "ياسين",
];
const LATIN: &[&str] = &[
    "Mohammed",
    "Ahmad",
    "Mahmoud",
    "Ali",
    "Hassan",
    "Hussein",
    "Omar",
    "Khaled",
    "Youssef",
    "Ibrahim",
    "Abdul Rahman",
    "Abdallah",
    "Nour Eddine",
    "Abu Bakr",
    "Moustafa",
    "Said",
    "Saad",
    "Alaa",
    "Fatima",
    "Ayşe",
    "Zeynep",
    "Maryam",
    "Amna",
    "Houda",
    "Wael",
    "Moumen",
    "Chadi",
    "Cemal",
    "Jamil",
    "Tarek",
    "Al-Halabi",
    "Homsi",
    "El Khatib",
    "Najjar",
    "Kabbani",
    "Tarabishi",
    "Sheikh",
    "Haddad",
    "Karim",
    "Yassin",
];
const MARKS: &[char] = &[
    '\u{064E}', '\u{064F}', '\u{0650}', '\u{0651}', '\u{0652}', 'ـ',
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A noisy spelling of name `i` of the list.
fn noisy(rng: &mut Rng, i: usize) -> String {
    if rng.below(3) == 0 {
        let s = LATIN[i % LATIN.len()];
        return match rng.below(3) {
            0 => s.to_uppercase(),
            1 => s.replace(' ', ""),
            _ => s.to_owned(),
        };
    }
    let mut out = String::new();
    for c in ARABIC[i % ARABIC.len()].chars() {
        let c = match (c, rng.below(6)) {
            ('أ' | 'إ' | 'آ', 0) => 'ا',
            ('ة', 0) => 'ه',
            ('ى', 0) => 'ي',
            (' ', 0) => continue,
            (c, _) => c,
        };
        out.push(c);
        if rng.below(8) == 0 {
            out.push(MARKS[rng.below(MARKS.len())]);
        }
    }
    out
}

fn field(i: usize) -> NameField {
    if i % ARABIC.len() >= 30 {
        NameField::Family
    } else {
        NameField::Given
    }
}

fn main() {
    let pairs: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let mut rng = Rng(0x5151_C0DE);

    // Key building over `pairs` fresh strings (the strings are made before the clock starts).
    // NAME_SPEED_SKIP_BUILD=1 skips this part (for profiling the comparisons).
    let build_n = if std::env::var_os("NAME_SPEED_SKIP_BUILD").is_some() {
        0
    } else {
        pairs
    };
    let texts: Vec<(String, NameField)> = (0..build_n)
        .map(|_| {
            let i = rng.below(ARABIC.len());
            (noisy(&mut rng, i), field(i))
        })
        .collect();
    let mut tokens = 0usize;
    let build = best_of(3, || {
        tokens = 0;
        for (s, f) in &texts {
            let k = NameKey::new(black_box(s), *f);
            tokens += k.token_count();
            black_box(&k);
        }
    });
    println!(
        "key building: {build_n} names, {:.0} ns/name ({tokens} tokens)",
        build.as_nanos() as f64 / build_n.max(1) as f64
    );

    // Comparison over `pairs` pairs drawn from a pool of keys: half are two spellings of one
    // name (the hard, slow cases), half are unrelated.
    let pool_size: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let pool: Vec<(usize, NameKey)> = (0..pool_size)
        .map(|_| {
            let i = rng.below(ARABIC.len());
            (i, NameKey::new(&noisy(&mut rng, i), field(i)))
        })
        .collect();
    let by_name: Vec<Vec<usize>> = (0..ARABIC.len())
        .map(|n| (0..pool.len()).filter(|&p| pool[p].0 == n).collect())
        .collect();
    let idx: Vec<(usize, usize)> = (0..pairs)
        .map(|k| {
            let a = rng.below(pool.len());
            let b = if k % 2 == 0 {
                let same = &by_name[pool[a].0];
                same[rng.below(same.len())]
            } else {
                rng.below(pool.len())
            };
            (a, b)
        })
        .collect();
    let mut histogram = [0usize; 7];
    let cmp = best_of(3, || {
        histogram = [0; 7];
        for &(a, b) in &idx {
            let c = compare(black_box(&pool[a].1), black_box(&pool[b].1));
            histogram[c.level.index()] += 1;
        }
    });
    println!(
        "compare: {pairs} pairs, {:.1} ns/pair",
        cmp.as_nanos() as f64 / pairs as f64
    );
    for (l, n) in Level::ALL.iter().zip(histogram) {
        println!("  {l:?}: {n}");
    }

    let mut matched = 0;
    let full = best_of(3, || {
        matched = 0;
        for &(a, b) in &idx {
            matched += compare_full(black_box(&pool[a].1), black_box(&pool[b].1))
                .pairs()
                .len();
        }
    });
    println!(
        "compare_full: {pairs} pairs, {:.1} ns/pair ({matched} token pairs)",
        full.as_nanos() as f64 / pairs as f64
    );
}

/// The shortest of `rounds` runs of `f`.
fn best_of(rounds: usize, mut f: impl FnMut()) -> Duration {
    (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}
