//! The roles the Exchange Online service account needs: the vendor's table, faithfully, and,
//! kept apart, what a feature needs in practice beyond it.
//!
//! The vendor lists per feature (hybrid kind: all four rows; Azure AD kind: no Microsoft 365
//! groups row):
//!
//! | feature | roles as the vendor lists them |
//! |---|---|
//! | Azure AD distribution lists | Distribution Groups |
//! | Microsoft 365 groups (hybrid only) | User Administrator, Mail Recipients |
//! | Mail-enabled security groups | Security Group Creation and Membership |
//! | Shared mailbox | User Administrator |

use super::ExchangeError;
use crate::profile::ConnectionKind;
use serde::{Deserialize, Serialize};

/// The Entra directory role the vendor lists for Microsoft 365 groups and shared mailboxes.
pub const USER_ADMINISTRATOR: &str = "User Administrator";
/// Its role template ID (the same in every tenant and cloud).
pub const USER_ADMINISTRATOR_TEMPLATE_ID: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";

/// A Hire2Retire feature that uses Exchange Online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Feature {
    DistributionLists,
    #[serde(rename = "m365-groups")]
    M365Groups,
    MailEnabledSecurityGroups,
    SharedMailboxes,
}

impl Feature {
    pub const ALL: [Feature; 4] = [
        Feature::DistributionLists,
        Feature::M365Groups,
        Feature::MailEnabledSecurityGroups,
        Feature::SharedMailboxes,
    ];

    /// The CLI / JSON identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Feature::DistributionLists => "distribution-lists",
            Feature::M365Groups => "m365-groups",
            Feature::MailEnabledSecurityGroups => "mail-enabled-security-groups",
            Feature::SharedMailboxes => "shared-mailboxes",
        }
    }

    /// The feature as the vendor names it.
    pub fn label(self) -> &'static str {
        match self {
            Feature::DistributionLists => "Azure AD distribution lists",
            Feature::M365Groups => "Microsoft 365 groups",
            Feature::MailEnabledSecurityGroups => "Mail-enabled security groups",
            Feature::SharedMailboxes => "Shared mailbox",
        }
    }

    /// Whether the connection kind offers the feature (Microsoft 365 groups: hybrid only).
    pub fn available(self, kind: ConnectionKind) -> bool {
        !(self == Feature::M365Groups && kind == ConnectionKind::AzureAd)
    }

    pub fn parse(s: &str) -> Option<Feature> {
        Feature::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// Roles the vendor lists for the feature, in the vendor's order.
    pub fn vendor_roles(self) -> &'static [&'static str] {
        match self {
            Feature::DistributionLists => &["Distribution Groups"],
            Feature::M365Groups => &[USER_ADMINISTRATOR, "Mail Recipients"],
            Feature::MailEnabledSecurityGroups => &["Security Group Creation and Membership"],
            Feature::SharedMailboxes => &[USER_ADMINISTRATOR],
        }
    }

    /// What the feature really needs beyond the vendor's list, and why.
    pub fn also_needed(self) -> &'static [ExtraRole] {
        match self {
            Feature::SharedMailboxes => &[
                ExtraRole { role: "Mail Recipient Creation", source: RoleSource::Exchange,
                    reason: "Creating a shared mailbox (New-Mailbox -Shared) is part of the Mail Recipient Creation role." },
                ExtraRole { role: "Mail Recipients", source: RoleSource::Exchange,
                    reason: "Granting and removing access to a shared mailbox (Add-MailboxPermission, Remove-MailboxPermission) is part of the Mail Recipients role." },
            ],
            _ => &[],
        }
    }

    /// What Hire2Retire does with the feature, in plain words.
    pub fn purpose(self) -> &'static str {
        match self {
            Feature::DistributionLists => {
                "Add and remove joiners, movers and leavers in distribution lists."
            }
            Feature::M365Groups => {
                "Manage Microsoft 365 group membership and the mail attributes of synced users."
            }
            Feature::MailEnabledSecurityGroups => {
                "Create mail-enabled security groups and change their membership."
            }
            Feature::SharedMailboxes => {
                "Create shared mailboxes and grant or remove a leaver's or mover's access to them."
            }
        }
    }
}

/// Where a role lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoleSource {
    /// An Exchange management role, held through a role group (or a direct assignment).
    Exchange,
    /// A Microsoft Entra directory role, assigned in the Entra admin center.
    Entra,
}

/// Whether a role comes from the vendor's table or from practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RequiredBy {
    /// Listed on the vendor's pages.
    Vendor,
    /// Not listed by the vendor, but needed for the feature to work ("also needed in practice").
    Practice,
}

/// A role needed in practice beyond the vendor's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ExtraRole {
    pub role: &'static str,
    pub source: RoleSource,
    pub reason: &'static str,
}

