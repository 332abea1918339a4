//! Every failure and warning of the LDAPS check as one typed enum: a stable code, one plain
//! sentence (its `Display`) and a hint that reads right in the window and in the CLI.
//!
//! Branching code matches on variants, never on code strings. A host's failure and the check's
//! warnings still cross IPC and reach reports as [`crate::error::Problem`]s
//! ([`Diagnostic::to_problem`]).

use super::Stage;
use crate::error::Diagnostic;

/// Why a host name did not resolve.
#[derive(Debug, Clone, PartialEq)]
pub enum DnsFailure {
    /// Nothing was typed (or only brackets).
    EmptyHost,
    /// The resolver answered with an error.
    Unresolved { host: String, detail: String },
    /// The name exists but has no address.
    NoAddress { host: String },
}

/// Why no TCP connection was made.
#[derive(Debug, Clone, PartialEq)]
pub enum ConnectFailure {
    /// No address answered (other than with a refusal).
    Unreachable {
        host: String,
        port: u16,
        detail: String,
    },
    /// The connected socket could not be handed to the TLS layer.
    Socket { detail: String },
}

/// What is wrong with a CA file (all `ldap.tls.ca_file_invalid`).
#[derive(Debug, Clone, PartialEq)]
pub enum CaFileProblem {
    TooLarge { max_kib: u64 },
    NoCertificate,
    NotUsableAsCa { detail: String },
}

/// Why a chain was refused (all `ldap.tls.chain_invalid`).
#[derive(Debug, Clone, PartialEq)]
pub enum ChainProblem {
    /// The leaf was issued by a certificate that is not a CA.
    IssuerNotCa { fingerprint: String },
    /// A key of the chain is explicitly distrusted.
    Distrusted,
}

