//! Method codes in the OpenAPI document: the catalogue's, and what requests may send.

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::domain::method::{CATALOGUE_CODES, CODE_ALIASES};

fn string_enum(values: Vec<&'static str>, description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values))
        .description(Some(description))
        .into()
}

/// A payment method code as answers give it: one of the catalogue's.
pub struct MethodCode;

impl PartialSchema for MethodCode {
    fn schema() -> RefOr<Schema> {
        string_enum(
            CATALOGUE_CODES.to_vec(),
            "A payment method code, as `payment-methods` lists them.",
        )
    }
}

impl ToSchema for MethodCode {}

/// A method code as a request may send it: the catalogue's codes, or Singapay's `EWALLET_*`
/// spellings of the e-wallets (any case), which answers give back in the catalogue's spelling.
pub struct MethodCodeInput;

impl PartialSchema for MethodCodeInput {
    fn schema() -> RefOr<Schema> {
        let mut codes = CATALOGUE_CODES.to_vec();
        codes.extend(CODE_ALIASES.iter().map(|(alias, _)| *alias));
        string_enum(
            codes,
            "A payment method code. EWALLET_DANA, EWALLET_OVO, EWALLET_SHOPEEPAY, \
             EWALLET_GOPAY and EWALLET_LINKAJA are accepted for DANA, OVO, SHOPEEPAY, GOPAY \
             and LINKAJA; answers always use the latter.",
        )
    }
}

impl ToSchema for MethodCodeInput {}