/// Facts about one role name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RoleInfo {
    pub role: &'static str,
    pub source: RoleSource,
    /// Entra roles: the role template ID to compare with (display names are localised).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_id: Option<&'static str>,
    /// Where the admin assigns it, in plain words.
    pub where_it_lives: &'static str,
}

const EXCHANGE_LIVES: &str = "Exchange management role: it goes into the service account's role group (Exchange admin center > Roles > Admin roles).";
const ENTRA_LIVES: &str = "Microsoft Entra directory role: assigned to the account in the Microsoft Entra admin center (Roles & admins), not through a role group.";

/// Where `role` lives. Every role of the table is an Exchange management role except User
/// Administrator.
pub fn role_info(role: &'static str) -> RoleInfo {
    if role == USER_ADMINISTRATOR {
        RoleInfo {
            role,
            source: RoleSource::Entra,
            template_id: Some(USER_ADMINISTRATOR_TEMPLATE_ID),
            where_it_lives: ENTRA_LIVES,
        }
    } else {
        RoleInfo {
            role,
            source: RoleSource::Exchange,
            template_id: None,
            where_it_lives: EXCHANGE_LIVES,
        }
    }
}

/// One row of the requirements table as shown (the vendor's roles, then what practice adds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleRequirement {
    /// The feature's identifier (`distribution-lists`, …).
    pub feature_id: Feature,
    /// The feature as the vendor names it.
    pub feature: &'static str,
    /// The roles as the vendor lists them.
    pub roles: Vec<&'static str>,
    /// Where each of `roles` lives (`exchange` or `entra`), index by index.
    pub role_source: Vec<RoleSource>,
    /// Where each of `roles` lives, in plain words, index by index.
    pub where_it_lives: Vec<&'static str>,
    /// What Hire2Retire does with the feature.
    pub purpose: &'static str,
    /// Also needed in practice (not on the vendor's pages), each with its reason.
    pub also_needed: Vec<ExtraRole>,
}

/// The features a connection kind offers, in table order.
pub fn features_of(kind: ConnectionKind) -> Vec<Feature> {
    Feature::ALL
        .into_iter()
        .filter(|f| f.available(kind))
        .collect()
}

/// The requirements table of a kind (hybrid: four rows; Azure AD: no Microsoft 365 groups row).
pub fn required_roles(kind: ConnectionKind) -> Vec<RoleRequirement> {
    features_of(kind)
        .into_iter()
        .map(|f| RoleRequirement {
            feature_id: f,
            feature: f.label(),
            roles: f.vendor_roles().to_vec(),
            role_source: f
                .vendor_roles()
                .iter()
                .map(|r| role_info(r).source)
                .collect(),
            where_it_lives: f
                .vendor_roles()
                .iter()
                .map(|r| role_info(r).where_it_lives)
                .collect(),
            purpose: f.purpose(),
            also_needed: f.also_needed().to_vec(),
        })
        .collect()
}

/// Parse `--features a,b,c` for a kind: known names only, each available for the kind, no
/// duplicates kept; `None` or empty means every feature of the kind. Returned in table order.
pub fn parse_features(
    kind: ConnectionKind,
    list: Option<&str>,
) -> Result<Vec<Feature>, ExchangeError> {
    let Some(list) = list.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(features_of(kind));
    };
    let mut out = Vec::new();
    for part in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let f = Feature::parse(part).ok_or_else(|| ExchangeError::input("features",
            format!("\"{}\" is not a feature.", part.chars().take(60).collect::<String>()),
            "Choose among distribution-lists, m365-groups, mail-enabled-security-groups and shared-mailboxes."))?;
        if !f.available(kind) {
            return Err(ExchangeError::input(
                "features",
                format!("{} applies to the hybrid connection only.", f.label()),
                "Leave Microsoft 365 groups out for an Azure AD connection.",
            ));
        }
        if !out.contains(&f) {
            out.push(f);
        }
    }
    out.sort();
    Ok(out)
}

/// Feature choice as typed by the window (identifiers), validated like [`parse_features`].
pub fn check_features(
    kind: ConnectionKind,
    features: &[Feature],
) -> Result<Vec<Feature>, ExchangeError> {
    let joined = features
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(",");
    if features.is_empty() {
        return Err(ExchangeError::input(
            "features",
            "No feature is chosen.",
            "Choose at least one feature Hire2Retire will use in Exchange Online.",
        ));
    }
    parse_features(kind, Some(&joined))
}

/// One role to check for one chosen feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RoleCheckItem {
    pub feature: Feature,
    pub role: &'static str,
    pub source: RoleSource,
    pub required_by: RequiredBy,
    /// Why practice needs it (empty for the vendor's roles).
    pub reason: &'static str,
}

