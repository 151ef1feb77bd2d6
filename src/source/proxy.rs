//! Which proxy a request goes through, decided as curl decides it: from
//! `[sync] proxy` in site.toml (a URL, or `none`), else from `https_proxy`,
//! `http_proxy`, `all_proxy` (lower case first, then upper case), with
//! `no_proxy`/`NO_PROXY` naming hosts, domains, IP addresses or CIDR ranges
//! that go direct (`*`: everything). Loopback gets no exception: as with
//! curl, a local server is reached directly only when `no_proxy` lists it
//! (`localhost,127.0.0.1,::1`). Pure: the environment comes in as a lookup
//! function, so every rule is unit tested here.
//!
//! A proxy URL may carry `user:password@`; [`ProxyUrl`]'s `Display` and
//! every message show it redacted.

use std::fmt;
use std::net::IpAddr;

use url::{Host, Url};

/// A proxy and where it was configured (for messages and the debug log).
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyUrl {
    url: Url,
    /// `[sync] proxy` or the environment variable it came from.
    pub from: String,
}

impl ProxyUrl {
    /// The full URL, credentials included: for reqwest only, never to print.
    pub fn secret_url(&self) -> &Url {
        &self.url
    }

    /// The proxy's host name as written (for the resolver, which must not
    /// apply the address guard to the proxy the site configured itself).
    pub fn host(&self) -> Option<String> {
        self.url.host().map(|h| match h {
            Host::Ipv6(ip) => ip.to_string(),
            other => other.to_string(),
        })
    }

    /// Credentials in the URL, percent-decoded, so messages can be scrubbed.
    pub fn secrets(&self) -> Vec<String> {
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .to_string()
        };
        let mut out = Vec::new();
        for raw in [Some(self.url.username()), self.url.password()]
            .into_iter()
            .flatten()
        {
            if !raw.is_empty() {
                out.push(raw.to_string());
                out.push(decode(raw));
            }
        }
        out
    }
}

impl fmt::Display for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let creds = !self.url.username().is_empty() || self.url.password().is_some();
        let host = self.url.host_str().unwrap_or("?");
        let port = self.url.port_or_known_default().unwrap_or(0);
        let at = if creds { "***@" } else { "" };
        write!(
            f,
            "{}://{at}{host}:{port} (from {})",
            self.url.scheme(),
            self.from
        )
    }
}

impl fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The proxies of a run and the hosts that bypass them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    https: Option<ProxyUrl>,
    http: Option<ProxyUrl>,
    no_proxy: Vec<String>,
}

/// The environment variables read, in order of precedence per scheme.
const HTTPS_VARS: [&str; 4] = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"];
const HTTP_VARS: [&str; 4] = ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"];

impl ProxyConfig {
    /// No proxy at all (tests, `proxy = "none"`).
    pub fn direct() -> Self {
        ProxyConfig::default()
    }

