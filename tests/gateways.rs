//! The gateway connectors against local stand-ins that check requests the way each gateway
//! documents them (`tests/simulators/`).

#[path = "simulators/midtrans.rs"]
mod midtrans_sim;
#[path = "simulators/xendit.rs"]
mod xendit_sim;

use midtrans_sim::MidtransSim;
use paylinks::domain::gateway::Gateway;
use paylinks::domain::method::{MethodGroup, PaymentMethod};
use paylinks::domain::Rupiah;
use paylinks::payments::midtrans::notification::Notification;
use paylinks::payments::midtrans::Midtrans;
use paylinks::payments::xendit::callback::Callback;
use paylinks::payments::xendit::Xendit;
use paylinks::payments::{GatewayError, GatewayStatus, IssueRequest, RefundAnswer, RefundCall};
use xendit_sim::XenditSim;

const KEY: &str = "SB-Mid-server-TESTKEY0001";
const NOW: i64 = 1_795_575_600_000;

fn method(code: &str, group: MethodGroup) -> PaymentMethod {
    PaymentMethod {
        code: code.into(),
        name: code.into(),
        group,
        description: String::new(),
        min_amount: Rupiah(1),
        max_amount: Rupiah(10_000_000),
        fee_flat: Rupiah(0),
        fee_percent_bps: 0,
        expiry_seconds: 1800,
        active: true,
    }
}

fn request<'a>(reff: &'a str, method: &'a PaymentMethod, amount: i64) -> IssueRequest<'a> {
    IssueRequest {
        attempt_reff_no: reff,
        method,
        amount: Rupiah(amount),
        merchant_name: "Toko Sinar",
        payer_phone: None,
        now_ms: NOW,
        expires_at_ms: NOW + 30 * 60 * 1000,
        return_url: "https://pay.example.com/pay/AbCdEfGhIjKlMnOpQrStUv/20261125100000000000001",
    }
}

#[tokio::test]
async fn each_method_is_charged_as_documented_and_its_instructions_read() {
    let sim = MidtransSim::start(KEY).await;
    let midtrans = Midtrans::new(&sim.base_url, KEY).unwrap();
    let cases = [
        ("VA_BCA", MethodGroup::Va),
        ("VA_BNI", MethodGroup::Va),
        ("VA_BRI", MethodGroup::Va),
        ("VA_PERMATA", MethodGroup::Va),
        ("VA_CIMB", MethodGroup::Va),
        ("QRIS", MethodGroup::Qris),
        ("GOPAY", MethodGroup::Ewallet),
        ("SHOPEEPAY", MethodGroup::Ewallet),
        ("ALFAMART", MethodGroup::Retail),
        ("INDOMARET", MethodGroup::Retail),
    ];
    for (i, (code, group)) in cases.into_iter().enumerate() {
        let reff = format!("2026112510000000000000{i}");
        let method = method(code, group);
        let issued = midtrans
            .charge(&request(&reff, &method, 200_000))
            .await
            .unwrap_or_else(|error| panic!("{code}: {error}"));
        let charge = sim
            .charge_of(&reff)
            .expect("charged under the attempt's reference");
        assert_eq!(charge.amount, 200_000, "{code}");
        assert_eq!(
            charge.expiry,
            Some((1800, "second".to_string())),
            "{code}: the gateway's window is the attempt's"
        );
        assert_eq!(
            issued.gateway_reference.as_deref(),
            Some(charge.transaction_id.as_str())
        );
        match group {
            MethodGroup::Va => {
                assert_eq!(Some(issued.value), charge.va_number, "{code}");
                let bank = code.trim_start_matches("VA_").to_lowercase();
                assert_eq!(charge.bank.as_deref(), Some(bank.as_str()), "{code}");
            }
            MethodGroup::Qris => assert!(issued.value.starts_with("000201"), "{code}"),
            MethodGroup::Ewallet => assert!(issued.value.starts_with("https://"), "{code}"),
            MethodGroup::Retail => {
                assert_eq!(Some(issued.value), charge.payment_code, "{code}");
                let store = code.to_lowercase();
                assert_eq!(charge.store.as_deref(), Some(store.as_str()), "{code}");
                assert_eq!(charge.store_message.as_deref(), Some("Toko Sinar"));
            }
        }
    }
}