/// Every `ldap.*` code the LDAPS check produces. Messages are the `Display` text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LdapError {
    // --- the whole check ------------------------------------------------------------------
    #[error("Domain controller {dc} passes through {passing}, but its alternative address {host}:{port} failed: {reason}")]
    AlternativeHostFailed {
        /// 1-based, as shown.
        dc: usize,
        passing: String,
        host: String,
        port: u16,
        reason: String,
        /// The failed host's own hint.
        hint: String,
    },
    #[error("Domain controller {dc} has no host to check.")]
    NoHosts { dc: usize },
    #[error("Domain controller {dc} is checked on port 3269, the Global Catalog: a read-only partial replica of every domain.")]
    GlobalCatalog { dc: usize },
    #[error("The check of {host}:{port} stopped on an internal error{}; the domain controller's answer could not be handled.", if *.panicked { "" } else { " (it was stopped)" })]
    Internal {
        host: String,
        port: u16,
        panicked: bool,
    },
    #[error("The check was cancelled.")]
    Cancelled,
    #[error("{host}:{port} did not answer within {secs:.1} s ({}).", timeout_during(*.stage))]
    Timeout {
        stage: Stage,
        host: String,
        port: u16,
        secs: f64,
    },

    // --- resolve, connect ----------------------------------------------------------------
    #[error("{}", dns_message(.0))]
    Dns(DnsFailure),
    #[error("{host}:{port} refused the connection ({address}).")]
    Refused {
        host: String,
        port: u16,
        address: String,
    },
    #[error("{}", connect_message(.0))]
    ConnectFailed(ConnectFailure),
    #[error("The connection to {host} failed during {during} ({detail}).")]
    ConnectionLost {
        host: String,
        during: &'static str,
        detail: String,
    },

    // --- TLS trust settings ----------------------------------------------------------------
    #[error("INSECURE: certificate verification is turned off; anyone on the network path could read the service account's password.")]
    Insecure,
    #[error("The pinned fingerprint '{input}' is not a SHA-256 fingerprint.")]
    PinInvalid { input: String },
    #[error("The CA file {path} cannot be read ({detail}).")]
    CaFileUnreadable { path: String, detail: String },
    #[error("{}", ca_file_message(.path, .problem))]
    CaFileInvalid {
        path: String,
        problem: CaFileProblem,
    },
    #[error("No trusted certificate authority is available ({detail}).")]
    NoRoots { detail: String },
    #[error("The pinned certificate of {host} expired on {not_after}.")]
    PinnedExpired { host: String, not_after: String },

    // --- TLS handshake ----------------------------------------------------------------------
    #[error("{host}'s certificate was issued by '{}', which this computer does not trust.", .issuer.as_deref().unwrap_or("an unknown authority"))]
    UnknownIssuer {
        host: String,
        issuer: Option<String>,
        fingerprint: String,
    },
    #[error("{host}'s certificate is not valid for the name '{host}'; it names {}.", if .names.is_empty() { "no host".to_string() } else { .names.join(", ") })]
    NameMismatch { host: String, names: Vec<String> },
    #[error("{host}'s certificate expired on {}.", .not_after.as_deref().unwrap_or("an earlier date"))]
    Expired {
        host: String,
        not_after: Option<String>,
    },
    #[error("{host}'s certificate is not valid before {}.", .not_before.as_deref().unwrap_or("a later date"))]
    NotYetValid {
        host: String,
        not_before: Option<String>,
    },
    #[error(
        "{host}'s certificate chain is signed with {algorithm}, which is refused as insecure."
    )]
    Sha1Signature { host: String, algorithm: String },
    #[error("{host}'s certificate is not issued for server authentication.")]
    WrongPurpose { host: String },
    #[error("{host} presented a certificate with fingerprint {presented}, not the pinned one.")]
    PinMismatch { host: String, presented: String },
    #[error("{host}'s certificate is marked as a certificate authority, so it is refused as the server's own certificate.")]
    CaAsServerCertificate { host: String, fingerprint: String },
    #[error("{}", chain_message(.host, .problem))]
    ChainInvalid { host: String, problem: ChainProblem },
    #[error("{}", bad_certificate_message(.host, *.reason))]
    BadCertificate {
        host: String,
        /// The check that failed, in words; `None` when it is not known.
        reason: Option<&'static str>,
        fingerprint: String,
    },
    #[error("{host}'s certificate has been revoked by its certificate authority.")]
    Revoked { host: String },
    #[error("{host}:{port} speaks only TLS 1.1 or older, which is refused as insecure.")]
    OldProtocol { host: String, port: u16 },
    #[error("{host}:{port} and this computer share no TLS version or cipher suite.")]
    NoCommonCipher { host: String, port: u16 },
    #[error("{host}:{port} ended the TLS handshake with the alert '{alert}'.")]
    Alert {
        host: String,
        port: u16,
        alert: String,
    },
    #[error("{host}:{port} speaks plain LDAP, not LDAPS.")]
    PlainLdap { host: String, port: u16 },
    #[error("{host}:{port} closed the connection during the TLS handshake ({detail}).")]
    NotTls {
        host: String,
        port: u16,
        detail: String,
    },
    #[error("The TLS handshake with {host}:{port} failed ({detail}).")]
    TlsFailed {
        host: String,
        port: u16,
        detail: String,
    },

    // --- bind --------------------------------------------------------------------------------
    #[error("No service account was given.")]
    NoAccount,
    #[error("The password is empty, so nothing was sent: Active Directory treats an empty password as an anonymous bind that 'succeeds' without checking anything.")]
    EmptyPassword,
    #[error("The service account '{account}' does not exist in this domain.")]
    UserNotFound { account: String },
    #[error("{}", invalid_credentials_message(.account, .detail.as_deref()))]
    InvalidCredentials {
        account: String,
        /// The DC's text when it gave no known sub-code.
        detail: Option<String>,
    },
    #[error("'{account}' is not permitted to log on at this time.")]
    LogonHours { account: String },
    #[error("'{account}' is not permitted to log on from this computer.")]
    Workstation { account: String },
    #[error("The password of '{account}' has expired.")]
    PasswordExpired { account: String },
    #[error("The service account '{account}' is disabled.")]
    AccountDisabled { account: String },
    #[error("The service account '{account}' has expired.")]
    AccountExpired { account: String },
    #[error("'{account}' must change its password before it can log on.")]
    MustChangePassword { account: String },
    #[error("The service account '{account}' is locked out.")]
    AccountLocked { account: String },
    #[error("The domain controller refused a simple bind ({detail}).")]
    StrongerAuthRequired { detail: String },
    #[error("The bind failed with LDAP result {rc} ({detail}).")]
    BindFailed { rc: u32, detail: String },

    // --- rootDSE, Base DN ----------------------------------------------------------------------
    #[error("{host} returned no rootDSE ({detail}).")]
    RootDseUnreadable { host: String, detail: String },
    #[error("{host}'s clock differs from this computer's by {skew} s.")]
    ClockSkew { host: String, skew: i64 },
    #[error("No Base DN was given.")]
    BaseDnEmpty {
        /// The domain's `defaultNamingContext`, when read.
        suggested: Option<String>,
    },
    #[error("The Base DN '{base_dn}' does not exist on {host} ({why}).")]
    BaseDnNotFound {
        base_dn: String,
        host: String,
        why: &'static str,
        suggested: Option<String>,
    },
    #[error("'{base_dn}' is not a valid distinguished name.")]
    BaseDnInvalid {
        base_dn: String,
        suggested: Option<String>,
    },
    #[error("Looking up '{base_dn}' failed with LDAP result {rc} ({detail}).")]
    BaseDnFailed {
        base_dn: String,
        rc: u32,
        detail: String,
    },

    // --- rights ---------------------------------------------------------------------------------
    #[error("{account} may not create user objects in {base_dn}.")]
    CannotCreateUsers { account: String, base_dn: String },
    #[error("{account} may not create group objects in {base_dn}.")]
    CannotCreateGroups { account: String, base_dn: String },
    #[error("{account} may not write {attributes} on users in {base_dn}.")]
    MissingAttributes {
        account: String,
        /// Comma-separated attribute names.
        attributes: String,
        base_dn: String,
    },
    #[error("No user exists under {base_dn} to read attribute rights on, so they are unknown.")]
    NoSampleUser { base_dn: String },
}

