//! The role-group PowerShell the admin copies (shown, never run by us), and the one-line fixes
//! of a check. Every value from input is a PowerShell verbatim string (`'…'`), where the only
//! special characters are the five single-quote characters, doubled here; no input ever goes
//! into a comment or outside quotes, so no input can break out of its string.

use super::roles::{
    checks_for, distinct_roles, Feature, RequiredBy, RoleSource, USER_ADMINISTRATOR,
};
use crate::identity::cloud::cloud_endpoints;
use crate::profile::{Cloud, ConnectionKind};

/// Name of the role group the script creates.
pub const DEFAULT_ROLE_GROUP: &str = "Hire2Retire";
/// Shown in the script when no account is entered yet.
const PLACEHOLDER_ACCOUNT: &str = "svc-h2r@example.com";

/// The single-quote characters of PowerShell (`'`, U+2018, U+2019, U+201A, U+201B): inside a
/// verbatim string each one must be doubled.
const PS_SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];

/// `value` as a PowerShell verbatim string.
pub fn ps_quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        out.push(c);
        if PS_SINGLE_QUOTES.contains(&c) {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

fn ps_list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| ps_quote(v))
        .collect::<Vec<_>>()
        .join(",")
}

/// `Connect-ExchangeOnline` for the cloud.
pub fn connect_line(cloud: Cloud) -> String {
    format!(
        "Connect-ExchangeOnline -ExchangeEnvironmentName {}",
        ps_quote(cloud_endpoints(cloud).exchange_environment)
    )
}

/// `New-RoleGroup` holding `roles`, with `account` as member.
pub fn new_role_group_line(group: &str, roles: &[&str], account: &str) -> String {
    format!(
        "New-RoleGroup -Name {} -Roles {} -Members {}",
        ps_quote(group),
        ps_list(roles),
        ps_quote(account)
    )
}

/// Put `account` into an existing role group.
pub fn add_member_line(group: &str, account: &str) -> String {
    format!(
        "Add-RoleGroupMember -Identity {} -Member {}",
        ps_quote(group),
        ps_quote(account)
    )
}

/// Give an existing role group one more management role. (`Add-ManagementRoleEntry` adds a
/// cmdlet to a custom role; a built-in role is added to a role group with a role assignment.)
pub fn add_role_line(group: &str, role: &str) -> String {
    format!(
        "New-ManagementRoleAssignment -SecurityGroup {} -Role {}",
        ps_quote(group),
        ps_quote(role)
    )
}

/// Where the admin assigns the Entra role User Administrator.
pub fn entra_fix(account: &str) -> String {
    format!("In the Microsoft Entra admin center, open Roles & admins > {USER_ADMINISTRATOR} > Add assignments, and assign it to {account}.")
}

/// The whole script for the chosen features: connect to the cloud, create the role group with
/// the Exchange roles (the vendor's and those needed in practice), and say where the Entra
/// role is assigned.
pub fn role_group_script(cloud: Cloud, features: &[Feature], account: &str, group: &str) -> String {
    let account = if account.trim().is_empty() {
        PLACEHOLDER_ACCOUNT
    } else {
        account
    };
    let items = checks_for(features);
    let exchange = distinct_roles(&items, RoleSource::Exchange);
    let practice: Vec<&str> = distinct_roles(
        &items
            .iter()
            .filter(|i| i.required_by == RequiredBy::Practice)
            .copied()
            .collect::<Vec<_>>(),
        RoleSource::Exchange,
    )
    .into_iter()
    .filter(|r| {
        !items
            .iter()
            .any(|i| i.role == *r && i.required_by == RequiredBy::Vendor)
    })
    .collect();
    let mut lines = vec![
        "# Hire2Retire: role group for the Exchange Online service account.".to_string(),
        "# Run in PowerShell with the ExchangeOnlineManagement module, as an Exchange administrator.".to_string(),
        connect_line(cloud),
    ];
    if exchange.is_empty() {
        lines.push("# The chosen features need no Exchange management role.".into());
    } else {
        if !practice.is_empty() {
            lines.push(format!(
                "# {}: not on the vendor's list, but needed in practice (see the table).",
                practice.join(", ")
            ));
        }
        lines.push(new_role_group_line(group, &exchange, account));
    }
    if !distinct_roles(&items, RoleSource::Entra).is_empty() {
        lines.push(format!("# {USER_ADMINISTRATOR} is a Microsoft Entra directory role, not an Exchange role: assign it to the"));
        lines.push("# service account in the Microsoft Entra admin center > Roles & admins > User Administrator > Add assignments.".into());
    }
    lines.join("\n") + "\n"
}

