//! Name resolution for the HTTP client, with the address guard applied to
//! every answer: reqwest asks this resolver for each connection it opens
//! directly (the first request and every redirect hop), so a name that
//! resolves to a private address is refused before any connection. Names of
//! the configured proxies are resolved without the guard (the site chose
//! them; an agency proxy often sits on a private address). Through a proxy,
//! target names are never resolved here at all: the proxy resolves them.

use std::net::{SocketAddr, ToSocketAddrs};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::guard::{self, Reach};

/// A name that could not be resolved (no DNS, unknown name).
#[derive(Debug)]
pub(crate) struct LookupFailed {
    pub host: String,
    pub source: std::io::Error,
}

impl std::fmt::Display for LookupFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the name {} does not resolve ({})",
            self.host, self.source
        )
    }
}

impl std::error::Error for LookupFailed {}

/// A name whose every address the guard refuses.
#[derive(Debug)]
pub(crate) struct Refused {
    pub host: String,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} resolves to a private address, refused by the address guard",
            self.host
        )
    }
}

impl std::error::Error for Refused {}

pub(crate) struct GuardedResolver {
    pub reach: Reach,
    /// Lower-case names of the configured proxies.
    pub trusted: Vec<String>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        let trusted = self.trusted.iter().any(|t| t.eq_ignore_ascii_case(&host));
        let reach = self.reach;
        Box::pin(async move {
            type BoxError = Box<dyn std::error::Error + Send + Sync>;
            // getaddrinfo blocks; keep it off the client's runtime thread.
            let lookup = {
                let host = host.clone();
                tokio::task::spawn_blocking(move || (host.as_str(), 0).to_socket_addrs())
            };
            let found = lookup
                .await
                .map_err(|e| -> BoxError { Box::new(std::io::Error::other(e)) })?
                .map_err(|source| -> BoxError {
                    Box::new(LookupFailed {
                        host: host.clone(),
                        source,
                    })
                })?
                .collect::<Vec<_>>();
            let allowed = if trusted {
                found
            } else {
                screen(&host, found, reach).map_err(|e| -> BoxError { Box::new(e) })?
            };
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

/// The addresses of `host` the guard allows; an error when it refuses all.
pub(crate) fn screen(
    host: &str,
    found: Vec<SocketAddr>,
    reach: Reach,
) -> Result<Vec<SocketAddr>, Refused> {
    let allowed: Vec<SocketAddr> = found
        .iter()
        .copied()
        .filter(|a| guard::address_allowed(a.ip(), reach))
        .collect();
    if allowed.is_empty() {
        Err(Refused {
            host: host.to_string(),
        })
    } else {
        Ok(allowed)
    }
}

#[cfg(test)]
mod tests;
