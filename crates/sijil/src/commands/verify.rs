//! `sijil verify`: checks an ID card's QR code (text or a PNG image) or a machine-readable zone,
//! offline, with the trust list and the signed lists held in the data directory.
//!
//! Exit codes: `0` valid; `1` not valid (not genuine, expired, revoked, lost or stolen, holder
//! under an alert); `2` the check could not be made (a list missing or not genuine, an image
//! with no readable QR code, bad usage).

use std::{
    io::Read,
    path::{Path, PathBuf},
    process::ExitCode,
};

use anyhow::{Context, bail};
use clap::Args;
use sijil_docs::{
    AlertList, RevocationList, TrustList, Verdict, Verifier,
    credential::delta::{DeltaList, open_chain, read_delta_file},
    decode_qr_image,
    verify::{Authenticity, Checked},
};
use time::OffsetDateTime;

use super::EXIT_CHECK_FAILED;

/// The files a verifier holds, by their names in the data directory (an office node writes
/// them there as it receives the lists).
pub use sijil_server::sync::lists::{ALERTS_FILE, REVOCATIONS_FILE, TRUST_FILE};

/// Checks a document offline. With none of --qr, --image and --mrz, reads the QR text or the
/// zone from standard input.
#[derive(Debug, Args)]
pub struct Cmd {
    /// The text of the card's QR code.
    #[arg(long, value_name = "TEXT", conflicts_with_all = ["image", "mrz"])]
    qr: Option<String>,
    /// A PNG image (scan or photograph) of the card's QR code.
    #[arg(long, value_name = "FILE.png", conflicts_with = "mrz")]
    image: Option<PathBuf>,
    /// A machine-readable zone: 2 lines of 44 (passport) or 3 of 30 (ID card), separated by
    /// line breaks.
    #[arg(long, value_name = "LINES")]
    mrz: Option<String>,
    /// Trust list file (default DIR/trust-list.json).
    #[arg(long, value_name = "FILE")]
    trust: Option<PathBuf>,
    /// Signed revocation list (default DIR/revocations.cose).
    #[arg(long, value_name = "FILE")]
    revocations: Option<PathBuf>,
    /// Signed alert list (default DIR/alerts.cose).
    #[arg(long, value_name = "FILE")]
    alerts: Option<PathBuf>,
    /// Print the verdict as JSON.
    #[arg(long)]
    json: bool,
}

/// Opens a whole signed list and the signed deltas an office keeps beside it (`NAME.deltas`,
/// when there is one), each checked against the trust list: the list as the office holds it.
fn open_list<L: DeltaList>(path: &Path, what: &str, trust: &TrustList) -> anyhow::Result<L> {
    let whole = read(path, what)?;
    let deltas_path = path.with_extension("deltas");
    let deltas = if deltas_path.exists() {
        read_delta_file(&read(&deltas_path, "list deltas")?)
            .with_context(|| format!("{}", deltas_path.display()))?
    } else {
        Vec::new()
    };
    open_chain(&whole, &deltas, trust).with_context(|| {
        format!(
            "{what} {} (with {} deltas from {}) is not accepted",
            path.display(),
            deltas.len(),
            deltas_path.display()
        )
    })
}

enum Input {
    Qr(String),
    Mrz(String),
}

