//! `sijil dedup`: finds every person once in a person-records file.
//!
//! The whole file is read and validated, parts of it on every processor (a bad row refuses
//! it, naming the line and the column), while the calling thread prepares each record for
//! matching as its part is done; the matching itself is `sijil_match::Batch`. Every output is
//! written beside its target and renamed into place at the end, so a failure leaves no
//! partial file.

use std::{
    fs::{self, File},
    io::{BufWriter, Write},
    path::{Path, PathBuf},
    process::ExitCode,
    sync::Mutex,
    thread,
    time::Instant,
};

use anyhow::Context;
use clap::Args;
use indicatif::ProgressBar;
use sijil_core::{PersonRecord, interchange::read_parallel};
use sijil_match::{Batch, Dedup, Model, ModelSource, Settings};
use time::{OffsetDateTime, macros::offset};

use crate::progress;

/// How many errors one refusal lists.
const MAX_ERRORS: usize = 20;

/// Clusters the records of a person-records file (shared/interchange.md): one cluster per
/// person, across scripts and spellings.
///
/// Writes CLUSTERS.csv with the header record_id,cluster_id and one row per input record; a
/// cluster is named by its first record's id. The model is learnt from the file itself (no
/// labels needed) unless --model names one.
#[derive(Debug, Args)]
pub struct Cmd {
    /// The person-records CSV file.
    #[arg(long, value_name = "RECORDS.csv")]
    input: PathBuf,
    /// Where to write record_id,cluster_id.
    #[arg(long, value_name = "CLUSTERS.csv")]
    output: PathBuf,
    /// Also write every pair scored at or above the review threshold, with each comparison's
    /// level and weight.
    #[arg(long, value_name = "PAIRS.csv")]
    explain: Option<PathBuf>,
    /// A saved model: used when the file exists, otherwise learnt from the input and saved
    /// there.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// Write the normalised name keys of every record and stop (for comparisons with other
    /// tools).
    #[arg(long, value_name = "FILE", hide = true)]
    normalised_out: Option<PathBuf>,
    /// Print the wall and processor time of each stage on stderr (to see where time goes).
    #[arg(long)]
    verbose: bool,
}

impl Cmd {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let started = Instant::now();
        if let Some(path) = &self.normalised_out {
            let mut ids = Vec::new();
            write_atomically(path, |w| {
                let mut out = csv::Writer::from_writer(w);
                let mut header = vec!["record_id"];
                header.extend(sijil_match::NORMALISED_COLUMNS);
                out.write_record(&header)?;
                let mut failed = None;
                ids = read(&self.input, |r| {
                    let mut row = vec![r.record_id.clone()];
                    row.extend(sijil_match::normalised(r));
                    if let Err(e) = out.write_record(&row) {
                        failed.get_or_insert(e);
                    }
                })?;
                if let Some(e) = failed {
                    return Err(e.into());
                }
                out.flush()?;
                Ok(())
            })?;
            eprintln!("{} records normalised", ids.len());
            return Ok(ExitCode::SUCCESS);
        }
        let source = match &self.model {
            Some(path) if path.exists() => {
                let json = fs::read_to_string(path)
                    .with_context(|| format!("cannot read the model {}", path.display()))?;
                ModelSource::Use(
                    Model::from_json(&json)
                        .with_context(|| format!("{} is not a model", path.display()))?,
                )
            }
            _ => ModelSource::Train(Settings::default()),
        };
        let bars = Bars {
            bar: Mutex::new(None),
            clock: Mutex::new(Clock::new(self.verbose)),
        };
        bars.clock.lock().expect("clock lock").mark("reading");
        // Records are prepared as they are read; only their ids are kept.
        let mut batch = Batch::new();
        let ids = read(&self.input, |r| batch.push(r))?;
        let trained = matches!(source, ModelSource::Train(_));
        let result = batch.run(source, &bars);
        bars.finish();
        bars.clock.lock().expect("clock lock").mark("writing");
        write_atomically(&self.output, |w| write_clusters(w, &ids, &result))?;
        if let Some(path) = &self.explain {
            write_atomically(path, |w| write_pairs(w, &ids, &result))?;
        }
        if let (Some(path), true) = (&self.model, trained) {
            write_atomically(path, |w| {
                Ok(w.write_all(result.model().to_json().as_bytes())?)
            })?;
        }
        bars.clock.lock().expect("clock lock").report();
        let clusters = result.labels().iter().max().map_or(0, |&m| m + 1);
        eprintln!(
            "{} records, {} persons, {} pairs compared, in {:.1} s",
            ids.len(),
            clusters,
            result.compared(),
            started.elapsed().as_secs_f64()
        );
        Ok(ExitCode::SUCCESS)
    }
}