/// The script for every feature of a kind, global cloud (the table command of the window).
pub fn role_group_command(kind: ConnectionKind, service_account: &str) -> String {
    let features: Vec<Feature> = Feature::ALL
        .into_iter()
        .filter(|f| f.available(kind))
        .collect();
    role_group_script(
        Cloud::Global,
        &features,
        service_account,
        DEFAULT_ROLE_GROUP,
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small reader of the PowerShell subset the script uses (language specification §2.3:
    /// comments, verbatim strings with doubled quote characters, bare words, `,`), so tests can
    /// prove that every statement has exactly the arguments intended.
    pub(crate) fn parse_statements(script: &str) -> Result<Vec<Vec<String>>, String> {
        let mut out = Vec::new();
        let mut cur: Vec<String> = Vec::new();
        let mut chars = script.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\n' => {
                    if !cur.is_empty() {
                        out.push(std::mem::take(&mut cur));
                    }
                }
                ' ' | '\t' | '\r' => {}
                ',' => cur.push(",".into()),
                '#' => {
                    while let Some(&n) = chars.peek() {
                        if n == '\n' {
                            break;
                        }
                        chars.next();
                    }
                }
                q if PS_SINGLE_QUOTES.contains(&q) => {
                    let mut s = String::new();
                    loop {
                        match chars.next() {
                            None => return Err("unterminated string".into()),
                            Some(c) if PS_SINGLE_QUOTES.contains(&c) => {
                                if chars.peek().is_some_and(|n| PS_SINGLE_QUOTES.contains(n)) {
                                    s.push(chars.next().unwrap());
                                } else {
                                    break;
                                }
                            }
                            Some(c) => s.push(c),
                        }
                    }
                    cur.push(format!("str:{s}"));
                }
                c if c.is_ascii_alphanumeric() || c == '-' => {
                    let mut w = c.to_string();
                    while let Some(&n) = chars.peek() {
                        if n.is_ascii_alphanumeric() || n == '-' {
                            w.push(n);
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    cur.push(w);
                }
                other => return Err(format!("unexpected {other:?} outside a string")),
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        Ok(out)
    }

    fn s(v: &str) -> String {
        format!("str:{v}")
    }

    #[test]
    fn no_input_breaks_out_of_its_string() {
        let hostile = [
            "svc@contoso.com",
            "o'brien@contoso.com",
            "a''b@contoso.com",
            "x'; Remove-Mailbox -Identity * ; '@contoso.com",
            "\u{2019}; Stop-Computer; \u{2018}@contoso.com",
            "\u{201A}\u{201B}'@x.com",
            "$(Stop-Computer)@contoso.com",
            "${env:USERNAME}$x@contoso.com",
            "`$backtick`n@contoso.com",
            "line1\nRemove-RoleGroup -Identity 'Organization Management'\n#@contoso.com",
            "cr\r\nStop-Computer@x.com",
            "\"double\" quotes \u{201C}smart\u{201D}@x.com",
            "# not a comment@x.com",
            "trailing quote'",
        ];
        for account in hostile {
            for group in ["Hire2Retire", account] {
                let script = role_group_script(Cloud::Global, &Feature::ALL, account, group);
                let st = parse_statements(&script)
                    .unwrap_or_else(|e| panic!("{account:?}: {e}\n{script}"));
                assert_eq!(st.len(), 2, "{account:?}: exactly two statements\n{script}");
                assert_eq!(
                    st[0],
                    [
                        "Connect-ExchangeOnline".to_string(),
                        "-ExchangeEnvironmentName".into(),
                        s("O365Default")
                    ]
                );
                assert_eq!(
                    st[1],
                    [
                        "New-RoleGroup".to_string(),
                        "-Name".into(),
                        s(group),
                        "-Roles".into(),
                        s("Distribution Groups"),
                        ",".into(),
                        s("Mail Recipients"),
                        ",".into(),
                        s("Security Group Creation and Membership"),
                        ",".into(),
                        s("Mail Recipient Creation"),
                        "-Members".into(),
                        s(account)
                    ],
                    "{account:?}"
                );
                for line in [
                    add_member_line(group, account),
                    add_role_line(group, account),
                ] {
                    let st = parse_statements(&line).unwrap();
                    assert_eq!(st.len(), 1, "{line}");
                    assert!(
                        st[0].contains(&s(account)) && st[0].contains(&s(group)),
                        "{line}"
                    );
                }
            }
        }
    }

    #[test]
    fn per_cloud_environment_and_choice() {
        for (cloud, env) in [
            (Cloud::Global, "O365Default"),
            (Cloud::UsgovHigh, "O365USGovGCCHigh"),
            (Cloud::UsgovDod, "O365USGovDoD"),
            (Cloud::China, "O365China"),
        ] {
            let script = role_group_script(
                cloud,
                &[Feature::DistributionLists],
                "svc@contoso.com",
                DEFAULT_ROLE_GROUP,
            );
            assert!(
                script.contains(&format!(
                    "Connect-ExchangeOnline -ExchangeEnvironmentName '{env}'\n"
                )),
                "{script}"
            );
            assert!(script.contains("New-RoleGroup -Name 'Hire2Retire' -Roles 'Distribution Groups' -Members 'svc@contoso.com'"), "{script}");
            assert!(!script.contains("User Administrator"));
        }
        let script = role_group_script(
            Cloud::Global,
            &[Feature::SharedMailboxes],
            "svc@contoso.com",
            DEFAULT_ROLE_GROUP,
        );
        assert!(
            script.contains("-Roles 'Mail Recipient Creation','Mail Recipients'"),
            "{script}"
        );
        assert!(script.contains("needed in practice"));
        assert!(script.contains("User Administrator is a Microsoft Entra directory role"));
        let st = parse_statements(&script).unwrap();
        assert!(
            st.iter()
                .all(|s| !s.iter().any(|t| t.contains("User Administrator"))),
            "the Entra role is never put in the role group"
        );
        assert!(role_group_command(ConnectionKind::AzureAd, "").contains("'svc-h2r@example.com'"));
    }
}