#[tokio::test]
async fn outlet_codes_keep_to_the_outlets_cash_limits_and_read_back_paid() {
    let sim = MidtransSim::start(KEY).await;
    let midtrans = Midtrans::new(&sim.base_url, KEY).unwrap();
    let alfamart = method("ALFAMART", MethodGroup::Retail);
    assert!(
        matches!(
            midtrans
                .charge(&request("20261125100000000000031", &alfamart, 2_500_001))
                .await,
            Err(GatewayError::Refused(_))
        ),
        "Alfamart takes at most Rp 2.500.000 in cash"
    );
    let indomaret = method("INDOMARET", MethodGroup::Retail);
    let reff = "20261125100000000000032";
    let issued = midtrans
        .charge(&request(reff, &indomaret, 5_000_000))
        .await
        .unwrap();
    assert_eq!(issued.value.len(), 12, "{}", issued.value);

    let receiver = Receiver::start().await;
    sim.pay(reff, Some(&receiver.url)).await;
    let heard = Notification::verified(&receiver.last(), KEY).unwrap();
    assert_eq!(
        (heard.status, heard.amount),
        (GatewayStatus::Paid, 5_000_000)
    );
    assert_eq!(heard.payment_type, "cstore");

    // A merchant's name longer than the till's label is cut to fit it.
    let long = IssueRequest {
        merchant_name: "Toko Sinar Jaya Abadi Sentosa",
        ..request("20261125100000000000033", &indomaret, 50_000)
    };
    midtrans.charge(&long).await.unwrap();
    let label = sim.charge_of("20261125100000000000033").unwrap();
    assert_eq!(label.store_message.as_deref(), Some("Toko Sinar Jaya Abad"));

    let xendit_sim = XenditSim::start(XENDIT_KEY, XENDIT_TOKEN).await;
    let xendit = Xendit::new(&xendit_sim.base_url, XENDIT_KEY).unwrap();
    assert!(matches!(
        xendit
            .charge(&request("20261125100000000000034", &indomaret, 5_000_001))
            .await,
        Err(GatewayError::Refused(_))
    ));
    assert!(
        !paylinks::payments::refunds_by_api(Gateway::Xendit, "INDOMARET")
            && !paylinks::payments::refunds_by_api(Gateway::Midtrans, "ALFAMART"),
        "cash paid at a till is refunded by the merchant"
    );
}

#[tokio::test]
async fn a_wrong_key_is_told_apart_from_a_good_one() {
    let sim = MidtransSim::start(KEY).await;
    Midtrans::new(&sim.base_url, KEY)
        .unwrap()
        .test_connection()
        .await
        .expect("a good key reaches a 'not found'");
    let wrong = Midtrans::new(&sim.base_url, "SB-Mid-server-WRONG").unwrap();
    assert_eq!(
        wrong.test_connection().await,
        Err(GatewayError::Unauthorized)
    );
    let va = method("VA_BNI", MethodGroup::Va);
    assert_eq!(
        wrong
            .charge(&request("20261125100000000000001", &va, 50_000))
            .await,
        Err(GatewayError::Unauthorized)
    );
}

#[tokio::test]
async fn a_paid_charge_is_read_back_signed_and_a_cancelled_one_as_failed() {
    let sim = MidtransSim::start(KEY).await;
    let midtrans = Midtrans::new(&sim.base_url, KEY).unwrap();
    let va = method("VA_BRI", MethodGroup::Va);
    let paid = "20261125100000000000011";
    midtrans.charge(&request(paid, &va, 75_000)).await.unwrap();
    let pending = midtrans.status(paid).await.unwrap().unwrap();
    assert_eq!(pending.status, GatewayStatus::Pending);

    // The notification the payer's transfer causes verifies with this account's key only.
    let receiver = Receiver::start().await;
    sim.pay(paid, Some(&receiver.url)).await;
    let body = receiver.last();
    let heard = Notification::verified(&body, KEY).unwrap();
    assert_eq!((heard.status, heard.amount), (GatewayStatus::Paid, 75_000));
    assert_eq!(heard.order_id, paid);
    assert!(Notification::verified(&body, "SB-Mid-server-OTHER").is_err());
    let read = midtrans.status(paid).await.unwrap().unwrap();
    assert_eq!((read.status, read.amount), (GatewayStatus::Paid, 75_000));
    assert!(
        midtrans.cancel(paid).await.is_err(),
        "a paid charge stays paid"
    );

    let given_up = "20261125100000000000012";
    midtrans
        .charge(&request(given_up, &va, 75_000))
        .await
        .unwrap();
    midtrans.cancel(given_up).await.unwrap();
    let read = midtrans.status(given_up).await.unwrap().unwrap();
    assert_eq!(read.status, GatewayStatus::Failed);
    assert_eq!(midtrans.status("20261125100000000000099").await, Ok(None));
    midtrans
        .cancel("20261125100000000000099")
        .await
        .expect("nothing to cancel is fine");
}

