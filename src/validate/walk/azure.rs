//! The walk of an Azure AD draft: name, application (kind, cloud, client and tenant IDs,
//! certificate facts) and Exchange Online.

use super::*;

fn no_application_kind(c: &mut Collector) {
    c.err("application.kind", issue(Code::ApplicationKind, "Choose the kind of application.",
        "Service Provider Application (sign in, Hire2Retire's app) or Customer Owned Application (your own app registration)."));
}

pub(super) fn validate_azure(d: &DraftFields, c: &mut Collector) -> AzureParts {
    top_level_fields(d, &["kind", "name", "application", "exchange_online"], c);
    let name = validate_name_field(d.name.as_ref(), "name", c);
    let application = match &d.application {
        Some(Loose::Typed(app)) => validate_application(app, c),
        _ => {
            no_application_kind(c);
            None
        }
    };
    let exchange_online = validate_exchange(d.exchange_online.as_ref(), c);
    AzureParts {
        name,
        application,
        exchange_online,
    }
}

fn validate_application(app: &ApplicationDraft, c: &mut Collector) -> Option<Application> {
    unknown_fields(
        &app.unknown,
        "application",
        &["kind", "cloud", "client_id", "tenant_id", "certificate"],
        c,
    );
    let kind = match app.kind.as_ref().and_then(Loose::typed).map(String::as_str) {
        Some("service-provider") => Some(ApplicationKind::ServiceProvider),
        Some("customer-owned") => Some(ApplicationKind::CustomerOwned),
        _ => {
            no_application_kind(c);
            None
        }
    };
    let cloud = match &app.cloud {
        None => Some(Cloud::default()),
        Some(v) => {
            let known = v
                .typed()
                .and_then(|s| Cloud::ALL.into_iter().find(|c| c.as_str() == s));
            if known.is_none() {
                c.err("application.cloud", issue(Code::ApplicationCloud, "This is not a Microsoft cloud the wizard knows.",
                    "Choose global, usgov-high (GCC High), usgov-dod (DoD) or china (21Vianet)."));
            }
            known
        }
    };
    let required = kind == Some(ApplicationKind::CustomerOwned);
    let client_id = guid_field(
        app.client_id.as_ref(),
        "client_id",
        "application.client_id",
        required,
        check_client_id,
        c,
    );
    let tenant_id = guid_field(
        app.tenant_id.as_ref(),
        "tenant_id",
        "application.tenant_id",
        required,
        check_tenant_id,
        c,
    );
    let certificate: Option<Option<CertificateInfo>> =
        saved_part(app.certificate.as_ref(), "application.certificate", c);
    Some(Application {
        kind: kind?,
        cloud: cloud?,
        client_id: client_id?,
        tenant_id: tenant_id?,
        certificate: certificate?,
    })
}

/// An identifier that is required for one application kind and optional (empty is absent)
/// for the other.
fn guid_field(
    v: Option<&Loose<String>>,
    key: &str,
    field: &str,
    required: bool,
    check: fn(&str) -> Result<String, ValidationError>,
    c: &mut Collector,
) -> Option<Option<String>> {
    match text_field(v, key, field, required, c) {
        Some(id) if id.is_empty() && !required => Some(None),
        Some(id) => check(&id).map(Some).map_err(|e| c.err(field, e)).ok(),
        // Absent (and optional) is fine; anything else was reported.
        None if v.is_none() && !required => Some(None),
        None => None,
    }
}
