use serde_json::json;

use super::*;
use crate::domain::account::AccountStatus;
use crate::domain::time::to_iso_wib;
use crate::model::Account;
use crate::wire::link::LinkJson;

// 2026-11-25T18:35:07+07:00
const NOW: i64 = 1_795_606_507_000;

fn codes() -> Vec<String> {
    vec!["QRIS".to_string(), "VA_BRI".to_string()]
}

/// `v1`: the v1.0 contract (reff_no required); otherwise v2.0.
fn create(body: &Value, v1: bool) -> Result<NewPaymentLink, FieldErrors> {
    let body: CreateLinkBody = serde_json::from_value(body.clone()).unwrap();
    let codes = codes();
    let rules = MethodRules {
        known_codes: &codes,
    };
    body.parse(&rules, NOW, !v1)
}

fn update(body: Value, partial: bool) -> Result<Value, FieldErrors> {
    let body: UpdateLinkBody = serde_json::from_value(body).unwrap();
    let codes = codes();
    let rules = MethodRules {
        known_codes: &codes,
    };
    let update = body.parse(&stored(), &rules, NOW, partial)?;
    Ok(serde_json::to_value(update).unwrap())
}

fn valid_body() -> Value {
    json!({"reff_no": "INV-001", "title": " Invoice ", "required_customer_detail": true,
        "max_usage": "100", "expired_at": 1_800_000_000_000_i64, "total_amount": 150000.0,
        "items": [{"name": "Plan", "quantity": 2, "unit_price": "80000"},
                  {"name": "Diskon", "quantity": "1", "unit_price": -10000}],
        "whitelisted_payment_method": ["QRIS"], "redirect_url": "https://toko.id/ok",
        "optional_metadata": {"order": "A1"}, "unknown": "ignored"})
}

fn stored() -> PaymentLink {
    let link = json!({"id": 7, "account_id": "A", "slug": "s3cr3t", "reff_no": "INV-1",
        "title": "Yoga", "description": null, "total_amount": 150000,
        "items": [{"name": "Tiket", "quantity": 2, "unit_price": 75000}],
        "required_customer_detail": true, "max_usage": 10, "current_usage": 3,
        "expired_at": NOW - 1_000, "status": "open", "whitelisted_payment_method": ["QRIS"],
        "redirect_url": "https://toko.id/", "optional_metadata": {"k": "v"},
        "source": "api v1", "created_at": NOW - 86_400_000, "updated_at": NOW,
        "units_paid": 0, "has_history": true});
    serde_json::from_value(link).unwrap()
}

#[test]
fn expired_at_formats() {
    let ok = [
        (json!(1_780_232_399_000_i64), 1_780_232_399_000),
        (json!(1_780_232_399_000.0), 1_780_232_399_000),
        (json!(" 1780232399000 "), 1_780_232_399_000),
        (json!("2026-11-25T18:35:07+07:00"), NOW),
        (json!("2026-11-25T11:35:07.250Z"), NOW + 250),
        (json!("2026-11-25T18:35+07"), NOW - 7_000),
        // Without an offset the wall time is WIB; a fraction is dropped.
        (json!("2026-11-25T18:35:07"), NOW),
        (json!("2026-11-25 18:35"), NOW - 7_000),
        (json!("2026-11-25T18:35:07.9"), NOW),
        // A past instant parses; the future rule belongs to the caller.
        (json!("1000000000000"), 1_000_000_000_000),
    ];
    for (input, ms) in ok {
        assert_eq!(parse_expired_at(&input), Ok(Some(ms)), "{input}");
    }
    assert_eq!(parse_expired_at(&json!(null)), Ok(None));
    assert_eq!(parse_expired_at(&json!("")), Ok(None));
    let seconds = parse_expired_at(&json!(1_780_232_399));
    assert!(seconds.unwrap_err().contains("not seconds"));
    let garbage = json!([
        "tomorrow",
        "178023239900",
        -1,
        true,
        [1],
        "2026-13-01T00:00",
        17_802_323_990_001_i64,
        1_500_000_000_000.5
    ]);
    for bad in garbage.as_array().unwrap() {
        let e = parse_expired_at(bad);
        assert_eq!(e, Err(EXPIRED_AT_FORMAT.to_string()), "{bad}");
    }
}