#[tokio::test]
async fn a_gateway_having_a_bad_minute_reads_as_unavailable_and_a_duplicate_as_refused() {
    let sim = MidtransSim::start(KEY).await;
    let midtrans = Midtrans::new(&sim.base_url, KEY).unwrap();
    let qris = method("QRIS", MethodGroup::Qris);
    let reff = "20261125100000000000021";
    sim.fail_next(1);
    assert!(matches!(
        midtrans.charge(&request(reff, &qris, 10_000)).await,
        Err(GatewayError::Unavailable(_))
    ));
    midtrans
        .charge(&request(reff, &qris, 10_000))
        .await
        .unwrap();
    assert!(matches!(
        midtrans.charge(&request(reff, &qris, 10_000)).await,
        Err(GatewayError::Refused(_))
    ));
    // Nothing listening at all: unavailable too, not a hang.
    let nowhere = Midtrans::new("http://127.0.0.1:9", KEY).unwrap();
    assert!(matches!(
        nowhere.charge(&request(reff, &qris, 10_000)).await,
        Err(GatewayError::Unavailable(_))
    ));
    let unoffered = method("OVO", MethodGroup::Ewallet);
    let before = sim.requests();
    assert!(matches!(
        midtrans
            .charge(&request("20261125100000000000022", &unoffered, 10_000))
            .await,
        Err(GatewayError::Refused(_))
    ));
    assert_eq!(sim.requests(), before, "refused before asking Midtrans");
}

const XENDIT_KEY: &str = "xnd_development_P4qDfOss0OCpl8RtKrROHjaQYNCk9dN5lSfk+R1l9Wbe+rSiCwZ3jw==";
const XENDIT_TOKEN: &str = "callback-token-of-this-account";

#[tokio::test]
async fn xendit_requests_each_method_as_documented_and_reads_its_instructions() {
    let sim = XenditSim::start(XENDIT_KEY, XENDIT_TOKEN).await;
    let xendit = Xendit::new(&sim.base_url, XENDIT_KEY).unwrap();
    let cases = [
        ("VA_BCA", MethodGroup::Va, "BCA_VIRTUAL_ACCOUNT"),
        ("VA_BNI", MethodGroup::Va, "BNI_VIRTUAL_ACCOUNT"),
        ("VA_BRI", MethodGroup::Va, "BRI_VIRTUAL_ACCOUNT"),
        ("VA_PERMATA", MethodGroup::Va, "PERMATA_VIRTUAL_ACCOUNT"),
        ("VA_CIMB", MethodGroup::Va, "CIMB_VIRTUAL_ACCOUNT"),
        ("QRIS", MethodGroup::Qris, "QRIS"),
        ("DANA", MethodGroup::Ewallet, "DANA"),
        ("SHOPEEPAY", MethodGroup::Ewallet, "SHOPEEPAY"),
        ("LINKAJA", MethodGroup::Ewallet, "LINKAJA"),
        ("GOPAY", MethodGroup::Ewallet, "GOPAY"),
        ("ALFAMART", MethodGroup::Retail, "ALFAMART"),
        ("INDOMARET", MethodGroup::Retail, "INDOMARET"),
    ];
    for (i, (code, group, channel)) in cases.into_iter().enumerate() {
        let reff = format!("2026112510000000000010{i}");
        let method = method(code, group);
        let issued = xendit
            .charge(&request(&reff, &method, 150_000))
            .await
            .unwrap_or_else(|error| panic!("{code}: {error}"));
        let asked = sim
            .request_for(&reff)
            .expect("requested under the attempt's reference");
        assert_eq!(
            (asked.channel_code.as_str(), asked.amount),
            (channel, 150_000)
        );
        assert_eq!(issued.gateway_reference.as_deref(), Some(asked.id.as_str()));
        assert_eq!(
            Some(issued.value.as_str()),
            asked.actions[0]["value"].as_str()
        );
        if matches!(group, MethodGroup::Va | MethodGroup::Retail) {
            // The number stops taking money when the attempt ends: 10:30 WIB is 03:30 UTC.
            assert_eq!(
                asked.channel_properties["expires_at"],
                "2026-11-25T03:30:00Z"
            );
        }
        if group == MethodGroup::Retail {
            assert_eq!(asked.channel_properties["payer_name"], "Toko Sinar");
            assert_eq!(asked.actions[0]["descriptor"], "PAYMENT_CODE");
        }
    }
    // The same attempt asked twice is one payment request (the idempotency key).
    let va = method("VA_BNI", MethodGroup::Va);
    let again = xendit
        .charge(&request("20261125100000000000101", &va, 150_000))
        .await
        .unwrap();
    assert_eq!(sim.count(), 12);
    assert_eq!(
        again.gateway_reference,
        sim.request_for("20261125100000000000101").map(|r| r.id)
    );
}

