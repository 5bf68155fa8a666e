//! Runs the batch on a generated population and scores it against the truth file.
//!
//! `cargo run --release -p sijil-match --example eval -- DIR [--model FILE]`
//!
//! `DIR` holds `records.csv` and `truth.csv` as `sijil gen` writes them. Prints pairwise
//! precision, recall and F1, B-cubed F1, how many true pairs blocking made candidates, and
//! the time of each stage. The truth is used for these numbers only.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::time::Instant;

use sijil_match::{Model, ModelSource, Settings, dedup};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).expect("usage: eval DIR [--model FILE]");
    let t0 = Instant::now();
    let today = time::OffsetDateTime::now_utc().date();
    let input = BufReader::new(File::open(format!("{dir}/records.csv")).expect("records.csv"));
    let lines = sijil_core::interchange::read_all(input, today).expect("valid records");
    let records: Vec<_> = lines.into_iter().map(|l| l.record).collect();
    let truth = read_truth(&format!("{dir}/truth.csv"));
    let person: Vec<u32> = records.iter().map(|r| truth[&r.record_id]).collect();
    let read = t0.elapsed();
    let source = match args.iter().position(|a| a == "--model") {
        Some(i) => ModelSource::Use(
            Model::from_json(&std::fs::read_to_string(&args[i + 1]).expect("model"))
                .expect("model"),
        ),
        None => ModelSource::Train(Settings::default()),
    };
    let t1 = Instant::now();
    let d = dedup(&records, source, &Timer(std::sync::Mutex::new(None)));
    let run = t1.elapsed();
    let (p, r, f) = pairwise(d.labels(), &person);
    let b3 = bcubed(d.labels(), &person);
    let found = d
        .pairs()
        .iter()
        .filter(|x| person[x.earlier as usize] == person[x.later as usize])
        .count();
    println!(
        "records {} read {:.2}s dedup {:.2}s compared {}",
        records.len(),
        read.as_secs_f64(),
        run.as_secs_f64(),
        d.compared()
    );
    println!("pairwise P {p:.4} R {r:.4} F1 {f:.4}  B3 F1 {b3:.4}");
    println!("true pairs scored >= review: {found}");
    println!("model: {:?}", d.model().report());
    let show = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .map(|i| args[i + 1].parse::<usize>().expect("count"))
            .unwrap_or(0)
    };
    let row = |i: u32| {
        let r = &records[i as usize];
        let f = |x: &Option<String>| x.clone().unwrap_or_default();
        format!(
            "{} | {} | {} | {} | {} | {} | {} | {:?} | {} | {} | {} {} | {} | {}",
            r.record_id,
            f(&r.first_name),
            f(&r.father_name),
            f(&r.grandfather_name),
            f(&r.family_name),
            f(&r.mother_name),
            f(&r.mother_family_name),
            r.sex,
            r.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            f(&r.birth_place),
            f(&r.registry_place),
            f(&r.registry_number),
            r.national_number
                .as_ref()
                .map(|n| n.to_string())
                .or(r.unverified_national_number.clone())
                .unwrap_or_default(),
            f(&r.source)
        )
    };
    let explain = |a: u32, b: u32| {
        let e = d.explain(a, b);
        let terms: Vec<String> = e
            .terms
            .iter()
            .filter(|t| t.weight != 0.0)
            .map(|t| format!("{}={}:{:.1}", t.comparison, t.level, t.weight))
            .collect();
        format!("  w={:.1} {}", e.weight, terms.join(" "))
    };
    // False positives: pairs in one cluster of different people (linked pairs above threshold).
    let filter = args
        .iter()
        .position(|a| a == "--filter")
        .map(|i| args[i + 1].clone());
    let mut shown = 0;
    for x in d.pairs() {
        if shown >= show("--fp") {
            break;
        }
        let (a, b) = (x.earlier, x.later);
        if let Some(f) = &filter
            && !explain(a, b).contains(f.as_str())
        {
            continue;
        }
        if person[a as usize] != person[b as usize]
            && d.labels()[a as usize] == d.labels()[b as usize]
            && x.weight >= d.model().settings().link_threshold
        {
            println!("FP\n  {}\n  {}\n{}", row(a), row(b), explain(a, b));
            shown += 1;
        }
    }
    // False negatives: records of one person in different clusters.
    let mut first_of: HashMap<u32, u32> = HashMap::new();
    let mut shown = 0;
    for i in 0..records.len() as u32 {
        if shown >= show("--fn") {
            break;
        }
        let p = person[i as usize];
        match first_of.get(&p) {
            Some(&j) if d.labels()[j as usize] != d.labels()[i as usize] => {
                println!("FN\n  {}\n  {}\n{}", row(j), row(i), explain(j, i));
                shown += 1;
            }
            Some(_) => {}
            None => {
                first_of.insert(p, i);
            }
        }
    }
    if args.iter().any(|a| a == "--keys") {
        // For each key, the true pairs that share it and the ones only it finds.
        let mut by_person: HashMap<u32, Vec<u32>> = HashMap::new();
        for (i, &p) in person.iter().enumerate() {
            by_person.entry(p).or_default().push(i as u32);
        }
        let n = sijil_match::BLOCKING_KEYS.len();
        let (mut share, mut only) = (vec![0u64; n], vec![0u64; n]);
        for recs in by_person.values() {
            for (x, &a) in recs.iter().enumerate() {
                for &b in &recs[..x] {
                    let bits = d.shared_keys(a, b);
                    for k in 0..n {
                        if bits & (1 << k) != 0 {
                            share[k] += 1;
                            if bits == 1 << k {
                                only[k] += 1;
                            }
                        }
                    }
                }
            }
        }
        for k in 0..n {
            println!(
                "  key {:<24} shares {:>8} only {:>6}",
                sijil_match::BLOCKING_KEYS[k],
                share[k],
                only[k]
            );
        }
    }
    if args.iter().any(|a| a == "--blocking") {
        blocking(&d, &records, &person);
    }
    if args.iter().any(|a| a == "--why") {
        why(&d, &person, &row, show("--nokey"));
    }
    if args.iter().any(|a| a == "--save") {
        std::fs::write("/tmp/eval-model.json", d.model().to_json()).expect("save");
    }
}

