//! Receipts and refund notices by email, through a real SMTP conversation with a local sink:
//! queued with the payment, sent once, kept through an outage, none without an address.

use reqwest::StatusCode;

use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use crate::support::smtp::SmtpSink;

async fn app_with_mail() -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start().await;
    let url = sink.url.clone();
    let app = spawn_app_with(move |settings| settings.smtp_url = Some(url)).await;
    (app, sink)
}

/// A paid attempt by a payer paying in `lang`; a link asking for customer details when an
/// `email` is given, and none (so no address) when it is empty.
async fn paid_attempt(app: &TestApp, email: &str, lang: &str) -> String {
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let asks: &[(&str, &str)] = if email.is_empty() {
        &[]
    } else {
        &[("input[required_customer_detail]", "on")]
    };
    let link: i64 = app.create_link(&account, asks).await.json().await.unwrap();
    let slug = app.slug_of(link).await;
    let mut form = vec![
        ("slug", slug.as_str()),
        ("method", "VA_BRI"),
        ("lang", lang),
    ];
    if !email.is_empty() {
        form.extend([
            ("customer_name", "Siti Aminah"),
            ("customer_email", email),
            ("customer_phone", "081234567890"),
        ]);
    }
    let started = app.new_browser().call("pay", &form).await;
    let status = started.status();
    assert_eq!(status, StatusCode::OK);
    let reff: String = started.json().await.unwrap();
    assert_eq!(
        app.bank_pays(&reff, &format!("TX-{reff}"), 200_000)
            .await
            .status(),
        StatusCode::OK
    );
    reff
}

#[tokio::test]
async fn a_payer_gets_one_receipt_in_the_language_they_paid_in() {
    let (app, sink) = app_with_mail().await;
    let reff = paid_attempt(&app, "siti@example.com", "en").await;
    paylinks::mail::send_due(&app.state).await.unwrap();
    let mails = sink.mails_to("siti@example.com");
    assert_eq!(mails.len(), 1);
    let receipt = &mails[0];
    assert!(receipt.from.contains("receipts@paylinks.test"));
    assert!(
        receipt
            .data
            .contains("Subject: Receipt for your payment of Rp 200.000 to Toko Sinar"),
        "{}",
        receipt.data
    );
    assert!(receipt.decoded().contains(&format!("Reference: {reff}")));
    assert!(receipt.decoded().contains("Method: VA BRI"));
    assert!(receipt.decoded().contains("text/plain") && receipt.decoded().contains("text/html"));

    // The same notice again, and another pass: still one receipt.
    assert_eq!(
        app.bank_pays(&reff, &format!("TX-{reff}"), 200_000)
            .await
            .status(),
        StatusCode::OK
    );
    paylinks::mail::send_due(&app.state).await.unwrap();
    assert_eq!(sink.mails_to("siti@example.com").len(), 1);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM outbound_emails WHERE status = 'sent' AND kind = 'receipt'"
        )
        .await,
        1
    );
    let account = app.default_account_id().await;
    let detail = app.payment_detail(&account, &reff).await;
    assert_eq!(detail["receipt"], "Emailed to the payer");
}

#[tokio::test]
async fn a_receipt_waits_out_an_smtp_outage_and_arrives_after() {
    let (app, sink) = app_with_mail().await;
    sink.set_down(true);
    paid_attempt(&app, "siti@example.com", "id").await;
    paylinks::mail::send_due(&app.state).await.unwrap();
    assert!(sink.mails().is_empty());
    assert_eq!(
        app.scalar_text(
            "SELECT status || ' ' || CAST(tries AS TEXT) FROM outbound_emails WHERE kind = 'receipt'"
        )
            .await,
        "pending 1"
    );
    sink.set_down(false);
    paylinks::mail::send_due(&app.state).await.unwrap();
    assert!(sink.mails().is_empty(), "not before its retry time");
    app.clock.advance_ms(31_000);
    paylinks::mail::send_due(&app.state).await.unwrap();
    let mails = sink.mails_to("siti@example.com");
    assert_eq!(mails.len(), 1);
    assert!(mails[0]
        .data
        .contains("Subject: Bukti pembayaran Rp 200.000 untuk Toko Sinar"));
}

