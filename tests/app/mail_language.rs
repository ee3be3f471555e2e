//! Mail to the merchant's users in each one's language: members' notices by their stored
//! language (none yet counts as Indonesian), the links a user asks for by theirs (else the
//! asking page's), and an invitation in the inviting owner's.

use reqwest::StatusCode;

use crate::helpers::{spawn_app_with, Browser, TestApp, PASSWORD};
use crate::support::smtp::SmtpSink;
use paylinks::domain::notify::Topic;

async fn app_with_mail() -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start().await;
    let url = sink.url.clone();
    let app = spawn_app_with(move |settings| settings.smtp_url = Some(url)).await;
    (app, sink)
}

/// A browser that reads Indonesian.
fn indonesian(app: &TestApp) -> Browser {
    Browser::speaking(&app.address, "id-ID,id;q=0.9")
}

/// The subject of a mail as sent.
fn subject(mail: &crate::support::smtp::Mail) -> String {
    mail.data
        .lines()
        .find_map(|line| line.strip_prefix("Subject: ").map(str::to_string))
        .unwrap_or_default()
}

/// `owner` invites `email` as `role`; the invitee joins from a browser of their own. The link.
async fn invite_and_join(app: &TestApp, owner: &Browser, email: &str, role: &str) -> String {
    let invited = owner
        .call("team_invite", &[("email", email), ("role", role)])
        .await;
    assert_eq!(invited.status(), StatusCode::OK);
    let link: String = invited.json().await.unwrap();
    let token = link.rsplit('/').next().unwrap().to_string();
    let joined = app
        .new_browser()
        .call(
            "invitation_accept",
            &[("token", token.as_str()), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(joined.status(), StatusCode::OK);
    link
}

/// `to|subject` of every queued message of `kind`, by address.
async fn queued(app: &TestApp, kind: &str) -> Vec<String> {
    app.texts(&format!(
        "SELECT to_address || '|' || subject FROM outbound_emails
         WHERE kind = '{kind}' ORDER BY to_address"
    ))
    .await
}

#[tokio::test]
async fn each_member_hears_of_a_payment_in_their_own_language() {
    let (app, sink) = app_with_mail().await;
    let owner = indonesian(&app);
    let account = owner.sign_up("Toko Sinar", "owner@sinar.id").await;
    assert_eq!(
        app.scalar_text("SELECT lang FROM users WHERE email = 'owner@sinar.id'")
            .await,
        "id",
        "signed up from an Indonesian browser"
    );
    invite_and_join(&app, &owner, "admin@sinar.id", "admin").await;
    invite_and_join(&app, &owner, "kasir@sinar.id", "viewer").await;
    app.execute("UPDATE users SET lang = 'en' WHERE email = 'admin@sinar.id'")
        .await;
    // One who never signed in has no language yet: Indonesian, the product's default.
    app.execute("UPDATE users SET lang = NULL WHERE email = 'kasir@sinar.id'")
        .await;
    app.execute(&format!(
        "UPDATE users SET {} = TRUE",
        Topic::PaymentReceived.column()
    ))
    .await;

    let link: i64 = owner
        .create_link(
            &account,
            &[("input[title]", "Kelas yoga"), ("input[max_usage]", "1")],
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

    assert_eq!(
        queued(&app, "payment_received").await,
        [
            "admin@sinar.id|Payment received: Rp 200.000 for Kelas yoga",
            "kasir@sinar.id|Pembayaran diterima: Rp 200.000 untuk Kelas yoga",
            "owner@sinar.id|Pembayaran diterima: Rp 200.000 untuk Kelas yoga",
        ]
    );
    // The link took its only payment: the same choice of copy for that notice.
    assert_eq!(
        queued(&app, "link_exhausted").await,
        [
            "admin@sinar.id|Kelas yoga is used up",
            "kasir@sinar.id|Kuota Kelas yoga sudah habis",
            "owner@sinar.id|Kuota Kelas yoga sudah habis",
        ]
    );

    paylinks::mail::send_due(&app.state).await.unwrap();
    let paid = |to: &str| {
        sink.mails_to(to)
            .into_iter()
            .find(|mail| subject(mail).starts_with("P"))
            .unwrap_or_else(|| panic!("a payment notice to {to}"))
            .decoded()
    };
    let owners = paid("owner@sinar.id");
    assert!(
        owners.contains("Seorang pembayar membayar Rp 200.000 dengan VA BRI")
            && owners.contains(&format!("Referensi: {reff}"))
            && !owners.contains("Reference:"),
        "{owners}"
    );
    let admins = paid("admin@sinar.id");
    assert!(
        admins.contains("A payer paid Rp 200.000 by VA BRI")
            && admins.contains(&format!("Reference: {reff}")),
        "{admins}"
    );
}

#[tokio::test]
async fn an_export_is_told_ready_in_its_starters_language() {
    let (app, _sink) = app_with_mail().await;
    let owner = indonesian(&app);
    let account = owner.sign_up("Toko Sinar", "owner@sinar.id").await;
    crate::export_helpers::export(&owner, &app, &account, "csv", &[]).await;
    // The export's task queues its notice just after recording the export done.
    let mut told = Vec::new();
    for _ in 0..100 {
        told = queued(&app, "export_ready").await;
        if !told.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(told, ["owner@sinar.id|Ekspor csv Anda sudah siap"]);
    let text = app
        .scalar_text("SELECT text_body FROM outbound_emails WHERE kind = 'export_ready'")
        .await;
    assert!(text.contains("Unduh: "), "{text}");
}

#[tokio::test]
async fn a_password_reset_is_in_the_users_language_whoever_asks() {
    let (app, sink) = app_with_mail().await;
    let owner = indonesian(&app);
    owner.sign_up("Toko Sinar", "owner@sinar.id").await;
    // At sign-up the user had no language yet: the address is confirmed in the page's.
    assert_eq!(
        queued(&app, "verify_email").await,
        ["owner@sinar.id|Konfirmasi email Anda untuk paylinks"]
    );

    // Asked from an English browser, the link still comes in Indonesian, the user's language.
    let asked = app
        .new_browser()
        .call("password_forgot", &[("email", "owner@sinar.id")])
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    paylinks::mail::send_due(&app.state).await.unwrap();
    let resets: Vec<_> = sink
        .mails_to("owner@sinar.id")
        .into_iter()
        .filter(|mail| mail.decoded().contains("/reset-password?token="))
        .collect();
    assert_eq!(resets.len(), 1);
    assert_eq!(subject(&resets[0]), "Atur ulang kata sandi paylinks Anda");
    let text = resets[0].decoded();
    assert!(
        text.contains("Halo,") && text.contains("dalam satu jam") && !text.contains("Hello"),
        "{text}"
    );

    // An English user asking from an Indonesian browser gets English.
    let english = app.new_browser();
    english.sign_up("Toko Terang", "owner@terang.id").await;
    let asked = indonesian(&app)
        .call("password_forgot", &[("email", "owner@terang.id")])
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    assert_eq!(
        queued(&app, "password_reset").await,
        [
            "owner@sinar.id|Atur ulang kata sandi paylinks Anda",
            "owner@terang.id|Reset your paylinks password",
        ]
    );

    // A link that no longer works is refused in the page's language.
    let refused = indonesian(&app)
        .call(
            "password_reset",
            &[
                ("token", "no-such-token"),
                ("password", "a brand new passphrase"),
            ],
        )
        .await;
    let errors = crate::helpers::field_errors(refused).await;
    assert_eq!(
        errors["form"],
        "Link ini sudah kedaluwarsa atau sudah pernah dipakai. Mintalah link baru."
    );
}

#[tokio::test]
async fn an_indonesian_owners_invitation_is_in_indonesian() {
    let (app, sink) = app_with_mail().await;
    let owner = indonesian(&app);
    owner.sign_up("Toko Sinar", "owner@sinar.id").await;

    let wrong = owner
        .call(
            "team_invite",
            &[("email", "kasir@sinar.id"), ("role", "boss")],
        )
        .await;
    let errors = crate::helpers::field_errors(wrong).await;
    assert_eq!(errors["role"], "Pilih pemilik, admin, atau peninjau.");

    let invited = owner
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
    assert_eq!(
        subject(&mails[0]),
        "owner@sinar.id mengundang Anda ke Toko Sinar di paylinks"
    );
    let text = mails[0].decoded();
    assert!(
        text.contains(
            "owner@sinar.id mengundang Anda untuk bergabung dengan Toko Sinar di paylinks \
             sebagai peninjau."
        ) && text.contains("berlaku selama 7 hari")
            && text.contains(&link),
        "{text}"
    );

    let taken = owner
        .call(
            "team_invite",
            &[("email", "owner@sinar.id"), ("role", "admin")],
        )
        .await;
    let errors = crate::helpers::field_errors(taken).await;
    assert_eq!(errors["email"], "Email ini sudah memiliki akun paylinks.");
}
