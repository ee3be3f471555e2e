//! The dashboard's payments table: one account's attempts across its links, paged by key so
//! a deep page costs what the first does (totals for the whole filter: `db::totals`).

use crate::db::histories::{
    order_by, push_filters, AttemptRow, HistoryFilter, HistorySort, ATTEMPT_COLUMNS,
};
use crate::db::Db;
use crate::domain::attempt::AttemptStatus;
use crate::domain::ids::{AccountId, MerchantId};
use crate::domain::payments_query::PaymentsQuery;
use crate::domain::time::{parse_date_wib, DAY_MS};
use crate::domain::{FieldErrors, Rupiah};
use crate::error::AppError;
use crate::model::PaymentAttempt;
use crate::on_db;

/// A page boundary: the sort column's value and the id of the row there. Written in URLs as
/// `value_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub value: i64,
    pub id: i64,
}

impl Cursor {
    pub fn parse(s: &str) -> Option<Cursor> {
        let (value, id) = s.split_once('_')?;
        Some(Cursor {
            value: value.parse().ok()?,
            id: id.parse().ok()?,
        })
    }

    pub fn encode(self) -> String {
        format!("{}_{}", self.value, self.id)
    }

    fn of(row: &PaymentAttempt, sort: HistorySort) -> Cursor {
        let value = match sort {
            HistorySort::Id => row.id.0,
            HistorySort::CreatedAt => row.created_at,
            HistorySort::Amount => row.amount.value(),
            // Rows without a payment date are left out of this order (see `page`).
            HistorySort::PaymentDate => row.payment_date.unwrap_or_default(),
        };
        Cursor {
            value,
            id: row.id.0,
        }
    }
}

/// Which side of a boundary to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    First,
    After(Cursor),
    Before(Cursor),
}

#[derive(Debug, Clone)]
pub struct KeysetPage {
    pub rows: Vec<PaymentAttempt>,
    /// Boundary to read after for the next page, when there is one.
    pub next: Option<Cursor>,
    /// Boundary to read before for the previous page, when there is one.
    pub prev: Option<Cursor>,
}

