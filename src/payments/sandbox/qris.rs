//! Dynamic QRIS (EMVCo MPM, Bank Indonesia profile) payloads for the sandbox acquirer:
//! building, TLV parsing and CRC checking. Pure: no I/O, no clock, no randomness.

use crc::{Crc, CRC_16_IBM_3740};

/// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR), as QRIS requires.
const QRIS_CRC: Crc<u16> = Crc::<u16>::new(&CRC_16_IBM_3740);

/// EMVCo caps tag 54 at 13 characters, so whole rupiah from 14 digits up cannot be encoded.
const FOURTEEN_DIGITS: i64 = 10_000_000_000_000;
const CRITERIA: [&str; 5] = ["UMI", "UKE", "UME", "UBE", "URE"];

/// The sandbox acquirer's identity printed into every QRIS payload (fictitious, never real).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrisMerchant {
    pub acquirer_guid: String, // e.g. "ID.CO.SANDBOXPAY.WWW" (sub-tag 00 of template 26)
    pub merchant_pan: String,  // e.g. "936009993000123457" (sub-tag 01)
    pub merchant_id: String,   // e.g. "SBX0000001" (sub-tag 02)
    pub criteria: String,      // "UMI" | "UKE" | "UME" | "UBE" | "URE" (sub-tag 03 of 26 and 51)
    pub nmid: String,          // "ID" + 13 digits (template 51 sub-tag 02)
    pub mcc: String,           // 4 digits, tag 52
    pub name: String,          // tag 59, folded to ASCII and truncated to 25 chars
    pub city: String,          // tag 60, folded to ASCII and truncated to 15 chars
    pub postal_code: Option<String>, // tag 61, omitted when None or empty
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrisError {
    #[error("amount must be positive, got {0}")]
    NonPositiveAmount(i64),
    #[error("amount {0} has more than 13 digits")]
    AmountTooLong(i64),
    #[error("{0} is empty after removing unsupported characters")]
    EmptyField(&'static str),
    #[error("{0} is invalid: {1}")]
    InvalidField(&'static str, &'static str),
    #[error("payload contains non-ASCII characters")]
    NonAscii,
    #[error("data object at offset {0} is truncated")]
    Truncated(usize),
    #[error("data object at offset {0} has a non-digit id or length")]
    BadHeader(usize),
    #[error("payload must start with payload format indicator 000201")]
    BadFormatIndicator,
    #[error("tag {0} appears more than once")]
    DuplicateTag(String),
    #[error("CRC (tag 63, 4 characters) must be the last data object")]
    MissingCrc,
    #[error("CRC mismatch: payload has {found}, computed {expected}")]
    CrcMismatch { expected: String, found: String },
}

/// CRC-16/CCITT-FALSE over `data`.
pub fn crc16(data: &[u8]) -> u16 {
    QRIS_CRC.checksum(data)
}

/// One TLV data object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tlv {
    pub tag: String,
    pub value: String,
}

/// Parses a TLV string (top level or a template's value) into its objects, in order.
pub fn parse_tlv(payload: &str) -> Result<Vec<Tlv>, QrisError> {
    // Lengths count characters; ASCII-only makes characters and bytes the same and slicing safe.
    if !payload.is_ascii() {
        return Err(QrisError::NonAscii);
    }
    let (bytes, mut out, mut pos) = (payload.as_bytes(), Vec::new(), 0);
    while pos < bytes.len() {
        let header = bytes.get(pos..pos + 4).ok_or(QrisError::Truncated(pos))?;
        if !header.iter().all(u8::is_ascii_digit) {
            return Err(QrisError::BadHeader(pos));
        }
        let len = usize::from(header[2] - b'0') * 10 + usize::from(header[3] - b'0');
        let end = pos + 4 + len;
        if end > bytes.len() {
            return Err(QrisError::Truncated(pos));
        }
        let (tag, value) = (payload[pos..pos + 2].into(), payload[pos + 4..end].into());
        out.push(Tlv { tag, value });
        pos = end;
    }
    Ok(out)
}

/// A payload parsed and checked: CRC tag 63 last and matching, 00 first = "01".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedQris {
    pub tags: Vec<Tlv>,
}

