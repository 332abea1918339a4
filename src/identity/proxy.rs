//! The proxy Microsoft traffic goes through (issue 9): sign-in token requests, Microsoft Graph
//! and the Exchange Online admin API.
//!
//! - No explicit proxy: reqwest 0.13's system proxy. It reads `HTTPS_PROXY`/`https_proxy`
//!   (https URLs), `HTTP_PROXY`/`http_proxy` (http URLs), `ALL_PROXY`/`all_proxy` and
//!   `NO_PROXY`/`no_proxy` on every platform; when those are not set it also reads, on Windows,
//!   the per-user WinINet settings (`HKCU\Software\Microsoft\Windows\CurrentVersion\Internet
//!   Settings`: `ProxyEnable`, `ProxyServer`, `ProxyOverride`) and, on macOS, the HTTP/HTTPS
//!   proxies of the network settings (System Configuration). Automatic configuration (PAC
//!   scripts, WPAD) is not read, and Linux desktop settings (GNOME/KDE) are not either: there the
//!   environment variables are the system proxy.
//! - An explicit proxy (the window's "Network" field, the CLI's `--proxy`): every request goes
//!   through it, except hosts listed in `NO_PROXY`.
//!
//! An explicit proxy is an `http://` or `https://` address of a host and port. One with a user
//! name or password is refused: the proxy is saved with the settings (not a secret store), and a
//! password in it would end up on disk and in reports. A proxy that needs a password can still
//! be given in the environment variables, which reqwest reads but Hire2Retire Setup never saves
//! or prints.
//!
//! Only host names travel in the clear to the proxy: the Microsoft endpoints are https, so the
//! proxy tunnels TLS (`CONNECT`) and never sees a token.

use super::IdentityError;

/// The field an invalid proxy is reported on.
pub const FIELD: &str = "proxy";

fn invalid(message: &str) -> IdentityError {
    IdentityError::input(
        FIELD,
        message,
        "Type the proxy as http://host:port (or https://host:port), as your network administrator gives it; leave it empty to use this computer's proxy settings.",
    )
}

/// Check an explicit proxy address and return it normalised (`scheme://host:port`), or `None`
/// when it is empty (the system proxy is used). Error messages never repeat the input (it might
/// hold a password).
pub fn check(input: Option<&str>) -> Result<Option<String>, IdentityError> {
    let Some(raw) = input.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if raw.chars().any(char::is_control) || raw.contains(' ') {
        return Err(invalid(
            "The proxy address contains spaces or control characters.",
        ));
    }
    // A bare `host:port` is the most common way a proxy is written down: it means http.
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("http://{raw}")
    };
    let url = reqwest::Url::parse(&with_scheme)
        .map_err(|_| invalid("The proxy address is not a valid address."))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(IdentityError::input(
            FIELD,
            "A proxy address with a user name or password is not accepted: Hire2Retire Setup saves the proxy with its settings and never saves passwords.",
            "Remove the user name and password from the address. If the proxy requires signing in, ask your network administrator to let this computer reach Microsoft without one.",
        ));
    }
    match url.scheme() {
        "http" | "https" => {}
        _ => {
            return Err(invalid(
                "The proxy address must start with http:// or https:// (SOCKS proxies are not supported).",
            ))
        }
    }
    let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
        return Err(invalid("The proxy address has no host name."));
    };
    if url.path() != "/" && !url.path().is_empty() {
        return Err(invalid(
            "The proxy address is a host and port only, without a path.",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(
            "The proxy address is a host and port only, without ? or #.",
        ));
    }
    let port = url
        .port_or_known_default()
        .ok_or_else(|| invalid("The proxy address has no port."))?;
    Ok(Some(format!("{}://{host}:{port}", url.scheme())))
}

/// Whether a proxy is set in the environment (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, upper
/// or lower case), as reqwest reads it.
pub fn env_proxy_set() -> bool {
    [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ]
    .iter()
    .any(|k| std::env::var_os(k).is_some_and(|v| !v.is_empty()))
}

/// The reqwest proxy for an explicit address (already [`check`]ed): all traffic, except the
/// hosts `NO_PROXY` lists.
pub fn explicit(normalised: &str) -> Result<reqwest::Proxy, IdentityError> {
    let p = reqwest::Proxy::all(normalised)
        .map_err(|_| invalid("The proxy address is not a valid address."))?;
    Ok(p.no_proxy(reqwest::NoProxy::from_env()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostic;

    #[test]
    fn empty_is_the_system_proxy() {
        assert_eq!(check(None).unwrap(), None);
        assert_eq!(check(Some("  ")).unwrap(), None);
    }

    #[test]
    fn addresses_are_normalised() {
        for (input, want) in [
            ("http://proxy.corp:3128", "http://proxy.corp:3128"),
            ("proxy.corp:8080", "http://proxy.corp:8080"),
            ("  https://proxy.corp/ ", "https://proxy.corp:443"),
            ("http://proxy.corp", "http://proxy.corp:80"),
            ("http://127.0.0.1:8888", "http://127.0.0.1:8888"),
            ("http://[::1]:3128", "http://[::1]:3128"),
            ("HTTP://Proxy.Corp:3128", "http://proxy.corp:3128"),
        ] {
            assert_eq!(
                check(Some(input)).unwrap().as_deref(),
                Some(want),
                "{input}"
            );
            assert!(explicit(want).is_ok());
        }
    }

    #[test]
    fn bad_addresses_are_field_errors_that_never_repeat_the_input() {
        for input in [
            "socks5://proxy.corp:1080",
            "ftp://proxy.corp",
            "http://proxy.corp:3128/path",
            "http://proxy.corp:3128/?x=1",
            "http://proxy.corp:3128#frag",
            "http://:3128",
            "http://proxy corp:3128",
            "http://proxy.corp:99999",
            "http://user:s3cret-Pw@proxy.corp:3128",
            "http://user@proxy.corp:3128",
            "s3cret-Pw:s3cret-Pw@proxy.corp:3128",
        ] {
            let e = check(Some(input)).unwrap_err();
            let p = e.to_problem();
            assert_eq!(p.code, "identity.invalid_input", "{input}");
            assert!(
                matches!(e, IdentityError::Input { field: FIELD, .. }),
                "{input}"
            );
            assert!(
                !p.message.contains("s3cret") && !p.hint.contains("s3cret"),
                "{p:?}"
            );
            assert!(!p.message.contains("corp"), "{input}: {p:?}");
        }
        let p = check(Some("http://u:pw@proxy.corp:1"))
            .unwrap_err()
            .to_problem();
        assert!(p.message.contains("password"), "{p:?}");
    }
}
