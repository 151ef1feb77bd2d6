//! The redirect side of the address guard: every hop reqwest would follow
//! is checked like a first request (scheme, credentials, host for the route
//! it takes), and at most [`MAX_REDIRECTS`] are followed.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use url::Url;

use super::guard;
use super::neterror::RedirectRefused;
use super::proxy::ProxyConfig;

pub(super) const MAX_REDIRECTS: usize = 5;

/// Scheme, credentials and host of a request target, before it is sent
/// (the first URL and every redirect hop): `guard::check_url`, then
/// `guard::judge_host` for the route the request takes. Names we resolve
/// ourselves are checked again, address by address, by the resolver.
pub(super) fn check_target(url: &Url, reach: guard::Reach, via_proxy: bool) -> Result<(), String> {
    guard::check_url(url)?;
    let host = url.host().ok_or("the URL has no host")?;
    guard::judge_host(&host, reach, via_proxy).map(|_| ())
}

/// Follows at most [`MAX_REDIRECTS`] hops, each checked like a first
/// request; counts the hops it follows into `requests`.
pub(super) fn redirect_policy(
    reach: guard::Reach,
    proxy: ProxyConfig,
    requests: Arc<AtomicUsize>,
) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > MAX_REDIRECTS {
            let message = format!("more than {MAX_REDIRECTS} redirects");
            return attempt.error(RedirectRefused(message));
        }
        let next = attempt.url().clone();
        let via_proxy = proxy.proxy_for(&next).is_some();
        if let Err(why) = check_target(&next, reach, via_proxy) {
            return attempt.error(RedirectRefused(format!(
                "redirect to {next} refused: {why}"
            )));
        }
        requests.fetch_add(1, Ordering::Relaxed);
        tracing::debug!("redirected to {next}");
        attempt.follow()
    })
}
