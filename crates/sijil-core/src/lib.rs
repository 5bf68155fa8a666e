//! The civil-registry domain of Sijil: people, source records, family registers (القيد), civil
//! events with the rules a registrar enforces, offices, officers and roles.
//!
//! Pure computation, no I/O. Every input type is parsed once at the edge into a validated type
//! (`RecordRow` → `PersonRecord`, `EventInput` → `NewEvent`); the errors name the field and say
//! what is wrong in Arabic and English ([`validation`]).
#![deny(missing_docs)]

pub mod access;
pub mod capture;
pub mod date;
pub mod digits;
pub mod event;
pub mod interchange;
pub mod national_number;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod person;
pub mod record;
pub mod register;
pub mod validation;

pub use access::{CENTRAL_OFFICE, OfficeCode, Permission, Role, Scope, Username};
pub use capture::{Capture, Evidence, EvidenceKind};
pub use date::PartialDate;
pub use event::{CivilEvent, EventInput, EventKind, NewEvent, PersonFacts};
pub use national_number::NationalNumber;
pub use person::PersonView;
pub use record::{NumberPolicy, PersonRecord, RecordRow, Sex};
pub use register::RegisterKey;
pub use validation::{FieldError, Problem, ValidationErrors};