#[tokio::test]
async fn xendit_tells_keys_apart_and_failures_from_refusals() {
    let sim = XenditSim::start(XENDIT_KEY, XENDIT_TOKEN).await;
    let xendit = Xendit::new(&sim.base_url, XENDIT_KEY).unwrap();
    xendit
        .test_connection()
        .await
        .expect("a good key reaches a 'not found'");
    let wrong = Xendit::new(&sim.base_url, "xnd_development_wrong").unwrap();
    assert_eq!(
        wrong.test_connection().await,
        Err(GatewayError::Unauthorized)
    );

    let bca = method("VA_BCA", MethodGroup::Va);
    sim.fail_next(1);
    assert!(matches!(
        xendit
            .charge(&request("20261125100000000000201", &bca, 50_000))
            .await,
        Err(GatewayError::Unavailable(_))
    ));
    // Below BCA's minimum: Xendit refuses, and asking again would not help.
    assert!(matches!(
        xendit
            .charge(&request("20261125100000000000202", &bca, 5_000))
            .await,
        Err(GatewayError::Refused(_))
    ));
    let ovo = method("OVO", MethodGroup::Ewallet);
    assert!(matches!(
        xendit
            .charge(&request("20261125100000000000203", &ovo, 50_000))
            .await,
        Err(GatewayError::Refused(_))
    ));
}

#[tokio::test]
async fn a_xendit_payment_is_heard_with_its_token_and_read_back() {
    let sim = XenditSim::start(XENDIT_KEY, XENDIT_TOKEN).await;
    let xendit = Xendit::new(&sim.base_url, XENDIT_KEY).unwrap();
    let qris = method("QRIS", MethodGroup::Qris);
    let reff = "20261125100000000000301";
    let issued = xendit.charge(&request(reff, &qris, 88_000)).await.unwrap();
    let id = issued.gateway_reference.unwrap();
    assert_eq!(xendit.status(&id).await, Ok(Some(GatewayStatus::Pending)));

    let receiver = Receiver::start().await;
    sim.pay(&id, &receiver.url).await;
    let body = receiver.last();
    let token = receiver.last_token();
    let heard = Callback::verified(token.as_deref(), &body, XENDIT_TOKEN).unwrap();
    assert_eq!((heard.status, heard.amount), (GatewayStatus::Paid, 88_000));
    assert_eq!(heard.reference_id, reff);
    assert!(Callback::verified(token.as_deref(), &body, "another-account").is_err());
    assert_eq!(xendit.status(&id).await, Ok(Some(GatewayStatus::Paid)));
    assert!(
        xendit.cancel(&id).await.is_err(),
        "a paid request stays paid"
    );

    let other = xendit
        .charge(&request("20261125100000000000302", &qris, 88_000))
        .await
        .unwrap()
        .gateway_reference
        .unwrap();
    xendit.cancel(&other).await.unwrap();
    assert_eq!(xendit.status(&other).await, Ok(Some(GatewayStatus::Failed)));
    assert_eq!(
        xendit
            .status("pr-00000000-0000-0000-0000-000000000000")
            .await,
        Ok(None)
    );
}

/// Records the notifications a gateway sends.
/// Each notification's body and its `x-callback-token` header.
type Heard = std::sync::Arc<std::sync::Mutex<Vec<(serde_json::Value, Option<String>)>>>;

struct Receiver {
    url: String,
    bodies: Heard,
}

impl Receiver {
    async fn start() -> Receiver {
        let bodies = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = bodies.clone();
        let app = axum::Router::new().route(
            "/notify",
            axum::routing::post(
                move |headers: axum::http::HeaderMap,
                      axum::Json(body): axum::Json<serde_json::Value>| {
                    let kept = kept.clone();
                    async move {
                        let token = headers
                            .get("x-callback-token")
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_string);
                        kept.lock().unwrap().push((body, token));
                        "ok"
                    }
                },
            ),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/notify", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver { url, bodies }
    }

