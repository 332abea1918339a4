//! Identity errors: stable codes, one plain sentence, a hint. Microsoft's OAuth errors are
//! classified by the OAuth `error` field and refined by the AADSTS number found in
//! `error_description` / `error_codes`
//! (<https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes>).

use crate::error::Diagnostic;

/// An OAuth error answered by the identity platform (authorize redirect or token endpoint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MsError {
    /// The OAuth `error` field, e.g. `invalid_grant`, `consent_required`.
    pub error: String,
    /// The `error_description` (as sent; may be long).
    pub description: String,
    /// The AADSTS number, when one was found.
    pub aadsts: Option<u32>,
}

impl MsError {
    pub fn new(
        error: impl Into<String>,
        description: impl Into<String>,
        error_codes: &[u32],
    ) -> Self {
        let description = description.into();
        let aadsts = error_codes
            .first()
            .copied()
            .or_else(|| parse_aadsts(&description));
        MsError {
            error: error.into(),
            description,
            aadsts,
        }
    }

    /// The entry of the AADSTS table, else the OAuth error's own entry.
    pub(crate) fn advice(&self) -> Advice {
        // Device-flow outcomes say exactly what happened; their AADSTS numbers are generic.
        if matches!(
            self.error.as_str(),
            "authorization_declined" | "expired_token"
        ) {
            return oauth_error_advice(&self.error);
        }
        if let Some(n) = self.aadsts {
            if let Some(a) = aadsts_advice(n) {
                return a;
            }
        }
        oauth_error_advice(&self.error)
    }

    /// Whether this answer means an administrator must consent (or approve a consent request).
    pub fn needs_admin_consent(&self) -> bool {
        matches!(self.aadsts, Some(65001 | 90094 | 90095 | 90099))
            || self.error == "consent_required"
    }
}

/// One row of the AADSTS / OAuth error table: the static code, sentence and hint from which
/// [`IdentityError`]'s `Diagnostic` (and so its [`crate::Problem`]) is made. A table row, not a
/// second error shape: nothing outside this module sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Advice {
    pub code: &'static str,
    pub message: &'static str,
    pub hint: &'static str,
}

