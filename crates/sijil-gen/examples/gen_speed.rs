//! Writes 1,000,000 people to /tmp/gen1m/ and prints the time and the realised noise rates.
//!
//! `CARGO_TARGET_DIR=/work/target-gen cargo run --release -p sijil-gen --example gen_speed
//! [PEOPLE] [SEED] [DIR]`

use std::fs::{self, File};
use std::io::BufWriter;
use std::time::Instant;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let people: usize = args
        .next()
        .map_or(1_000_000, |a| a.parse().expect("PEOPLE"));
    let seed: u64 = args.next().map_or(1, |a| a.parse().expect("SEED"));
    let dir = args.next().unwrap_or_else(|| "/tmp/gen1m".to_owned());
    fs::create_dir_all(&dir)?;
    let records = BufWriter::with_capacity(1 << 20, File::create(format!("{dir}/records.csv"))?);
    let truth = BufWriter::with_capacity(1 << 20, File::create(format!("{dir}/truth.csv"))?);
    let config = sijil_gen::GenConfig::new(people, seed);
    let started = Instant::now();
    let stats = sijil_gen::generate(&config, records, truth)?;
    let elapsed = started.elapsed();
    println!(
        "{people} people, {} records in {:.2} s on {} threads",
        stats.records,
        elapsed.as_secs_f64(),
        rayon::current_num_threads()
    );
    print!("{stats}");
    population_report(&config);
    Ok(())
}

/// Structure of the clean population: namesakes, twins, families.
fn population_report(config: &sijil_gen::GenConfig) {
    use std::collections::HashMap;
    let mut four: HashMap<[&str; 4], u32> = HashMap::new();
    let mut five: HashMap<[&str; 5], u32> = HashMap::new();
    let mut births: HashMap<(String, (u16, u8, u8)), u32> = HashMap::new();
    let (mut with_father, mut with_spouse, mut n) = (0u64, 0u64, 0u64);
    for p in sijil_gen::people(config) {
        n += 1;
        *four
            .entry([
                p.first_name,
                p.father_name,
                p.grandfather_name,
                p.family_name,
            ])
            .or_default() += 1;
        *five
            .entry([
                p.first_name,
                p.father_name,
                p.grandfather_name,
                p.family_name,
                p.mother_name,
            ])
            .or_default() += 1;
        if let Some(f) = &p.father {
            with_father += 1;
            *births.entry((f.clone(), p.birth_date)).or_default() += 1;
        }
        with_spouse += u64::from(p.spouse.is_some());
    }
    let in_groups = |m: &dyn Fn() -> Vec<u32>| {
        let v = m();
        let people: u64 = v.iter().filter(|&&c| c > 1).map(|&c| c as u64).sum();
        let pairs: u64 = v.iter().map(|&c| c as u64 * (c as u64 - 1) / 2).sum();
        (people, pairs)
    };
    let (p4, pairs4) = in_groups(&|| four.values().copied().collect());
    let (p5, pairs5) = in_groups(&|| five.values().copied().collect());
    let twins: u64 = births.values().filter(|&&c| c > 1).count() as u64;
    println!(
        "population: {n} people; {:.1}% with father in population, {:.1}% married",
        100.0 * with_father as f64 / n as f64,
        100.0 * with_spouse as f64 / n as f64
    );
    println!(
        "namesakes (same first+father+grandfather+family): {p4} people ({:.2}%), {pairs4} pairs",
        100.0 * p4 as f64 / n as f64
    );
    println!("  ... also same mother's name: {p5} people, {pairs5} pairs");
    println!("twin births: {twins}");
}
