//! The Microsoft Graph permissions each application kind needs, and what each is for.

use crate::profile::ApplicationKind;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Permission {
    /// Graph permission value, e.g. `User.ReadWrite.All`.
    pub name: &'static str,
    /// `delegated` or `application`.
    pub kind: &'static str,
    /// Whether an administrator must consent.
    pub admin_consent: bool,
    /// What Hire2Retire uses it for (our detailed wording).
    pub purpose: &'static str,
    /// The purpose as the vendor states it, shown beside ours, when the vendor states one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor_purpose: Option<&'static str>,
}

/// The vendor's wording for the permissions that reset passwords.
pub const VENDOR_RESET_PASSWORD: &str = "Required to reset their password.";

/// Delegated scopes requested by the Service Provider Application.
pub const SERVICE_PROVIDER_SCOPES: [&str; 4] = [
    "User.ReadWrite.All",
    "Group.ReadWrite.All",
    "Directory.AccessAsUser.All",
    "offline_access",
];

/// Application permissions of a Customer Owned Application.
pub const CUSTOMER_OWNED_ROLES: [&str; 4] = [
    "User.ReadWrite.All",
    "Group.ReadWrite.All",
    "Directory.ReadWrite.All",
    "User.EnableDisableAccount.All",
];

/// The permissions table shown in the wizard.
pub fn required_permissions(kind: ApplicationKind) -> Vec<Permission> {
    match kind {
        ApplicationKind::ServiceProvider => vec![
            Permission { name: "User.ReadWrite.All", kind: "delegated", admin_consent: true,
                purpose: "Create joiners, update movers' attributes and managers, and disable leavers.", vendor_purpose: None },
            Permission { name: "Group.ReadWrite.All", kind: "delegated", admin_consent: true,
                purpose: "Add and remove users in groups as their role changes.", vendor_purpose: None },
            Permission { name: "Directory.AccessAsUser.All", kind: "delegated", admin_consent: true,
                purpose: "Act in the directory as the signed-in service account, within that account's own rights.", vendor_purpose: Some(VENDOR_RESET_PASSWORD) },
            Permission { name: "offline_access", kind: "delegated", admin_consent: false,
                purpose: "Keep the connection working without signing in again (refresh token).", vendor_purpose: None },
        ],
        ApplicationKind::CustomerOwned => vec![
            Permission { name: "User.ReadWrite.All", kind: "application", admin_consent: true,
                purpose: "Create joiners, update movers' attributes and managers.", vendor_purpose: None },
            Permission { name: "Group.ReadWrite.All", kind: "application", admin_consent: true,
                purpose: "Add and remove users in groups as their role changes.", vendor_purpose: None },
            Permission { name: "Directory.ReadWrite.All", kind: "application", admin_consent: true,
                purpose: "Read and write directory data such as managers and organisational attributes.", vendor_purpose: Some(VENDOR_RESET_PASSWORD) },
            Permission { name: "User.EnableDisableAccount.All", kind: "application", admin_consent: true,
                purpose: "Disable leavers' accounts and re-enable rehires.", vendor_purpose: None },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_wording_is_kept_beside_ours() {
        for (kind, name) in [
            (
                ApplicationKind::ServiceProvider,
                "Directory.AccessAsUser.All",
            ),
            (ApplicationKind::CustomerOwned, "Directory.ReadWrite.All"),
        ] {
            let p = required_permissions(kind)
                .into_iter()
                .find(|p| p.name == name)
                .unwrap();
            assert_eq!(p.vendor_purpose, Some("Required to reset their password."));
            assert!(!p.purpose.is_empty() && p.purpose != VENDOR_RESET_PASSWORD);
        }
    }
}