fn timeout_during(stage: Stage) -> &'static str {
    match stage {
        Stage::Resolve => "resolving its name",
        Stage::Connect => "connecting",
        Stage::Tls => "the TLS handshake",
        Stage::Bind => "the bind",
        Stage::RootDse => "reading the rootDSE",
        Stage::BaseDn => "looking up the Base DN",
        Stage::Rights => "reading effective rights",
        Stage::Done => "finishing",
    }
}

fn dns_message(f: &DnsFailure) -> String {
    match f {
        DnsFailure::EmptyHost => "The host name is empty.".into(),
        DnsFailure::Unresolved { host, detail } => {
            format!("The name '{host}' could not be resolved ({detail}).")
        }
        DnsFailure::NoAddress { host } => format!("The name '{host}' has no address."),
    }
}

fn connect_message(f: &ConnectFailure) -> String {
    match f {
        ConnectFailure::Unreachable { host, port, detail } => {
            format!("{host}:{port} cannot be reached ({detail}).")
        }
        ConnectFailure::Socket { detail } => format!("Socket error: {detail}."),
    }
}

fn ca_file_message(path: &str, p: &CaFileProblem) -> String {
    match p {
        CaFileProblem::TooLarge { max_kib } => format!(
            "The CA file {path} is larger than {max_kib} KiB, far larger than any certificate bundle."
        ),
        CaFileProblem::NoCertificate => format!("The CA file {path} holds no PEM certificate."),
        CaFileProblem::NotUsableAsCa { detail } => {
            format!("A certificate in {path} is not usable as a CA ({detail}).")
        }
    }
}

fn chain_message(host: &str, p: &ChainProblem) -> String {
    match p {
        ChainProblem::IssuerNotCa { .. } => format!(
            "{host}'s certificate was issued by a certificate that is not a certificate authority."
        ),
        ChainProblem::Distrusted => {
            format!("{host}'s certificate chain uses a key that is explicitly distrusted.")
        }
    }
}

fn bad_certificate_message(host: &str, reason: Option<&str>) -> String {
    match reason {
        Some(r) => format!("{host}'s certificate was rejected: {r}."),
        None => format!("{host}'s certificate was rejected by the certificate check."),
    }
}

fn invalid_credentials_message(account: &str, detail: Option<&str>) -> String {
    match detail {
        None => format!("The password of '{account}' is wrong (or the account name is)."),
        Some(d) => format!("The domain controller refused the credentials of '{account}' ({d})."),
    }
}

/// The way out that works today: compare the fingerprint with the DC's and pin it.
fn pin_way_out(fp: &str, lead: &str) -> String {
    let fp = if fp.is_empty() {
        "shown with the certificate"
    } else {
        fp
    };
    format!(
        "{lead}: compare its SHA-256 fingerprint {fp} with the one your AD admin reads on the DC and, if they match, trust this exact certificate (pin it). For a lasting fix, have your certificate authority issue the DC an LDAPS certificate."
    )
}

fn base_dn_hint(suggested: Option<&str>) -> String {
    match suggested {
        Some(d) => format!("Use the domain's naming context '{d}' (or an OU inside it)."),
        None => "Check the Base DN: it looks like DC=example,DC=com.".to_string(),
    }
}

const BAD_CERTIFICATE_LEAD: &str = "If your AD admin confirms this is the DC's certificate";

impl LdapError {
    /// A host name the certificate carries, when the typed name does not match it.
    pub fn suggested_host(&self) -> Option<&str> {
        match self {
            LdapError::NameMismatch { names, .. } => names.first().map(String::as_str),
            _ => None,
        }
    }

    /// The Base DN to use instead, when the given one is empty, missing or malformed.
    pub fn suggested_base_dn(&self) -> Option<&str> {
        match self {
            LdapError::BaseDnEmpty { suggested }
            | LdapError::BaseDnNotFound { suggested, .. }
            | LdapError::BaseDnInvalid { suggested, .. } => suggested.as_deref(),
            _ => None,
        }
    }

