//! What paylinks writes, each message in its reader's language: to payers a receipt when a
//! payment is credited and a notice when money goes back; to the merchant's users the links
//! they ask for (a password reset, an address to confirm), invitations and the notices they
//! chose. Plain text and HTML of the same facts; no tracking (a receipt's only image is the
//! merchant's logo, the same file for every reader). The words are in the `email` namespace
//! of `locales/`.

use super::lang::Lang;
use super::merchant::Role;
use super::time::format_wib_in;
use super::Rupiah;
use crate::i18n::{td_string, Locale};

/// A message as it will be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The facts of a credited payment a receipt states.
pub struct Receipt<'a> {
    pub merchant: &'a str,
    pub title: &'a str,
    pub amount: Rupiah,
    pub method: &'a str,
    pub reference: &'a str,
    pub paid_at_ms: i64,
    pub customer: Option<&'a str>,
    /// The merchant's brand: its logo's full address and its colour ("#1a7f5a", checked).
    pub logo_url: Option<&'a str>,
    pub brand_color: Option<&'a str>,
}

/// The facts of a refund that went through.
pub struct RefundNotice<'a> {
    pub merchant: &'a str,
    pub title: &'a str,
    pub refunded: Rupiah,
    pub paid: Rupiah,
    pub reference: &'a str,
    pub reason: &'a str,
    pub at_ms: i64,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The message from a greeting, a lead sentence and labelled facts, in both parts.
fn compose(
    subject: String,
    greeting: String,
    lead: String,
    facts: &[(&str, String)],
    closing: &str,
) -> Rendered {
    compose_under(String::new(), subject, greeting, lead, facts, closing)
}

/// [`compose`] with a header (HTML, escaped by the caller) above the HTML part.
fn compose_under(
    header: String,
    subject: String,
    greeting: String,
    lead: String,
    facts: &[(&str, String)],
    closing: &str,
) -> Rendered {
    let mut text = format!("{greeting}\n\n{lead}\n\n");
    for (label, value) in facts {
        text.push_str(&format!("{label}: {value}\n"));
    }
    text.push_str(&format!("\n{closing}\n"));
    let rows: String = facts
        .iter()
        .map(|(label, value)| {
            format!(
                "<tr><th align=\"left\" style=\"padding:4px 12px 4px 0\">{}</th><td>{}</td></tr>",
                escape(label),
                escape(value)
            )
        })
        .collect();
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif;color:#1d2939\">\
         {header}<p>{}</p><p>{}</p><table>{rows}</table><p>{}</p></body></html>",
        escape(&greeting),
        escape(&lead),
        escape(closing)
    );
    Rendered {
        subject,
        text,
        html,
    }
}

fn greeting(lang: Lang, customer: Option<&str>) -> String {
    let locale = Locale::from(lang);
    match customer.map(str::trim).filter(|name| !name.is_empty()) {
        Some(name) => td_string!(locale, email.hello_name, name).to_string(),
        None => td_string!(locale, email.hello).to_string(),
    }
}

pub fn receipt(lang: Lang, r: &Receipt<'_>) -> Rendered {
    let locale = Locale::from(lang);
    let (amount, merchant) = (r.amount, r.merchant);
    let subject = td_string!(locale, email.receipt_subject, amount, merchant).to_string();
    let lead = td_string!(locale, email.receipt_lead, merchant).to_string();
    let facts = [
        (td_string!(locale, email.label_for), r.title.to_string()),
        (td_string!(locale, email.label_amount), r.amount.to_string()),
        (td_string!(locale, email.label_method), r.method.to_string()),
        (
            td_string!(locale, email.label_reference),
            r.reference.to_string(),
        ),
        (
            td_string!(locale, email.label_date),
            format_wib_in(r.paid_at_ms, lang),
        ),
    ];
    let closing = td_string!(locale, email.receipt_closing);
    // The merchant's logo over a bar of their colour, when they set them.
    let logo = r.logo_url.map(|url| {
        format!(
            "<img src=\"{}\" alt=\"{}\" style=\"max-height:48px;max-width:200px\">",
            escape(url),
            escape(r.merchant)
        )
    });
    let bar = r.brand_color.map(|color| {
        format!(
            "<div style=\"height:4px;background:{}\"></div>",
            escape(color)
        )
    });
    let header = format!(
        "{}{}",
        logo.map(|img| format!("<p>{img}</p>")).unwrap_or_default(),
        bar.unwrap_or_default()
    );
    compose_under(
        header,
        subject,
        greeting(lang, r.customer),
        lead,
        &facts,
        closing,
    )
}

