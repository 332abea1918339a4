//! Exchange Online errors: stable codes, one plain sentence, a hint that reads right in the
//! window (no CLI flag names).

use crate::error::Diagnostic;
use crate::identity::IdentityError;

#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// A field given by the admin is not usable.
    #[error("{message}")]
    Input {
        field: &'static str,
        message: String,
        hint: String,
    },
    /// Signing in failed (every identity failure keeps its own code and hint).
    #[error(transparent)]
    Identity(#[from] IdentityError),
    /// Someone else signed in than the account entered.
    #[error("Signed in as {got}, but the Exchange service account entered is {expected}.")]
    WrongAccount { expected: String, got: String },
    /// The admin API answered an error body.
    #[error("Exchange Online refused {cmdlet} (HTTP {status}{}): {message}", code_suffix(.code))]
    Api {
        cmdlet: String,
        status: u16,
        code: String,
        message: String,
    },
    /// The signed-in account may not run the cmdlet (it is not in any of its roles).
    #[error("The signed-in account may not run {cmdlet} in Exchange Online: {detail}")]
    NotAllowed { cmdlet: String, detail: String },
    /// The token was refused.
    #[error("Exchange Online refused the sign-in token (HTTP {status}): {detail}")]
    Unauthorized { status: u16, detail: String },
    /// Still throttled after the bounded retries.
    #[error("Exchange Online is throttling requests (HTTP 429) and still was after {attempts} attempts.")]
    Throttled { attempts: u32 },
    #[error("Could not reach {host}: {detail}.")]
    Network { host: String, detail: String },
    #[error("{what} answered something unexpected: {detail}.")]
    BadResponse { what: &'static str, detail: String },
    /// Reading the account's directory roles from Microsoft Graph failed.
    #[error("Could not read the directory roles from Microsoft Graph: {0}.")]
    Graph(String),
    /// As administrator: the service account does not exist in the tenant.
    #[error("No account {0} exists in this tenant.")]
    AccountNotFound(String),
}

fn code_suffix(code: &str) -> String {
    if code.is_empty() {
        String::new()
    } else {
        format!(", {code}")
    }
}

impl crate::error::Registered for ExchangeError {
    const AREA: &'static str = "exchange";
    /// Identity failures keep their `identity.*` codes and are registered there.
    fn samples() -> Vec<Self> {
        vec![
            ExchangeError::input(
                "service_account",
                "The service account is not a user principal name.",
                "Type the account as name@domain.",
            ),
            ExchangeError::WrongAccount {
                expected: "h2r-exo@contoso.com".into(),
                got: "admin@contoso.com".into(),
            },
            ExchangeError::Api {
                cmdlet: "Get-RoleGroup".into(),
                status: 400,
                code: "BadRequest".into(),
                message: "The operation could not be performed.".into(),
            },
            ExchangeError::NotAllowed {
                cmdlet: "Get-ManagementRoleAssignment".into(),
                detail: "The term is not recognized.".into(),
            },
            ExchangeError::Unauthorized {
                status: 401,
                detail: "invalid token".into(),
            },
            ExchangeError::Throttled { attempts: 4 },
            ExchangeError::Network {
                host: "outlook.office365.com".into(),
                detail: "connection refused".into(),
            },
            ExchangeError::bad_response("The Exchange admin API", "not JSON"),
            ExchangeError::Graph("HTTP 403".into()),
            ExchangeError::AccountNotFound("h2r-exo@contoso.com".into()),
        ]
    }
}

impl ExchangeError {
    pub fn input(field: &'static str, message: impl Into<String>, hint: impl Into<String>) -> Self {
        ExchangeError::Input {
            field,
            message: message.into(),
            hint: hint.into(),
        }
    }
    pub fn bad_response(what: &'static str, detail: impl Into<String>) -> Self {
        ExchangeError::BadResponse {
            what,
            detail: detail.into(),
        }
    }
    /// The field an input error is about.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            ExchangeError::Input { field, .. } => Some(field),
            ExchangeError::Identity(IdentityError::Input { field, .. }) => Some(field),
            _ => None,
        }
    }
    /// Whether this is bad input (exit code 2 in the CLI).
    pub fn is_usage(&self) -> bool {
        self.field().is_some()
    }
}

impl Diagnostic for ExchangeError {
    fn class(&self) -> crate::error::ErrorClass {
        match self {
            ExchangeError::Input { .. } => crate::error::ErrorClass::Input,
            ExchangeError::Identity(e) => e.class(),
            _ => crate::error::ErrorClass::Failure,
        }
    }
    fn code(&self) -> &'static str {
        match self {
            ExchangeError::Input { .. } => "exchange.invalid_input",
            ExchangeError::Identity(e) => e.code(),
            ExchangeError::WrongAccount { .. } => "exchange.wrong_account",
            ExchangeError::Api { .. } => "exchange.api_error",
            ExchangeError::NotAllowed { .. } => "exchange.not_allowed",
            ExchangeError::Unauthorized { .. } => "exchange.unauthorized",
            ExchangeError::Throttled { .. } => "exchange.throttled",
            ExchangeError::Network { .. } => "exchange.network",
            ExchangeError::BadResponse { .. } => "exchange.bad_response",
            ExchangeError::Graph(_) => "exchange.graph",
            ExchangeError::AccountNotFound(_) => "exchange.account_not_found",
        }
    }

    fn hint(&self) -> String {
        match self {
            ExchangeError::Input { hint, .. } => hint.clone(),
            ExchangeError::Identity(e) => e.hint(),
            ExchangeError::WrongAccount { expected, .. } => format!("Sign in again and choose {expected} in the account picker, or correct the service account."),
            ExchangeError::Api { .. } => "Read Microsoft's message; check the account and the national cloud, then check again.".into(),
            ExchangeError::NotAllowed { .. } => "Sign in as an Exchange administrator who may read role assignments (Organization Management, or a role group with View-Only Configuration or Role Management).".into(),
            ExchangeError::Unauthorized { .. } => "Check that the account has an Exchange Online licence or mailbox and that the national cloud is right, then check again.".into(),
            ExchangeError::Throttled { .. } => "Wait a few minutes, then check again.".into(),
            ExchangeError::Network { .. } => "Check this computer's internet connection, proxy and firewall, and that the right national cloud is chosen.".into(),
            ExchangeError::BadResponse { .. } => "Check the national cloud and any Exchange URL override; try again later.".into(),
            ExchangeError::Graph(_) => "Check the national cloud; the directory role is then shown as unknown.".into(),
            ExchangeError::AccountNotFound(_) => "Check the spelling of the service account, or create it first.".into(),
        }
    }

    fn to_problem(&self) -> crate::Problem {
        match self {
            ExchangeError::Identity(e) => e.to_problem(),
            _ => crate::Problem {
                code: self.code().to_string(),
                message: self.to_string(),
                hint: self.hint(),
                field: None,
                class: self.class(),
            },
        }
    }
}

impl From<ExchangeError> for crate::Problem {
    fn from(e: ExchangeError) -> Self {
        e.to_problem()
    }
}