    fn last(&self) -> serde_json::Value {
        let bodies = self.bodies.lock().unwrap();
        bodies.last().cloned().expect("a notification").0
    }

    /// The `x-callback-token` header of the last one.
    fn last_token(&self) -> Option<String> {
        let bodies = self.bodies.lock().unwrap();
        bodies.last().cloned().expect("a notification").1
    }
}

fn refund_call<'a>(
    reff: &'a str,
    reference: Option<&'a str>,
    key: &'a str,
    amount: i64,
) -> RefundCall<'a> {
    RefundCall {
        attempt_reff_no: reff,
        gateway_reference: reference,
        refund_key: key,
        amount: Rupiah(amount),
        reason: "Barang habis",
    }
}

#[tokio::test]
async fn midtrans_refunds_wallets_and_qris_once_per_key_and_refuses_a_va() {
    let sim = MidtransSim::start(KEY).await;
    let midtrans = Midtrans::new(&sim.base_url, KEY).unwrap();
    let gopay = method("GOPAY", MethodGroup::Ewallet);
    let reff = "20261125100000000000031";
    midtrans
        .charge(&request(reff, &gopay, 90_000))
        .await
        .unwrap();
    let early = midtrans
        .refund(&refund_call(reff, None, "r-1", 30_000))
        .await;
    assert!(
        matches!(early, Err(GatewayError::Refused(_))),
        "not paid yet: {early:?}"
    );
    sim.pay_without_notifying(reff);
    let first = midtrans
        .refund(&refund_call(reff, None, "r-2", 30_000))
        .await;
    assert!(matches!(first, Ok(RefundAnswer::Succeeded(_))), "{first:?}");
    // The same key again is the same refund, not a second one.
    let again = midtrans
        .refund(&refund_call(reff, None, "r-2", 30_000))
        .await;
    assert_eq!(again, first);
    assert_eq!(sim.refunded(reff), 30_000);
    let over = midtrans
        .refund(&refund_call(reff, None, "r-3", 60_001))
        .await;
    assert!(matches!(over, Err(GatewayError::Refused(_))), "{over:?}");

    let va = method("VA_BNI", MethodGroup::Va);
    let transfer = "20261125100000000000032";
    midtrans
        .charge(&request(transfer, &va, 90_000))
        .await
        .unwrap();
    sim.pay_without_notifying(transfer);
    let refused = midtrans
        .refund(&refund_call(transfer, None, "r-4", 90_000))
        .await;
    assert!(
        matches!(refused, Err(GatewayError::Refused(_))),
        "{refused:?}"
    );
    assert!(!paylinks::payments::refunds_by_api(
        Gateway::Midtrans,
        "VA_BNI"
    ));
    assert!(paylinks::payments::refunds_by_api(
        Gateway::Midtrans,
        "GOPAY"
    ));
}

#[tokio::test]
async fn xendit_refunds_a_wallet_payment_and_reads_a_pending_refund_later() {
    let sim = XenditSim::start(XENDIT_KEY, XENDIT_TOKEN).await;
    let xendit = Xendit::new(&sim.base_url, XENDIT_KEY).unwrap();
    let dana = method("DANA", MethodGroup::Ewallet);
    let reff = "20261125100000000000041";
    let issued = xendit.charge(&request(reff, &dana, 120_000)).await.unwrap();
    let request_id = issued.gateway_reference.unwrap();
    sim.pay_without_notifying(&request_id);
    sim.hold_refunds();
    let call = refund_call(reff, Some(&request_id), "r-10", 120_000);
    let Ok(RefundAnswer::Pending(refund_id)) = xendit.refund(&call).await else {
        panic!("an e-wallet refund left pending");
    };
    assert_eq!(
        xendit.refund(&call).await,
        Ok(RefundAnswer::Pending(refund_id.clone())),
        "the idempotency key answers the same refund"
    );
    sim.complete_refunds();
    assert_eq!(
        xendit.refund_status(&refund_id).await,
        Ok(RefundAnswer::Succeeded(refund_id.clone()))
    );
    assert_eq!(sim.refunded(&request_id), 120_000);
    let none = refund_call(reff, None, "r-11", 1);
    assert!(matches!(
        xendit.refund(&none).await,
        Err(GatewayError::Refused(_))
    ));
}