#[test]
fn create_happy_path() {
    let link = serde_json::to_value(create(&valid_body(), true).unwrap()).unwrap();
    let expected = json!({"reff_no": "INV-001", "title": "Invoice", "description": null,
        "items": [{"name": "Plan", "quantity": 2, "unit_price": 80000, "max_quantity": null},
                  {"name": "Diskon", "quantity": 1, "unit_price": -10000, "max_quantity": null}],
        "total_amount": 150000, "open_amount": null, "stock": null, "custom_fields": [], "whitelisted_payment_method": ["QRIS"], "max_usage": 100,
        "expired_at": 1_800_000_000_000_i64, "required_customer_detail": true,
        "redirect_url": "https://toko.id/ok", "optional_metadata": {"order": "A1"}});
    assert_eq!(link, expected);
    // v2 style: no reff_no (one is generated), no total, PHP's [] as metadata, 1 as true.
    let mut body = valid_body();
    let object = body.as_object_mut().unwrap();
    object.retain(|k, _| k != "reff_no" && k != "total_amount");
    object.insert("optional_metadata".into(), json!([]));
    object.insert("required_customer_detail".into(), json!(1));
    let link = create(&body, false).unwrap();
    assert_eq!((link.reff_no, link.total_amount), (None, Rupiah(150_000)));
    assert!(link.optional_metadata.is_empty() && link.required_customer_detail);
    let e = create(&body, true).unwrap_err();
    assert_eq!(e, FieldErrors::single("reff_no", "Reference is required."));
}

#[test]
fn create_names_each_bad_field() {
    let row = |n: &str, q: Value, p: Value| json!([{"name": n, "quantity": q, "unit_price": p}]);
    let cases = [
        ("reff_no", "reff_no", json!("INV 1")),
        ("title", "title", json!(" ")),
        ("description", "description", json!("d".repeat(2001))),
        ("max_usage", "max_usage", json!(-1)),
        ("max_usage", "max_usage", json!(null)),
        ("expired_at", "expired_at", json!(NOW)),
        ("expired_at", "expired_at", json!("soon")),
        ("total_amount", "total_amount", json!("150.000")),
        ("items", "items", json!([])),
        ("items", "items.0.name", row("", json!(1), json!(10000))),
        (
            "items",
            "items.0.quantity",
            row("A", json!(1.5), json!(10000)),
        ),
        (
            "items",
            "items.0.quantity",
            row("A", json!("99999999999999999999"), json!(1)),
        ),
        (
            "items",
            "items.0.unit_price",
            row("A", json!(1), json!(null)),
        ),
        (
            "whitelisted_payment_method",
            "whitelisted_payment_method",
            json!(["NOPE"]),
        ),
        (
            "required_customer_detail",
            "required_customer_detail",
            json!("yes"),
        ),
        ("redirect_url", "redirect_url", json!("javascript:alert(1)")),
        ("optional_metadata", "optional_metadata", json!("x")),
        (
            "optional_metadata",
            "optional_metadata",
            json!({"k": "v".repeat(16 * 1024)}),
        ),
    ];
    for (key, error_field, value) in cases {
        let mut body = valid_body();
        body.as_object_mut().unwrap().remove("total_amount");
        body[key] = value;
        let e = create(&body, true).unwrap_err();
        assert!(e.get(error_field).is_some() && e.len() == 1, "{key}: {e}");
    }
    let e = create(&json!({}), true).unwrap_err();
    assert_eq!(e.get("items"), Some("Add at least one item."));
    assert_eq!(e.get("max_usage"), Some("Max usage is required."));
}

#[test]
fn total_amount_must_match_items() {
    let mut body = valid_body();
    body["total_amount"] = json!(160000);
    let message = "Total amount must equal the items' sum, 150000.";
    let e = create(&body, true).unwrap_err();
    assert_eq!(e, FieldErrors::single("total_amount", message));
    body["total_amount"] = json!("150000");
    assert!(create(&body, true).is_ok());
    // Below the minimum: the domain's range error, not a mismatch.
    body["items"] = json!([{"name": "a", "quantity": 1, "unit_price": 5000}]);
    body["total_amount"] = json!(5000);
    let e = create(&body, true).unwrap_err();
    assert!(e.get("total_amount").unwrap().contains("between"));
}

