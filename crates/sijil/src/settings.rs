//! Typed, layered settings: built-in defaults, then a TOML file, then `SIJIL_SECTION__KEY`
//! environment variables, then command-line flags (applied by the command itself).

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::Context;
use serde::Deserialize;

/// All settings.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The HTTP server.
    pub server: ServerSettings,
    /// The sample population loaded into a fresh registry by `serve`.
    pub sample: SampleSettings,
    /// Rate limits.
    pub limits: LimitSettings,
}

/// Rate limits (per minute; 0 turns one off).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LimitSettings {
    /// Reads and searches of person records by one officer.
    pub person_reads_per_minute: u32,
    /// Login and enrolment attempts from one address.
    pub logins_per_minute: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client (for the login limit).
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Default for LimitSettings {
    fn default() -> Self {
        let d = sijil_server::limits::RateLimits::default();
        Self {
            person_reads_per_minute: d.person_reads_per_minute,
            logins_per_minute: d.logins_per_minute,
            trusted_proxies: d.trusted_proxies,
        }
    }
}

/// HTTP server settings.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to listen on. Loopback by default: exposing the registry is a deliberate act.
    pub bind: SocketAddr,
    /// Session lifetime in hours.
    pub session_hours: u64,
    /// Minutes a session may go unused before it ends.
    pub session_idle_minutes: u64,
    /// Largest request body in KiB.
    pub max_body_kib: usize,
    /// Mark session cookies `Secure` (browsers then send them only over HTTPS). Off by default
    /// because district offices often serve the application over plain HTTP on their own LAN.
    pub secure_cookies: bool,
    /// PEM certificate chain to serve HTTPS with (with `tls_key`; relative paths are taken
    /// from the data directory). Setting it also makes cookies `Secure`.
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of `tls_cert`.
    pub tls_key: Option<PathBuf>,
}

/// Sample population settings.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SampleSettings {
    /// People to generate on first start (0 for none).
    pub people: usize,
    /// Generator seed.
    pub seed: u64,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".parse().expect("valid address"),
            session_hours: 8,
            session_idle_minutes: 30,
            max_body_kib: 64,
            secure_cookies: false,
            tls_cert: None,
            tls_key: None,
        }
    }
}

impl Default for SampleSettings {
    fn default() -> Self {
        Self {
            people: 3000,
            seed: 2025,
        }
    }
}

impl Settings {
    /// Defaults, overlaid by `file` if it exists, then by the environment.
    pub fn load(file: &Path) -> anyhow::Result<Self> {
        let mut settings = if file.exists() {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            toml::from_str(&text).with_context(|| format!("settings file {}", file.display()))?
        } else {
            Settings::default()
        };
        settings.apply_env(std::env::vars())?;
        Ok(settings)
    }

