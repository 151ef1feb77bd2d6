//! Which addresses sync may talk to. Pure functions, unit tested here and
//! never exercised against a real non-loopback address.
//!
//! Remote data (links in toots, redirects, media URLs) decides where sync
//! sends requests, so without a guard a hostile post could make a CI job
//! probe its own network. The rules: https only, except plain http to a
//! loopback host (local test servers); no loopback or private address
//! unless the configured instance is itself one (and then only its own
//! class), and never a link-local or otherwise non-global one.
//!
//! Where the check happens depends on the route ([`judge_host`]): directly,
//! the name is resolved here and every address is checked (by the resolver
//! in `resolve.rs`); through a proxy, the proxy resolves the name, so only
//! the literal host can be judged: IP literals, `localhost` and names that
//! only exist inside a network (single labels, `.local`, `.internal`...).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// Checks scheme and host of `url` before any connection is made.
pub(crate) fn check_url(url: &Url) -> Result<(), String> {
    if url.host().is_none() {
        return Err("the URL has no host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("URLs with credentials are refused".into());
    }
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback_host(url) => Ok(()),
        "http" => Err("plain http is only allowed for a loopback host; use https".into()),
        other => Err(format!("scheme `{other}` is not allowed; use https")),
    }
}

/// Whether the URL names a loopback host literally (`127.0.0.1`, `[::1]`,
/// `localhost`).
pub(crate) fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Names that mean this machine wherever they are resolved.
pub(crate) fn name_is_loopback(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    matches!(
        name.as_str(),
        "localhost" | "localhost.localdomain" | "ip6-localhost" | "ip6-loopback"
    ) || name.ends_with(".localhost")
}

/// Names that only resolve inside a network: single labels (`intranet`)
/// and the suffixes reserved or customary for private networks.
pub(crate) fn name_is_private(name: &str) -> bool {
    const SUFFIXES: [&str; 9] = [
        ".local",
        ".internal",
        ".lan",
        ".home.arpa",
        ".localdomain",
        ".intranet",
        ".corp",
        ".private",
        ".home",
    ];
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    !name.contains('.') || SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// What to do about a URL's host before a request goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HostCheck {
    /// Nothing more to check: an allowed IP literal, or (through a proxy) a
    /// name the proxy resolves.
    Allowed,
    /// A name we resolve ourselves: every address it resolves to is checked
    /// by [`address_allowed`] before connecting.
    ResolveAndCheck,
}

/// The one decision of which hosts may be reached and whether we resolve
/// them: `via_proxy` says whether the request goes through a proxy.
pub(crate) fn judge_host<S: AsRef<str>>(
    host: &Host<S>,
    reach: Reach,
    via_proxy: bool,
) -> Result<HostCheck, String> {
    let ip = match host {
        Host::Ipv4(ip) => Some(IpAddr::V4(*ip)),
        Host::Ipv6(ip) => Some(IpAddr::V6(*ip)),
        Host::Domain(_) => None,
    };
    if let Some(ip) = ip {
        return if address_allowed(ip, reach) {
            Ok(HostCheck::Allowed)
        } else {
            Err(format!(
                "{ip} is not a public address, refused by the address guard"
            ))
        };
    }
    let Host::Domain(name) = host else {
        unreachable!("IP hosts returned above")
    };
    let name = name.as_ref();
    if !via_proxy {
        return Ok(HostCheck::ResolveAndCheck);
    }
    let allowed = if name_is_loopback(name) {
        reach != Reach::Public
    } else if name_is_private(name) {
        reach == Reach::Private
    } else {
        true
    };
    if allowed {
        Ok(HostCheck::Allowed)
    } else {
        Err(format!(
            "{name} names a local or internal host, refused by the address guard"
        ))
    }
}

/// Which non-global addresses a site may reach: the class its configured
/// instance is in, and no more (a loopback test server does not unlock the
/// LAN, and nothing unlocks link-local addresses such as cloud metadata).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Global addresses only (every real instance).
    Public,
    /// Also loopback (`127.0.0.1`, `::1`, `localhost`).
    Loopback,
    /// Also loopback and private networks (10/8, 172.16/12, 192.168/16,
    /// 100.64/10, fc00::/7).
    Private,
}

/// The reach a configured instance URL grants.
pub(crate) fn reach_of(url: &Url) -> Reach {
    let ip = match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
        Some(Host::Domain(name)) if name.eq_ignore_ascii_case("localhost") => {
            return Reach::Loopback
        }
        _ => return Reach::Public,
    };
    if is_loopback(ip) {
        Reach::Loopback
    } else if is_private(ip) {
        Reach::Private
    } else {
        Reach::Public
    }
}

/// May sync connect to `ip`? Global unicast addresses always; loopback and
/// private ones only within `reach`; link-local and the rest never.
pub(crate) fn address_allowed(ip: IpAddr, reach: Reach) -> bool {
    is_global(ip)
        || match reach {
            Reach::Public => false,
            Reach::Loopback => is_loopback(ip),
            Reach::Private => is_loopback(ip) || is_private(ip),
        }
}

fn v4_of(ip: IpAddr) -> Option<Ipv4Addr> {
    match ip {
        IpAddr::V4(v4) => Some(v4),
        IpAddr::V6(v6) => v6.to_ipv4_mapped(),
    }
}

fn is_loopback(ip: IpAddr) -> bool {
    ip.is_loopback() || v4_of(ip).is_some_and(|v4| v4.is_loopback())
}

fn is_private(ip: IpAddr) -> bool {
    match v4_of(ip) {
        Some(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_private() || (a == 100 && (64..128).contains(&b))
        }
        None => match ip {
            IpAddr::V6(v6) => (v6.segments()[0] & 0xfe00) == 0xfc00,
            IpAddr::V4(_) => false,
        },
    }
}

fn is_global(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_global_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_global_v4(v4),
            None => is_global_v6(v6),
        },
    }
}

fn is_global_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240) // reserved
}

fn is_global_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80 // link-local
        || first == 0x2001 && ip.segments()[1] == 0x0db8 // documentation
        || first == 0x0064 && ip.segments()[1] == 0xff9b) // NAT64 can reach private v4
}

#[cfg(test)]
mod tests;