impl ParsedQris {
    pub fn get(&self, tag: &str) -> Option<&str> {
        let found = self.tags.iter().find(|t| t.tag == tag)?;
        Some(&found.value)
    }

    /// Sub-tag inside a template tag, e.g. ("62", "01") for the bill number.
    pub fn sub(&self, tag: &str, sub: &str) -> Option<String> {
        let inner = parse_tlv(self.get(tag)?).ok()?;
        inner.into_iter().find(|t| t.tag == sub).map(|t| t.value)
    }

    /// Tag 54 in whole rupiah; `None` if absent, malformed, zero or with a non-zero fraction.
    pub fn amount(&self) -> Option<i64> {
        let raw = self.get("54")?;
        let (whole, frac) = raw.split_once('.').unwrap_or((raw, ""));
        let ok = !whole.is_empty() && all_digits(whole) && frac.bytes().all(|b| b == b'0');
        whole.parse::<i64>().ok().filter(|&a| ok && a > 0)
    }

    pub fn is_dynamic(&self) -> bool {
        self.get("01") == Some("12")
    }
}

pub fn parse_payload(payload: &str) -> Result<ParsedQris, QrisError> {
    let tags = parse_tlv(payload)?;
    if tags.first().map(|t| (t.tag.as_str(), t.value.as_str())) != Some(("00", "01")) {
        return Err(QrisError::BadFormatIndicator);
    }
    // A second 54 or 62 would let our parser and a payer's app read different amounts or refs.
    let mut seen = std::collections::HashSet::new();
    if let Some(dup) = tags.iter().find(|t| !seen.insert(&t.tag)) {
        return Err(QrisError::DuplicateTag(dup.tag.clone()));
    }
    let crc = tags.last().filter(|t| t.tag == "63" && t.value.len() == 4);
    let crc = crc.ok_or(QrisError::MissingCrc)?;
    // The CRC covers everything up to and including "6304", i.e. all but its 4-char value.
    let expected = crc16(&payload.as_bytes()[..payload.len() - 4]);
    if u16::from_str_radix(&crc.value, 16).ok() != Some(expected) {
        return Err(QrisError::CrcMismatch {
            expected: format!("{expected:04X}"),
            found: crc.value.clone(),
        });
    }
    Ok(ParsedQris { tags })
}

/// Builds a dynamic (tag 01 = "12") MPM payload with the reference as bill number (62/01) and
/// reference label (62/05), so any issuer app reports it back whichever field it echoes.
/// Errors if `amount` is not positive or exceeds 13 digits, or a merchant field is malformed.
pub fn dynamic_payload(
    merchant: &QrisMerchant,
    amount: i64,
    reference: &str,
) -> Result<String, QrisError> {
    let reference = clean("reference", reference, 25)?;
    build(merchant, amount, &[("01", &reference), ("05", &reference)])
}

/// Takes tag 62's objects so the tests can reproduce §1.6, whose 62 has a terminal label.
fn build(m: &QrisMerchant, amount: i64, extra: &[(&str, &str)]) -> Result<String, QrisError> {
    match amount {
        ..=0 => return Err(QrisError::NonPositiveAmount(amount)),
        FOURTEEN_DIGITS.. => return Err(QrisError::AmountTooLong(amount)),
        _ => {}
    }
    let criteria = m.criteria.trim().to_ascii_uppercase();
    let (nmid, mcc, pan) = (m.nmid.trim(), m.mcc.trim(), m.merchant_pan.trim());
    let criteria_ok = CRITERIA.contains(&criteria.as_str());
    let nmid_ok = nmid.len() == 15 && nmid.starts_with("ID") && all_digits(&nmid[2..]);
    let pan_ok = (1..=19).contains(&pan.len()) && all_digits(pan);
    ensure(criteria_ok, "criteria", "not UMI/UKE/UME/UBE/URE")?;
    ensure(nmid_ok, "nmid", "must be ID followed by 13 digits")?;
    ensure(mcc.len() == 4 && all_digits(mcc), "mcc", "must be 4 digits")?;
    ensure(pan_ok, "merchant_pan", "must be 1-19 digits")?;
    // EMVCo field limits (GUID 32, MID 15) keep template 26 at most 85 characters.
    let guid = clean("acquirer_guid", &m.acquirer_guid, 32)?;
    let mid = clean("merchant_id", &m.merchant_id, 15)?;
    let domestic = template(&[("00", &guid), ("01", pan), ("02", &mid), ("03", &criteria)]);
    let national = template(&[("00", "ID.CO.QRIS.WWW"), ("02", nmid), ("03", &criteria)]);
    let postal = ascii_fold(m.postal_code.as_deref().unwrap_or_default(), 10);
    let mut out = String::with_capacity(256);
    let mut put = |tag: &str, value: &str| out.push_str(&tlv(tag, value));
    put("00", "01");
    put("01", "12");
    put("26", &domestic);
    put("51", &national);
    put("52", mcc);
    put("53", "360");
    put("54", &amount.to_string());
    put("58", "ID");
    put("59", &clean("name", &m.name, 25)?);
    put("60", &clean("city", &m.city, 15)?);
    if !postal.is_empty() {
        put("61", &postal);
    }
    put("62", &template(extra));
    out.push_str("6304");
    let crc = crc16(out.as_bytes());
    out.push_str(&format!("{crc:04X}"));
    Ok(out)
}