    /// Decides from the `[sync] proxy` setting and the environment. Errors
    /// name the setting or variable whose value is not a usable proxy URL.
    pub fn decide(
        setting: Option<&str>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<ProxyConfig, String> {
        let var = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let no_proxy = var("no_proxy")
            .or_else(|| var("NO_PROXY"))
            .map(|list| {
                list.split(',')
                    .map(|e| e.trim().to_ascii_lowercase())
                    .filter(|e| !e.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        match setting.map(str::trim) {
            Some(s) if s.eq_ignore_ascii_case("none") => Ok(ProxyConfig::direct()),
            Some(s) => {
                let proxy = parse_proxy(s, "[sync] proxy in site.toml")?;
                Ok(ProxyConfig {
                    https: Some(proxy.clone()),
                    http: Some(proxy),
                    no_proxy,
                })
            }
            None => {
                let pick = |names: &[&str]| -> Result<Option<ProxyUrl>, String> {
                    // Upper-case HTTP_PROXY can be set by a CGI request's
                    // `Proxy:` header ("httpoxy"); as curl and reqwest do,
                    // ignore it when running under CGI.
                    let cgi = var("REQUEST_METHOD").is_some();
                    for name in names {
                        if *name == "HTTP_PROXY" && cgi {
                            continue;
                        }
                        if let Some(value) = var(name) {
                            return parse_proxy(&value, name).map(Some);
                        }
                    }
                    Ok(None)
                };
                Ok(ProxyConfig {
                    https: pick(&HTTPS_VARS)?,
                    http: pick(&HTTP_VARS)?,
                    no_proxy,
                })
            }
        }
    }

    /// Whether any proxy is configured (for the "set HTTPS_PROXY" hint).
    pub fn any(&self) -> bool {
        self.https.is_some() || self.http.is_some()
    }

    /// Every configured proxy (their hosts are resolved without the guard).
    pub fn proxies(&self) -> impl Iterator<Item = &ProxyUrl> {
        self.https.iter().chain(self.http.iter())
    }

    /// The proxy `url` goes through, or `None` for a direct connection.
    pub fn proxy_for(&self, url: &Url) -> Option<&ProxyUrl> {
        let host = url.host()?;
        if self.bypassed(&host) {
            return None;
        }
        match url.scheme() {
            "https" => self.https.as_ref(),
            "http" => self.http.as_ref(),
            _ => None,
        }
    }

    fn bypassed(&self, host: &Host<&str>) -> bool {
        self.no_proxy
            .iter()
            .any(|entry| no_proxy_matches(entry, host))
    }
}

/// One `no_proxy` entry against a host: `*`; an IP or CIDR range for IP
/// hosts; else a domain that matches itself and its subdomains (a leading
/// `.` or `*.` is allowed). A `:port` on the entry is ignored.
fn no_proxy_matches(entry: &str, host: &Host<&str>) -> bool {
    if entry == "*" {
        return true;
    }
    let ip = match host {
        Host::Ipv4(ip) => Some(IpAddr::V4(*ip)),
        Host::Ipv6(ip) => Some(IpAddr::V6(*ip)),
        Host::Domain(_) => None,
    };
    if let Some(ip) = ip {
        return entry_range(entry).is_some_and(|(net, bits)| in_range(ip, net, bits));
    }
    let Host::Domain(name) = host else {
        return false;
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let domain = strip_port(entry);
    let domain = domain
        .trim_start_matches("*.")
        .trim_start_matches('.')
        .trim_end_matches('.');
    !domain.is_empty() && (name == domain || name.ends_with(&format!(".{domain}")))
}

fn strip_port(entry: &str) -> &str {
    match entry.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            host
        }
        _ => entry,
    }
}

/// An entry as an address range: `10.0.0.0/8`, `::1`, `[::1]`, `1.2.3.4:8080`.
fn entry_range(entry: &str) -> Option<(IpAddr, u8)> {
    let (addr, bits) = match entry.split_once('/') {
        Some((a, b)) => (a, Some(b.parse::<u8>().ok()?)),
        None => (entry, None),
    };
    let addr = addr.trim_start_matches('[');
    let addr = addr.split(']').next().unwrap_or(addr);
    let ip: IpAddr = addr.parse().or_else(|_| strip_port(addr).parse()).ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let bits = bits.unwrap_or(max);
    (bits <= max).then_some((ip, bits))
}

fn in_range(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    let (a, b, width) = match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (u32::from(a) as u128, u32::from(b) as u128, 32),
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b), 128),
        _ => return false,
    };
    if bits == 0 {
        return true;
    }
    let shift = width - u32::from(bits);
    (a >> shift) == (b >> shift)
}

/// A proxy URL as curl reads it: `host:port` means `http://host:port`;
/// http and https proxies only.
fn parse_proxy(value: &str, from: &str) -> Result<ProxyUrl, String> {
    let value = value.trim();
    let with_scheme = if value.contains("://") {
        value.to_string()
    } else {
        format!("http://{value}")
    };
    let url = Url::parse(&with_scheme)
        .map_err(|_| format!("{from}: not a proxy URL; write it as http://host:port"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "{from}: `{}` proxies are not supported; use an http:// or https:// proxy",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("{from}: the proxy URL has no host"));
    }
    Ok(ProxyUrl {
        url,
        from: from.to_string(),
    })
}

#[cfg(test)]
mod tests;