#[test]
fn update_v1_requires_status_and_replaces_the_rest() {
    let e = update(json!({"max_usage": 2}), false).unwrap_err();
    assert_eq!(e.get("status"), Some("Status is required."));
    let message = "Max usage cannot be below the current usage (3).";
    assert_eq!(e.get("max_usage"), Some(message));
    let u = update(json!({"status": "expired", "max_usage": "20"}), false).unwrap();
    let expected = json!({"status": "closed", "settings": {"max_usage": 20,
        "expired_at": null, "required_customer_detail": false, "redirect_url": null,
        "whitelisted_payment_method": null, "optional_metadata": {}}});
    assert_eq!(u, expected);
    // Echoing the stored expiry, already past, is no change; a new past one is refused.
    let echo = to_iso_wib(NOW - 1_000);
    let u = update(
        json!({"status": "open", "max_usage": 10, "expired_at": echo}),
        false,
    );
    assert_eq!(u.unwrap()["settings"]["expired_at"], NOW - 1_000);
    let past = json!({"status": "open", "max_usage": 10, "expired_at": NOW - 60_000});
    let e = update(past, false).unwrap_err();
    assert_eq!(
        e.get("expired_at"),
        Some("expired_at must be in the future.")
    );
    let bad = json!({"status": "paused", "max_usage": 10, "redirect_url": 5,
        "whitelisted_payment_method": "QRIS", "optional_metadata": 1});
    assert_eq!(update(bad, false).unwrap_err().len(), 4);
}

#[test]
fn update_partial_keeps_missing_and_clears_null() {
    let u = update(json!({"status": "closed"}), true).unwrap();
    let expected = json!({"status": "closed", "settings": {"max_usage": 10,
        "expired_at": NOW - 1_000, "required_customer_detail": true,
        "redirect_url": "https://toko.id/", "whitelisted_payment_method": ["QRIS"],
        "optional_metadata": {"k": "v"}}});
    assert_eq!(u, expected);
    let body = json!({"expired_at": null, "redirect_url": null, "max_usage": null,
        "whitelisted_payment_method": [], "required_customer_detail": "0",
        "optional_metadata": null});
    let expected = json!({"status": "open", "settings": {"max_usage": 10,
        "expired_at": null, "required_customer_detail": false, "redirect_url": null,
        "whitelisted_payment_method": null, "optional_metadata": {}}});
    assert_eq!(update(body, true).unwrap(), expected);
}

#[test]
fn link_json_shape() {
    let account = Account {
        id: "01K8".into(),
        name: "Main".into(),
        status: AccountStatus::Active,
        created_at: 0,
    };
    let url = "https://pay.id/pay/s3cr3t".to_string();
    let offered = vec!["QRIS".to_string()];
    let json = serde_json::to_value(LinkJson::new(&stored(), &account, url, NOW, offered)).unwrap();
    let expected = json!({"id": 7, "reff_no": "INV-1", "title": "Yoga",
        "description": null, "payment_url": "https://pay.id/pay/s3cr3t", "status": "open",
        "status_computed": "expired", "is_expired": true, "required_customer_detail": true,
        "max_usage": 10, "current_usage": 3, "expired_at": "2026-11-25T18:35:06+07:00",
        "total_amount": 150000,
        "items": [{"name": "Tiket", "quantity": 2, "unit_price": 75000, "subtotal": 150000}],
        "whitelisted_payment_method": ["QRIS"], "redirect_url": "https://toko.id/",
        "optional_metadata": {"k": "v"}, "source": "api v1", "payment_date": null,
        "created_at": "2026-11-24T18:35:07+07:00", "updated_at": "2026-11-25T18:35:07+07:00",
        "account": {"id": "01K8", "name": "Main", "status": "active", "email": null,
                    "phone": null}});
    assert_eq!(json, expected);
}