fn ensure(ok: bool, field: &'static str, why: &'static str) -> Result<(), QrisError> {
    ok.then_some(()).ok_or(QrisError::InvalidField(field, why))
}

fn template(objects: &[(&str, &str)]) -> String {
    objects.iter().map(|(tag, value)| tlv(tag, value)).collect()
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// Callers keep every value at most 99 characters, so the length is always two digits.
fn tlv(tag: &str, value: &str) -> String {
    debug_assert!(value.len() <= 99, "tag {tag} value too long");
    format!("{tag}{:02}{value}", value.len())
}

fn clean(field: &'static str, raw: &str, max: usize) -> Result<String, QrisError> {
    let value = Some(ascii_fold(raw, max)).filter(|v| !v.is_empty());
    value.ok_or(QrisError::EmptyField(field))
}

/// Printable ASCII only (apps render the rest unpredictably; lengths count bytes), cut to `max`.
fn ascii_fold(raw: &str, max: usize) -> String {
    let folded: String = raw.trim().chars().filter_map(fold_char).take(max).collect();
    folded.trim().to_string()
}

/// ASCII for U+00C0..=U+00FF (Latin-1 letters, common in names); '_' means drop.
const LATIN1_FOLD: &[u8; 64] = b"AAAAAAACEEEEIIIIDNOOOOOxOUUUUY_saaaaaaaceeeeiiiidnooooo_ouuuuy_y";

fn fold_char(c: char) -> Option<char> {
    match c {
        ' ' | '!'..='~' => Some(c),
        '\u{C0}'..='\u{FF}' => {
            let folded = LATIN1_FOLD[c as usize - 0xC0];
            (folded != b'_').then_some(char::from(folded))
        }
        '\u{2018}' | '\u{2019}' => Some('\''), // phone keyboards type curly apostrophes
        '\u{201C}' | '\u{201D}' => Some('"'),
        '\u{2013}' | '\u{2014}' => Some('-'),
        _ if c.is_whitespace() => Some(' '),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference notes §1.6: dynamic (Rp125.000, bill number INV20250001) and static payloads.
    const EXAMPLE_DYNAMIC: &str = "00020101021226670020ID.CO.SANDBOXPAY.WWW0118936009993000123457\
        0210SBX00000010303UMI51440014ID.CO.QRIS.WWW0215ID10250000000010303UMI5204599953033605406\
        1250005802ID5919TOKO CONTOH SANDBOX6015JAKARTA SELATAN61051219062220111INV202500010703A01\
        630453C7";
    const EXAMPLE_STATIC: &str = "00020101021126670020ID.CO.SANDBOXPAY.WWW0118936009993000123457\
        0210SBX00000010303UMI51440014ID.CO.QRIS.WWW0215ID10250000000010303UMI520459995303360\
        5802ID5919TOKO CONTOH SANDBOX6015JAKARTA SELATAN61051219062070703A0163042C85";

    /// The §1.6 merchant, adjusted by `f`.
    fn merchant(f: fn(&mut QrisMerchant)) -> QrisMerchant {
        let mut m = QrisMerchant {
            acquirer_guid: "ID.CO.SANDBOXPAY.WWW".into(),
            merchant_pan: "936009993000123457".into(),
            merchant_id: "SBX0000001".into(),
            criteria: "UMI".into(),
            nmid: "ID1025000000001".into(),
            mcc: "5999".into(),
            name: "TOKO CONTOH SANDBOX".into(),
            city: "JAKARTA SELATAN".into(),
            postal_code: Some("12190".into()),
        };
        f(&mut m);
        m
    }

    /// Re-serialising every object (and templates 26, 51, 62) must give back the input, which
    /// proves each length field is two digits and matches its value.
    fn assert_lengths_exact(payload: &str) {
        let tags = parse_tlv(payload).unwrap();
        let rebuilt: Vec<_> = tags.iter().map(|t| tlv(&t.tag, &t.value)).collect();
        assert_eq!(rebuilt.concat(), payload);
        let templates = ["26", "51", "62"];
        for t in tags.iter().filter(|t| templates.contains(&&*t.tag)) {
            assert_lengths_exact(&t.value);
        }
    }

    #[test]
    fn crc_check_value_and_published_examples() {
        assert_eq!(crc16(b"123456789"), 0x29B1);
        assert_eq!((EXAMPLE_DYNAMIC.len(), EXAMPLE_STATIC.len()), (247, 222));
        let body = |s: &'static str| &s.as_bytes()[..s.len() - 4];
        assert_eq!(crc16(body(EXAMPLE_DYNAMIC)), 0x53C7);
        assert_eq!(crc16(body(EXAMPLE_STATIC)), 0x2C85);
        let q = parse_payload(EXAMPLE_STATIC).unwrap();
        assert_eq!((q.is_dynamic(), q.amount()), (false, None));
    }

    #[test]
    fn reproduces_worked_example() {
        // §1.6 puts a terminal label (07) where dynamic_payload puts the reference label (05).
        let extra = [("01", "INV20250001"), ("07", "A01")];
        let built = build(&merchant(|_| {}), 125_000, &extra).unwrap();
        assert_eq!(built, EXAMPLE_DYNAMIC);
        let p = dynamic_payload(&merchant(|_| {}), 125_000, "INV20250001").unwrap();
        let head = EXAMPLE_DYNAMIC.split("6222").next().unwrap();
        let tail = "62300111INV202500010511INV202500016304";
        assert_eq!(p, format!("{head}{tail}{}", &p[p.len() - 4..]));
        let q = parse_payload(EXAMPLE_DYNAMIC).unwrap();
        assert_eq!((q.is_dynamic(), q.amount()), (true, Some(125_000)));
        assert_eq!(q.sub("62", "01").as_deref(), Some("INV20250001"));
    }

    #[test]
    fn round_trip_and_corruption() {
        let p = dynamic_payload(&merchant(|_| {}), 1_500_000, "PL-01HXYZ-0007").unwrap();
        let q = parse_payload(&p).unwrap();
        assert_eq!((q.is_dynamic(), q.amount()), (true, Some(1_500_000)));
        assert_eq!(q.sub("62", "01").as_deref(), Some("PL-01HXYZ-0007"));
        assert_eq!(q.sub("62", "05").as_deref(), Some("PL-01HXYZ-0007"));
        assert_eq!(q.sub("51", "02").as_deref(), Some("ID1025000000001"));
        assert_eq!(q.sub("26", "00").as_deref(), Some("ID.CO.SANDBOXPAY.WWW"));
        let order: Vec<&str> = q.tags.iter().map(|t| t.tag.as_str()).collect();
        assert_eq!(order.join(","), "00,01,26,51,52,53,54,58,59,60,61,62,63");
        assert_lengths_exact(&p);
        for (from, to) in [("TOKO", "TOKA"), ("5407150", "5407950")] {
            let err = parse_payload(&p.replacen(from, to, 1)).unwrap_err();
            assert!(matches!(err, QrisError::CrcMismatch { .. }), "{err}");
        }
        assert_eq!(parse_payload(&p[..p.len() - 8]), Err(QrisError::MissingCrc));
    }

    #[test]
    fn long_and_non_ascii_values_are_truncated() {
        let m = merchant(|m| {
            m.name = "Warung Makan Sederhana Bu Siti Jaya Abadi".into();
            m.city = "Kota Administrasi Jakarta".into();
            m.acquirer_guid = "ID.CO.SANDBOXPAY.WWW.WITH.A.VERY.LONG.SUFFIX".into();
        });
        let p = dynamic_payload(&m, 10_000, &"R".repeat(120)).unwrap();
        let q = parse_payload(&p).unwrap();
        assert_eq!(q.get("59"), Some("Warung Makan Sederhana Bu"));
        assert_eq!(q.get("60"), Some("Kota Administra"));
        assert_eq!(q.sub("62", "01").unwrap().len(), 25);
        assert_eq!(q.sub("26", "00").unwrap().len(), 32);
        assert_lengths_exact(&p);
        let m = merchant(|m| m.name = "Café Señor’s 😀\tBakmi".into());
        let q = parse_payload(&dynamic_payload(&m, 10_000, "ref").unwrap()).unwrap();
        assert_eq!(q.get("59"), Some("Cafe Senor's  Bakmi"));
    }

    #[test]
    fn rejects_bad_amounts_and_fields() {
        let err = |m: &QrisMerchant, amount: i64, r: &str| dynamic_payload(m, amount, r).err();
        let m = merchant(|_| {});
        assert_eq!(err(&m, 0, "r"), Some(QrisError::NonPositiveAmount(0)));
        assert_eq!(err(&m, 9_999_999_999_999, "r"), None);
        let max = 10_000_000_000_000;
        assert_eq!(err(&m, max, "r"), Some(QrisError::AmountTooLong(max)));
        assert_eq!(err(&m, 1, "😀"), Some(QrisError::EmptyField("reference")));
        let blank = merchant(|m| m.name = " ".into());
        assert_eq!(err(&blank, 1, "r"), Some(QrisError::EmptyField("name")));
        let field = |f: fn(&mut QrisMerchant)| match err(&merchant(f), 1, "r") {
            Some(QrisError::InvalidField(field, _)) => field,
            other => panic!("expected InvalidField, got {other:?}"),
        };
        assert_eq!(field(|m| m.criteria = "XYZ".into()), "criteria");
        assert_eq!(field(|m| m.nmid = "ID123".into()), "nmid");
        assert_eq!(field(|m| m.mcc = "59A9".into()), "mcc");
        assert_eq!(field(|m| m.merchant_pan = "93-60".into()), "merchant_pan");
        let p = dynamic_payload(&merchant(|m| m.postal_code = None), 1, "r").unwrap();
        assert!(p.contains("6015JAKARTA SELATAN6210"));
    }

    #[test]
    fn parsing_errors_and_amount_formats() {
        assert_eq!(parse_tlv(""), Ok(vec![]));
        assert_eq!(parse_tlv("000"), Err(QrisError::Truncated(0)));
        assert_eq!(parse_tlv("0002010105AB"), Err(QrisError::Truncated(6)));
        assert_eq!(parse_tlv("0A0201"), Err(QrisError::BadHeader(0)));
        assert_eq!(parse_tlv("00x201"), Err(QrisError::BadHeader(0)));
        assert_eq!(parse_tlv("0002é1"), Err(QrisError::NonAscii));
        let first = parse_payload("0102126304ABCD");
        assert_eq!(first, Err(QrisError::BadFormatIndicator));
        let dup = parse_payload("000201000201");
        assert_eq!(dup, Err(QrisError::DuplicateTag("00".into())));
        assert_eq!(parse_payload("000201"), Err(QrisError::MissingCrc));
        let mut lower = String::from("0002016304");
        lower.push_str(&format!("{:04x}", crc16(lower.as_bytes())));
        assert!(parse_payload(&lower).is_ok(), "lower-case hex is tolerated");
        let tags = |v: &str| parse_tlv(&tlv("54", v)).unwrap();
        let amount = |v: &str| ParsedQris { tags: tags(v) }.amount();
        assert_eq!([amount("1000."), amount("1000.00")], [Some(1000); 2]);
        for bad in ["0", "1000.50", "1,000", "1.000.0", ".5", ""] {
            assert_eq!(amount(bad), None, "{bad}");
        }
    }
}