/// Today in Syria (UTC+3), the latest date a birth may carry.
fn today() -> time::Date {
    OffsetDateTime::now_utc().to_offset(offset!(+3)).date()
}

/// Reads and validates the whole file, parts of it on every processor at once, handing each
/// record to `each` in file order as its part is done (so that matching prepares it while
/// later parts are read); returns the record ids in file order. A bad row refuses the file:
/// the error lists up to [`MAX_ERRORS`] problems, each with its line and column, and `each`
/// sees no record after the first bad row.
fn read(path: &Path, mut each: impl FnMut(&PersonRecord)) -> anyhow::Result<Vec<String>> {
    let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let bar = progress::items(0, "reading");
    let threads = thread::available_parallelism().map_or(1, |n| n.get());
    let mut ids = Vec::new();
    let result = read_parallel(&bytes, today(), threads, MAX_ERRORS, |records| {
        bar.inc(records.len() as u64);
        for r in records {
            each(&r.record);
            ids.push(r.record.record_id);
        }
    });
    bar.finish_and_clear();
    let Err(errors) = result else {
        return Ok(ids);
    };
    let mut msg = format!("{} was refused; nothing was written", path.display());
    for err in errors.errors() {
        msg.push_str(&format!("\n  {}\n  {}", err.message_ar(), err.message_en()));
    }
    if errors.stopped_early() {
        msg.push_str("\n  (reading stopped here; there may be more errors)");
    }
    anyhow::bail!(msg)
}

/// Writes `path` through a temporary file beside it, renamed into place only when `write`
/// succeeds.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.partial", std::process::id()));
    let result = File::create(&tmp)
        .with_context(|| format!("cannot create {}", tmp.display()))
        .and_then(|f| {
            let mut w = BufWriter::with_capacity(1 << 20, f);
            write(&mut w)?;
            w.into_inner()
                .map_err(|e| e.into_error())
                .and_then(|f| f.sync_all())
                .with_context(|| format!("cannot write {}", path.display()))
        })
        .and_then(|()| {
            fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
        });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn write_clusters(w: &mut impl Write, ids: &[String], d: &Dedup) -> anyhow::Result<()> {
    // Each cluster is named by the id of its first record.
    let labels = d.labels();
    let mut names: Vec<Option<usize>> = vec![None; ids.len()];
    let mut out = csv::Writer::from_writer(w);
    out.write_record(["record_id", "cluster_id"])?;
    for (i, id) in ids.iter().enumerate() {
        let first = *names[labels[i] as usize].get_or_insert(i);
        out.write_record([id, &ids[first]])?;
    }
    out.flush()?;
    Ok(())
}

fn write_pairs(w: &mut impl Write, ids: &[String], d: &Dedup) -> anyhow::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let mut header = vec![
        "record_id_l".to_owned(),
        "record_id_r".to_owned(),
        "match_weight".to_owned(),
        "match_probability".to_owned(),
    ];
    for t in sijil_match::TERMS {
        header.push(format!("{t}_level"));
        header.push(format!("{t}_weight"));
    }
    out.write_record(&header)?;
    for p in d.pairs() {
        let e = d.explain(p.earlier, p.later);
        let mut row = vec![
            ids[p.earlier as usize].clone(),
            ids[p.later as usize].clone(),
            format!("{:.3}", e.weight),
            format!("{:.6}", e.probability),
        ];
        for t in &e.terms {
            row.push(t.level.to_owned());
            row.push(format!("{:.3}", t.weight));
        }
        out.write_record(&row)?;
    }
    out.flush()?;
    Ok(())
}

/// One progress bar per stage of the matcher, on stderr, and the clock of the stages.
struct Bars {
    bar: Mutex<Option<ProgressBar>>,
    clock: Mutex<Clock>,
}