impl Cmd {
    pub fn run(self, data_dir: &Path) -> anyhow::Result<ExitCode> {
        let file =
            |given: Option<PathBuf>, name: &str| given.unwrap_or_else(|| data_dir.join(name));
        let trust_path = file(self.trust, TRUST_FILE);
        let trust_text = std::fs::read_to_string(&trust_path).with_context(|| {
            format!(
                "cannot read the trust list {} (install the one the central registry publishes)",
                trust_path.display()
            )
        })?;
        let trust = TrustList::from_json(&trust_text)
            .with_context(|| format!("trust list {}", trust_path.display()))?;
        let rev_path = file(self.revocations, REVOCATIONS_FILE);
        let revocations: RevocationList = open_list(&rev_path, "revocation list", &trust)?;
        let alerts_path = file(self.alerts, ALERTS_FILE);
        let alerts: AlertList = open_list(&alerts_path, "alert list", &trust)?;

        let input = match (self.qr, self.image, self.mrz) {
            (Some(qr), _, _) => Input::Qr(qr),
            (_, Some(image), _) => {
                let png = read(&image, "image")?;
                Input::Qr(
                    decode_qr_image(&png)
                        .with_context(|| format!("cannot read a QR code in {}", image.display()))?,
                )
            }
            (_, _, Some(mrz)) => Input::Mrz(mrz),
            (None, None, None) => {
                let mut text = String::new();
                std::io::stdin()
                    .take(64 * 1024)
                    .read_to_string(&mut text)
                    .context("cannot read standard input")?;
                let text = text.trim().to_owned();
                if text.is_empty() {
                    bail!("nothing to verify: give --qr, --image or --mrz, or pipe the text in");
                }
                // Base45 has no `<`; every zone has fillers.
                if text.contains('<') {
                    Input::Mrz(text)
                } else {
                    Input::Qr(text)
                }
            }
        };
        let verifier = Verifier {
            trust: &trust,
            revocations: &revocations,
            alerts: &alerts,
        };
        let now = OffsetDateTime::now_utc();
        let verdict = match input {
            Input::Qr(text) => verifier.check_qr(&text, now),
            Input::Mrz(text) => verifier.check_mrz(&text, now.date()),
        };
        if self.json {
            println!("{}", serde_json::to_string_pretty(&verdict.to_json())?);
        } else {
            print!("{}", render(&verdict));
        }
        Ok(if verdict.is_valid() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(EXIT_CHECK_FAILED)
        })
    }
}

fn read(path: &Path, what: &str) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read the {what} {}", path.display()))
}

/// The verdict for a person at a checkpoint: the answer first, then why, then who.
fn render(v: &Verdict) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(if v.is_valid() {
        "VALID · صالحة".into()
    } else {
        "NOT VALID · غير صالحة".into()
    });
    line(format!(
        "  checked:   {}",
        match v.checked {
            Checked::Qr => "ID card QR code (signed credential)",
            Checked::Mrz(sijil_docs::mrz::MrzFormat::Td1) => "ID card machine-readable zone (TD1)",
            Checked::Mrz(sijil_docs::mrz::MrzFormat::Td3) => "passport machine-readable zone (TD3)",
        }
    ));
    match &v.authenticity {
        Authenticity::Signed { key_id, signed_at } => line(format!(
            "  genuine:   yes, signed by key {key_id} on {} · التوقيع صحيح",
            signed_at.date()
        )),
        Authenticity::ConsistentZone => line(
            "  genuine:   not provable: the zone's check digits agree, but a zone carries no \
             signature; inspect the document · أرقام التحقق صحيحة، افحص الوثيقة نفسها"
                .into(),
        ),
        Authenticity::Failed(f) => line(format!(
            "  genuine:   NO ({}): {} · {}",
            f.code(),
            f.detail(),
            f.message_ar()
        )),
    }
    for f in &v.findings {
        line(format!(
            "  {}: {} · {}",
            f.code(),
            f.message_en(),
            f.message_ar()
        ));
    }
    if let Some(h) = &v.holder {
        line("holder · صاحب الوثيقة".into());
        let mut field = |label: &str, value: &Option<String>| {
            if let Some(value) = value {
                line(format!("  {label:<15}{value}"));
            }
        };
        field("national no.", &h.national_number);
        field("name (Arabic)", &h.name_ar);
        field("name (Latin)", &h.name_latin);
        field("mother", &h.mother_name_ar);
        field("born", &h.birth_date);
        field("birth place", &h.birth_place_ar);
        field(
            "sex",
            &h.sex.map(|s| match s {
                sijil_core::Sex::Male => "M".to_owned(),
                sijil_core::Sex::Female => "F".to_owned(),
            }),
        );
        field("nationality", &h.nationality);
    }
    if let Some(number) = &v.document_number {
        let through = v
            .expires_on
            .map(|d| format!(", valid through {d}"))
            .unwrap_or_default();
        line(format!("document    {number}{through}"));
    }
    line(format!(
        "lists       revocations version {} of {}, alerts version {} of {}",
        v.revocation_list.0,
        v.revocation_list.1.date(),
        v.alert_list.0,
        v.alert_list.1.date()
    ));
    out
}