/// One page of the filter in its sort order. Sorting by payment date lists paid rows only.
pub async fn page(
    db: &Db,
    merchant_id: MerchantId,
    account_id: &AccountId,
    filter: &HistoryFilter,
    position: Position,
    limit: i64,
) -> Result<KeysetPage, AppError> {
    let column = filter.sort.column();
    let backwards = matches!(position, Position::Before(_));
    // Reading backwards walks the order in reverse, then flips the rows back.
    let descending = filter.descending != backwards;
    let (order, comparison) = if descending {
        ("DESC", "<")
    } else {
        ("ASC", ">")
    };
    let rows: Vec<AttemptRow> = on_db!(db, pool => {
        let mut query = sqlx::QueryBuilder::new(format!(
            "SELECT {ATTEMPT_COLUMNS} FROM payment_link_histories"
        ));
        push_filters(&mut query, merchant_id, account_id, filter);
        if filter.sort == HistorySort::PaymentDate {
            query.push(" AND payment_date IS NOT NULL");
        }
        if let Position::After(cursor) | Position::Before(cursor) = position {
            query
                .push(format!(" AND ({column}, id) {comparison} ("))
                .push_bind(cursor.value)
                .push(", ")
                .push_bind(cursor.id)
                .push(")");
        }
        query
            .push(order_by(filter, order))
            .push(" LIMIT ")
            .push_bind(limit + 1);
        query.build_query_as().fetch_all(pool).await?
    });
    let mut rows = rows
        .into_iter()
        .map(PaymentAttempt::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    if backwards {
        rows.reverse();
    }
    let first = rows.first().map(|r| Cursor::of(r, filter.sort));
    let last = rows.last().map(|r| Cursor::of(r, filter.sort));
    let (next, prev) = match position {
        Position::First => (last.filter(|_| more), None),
        Position::After(_) => (last.filter(|_| more), first),
        Position::Before(_) => (last, first.filter(|_| more)),
    };
    Ok(KeysetPage { rows, next, prev })
}

/// Reads the query into a database filter and page position, naming every bad field.
pub fn to_filter(query: &PaymentsQuery) -> Result<(HistoryFilter, Position), FieldErrors> {
    let mut errors = FieldErrors::new();
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let mut date = |field: &str, value: &str, end_of_day: bool| {
        text(value).and_then(|v| {
            parse_date_wib(&v)
                .map(|start| {
                    if end_of_day {
                        start + DAY_MS - 1
                    } else {
                        start
                    }
                })
                .map_err(|e| errors.add(field, e))
                .ok()
        })
    };
    let created_at = (
        date("created_from", &query.created_from, false),
        date("created_to", &query.created_to, true),
    );
    let payment_date = (
        date("paid_from", &query.paid_from, false),
        date("paid_to", &query.paid_to, true),
    );
    let settle_at = (
        date("settled_from", &query.settled_from, false),
        date("settled_to", &query.settled_to, true),
    );
    let mut amount = |field: &str, value: &str| {
        text(value).and_then(|v| {
            Rupiah::parse(&v)
                .map(Rupiah::value)
                .map_err(|e| errors.add(field, e))
                .ok()
        })
    };
    let amount_min = amount("amount_min", &query.amount_min);
    let amount_max = amount("amount_max", &query.amount_max);
    if let (Some(min), Some(max)) = (amount_min, amount_max) {
        if min > max {
            errors.add("amount_max", crate::tr!(payments.max_below_min));
        }
    }
    let status = text(&query.status).and_then(|s| {
        AttemptStatus::parse(&s)
            .map_err(|e| errors.add("status", e))
            .ok()
    });
    let has_settle = match query.settled.as_str() {
        "" => None,
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.add("settled", crate::tr!(payments.choose_settled));
            None
        }
    };
    let sort = match query.sort.as_str() {
        "" | "created" => HistorySort::CreatedAt,
        "paid" => HistorySort::PaymentDate,
        "amount" => HistorySort::Amount,
        _ => {
            errors.add("sort", crate::tr!(payments.sort_hint));
            HistorySort::CreatedAt
        }
    };
    let descending = match query.order.as_str() {
        "" | "desc" => true,
        "asc" => false,
        _ => {
            errors.add("order", crate::tr!(payments.order_hint));
            true
        }
    };
    let position = match (text(&query.after), text(&query.before)) {
        (Some(after), _) => Cursor::parse(&after).map(Position::After),
        (None, Some(before)) => Cursor::parse(&before).map(Position::Before),
        (None, None) => Some(Position::First),
    }
    .unwrap_or_else(|| {
        errors.add("after", crate::tr!(payments.page_link_damaged));
        Position::First
    });
    let filter = HistoryFilter {
        status,
        method_code: text(&query.method)
            .map(|code| crate::domain::method::canonical_code(&code).to_string()),
        link_reff_no: text(&query.link),
        search: text(&query.q).map(|q| search_text(&q)),
        amount_min,
        amount_max,
        has_settle,
        created_at,
        payment_date,
        settle_at,
        sort,
        descending,
        ..HistoryFilter::default()
    };
    errors.into_result((filter, position))
}

/// What is searched for: a number typed as payers see it ("9900 2611 3506 0799", as the VA
/// is shown) is searched as it is stored, without its separators.
fn search_text(q: &str) -> String {
    let number_like = q.chars().any(|c| c.is_ascii_digit())
        && q.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.'));
    if number_like {
        q.chars().filter(char::is_ascii_digit).collect()
    } else {
        q.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        let cursor = Cursor {
            value: 1_795_575_600_000,
            id: 42,
        };
        assert_eq!(Cursor::parse(&cursor.encode()), Some(cursor));
        assert_eq!(Cursor::parse("-5_3"), Some(Cursor { value: -5, id: 3 }));
        for junk in ["", "12", "a_1", "1_b", "1_2_3"] {
            assert_eq!(Cursor::parse(junk), None, "{junk}");
        }
    }
}