impl Bars {
    fn finish(&self) {
        if let Some(bar) = self.bar.lock().expect("progress lock").take() {
            bar.finish_and_clear();
        }
    }
}

impl sijil_match::Progress for Bars {
    fn stage(&self, name: &'static str, total: u64) {
        self.clock.lock().expect("clock lock").mark(name);
        let mut bar = self.bar.lock().expect("progress lock");
        if let Some(old) = bar.take() {
            old.finish_and_clear();
        }
        *bar = Some(progress::items(total, name));
    }

    fn advance(&self, n: u64) {
        if let Some(bar) = self.bar.lock().expect("progress lock").as_ref() {
            bar.inc(n);
        }
    }
}

/// Wall and processor time of each stage, for `--verbose`: the benchmark's target is a time,
/// and a change is only worth keeping when the stage it aims at gets faster.
struct Clock {
    on: bool,
    /// Each stage's name, start and the process's processor time then.
    marks: Vec<(&'static str, Instant, Option<f64>)>,
}

impl Clock {
    fn new(on: bool) -> Self {
        Clock {
            on,
            marks: Vec::new(),
        }
    }

    fn mark(&mut self, name: &'static str) {
        if self.on {
            self.marks.push((name, Instant::now(), cpu_seconds()));
        }
    }

    fn report(&mut self) {
        if !self.on {
            return;
        }
        self.mark("end");
        for w in self.marks.windows(2) {
            let (name, start, cpu0) = w[0];
            let (_, end, cpu1) = w[1];
            let cpu = match (cpu0, cpu1) {
                (Some(a), Some(b)) => format!(", processor {:.2} s", b - a),
                _ => String::new(),
            };
            eprintln!(
                "{name:>12}: wall {:.2} s{cpu}",
                end.duration_since(start).as_secs_f64()
            );
        }
    }
}

/// The processor time (user and system) this process has used so far, where the system tells
/// it (Linux: /proc/self/stat, in clock ticks of 1/100 s).
fn cpu_seconds() -> Option<f64> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; the fields after it are plain numbers.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split(' ');
    let utime: f64 = fields.nth(11)?.parse().ok()?;
    let stime: f64 = fields.next()?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(dir: &Path, input: &str) -> Cmd {
        let path = dir.join("records.csv");
        fs::write(&path, input).unwrap();
        Cmd {
            input: path,
            output: dir.join("clusters.csv"),
            explain: Some(dir.join("pairs.csv")),
            model: Some(dir.join("model.json")),
            normalised_out: None,
            verbose: true,
        }
    }

    const GOOD: &str = "record_id,first_name,father_name,family_name,sex,birth_date,national_number\n\
        A,محمد,أحمد,الحلبي,M,1980-05-02,\n\
        B,Mohammed,Ahmad,Al-Halabi,M,1980-05-02,\n\
        C,فاطمة,علي,النجار,F,1991,\n";

    #[test]
    fn writes_one_row_per_record_and_saves_the_model() {
        let dir = tempfile::tempdir().unwrap();
        cmd(dir.path(), GOOD).run().unwrap();
        let out = fs::read_to_string(dir.path().join("clusters.csv")).unwrap();
        let rows: Vec<&str> = out.lines().collect();
        assert_eq!(rows[0], "record_id,cluster_id");
        assert_eq!(rows.len(), 4);
        assert!(dir.path().join("model.json").exists());
        assert!(
            fs::read_to_string(dir.path().join("pairs.csv"))
                .unwrap()
                .starts_with("record_id_l,")
        );
        // Only the outputs are left: no temporary files.
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.ends_with(".partial")), "{names:?}");
    }

    #[test]
    fn a_bad_file_is_refused_with_its_line_and_column_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let bad = format!("{GOOD}D,سعيد,,,X,1990-01-01,\n");
        let err = cmd(dir.path(), &bad).run().unwrap_err().to_string();
        assert!(err.contains("line 5, column sex"), "{err}");
        assert!(!dir.path().join("clusters.csv").exists());
        assert!(!dir.path().join("pairs.csv").exists());
        assert!(!dir.path().join("model.json").exists());
    }
}
