//! The wizard's step sequence per connection kind. The UI renders these; it does not decide them.

use crate::profile::{ApplicationKind, ConnectionKind};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Stable id the UI maps to a screen.
    pub id: &'static str,
    /// Short title for the step indicator.
    pub title: &'static str,
    /// `form` (fields validated by the core) or `figure` (instructions / results).
    pub style: &'static str,
}

const fn step(id: &'static str, title: &'static str, style: &'static str) -> Step {
    Step { id, title, style }
}

/// The ordered steps of a connection kind. For Azure AD the steps after "Application" depend on
/// the application kind; before it is chosen the Service Provider path is shown. The Microsoft
/// Graph permissions are shown before the step that needs them (issue 9, as the vendor's pages
/// do): the delegated scopes before "Sign in with Microsoft"; the application permissions after
/// the app registration's identifiers and before the certificate upload and check.
pub fn steps(kind: ConnectionKind, application: Option<ApplicationKind>) -> Vec<Step> {
    match kind {
        ConnectionKind::HybridOnprem => vec![
            step("kind", "Connection type", "form"),
            step("onprem", "On-Premise connection", "form"),
            step("ldap-test", "Test connection", "figure"),
            step("keypair", "Key pair", "form"),
            step("exchange", "Exchange Online", "form"),
            step("summary", "Summary", "figure"),
            step("create", "Create", "figure"),
            step("handoff", "Portal hand-off", "figure"),
            step("agent-setup", "Agent setup", "figure"),
            step("done", "Done", "figure"),
        ],
        ConnectionKind::AzureAd => {
            let mut out = vec![
                step("kind", "Connection type", "form"),
                step("app-kind", "Application", "form"),
            ];
            match application.unwrap_or(ApplicationKind::ServiceProvider) {
                ApplicationKind::ServiceProvider => {
                    out.push(step("permissions", "Permissions", "figure"));
                    out.push(step("sp-signin", "Sign in", "figure"));
                }
                ApplicationKind::CustomerOwned => {
                    out.push(step("co-app", "App registration", "form"));
                    out.push(step("permissions", "Permissions", "figure"));
                    out.push(step("co-cert", "Certificate & check", "figure"));
                }
            }
            out.extend([
                step("exchange", "Exchange Online", "form"),
                step("summary", "Summary", "figure"),
                step("done", "Done", "figure"),
            ]);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hybrid_order_matches_the_guide() {
        let ids: Vec<_> = steps(ConnectionKind::HybridOnprem, None)
            .iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(
            ids,
            [
                "kind",
                "onprem",
                "ldap-test",
                "keypair",
                "exchange",
                "summary",
                "create",
                "handoff",
                "agent-setup",
                "done"
            ]
        );
    }

    #[test]
    fn azure_branches_on_application_kind() {
        let sp: Vec<_> = steps(
            ConnectionKind::AzureAd,
            Some(ApplicationKind::ServiceProvider),
        )
        .iter()
        .map(|s| s.id)
        .collect();
        let co: Vec<_> = steps(
            ConnectionKind::AzureAd,
            Some(ApplicationKind::CustomerOwned),
        )
        .iter()
        .map(|s| s.id)
        .collect();
        // The permissions come before the step that needs them.
        assert_eq!(&sp[2..4], ["permissions", "sp-signin"]);
        assert_eq!(&co[2..5], ["co-app", "permissions", "co-cert"]);
        assert_eq!(sp.last(), Some(&"done"));
        assert_eq!(co.last(), Some(&"done"));
    }
}