    /// A certificate rejected for `reason` (words), with the pin way out.
    pub fn bad_certificate(host: &str, reason: Option<&'static str>, fingerprint: &str) -> Self {
        LdapError::BadCertificate {
            host: host.to_string(),
            reason,
            fingerprint: fingerprint.to_string(),
        }
    }
}

impl LdapError {
    /// Whether `p` is the "verification turned off" warning, which reports show as their own
    /// banner rather than among the other warnings.
    pub fn is_insecure_notice(p: &crate::Problem) -> bool {
        p.code == LdapError::Insecure.code()
    }
}

impl Diagnostic for LdapError {
    fn code(&self) -> &'static str {
        use LdapError::*;
        match self {
            AlternativeHostFailed { .. } => "ldap.alternative_host_failed",
            NoHosts { .. } => "ldap.no_hosts",
            GlobalCatalog { .. } => "ldap.global_catalog",
            Internal { .. } => "ldap.internal",
            Cancelled => "ldap.cancelled",
            Timeout { .. } => "ldap.timeout",
            Dns(_) => "ldap.dns",
            Refused { .. } => "ldap.refused",
            ConnectFailed(_) => "ldap.connect_failed",
            ConnectionLost { .. } => "ldap.connection_lost",
            Insecure => "ldap.tls.insecure",
            PinInvalid { .. } => "ldap.tls.pin_invalid",
            CaFileUnreadable { .. } => "ldap.tls.ca_file_unreadable",
            CaFileInvalid { .. } => "ldap.tls.ca_file_invalid",
            NoRoots { .. } => "ldap.tls.no_roots",
            PinnedExpired { .. } => "ldap.tls.pinned_expired",
            UnknownIssuer { .. } => "ldap.tls.unknown_issuer",
            NameMismatch { .. } => "ldap.tls.name_mismatch",
            Expired { .. } => "ldap.tls.expired",
            NotYetValid { .. } => "ldap.tls.not_yet_valid",
            Sha1Signature { .. } => "ldap.tls.sha1_signature",
            WrongPurpose { .. } => "ldap.tls.wrong_purpose",
            PinMismatch { .. } => "ldap.tls.pin_mismatch",
            CaAsServerCertificate { .. } => "ldap.tls.ca_as_server_certificate",
            ChainInvalid { .. } => "ldap.tls.chain_invalid",
            BadCertificate { .. } => "ldap.tls.bad_certificate",
            Revoked { .. } => "ldap.tls.revoked",
            OldProtocol { .. } => "ldap.tls.old_protocol",
            NoCommonCipher { .. } => "ldap.tls.no_common_cipher",
            Alert { .. } => "ldap.tls.alert",
            PlainLdap { .. } => "ldap.tls.plain_ldap",
            NotTls { .. } => "ldap.tls.not_tls",
            TlsFailed { .. } => "ldap.tls.failed",
            NoAccount => "ldap.bind.no_account",
            EmptyPassword => "ldap.bind.empty_password",
            UserNotFound { .. } => "ldap.bind.user_not_found",
            InvalidCredentials { .. } => "ldap.bind.invalid_credentials",
            LogonHours { .. } => "ldap.bind.logon_hours",
            Workstation { .. } => "ldap.bind.workstation",
            PasswordExpired { .. } => "ldap.bind.password_expired",
            AccountDisabled { .. } => "ldap.bind.account_disabled",
            AccountExpired { .. } => "ldap.bind.account_expired",
            MustChangePassword { .. } => "ldap.bind.must_change_password",
            AccountLocked { .. } => "ldap.bind.account_locked",
            StrongerAuthRequired { .. } => "ldap.bind.stronger_auth_required",
            BindFailed { .. } => "ldap.bind.failed",
            RootDseUnreadable { .. } => "ldap.root_dse.unreadable",
            ClockSkew { .. } => "ldap.clock_skew",
            BaseDnEmpty { .. } => "ldap.base_dn.empty",
            BaseDnNotFound { .. } => "ldap.base_dn.not_found",
            BaseDnInvalid { .. } => "ldap.base_dn.invalid",
            BaseDnFailed { .. } => "ldap.base_dn.failed",
            CannotCreateUsers { .. } => "ldap.rights.cannot_create_users",
            CannotCreateGroups { .. } => "ldap.rights.cannot_create_groups",
            MissingAttributes { .. } => "ldap.rights.missing_attributes",
            NoSampleUser { .. } => "ldap.rights.no_sample_user",
        }
    }

    fn hint(&self) -> String {
        use LdapError::*;
        match self {
            AlternativeHostFailed { hint, .. } => hint.clone(),
            NoHosts { .. } => "Enter at least one host name or address for it.".into(),
            GlobalCatalog { .. } => "Lookups work there, but provisioning writes need the domain's own LDAPS port 636.".into(),
            Internal { .. } => "Test again; if it happens again, save a support report and send it to Hire2Retire support. The other hosts' results are unaffected.".into(),
            Cancelled => "Start the test again when ready.".into(),
            Timeout { stage, .. } => match stage {
                Stage::Resolve => "Check the DNS server this computer uses, or type the DC's IP address.",
                Stage::Connect => "A firewall probably drops the traffic: allow TCP port 636 from this computer to the DC.",
                Stage::Tls => "Something accepts connections on this port but does not speak TLS: check the port (LDAPS is 636), and any firewall or TLS inspection in between.",
                _ => "The DC is slow or overloaded: try again, or try another of its addresses.",
            }
            .into(),
            Dns(f) => match f {
                DnsFailure::EmptyHost => "Enter the DC's DNS name (e.g. dc1.example.com) or address.",
                DnsFailure::Unresolved { .. } => "Check the spelling and this computer's DNS server (it must resolve the AD domain), or type the DC's fully qualified name.",
                DnsFailure::NoAddress { .. } => "Check the DNS records of the DC.",
            }
            .into(),
            Refused { .. } => "Nothing listens on this port: check the port (LDAPS is 636) and that the DC's LDAP service runs and has an LDAPS certificate.".into(),
            ConnectFailed(f) => match f {
                ConnectFailure::Unreachable { .. } => "Check the network route and firewalls between this computer and the DC (TCP 636).",
                ConnectFailure::Socket { .. } => "Check that this computer may open network connections to the DC, then test again.",
            }
            .into(),
            ConnectionLost { .. } => "Check the network and the DC's state, then test again.".into(),
            Insecure => "Trust your CA's certificate (CA file) or pin the DC's certificate instead, then turn 'insecure' off.".into(),
            PinInvalid { .. } => "Give 32 bytes in hex, as `openssl x509 -noout -fingerprint -sha256` prints them (AB:CD:…).".into(),
            CaFileUnreadable { .. } => "Give the path of a PEM file holding your certificate authority's certificate.".into(),
            CaFileInvalid { problem, .. } => match problem {
                CaFileProblem::TooLarge { .. } => "Export only your certificate authority's certificate (PEM) and give that file.",
                CaFileProblem::NoCertificate => "Export the CA certificate as Base-64 (PEM, '-----BEGIN CERTIFICATE-----') and try again.",
                CaFileProblem::NotUsableAsCa { .. } => "Export the CA certificate (not the DC's own certificate) as Base-64 (PEM).",
            }
            .into(),
            NoRoots { .. } => "Trust a CA file or pin the DC's certificate.".into(),
            PinnedExpired { .. } => "Renew the DC's LDAPS certificate soon, then pin the new one.".into(),
            UnknownIssuer { fingerprint, .. } => format!("Trust your certificate authority's certificate (its PEM file), or pin this exact certificate after checking its SHA-256 fingerprint {fingerprint} with your AD admin. Do not turn verification off."),
            NameMismatch { host, names } => match names.first().filter(|s| !s.is_empty()) {
                None => "Connect with the name the certificate carries, or have the DC's certificate reissued with its DNS name.".to_string(),
                Some(s) => format!("Use the name the certificate carries, e.g. '{s}', instead of '{host}' (certificates rarely contain IP addresses)."),
            },
            Expired { .. } => "Renew the DC's LDAPS certificate (Certificates MMC > Domain Controller / Kerberos Authentication template) and restart the DC's LDAP service or the DC.".into(),
            NotYetValid { .. } => "Check this computer's clock and the DC's clock.".into(),
            Sha1Signature { .. } => "Renew the CA certificate (and the DC's certificate) with SHA-256: set the CA's hash algorithm to SHA256 (certutil -setreg ca\\csp\\CNGHashAlgorithm SHA256), renew, and reissue the DC's LDAPS certificate.".into(),
            WrongPurpose { .. } => "Reissue the DC's certificate from a template with the Server Authentication EKU (e.g. 'Kerberos Authentication' / 'Domain Controller Authentication').".into(),
            PinMismatch { .. } => "If the DC's certificate was renewed on purpose, check the new fingerprint with your AD admin and pin it again; otherwise something is intercepting the connection.".into(),
            CaAsServerCertificate { fingerprint, .. } => pin_way_out(fingerprint, "If it is the DC's own self-signed certificate"),
            ChainInvalid { problem, .. } => match problem {
                ChainProblem::IssuerNotCa { fingerprint } => pin_way_out(fingerprint, "Give the file of the certificate authority that issued it as the CA file; or"),
                ChainProblem::Distrusted => "Have the DC's LDAPS certificate reissued by your certificate authority; do not pin it.".into(),
            },
            BadCertificate { fingerprint, .. } => pin_way_out(fingerprint, BAD_CERTIFICATE_LEAD),
            Revoked { .. } => "Have the DC's LDAPS certificate reissued; a revoked certificate must not be pinned.".into(),
            OldProtocol { .. } => "Enable TLS 1.2 on the domain controller (Windows Server 2008 R2/2012: install the TLS 1.2 update and set the SCHANNEL registry keys), then test again.".into(),
            NoCommonCipher { .. } => "Enable TLS 1.2 with AES-GCM cipher suites on the domain controller, and check that its certificate has an RSA or ECDSA key with SHA-256.".into(),
            Alert { .. } => "Check the DC's LDAPS certificate and TLS settings (event log: Schannel).".into(),
            PlainLdap { .. } => "Use the LDAPS port (636); plain LDAP (389) would send the password unencrypted.".into(),
            NotTls { .. } => "Check that this is the DC's LDAPS port (636) and that the DC has an LDAPS certificate installed (without one, AD closes LDAPS connections).".into(),
            TlsFailed { .. } => "Check that this port is the DC's LDAPS port (636) and that the DC has a valid LDAPS certificate.".into(),
            NoAccount => "Enter the AD service account (svc@example.com, DOMAIN\\user or its DN).".into(),
            EmptyPassword => "Enter the service account's password.".into(),
            UserNotFound { .. } => "Check the spelling; give it as a UPN (svc@example.com), DOMAIN\\user or a full DN.".into(),
            InvalidCredentials { detail: None, .. } => "Retype the password; if it was changed recently, use the new one. Check the account name (UPN, DOMAIN\\user or DN).".into(),
            InvalidCredentials { detail: Some(_), .. } => "Retype the password and check the account name (UPN, DOMAIN\\user or DN).".into(),
            LogonHours { .. } => "Allow all logon hours for the service account (Account > Logon Hours in Active Directory Users and Computers).".into(),
            Workstation { .. } => "Remove the 'Log On To' workstation restriction of the service account, or add this computer to it.".into(),
            PasswordExpired { .. } => "Set a new password for the service account (and consider 'Password never expires' for it), then use it here.".into(),
            AccountDisabled { .. } => "Enable the account in Active Directory (right-click > Enable Account), then test again.".into(),
            AccountExpired { .. } => "Set 'Account expires' to Never (or a later date) on the Account tab of the service account.".into(),
            MustChangePassword { .. } => "Set a new password (or clear 'User must change password at next logon') for the service account, then use that password here.".into(),
            AccountLocked { .. } => "Unlock the account in Active Directory and find what keeps using an old password (a service or a mapped drive).".into(),
            StrongerAuthRequired { .. } => "This port must be LDAPS (636); check that the DC allows simple binds over TLS.".into(),
            BindFailed { .. } => "Check the service account and its password; the DC's text above says more.".into(),
            RootDseUnreadable { .. } => "Check that this server is an Active Directory domain controller.".into(),
            ClockSkew { .. } => "Synchronise both clocks (w32tm /resync on the DC; NTP here): Kerberos fails beyond 5 minutes.".into(),
            BaseDnEmpty { suggested } | BaseDnNotFound { suggested, .. } => base_dn_hint(suggested.as_deref()),
            BaseDnInvalid { suggested, .. } => format!(
                "Write it like DC=example,DC=com{}.",
                suggested
                    .as_deref()
                    .map(|d| format!(" (this domain: {d})"))
                    .unwrap_or_default()
            ),
            BaseDnFailed { .. } => "Check the Base DN and the account's read rights.".into(),
            CannotCreateUsers { .. } => "Delegate 'Create, delete and manage user accounts' on this OU to the service account (Delegation of Control wizard).".into(),
            CannotCreateGroups { .. } => "Delegate 'Create, delete and manage groups' on this OU to the service account.".into(),
            MissingAttributes { .. } => "Delegate 'Read and write all properties' on user objects in this OU to the service account.".into(),
            NoSampleUser { .. } => "Test again once the OU holds a user, or check the delegation in Active Directory.".into(),
        }
    }
}

