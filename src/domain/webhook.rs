//! Webhook rules: which events exist, when a failed delivery is tried again, and which
//! target URLs a merchant may register.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::Url;

/// What happened. The first is the Singapay contract's event; the others are ours and carry
/// what the contract's payload lacks (history id, method, fee, net).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum EventType {
    /// Singapay §7.4, sent when an attempt is paid.
    PaymentLinkTransaction,
    /// Singapay §7.5, sent to the inquiry URL when a payer picks a method and is given
    /// instructions (an attempt is issued).
    Inquiry,
    /// Singapay §7.5, sent to the inquiry URL when an attempt expires unpaid.
    InquiryExpired,
    HistoryPaid,
    HistoryExpired,
    HistoryFailed,
    LinkExhausted,
    /// A refund of a paid payment went through, or failed.
    HistoryRefunded,
    HistoryRefundFailed,
    /// "Send test event" from the dashboard.
    Test,
}

impl EventType {
    pub const ALL: [EventType; 10] = [
        EventType::PaymentLinkTransaction,
        EventType::Inquiry,
        EventType::InquiryExpired,
        EventType::HistoryPaid,
        EventType::HistoryExpired,
        EventType::HistoryFailed,
        EventType::LinkExhausted,
        EventType::HistoryRefunded,
        EventType::HistoryRefundFailed,
        EventType::Test,
    ];

    /// The `event` field of the body, which receivers route by.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::PaymentLinkTransaction => "payment-link-transaction",
            EventType::Inquiry => "payment_link.inquiry",
            EventType::InquiryExpired => "payment_link.inquiry.expired",
            EventType::HistoryPaid => "payment_link_history.paid",
            EventType::HistoryExpired => "payment_link_history.expired",
            EventType::HistoryFailed => "payment_link_history.failed",
            EventType::LinkExhausted => "payment_link.exhausted",
            EventType::HistoryRefunded => "payment_link_history.refunded",
            EventType::HistoryRefundFailed => "payment_link_history.refund_failed",
            EventType::Test => "webhook.test",
        }
    }

    pub fn parse(s: &str) -> Result<EventType, String> {
        EventType::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| crate::tr!(webhooks.unknown_event_type, value = s))
    }
}

/// Outcome of an event's deliveries so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DeliveryStatus {
    /// Not yet answered with 2xx; tried again at `next_attempt_at`.
    Pending,
    Delivered,
    /// Every retry failed; only a manual resend sends it again.
    Failed,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 3] = [
        DeliveryStatus::Pending,
        DeliveryStatus::Delivered,
        DeliveryStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Result<DeliveryStatus, String> {
        DeliveryStatus::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| crate::tr!(webhooks.unknown_status, value = s))
    }
}

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;

/// Wait before try n+1 after n failed tries. Ten tries over about 3 days 21 hours: a receiver
/// down for a long weekend still gets every event.
pub const RETRY_DELAYS_MS: [i64; 9] = [
    MINUTE_MS,
    5 * MINUTE_MS,
    30 * MINUTE_MS,
    2 * HOUR_MS,
    6 * HOUR_MS,
    12 * HOUR_MS,
    24 * HOUR_MS,
    24 * HOUR_MS,
    24 * HOUR_MS,
];

/// When to try again after `failed_tries` failures, or `None` when the event has failed for good.
pub fn next_retry_delay_ms(failed_tries: i64) -> Option<i64> {
    let index = usize::try_from(failed_tries.checked_sub(1)?).ok()?;
    RETRY_DELAYS_MS.get(index).copied()
}

pub const MAX_URL_LEN: usize = 2048;