pub fn refund_notice(lang: Lang, r: &RefundNotice<'_>, customer: Option<&str>) -> Rendered {
    let locale = Locale::from(lang);
    let (merchant, refunded, paid) = (r.merchant, r.refunded, r.paid);
    let subject = td_string!(locale, email.refund_subject, merchant, refunded).to_string();
    let lead = td_string!(locale, email.refund_lead, merchant, refunded, paid).to_string();
    let mut facts = vec![
        (td_string!(locale, email.label_for), r.title.to_string()),
        (
            td_string!(locale, email.label_refunded),
            r.refunded.to_string(),
        ),
        (
            td_string!(locale, email.label_reference),
            r.reference.to_string(),
        ),
        (
            td_string!(locale, email.label_date),
            format_wib_in(r.at_ms, lang),
        ),
    ];
    if !r.reason.trim().is_empty() {
        facts.push((
            td_string!(locale, email.label_reason),
            r.reason.trim().to_string(),
        ));
    }
    let closing = td_string!(locale, email.refund_closing);
    compose(subject, greeting(lang, customer), lead, &facts, closing)
}

/// A "forgot password?" link for a dashboard user.
pub fn password_reset(lang: Lang, link: &str) -> Rendered {
    let locale = Locale::from(lang);
    compose(
        td_string!(locale, email.reset_subject).to_string(),
        greeting(lang, None),
        td_string!(locale, email.reset_lead).to_string(),
        &[(td_string!(locale, email.label_link), link.to_string())],
        td_string!(locale, email.reset_closing),
    )
}

/// The link that confirms a new merchant's email address.
pub fn verify_email(lang: Lang, link: &str) -> Rendered {
    let locale = Locale::from(lang);
    compose(
        td_string!(locale, email.verify_subject).to_string(),
        greeting(lang, None),
        td_string!(locale, email.verify_lead).to_string(),
        &[(td_string!(locale, email.label_link), link.to_string())],
        td_string!(locale, email.verify_closing),
    )
}

/// A role's name as a sentence uses it ("as viewer").
fn role_name(locale: Locale, role: Role) -> &'static str {
    match role {
        Role::Owner => td_string!(locale, email.role_owner),
        Role::Admin => td_string!(locale, email.role_admin),
        Role::Viewer => td_string!(locale, email.role_viewer),
    }
}

/// An invitation to join a merchant's team, with the link that accepts it.
pub fn invitation(
    lang: Lang,
    merchant: &str,
    inviter: &str,
    role: Role,
    link: &str,
    days: i64,
) -> Rendered {
    let locale = Locale::from(lang);
    let role = role_name(locale, role);
    compose(
        td_string!(locale, email.invitation_subject, inviter, merchant).to_string(),
        greeting(lang, None),
        td_string!(locale, email.invitation_lead, inviter, merchant, role, days).to_string(),
        &[(td_string!(locale, email.label_link), link.to_string())],
        td_string!(locale, email.invitation_closing),
    )
}

/// A message to each of a merchant's users in their own language: both are written, and the
/// statement that queues the copies picks each one's by `users.lang`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bilingual {
    pub id: Rendered,
    pub en: Rendered,
}

impl Bilingual {
    /// The message `write` writes, in each language.
    pub fn write(write: impl Fn(Lang) -> Rendered) -> Bilingual {
        Bilingual {
            id: write(Lang::Id),
            en: write(Lang::En),
        }
    }

    pub fn get(&self, lang: Lang) -> &Rendered {
        match lang {
            Lang::Id => &self.id,
            Lang::En => &self.en,
        }
    }
}

