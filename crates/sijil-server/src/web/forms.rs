//! Posted forms: their fields, and validation errors shown beside the field they belong to.

use std::collections::HashMap;

use axum::{
    extract::{FromRequest, Request},
    http::header,
};
use sijil_core::{FieldError, ValidationErrors};

use super::{WebError, i18n::Lang};

/// An `application/x-www-form-urlencoded` body as name → value (the last value wins).
pub struct FormData(HashMap<String, String>, Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(WebError::BadRequest);
        }
        let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map_err(|_| WebError::BadRequest)?;
        Ok(FormData(pairs.iter().cloned().collect(), pairs))
    }
}

impl FormData {
    /// A form with nothing filled in.
    pub fn empty() -> Self {
        FormData(HashMap::new(), Vec::new())
    }

    /// The field's value, or empty.
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }

    /// The field's value, owned.
    pub fn string(&self, name: &str) -> String {
        self.get(name).to_owned()
    }

    /// Every value of a field sent more than once (checkboxes), in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.1
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The submitted CSRF token.
    pub fn csrf(&self) -> &str {
        self.get(super::CSRF_FIELD)
    }
}

/// Validation messages by form field name, in the page's language.
#[derive(Default)]
pub struct Errors(HashMap<String, String>);

impl Errors {
    /// The messages of `errors`, renaming fields with `rename` (domain name → form name).
    pub fn from_validation(
        errors: &ValidationErrors,
        lang: Lang,
        rename: impl Fn(&str) -> String,
    ) -> Self {
        let mut out = Errors::default();
        for FieldError { field, problem } in &errors.0 {
            let message = if lang.is_ar() {
                super::i18n::isolate_ltr(&problem.message_ar())
            } else {
                problem.message_en()
            };
            out.0.entry(rename(field)).or_insert(message);
        }
        out
    }

    /// Adds a message for `field` unless it already has one.
    pub fn add(&mut self, field: &str, message: String) {
        self.0.entry(field.to_owned()).or_insert(message);
    }

    /// The message for `field`, or empty.
    pub fn get(&self, field: &str) -> &str {
        self.0.get(field).map_or("", String::as_str)
    }

    /// Whether `field` has a message.
    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    /// The messages as (field, message).
    pub fn entries(self) -> impl Iterator<Item = (String, String)> {
        self.0.into_iter()
    }

    /// Whether there is no message at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Percent-encodes a query value.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_encoding_keeps_paths_readable_and_escapes_the_rest() {
        assert_eq!(url_encode("/people/1?a=b&c"), "/people/1%3Fa%3Db%26c");
    }
}
