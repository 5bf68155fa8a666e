//! Times incremental resolution and search against a registry built from a generated file.
//!
//! `cargo run --release -p sijil-match --example latency -- DIR [MODEL.json] [HELD_OUT]`
//!
//! Every record of `DIR/records.csv` but the last `HELD_OUT` (default 2,000) goes into an
//! [`Index`] (each as its own person: the timing does not depend on the persons); then each
//! held-out record is resolved, and searched for by its first, father and family names with
//! its birth year. Prints the median, 99th percentile and maximum of each, one query at a time
//! on one thread, as a server answers a clerk.

use std::fs::File;
use std::io::BufReader;
use std::time::{Duration, Instant};

use sijil_match::{Index, Model, ModelSource, Query, Settings, dedup};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args
        .get(1)
        .expect("usage: latency DIR [MODEL.json] [HELD_OUT]");
    let today = time::OffsetDateTime::now_utc().date();
    let input = BufReader::new(File::open(format!("{dir}/records.csv")).expect("records.csv"));
    let records: Vec<_> = sijil_core::interchange::read_all(input, today)
        .expect("valid records")
        .into_iter()
        .map(|l| l.record)
        .collect();
    let model = match args.get(2).filter(|a| a.ends_with(".json")) {
        Some(path) => {
            Model::from_json(&std::fs::read_to_string(path).expect("model")).expect("model")
        }
        None => dedup(&records, ModelSource::Train(Settings::default()), &())
            .model()
            .clone(),
    };
    let held: usize = args
        .iter()
        .skip(2)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2000);
    let split = records.len() - held.min(records.len());
    let t = Instant::now();
    let mut index: Index<u32> = Index::new(model);
    for (i, r) in records[..split].iter().enumerate() {
        index.insert(r, i as u32);
    }
    println!(
        "index of {} records built in {:.1}s",
        index.len(),
        t.elapsed().as_secs_f64()
    );
    let mut resolve = Vec::with_capacity(held);
    let mut search = Vec::with_capacity(held);
    let mut decisions = [0usize; 3];
    for r in &records[split..] {
        let t = Instant::now();
        let res = index.resolve(r);
        resolve.push(t.elapsed());
        decisions[match res.decision {
            sijil_match::Resolve::Link { .. } => 0,
            sijil_match::Resolve::Review => 1,
            sijil_match::Resolve::New => 2,
        }] += 1;
        let names = [&r.first_name, &r.father_name, &r.family_name]
            .iter()
            .filter_map(|x| x.as_deref())
            .collect::<Vec<_>>()
            .join(" ");
        let q = Query {
            names,
            birth_year: r.birth_date.map(|d| d.year()),
            place: None,
            limit: 10,
        };
        let t = Instant::now();
        let hits = index.search(&q);
        search.push(t.elapsed());
        std::hint::black_box(hits);
    }
    println!(
        "decisions: link {} review {} new {}",
        decisions[0], decisions[1], decisions[2]
    );
    report("resolve", &mut resolve);
    report("search", &mut search);
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.3} ms, p99 {:.3} ms, max {:.3} ms ({} queries)",
        ms(at(0.5)),
        ms(at(0.99)),
        ms(times[times.len() - 1]),
        times.len()
    );
}
