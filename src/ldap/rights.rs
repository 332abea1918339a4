//! The rights stage: what the service account may create and write under the Base DN, read
//! from AD's constructed attributes, and the warnings for what it may not.

use super::errors::LdapError;
use super::{diagnose, Rights, Tri, MAX_VALUE_CHARS, PROVISIONING_ATTRIBUTES};
use ldap3::{Ldap, Scope, SearchEntry};

/// Read the account's effective rights on `base_dn`: the child classes it may create there
/// (`allowedChildClassesEffective`) and the attributes it may write on one existing user
/// (`allowedAttributesEffective`).
pub(super) async fn read(ldap: &mut Ldap, base_dn: &str) -> Result<Rights, ldap3::LdapError> {
    let sr = ldap
        .search(
            base_dn,
            Scope::Base,
            "(objectClass=*)",
            vec!["allowedChildClassesEffective"],
        )
        .await?;
    let classes: Vec<String> =
        sr.0.into_iter()
            .next()
            .map(SearchEntry::construct)
            .and_then(|e| {
                e.attrs
                    .into_iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("allowedChildClassesEffective"))
                    .map(|(_, v)| v)
            })
            .unwrap_or_default();
    let has = |c: &str| {
        if classes.iter().any(|x| x.eq_ignore_ascii_case(c)) {
            Tri::Yes
        } else {
            Tri::No
        }
    };
    let (create_user, create_group, create_ou) =
        (has("user"), has("group"), has("organizationalUnit"));

    ldap.with_search_options(ldap3::SearchOptions::new().sizelimit(1));
    let sr = ldap
        .search(
            base_dn,
            Scope::Subtree,
            "(&(objectCategory=person)(objectClass=user))",
            vec!["allowedAttributesEffective"],
        )
        .await?;
    let sample = sr.0.into_iter().next().map(SearchEntry::construct);
    let (write, sample_user, missing) = match sample {
        None => (Tri::Unknown, None, vec![]),
        Some(e) => {
            let allowed: Vec<String> = e
                .attrs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("allowedAttributesEffective"))
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            let missing: Vec<String> = PROVISIONING_ATTRIBUTES
                .iter()
                .filter(|a| !allowed.iter().any(|x| x.eq_ignore_ascii_case(a)))
                .map(|s| s.to_string())
                .collect();
            (
                if missing.is_empty() {
                    Tri::Yes
                } else {
                    Tri::No
                },
                Some(diagnose::clip(&e.dn, MAX_VALUE_CHARS)),
                missing,
            )
        }
    };
    Ok(Rights {
        create_user,
        create_group,
        create_organizational_unit: create_ou,
        write_user_attributes: write,
        sample_user,
        missing_attributes: missing,
        reset_password: Tri::Unknown,
    })
}

/// The warnings for rights the account lacks (or that cannot be told).
pub(super) fn warnings(rights: &Rights, account: &str, base_dn: &str) -> Vec<LdapError> {
    let mut out = Vec::new();
    if rights.create_user == Tri::No {
        out.push(LdapError::CannotCreateUsers {
            account: account.to_string(),
            base_dn: base_dn.to_string(),
        });
    }
    if rights.create_group == Tri::No {
        out.push(LdapError::CannotCreateGroups {
            account: account.to_string(),
            base_dn: base_dn.to_string(),
        });
    }
    match rights.write_user_attributes {
        Tri::No => out.push(LdapError::MissingAttributes {
            account: account.to_string(),
            attributes: rights.missing_attributes.join(", "),
            base_dn: base_dn.to_string(),
        }),
        Tri::Unknown => out.push(LdapError::NoSampleUser {
            base_dn: base_dn.to_string(),
        }),
        Tri::Yes => {}
    }
    out
}
