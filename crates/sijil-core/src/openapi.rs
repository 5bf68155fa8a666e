//! JSON schemas for the types whose JSON form is not what a derive would see: checked strings
//! (`try_from = "String"`) and [`FieldError`], whose serialisation is written by hand. Only
//! built with the `openapi` feature, which the server turns on for its
//! OpenAPI document; the domain itself knows nothing of HTTP.

use std::borrow::Cow;

use utoipa::{
    PartialSchema, ToSchema,
    openapi::{
        RefOr, Type,
        schema::{ObjectBuilder, Schema},
    },
};

use crate::{FieldError, NationalNumber, OfficeCode, PartialDate, Username};

/// A string schema with a pattern and a description.
fn text(pattern: &str, description: &str, example: Option<&str>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
        .description(Some(description))
        .examples(example)
        .into()
}

macro_rules! string_schema {
    ($ty:ty, $name:literal, $pattern:expr, $description:literal, $example:expr) => {
        impl PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                text($pattern, $description, $example)
            }
        }
        impl ToSchema for $ty {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    };
}

// The patterns say the shape; the server's checks (calendar, check digit) say the rest.
string_schema!(
    PartialDate,
    "PartialDate",
    r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
    "a date known to the year, the month or the day: YYYY, YYYY-MM or YYYY-MM-DD",
    Some("1980-05-03")
);
string_schema!(
    NationalNumber,
    "NationalNumber",
    r"^[0-9]{11}$",
    "11 digits: governorate (2), secretariat (2), serial (6) and a Verhoeff check digit",
    None
);
string_schema!(
    OfficeCode,
    "OfficeCode",
    r"^[A-Z0-9-]{2,32}$",
    "an office's code: 2 to 32 of A-Z, 0-9 and -",
    Some("DAM-01")
);
string_schema!(
    Username,
    "Username",
    r"^[a-z0-9._-]{3,64}$",
    "an officer's login name: 3 to 64 of a-z, 0-9, '.', '_' and '-'",
    Some("clerk.dam")
);

impl PartialSchema for FieldError {
    fn schema() -> RefOr<Schema> {
        let string = |d: &str| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some(d))
        };
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some("one problem with one field of the input"))
            .property(
                "field",
                string("the field's path, e.g. `record.birth_date`"),
            )
            .required("field")
            .property(
                "code",
                string("a stable code for the problem, e.g. `invalid_date`"),
            )
            .required("code")
            .property("message_ar", string("the problem in Arabic"))
            .required("message_ar")
            .property("message_en", string("the problem in English"))
            .required("message_en")
            .into()
    }
}

impl ToSchema for FieldError {}