#[tokio::test]
async fn nothing_is_mailed_without_an_address_or_without_mail() {
    let (app, sink) = app_with_mail().await;
    paid_attempt(&app, "", "id").await;
    paylinks::mail::send_due(&app.state).await.unwrap();
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbound_emails WHERE kind = 'receipt'")
            .await,
        0
    );
    assert!(sink
        .mails()
        .iter()
        .all(|mail| mail.to == ["owner@sinar.id"]));

    let off = spawn_app().await;
    paid_attempt(&off, "siti@example.com", "id").await;
    assert_eq!(
        off.count("outbound_emails").await,
        0,
        "mail is off: nothing queued"
    );
}

#[tokio::test]
async fn a_refund_that_went_through_is_told_to_the_payer() {
    let (app, sink) = app_with_mail().await;
    let reff = paid_attempt(&app, "siti@example.com", "id").await;
    let account = app.default_account_id().await;
    let history_id = app.history_id(&reff).await;
    let refund = app
        .call(
            "refund",
            &[
                ("account_id", account.as_str()),
                ("history_id", history_id.as_str()),
                ("amount", "50.000"),
                ("reason", "Kelas dibatalkan"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(refund.status(), StatusCode::OK);
    paylinks::mail::send_due(&app.state).await.unwrap();
    let mails = sink.mails_to("siti@example.com");
    assert_eq!(mails.len(), 2, "the receipt, then the refund notice");
    assert!(mails[1]
        .data
        .contains("Subject: Toko Sinar mengembalikan Rp 50.000 kepada Anda"));
    assert!(mails[1].decoded().contains("Alasan: Kelas dibatalkan"));
}

#[tokio::test]
async fn an_invitation_is_emailed_to_the_invitee_with_its_link() {
    let (app, sink) = app_with_mail().await;
    app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let invited = app
        .call(
            "team_invite",
            &[("email", "kasir@sinar.id"), ("role", "viewer")],
        )
        .await;
    assert_eq!(invited.status(), StatusCode::OK);
    let link: String = invited.json().await.unwrap();
    paylinks::mail::send_due(&app.state).await.unwrap();
    let mails = sink.mails_to("kasir@sinar.id");
    assert_eq!(mails.len(), 1);
    let text = mails[0].decoded();
    assert!(
        text.contains("owner@sinar.id invited you to join Toko Sinar on paylinks as viewer"),
        "{text}"
    );
    assert!(text.contains(&link), "{text}");
}

/// The subjects of the mails sent to `to`, in order.
fn subjects_to(sink: &SmtpSink, to: &str) -> Vec<String> {
    sink.mails_to(to)
        .iter()
        .filter_map(|mail| {
            mail.data
                .lines()
                .find_map(|line| line.strip_prefix("Subject: ").map(str::to_string))
        })
        .collect()
}

#[tokio::test]
async fn members_hear_of_what_they_chose() {
    let (app, sink) = app_with_mail().await;
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    // Defaults: a link used up and an export ready, not every payment.
    let link: i64 = app
        .create_link(
            &account,
            &[("input[max_usage]", "1"), ("input[title]", "Kelas yoga")],
        )
        .await
        .json()
        .await
        .unwrap();
    let slug = app.slug_of(link).await;
    let reff = app.new_browser().start_payment(&slug, "VA_BRI").await;
    assert_eq!(
        app.bank_pays(&reff, "TX-1", 200_000).await.status(),
        StatusCode::OK
    );
    paylinks::mail::send_due(&app.state).await.unwrap();
    assert_eq!(
        subjects_to(&sink, "owner@sinar.id"),
        ["Confirm your email for paylinks", "Kelas yoga is used up"]
    );

    // Now every payment too, and no export notice.
    let saved = app
        .call(
            "notifications_save",
            &[("payment_received", "yes"), ("link_exhausted", "yes")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let open: i64 = app.create_link(&account, &[]).await.json().await.unwrap();
    let slug = app.slug_of(open).await;
    let reff = app.new_browser().start_payment(&slug, "QRIS").await;
    assert_eq!(
        app.bank_pays(&reff, "TX-2", 200_000).await.status(),
        StatusCode::OK
    );
    crate::export_helpers::export(&app, &app, &account, "csv", &[]).await;
    paylinks::mail::send_due(&app.state).await.unwrap();
    assert_eq!(
        subjects_to(&sink, "owner@sinar.id"),
        [
            "Confirm your email for paylinks",
            "Kelas yoga is used up",
            "Payment received: Rp 200.000 for Kaos dan topi"
        ]
    );

    // With exports back on, the export's starter hears it is ready.
    app.call(
        "notifications_save",
        &[("export_ready", "yes"), ("webhook_failing", "yes")],
    )
    .await;
    crate::export_helpers::export(&app, &app, &account, "xlsx", &[]).await;
    // The export's task queues its notice just after recording the export done.
    let mut last = String::new();
    for _ in 0..100 {
        paylinks::mail::send_due(&app.state).await.unwrap();
        last = subjects_to(&sink, "owner@sinar.id").last().unwrap().clone();
        if last == "Your xlsx export is ready" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(last, "Your xlsx export is ready");
}

#[tokio::test]
async fn a_webhook_endpoint_failing_for_an_hour_is_told_once_a_day() {
    let (app, sink) = app_with_mail().await;
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    // Nothing listens there: every delivery fails.
    app.enable_webhooks("http://127.0.0.1:9/hook").await;
    let link: i64 = app.create_link(&account, &[]).await.json().await.unwrap();
    let slug = app.slug_of(link).await;
    let reff = app.new_browser().start_payment(&slug, "VA_BRI").await;
    assert_eq!(
        app.bank_pays(&reff, "TX-1", 200_000).await.status(),
        StatusCode::OK
    );
    let failing = "Your webhook endpoint has been failing for an hour".to_string();
    for _ in 0..6 {
        paylinks::webhooks::deliver::deliver_due(&app.state)
            .await
            .unwrap();
        paylinks::mail::send_due(&app.state).await.unwrap();
        app.clock.advance_ms(31 * 60 * 1000);
    }
    let told = subjects_to(&sink, "owner@sinar.id");
    assert_eq!(
        told.iter().filter(|s| **s == failing).count(),
        1,
        "{told:?}"
    );
}

#[tokio::test]
async fn a_new_merchant_confirms_their_email_before_taking_real_money() {
    let (app, sink) = app_with_mail().await;
    app.sign_up("Toko Sinar", "owner@sinar.id").await;
    paylinks::mail::send_due(&app.state).await.unwrap();
    assert_eq!(
        subjects_to(&sink, "owner@sinar.id"),
        ["Confirm your email for paylinks"]
    );
    let nav: serde_json::Value = app.call("dashboard_nav", &[]).await.json().await.unwrap();
    assert_eq!(nav["confirm_email"], true);
    let live = app
        .call(
            "gateway_connect",
            &[
                ("gateway", "midtrans"),
                ("mode", "production"),
                ("secret", "Mid-server-LiveKey0001"),
                ("callback_token", ""),
            ],
        )
        .await;
    let errors = crate::helpers::field_errors(live).await;
    assert!(errors["mode"].contains("Confirm your email"), "{errors:?}");

    let text = sink.mails_to("owner@sinar.id")[0].decoded();
    let start = text.find("/verify-email?token=").unwrap() + 20;
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let stranger = app.new_browser();
    assert_eq!(
        stranger
            .call("email_verify", &[("token", &token)])
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        stranger
            .call("email_verify", &[("token", &token)])
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "once"
    );
    let nav: serde_json::Value = app.call("dashboard_nav", &[]).await.json().await.unwrap();
    assert_eq!(nav["confirm_email"], false);

    // Without mail nobody is asked.
    let off = spawn_app().await;
    off.sign_up("Toko Lain", "owner@lain.id").await;
    let nav: serde_json::Value = off.call("dashboard_nav", &[]).await.json().await.unwrap();
    assert_eq!(nav["confirm_email"], false);
}