/// Every code [`LdapError`] produces.
pub const ALL_CODES: &[&str] = &[
    "ldap.alternative_host_failed",
    "ldap.no_hosts",
    "ldap.global_catalog",
    "ldap.internal",
    "ldap.cancelled",
    "ldap.timeout",
    "ldap.dns",
    "ldap.refused",
    "ldap.connect_failed",
    "ldap.connection_lost",
    "ldap.tls.insecure",
    "ldap.tls.pin_invalid",
    "ldap.tls.ca_file_unreadable",
    "ldap.tls.ca_file_invalid",
    "ldap.tls.no_roots",
    "ldap.tls.pinned_expired",
    "ldap.tls.unknown_issuer",
    "ldap.tls.name_mismatch",
    "ldap.tls.expired",
    "ldap.tls.not_yet_valid",
    "ldap.tls.sha1_signature",
    "ldap.tls.wrong_purpose",
    "ldap.tls.pin_mismatch",
    "ldap.tls.ca_as_server_certificate",
    "ldap.tls.chain_invalid",
    "ldap.tls.bad_certificate",
    "ldap.tls.revoked",
    "ldap.tls.old_protocol",
    "ldap.tls.no_common_cipher",
    "ldap.tls.alert",
    "ldap.tls.plain_ldap",
    "ldap.tls.not_tls",
    "ldap.tls.failed",
    "ldap.bind.no_account",
    "ldap.bind.empty_password",
    "ldap.bind.user_not_found",
    "ldap.bind.invalid_credentials",
    "ldap.bind.logon_hours",
    "ldap.bind.workstation",
    "ldap.bind.password_expired",
    "ldap.bind.account_disabled",
    "ldap.bind.account_expired",
    "ldap.bind.must_change_password",
    "ldap.bind.account_locked",
    "ldap.bind.stronger_auth_required",
    "ldap.bind.failed",
    "ldap.root_dse.unreadable",
    "ldap.clock_skew",
    "ldap.base_dn.empty",
    "ldap.base_dn.not_found",
    "ldap.base_dn.invalid",
    "ldap.base_dn.failed",
    "ldap.rights.cannot_create_users",
    "ldap.rights.cannot_create_groups",
    "ldap.rights.missing_attributes",
    "ldap.rights.no_sample_user",
];

