//! Turns a failed request into one sentence a person can act on, and says
//! whether trying again can help. The URL is not part of the sentence (the
//! error that carries it prints it once); proxy credentials never are.
//!
//! reqwest wraps the cause in layers (its own error, hyper's, an io::Error
//! around rustls' error), so the cause is found by walking the chain.

use std::error::Error as StdError;
use std::time::Duration;

use url::Url;

use super::proxy::ProxyUrl;
use super::resolve::{LookupFailed, Refused};

/// A redirect the client's policy refused (guard, scheme, too many).
#[derive(Debug)]
pub(crate) struct RedirectRefused(pub String);

impl std::fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for RedirectRefused {}

/// What the message may mention about the request.
pub(crate) struct Context<'a> {
    pub url: &'a Url,
    pub proxy: Option<&'a ProxyUrl>,
    /// Whether any proxy is configured at all (else the hint suggests one).
    pub any_proxy: bool,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    /// Credentials of every configured proxy, to keep out of messages.
    pub secrets: &'a [String],
}

/// The sentence, and whether the failure is worth a retry.
pub(crate) fn describe(err: &reqwest::Error, ctx: &Context<'_>) -> (String, bool) {
    let (message, retry) = classify(err, ctx);
    let message = match ctx.proxy {
        Some(p) if !message.contains("proxy") => format!("{message} (through the proxy {p})"),
        _ => message,
    };
    (scrub(message, ctx.secrets), retry)
}

const PROXY_HINT: &str =
    "if this network reaches the internet only through a proxy, set HTTPS_PROXY (or [sync] proxy in site.toml)";

fn classify(err: &reqwest::Error, ctx: &Context<'_>) -> (String, bool) {
    let host = ctx.url.host_str().unwrap_or("?");
    if let Some(r) = find::<RedirectRefused>(err) {
        return (r.to_string(), false);
    }
    if let Some(r) = find::<Refused>(err) {
        return (r.to_string(), false);
    }
    if let Some(l) = find::<LookupFailed>(err) {
        let hint = if ctx.any_proxy {
            String::new()
        } else {
            format!("; {PROXY_HINT}")
        };
        return (format!("{l}{hint}"), false);
    }
    if let Some(tls) = find::<rustls::Error>(err) {
        return (certificate_message(host, tls), false);
    }
    if let Some(p) = ctx.proxy {
        // hyper-util's tunnel errors, known by their text.
        let chain = chain_text(err);
        if chain.contains("proxy authorization required") {
            let message = format!(
                "the proxy {p} asks for credentials (HTTP 407); give them in the proxy URL as http://user:password@host:port"
            );
            return (message, false);
        }
        if err.is_connect() && chain.ends_with("unsuccessful") {
            let port = ctx.url.port_or_known_default().unwrap_or(443);
            return (
                format!("the proxy {p} refused to open a tunnel to {host}:{port}"),
                true,
            );
        }
    }
    if err.is_timeout() {
        let message = if err.is_connect() {
            format!(
                "no connection within {} s (connect_timeout_secs)",
                ctx.connect_timeout.as_secs_f32()
            )
        } else {
            format!(
                "timed out: no answer for {} s (read_timeout_secs)",
                ctx.read_timeout.as_secs_f32()
            )
        };
        return (message, true);
    }
    let hint_proxy = !ctx.any_proxy;
    let refused = find::<std::io::Error>(err)
        .is_some_and(|e| e.kind() == std::io::ErrorKind::ConnectionRefused);
    if refused {
        let message = match ctx.proxy {
            Some(p) => format!("the proxy {p} refused the connection"),
            None if hint_proxy => format!("connection refused; {PROXY_HINT}"),
            None => "connection refused".to_string(),
        };
        return (message, true);
    }
    let chain = chain_text(err);
    let message = match ctx.proxy {
        Some(p) if err.is_connect() => format!("the proxy {p} failed to connect: {chain}"),
        _ => chain,
    };
    (
        message,
        err.is_connect() || err.is_request() || err.is_body(),
    )
}

/// The message for a certificate that rustls did not accept.
fn certificate_message(host: &str, err: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    let why = match err {
        rustls::Error::InvalidCertificate(C::UnknownIssuer) => {
            "is signed by a CA that is not trusted here".to_string()
        }
        rustls::Error::InvalidCertificate(C::NotValidForName)
        | rustls::Error::InvalidCertificate(C::NotValidForNameContext { .. }) => {
            "is not valid for this host name".to_string()
        }
        rustls::Error::InvalidCertificate(C::Expired | C::ExpiredContext { .. }) => {
            "has expired".to_string()
        }
        rustls::Error::InvalidCertificate(other) => format!("was refused ({other:?})"),
        other => return format!("TLS with {host} failed: {other}"),
    };
    format!(
        "the TLS certificate of {host} {why}. If your network inspects TLS (an agency proxy) \
         or the server uses a private CA, add that CA: as a PEM file in [sync] ca_file \
         (site.toml), in SSL_CERT_FILE, or in the system's CA store"
    )
}

/// The first error of type `T` in the chain, looking inside io::Errors
/// (whose `source` skips the error they wrap).
pub(crate) fn find<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut current: Option<&'a (dyn StdError + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            if let Some(found) = find::<T>(inner) {
                return Some(found);
            }
        }
        current = e.source();
    }
    None
}

/// The causes below reqwest's own "error sending request for url (...)",
/// which would repeat the URL.
fn chain_text(err: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = err.source();
    while let Some(e) = source {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = e.source();
    }
    if parts.is_empty() {
        // Only reqwest's own text; drop its URL part.
        let text = err.without_url_text();
        parts.push(text);
    }
    parts.join(": ")
}

trait WithoutUrl {
    fn without_url_text(&self) -> String;
}

impl WithoutUrl for reqwest::Error {
    fn without_url_text(&self) -> String {
        let text = self.to_string();
        match text.find(" for url (") {
            Some(i) => text[..i].to_string(),
            None => text,
        }
    }
}

/// Removes proxy credentials from a message, whatever layer put them in.
pub(crate) fn scrub(mut message: String, secrets: &[String]) -> String {
    for secret in secrets {
        if secret.len() >= 2 {
            message = message.replace(secret.as_str(), "***");
        }
    }
    message
}
