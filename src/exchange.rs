//! Exchange Online: the roles the service account's role group needs, and why.

use crate::profile::ConnectionKind;
use serde::Serialize;

/// One row of the required-roles table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleRequirement {
    /// The Hire2Retire feature.
    pub feature: &'static str,
    /// Roles the feature needs.
    pub roles: &'static [&'static str],
    /// Where each role lives: `exchange` (management role in a role group) or `entra`.
    pub role_source: &'static [&'static str],
    /// What the role is used for, in plain words.
    pub purpose: &'static str,
}

const DISTRIBUTION_LISTS: RoleRequirement = RoleRequirement {
    feature: "Distribution lists",
    roles: &["Distribution Groups"],
    role_source: &["exchange"],
    purpose: "Add and remove joiners, movers and leavers in distribution lists.",
};

const M365_GROUPS: RoleRequirement = RoleRequirement {
    feature: "Microsoft 365 groups",
    roles: &["Mail Recipients", "User Administrator"],
    role_source: &["exchange", "entra"],
    purpose: "Manage Microsoft 365 group membership and the mail attributes of synced users. \
              User Administrator is an Entra ID directory role, assigned in the Entra admin center, \
              not in the role group.",
};

const MAIL_ENABLED_SECURITY_GROUPS: RoleRequirement = RoleRequirement {
    feature: "Mail-enabled security groups",
    roles: &["Security Group Creation and Membership"],
    role_source: &["exchange"],
    purpose: "Create mail-enabled security groups and change their membership.",
};

const SHARED_MAILBOXES: RoleRequirement = RoleRequirement {
    feature: "Shared mailboxes",
    roles: &["Mail Recipient Creation", "Mail Recipients"],
    role_source: &["exchange", "exchange"],
    purpose: "Create shared mailboxes and grant or remove a leaver's or mover's access to them.",
};

/// The required-roles table for a connection kind. Microsoft 365 groups appear for the hybrid
/// kind only (as in the Hire2Retire setup guides); the other features for both.
pub fn required_roles(kind: ConnectionKind) -> Vec<RoleRequirement> {
    match kind {
        ConnectionKind::HybridOnprem => {
            vec![
                DISTRIBUTION_LISTS,
                M365_GROUPS,
                MAIL_ENABLED_SECURITY_GROUPS,
                SHARED_MAILBOXES,
            ]
        }
        ConnectionKind::AzureAd => vec![
            DISTRIBUTION_LISTS,
            MAIL_ENABLED_SECURITY_GROUPS,
            SHARED_MAILBOXES,
        ],
    }
}

/// The distinct Exchange management roles of a kind's table (for the role group command).
pub fn exchange_roles(kind: ConnectionKind) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for req in required_roles(kind) {
        for (role, source) in req.roles.iter().zip(req.role_source) {
            if *source == "exchange" && !out.contains(role) {
                out.push(role);
            }
        }
    }
    out
}

/// The PowerShell an Exchange admin runs to create the role group (shown, never run by us).
pub fn role_group_command(kind: ConnectionKind, service_account: &str) -> String {
    let roles = exchange_roles(kind)
        .iter()
        .map(|r| format!("\"{r}\""))
        .collect::<Vec<_>>()
        .join(",");
    let member = if service_account.is_empty() {
        "svc-h2r@example.com"
    } else {
        service_account
    };
    format!("New-RoleGroup -Name \"Hire2Retire\" -Roles {roles} -Members \"{member}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m365_groups_only_for_hybrid() {
        let hybrid = required_roles(ConnectionKind::HybridOnprem);
        let azure = required_roles(ConnectionKind::AzureAd);
        assert!(hybrid.iter().any(|r| r.feature == "Microsoft 365 groups"));
        assert!(!azure.iter().any(|r| r.feature == "Microsoft 365 groups"));
        for f in [
            "Distribution lists",
            "Mail-enabled security groups",
            "Shared mailboxes",
        ] {
            assert!(hybrid.iter().any(|r| r.feature == f));
            assert!(azure.iter().any(|r| r.feature == f));
        }
    }

    #[test]
    fn user_administrator_is_not_put_in_the_role_group() {
        let cmd = role_group_command(ConnectionKind::HybridOnprem, "svc@contoso.com");
        assert!(!cmd.contains("User Administrator"));
        assert!(cmd.contains("\"Distribution Groups\""));
        assert!(cmd.contains("-Members \"svc@contoso.com\""));
    }
}
