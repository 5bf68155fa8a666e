//! HTTPS for the server and for an office node's link to the central.
//!
//! Person pages, passwords and session tokens cross the ministry's network between a clerk's
//! browser and the central; packets and the downlink are sealed on their own, but nothing else
//! is. The server therefore speaks TLS itself when given a certificate (rustls on aws-lc-rs,
//! the provider reqwest uses too: no OpenSSL to install at a field office), and an office trusts exactly the
//! certificate authority it is given (often the central's own self-signed certificate,
//! carried at enrolment), not whatever a compromised network offers.

use std::{io, net::SocketAddr, path::Path, sync::Arc, time::Duration};

use rustls::pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};
use tokio::{
    net::{TcpListener, TcpStream},
    sync::mpsc,
};
use tokio_rustls::{TlsAcceptor, server::TlsStream};

/// A handshake that takes longer than this is dropped, so a slow or silent peer cannot hold a
/// connection slot (handshakes run concurrently; none blocks the others).
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);
/// Handshaken connections waiting for the server to take them.
const QUEUE: usize = 64;

/// Why TLS could not be set up; each names the file at fault.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: io::Error,
    },
    /// A file holds no PEM certificate, or a malformed one.
    #[error("{path} holds no readable PEM certificate")]
    NoCertificate {
        /// The file.
        path: String,
    },
    /// A file holds no PEM private key (PKCS#8, PKCS#1 or SEC1), or a malformed one.
    #[error("{path} holds no readable PEM private key")]
    NoKey {
        /// The file.
        path: String,
    },
    /// rustls refused the certificate and key (e.g. they do not belong together).
    #[error("the certificate and key cannot be used: {0}")]
    Config(#[from] rustls::Error),
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Read {
        path: path.display().to_string(),
        source,
    })
}

fn certificates(pem: &[u8], path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let certs: Vec<_> = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<_, _>>()
        .map_err(|_| TlsError::NoCertificate {
            path: path.display().to_string(),
        })?;
    if certs.is_empty() {
        return Err(TlsError::NoCertificate {
            path: path.display().to_string(),
        });
    }
    Ok(certs)
}

/// A server's TLS configuration, ready to serve with.
pub type ServerTls = Arc<rustls::ServerConfig>;

/// The server's TLS configuration from a PEM certificate chain and its PEM private key.
/// HTTP/1.1 only: the link to offices and the clerks' browsers need nothing more.
pub fn server_config(cert: &Path, key: &Path) -> Result<ServerTls, TlsError> {
    let chain = certificates(&read(cert)?, cert)?;
    let key_der = PrivateKeyDer::from_pem_slice(&read(key)?).map_err(|_| TlsError::NoKey {
        path: key.display().to_string(),
    })?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// A client configuration that trusts only the certificates in `ca` (PEM): the ministry's
/// certificate authority, or the central's own self-signed certificate.
pub fn client_config(ca: &Path) -> Result<rustls::ClientConfig, TlsError> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in certificates(&read(ca)?, ca)? {
        roots.add(cert)?;
    }
    Ok(rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// A listener that hands the server TLS connections: it accepts TCP connections and
/// handshakes each in its own task, so a peer that stalls mid-handshake delays nobody else.
pub struct TlsListener {
    local: SocketAddr,
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
}

impl TlsListener {
    /// Starts accepting on `listener` with `config`.
    pub fn new(listener: TcpListener, config: Arc<rustls::ServerConfig>) -> io::Result<Self> {
        let local = listener.local_addr()?;
        let (tx, ready) = mpsc::channel(QUEUE);
        let acceptor = TlsAcceptor::from(config);
        tokio::spawn(async move {
            loop {
                // Ends with the server (the receiving side dropped), freeing the port at once.
                let accepted = tokio::select! {
                    accepted = listener.accept() => accepted,
                    () = tx.closed() => return,
                };
                let (tcp, peer) = match accepted {
                    Ok(c) => c,
                    Err(e) => {
                        // Out of file descriptors and the like: wait, as axum's own loop does.
                        tracing::warn!(error = %e, "accepting a connection failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let (acceptor, tx) = (acceptor.clone(), tx.clone());
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                        Ok(Ok(tls)) => {
                            let _ = tx.send((tls, peer)).await;
                        }
                        Ok(Err(e)) => tracing::debug!(error = %e, "TLS handshake failed"),
                        Err(_) => tracing::debug!("TLS handshake timed out"),
                    }
                });
            }
        });
        Ok(Self { local, ready })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(conn) => conn,
            // The accepting task only ends when this listener is gone.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(self.local)
    }
}
