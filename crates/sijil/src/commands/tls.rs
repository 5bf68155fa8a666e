//! HTTPS for `serve` and `office`, and `sijil tls self-signed`: a certificate for a central
//! that has no ministry certificate authority yet (a pilot, a disconnected site), which its
//! offices then trust by carrying the certificate file with them (`--central-ca`).

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::ExitCode,
};

use anyhow::Context;
use clap::{Args, Subcommand};
use sijil_server::{AppState, tls};
use sijil_store::Store;

use crate::settings::Settings;

/// Certificate and key flags shared by `serve` and `office`.
#[derive(Debug, Args)]
pub struct TlsArgs {
    /// Serve HTTPS with this PEM certificate chain (or server.tls_cert in DIR/sijil.toml).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

impl TlsArgs {
    /// Lays the flags over the settings (flags win). A relative path on the command line is
    /// taken from the working directory, as a shell user expects (in sijil.toml, from the
    /// data directory).
    pub fn apply(&self, settings: &mut Settings) -> anyhow::Result<()> {
        if let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) {
            settings.server.tls_cert = Some(std::path::absolute(cert)?);
            settings.server.tls_key = Some(std::path::absolute(key)?);
        }
        Ok(())
    }
}

/// The HTTPS configuration the settings name, read and checked now, or `None` for plain HTTP.
/// Called before anything slow starts, so a bad certificate file is reported at once (and
/// never turns into a silent HTTP server).
pub fn server_tls(settings: &Settings, data_dir: &Path) -> anyhow::Result<Option<tls::ServerTls>> {
    settings
        .tls_files(data_dir)?
        .map(|(cert, key)| tls::server_config(&cert, &key).context("cannot set up HTTPS"))
        .transpose()
}

/// Listens where the settings say and serves `state` until Ctrl-C or SIGTERM, over HTTPS
/// with `tls` ([`server_tls`]). `what` names the server in the first line printed.
pub async fn listen_and_serve<S: Store>(
    settings: &Settings,
    tls: Option<tls::ServerTls>,
    state: AppState<S>,
    what: &str,
) -> anyhow::Result<std::io::Result<()>> {
    let bind: SocketAddr = settings.server.bind;
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    println!(
        "{what} is listening on {scheme}://{}",
        listener.local_addr()?
    );
    let shutdown = super::serve::shutdown_signal();
    Ok(match tls {
        Some(tls) => sijil_server::serve_tls(listener, tls, state, shutdown).await,
        None => sijil_server::serve(listener, state, shutdown).await,
    })
}

/// Certificates.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Makes a self-signed certificate and key for this server (DIR/tls-cert.pem and
    /// DIR/tls-key.pem unless --out-dir); offices trust it with --central-ca.
    SelfSigned {
        /// Host names and IP addresses the server is reached by (at least one).
        #[arg(long = "host", value_name = "NAME_OR_IP", required = true)]
        hosts: Vec<String>,
        /// Where to write the two files (default: the data directory).
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

/// File names `self-signed` writes.
pub const CERT_FILE: &str = "tls-cert.pem";
/// The key's file name (mode 0600).
pub const KEY_FILE: &str = "tls-key.pem";

impl Cmd {
    pub fn run(self, data_dir: &Path) -> anyhow::Result<ExitCode> {
        let Cmd::SelfSigned { hosts, out_dir } = self;
        let dir = out_dir.unwrap_or_else(|| data_dir.to_owned());
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let (cert_path, key_path) = (dir.join(CERT_FILE), dir.join(KEY_FILE));
        for path in [&cert_path, &key_path] {
            anyhow::ensure!(
                !path.exists(),
                "{} exists already; move it away to make a new certificate",
                path.display()
            );
        }
        let made = rcgen::generate_simple_self_signed(hosts.clone())
            .context("cannot make the certificate (is every --host a DNS name or IP address?)")?;
        write_private(&key_path, made.signing_key.serialize_pem().as_bytes())?;
        std::fs::write(&cert_path, made.cert.pem())
            .with_context(|| format!("cannot write {}", cert_path.display()))?;
        println!(
            "wrote {} and {} for {}",
            cert_path.display(),
            key_path.display(),
            hosts.join(", ")
        );
        println!(
            "certificate SHA-256 fingerprint {} (compare it at each office before trusting it)",
            fingerprint(made.cert.der())
        );
        Ok(ExitCode::SUCCESS)
    }
}

/// The SHA-256 fingerprint of a DER certificate as colon-separated hex, as browsers show it.
fn fingerprint(der: &[u8]) -> String {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Writes a secret readable by its owner only, never over an existing file.
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}
