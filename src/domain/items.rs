use super::errors::FieldErrors;
use super::money::{Rupiah, MAX_LINK_TOTAL, MIN_LINK_TOTAL};

pub const MAX_QUANTITY: i64 = 1_000_000;
pub const MAX_ITEMS: usize = 100;
pub const MAX_ITEM_NAME_LEN: usize = 255;
/// Per-item price bound; negative prices are allowed for discount rows.
pub const MAX_UNIT_PRICE: i64 = 100_000_000;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LineItem {
    pub name: String,
    /// The quantity paid for, or the one offered first when the payer may change it.
    pub quantity: i64,
    pub unit_price: Rupiah,
    /// Set when the payer chooses the quantity, from 1 to this.
    #[serde(default)]
    pub max_quantity: Option<i64>,
}

impl LineItem {
    pub fn subtotal(&self) -> Option<Rupiah> {
        self.unit_price.checked_mul(self.quantity)
    }
}

/// Raw form input for one row; all strings because they come from HTML forms.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ItemInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub quantity: String,
    #[serde(default)]
    pub unit_price: String,
    /// Empty: the quantity is fixed; else the most a payer may choose.
    #[serde(default)]
    pub max_quantity: String,
}

impl ItemInput {
    /// The form always shows a few empty rows; those are not items.
    pub fn is_blank(&self) -> bool {
        self.name.trim().is_empty()
            && self.quantity.trim().is_empty()
            && self.unit_price.trim().is_empty()
    }
}

fn check_name(name: &str) -> Result<String, String> {
    super::text::required_line(name, &crate::tr!(links.label_item_name), MAX_ITEM_NAME_LEN)
}

/// The English of [`quantity_range`], which the tests compare against.
#[cfg(test)]
const QUANTITY_RANGE: &str = "Quantity must be between 1 and 1,000,000.";

fn quantity_range() -> String {
    crate::tr!(links.quantity_range)
}

fn check_quantity(q: i64) -> Result<i64, String> {
    if (1..=MAX_QUANTITY).contains(&q) {
        Ok(q)
    } else {
        Err(quantity_range())
    }
}

fn parse_quantity(s: &str) -> Result<i64, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err(crate::tr!(links.quantity_required));
    }
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(crate::tr!(links.quantity_whole));
    }
    // A digit string too long for i64 is still a whole number, just out of range.
    s.parse::<i64>()
        .map_err(|_| quantity_range())
        .and_then(check_quantity)
}

fn check_unit_price(p: Rupiah) -> Result<Rupiah, String> {
    if p.0.unsigned_abs() <= MAX_UNIT_PRICE as u64 {
        Ok(p)
    } else {
        Err(crate::tr!(links.unit_price_range))
    }
}

/// A payer may choose the quantity of a line with a positive price, from 1 up to its maximum,
/// which is at least the quantity offered first.
fn check_max_quantity(item: &LineItem) -> Result<(), String> {
    let Some(max) = item.max_quantity else {
        return Ok(());
    };
    if item.unit_price.value() <= 0 {
        return Err(crate::tr!(links.max_quantity_needs_price));
    }
    if !(item.quantity..=MAX_QUANTITY).contains(&max) {
        return Err(crate::tr!(
            links.max_quantity_range,
            quantity = item.quantity
        ));
    }
    Ok(())
}

fn parse_max_quantity(s: &str) -> Result<Option<i64>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<i64>()
        .map(Some)
        .map_err(|_| crate::tr!(links.max_quantity_whole))
}

fn check_count(count: usize, errors: &mut FieldErrors) {
    if count == 0 {
        errors.add("items", crate::tr!(links.items_none));
    } else if count > MAX_ITEMS {
        errors.add("items", crate::tr!(links.items_at_most));
    }
}

/// Parses rows (blank rows skipped, but field names keep the original row index:
/// "items[2].quantity", so errors land on the row the user sees).
pub fn parse_items(rows: &[ItemInput]) -> Result<Vec<LineItem>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let filled: Vec<(usize, &ItemInput)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.is_blank())
        .collect();
    check_count(filled.len(), &mut errors);
    if filled.len() > MAX_ITEMS {
        // Row-by-row errors would only bury the one that matters.
        return Err(errors);
    }
    let mut items = Vec::with_capacity(filled.len());
    for (i, row) in filled {
        let name = check_name(&row.name).map_err(|e| errors.add(format!("items[{i}].name"), e));
        let quantity = parse_quantity(&row.quantity)
            .map_err(|e| errors.add(format!("items[{i}].quantity"), e));
        let unit_price = Rupiah::parse_named(&row.unit_price, &crate::tr!(links.unit_price))
            .and_then(check_unit_price)
            .map_err(|e| errors.add(format!("items[{i}].unit_price"), e));
        let max_quantity = parse_max_quantity(&row.max_quantity)
            .map_err(|e| errors.add(format!("items[{i}].max_quantity"), e));
        if let (Ok(name), Ok(quantity), Ok(unit_price), Ok(max_quantity)) =
            (name, quantity, unit_price, max_quantity)
        {
            let item = LineItem {
                name,
                quantity,
                unit_price,
                max_quantity,
            };
            match check_max_quantity(&item) {
                Ok(()) => items.push(item),
                Err(e) => errors.add(format!("items[{i}].max_quantity"), e),
            }
        }
    }
    errors.into_result(items)
}