/// The merchant's users' notices.
pub fn payment_received(
    lang: Lang,
    title: &str,
    amount: Rupiah,
    method: &str,
    reference: &str,
) -> Rendered {
    let locale = Locale::from(lang);
    compose(
        td_string!(locale, email.paid_subject, amount, title).to_string(),
        greeting(lang, None),
        td_string!(locale, email.paid_lead, amount, method, title).to_string(),
        &[(
            td_string!(locale, email.label_reference),
            reference.to_string(),
        )],
        td_string!(locale, email.chosen_closing),
    )
}

pub fn link_exhausted(lang: Lang, title: &str, reff_no: &str, payments: i64) -> Rendered {
    let locale = Locale::from(lang);
    compose(
        td_string!(locale, email.exhausted_subject, title).to_string(),
        greeting(lang, None),
        td_string!(locale, email.exhausted_lead, title, payments).to_string(),
        &[(
            td_string!(locale, email.label_link_reference),
            reff_no.to_string(),
        )],
        td_string!(locale, email.chosen_closing),
    )
}

pub fn webhook_failing(lang: Lang, url: &str, oldest_minutes: i64) -> Rendered {
    let locale = Locale::from(lang);
    compose(
        td_string!(locale, email.webhook_subject).to_string(),
        greeting(lang, None),
        td_string!(locale, email.webhook_lead, minutes = oldest_minutes).to_string(),
        &[(td_string!(locale, email.label_endpoint), url.to_string())],
        td_string!(locale, email.webhook_closing),
    )
}

