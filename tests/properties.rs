//! Property tests of the parsers hostile input reaches first: amounts, references, phone
//! numbers, QRIS payloads and provider callbacks. None may panic on any input, and what they
//! accept must satisfy their rules and survive a round trip.

use paylinks::domain::phone::PhoneNumber;
use paylinks::domain::reff::ReffNo;
use paylinks::domain::webhook::{is_public_ip, parse_target_url};
use paylinks::domain::Rupiah;
use paylinks::payments::callback::PaymentNotice;
use paylinks::payments::sandbox::qris::{dynamic_payload, parse_payload, parse_tlv, QrisMerchant};
use proptest::prelude::*;

fn merchant(name: &str) -> QrisMerchant {
    QrisMerchant {
        acquirer_guid: "ID.CO.SANDBOXPAY.WWW".into(),
        merchant_pan: "936009993000123457".into(),
        merchant_id: "SBX0000001".into(),
        criteria: "UMI".into(),
        nmid: "ID1234567890123".into(),
        mcc: "5499".into(),
        name: name.into(),
        city: "Jakarta".into(),
        postal_code: Some("10110".into()),
    }
}

proptest! {
    #[test]
    fn amounts_never_panic_and_accepted_ones_are_whole_rupiah(input in ".{0,40}") {
        if let Ok(amount) = Rupiah::parse(&input) {
            // Whatever was accepted prints and parses back to the same value.
            prop_assert_eq!(Rupiah::parse(&amount.to_string()), Ok(amount));
        }
    }

    #[test]
    fn grouped_amounts_round_trip(value in -1_000_000_000_000i64..1_000_000_000_000) {
        let shown = Rupiah(value).to_string();
        prop_assert_eq!(Rupiah::parse(&shown), Ok(Rupiah(value)));
    }

    #[test]
    fn references_never_panic_and_accepted_ones_follow_the_rules(input in ".{0,60}") {
        if let Ok(reff) = ReffNo::parse(&input) {
            let s = reff.as_str();
            prop_assert!((1..=40).contains(&s.chars().count()));
            prop_assert!(!s.contains('/') && !s.chars().any(char::is_whitespace));
        }
    }

    #[test]
    fn phone_numbers_never_panic_and_normalise_to_a_fixed_point(input in "[+0-9 ()\\-.a-z]{0,24}") {
        if let Ok(phone) = PhoneNumber::parse(&input) {
            let again = PhoneNumber::parse(phone.as_str()).expect("a normalised number parses");
            prop_assert_eq!(again.as_str(), phone.as_str());
            prop_assert!(phone.as_str().starts_with("+62"));
        }
    }

    #[test]
    fn qris_parsing_never_panics(input in ".{0,300}") {
        let _ = parse_tlv(&input);
        let _ = parse_payload(&input);
    }

    #[test]
    fn built_qris_payloads_parse_back(
        amount in 1i64..10_000_000_000_000,
        reference in "[A-Za-z0-9]{1,25}",
        name in "[A-Za-z][A-Za-z ]{0,39}",
    ) {
        let payload = dynamic_payload(&merchant(&name), amount, &reference).unwrap();
        let parsed = parse_payload(&payload).expect("our own payload parses");
        prop_assert_eq!(parsed.amount(), Some(amount));
        prop_assert!(parsed.is_dynamic());
        prop_assert_eq!(parsed.sub("62", "01"), Some(reference.clone()));
        // Any single changed character breaks the checksum or the structure.
        let mut bytes = payload.into_bytes();
        let at = bytes.len() / 2;
        bytes[at] = if bytes[at] == b'7' { b'8' } else { b'7' };
        prop_assert!(parse_payload(&String::from_utf8(bytes).unwrap()).is_err());
    }

    #[test]
    fn webhook_urls_never_panic_and_private_hosts_stay_out(input in ".{0,120}") {
        if let Ok(url) = parse_target_url(&input, false) {
            prop_assert!(matches!(url.scheme(), "http" | "https"));
            if let Some(url::Host::Ipv4(ip)) = url.host() {
                prop_assert!(is_public_ip(ip.into()));
            }
        }
    }

    #[test]
    fn callback_bodies_never_panic(body in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = serde_json::from_slice::<PaymentNotice>(&body);
    }
}
