//! Typed ids: a merchant's id cannot be passed where a link's is expected. Each is the plain
//! number (or ULID text) on the wire and in the database.

use serde::{Deserialize, Serialize};

macro_rules! row_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

row_id!(
    /// A merchant: the tenant every query is scoped by.
    MerchantId
);
row_id!(
    /// A dashboard user, member of one merchant.
    UserId
);
row_id!(
    /// A payment link.
    LinkId
);
row_id!(
    /// A payment attempt on a link (a "history" in the API's words).
    AttemptId
);

/// One of a merchant's accounts: a ULID, kept as its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
pub struct AccountId(pub String);

impl AccountId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl From<String> for AccountId {
    fn from(id: String) -> AccountId {
        AccountId(id)
    }
}

impl From<&str> for AccountId {
    fn from(id: &str) -> AccountId {
        AccountId(id.to_string())
    }
}
