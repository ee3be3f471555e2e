//! Payer instructions as data, in our own words. Menu names are quoted as the bank shows them
//! on screen (always Indonesian), so the English text keeps them too. Banks rename menus often,
//! which is why these are plain data and easy to edit.
//!
//! Steps may contain the placeholders of [`Filling`]; the payer page substitutes them with
//! [`fill`]. The outlets' steps are in [`retail`].

use super::lang::Text;

mod fill;

pub use fill::{fill, Filling};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Atm,
    MobileBanking,
    InternetBanking,
    OtherBank,
}

impl Channel {
    pub fn title(self) -> Text {
        match self {
            Channel::Atm => Text::new("ATM", "ATM"),
            Channel::MobileBanking => Text::new("Mobile banking", "Mobile banking"),
            Channel::InternetBanking => Text::new("Internet banking", "Internet banking"),
            Channel::OtherBank => Text::new("Dari bank lain", "From another bank"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstructionSet {
    pub channel: Channel,
    pub steps: &'static [Text],
}

/// One VA bank of the catalogue.
struct VaBank {
    code: &'static str,
    /// BI clearing code, dialled before the VA on interbank transfers.
    clearing: &'static str,
    note: Text,
    sets: &'static [InstructionSet],
}

/// Builds the steps of one channel: either `"id", "en";` pairs or a shared `&[Text]` constant.
macro_rules! steps {
    ($shared:ident) => {
        $shared
    };
    ($($id:expr, $en:expr;)+) => {
        &[$(Text::new($id, $en)),+]
    };
}

/// Builds a bank's sets as `Channel { steps }` blocks; rustfmt leaves macro bodies alone, which
/// keeps each step on two lines (Indonesian, then English) instead of four.
macro_rules! sets {
    ($($channel:ident { $($steps:tt)+ })+) => {
        &[$(InstructionSet { channel: Channel::$channel, steps: steps!($($steps)+) }),+]
    };
}

// Declared after the macros above, which it uses.
pub mod retail;

/// Shared by every bank that accepts interbank transfers: the payer's own bank's menus vary too
/// much to describe, but the code + VA + exact amount pattern is the same everywhere.
const OTHER_BANK: &[Text] = steps! {
    "Di ATM (ATM Bersama, ALTO atau Prima), mobile banking atau internet banking bank Anda, pilih transfer ke bank lain.",
    "At an ATM (ATM Bersama, ALTO or Prima) or in your bank's mobile or internet banking, choose a transfer to another bank.";
    "Masukkan kode bank {clearing} dan nomor Virtual Account {va} sebagai rekening tujuan.",
    "Enter bank code {clearing} and the Virtual Account number {va} as the destination account.";
    "Masukkan jumlah tepat {amount}; jumlah lain akan ditolak.",
    "Enter exactly {amount}; any other amount is rejected.";
    "Periksa nama penerima, lalu konfirmasi.",
    "Check the recipient's name, then confirm.";
};

const BCA: &[InstructionSet] = sets! {
    Atm {
        "Masukkan kartu ATM BCA dan PIN Anda.",
        "Insert your BCA ATM card and enter your PIN.";
        "Pilih “Transaksi Lainnya” → “Transfer” → “ke Rek BCA Virtual Account”.",
        "Choose “Transaksi Lainnya” → “Transfer” → “ke Rek BCA Virtual Account”.";
        "Masukkan nomor Virtual Account {va}, lalu tekan “Benar”.",
        "Enter the Virtual Account number {va} and press “Benar”.";
        "Periksa nama dan jumlah tagihan {amount}, lalu pilih “Ya”.",
        "Check the name and the amount {amount}, then choose “Ya”.";
        "Simpan struk sebagai bukti pembayaran.",
        "Keep the receipt as proof of payment.";
    }
    MobileBanking {
        "Buka aplikasi BCA mobile (m-BCA) atau myBCA dan masuk.",
        "Open the BCA mobile (m-BCA) or myBCA app and log in.";
        "Pilih “m-Transfer” → “BCA Virtual Account” (di myBCA: “Transfer” → “Virtual Account”).",
        "Choose “m-Transfer” → “BCA Virtual Account” (in myBCA: “Transfer” → “Virtual Account”).";
        "Masukkan nomor Virtual Account {va}.",
        "Enter the Virtual Account number {va}.";
        "Periksa nama dan jumlah tagihan {amount}, lalu konfirmasi.",
        "Check the name and the amount {amount}, then confirm.";
        "Masukkan PIN m-BCA Anda.",
        "Enter your m-BCA PIN.";
    }
    InternetBanking {
        "Masuk ke KlikBCA Individu.",
        "Log in to KlikBCA Individu.";
        "Pilih “Transfer Dana” → “Transfer ke BCA Virtual Account”.",
        "Choose “Transfer Dana” → “Transfer ke BCA Virtual Account”.";
        "Masukkan nomor Virtual Account {va}.",
        "Enter the Virtual Account number {va}.";
        "Periksa nama dan jumlah tagihan {amount}, lalu konfirmasi dengan kode dari token KeyBCA.",
        "Check the name and the amount {amount}, then confirm with the code from your KeyBCA token.";
    }
};

const BRI: &[InstructionSet] = sets! {
    Atm {
        "Masukkan kartu ATM BRI dan PIN Anda.",
        "Insert your BRI ATM card and enter your PIN.";
        "Pilih “Transaksi Lain” → “Pembayaran” → “Lainnya” → “BRIVA”.",
        "Choose “Transaksi Lain” → “Pembayaran” → “Lainnya” → “BRIVA”.";
        "Masukkan nomor BRIVA {va}.",
        "Enter the BRIVA number {va}.";
        "Periksa nama dan jumlah tagihan {amount}, lalu pilih “Ya”.",
        "Check the name and the amount {amount}, then choose “Ya”.";
        "Simpan struk sebagai bukti pembayaran.",
        "Keep the receipt as proof of payment.";
    }
    MobileBanking {
        "Buka aplikasi BRImo dan masuk.",
        "Open the BRImo app and log in.";
        "Buka menu “BRIVA” (di bagian “Pembayaran”).",
        "Open the “BRIVA” menu (under “Pembayaran”).";
        "Masukkan nomor BRIVA {va}, lalu periksa nama dan jumlah tagihan {amount}.",
        "Enter the BRIVA number {va}, then check the name and the amount {amount}.";
        "Konfirmasi dengan PIN BRImo Anda.",
        "Confirm with your BRImo PIN.";
    }
    InternetBanking {
        "Masuk ke Internet Banking BRI (ib.bri.co.id).",
        "Log in to BRI Internet Banking (ib.bri.co.id).";
        "Pilih “Pembayaran” → “BRIVA”.",
        "Choose “Pembayaran” → “BRIVA”.";
        "Masukkan nomor BRIVA {va}, lalu periksa jumlah tagihan {amount}.",
        "Enter the BRIVA number {va}, then check the amount {amount}.";
        "Konfirmasi dengan password dan mToken.",
        "Confirm with your password and mToken.";
    }
    OtherBank { OTHER_BANK }
};

const BNI: &[InstructionSet] = sets! {
    Atm {
        "Masukkan kartu ATM BNI dan PIN Anda.",
        "Insert your BNI ATM card and enter your PIN.";
        "Pilih “Menu Lainnya” → “Transfer”.",
        "Choose “Menu Lainnya” → “Transfer”.";
        "Pilih jenis rekening sumber, lalu “Virtual Account Billing”.",
        "Choose the type of the source account, then “Virtual Account Billing”.";
        "Masukkan nomor Virtual Account {va}.",
        "Enter the Virtual Account number {va}.";
        "Periksa tagihan {amount} yang tampil, lalu konfirmasi.",
        "Check that the bill shows {amount}, then confirm.";
    }
    MobileBanking {
        "Buka aplikasi wondr by BNI atau BNI Mobile Banking dan masuk.",
        "Open the wondr by BNI or BNI Mobile Banking app and log in.";
        "Pilih “Transfer” → “Virtual Account Billing”, lalu pilih rekening debit.",
        "Choose “Transfer” → “Virtual Account Billing”, then pick the account to debit.";
        "Masukkan nomor Virtual Account {va}.",
        "Enter the Virtual Account number {va}.";
        "Periksa jumlah tagihan {amount}.",
        "Check the amount {amount}.";
        "Masukkan password transaksi atau PIN Anda.",
        "Enter your transaction password or PIN.";
    }
    InternetBanking {
        "Masuk ke BNI Internet Banking (ibank.bni.co.id).",
        "Log in to BNI Internet Banking (ibank.bni.co.id).";
        "Pilih “Transfer” → “Virtual Account Billing”.",
        "Choose “Transfer” → “Virtual Account Billing”.";
        "Masukkan nomor Virtual Account {va} dan pilih rekening sumber.",
        "Enter the Virtual Account number {va} and choose the source account.";
        "Periksa jumlah tagihan {amount}, lalu otorisasi dengan kode token.",
        "Check the amount {amount}, then authorise with the token code.";
    }
    OtherBank { OTHER_BANK }
};

const MAYBANK: &[InstructionSet] = sets! {
    Atm {
        "Masukkan kartu ATM Maybank dan PIN Anda.",
        "Insert your Maybank ATM card and enter your PIN.";
        "Pilih “Pembayaran/Top Up Pulsa” → “Virtual Account” (atau “Transfer” → “Virtual Account”).",
        "Choose “Pembayaran/Top Up Pulsa” → “Virtual Account” (or “Transfer” → “Virtual Account”).";
        "Masukkan nomor Virtual Account {va}; jika diminta, masukkan jumlah {amount}, lalu pilih “Benar”.",
        "Enter the Virtual Account number {va}; if asked, enter the amount {amount}, then choose “Benar”.";
        "Periksa detail tagihan, lalu pilih “Ya”.",
        "Check the bill details, then choose “Ya”.";
    }
    MobileBanking {
        "Buka aplikasi M2U ID dan masuk.",
        "Open the M2U ID app and log in.";
        "Buka menu transfer atau pembayaran, lalu pilih “Maybank Virtual Account”.",
        "Open the transfer or payment menu, then choose “Maybank Virtual Account”.";
        "Masukkan nomor Virtual Account {va}, lalu periksa jumlah tagihan {amount}.",
        "Enter the Virtual Account number {va}, then check the amount {amount}.";
        "Otorisasi dengan PIN atau TAC.",
        "Authorise with your PIN or TAC.";
    }
    InternetBanking {
        "Masuk ke Maybank2u ID.",
        "Log in to Maybank2u ID.";
        "Pilih “Rekening dan Transaksi” → “Maybank Virtual Account”.",
        "Choose “Rekening dan Transaksi” → “Maybank Virtual Account”.";
        "Masukkan nomor Virtual Account {va} dan jumlah {amount}.",
        "Enter the Virtual Account number {va} and the amount {amount}.";
        "Masukkan TAC yang dikirim lewat SMS, lalu pilih “Setuju”.",
        "Enter the TAC sent by SMS, then choose “Setuju”.";
    }
    OtherBank { OTHER_BANK }
};

const DANAMON: &[InstructionSet] = sets! {
    Atm {
        "Masukkan kartu ATM Danamon dan PIN Anda.",
        "Insert your Danamon ATM card and enter your PIN.";
        "Pilih “Pembayaran” → “Lainnya” → “Virtual Account”.",
        "Choose “Pembayaran” → “Lainnya” → “Virtual Account”.";
        "Masukkan nomor Virtual Account {va}.",
        "Enter the Virtual Account number {va}.";
        "Periksa tagihan {amount}, lalu konfirmasi.",
        "Check that the bill shows {amount}, then confirm.";
    }
    MobileBanking {
        "Buka aplikasi D-Bank PRO dan masuk.",
        "Open the D-Bank PRO app and log in.";
        "Pilih “Pembayaran” → “Virtual Account”.",
        "Choose “Pembayaran” → “Virtual Account”.";
        "Masukkan nomor Virtual Account {va}, lalu periksa nama dan jumlah tagihan {amount}.",
        "Enter the Virtual Account number {va}, then check the name and the amount {amount}.";
        "Konfirmasi dengan PIN atau OTP.",
        "Confirm with your PIN or OTP.";
    }
    InternetBanking {
        "Masuk ke D-Bank PRO web (dbank.co.id).",
        "Log in to D-Bank PRO web (dbank.co.id).";
        "Buka menu pembayaran → “Virtual Account”.",
        "Open the payment menu → “Virtual Account”.";
        "Masukkan nomor Virtual Account {va}, lalu periksa jumlah tagihan {amount}.",
        "Enter the Virtual Account number {va}, then check the amount {amount}.";
        "Otorisasi dengan token software atau OTP.",
        "Authorise with the software token or OTP.";
    }
    OtherBank { OTHER_BANK }
};

const PERMATA: &[InstructionSet] = sets! {
    Atm {
        "Masukkan kartu ATM Permata dan PIN Anda.",
        "Insert your Permata ATM card and enter your PIN.";
        "Pilih “Transaksi Lainnya” → “Pembayaran” → “Pembayaran Lainnya” → “Virtual Account”.",
        "Choose “Transaksi Lainnya” → “Pembayaran” → “Pembayaran Lainnya” → “Virtual Account”.";
        "Masukkan nomor Virtual Account {va}, lalu pilih rekening sumber dana.",
        "Enter the Virtual Account number {va}, then choose the account to pay from.";
        "Periksa tagihan {amount}, lalu konfirmasi.",
        "Check that the bill shows {amount}, then confirm.";
    }
    MobileBanking {
        "Buka aplikasi PermataMobile X dan masuk.",
        "Open the PermataMobile X app and log in.";
        "Pilih “Bayar Tagihan” → “Virtual Account”.",
        "Choose “Bayar Tagihan” → “Virtual Account”.";
        "Masukkan nomor Virtual Account {va}, lalu periksa nama dan jumlah tagihan {amount}.",
        "Enter the Virtual Account number {va}, then check the name and the amount {amount}.";
        "Konfirmasi dengan PIN atau token.",
        "Confirm with your PIN or token.";
    }
    InternetBanking {
        "Masuk ke PermataNet.",
        "Log in to PermataNet.";
        "Pilih “Pembayaran Tagihan” → “Virtual Account”.",
        "Choose “Pembayaran Tagihan” → “Virtual Account”.";
        "Masukkan nomor Virtual Account {va}, lalu periksa jumlah tagihan {amount}.",
        "Enter the Virtual Account number {va}, then check the amount {amount}.";
        "Otorisasi dengan token, lalu simpan bukti pembayaran.",
        "Authorise with your token, then keep the receipt.";
    }
    OtherBank { OTHER_BANK }
};

const CIMB: &[InstructionSet] = sets! {
    Atm {
        "Masukkan kartu ATM CIMB Niaga dan PIN Anda.",
        "Insert your CIMB Niaga ATM card and enter your PIN.";
        "Pilih menu pembayaran, lalu “Virtual Account”.",
        "Choose the payment menu, then “Virtual Account”.";
        "Masukkan nomor Virtual Account {va}.",
        "Enter the Virtual Account number {va}.";
        "Periksa tagihan {amount}, lalu konfirmasi.",
        "Check that the bill shows {amount}, then confirm.";
    }
    MobileBanking {
        "Buka aplikasi OCTO Mobile dan masuk.",
        "Open the OCTO Mobile app and log in.";
        "Buka menu transfer atau pembayaran, lalu pilih “Virtual Account”.",
        "Open the transfer or payment menu, then choose “Virtual Account”.";
        "Masukkan nomor Virtual Account {va}, lalu periksa nama dan jumlah tagihan {amount}.",
        "Enter the Virtual Account number {va}, then check the name and the amount {amount}.";
        "Konfirmasi dengan PIN Anda.",
        "Confirm with your PIN.";
    }
    InternetBanking {
        "Masuk ke OCTO Clicks.",
        "Log in to OCTO Clicks.";
        "Buka menu pembayaran, lalu pilih “Virtual Account”.",
        "Open the payment menu, then choose “Virtual Account”.";
        "Masukkan nomor Virtual Account {va}, lalu periksa jumlah tagihan {amount}.",
        "Enter the Virtual Account number {va}, then check the amount {amount}.";
        "Konfirmasi dengan mPIN atau token.",
        "Confirm with your mPIN or token.";
    }
    OtherBank { OTHER_BANK }
};

/// A bank that takes interbank transfers; its note names the code the payer's bank asks for.
macro_rules! interbank {
    ($code:literal, $clearing:literal, $sets:expr) => {
        VaBank {
            code: $code,
            clearing: $clearing,
            note: Text::new(
                concat!(
                    "Bisa juga dibayar dari bank lain dengan kode bank ",
                    $clearing,
                    "."
                ),
                concat!(
                    "Can also be paid from another bank with bank code ",
                    $clearing,
                    "."
                ),
            ),
            sets: $sets,
        }
    };
}

const VA_BANKS: &[VaBank] = &[
    interbank!("VA_BRI", "002", BRI),
    interbank!("VA_BNI", "009", BNI),
    VaBank {
        code: "VA_BCA",
        clearing: "014",
        note: Text::new(
            "Hanya bisa dibayar dari rekening BCA.",
            "Can only be paid from a BCA account.",
        ),
        sets: BCA,
    },
    interbank!("VA_MAYBANK", "016", MAYBANK),
    interbank!("VA_DANAMON", "011", DANAMON),
    interbank!("VA_PERMATA", "013", PERMATA),
    interbank!("VA_CIMB", "022", CIMB),
];

fn va_bank(method_code: &str) -> Option<&'static VaBank> {
    VA_BANKS.iter().find(|bank| bank.code == method_code)
}

/// Steps per channel for a VA bank, by catalogue method code ("VA_BRI" … "VA_CIMB"); None for other codes. BCA has no OtherBank set because BCA VAs
/// cannot be paid from other banks; its note says so instead.
pub fn va_instructions(method_code: &str) -> Option<&'static [InstructionSet]> {
    va_bank(method_code).map(|bank| bank.sets)
}

/// The note shown above the steps: where the VA can be paid from.
pub fn va_note(method_code: &str) -> Option<Text> {
    va_bank(method_code).map(|bank| bank.note)
}

/// The BI clearing code to put in `{clearing}` for a VA bank, e.g. "002" for "VA_BRI".
pub fn clearing_code(method_code: &str) -> Option<&'static str> {
    va_bank(method_code).map(|bank| bank.clearing)
}

const QRIS: &[Text] = steps! {
    "Buka aplikasi mobile banking atau e-wallet apa pun yang mendukung QRIS.",
    "Open any mobile banking or e-wallet app that supports QRIS.";
    "Pilih menu bayar atau scan QR, lalu pindai kode QR di halaman ini.",
    "Choose the pay or scan-QR menu, then scan the QR code on this page.";
    // Payers often open the link on the phone that holds the app, so they cannot scan it.
    "Jika halaman ini terbuka di HP yang sama, simpan gambar QR lalu unggah dari galeri di aplikasi.",
    "If this page is open on the same phone, save the QR image and upload it from the gallery in the app.";
    "Periksa nama merchant dan jumlah {amount}; jumlah sudah terisi, tidak perlu diketik.",
    "Check the merchant name and the amount {amount}; it is filled in for you.";
    "Konfirmasi dan masukkan PIN aplikasi Anda.",
    "Confirm and enter your app PIN.";
};

/// Steps to pay a dynamic QRIS with any banking or e-wallet app.
pub fn qris_steps() -> &'static [Text] {
    QRIS
}

