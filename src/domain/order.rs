//! What one payer buys from a link's items: the quantities they chose where the merchant lets
//! them, the amount that comes to, and the units it takes from the link's stock.

use super::errors::FieldErrors;
use super::items::LineItem;
use super::lang::{Lang, Text};
use super::money::{Rupiah, MAX_LINK_TOTAL, MIN_LINK_TOTAL};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    /// One per item, in the link's order.
    pub quantities: Vec<i64>,
    pub amount: Rupiah,
    /// The sum of the quantities: what the order takes from a stock.
    pub units: i64,
}

/// Whether a payer of these items chooses any quantity.
pub fn is_adjustable(items: &[LineItem]) -> bool {
    items.iter().any(|item| item.max_quantity.is_some())
}

/// The totals of the fewest and the most units a payer of these items may choose (each within
/// the bounds of a link's total); the total twice when they choose none.
pub fn amount_bounds(items: &[LineItem], total: Rupiah) -> (Rupiah, Rupiah) {
    if !is_adjustable(items) {
        return (total, total);
    }
    let sum = |quantity: &dyn Fn(&LineItem) -> i64| -> i128 {
        items
            .iter()
            .map(|item| i128::from(item.unit_price.value()) * i128::from(quantity(item)))
            .sum()
    };
    let bounded = |amount: i128| {
        let lowest = i128::from(MIN_LINK_TOTAL.value());
        let highest = i128::from(MAX_LINK_TOTAL.value());
        Rupiah(i64::try_from(amount.clamp(lowest, highest)).unwrap_or(i64::MAX))
    };
    let fewest = sum(&|item| item.max_quantity.map_or(item.quantity, |_| 1));
    let most = sum(&|item| item.max_quantity.unwrap_or(item.quantity));
    (bounded(fewest), bounded(most))
}

/// The order at the quantities the link offers first.
pub fn as_offered(items: &[LineItem], total: Rupiah) -> Order {
    let quantities: Vec<i64> = items.iter().map(|item| item.quantity).collect();
    Order {
        units: quantities.iter().sum(),
        quantities,
        amount: total,
    }
}

/// The payer's quantities, `typed[i]` for each item they may change (others stay as offered;
/// an empty or missing one is the quantity offered first). Errors are in the payer's language,
/// on `quantities[i]`, and on `quantities` when the total leaves the bounds of a link's total.
pub fn choose(items: &[LineItem], typed: &[String], lang: Lang) -> Result<Order, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut quantities = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let Some(max) = item.max_quantity else {
            quantities.push(item.quantity);
            continue;
        };
        let given = typed.get(i).map_or("", |t| t.trim());
        let quantity = if given.is_empty() {
            Some(item.quantity)
        } else {
            given.parse::<i64>().ok().filter(|q| (1..=max).contains(q))
        };
        match quantity {
            Some(q) => quantities.push(q),
            None => errors.add(
                format!("quantities[{i}]"),
                QUANTITY_RANGE.get(lang).replace("{max}", &max.to_string()),
            ),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Stored items and checked quantities cannot overflow i128.
    let amount: i128 = items
        .iter()
        .zip(&quantities)
        .map(|(item, q)| i128::from(item.unit_price.value()) * i128::from(*q))
        .sum();
    let in_bounds = i64::try_from(amount)
        .ok()
        .map(Rupiah)
        .filter(|a| (MIN_LINK_TOTAL..=MAX_LINK_TOTAL).contains(a));
    let Some(amount) = in_bounds else {
        let message = TOTAL_RANGE
            .get(lang)
            .replace("{min}", &MIN_LINK_TOTAL.to_string())
            .replace("{max}", &MAX_LINK_TOTAL.to_string());
        return Err(FieldErrors::single("quantities", message));
    };
    Ok(Order {
        units: quantities.iter().sum(),
        quantities,
        amount,
    })
}

const QUANTITY_RANGE: Text = Text::new(
    "Jumlah harus bilangan bulat 1 sampai {max}.",
    "Quantity must be a whole number from 1 to {max}.",
);
const TOTAL_RANGE: Text = Text::new(
    "Total harus antara {min} dan {max}.",
    "The total must be between {min} and {max}.",
);

#[cfg(test)]
mod tests {
    use super::*;

    fn item(quantity: i64, unit_price: i64, max_quantity: Option<i64>) -> LineItem {
        LineItem {
            name: "Tiket".into(),
            quantity,
            unit_price: Rupiah(unit_price),
            max_quantity,
        }
    }

    fn typed(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn quantities_within_their_range_make_the_amount_and_units() {
        let items = [item(1, 50_000, Some(3)), item(1, 10_000, None)];
        assert!(is_adjustable(&items));
        let order = choose(&items, &typed(&["3", "9"]), Lang::En).unwrap();
        assert_eq!(order.quantities, [3, 1], "a fixed line keeps its quantity");
        assert_eq!(order.amount, Rupiah(160_000));
        assert_eq!(order.units, 4);
        let offered = choose(&items, &[], Lang::En).unwrap();
        assert_eq!(offered, as_offered(&items, Rupiah(60_000)));
        assert_eq!(
            amount_bounds(&items, Rupiah(60_000)),
            (Rupiah(60_000), Rupiah(160_000))
        );
        let fixed = [item(2, 50_000, None)];
        assert_eq!(
            amount_bounds(&fixed, Rupiah(100_000)),
            (Rupiah(100_000), Rupiah(100_000))
        );
    }

    #[test]
    fn quantities_out_of_range_are_named_in_the_payers_language() {
        let items = [item(1, 50_000, Some(3))];
        for bad in ["0", "4", "-1", "1.5", "dua"] {
            let e = choose(&items, &typed(&[bad]), Lang::Id).unwrap_err();
            assert_eq!(
                e.get("quantities[0]"),
                Some("Jumlah harus bilangan bulat 1 sampai 3."),
                "{bad}"
            );
        }
        let cheap = [item(1, 5_000, Some(10))];
        let e = choose(&cheap, &typed(&["1"]), Lang::En).unwrap_err();
        assert_eq!(
            e.get("quantities"),
            Some("The total must be between Rp 10.000 and Rp 100.000.000.")
        );
        assert_eq!(
            choose(&cheap, &typed(&["2"]), Lang::En).unwrap().amount,
            Rupiah(10_000)
        );
    }
}