/// Per key kind under the caps: the candidate pairs it adds (no earlier kind yields them),
/// how many of those are true, and the true pairs only it yields; then the share of true
/// pairs that are candidates and that end in one cluster, for all, cross-script and swapped.
fn blocking(d: &sijil_match::Dedup, records: &[sijil_core::PersonRecord], person: &[u32]) {
    let mut by_person: HashMap<u32, Vec<u32>> = HashMap::new();
    for (i, &p) in person.iter().enumerate() {
        by_person.entry(p).or_default().push(i as u32);
    }
    let mut truth = Vec::new();
    for recs in by_person.values() {
        for (x, &b) in recs.iter().enumerate() {
            for &a in &recs[..x] {
                truth.push((a.min(b), a.max(b)));
            }
        }
    }
    truth.sort_unstable();
    let (per_kind, bits) = d.blocking_report(person, &truth);
    let mut only = vec![0u64; per_kind.len()];
    for &b in &bits {
        if b.count_ones() == 1 {
            only[b.trailing_zeros() as usize] += 1;
        }
    }
    let total: u64 = per_kind.iter().map(|x| x.0).sum();
    println!("candidate pairs (before the impossible check): {total}");
    for (k, &(all, same)) in per_kind.iter().enumerate() {
        println!(
            "  kind {k:>2} {:<24} adds {all:>10} of which true {same:>8}  true only it finds {:>6}",
            sijil_match::BLOCKING_KEYS[k],
            only[k]
        );
    }
    let latin = |r: &sijil_core::PersonRecord| {
        r.first_name
            .as_deref()
            .or(r.family_name.as_deref())
            .is_some_and(|n| n.bytes().any(|c| c.is_ascii_alphabetic()))
    };
    let labels = d.labels();
    // (pairs, candidates, in one cluster) for all, cross-script, swapped.
    let mut c = [[0u64; 3]; 3];
    for (&(a, b), &bb) in truth.iter().zip(&bits) {
        let (ra, rb) = (&records[a as usize], &records[b as usize]);
        let cross = latin(ra) != latin(rb);
        let swapped = d
            .explain(a, b)
            .terms
            .iter()
            .any(|t| t.level == "first_and_father_swapped");
        for (cls, on) in [(0, true), (1, cross), (2, swapped)] {
            if on {
                c[cls][0] += 1;
                c[cls][1] += u64::from(bb != 0);
                c[cls][2] += u64::from(labels[a as usize] == labels[b as usize]);
            }
        }
    }
    for (name, x) in ["all", "cross-script", "swapped"].iter().zip(c) {
        println!(
            "  true pairs {name:<13} {:>8}  candidates {:.4}  in one cluster {:.4}",
            x[0],
            x[1] as f64 / x[0].max(1) as f64,
            x[2] as f64 / x[0].max(1) as f64
        );
    }
}