/// Wallets that hand the payer a checkout link (deeplink on a phone, QR on a computer).
macro_rules! checkout_wallet {
    ($wallet:literal) => {
        steps! {
            concat!("Di HP: ketuk tombol bayar untuk membuka aplikasi ", $wallet,
                ". Di komputer: pindai kode QR yang tampil dengan aplikasi ", $wallet, "."),
            concat!("On a phone: tap the pay button to open the ", $wallet,
                " app. On a computer: scan the QR code shown with the ", $wallet, " app.");
            "Periksa nama merchant dan jumlah {amount}.",
            "Check the merchant name and the amount {amount}.";
            concat!("Konfirmasi pembayaran dan masukkan PIN ", $wallet, " Anda."),
            concat!("Confirm the payment and enter your ", $wallet, " PIN.");
            "Kembali ke halaman ini untuk melihat status pembayaran.",
            "Come back to this page to see the payment status.";
        }
    };
}

const GOPAY: &[Text] = checkout_wallet!("GoPay");
const SHOPEEPAY: &[Text] = checkout_wallet!("ShopeePay");
const DANA: &[Text] = checkout_wallet!("DANA");
const LINKAJA: &[Text] = checkout_wallet!("LinkAja");

/// OVO has no checkout link: it pushes a request to the app of the number the payer gave, and
/// the request lapses after about a minute.
const OVO: &[Text] = steps! {
    "Pastikan nomor HP yang Anda isi terdaftar di OVO dan aplikasi OVO aktif di HP Anda.",
    "Make sure the phone number you entered is registered with OVO and the OVO app is on your phone.";
    "Buka notifikasi pembayaran dari OVO di HP tersebut.",
    "Open the payment notification from OVO on that phone.";
    "Periksa nama merchant dan jumlah {amount}, lalu pilih bayar dan masukkan PIN OVO.",
    "Check the merchant name and the amount {amount}, then choose pay and enter your OVO PIN.";
    "Selesaikan dalam waktu singkat (sekitar 1 menit); jika waktunya habis, mulai pembayaran lagi.",
    "Finish quickly (within about a minute); if the time runs out, start the payment again.";
};

