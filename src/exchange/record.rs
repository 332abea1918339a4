//! What the wizard remembers of the latest Exchange Online check (issue 9): whether it passed,
//! when, for which account and features. Saved with the connection (`settings.json`,
//! `exchange_check`), shown by the summary and the start screen. Never a token: the check's
//! tokens live in memory only and are gone when the check ends.

use super::check::CheckReport;
use super::roles::Feature;
use crate::identity::IdentityError;
use crate::profile::Connection;
use crate::Diagnostic;
use serde::{Deserialize, Serialize};

/// The latest Exchange Online check of a connection's service account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeCheckRecord {
    /// Every role of the chosen features was granted.
    pub passed: bool,
    /// RFC 3339 time (UTC) of the check.
    pub checked_at: String,
    /// The service account checked (UPN).
    pub account: String,
    /// The features chosen for the check (the vendor's table rows).
    pub features: Vec<Feature>,
    /// The roles found missing (empty when passed, or when the check failed before reading).
    #[serde(default)]
    pub missing: Vec<String>,
    /// The outcome's code (`exchange.ok`, `exchange.roles_missing`, `identity.*` …).
    pub code: String,
    /// Checked by an Exchange administrator signing in for the service account.
    #[serde(default)]
    pub as_admin: bool,
}

impl ExchangeCheckRecord {
    /// The record of a finished check; none for a check the admin cancelled (nothing was learnt).
    pub fn of(report: &CheckReport) -> Option<ExchangeCheckRecord> {
        if report.code == IdentityError::Cancelled.code() {
            return None;
        }
        Some(ExchangeCheckRecord {
            passed: report.ok,
            checked_at: report.checked_at.clone(),
            account: report.account.clone(),
            features: report.features.clone(),
            missing: report.missing.clone(),
            code: report.code.clone(),
            as_admin: report.as_admin,
        })
    }

    /// Whether this record is about the connection's Exchange Online service account (UPNs
    /// compare case-insensitively). A record of another account says nothing about this one.
    pub fn applies_to(&self, connection: &Connection) -> bool {
        connection
            .exchange_online()
            .map(|e| e.service_account.trim())
            .is_some_and(|a| a.eq_ignore_ascii_case(self.account.trim()))
    }

    /// Keep the record only when it is about the connection's service account.
    pub fn for_connection(
        record: Option<ExchangeCheckRecord>,
        connection: &Connection,
    ) -> Option<ExchangeCheckRecord> {
        record.filter(|r| r.applies_to(connection))
    }
}
