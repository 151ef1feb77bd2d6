//! What a site's network looks like to sync: the proxies (`proxy.rs`), the
//! extra CA bundles (`[sync] ca_file`, `SSL_CERT_FILE`), and the TLS client
//! configuration that trusts them together with the system's CA store and
//! the bundled Mozilla roots. Read once per run from site.toml and the
//! environment; an unreadable bundle or a bad proxy URL stops the run with
//! an error naming the file or variable.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

use super::proxy::ProxyConfig;
use crate::config::SiteConfig;
use crate::error::{Error, Result};

/// Where proxy and CA variables are read: the process environment, or a
/// fixed list (tests, so a machine's HTTPS_PROXY cannot change them).
#[derive(Debug, Clone, Default)]
pub enum Environment {
    #[default]
    Process,
    Fixed(Vec<(String, String)>),
}

impl Environment {
    pub fn get(&self, name: &str) -> Option<String> {
        match self {
            Environment::Process => std::env::var(name).ok(),
            Environment::Fixed(vars) => {
                vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
            }
        }
    }
}

/// The proxies and extra trusted CAs of a run.
#[derive(Debug, Clone, Default)]
pub struct Network {
    pub proxy: ProxyConfig,
    /// CA certificates trusted on top of the system's and the bundled ones.
    pub extra_roots: Vec<CertificateDer<'static>>,
}

impl Network {
    /// No proxy, no extra CA (tests and the defaults).
    pub fn direct() -> Self {
        Network::default()
    }

    /// The network of the site at `root`, from its `[sync]` settings and
    /// the environment.
    pub fn from_site(config: &SiteConfig, root: &Path, env: &Environment) -> Result<Self> {
        Self::decide(config, root, &|name| env.get(name))
    }

    /// [`Network::from_site`] with the environment as a lookup function.
    pub fn decide(
        config: &SiteConfig,
        root: &Path,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self> {
        let proxy = ProxyConfig::decide(config.sync.proxy.as_deref(), env).map_err(Error::Other)?;
        let mut extra_roots = Vec::new();
        if let Some(file) = &config.sync.ca_file {
            let path = root.join(file);
            extra_roots.extend(read_bundle(&path, "[sync] ca_file")?);
        }
        if let Some(file) = env("SSL_CERT_FILE").filter(|f| !f.trim().is_empty()) {
            extra_roots.extend(read_bundle(Path::new(&file), "SSL_CERT_FILE")?);
        }
        Ok(Network { proxy, extra_roots })
    }

    /// A rustls configuration trusting the system store, the bundled
    /// roots and the extra CAs, with the ring provider.
    pub fn tls_config(&self) -> Result<rustls::ClientConfig> {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        // The system store (or what SSL_CERT_FILE / SSL_CERT_DIR point at,
        // which replace it as in OpenSSL). Unreadable system certificates
        // are not an error: the bundled roots still apply.
        let native = rustls_native_certs::load_native_certs();
        for e in &native.errors {
            tracing::debug!("system CA store: {e}");
        }
        let (added, ignored) = roots.add_parsable_certificates(native.certs);
        tracing::debug!("system CA store: {added} certificates trusted, {ignored} unusable");
        for cert in &self.extra_roots {
            roots
                .add(cert.clone())
                .map_err(|e| Error::Other(format!("an extra CA certificate is not usable: {e}")))?;
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Other(format!("TLS set-up: {e}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(config)
    }
}

/// The usable CA certificates of the PEM file at `path` (at least one;
/// unusable ones are skipped with a warning, as a system bundle may hold a
/// few). `what` names the setting for the message.
pub(crate) fn read_bundle(path: &Path, what: &str) -> Result<Vec<CertificateDer<'static>>> {
    let bad = |message: String| Error::Other(format!("{what} {}: {message}", path.display()));
    let bytes = std::fs::read(path).map_err(|e| bad(format!("cannot read it: {e}")))?;
    let mut certs = Vec::new();
    let mut seen = 0;
    for cert in CertificateDer::pem_slice_iter(&bytes) {
        let cert = cert.map_err(|e| bad(format!("not a PEM certificate bundle: {e}")))?;
        seen += 1;
        // Only what webpki accepts as a trust anchor is worth keeping.
        match rustls::RootCertStore::empty().add(cert.clone()) {
            Ok(()) => certs.push(cert),
            Err(e) => tracing::warn!(
                "{what} {}: certificate {seen} is not usable, skipped: {e}",
                path.display()
            ),
        }
    }
    if certs.is_empty() {
        return Err(bad(if seen == 0 {
            "holds no certificate (expected -----BEGIN CERTIFICATE----- blocks)".into()
        } else {
            format!("none of its {seen} certificate(s) is usable as a CA")
        }));
    }
    Ok(certs)
}

#[cfg(test)]
mod tests;
