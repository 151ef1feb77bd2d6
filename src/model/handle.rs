//! The identity of a mirrored account: its `@user@host` handle, checked
//! while site.toml is read (and on the command line), so a bad one is
//! reported with its key.

use std::fmt;

use serde::{Deserialize, Serialize};

/// `@user@host`; the leading `@` may be left out (`user@host`), as people
/// often write a handle.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct Handle {
    pub user: String,
    pub host: String,
}

impl TryFrom<String> for Handle {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a handle of the form \"@user@host\"");
        let rest = s.strip_prefix('@').unwrap_or(&s);
        let (user, host) = rest.split_once('@').ok_or_else(bad)?;
        let user_ok = !user.is_empty()
            && user.len() <= 64
            && user
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
            && !user.starts_with('.');
        let host_ok = !host.is_empty()
            && host.len() <= 253
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !label.starts_with('-')
            })
            || host_with_port(host);
        if user_ok && host_ok {
            Ok(Handle {
                user: user.to_string(),
                host: host.to_ascii_lowercase(),
            })
        } else {
            Err(bad())
        }
    }
}

/// `localhost:8080` style hosts are allowed for local test servers.
fn host_with_port(host: &str) -> bool {
    match host.rsplit_once(':') {
        Some((name, port)) => {
            port.parse::<u16>().is_ok()
                && !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        }
        None => false,
    }
}

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "@{}@{}", self.user, self.host)
    }
}

impl Serialize for Handle {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
