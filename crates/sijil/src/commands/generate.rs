//! `sijil gen`: writes a synthetic Syrian population (records.csv and truth.csv).

use std::{
    fs::{self, File},
    io::BufWriter,
    path::{Path, PathBuf},
    process::ExitCode,
    time::Instant,
};

use anyhow::Context;
use clap::Args;
use sijil_gen::GenConfig;

use crate::progress;

/// Writes DIR/records.csv (person records) and DIR/truth.csv (record_id,person_id).
///
/// The same --people and --seed always give byte-identical files. The noise model and its
/// rates are documented in docs/generator.md.
#[derive(Debug, Args)]
pub struct Cmd {
    /// Number of people (each appears in one to four records).
    #[arg(long, value_name = "N")]
    people: usize,
    /// Random seed.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Output directory (created if needed).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Print the realised rate of every kind of noise.
    #[arg(long)]
    report: bool,
}

impl Cmd {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        fs::create_dir_all(&self.out)
            .with_context(|| format!("cannot create {}", self.out.display()))?;
        let records_path = self.out.join("records.csv");
        let truth_path = self.out.join("truth.csv");
        // Write beside the targets and rename at the end: a failure leaves no partial file.
        let records_tmp = self.out.join(".records.csv.partial");
        let truth_tmp = self.out.join(".truth.csv.partial");
        let started = Instant::now();
        let bar = progress::items(self.people as u64, "people");
        let result = write(&records_tmp, &truth_tmp, self.people, self.seed, &mut |n| {
            bar.set_position(n)
        });
        bar.finish_and_clear();
        let stats = match result {
            Ok(stats) => stats,
            Err(e) => {
                let _ = fs::remove_file(&records_tmp);
                let _ = fs::remove_file(&truth_tmp);
                return Err(e);
            }
        };
        fs::rename(&records_tmp, &records_path).context("cannot move records.csv into place")?;
        fs::rename(&truth_tmp, &truth_path).context("cannot move truth.csv into place")?;
        if self.report {
            print!("{stats}");
        }
        println!(
            "wrote {} people in {} records to {} in {:.2} s",
            stats.people,
            stats.records,
            self.out.display(),
            started.elapsed().as_secs_f64()
        );
        Ok(ExitCode::SUCCESS)
    }
}

fn write(
    records: &Path,
    truth: &Path,
    people: usize,
    seed: u64,
    progress: &mut dyn FnMut(u64),
) -> anyhow::Result<sijil_gen::GenStats> {
    let open = |p: &Path| {
        File::create(p)
            .map(|f| BufWriter::with_capacity(1 << 20, f))
            .with_context(|| format!("cannot create {}", p.display()))
    };
    let config = GenConfig::new(people, seed);
    sijil_gen::generate_with_progress(&config, open(records)?, open(truth)?, progress)
        .context("writing the population failed")
}