/// Every (feature, role) pair the check looks at: the vendor's roles, then the ones needed in
/// practice, feature by feature.
pub fn checks_for(features: &[Feature]) -> Vec<RoleCheckItem> {
    let mut out = Vec::new();
    for &f in features {
        for r in f.vendor_roles() {
            out.push(RoleCheckItem {
                feature: f,
                role: r,
                source: role_info(r).source,
                required_by: RequiredBy::Vendor,
                reason: "",
            });
        }
        for e in f.also_needed() {
            if !f.vendor_roles().contains(&e.role) {
                out.push(RoleCheckItem {
                    feature: f,
                    role: e.role,
                    source: e.source,
                    required_by: RequiredBy::Practice,
                    reason: e.reason,
                });
            }
        }
    }
    out
}

/// The distinct roles of `source` among the checks, in first-seen order.
pub fn distinct_roles(items: &[RoleCheckItem], source: RoleSource) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for i in items.iter().filter(|i| i.source == source) {
        if !out.contains(&i.role) {
            out.push(i.role);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendor_table_exactly() {
        let hybrid = required_roles(ConnectionKind::HybridOnprem);
        let rows: Vec<(&str, Vec<&str>)> = hybrid
            .iter()
            .map(|r| (r.feature, r.roles.clone()))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("Azure AD distribution lists", vec!["Distribution Groups"]),
                (
                    "Microsoft 365 groups",
                    vec!["User Administrator", "Mail Recipients"]
                ),
                (
                    "Mail-enabled security groups",
                    vec!["Security Group Creation and Membership"]
                ),
                ("Shared mailbox", vec!["User Administrator"]),
            ]
        );
        let azure = required_roles(ConnectionKind::AzureAd);
        let rows: Vec<(&str, Vec<&str>)> =
            azure.iter().map(|r| (r.feature, r.roles.clone())).collect();
        assert_eq!(
            rows,
            vec![
                ("Azure AD distribution lists", vec!["Distribution Groups"]),
                (
                    "Mail-enabled security groups",
                    vec!["Security Group Creation and Membership"]
                ),
                ("Shared mailbox", vec!["User Administrator"]),
            ],
            "the Azure kind keeps User Administrator for shared mailboxes"
        );
    }

    #[test]
    fn where_roles_live() {
        for r in required_roles(ConnectionKind::HybridOnprem) {
            for (role, src) in r.roles.iter().zip(&r.role_source) {
                let want = if *role == "User Administrator" {
                    RoleSource::Entra
                } else {
                    RoleSource::Exchange
                };
                assert_eq!(*src, want, "{role}");
            }
        }
        assert_eq!(
            role_info(USER_ADMINISTRATOR).template_id,
            Some("fe930be7-5e62-47db-91af-98c3a49a38b1")
        );
        let json = serde_json::to_value(required_roles(ConnectionKind::AzureAd)).unwrap();
        assert_eq!(json[2]["role_source"][0], "entra");
        assert_eq!(json[0]["feature_id"], "distribution-lists");
    }

    #[test]
    fn practice_is_kept_apart_from_the_vendor_list() {
        let shared = required_roles(ConnectionKind::AzureAd)
            .into_iter()
            .find(|r| r.feature_id == Feature::SharedMailboxes)
            .unwrap();
        assert_eq!(shared.roles, ["User Administrator"]);
        let extra: Vec<&str> = shared.also_needed.iter().map(|e| e.role).collect();
        assert_eq!(extra, ["Mail Recipient Creation", "Mail Recipients"]);
        assert!(shared.also_needed.iter().all(|e| !e.reason.is_empty()));
        let items = checks_for(&[Feature::SharedMailboxes]);
        assert_eq!(
            items
                .iter()
                .filter(|i| i.required_by == RequiredBy::Vendor)
                .count(),
            1
        );
        assert_eq!(
            items
                .iter()
                .filter(|i| i.required_by == RequiredBy::Practice)
                .count(),
            2
        );
    }

    #[test]
    fn feature_choice() {
        use ConnectionKind::*;
        assert_eq!(parse_features(HybridOnprem, None).unwrap().len(), 4);
        assert_eq!(parse_features(AzureAd, Some("")).unwrap().len(), 3);
        assert_eq!(
            parse_features(
                HybridOnprem,
                Some("shared-mailboxes, distribution-lists,shared-mailboxes")
            )
            .unwrap(),
            [Feature::DistributionLists, Feature::SharedMailboxes]
        );
        assert_eq!(
            parse_features(AzureAd, Some("m365-groups"))
                .unwrap_err()
                .field(),
            Some("features")
        );
        assert!(parse_features(AzureAd, Some("mailboxes")).is_err());
        assert!(check_features(AzureAd, &[]).is_err());
        let items = checks_for(
            &parse_features(HybridOnprem, Some("distribution-lists,m365-groups")).unwrap(),
        );
        assert_eq!(
            distinct_roles(&items, RoleSource::Exchange),
            ["Distribution Groups", "Mail Recipients"]
        );
        assert_eq!(
            distinct_roles(&items, RoleSource::Entra),
            ["User Administrator"]
        );
    }
}