/// Same checks for typed input (API): field names "items[i].name" etc.
pub fn validate_items(items: &[LineItem]) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    check_count(items.len(), &mut errors);
    if items.len() > MAX_ITEMS {
        return Err(errors);
    }
    for (i, item) in items.iter().enumerate() {
        if let Err(e) = check_name(&item.name) {
            errors.add(format!("items[{i}].name"), e);
        }
        if let Err(e) = check_quantity(item.quantity) {
            errors.add(format!("items[{i}].quantity"), e);
        }
        if let Err(e) = check_unit_price(item.unit_price) {
            errors.add(format!("items[{i}].unit_price"), e);
        } else if let Err(e) = check_max_quantity(item) {
            errors.add(format!("items[{i}].max_quantity"), e);
        }
    }
    errors.into_result(())
}

/// Sum of subtotals with overflow checks; the total must lie within
/// MIN_LINK_TOTAL..=MAX_LINK_TOTAL. Errors are on "total_amount".
pub fn total_of(items: &[LineItem]) -> Result<Rupiah, FieldErrors> {
    let too_large = || FieldErrors::single("total_amount", crate::tr!(links.total_too_large));
    let mut total = Rupiah(0);
    for item in items {
        let subtotal = item.subtotal().ok_or_else(too_large)?;
        total = total.checked_add(subtotal).ok_or_else(too_large)?;
    }
    if total < MIN_LINK_TOTAL || total > MAX_LINK_TOTAL {
        return Err(FieldErrors::single(
            "total_amount",
            crate::tr!(
                links.total_range,
                min = MIN_LINK_TOTAL,
                max = MAX_LINK_TOTAL
            ),
        ));
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, quantity: &str, unit_price: &str) -> ItemInput {
        ItemInput {
            name: name.into(),
            quantity: quantity.into(),
            unit_price: unit_price.into(),
            max_quantity: String::new(),
        }
    }

    fn item(name: &str, quantity: i64, unit_price: i64) -> LineItem {
        LineItem {
            name: name.into(),
            quantity,
            unit_price: Rupiah(unit_price),
            max_quantity: None,
        }
    }

    #[test]
    fn a_payer_chosen_quantity_needs_a_price_and_room() {
        let mut tickets = row("Tiket", "1", "50.000");
        tickets.max_quantity = "4".into();
        assert_eq!(
            parse_items(&[tickets.clone()]).unwrap()[0].max_quantity,
            Some(4)
        );
        tickets.max_quantity = "0".into();
        let e = parse_items(&[tickets.clone()]).unwrap_err();
        assert!(e
            .get("items[0].max_quantity")
            .unwrap()
            .contains("between the quantity (1)"));
        tickets.max_quantity = "x".into();
        assert!(parse_items(&[tickets]).is_err());
        let mut discount = row("Diskon", "1", "-5.000");
        discount.max_quantity = "3".into();
        let e = parse_items(&[discount]).unwrap_err();
        assert!(e
            .get("items[0].max_quantity")
            .unwrap()
            .contains("price above zero"));
    }

    #[test]
    fn blank_rows() {
        assert!(ItemInput::default().is_blank());
        assert!(row("  ", " ", "\t").is_blank());
        assert!(!row("", "1", "").is_blank());
    }

    #[test]
    fn parses_rows_and_skips_blanks() {
        let rows = [
            row("", "", ""),
            row(" Kopi susu ", "2", "Rp 25.000"),
            row(" ", " ", " "),
            row("Diskon", "1", "-5.000"),
        ];
        let items = parse_items(&rows).unwrap();
        assert_eq!(
            items,
            vec![item("Kopi susu", 2, 25_000), item("Diskon", 1, -5_000)]
        );
        assert_eq!(total_of(&items), Ok(Rupiah(45_000)));
    }

    #[test]
    fn errors_keep_original_row_index() {
        let rows = [row("", "", ""), row("", "", ""), row("Teh", "0", "1.5")];
        let e = parse_items(&rows).unwrap_err();
        assert_eq!(e.get("items[2].quantity"), Some(QUANTITY_RANGE));
        assert!(e
            .get("items[2].unit_price")
            .unwrap()
            .starts_with("Unit price"));
        assert!(e.get("items[2].unit_price").unwrap().contains("decimals"));
        assert_eq!(e.get("items[2].name"), None);
        assert_eq!(e.get("items[0].quantity"), None);
    }

    #[test]
    fn row_field_messages() {
        let e = parse_items(&[row("", "abc", "")]).unwrap_err();
        assert_eq!(e.get("items[0].name"), Some("Item name is required."));
        assert_eq!(
            e.get("items[0].quantity"),
            Some("Quantity must be a whole number.")
        );
        assert_eq!(
            e.get("items[0].unit_price"),
            Some("Unit price is required.")
        );

        let e = parse_items(&[row(&"n".repeat(256), "-3", "100.000.001")]).unwrap_err();
        assert_eq!(
            e.get("items[0].name"),
            Some("Item name must be at most 255 characters.")
        );
        assert_eq!(e.get("items[0].quantity"), Some(QUANTITY_RANGE));
        assert!(e
            .get("items[0].unit_price")
            .unwrap()
            .contains("100.000.000"));

        for q in ["1.5", "1,000", "+1", "-", "1e3"] {
            let e = parse_items(&[row("A", q, "10.000")]).unwrap_err();
            assert!(e.get("items[0].quantity").is_some(), "{q:?}");
        }
        let e = parse_items(&[row("A", "99999999999999999999999", "10.000")]).unwrap_err();
        assert_eq!(e.get("items[0].quantity"), Some(QUANTITY_RANGE));
    }

    #[test]
    fn boundaries_are_inclusive() {
        let rows = [
            row(&"é".repeat(255), "1000000", "-100.000.000"),
            row("B", "1", "100.000.000"),
            row("C", "1", "0"),
        ];
        let items = parse_items(&rows).unwrap();
        assert_eq!(items.len(), 3);
        assert!(validate_items(&items).is_ok());
    }

    #[test]
    fn item_count_limits() {
        let e = parse_items(&[row("", "", "")]).unwrap_err();
        assert_eq!(e.get("items"), Some("Add at least one item."));
        assert_eq!(
            parse_items(&[]).unwrap_err().get("items"),
            Some("Add at least one item.")
        );

        let many: Vec<ItemInput> = (0..=MAX_ITEMS).map(|_| row("", "x", "")).collect();
        let e = parse_items(&many).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e.get("items").unwrap().contains("100"));

        let exactly: Vec<ItemInput> = (0..MAX_ITEMS).map(|_| row("A", "1", "100")).collect();
        assert_eq!(parse_items(&exactly).unwrap().len(), MAX_ITEMS);
    }

    #[test]
    fn validate_typed_items() {
        assert_eq!(
            validate_items(&[]).unwrap_err().get("items"),
            Some("Add at least one item.")
        );
        let e = validate_items(&[item("ok", 1, 1), item("  ", 0, 100_000_001)]).unwrap_err();
        assert_eq!(e.get("items[1].name"), Some("Item name is required."));
        assert_eq!(e.get("items[1].quantity"), Some(QUANTITY_RANGE));
        assert!(e.get("items[1].unit_price").is_some());
        assert_eq!(e.get("items[0].name"), None);
        let e = validate_items(&[item("x", MAX_QUANTITY + 1, i64::MIN)]).unwrap_err();
        assert!(e.get("items[0].quantity").is_some());
        assert!(e.get("items[0].unit_price").is_some());
        let many: Vec<LineItem> = (0..=MAX_ITEMS).map(|_| item("a", 1, 1)).collect();
        assert!(validate_items(&many).unwrap_err().get("items").is_some());
    }

    #[test]
    fn total_bounds_and_overflow() {
        let range = "Total must be between Rp 10.000 and Rp 100.000.000.";
        assert_eq!(total_of(&[item("a", 1, 10_000)]), Ok(Rupiah(10_000)));
        assert_eq!(
            total_of(&[item("a", 1, 100_000_000)]),
            Ok(Rupiah(100_000_000))
        );
        assert_eq!(
            total_of(&[item("a", 1, 9_999)])
                .unwrap_err()
                .get("total_amount"),
            Some(range)
        );
        assert_eq!(
            total_of(&[item("a", 2, 50_000_001)])
                .unwrap_err()
                .get("total_amount"),
            Some(range)
        );
        assert_eq!(total_of(&[]).unwrap_err().get("total_amount"), Some(range));
        // A discount larger than the goods gives a negative total.
        assert_eq!(
            total_of(&[item("a", 1, 20_000), item("d", 1, -30_000)])
                .unwrap_err()
                .get("total_amount"),
            Some(range)
        );
        let huge = item("a", i64::MAX, 2);
        assert_eq!(huge.subtotal(), None);
        assert_eq!(
            total_of(&[huge]).unwrap_err().get("total_amount"),
            Some("Total is too large.")
        );
        let e = total_of(&[item("a", 1, i64::MAX), item("b", 1, 1)]).unwrap_err();
        assert_eq!(e.get("total_amount"), Some("Total is too large."));
    }
}