fn read_truth(path: &str) -> HashMap<String, u32> {
    let text = std::fs::read_to_string(path).expect("truth.csv");
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let (id, p) = l.split_once(',')?;
            Some((id.to_owned(), p.trim_start_matches('P').parse().ok()?))
        })
        .collect()
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

fn pairwise(labels: &[u32], person: &[u32]) -> (f64, f64, f64) {
    let mut both: HashMap<(u32, u32), u64> = HashMap::new();
    let mut by_label: HashMap<u32, u64> = HashMap::new();
    let mut by_person: HashMap<u32, u64> = HashMap::new();
    for (&l, &p) in labels.iter().zip(person) {
        *both.entry((l, p)).or_default() += 1;
        *by_label.entry(l).or_default() += 1;
        *by_person.entry(p).or_default() += 1;
    }
    let tp: u64 = both.values().map(|&n| pairs(n)).sum();
    let predicted: u64 = by_label.values().map(|&n| pairs(n)).sum();
    let actual: u64 = by_person.values().map(|&n| pairs(n)).sum();
    let p = tp as f64 / predicted.max(1) as f64;
    let r = tp as f64 / actual.max(1) as f64;
    (p, r, 2.0 * p * r / (p + r).max(1e-12))
}

fn bcubed(labels: &[u32], person: &[u32]) -> f64 {
    let mut both: HashMap<(u32, u32), f64> = HashMap::new();
    let mut by_label: HashMap<u32, f64> = HashMap::new();
    let mut by_person: HashMap<u32, f64> = HashMap::new();
    for (&l, &p) in labels.iter().zip(person) {
        *both.entry((l, p)).or_default() += 1.0;
        *by_label.entry(l).or_default() += 1.0;
        *by_person.entry(p).or_default() += 1.0;
    }
    let n = labels.len() as f64;
    let (mut pr, mut rc) = (0.0, 0.0);
    for (&l, &p) in labels.iter().zip(person) {
        let c = both[&(l, p)];
        pr += c / by_label[&l];
        rc += c / by_person[&p];
    }
    let (pr, rc) = (pr / n, rc / n);
    2.0 * pr * rc / (pr + rc)
}

