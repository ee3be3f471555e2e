//! Who is on the other end of a request: the address the payer and log-in limits count by.
//!
//! Behind proxies, `X-Forwarded-For` is a chain each proxy appends the address it received
//! from to. Only the entries our own proxies appended can be believed: everything left of them
//! is whatever the client sent. So with `hops` trusted proxies in front of us (the nearest one
//! being the connection's peer), the client is the entry `hops` places from the right end of
//! the chain `X-Forwarded-For…, peer`.

use std::net::IpAddr;

use axum::http::HeaderMap;

/// The client's address; `trusted_hops` = how many proxies of ours stand in front (0: the
/// connection's peer is the client and the header is ignored).
pub fn client_address(
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    trusted_hops: usize,
) -> Option<IpAddr> {
    // Without the peer (the nearest proxy) the chain cannot be counted from its trusted end.
    let Some(peer) = peer.filter(|_| trusted_hops > 0) else {
        return peer;
    };
    let mut chain: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let peer_text = peer.to_string();
    chain.push(&peer_text);
    // A chain shorter than our proxies means one of them did not append: the farthest entry
    // we have is the best guess, and no farther than what our proxies vouch for.
    let index = chain.len().saturating_sub(1 + trusted_hops);
    chain
        .get(index)
        .and_then(|entry| entry.parse::<IpAddr>().ok())
        .or(Some(peer))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(forwarded: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in forwarded {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        headers
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let found = client_address(&headers(&["1.2.3.4"]), Some(ip("10.0.0.9")), 0);
        assert_eq!(found, Some(ip("10.0.0.9")));
    }

    #[test]
    fn the_entry_our_proxy_appended_wins_over_what_the_client_sent() {
        // The client forged "6.6.6.6"; our balancer (the peer) appended the real address.
        let forwarded = headers(&["6.6.6.6, 203.0.113.7"]);
        assert_eq!(
            client_address(&forwarded, Some(ip("10.0.0.2")), 1),
            Some(ip("203.0.113.7"))
        );
        // Two proxies of ours (a CDN, then the balancer): the CDN's entry is the client.
        let forwarded = headers(&["6.6.6.6", "203.0.113.7, 198.51.100.1"]);
        assert_eq!(
            client_address(&forwarded, Some(ip("10.0.0.2")), 2),
            Some(ip("203.0.113.7"))
        );
    }

    #[test]
    fn a_short_or_garbled_chain_falls_back_to_what_is_known() {
        assert_eq!(
            client_address(&HeaderMap::new(), Some(ip("10.0.0.2")), 1),
            Some(ip("10.0.0.2"))
        );
        assert_eq!(
            client_address(&headers(&["not-an-address"]), Some(ip("10.0.0.2")), 1),
            Some(ip("10.0.0.2"))
        );
        assert_eq!(
            client_address(&headers(&["2001:db8::1"]), None, 1),
            None,
            "no peer: nothing the client wrote is believed"
        );
    }
}