/// Steps for an e-wallet by catalogue method code; None for other codes.
pub fn ewallet_steps(method_code: &str) -> Option<&'static [Text]> {
    match method_code {
        "GOPAY" => Some(GOPAY),
        "SHOPEEPAY" => Some(SHOPEEPAY),
        "DANA" => Some(DANA),
        "LINKAJA" => Some(LINKAJA),
        "OVO" => Some(OVO),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::lang::Lang;
    use super::*;

    const VA_CODES: [&str; 7] = [
        "VA_BRI",
        "VA_BNI",
        "VA_BCA",
        "VA_MAYBANK",
        "VA_DANAMON",
        "VA_PERMATA",
        "VA_CIMB",
    ];
    const EWALLET_CODES: [&str; 5] = ["GOPAY", "SHOPEEPAY", "DANA", "LINKAJA", "OVO"];

    fn channels(code: &str) -> Vec<Channel> {
        va_instructions(code)
            .unwrap()
            .iter()
            .map(|s| s.channel)
            .collect()
    }

    /// Every text the module holds, to check them all alike.
    fn all_texts() -> Vec<Text> {
        let mut texts: Vec<Text> = qris_steps().to_vec();
        for code in VA_CODES {
            texts.push(va_note(code).unwrap());
            for set in va_instructions(code).unwrap() {
                texts.push(set.channel.title());
                texts.extend_from_slice(set.steps);
            }
        }
        for code in EWALLET_CODES {
            texts.extend_from_slice(ewallet_steps(code).unwrap());
        }
        texts
    }

    fn placeholders(s: &str) -> Vec<&str> {
        s.match_indices('{')
            .map(|(i, _)| &s[i..=i + s[i..].find('}').expect("unclosed placeholder")])
            .collect()
    }

    #[test]
    fn every_va_bank_has_the_three_own_bank_channels() {
        for code in VA_CODES {
            let sets = va_instructions(code).unwrap();
            for channel in [
                Channel::Atm,
                Channel::MobileBanking,
                Channel::InternetBanking,
            ] {
                let set = sets.iter().find(|s| s.channel == channel);
                let set = set.unwrap_or_else(|| panic!("{code} lacks {channel:?}"));
                assert!(set.steps.len() >= 3, "{code} {channel:?}");
                for step in set.steps {
                    assert!(!step.id.trim().is_empty() && !step.en.trim().is_empty());
                }
                // The payer must be told which number to key in.
                assert!(set
                    .steps
                    .iter()
                    .any(|s| s.id.contains("{va}") && s.en.contains("{va}")));
            }
        }
    }

    #[test]
    fn bca_cannot_be_paid_from_other_banks() {
        assert!(!channels("VA_BCA").contains(&Channel::OtherBank));
        assert_eq!(
            va_note("VA_BCA").unwrap().id,
            "Hanya bisa dibayar dari rekening BCA."
        );
        assert_eq!(
            va_note("VA_BCA").unwrap().en,
            "Can only be paid from a BCA account."
        );
    }

    #[test]
    fn interbank_banks_have_an_other_bank_set_and_name_their_code() {
        for code in VA_CODES.into_iter().filter(|code| *code != "VA_BCA") {
            assert_eq!(
                channels(code),
                [
                    Channel::Atm,
                    Channel::MobileBanking,
                    Channel::InternetBanking,
                    Channel::OtherBank
                ]
            );
            let clearing = clearing_code(code).unwrap();
            let note = va_note(code).unwrap();
            assert!(note.id.contains(&format!("kode bank {clearing}")), "{code}");
            assert!(note.en.contains(&format!("bank code {clearing}")), "{code}");
            let other = va_instructions(code).unwrap()[3].steps;
            assert!(other.iter().any(|s| s.id.contains("{clearing}")));
        }
        assert_eq!(clearing_code("VA_BRI"), Some("002"));
        assert_eq!(clearing_code("VA_BNI"), Some("009"));
        assert_eq!(clearing_code("VA_DANAMON"), Some("011"));
        assert_eq!(clearing_code("VA_MAYBANK"), Some("016"));
        assert_eq!(clearing_code("VA_PERMATA"), Some("013"));
        assert_eq!(clearing_code("VA_CIMB"), Some("022"));
    }

    #[test]
    fn both_languages_use_the_same_known_placeholders() {
        for text in all_texts() {
            assert!(!text.id.trim().is_empty() && !text.en.trim().is_empty());
            let mut id = placeholders(text.id);
            let mut en = placeholders(text.en);
            id.sort_unstable();
            en.sort_unstable();
            assert_eq!(id, en, "{text:?}");
            for p in id {
                assert!(["{va}", "{amount}", "{clearing}"].contains(&p), "{p}");
            }
        }
    }

    #[test]
    fn qris_and_ewallets_show_the_amount() {
        assert!(qris_steps().iter().any(|s| s.id.contains("{amount}")));
        for code in EWALLET_CODES {
            let steps = ewallet_steps(code).unwrap();
            assert!(steps.len() >= 3, "{code}");
            assert!(steps.iter().any(|s| s.en.contains("{amount}")), "{code}");
        }
        assert!(ewallet_steps("OVO").unwrap()[1].en.contains("notification"));
        assert_eq!(
            ewallet_steps("DANA").unwrap()[2].get(Lang::Id),
            "Konfirmasi pembayaran dan masukkan PIN DANA Anda."
        );
    }

    #[test]
    fn unknown_codes_give_none() {
        for code in ["", "QRIS", "VA_MANDIRI", "va_bri", "GOPAY"] {
            assert!(va_instructions(code).is_none(), "{code}");
            assert!(va_note(code).is_none(), "{code}");
            assert!(clearing_code(code).is_none(), "{code}");
        }
        for code in ["", "QRIS", "VA_BRI", "gopay", "SAKUKU"] {
            assert!(ewallet_steps(code).is_none(), "{code}");
        }
    }

    #[test]
    fn channel_titles() {
        assert_eq!(Channel::Atm.title().get(Lang::En), "ATM");
        assert_eq!(Channel::OtherBank.title().get(Lang::Id), "Dari bank lain");
        assert_eq!(
            Channel::OtherBank.title().get(Lang::En),
            "From another bank"
        );
    }

    #[test]
    fn every_filled_step_has_no_placeholder_left() {
        let filling = Filling {
            value: "123",
            amount: "Rp 1",
            clearing: "002",
            merchant: "Toko",
        };
        for text in all_texts() {
            for s in [text.id, text.en] {
                assert!(!fill(s, &filling).contains('{'), "{s}");
            }
        }
    }
}