pub fn export_ready(lang: Lang, rows: i64, format: &str, link: &str) -> Rendered {
    let locale = Locale::from(lang);
    compose(
        td_string!(locale, email.export_subject, format).to_string(),
        greeting(lang, None),
        td_string!(locale, email.export_lead, rows).to_string(),
        &[(td_string!(locale, email.label_download), link.to_string())],
        td_string!(locale, email.chosen_closing),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Receipt<'static> {
        Receipt {
            merchant: "Toko <Sinar>",
            title: "Kelas yoga",
            amount: Rupiah(120_000),
            method: "VA BRI",
            reference: "20261125100000000000001",
            paid_at_ms: 1_795_575_600_000,
            customer: Some("Siti"),
            logo_url: None,
            brand_color: None,
        }
    }

    #[test]
    fn a_receipt_speaks_the_payers_language_in_both_parts() {
        let id = receipt(Lang::Id, &facts());
        assert_eq!(id.subject, "Bukti pembayaran Rp 120.000 untuk Toko <Sinar>");
        assert!(id.text.starts_with("Halo Siti,"));
        assert!(id.text.contains("Referensi: 20261125100000000000001"));
        assert!(id.text.contains("WIB"));
        let en = receipt(Lang::En, &facts());
        assert!(en.text.contains("Amount: Rp 120.000"));
        assert!(
            en.html.contains("Toko &lt;Sinar&gt;"),
            "escaped: {}",
            en.html
        );
        assert!(!en.html.contains("<img"), "no image without a logo");
        let branded = receipt(
            Lang::En,
            &Receipt {
                logo_url: Some("https://pay.example.com/logos/k3y.png"),
                brand_color: Some("#1a7f5a"),
                ..facts()
            },
        );
        assert!(branded.html.contains(
            r#"<img src="https://pay.example.com/logos/k3y.png" alt="Toko &lt;Sinar&gt;""#
        ));
        assert!(branded.html.contains("background:#1a7f5a"));
        assert_eq!(branded.text, en.text, "the text part is the same");
    }

    #[test]
    fn a_refund_notice_names_the_amount_and_the_reason_when_given() {
        let notice = RefundNotice {
            merchant: "Toko Sinar",
            title: "Kelas yoga",
            refunded: Rupiah(20_000),
            paid: Rupiah(120_000),
            reference: "20261125100000000000001",
            reason: "Kelas dibatalkan",
            at_ms: 1_795_575_600_000,
        };
        let id = refund_notice(Lang::Id, &notice, None);
        assert_eq!(id.subject, "Toko Sinar mengembalikan Rp 20.000 kepada Anda");
        assert!(id.text.contains("Alasan: Kelas dibatalkan"));
        let no_reason = RefundNotice {
            reason: " ",
            ..notice
        };
        assert!(!refund_notice(Lang::En, &no_reason, None)
            .text
            .contains("Reason"));
    }

    #[test]
    fn a_users_messages_speak_their_language_and_english_reads_as_before() {
        let en = password_reset(Lang::En, "https://pay.example.com/reset-password?token=t");
        assert_eq!(en.subject, "Reset your paylinks password");
        assert_eq!(
            en.text,
            "Hello,\n\nSomeone asked to reset the password of your paylinks account. Open this \
             link within an hour to choose a new one; it works once.\n\n\
             Link: https://pay.example.com/reset-password?token=t\n\n\
             If it was not you, ignore this email: your password stays as it is.\n"
        );
        let id = password_reset(Lang::Id, "https://pay.example.com/reset-password?token=t");
        assert_eq!(id.subject, "Atur ulang kata sandi paylinks Anda");
        assert!(id.text.starts_with("Halo,\n\n"), "{}", id.text);
        assert!(id
            .text
            .contains("Link: https://pay.example.com/reset-password?token=t"));

        let invited = |lang| invitation(lang, "Toko Sinar", "owner@sinar.id", Role::Viewer, "L", 7);
        assert!(invited(Lang::En)
            .text
            .contains("owner@sinar.id invited you to join Toko Sinar on paylinks as viewer."));
        assert!(invited(Lang::Id)
            .text
            .contains("bergabung dengan Toko Sinar di paylinks sebagai peninjau"));
        assert!(invited(Lang::Id).text.contains("berlaku selama 7 hari"));
        assert_eq!(
            verify_email(Lang::Id, "L").subject,
            "Konfirmasi email Anda untuk paylinks"
        );
    }

    #[test]
    fn a_notice_to_members_is_written_in_both_languages() {
        let told = Bilingual::write(|lang| {
            payment_received(lang, "Kelas <yoga>", Rupiah(200_000), "VA BRI", "R1")
        });
        assert_eq!(
            told.en.subject,
            "Payment received: Rp 200.000 for Kelas <yoga>"
        );
        assert_eq!(
            told.get(Lang::Id).subject,
            "Pembayaran diterima: Rp 200.000 untuk Kelas <yoga>"
        );
        assert!(told.id.text.contains("Referensi: R1"));
        assert!(told.id.html.contains("Kelas &lt;yoga&gt;"), "escaped");
        assert!(told.id.text.contains("halaman Keamanan"));

        for (id, en) in [
            (
                link_exhausted(Lang::Id, "Kelas", "L1", 3),
                link_exhausted(Lang::En, "Kelas", "L1", 3),
            ),
            (
                webhook_failing(Lang::Id, "https://h/k", 61),
                webhook_failing(Lang::En, "https://h/k", 61),
            ),
            (
                export_ready(Lang::Id, 12, "xlsx", "https://x/e"),
                export_ready(Lang::En, 12, "xlsx", "https://x/e"),
            ),
        ] {
            assert_ne!(id.subject, en.subject);
            assert_ne!(id.text, en.text);
            assert!(id.text.starts_with("Halo,") && en.text.starts_with("Hello,"));
        }
        assert_eq!(
            export_ready(Lang::En, 12, "xlsx", "https://x/e").subject,
            "Your xlsx export is ready"
        );
        assert_eq!(
            export_ready(Lang::Id, 12, "xlsx", "https://x/e").subject,
            "Ekspor xlsx Anda sudah siap"
        );
        assert!(webhook_failing(Lang::Id, "https://h/k", 61)
            .text
            .contains("selama 61 menit"));
        assert!(link_exhausted(Lang::En, "Kelas", "L1", 3)
            .text
            .contains("\u{201c}Kelas\u{201d} took its last payment (3 in all)"));
    }
}