/// A notification URL as a merchant types it: absolute http(s), no credentials, at most
/// 2048 characters; a literal private, loopback or link-local address only when
/// `allow_private` (local development). Host names are checked again when delivering,
/// against what they resolve to.
pub fn parse_target_url(input: &str, allow_private: bool) -> Result<Url, String> {
    let input = input.trim();
    if input.is_empty() {
        return Err(crate::tr!(webhooks.url_required));
    }
    if input.len() > MAX_URL_LEN {
        return Err(crate::tr!(webhooks.url_too_long, max = MAX_URL_LEN));
    }
    let url = Url::parse(input).map_err(|_| crate::tr!(webhooks.url_not_absolute))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(crate::tr!(webhooks.url_scheme));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(crate::tr!(webhooks.url_credentials));
    }
    if url.fragment().is_some() {
        return Err(crate::tr!(webhooks.url_fragment));
    }
    let private = match url.host() {
        None => return Err(crate::tr!(webhooks.url_no_host)),
        Some(url::Host::Ipv4(ip)) => !is_public_ip(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => !is_public_ip(IpAddr::V6(ip)),
        Some(url::Host::Domain(name)) => is_local_name(name),
    };
    if private && !allow_private {
        return Err(crate::tr!(webhooks.url_private));
    }
    Ok(url)
}

/// Names that always mean this machine or its local network.
fn is_local_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.ends_with(".local")
        || name.ends_with(".internal")
}

/// True for addresses reachable from the internet at large: not loopback, private,
/// link-local, carrier-grade NAT, unspecified, multicast, broadcast or documentation ranges.
pub fn is_public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // 100.64.0.0/10, carrier-grade NAT.
        || (a == 100 && (64..128).contains(&b))
        // 198.18.0.0/15, benchmarking.
        || (a == 198 && (b == 18 || b == 19))
        // 240.0.0.0/4, reserved.
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        // fc00::/7 unique local.
        || (first & 0xfe00) == 0xfc00
        // fe80::/10 link-local.
        || (first & 0xffc0) == 0xfe80
        // 2001:db8::/32 documentation.
        || (first == 0x2001 && ip.segments()[1] == 0x0db8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_span_more_than_three_days_then_stop() {
        let total: i64 = (1..=9).map(|n| next_retry_delay_ms(n).unwrap()).sum();
        assert!(total >= 3 * 24 * HOUR_MS, "{total}");
        assert_eq!(next_retry_delay_ms(1), Some(MINUTE_MS));
        assert_eq!(next_retry_delay_ms(2), Some(5 * MINUTE_MS));
        assert_eq!(next_retry_delay_ms(10), None);
        assert_eq!(next_retry_delay_ms(0), None);
    }

    #[test]
    fn event_names_round_trip() {
        for event in EventType::ALL {
            assert_eq!(EventType::parse(event.as_str()), Ok(event));
        }
        for status in DeliveryStatus::ALL {
            assert_eq!(DeliveryStatus::parse(status.as_str()), Ok(status));
        }
        assert!(EventType::parse("paid").is_err());
    }

    #[test]
    fn public_urls_are_accepted() {
        for url in [
            "https://example.com/webhooks",
            "http://shop.example.co.id:8080/hook?token=abc",
            "https://203.0.113.1.nip.io/x",
            "https://8.8.8.8/hook",
        ] {
            assert!(parse_target_url(url, false).is_ok(), "{url}");
        }
    }

    #[test]
    fn private_and_malformed_urls_are_refused() {
        for url in [
            "http://127.0.0.1/hook",
            "http://localhost:3000/hook",
            "http://api.localhost/hook",
            "http://10.1.2.3/hook",
            "http://192.168.1.10/hook",
            "http://172.16.0.1/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://100.64.0.1/",
            "http://0.0.0.0/",
            "http://[::1]/hook",
            "http://[fe80::1]/hook",
            "http://[fd00::1]/hook",
            "http://[::ffff:127.0.0.1]/hook",
        ] {
            let error = parse_target_url(url, false).unwrap_err();
            assert!(error.contains("private"), "{url}: {error}");
            assert!(
                parse_target_url(url, true).is_ok(),
                "{url} allowed in development"
            );
        }
        for url in [
            "",
            "example.com/hook",
            "ftp://example.com/hook",
            "https://user:pw@example.com/hook",
            "https://example.com/hook#part",
        ] {
            assert!(parse_target_url(url, true).is_err(), "{url}");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_LEN));
        assert!(parse_target_url(&long, true).is_err());
    }
}