    /// Applies `SIJIL_SERVER__BIND`-style variables.
    pub fn apply_env(
        &mut self,
        vars: impl Iterator<Item = (String, String)>,
    ) -> anyhow::Result<()> {
        for (key, value) in vars {
            let Some(name) = key.strip_prefix("SIJIL_") else {
                continue;
            };
            let parse_err = || format!("environment variable {key}={value:?}");
            match name {
                "SERVER__BIND" => self.server.bind = value.parse().with_context(parse_err)?,
                "SERVER__SESSION_HOURS" => {
                    self.server.session_hours = value.parse().with_context(parse_err)?
                }
                "SERVER__SESSION_IDLE_MINUTES" => {
                    self.server.session_idle_minutes = value.parse().with_context(parse_err)?
                }
                "SERVER__SECURE_COOKIES" => {
                    self.server.secure_cookies = value.parse().with_context(parse_err)?
                }
                "SERVER__TLS_CERT" => self.server.tls_cert = Some(value.into()),
                "SERVER__TLS_KEY" => self.server.tls_key = Some(value.into()),
                "SERVER__MAX_BODY_KIB" => {
                    self.server.max_body_kib = value.parse().with_context(parse_err)?
                }
                "LIMITS__PERSON_READS_PER_MINUTE" => {
                    self.limits.person_reads_per_minute = value.parse().with_context(parse_err)?
                }
                "LIMITS__LOGINS_PER_MINUTE" => {
                    self.limits.logins_per_minute = value.parse().with_context(parse_err)?
                }
                "LIMITS__TRUSTED_PROXIES" => {
                    self.limits.trusted_proxies = value
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::parse)
                        .collect::<Result<_, _>>()
                        .with_context(parse_err)?
                }
                "SAMPLE__PEOPLE" => self.sample.people = value.parse().with_context(parse_err)?,
                "SAMPLE__SEED" => self.sample.seed = value.parse().with_context(parse_err)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// The server's own configuration.
    pub fn server_config(&self) -> sijil_server::ServerConfig {
        sijil_server::ServerConfig {
            session_ttl: Duration::from_secs(self.server.session_hours * 3600),
            session_idle: Duration::from_secs(self.server.session_idle_minutes.max(1) * 60),
            max_body_bytes: self.server.max_body_kib * 1024,
            secure_cookies: self.server.secure_cookies || self.server.tls_cert.is_some(),
            rate_limits: sijil_server::limits::RateLimits {
                person_reads_per_minute: self.limits.person_reads_per_minute,
                logins_per_minute: self.limits.logins_per_minute,
                trusted_proxies: self.limits.trusted_proxies.clone(),
            },
            ..Default::default()
        }
    }

    /// The certificate and key files to serve HTTPS with, relative paths taken from
    /// `data_dir`; `None` for plain HTTP. One without the other is an error.
    pub fn tls_files(&self, data_dir: &Path) -> anyhow::Result<Option<(PathBuf, PathBuf)>> {
        match (&self.server.tls_cert, &self.server.tls_key) {
            (Some(cert), Some(key)) => Ok(Some((data_dir.join(cert), data_dir.join(key)))),
            (None, None) => Ok(None),
            _ => anyhow::bail!(
                "HTTPS needs both a certificate and its key (--tls-cert and --tls-key, or \
                 server.tls_cert and server.tls_key)"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_apply_in_order() {
        let mut s: Settings =
            toml::from_str("[server]\nbind = \"127.0.0.1:9000\"\n[sample]\npeople = 10").unwrap();
        assert_eq!(s.server.bind.port(), 9000);
        assert_eq!(s.server.session_hours, 8, "unset keys keep their defaults");
        s.apply_env([("SIJIL_SAMPLE__PEOPLE".to_owned(), "0".to_owned())].into_iter())
            .unwrap();
        assert_eq!(s.sample.people, 0);
        s.apply_env([("SIJIL_SERVER__SECURE_COOKIES".to_owned(), "true".to_owned())].into_iter())
            .unwrap();
        assert!(s.server_config().secure_cookies);
        s.apply_env(
            [(
                "SIJIL_LIMITS__TRUSTED_PROXIES".to_owned(),
                "10.0.0.5, 10.0.0.6".to_owned(),
            )]
            .into_iter(),
        )
        .unwrap();
        assert_eq!(
            s.server_config().rate_limits.trusted_proxies,
            [
                "10.0.0.5".parse::<std::net::IpAddr>().unwrap(),
                "10.0.0.6".parse().unwrap()
            ]
        );
        assert!(
            s.apply_env(
                [(
                    "SIJIL_LIMITS__TRUSTED_PROXIES".to_owned(),
                    "proxy".to_owned()
                )]
                .into_iter()
            )
            .is_err()
        );
        s.apply_env(
            [(
                "SIJIL_SERVER__TLS_CERT".to_owned(),
                "tls-cert.pem".to_owned(),
            )]
            .into_iter(),
        )
        .unwrap();
        assert!(
            s.tls_files(Path::new("d")).is_err(),
            "a certificate needs its key"
        );
        s.apply_env([("SIJIL_SERVER__TLS_KEY".to_owned(), "/etc/k.pem".to_owned())].into_iter())
            .unwrap();
        assert_eq!(
            s.tls_files(Path::new("d")).unwrap(),
            Some((PathBuf::from("d/tls-cert.pem"), PathBuf::from("/etc/k.pem")))
        );
        assert!(
            s.apply_env([("SIJIL_SERVER__BIND".to_owned(), "nonsense".to_owned())].into_iter())
                .is_err()
        );
        assert!(
            toml::from_str::<Settings>("[server]\nbnd = 1").is_err(),
            "typos are refused"
        );
    }
}