/// One value of every variant (and every sub-case), for the registry and its tests.
pub fn samples() -> Vec<LdapError> {
    use LdapError::*;
    let s = |x: &str| x.to_string();
    let host = || s("dc1.example.test");
    let account = || s("svc-h2r@example.test");
    let base_dn = || s("DC=example,DC=test");
    let fp = || s("AB:CD:EF");
    vec![
        AlternativeHostFailed {
            dc: 1,
            passing: host(),
            host: s("192.0.2.1"),
            port: 636,
            reason: s("192.0.2.1:636 refused the connection (192.0.2.1:636)."),
            hint: s("Nothing listens on this port."),
        },
        NoHosts { dc: 1 },
        GlobalCatalog { dc: 1 },
        Internal {
            host: host(),
            port: 636,
            panicked: true,
        },
        Internal {
            host: host(),
            port: 636,
            panicked: false,
        },
        Cancelled,
        Timeout {
            stage: Stage::Resolve,
            host: host(),
            port: 636,
            secs: 10.0,
        },
        Timeout {
            stage: Stage::Connect,
            host: host(),
            port: 636,
            secs: 10.0,
        },
        Timeout {
            stage: Stage::Tls,
            host: host(),
            port: 636,
            secs: 10.0,
        },
        Timeout {
            stage: Stage::Bind,
            host: host(),
            port: 636,
            secs: 10.0,
        },
        Dns(DnsFailure::EmptyHost),
        Dns(DnsFailure::Unresolved {
            host: host(),
            detail: s("no such host"),
        }),
        Dns(DnsFailure::NoAddress { host: host() }),
        Refused {
            host: host(),
            port: 636,
            address: s("192.0.2.1:636"),
        },
        ConnectFailed(ConnectFailure::Unreachable {
            host: host(),
            port: 636,
            detail: s("network unreachable"),
        }),
        ConnectFailed(ConnectFailure::Socket {
            detail: s("bad file descriptor"),
        }),
        ConnectionLost {
            host: host(),
            during: "the bind",
            detail: s("connection reset"),
        },
        Insecure,
        PinInvalid { input: s("AB:CD") },
        CaFileUnreadable {
            path: s("/tmp/ca.pem"),
            detail: s("not found"),
        },
        CaFileInvalid {
            path: s("/tmp/ca.pem"),
            problem: CaFileProblem::TooLarge { max_kib: 1024 },
        },
        CaFileInvalid {
            path: s("/tmp/ca.pem"),
            problem: CaFileProblem::NoCertificate,
        },
        CaFileInvalid {
            path: s("/tmp/ca.pem"),
            problem: CaFileProblem::NotUsableAsCa {
                detail: s("bad encoding"),
            },
        },
        NoRoots {
            detail: s("no root"),
        },
        PinnedExpired {
            host: host(),
            not_after: s("2026-01-01T00:00:00Z"),
        },
        UnknownIssuer {
            host: host(),
            issuer: Some(s("CN=Example CA")),
            fingerprint: fp(),
        },
        UnknownIssuer {
            host: host(),
            issuer: None,
            fingerprint: fp(),
        },
        NameMismatch {
            host: s("192.0.2.1"),
            names: vec![host()],
        },
        NameMismatch {
            host: s("192.0.2.1"),
            names: vec![],
        },
        Expired {
            host: host(),
            not_after: Some(s("2026-01-01T00:00:00Z")),
        },
        NotYetValid {
            host: host(),
            not_before: None,
        },
        Sha1Signature {
            host: host(),
            algorithm: s("sha1WithRSAEncryption"),
        },
        WrongPurpose { host: host() },
        PinMismatch {
            host: host(),
            presented: fp(),
        },
        CaAsServerCertificate {
            host: host(),
            fingerprint: fp(),
        },
        ChainInvalid {
            host: host(),
            problem: ChainProblem::IssuerNotCa { fingerprint: fp() },
        },
        ChainInvalid {
            host: host(),
            problem: ChainProblem::Distrusted,
        },
        LdapError::bad_certificate(&host(), Some("its serial number is invalid"), &fp()),
        LdapError::bad_certificate(&host(), None, ""),
        Revoked { host: host() },
        OldProtocol {
            host: host(),
            port: 636,
        },
        NoCommonCipher {
            host: host(),
            port: 636,
        },
        Alert {
            host: host(),
            port: 636,
            alert: s("bad certificate"),
        },
        PlainLdap {
            host: host(),
            port: 389,
        },
        NotTls {
            host: host(),
            port: 636,
            detail: s("connection reset"),
        },
        TlsFailed {
            host: host(),
            port: 636,
            detail: s("unexpected end of file"),
        },
        NoAccount,
        EmptyPassword,
        UserNotFound { account: account() },
        InvalidCredentials {
            account: account(),
            detail: None,
        },
        InvalidCredentials {
            account: account(),
            detail: Some(s("invalid credentials")),
        },
        LogonHours { account: account() },
        Workstation { account: account() },
        PasswordExpired { account: account() },
        AccountDisabled { account: account() },
        AccountExpired { account: account() },
        MustChangePassword { account: account() },
        AccountLocked { account: account() },
        StrongerAuthRequired {
            detail: s("strong auth required"),
        },
        BindFailed {
            rc: 53,
            detail: s("unwilling to perform"),
        },
        RootDseUnreadable {
            host: host(),
            detail: s("no such object"),
        },
        ClockSkew {
            host: host(),
            skew: 600,
        },
        BaseDnEmpty { suggested: None },
        BaseDnEmpty {
            suggested: Some(base_dn()),
        },
        BaseDnNotFound {
            base_dn: s("DC=other,DC=test"),
            host: host(),
            why: "no such object",
            suggested: Some(base_dn()),
        },
        BaseDnInvalid {
            base_dn: s("example.test"),
            suggested: Some(base_dn()),
        },
        BaseDnFailed {
            base_dn: base_dn(),
            rc: 1,
            detail: s("operations error"),
        },
        CannotCreateUsers {
            account: account(),
            base_dn: base_dn(),
        },
        CannotCreateGroups {
            account: account(),
            base_dn: base_dn(),
        },
        MissingAttributes {
            account: account(),
            attributes: s("mail, title"),
            base_dn: base_dn(),
        },
        NoSampleUser { base_dn: base_dn() },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn samples_cover_exactly_all_codes() {
        let listed: BTreeSet<&str> = ALL_CODES.iter().copied().collect();
        assert_eq!(listed.len(), ALL_CODES.len(), "ALL_CODES has no duplicate");
        let mut seen = BTreeSet::new();
        for e in samples() {
            let code = e.code();
            assert!(listed.contains(code), "{code} is listed in ALL_CODES");
            assert!(code.starts_with("ldap."), "{code}");
            seen.insert(code);
        }
        assert_eq!(seen, listed, "samples() has one value of every code");
    }

    #[test]
    fn every_sample_is_a_sentence_with_a_hint_for_window_and_cli() {
        for e in samples() {
            let p = e.to_problem();
            assert_eq!(p.code, e.code());
            assert!(!p.message.trim().is_empty(), "{}", p.code);
            assert!(!p.hint.trim().is_empty(), "{} has a hint", p.code);
            // No CLI flag names or program names: the window shows these hints too.
            assert!(
                !p.hint.contains(" --") && !p.hint.contains("h2r-setup"),
                "{}: {}",
                p.code,
                p.hint
            );
            assert!(!p.message.contains("Error"), "{}: {}", p.code, p.message);
        }
    }
}