/// Find `AADSTS<digits>` in a description such as `AADSTS65001: The user or administrator…`.
pub fn parse_aadsts(description: &str) -> Option<u32> {
    let i = description.find("AADSTS")?;
    let digits: String = description[i + 6..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// The AADSTS codes the sign-in, consent and client-credentials flows can return.
pub(crate) fn aadsts_advice(n: u32) -> Option<Advice> {
    let a = |code, message, hint| {
        Some(Advice {
            code,
            message,
            hint,
        })
    };
    match n {
        50011 => a("identity.reply_url_mismatch",
            "Microsoft refused the sign-in because the app's redirect URI is not registered (AADSTS50011).",
            "Register http://127.0.0.1/callback as a Mobile and desktop redirect URI of the app registration."),
        50076 | 50079 => a("identity.mfa_required",
            "Multi-factor authentication is required for this account (AADSTS50076).",
            "Sign in again and complete the multi-factor prompt in the browser."),
        53003 => a("identity.conditional_access",
            "A Conditional Access policy blocked the sign-in (AADSTS53003).",
            "Ask your Entra administrator for a Conditional Access exception or sign in from a compliant device."),
        65001 => a("identity.consent_required",
            "The application has not been granted the permissions it needs in this tenant (AADSTS65001).",
            "Ask an administrator to grant admin consent (open the admin consent link), or request approval, then sign in again."),
        65004 => a("identity.user_declined",
            "The consent prompt was declined (AADSTS65004).",
            "Sign in again and accept the permissions, or ask an administrator to grant consent."),
        90002 => a("identity.tenant_not_found",
            "Microsoft does not know this tenant (AADSTS90002).",
            "Check the tenant ID or domain, and that the right national cloud is chosen."),
        90094 => a("identity.admin_consent_required",
            "Only an administrator can grant these permissions, and this tenant has no consent request workflow (AADSTS90094).",
            "Ask a Global or Privileged Role Administrator to open the admin consent link, then sign in again."),
        90095 => a("identity.admin_consent_request",
            "An administrator must approve these permissions; the tenant lets you request approval (AADSTS90095).",
            "Choose \"Request approval\" in the browser and type the justification Microsoft asks for; an approver reviews it in the Entra admin center under Enterprise applications > Admin consent requests > Review permissions and consent. Check again once it is approved."),
        90099 => a("identity.partner_not_authorized",
            "The application is not authorized in this tenant by its partner (AADSTS90099).",
            "Ask the partner (delegated administrator) to pre-consent the application for this tenant."),
        700016 => a("identity.app_not_found",
            "The application was not found in this tenant (AADSTS700016).",
            "Check the client ID, the tenant and the national cloud; the app must be registered (or consented) in that tenant."),
        7000218 => a("identity.public_client_disabled",
            "The app registration does not allow public client flows (AADSTS7000218).",
            "In the app registration, Authentication > Advanced settings: set \"Allow public client flows\" to Yes."),
        700025 => a("identity.public_client_secret",
            "A public client sent a secret or assertion (AADSTS700025).",
            "Use a Customer Owned Application for certificate credentials; the Service Provider sign-in sends none."),
        700027 => a("identity.bad_client_assertion",
            "Microsoft rejected the certificate credential's signature (AADSTS700027).",
            "Upload this certificate (.cer or .pem) to the app registration under Certificates & secrets, then check again."),
        700024 => a("identity.bad_client_assertion_time",
            "Microsoft rejected the certificate credential because its time window is wrong (AADSTS700024).",
            "Check this computer's clock and time zone, then check again."),
        501481 => a("identity.pkce_mismatch",
            "Microsoft rejected the sign-in's PKCE code verifier (AADSTS501481).",
            "Sign in again; if it repeats, report it: it is a bug in Hire2Retire Setup."),
        7000215 => a("identity.bad_client_secret",
            "Microsoft rejected the client credential (AADSTS7000215).",
            "Upload the certificate to the app registration, then check again."),
        50126 => a("identity.bad_credentials",
            "The user name or password was wrong (AADSTS50126).",
            "Sign in again with the right account."),
        50020 => a("identity.wrong_account_tenant",
            "This account is not from the chosen tenant (AADSTS50020).",
            "Sign in with an account of the tenant you connect."),
        500113 => a("identity.reply_url_missing",
            "The app registration has no redirect URI (AADSTS500113).",
            "Register http://127.0.0.1/callback as a Mobile and desktop redirect URI of the app registration."),
        70000 => a("identity.invalid_grant",
            "The sign-in code was refused or expired (AADSTS70000).",
            "Sign in again."),
        70008 => a("identity.code_expired",
            "The sign-in code expired before it was used (AADSTS70008).",
            "Sign in again."),
        _ => None,
    }
}

/// The OAuth `error` values, when no AADSTS number refines them.
pub(crate) fn oauth_error_advice(error: &str) -> Advice {
    let a = |code, message, hint| Advice {
        code,
        message,
        hint,
    };
    match error {
        "consent_required" => a("identity.consent_required",
            "The application has not been granted the permissions it needs in this tenant.",
            "Ask an administrator to grant admin consent (open the admin consent link), or request approval, then sign in again."),
        "interaction_required" | "login_required" => a("identity.interaction_required",
            "Microsoft needs you to finish signing in interactively.",
            "Sign in again in the browser and complete every prompt."),
        "access_denied" => a("identity.access_denied",
            "The sign-in was declined or cancelled in the browser.",
            "Sign in again and accept, or ask an administrator to grant consent."),
        "authorization_declined" => a("identity.access_denied",
            "The device sign-in was declined.",
            "Start the device sign-in again and accept."),
        "expired_token" => a("identity.device_code_expired",
            "The device code expired before anyone signed in.",
            "Start the device sign-in again and enter the code sooner."),
        "invalid_client" => a("identity.invalid_client",
            "Microsoft refused the application's identity or credential.",
            "Check the client ID and that the certificate is uploaded to the app registration."),
        "unauthorized_client" => a("identity.unauthorized_client",
            "The application is not allowed to use this sign-in flow.",
            "Check the app registration: for device code, allow public client flows."),
        "invalid_scope" => a("identity.invalid_scope",
            "Microsoft refused the permissions requested.",
            "Check that the national cloud is right: Graph scopes differ between clouds."),
        "temporarily_unavailable" | "server_error" => a("identity.server_unavailable",
            "Microsoft's sign-in service is temporarily unavailable.",
            "Try again in a few minutes."),
        "invalid_request" => a("identity.invalid_request",
            "Microsoft refused the sign-in request as malformed.",
            "Check the tenant, client ID and national cloud; if they are right, report it."),
        _ => a("identity.oauth_error",
            "Microsoft refused the sign-in.",
            "Read the details, check the tenant, client ID and national cloud, then try again."),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    /// A field given by the admin is not usable.
    #[error("{message}")]
    Input {
        field: &'static str,
        message: String,
        hint: String,
    },
    /// Microsoft (or the configured authority) answered with an OAuth error.
    #[error("{}", .0.advice().message)]
    Microsoft(MsError),
    #[error("Could not reach {host}: {detail}.")]
    Network { host: String, detail: String },
    #[error("{what} answered something unexpected: {detail}.")]
    BadResponse { what: &'static str, detail: String },
    #[error("Nobody finished signing in within {0} seconds.")]
    Timeout(u64),
    #[error("Sign-in was cancelled.")]
    Cancelled,
    #[error("The browser brought back a sign-in answer that does not belong to this attempt (state mismatch), so it was refused.")]
    StateMismatch,
    #[error("Could not open a local port for the sign-in answer: {0}.")]
    Listener(String),
    #[error("Signed in to tenant {got}, but tenant {expected} was asked for.")]
    WrongTenant { expected: String, got: String },
    #[error("The token was issued for another application ({got}), not {expected}.")]
    WrongAudience { expected: String, got: String },
    #[error("{0}")]
    Certificate(String),
    #[error("The passphrase does not open this certificate's private key.")]
    WrongPassphrase,
    #[error("Could not read the tenant's organization from Microsoft Graph: {0}.")]
    Graph(String),
    #[error("Could not read the permissions from the token: {0}.")]
    TokenUnreadable(String),
    #[error("{path}: {detail}.")]
    Io { path: String, detail: String },
}

/// The AADSTS numbers [`aadsts_advice`] knows (one sample each for the registry).
const KNOWN_AADSTS: &[u32] = &[
    50011, 50076, 53003, 65001, 65004, 90002, 90094, 90095, 90099, 700016, 7000218, 700025, 700027,
    700024, 501481, 7000215, 50126, 50020, 500113, 70000, 70008,
];
/// The OAuth `error` values [`oauth_error_advice`] knows, and one it does not.
const KNOWN_OAUTH_ERRORS: &[&str] = &[
    "consent_required",
    "interaction_required",
    "access_denied",
    "expired_token",
    "invalid_client",
    "unauthorized_client",
    "invalid_scope",
    "temporarily_unavailable",
    "invalid_request",
    "unexpected_error",
];

impl crate::error::Registered for IdentityError {
    const AREA: &'static str = "identity";
    fn samples() -> Vec<Self> {
        let mut v = vec![
            IdentityError::input(
                "tenant",
                "The tenant ID is not a GUID or a domain name.",
                "Copy the Directory (tenant) ID from the Entra admin center.",
            ),
            IdentityError::Network {
                host: "login.microsoftonline.com".into(),
                detail: "connection refused".into(),
            },
            IdentityError::bad_response("The token endpoint", "not JSON"),
            IdentityError::Timeout(300),
            IdentityError::Cancelled,
            IdentityError::StateMismatch,
            IdentityError::Listener("address in use".into()),
            IdentityError::WrongTenant {
                expected: "contoso.onmicrosoft.com".into(),
                got: "fabrikam.onmicrosoft.com".into(),
            },
            IdentityError::WrongAudience {
                expected: "00000003-0000-0000-c000-000000000000".into(),
                got: "other".into(),
            },
            IdentityError::Certificate("The certificate file is not a PEM certificate.".into()),
            IdentityError::WrongPassphrase,
            IdentityError::Graph("HTTP 403".into()),
            IdentityError::TokenUnreadable("not a JWT".into()),
            IdentityError::Io {
                path: "h2r.key.pem".into(),
                detail: "permission denied".into(),
            },
        ];
        for n in KNOWN_AADSTS {
            v.push(IdentityError::Microsoft(MsError::new(
                "invalid_request",
                format!("AADSTS{n}: Microsoft's description."),
                &[*n],
            )));
        }
        for e in KNOWN_OAUTH_ERRORS {
            v.push(IdentityError::Microsoft(MsError::new(
                *e,
                "Microsoft's description.",
                &[],
            )));
        }
        v
    }
}

impl IdentityError {
    pub fn input(field: &'static str, message: impl Into<String>, hint: impl Into<String>) -> Self {
        IdentityError::Input {
            field,
            message: message.into(),
            hint: hint.into(),
        }
    }
    pub fn bad_response(what: &'static str, detail: impl Into<String>) -> Self {
        IdentityError::BadResponse {
            what,
            detail: detail.into(),
        }
    }
    /// The Microsoft error, when this is one.
    pub fn ms(&self) -> Option<&MsError> {
        match self {
            IdentityError::Microsoft(e) => Some(e),
            _ => None,
        }
    }
}

impl Diagnostic for IdentityError {
    fn class(&self) -> crate::error::ErrorClass {
        match self {
            IdentityError::Input { .. } => crate::error::ErrorClass::Input,
            _ => crate::error::ErrorClass::Failure,
        }
    }
    fn code(&self) -> &'static str {
        match self {
            IdentityError::Input { .. } => "identity.invalid_input",
            IdentityError::Microsoft(e) => e.advice().code,
            IdentityError::Network { .. } => "identity.network",
            IdentityError::BadResponse { .. } => "identity.bad_response",
            IdentityError::Timeout(_) => "identity.timeout",
            IdentityError::Cancelled => "identity.cancelled",
            IdentityError::StateMismatch => "identity.state_mismatch",
            IdentityError::Listener(_) => "identity.listener",
            IdentityError::WrongTenant { .. } => "identity.wrong_tenant",
            IdentityError::WrongAudience { .. } => "identity.wrong_audience",
            IdentityError::Certificate(_) => "identity.certificate",
            IdentityError::WrongPassphrase => "identity.wrong_passphrase",
            IdentityError::Graph(_) => "identity.graph",
            IdentityError::TokenUnreadable(_) => "identity.token_unreadable",
            IdentityError::Io { .. } => "identity.io",
        }
    }

    fn hint(&self) -> String {
        match self {
            IdentityError::Input { hint, .. } => hint.clone(),
            IdentityError::Microsoft(e) => e.advice().hint.to_string(),
            IdentityError::Network { .. } => "Check this computer's internet connection, proxy and firewall, and that the right national cloud is chosen.".into(),
            IdentityError::BadResponse { .. } => "Check the national cloud and any authority or Graph URL override; try again later.".into(),
            IdentityError::Timeout(_) => "Sign in again and finish in the browser before the time runs out.".into(),
            IdentityError::Cancelled => "Sign in again when ready.".into(),
            IdentityError::StateMismatch => "Close old sign-in tabs and sign in again from the wizard.".into(),
            IdentityError::Listener(_) => "Check that local firewall software allows Hire2Retire Setup to listen on 127.0.0.1, or use the device code sign-in.".into(),
            IdentityError::WrongTenant { .. } => "Sign in with an account of the tenant you are connecting, or correct the tenant.".into(),
            IdentityError::WrongAudience { .. } => "Check the client ID.".into(),
            IdentityError::Certificate(_) => "Generate a new certificate credential, or choose the file that Hire2Retire Setup saved.".into(),
            IdentityError::WrongPassphrase => "Type the passphrase chosen when the certificate was generated.".into(),
            IdentityError::Graph(_) => "Check that the permissions were granted, and the national cloud; then check again.".into(),
            IdentityError::TokenUnreadable(_) => "Check the national cloud and any override URLs; report it if it repeats.".into(),
            IdentityError::Io { .. } => "Choose a folder you can write to.".into(),
        }
    }

    fn to_problem(&self) -> crate::Problem {
        let mut message = self.to_string();
        if let IdentityError::Microsoft(e) = self {
            // Keep Microsoft's own first sentence for support: it carries trace and correlation ids.
            let first = e.description.lines().next().unwrap_or("").trim();
            if !first.is_empty() && !message.contains(first) {
                message = format!("{message} Microsoft said: {}", truncate(first, 300));
            }
        }
        crate::Problem {
            code: self.code().to_string(),
            message,
            hint: self.hint(),
            field: None,
            class: self.class(),
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aadsts_is_found_in_descriptions() {
        assert_eq!(
            parse_aadsts("AADSTS65001: The user or administrator has not consented"),
            Some(65001)
        );
        assert_eq!(parse_aadsts("x AADSTS7000218: body"), Some(7000218));
        assert_eq!(parse_aadsts("no code"), None);
    }

    #[test]
    fn every_listed_code_has_plain_advice() {
        for n in [
            50011, 50076, 50079, 53003, 65001, 65004, 90002, 90094, 90095, 90099, 700016, 7000218,
            700025, 700027, 501481,
        ] {
            let a = aadsts_advice(n).unwrap();
            assert!(a.code.starts_with("identity."));
            assert!(a.message.ends_with('.') || a.message.ends_with(')'), "{n}");
            assert!(!a.hint.is_empty());
        }
    }

    #[test]
    fn aadsts_refines_the_oauth_error() {
        let e = MsError::new("invalid_grant", "AADSTS65001: consent", &[]);
        assert_eq!(e.advice().code, "identity.consent_required");
        assert!(e.needs_admin_consent());
        let e = MsError::new("invalid_grant", "something", &[90095]);
        assert_eq!(e.advice().code, "identity.admin_consent_request");
        let e = MsError::new("consent_required", "", &[]);
        assert!(e.needs_admin_consent());
    }
}
