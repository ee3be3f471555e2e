//! Paging input: which page of a list, and how far into the list it starts. Page numbers come
//! from query strings and forms, so anything an i64 holds can arrive.

/// The deepest page any list serves. A million pages of even one row is deeper than any
/// account's history; past it a request is refused by name rather than computed.
pub const MAX_PAGE: i64 = 1_000_000;

/// A page number from the outside: absent or below 1 means the first page (Singapay clients
/// send `page=0`), beyond [`MAX_PAGE`] is an error for the field `page`.
pub fn parse_page(page: Option<i64>) -> Result<i64, String> {
    match page.unwrap_or(1) {
        page if page > MAX_PAGE => Err(crate::tr!(payments.page_too_deep, max = MAX_PAGE)),
        page => Ok(page.max(1)),
    }
}

/// Rows to skip before `page` (from 1) of `per_page` rows; never overflows, whatever it is given.
pub fn offset(page: i64, per_page: i64) -> i64 {
    page.max(1)
        .saturating_sub(1)
        .saturating_mul(per_page.max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_below_one_are_the_first_and_past_the_bound_are_refused() {
        assert_eq!(parse_page(None), Ok(1));
        assert_eq!(parse_page(Some(0)), Ok(1));
        assert_eq!(parse_page(Some(i64::MIN)), Ok(1));
        assert_eq!(parse_page(Some(MAX_PAGE)), Ok(MAX_PAGE));
        assert!(parse_page(Some(MAX_PAGE + 1)).unwrap_err().contains("page"));
        assert!(parse_page(Some(i64::MAX)).is_err());
    }

    #[test]
    fn offsets_never_overflow() {
        assert_eq!(offset(1, 25), 0);
        assert_eq!(offset(3, 25), 50);
        assert_eq!(offset(i64::MAX, 100), i64::MAX);
        assert_eq!(offset(i64::MIN, 100), 0);
    }
}
