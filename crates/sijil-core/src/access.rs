//! Offices, officers and roles, and what each role may do, and where.
//!
//! Least privilege: each role gets only the permissions its work needs ([`Role::allows`]), and
//! an officer's authority reaches only as far as their office ([`Scope`]): officers of the
//! central office act for the whole country, every other officer for their own office. The
//! server asks both, so these two tables are the one place to read the policy.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::validation::Problem;

/// A role held by an officer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages users, offices and imports; may also do a clerk's work.
    Administrator,
    /// Registers people and civil events and reads person records.
    Clerk,
    /// Reads person records and the audit log, and verifies the chain; changes nothing.
    Auditor,
    /// Settles the review queue (link, new person, merge, split, undo); registers nothing and
    /// administers nothing.
    Adjudicator,
}

/// One thing a request may want to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Register a source record.
    RegisterRecord,
    /// Read a person, their events, their family register.
    ReadPerson,
    /// Record a civil event.
    RecordEvent,
    /// Create and change users.
    ManageUsers,
    /// Create and change offices.
    ManageOffices,
    /// Read the audit log.
    ReadAudit,
    /// Read operational metrics.
    ViewMetrics,
    /// Search the registry for persons.
    SearchPersons,
    /// Settle the review queue; merge and split persons; undo such decisions.
    Adjudicate,
    /// Issue documents, take and check passport applications, approve another officer's
    /// application, record a document's delivery, loss, theft or cancellation.
    IssueDocuments,
    /// Raise and lift alerts on people.
    ManageAlerts,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [
        Role::Administrator,
        Role::Clerk,
        Role::Adjudicator,
        Role::Auditor,
    ];

    /// Whether this role may do `permission`.
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Administrator => !matches!(permission, ReadAudit),
            Role::Clerk => matches!(
                permission,
                RegisterRecord | ReadPerson | RecordEvent | SearchPersons | IssueDocuments
            ),
            Role::Auditor => matches!(
                permission,
                ReadPerson | ReadAudit | ViewMetrics | SearchPersons
            ),
            Role::Adjudicator => matches!(permission, ReadPerson | SearchPersons | Adjudicate),
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Clerk => "clerk",
            Role::Auditor => "auditor",
            Role::Adjudicator => "adjudicator",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Result<Self, Problem> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or(Problem::NotOneOf(&[
                "administrator",
                "clerk",
                "adjudicator",
                "auditor",
            ]))
    }
}

/// Code of the central office, whose officers act for the whole country.
pub const CENTRAL_OFFICE: &str = "CENTRAL";

/// How far an officer's authority reaches.
///
/// Reading and searching persons stay national for every scope (finding a person once needs
/// the whole registry, and every read is audited); what a scope bounds is acting *for* an
/// office: its users, its review queue, its audit trail. Work that changes the country's
/// shared state (offices and their devices, alerts, merges and splits of persons) is national.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The whole country: officers of the central office.
    National,
    /// One office: officers of any other office.
    Office(OfficeCode),
}

impl Scope {
    /// The scope of an officer of `office`.
    pub fn of(office: &OfficeCode) -> Scope {
        if office.as_str() == CENTRAL_OFFICE {
            Scope::National
        } else {
            Scope::Office(office.clone())
        }
    }

    /// Whether acting for `office` is within this scope.
    pub fn covers(&self, office: &OfficeCode) -> bool {
        match self {
            Scope::National => true,
            Scope::Office(own) => own == office,
        }
    }

    /// [`Scope::covers`] for an office named by its code as stored (a sync contact's office,
    /// say), without parsing it.
    pub fn covers_code(&self, code: &str) -> bool {
        match self {
            Scope::National => true,
            Scope::Office(own) => own.as_str() == code,
        }
    }

    /// The one office this scope is limited to; `None` when national.
    pub fn office(&self) -> Option<&OfficeCode> {
        match self {
            Scope::National => None,
            Scope::Office(own) => Some(own),
        }
    }

    /// Whether this is the national scope.
    pub fn is_national(&self) -> bool {
        matches!(self, Scope::National)
    }
}

macro_rules! checked_identifier {
    ($(#[$doc:meta])* $name:ident, $min:expr, $max:expr, $allowed:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Checks length and characters.
            pub fn parse(s: &str) -> Result<Self, Problem> {
                let s = s.trim();
                if s.is_empty() {
                    return Err(Problem::Required);
                }
                if s.chars().count() > $max || s.chars().count() < $min {
                    return Err(Problem::TooLong { max: $max });
                }
                if let Some((i, c)) = s.chars().enumerate().find(|&(_, c)| !($allowed)(c)) {
                    return Err(Problem::ForbiddenCharacter { code_point: c as u32, position: i + 1 });
                }
                Ok(Self(s.to_owned()))
            }

            /// The identifier.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value).map_err(|p| p.message_en())
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

checked_identifier!(
    /// An office's code, e.g. `DAM-01`: 2–32 of A–Z, 0–9 and `-`.
    OfficeCode, 2, 32, |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'
);

checked_identifier!(
    /// An officer's login name: 3–64 of a–z, 0–9, `.`, `_` and `-`.
    Username, 3, 64, |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clerk_cannot_do_administrators_work() {
        assert!(!Role::Clerk.allows(Permission::ManageUsers));
        assert!(!Role::Clerk.allows(Permission::ManageOffices));
        assert!(!Role::Clerk.allows(Permission::ReadAudit));
        assert!(Role::Clerk.allows(Permission::RegisterRecord));
        assert!(!Role::Auditor.allows(Permission::RegisterRecord));
        assert!(Role::Administrator.allows(Permission::ManageUsers));
        assert!(!Role::Clerk.allows(Permission::Adjudicate));
        assert!(!Role::Auditor.allows(Permission::Adjudicate));
        assert!(Role::Administrator.allows(Permission::Adjudicate));
        assert!(Role::Clerk.allows(Permission::SearchPersons));
    }

    #[test]
    fn officers_of_the_central_office_act_nationally_others_for_their_office() {
        let central = OfficeCode::parse(CENTRAL_OFFICE).unwrap();
        let damascus = OfficeCode::parse("DAM-01").unwrap();
        let aleppo = OfficeCode::parse("ALP-01").unwrap();
        assert_eq!(Scope::of(&central), Scope::National);
        assert!(Scope::of(&central).covers(&aleppo));
        let district = Scope::of(&damascus);
        assert!(district.covers(&damascus));
        assert!(!district.covers(&aleppo));
        assert!(!district.covers(&central));
        assert!(district.covers_code("DAM-01") && !district.covers_code("ALP-01"));
        assert!(Scope::National.covers_code("ALP-01"));
        assert_eq!(district.office(), Some(&damascus));
        assert!(!district.is_national());
    }

    #[test]
    fn identifiers_are_checked() {
        assert!(OfficeCode::parse("DAM-01").is_ok());
        assert!(OfficeCode::parse("dam").is_err());
        assert!(Username::parse("clerk.one").is_ok());
        assert!(Username::parse("Clerk").is_err());
        assert!(Username::parse("ab").is_err());
        assert_eq!(Role::parse("clerk"), Ok(Role::Clerk));
    }
}