/// Sorts the errors into kinds.
fn why(d: &sijil_match::Dedup, person: &[u32], row: &dyn Fn(u32) -> String, show_no_key: usize) {
    let link = d.model().settings().link_threshold;
    let labels = d.labels();
    let scored: HashMap<(u32, u32), f64> = d
        .pairs()
        .iter()
        .map(|p| ((p.earlier, p.later), p.weight))
        .collect();
    let mut by_person: HashMap<u32, Vec<u32>> = HashMap::new();
    for (i, &p) in person.iter().enumerate() {
        by_person.entry(p).or_default().push(i as u32);
    }
    let (mut no_key, mut low, mut review, mut refused) = (0, 0, 0, 0);
    let mut lows: Vec<(f64, u32, u32)> = Vec::new();
    for recs in by_person.values() {
        for (x, &a) in recs.iter().enumerate() {
            for &b in &recs[..x] {
                let (a, b) = (a.min(b), a.max(b));
                if labels[a as usize] == labels[b as usize] {
                    continue;
                }
                match scored.get(&(a, b)) {
                    Some(&w) if w >= link => {
                        refused += 1;
                        if refused <= show_no_key {
                            println!("REFUSED\n  {}\n  {}\n  w={w:.1}", row(a), row(b));
                        }
                    }
                    Some(_) => review += 1,
                    None if d.shares_key(a, b) => {
                        low += 1;
                        lows.push((d.explain(a, b).weight, a, b));
                    }
                    None => {
                        no_key += 1;
                        if no_key <= show_no_key {
                            println!("NOKEY\n  {}\n  {}", row(a), row(b));
                        }
                    }
                }
            }
        }
    }
    println!(
        "missed true pairs: no shared key {no_key}, below review {low}, in review band {review}, linked but refused/other cluster {refused}"
    );
    let (mut direct, mut transitive) = (0u64, 0u64);
    let mut clusters: HashMap<u32, Vec<u32>> = HashMap::new();
    for (i, &l) in labels.iter().enumerate() {
        clusters.entry(l).or_default().push(i as u32);
    }
    for recs in clusters.values() {
        for (x, &a) in recs.iter().enumerate() {
            for &b in &recs[..x] {
                let (a, b) = (a.min(b), a.max(b));
                if person[a as usize] == person[b as usize] {
                    continue;
                }
                match scored.get(&(a, b)) {
                    Some(&w) if w >= link => direct += 1,
                    _ => transitive += 1,
                }
            }
        }
    }
    println!("false pairs: directly linked {direct}, through others {transitive}");
    // Which regimes the false links above the threshold come from.
    let mut by_regime: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
    let band: Option<(f64, f64)> = std::env::var("BAND").ok().and_then(|b| {
        let (x, y) = b.split_once(',')?;
        Some((x.parse().ok()?, y.parse().ok()?))
    });
    let extra: Vec<String> = std::env::var("BY")
        .map(|b| b.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    for p in d.pairs().iter().filter(|p| match band {
        Some((lo, hi)) => p.weight >= lo && p.weight < hi,
        None => p.weight >= 0.0,
    }) {
        let e = d.explain(p.earlier, p.later);
        let level = |c: &str| {
            e.terms
                .iter()
                .find(|t| t.comparison == c)
                .map(|t| t.level)
                .unwrap_or("?")
        };
        let mut key = format!("{:>22} first={}", level("family_core"), level("first_name"));
        for c in &extra {
            key.push_str(&format!(" {c}={}", level(c)));
        }
        let b = by_regime.entry(key).or_default();
        if person[p.earlier as usize] == person[p.later as usize] {
            b.0 += 1
        } else {
            b.1 += 1
        }
    }
    for (k, (t, f)) in by_regime {
        if f >= 20 {
            println!("  {k:<90} true {t:>6} false {f:>5}");
        }
    }
    // Calibration: the share of true pairs among scored pairs, by weight.
    let mut buckets: std::collections::BTreeMap<i64, (u64, u64)> = Default::default();
    for p in d.pairs() {
        let b = buckets
            .entry((p.weight / 2.0).floor() as i64 * 2)
            .or_default();
        b.1 += 1;
        if person[p.earlier as usize] == person[p.later as usize] {
            b.0 += 1;
        }
    }
    for (w, (t, n)) in buckets {
        println!(
            "  weight [{w:>3},{:>3}): {n:>7} pairs, {:.3} true (model says {:.3})",
            w + 2,
            t as f64 / n as f64,
            sijil_match::probability(w as f64 + 1.0)
        );
    }
}

/// Prints how long each stage took (wall and processor time: the machine may be shared).
struct Timer(std::sync::Mutex<Option<(&'static str, Instant, f64)>>);

/// Processor seconds used by this process so far (Linux).
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

impl Timer {
    fn report(&self, g: &mut Option<(&'static str, Instant, f64)>) {
        if let Some((prev, t, c)) = g.take() {
            eprintln!(
                "  {prev}: {:.2}s wall, {:.2}s cpu",
                t.elapsed().as_secs_f64(),
                cpu() - c
            );
        }
    }
}

impl sijil_match::Progress for Timer {
    fn stage(&self, name: &'static str, _: u64) {
        let mut g = self.0.lock().unwrap();
        self.report(&mut g);
        *g = Some((name, Instant::now(), cpu()));
    }
    fn advance(&self, _: u64) {}
}

impl Drop for Timer {
    fn drop(&mut self) {
        let mut g = self.0.lock().unwrap();
        let mut taken = g.take();
        self.report(&mut taken);
    }
}
