//! Microsoft identity: sign-in, admin consent, certificate credential (issue 5). Thin: every
//! command calls `h2r_setup::identity`. Tokens never reach the webview; the generated
//! certificate's private key stays in this process's memory until saved passphrase-protected.

use crate::error::{AppError, CmdResult, ShellError};
use crate::session::{begin, Session};
use h2r_setup::identity::certificate::{self, CertificateRequest, SavedCertificate};
use h2r_setup::identity::cloud::{CloudEndpoints, CLOUDS};
use h2r_setup::identity::consent::ConsentGranted;
use h2r_setup::identity::signin::{self, SignInEvent, SignInReport, SignInRequest};
use h2r_setup::identity::Cancel;
use h2r_setup::profile::{ApplicationKind, CertificateInfo};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_opener::OpenerExt;

/// What the sign-in screens need to know up front.
#[derive(Debug, serde::Serialize)]
pub struct IdentityInfo {
    pub clouds: &'static [CloudEndpoints],
    /// Whether this build knows the Service Provider Application's client ID.
    pub service_provider_configured: bool,
    /// That client ID (built in, or `H2R_SP_CLIENT_ID`), to prefill the window's field. Not a
    /// secret: the Hire2Retire portal shows it.
    pub service_provider_client_id: Option<String>,
    /// The redirect URI to register (loopback, port ignored by Microsoft).
    pub redirect_uri: &'static str,
}

#[tauri::command(rename_all = "snake_case")]
pub fn identity_info() -> IdentityInfo {
    let known = signin::service_provider_client_id(None);
    IdentityInfo {
        clouds: &CLOUDS,
        service_provider_configured: known.is_some(),
        service_provider_client_id: known,
        redirect_uri: "http://127.0.0.1/callback",
    }
}

/// Environment variables that point sign-in at a local test server, read only by debug builds
/// (the end-to-end tests); a shipped (release) build ignores them.
pub const TEST_AUTHORITY_ENV: &str = "H2R_TEST_AUTHORITY_URL";
pub const TEST_GRAPH_ENV: &str = "H2R_TEST_GRAPH_URL";

/// A sign-in request as the webview sent it (issue 12): the window may not choose where the
/// admin's sign-in and token go, so `authority_url`/`graph_url` from it are refused. A debug
/// build takes the tests' endpoints from its environment instead.
pub fn from_window(mut request: SignInRequest) -> CmdResult<SignInRequest> {
    if request.authority_url.is_some() || request.graph_url.is_some() {
        return Err(ShellError::OverrideRefused.into());
    }
    // The proxy comes from the saved settings (the commands fill it in), never from here.
    request.proxy = None;
    if cfg!(debug_assertions) {
        request.authority_url = std::env::var(TEST_AUTHORITY_ENV)
            .ok()
            .filter(|s| !s.is_empty());
        request.graph_url = std::env::var(TEST_GRAPH_ENV).ok().filter(|s| !s.is_empty());
    }
    Ok(request)
}

/// Forward events to the webview and open sign-in URLs in the system browser.
pub(crate) fn forwarder<R: Runtime>(
    app: AppHandle<R>,
    on_event: Channel<SignInEvent>,
) -> impl Fn(SignInEvent) + Send + Sync {
    move |ev: SignInEvent| {
        if let SignInEvent::OpenUrl { url } = &ev {
            // If the browser cannot be opened, the screen shows the URL to copy.
            let _ = app.opener().open_url(url.as_str(), None::<&str>);
        }
        let _ = on_event.send(ev);
    }
}

/// The Service Provider Application's client ID: the one the window's field holds (saved with
/// the connection), else the one this build knows (built in, or `H2R_SP_CLIENT_ID`).
fn sp_request(mut request: SignInRequest) -> SignInRequest {
    request.client_id = signin::service_provider_client_id(request.client_id.as_deref());
    request
}

/// Service Provider sign-in (browser or device code). Cancel with `identity_cancel`.
#[tauri::command(rename_all = "snake_case")]
pub async fn identity_sign_in<R: Runtime>(
    app: AppHandle<R>,
    request: SignInRequest,
    on_event: Channel<SignInEvent>,
) -> CmdResult<SignInReport> {
    let mut request = from_window(request)?;
    request.proxy = crate::commands::network::saved_proxy(&app).await?;
    let cancel = begin!(app.state::<Session>().sign_in, Cancel::new());
    off_thread(move || {
        let on_event = forwarder(app, on_event);
        tauri::async_runtime::block_on(signin::sign_in_service_provider(
            &sp_request(request),
            &on_event,
            &cancel,
        ))
    })
    .await
}

/// Run a sign-in flow on a blocking thread driven by the app's runtime: the flows borrow
/// callbacks across awaits, so their futures are not `Send` as async commands require.
pub(crate) async fn off_thread<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> CmdResult<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| AppError::from(ShellError::stopped("The sign-in task stopped", e)))
}

/// Stop the running sign-in or consent wait ("Cancel", "I have sent the request").
#[tauri::command(rename_all = "snake_case")]
pub fn identity_cancel(session: State<'_, Session>) {
    if let Some(c) = session.sign_in.take() {
        c.cancel();
    }
}

fn for_app(request: SignInRequest, app_kind: ApplicationKind) -> SignInRequest {
    match app_kind {
        ApplicationKind::ServiceProvider => sp_request(request),
        ApplicationKind::CustomerOwned => request,
    }
}

/// The admin consent link, to open elsewhere or send to an administrator.
#[tauri::command(rename_all = "snake_case")]
pub fn identity_consent_link(
    request: SignInRequest,
    application_kind: ApplicationKind,
) -> CmdResult<String> {
    let request = from_window(request)?;
    Ok(signin::admin_consent_link(
        &for_app(request, application_kind),
        application_kind,
    )?)
}

/// An administrator grants consent here: open `/adminconsent` and wait for its answer.
#[tauri::command(rename_all = "snake_case")]
pub async fn identity_admin_consent<R: Runtime>(
    app: AppHandle<R>,
    request: SignInRequest,
    application_kind: ApplicationKind,
    on_event: Channel<SignInEvent>,
) -> CmdResult<ConsentGranted> {
    let request = from_window(request)?;
    let cancel = begin!(app.state::<Session>().sign_in, Cancel::new());
    let r = off_thread(move || {
        let on_event = forwarder(app, on_event);
        tauri::async_runtime::block_on(signin::admin_consent(
            &for_app(request, application_kind),
            application_kind,
            &on_event,
            &cancel,
        ))
    })
    .await?;
    Ok(r?)
}

/// Generate a certificate credential (kept in memory until saved). Cancel with
/// `identity_cancel_certificate` (returns `identity.cancelled` at once; nothing is kept).
#[tauri::command(rename_all = "snake_case")]
pub async fn identity_generate_certificate(
    session: State<'_, Session>,
    request: CertificateRequest,
) -> CmdResult<CertificateInfo> {
    let cancel = begin!(session.certificate, Cancel::new());
    let cred = certificate::generate_async(request, &cancel).await?;
    let info = cred.info().clone();
    session.credential.replace(cred);
    Ok(info)
}

/// Save the generated certificate: `.cer` + `.pem` to upload, `.key.pem` passphrase-protected.
#[tauri::command(rename_all = "snake_case")]
pub async fn identity_save_certificate(
    session: State<'_, Session>,
    folder: String,
    name: String,
    passphrase: String,
) -> CmdResult<SavedCertificate> {
    let passphrase = zeroize::Zeroizing::new(passphrase);
    // Take the credential out for the save (key derivation and file writes on a blocking
    // thread, no lock held meanwhile), then put it back.
    let cred = session
        .credential
        .take()
        .ok_or_else(|| AppError::from(ShellError::NoCertificate))?;
    let cancel = begin!(session.certificate, Cancel::new());
    let (saved, cred) = tauri::async_runtime::spawn_blocking(move || {
        let saved = certificate::save_cancellable(
            &cred,
            std::path::Path::new(&folder),
            &name,
            &passphrase,
            &cancel,
        );
        (saved, cred)
    })
    .await
    .map_err(|e| AppError::from(ShellError::stopped("Saving the certificate stopped", e)))?;
    session.credential.put_back(cred);
    Ok(saved?)
}

/// Cancel the running certificate generation (at once) or save (after its key derivation,
/// before any file is written).
#[tauri::command(rename_all = "snake_case")]
pub fn identity_cancel_certificate(session: State<'_, Session>) {
    if let Some(c) = session.certificate.take() {
        c.cancel();
    }
}

/// Load a certificate credential saved earlier (`.key.pem`) with its passphrase.
#[tauri::command(rename_all = "snake_case")]
pub async fn identity_load_certificate(
    session: State<'_, Session>,
    path: String,
    passphrase: String,
) -> CmdResult<CertificateInfo> {
    let passphrase = zeroize::Zeroizing::new(passphrase);
    // Key derivation and a file that may be on a network share: on a blocking thread.
    let cred = tauri::async_runtime::spawn_blocking(move || {
        certificate::load(std::path::Path::new(&path), &passphrase)
    })
    .await
    .map_err(|e| AppError::from(ShellError::stopped("Loading the certificate stopped", e)))??;
    let info = cred.info().clone();
    session.credential.replace(cred);
    Ok(info)
}

/// Customer Owned: client credentials with the certificate; tenant, granted and missing roles.
#[tauri::command(rename_all = "snake_case")]
pub async fn identity_verify_customer_owned<R: Runtime>(
    app: AppHandle<R>,
    request: SignInRequest,
    on_event: Channel<SignInEvent>,
) -> CmdResult<SignInReport> {
    let mut request = from_window(request)?;
    request.proxy = crate::commands::network::saved_proxy(&app).await?;
    let session = app.state::<Session>();
    let cancel = begin!(session.sign_in, Cancel::new());
    // Take the credential out for the check (no lock held while waiting), then put it back.
    let cred = session
        .credential
        .take()
        .ok_or_else(|| AppError::from(ShellError::NoCertificate))?;
    let app2 = app.clone();
    let (report, cred) = off_thread(move || {
        let on_event = forwarder(app2, on_event);
        let report = tauri::async_runtime::block_on(signin::verify_customer_owned(
            &request, &cred, &on_event, &cancel,
        ));
        (report, cred)
    })
    .await?;
    app.state::<Session>().credential.put_back(cred);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use h2r_setup::profile::Cloud;

    #[test]
    fn the_window_cannot_send_sign_in_to_another_host() {
        for (authority, graph) in [
            (Some("https://evil.example"), None),
            (None, Some("https://evil.example")),
            (Some("https://evil.example"), Some("https://evil.example")),
        ] {
            let mut request = SignInRequest::new(Cloud::default());
            request.tenant = Some("72f988bf-86f1-41af-91ab-2d7cd011db47".into());
            request.client_id = Some("6731de76-14a6-49ae-97bc-6eba6914391e".into());
            request.authority_url = authority.map(String::from);
            request.graph_url = graph.map(String::from);
            let err = identity_consent_link(request, ApplicationKind::CustomerOwned)
                .expect_err("refused");
            assert_eq!(err.problem().code, "app.override_refused");
            assert!(!err.problem().hint.contains("--"));
        }
        // Without an override the link is the cloud's own.
        let mut request = SignInRequest::new(Cloud::default());
        request.tenant = Some("72f988bf-86f1-41af-91ab-2d7cd011db47".into());
        request.client_id = Some("6731de76-14a6-49ae-97bc-6eba6914391e".into());
        let link = identity_consent_link(request, ApplicationKind::CustomerOwned).unwrap();
        assert!(
            link.starts_with("https://login.microsoftonline.com/"),
            "{link}"
        );
    }

    /// Every command that takes a sign-in request from the webview (sign-in, admin consent,
    /// the Customer Owned check, the consent link) passes it through `from_window`, which
    /// refuses an authority or Graph override.
    #[test]
    fn every_sign_in_command_refuses_the_webviews_overrides() {
        let mut request = SignInRequest::new(Cloud::default());
        request.authority_url = Some("https://evil.example".into());
        assert_eq!(
            from_window(request).expect_err("refused").problem().code,
            "app.override_refused"
        );
        let src = include_str!("identity.rs");
        let commands: Vec<&str> = src
            .split("#[tauri::command")
            .skip(1)
            .filter(|body| {
                let sig = &body[..body.find('{').unwrap_or(body.len())];
                sig.contains("request: SignInRequest")
            })
            .collect();
        assert_eq!(
            commands.len(),
            4,
            "sign-in, consent, Customer Owned check, consent link"
        );
        for body in commands {
            let name = body.split("fn ").nth(1).and_then(|s| s.split('(').next());
            assert!(body.contains("from_window(request)"), "{name:?}");
        }
    }

    #[test]
    fn the_service_provider_client_id_from_the_window_is_the_one_used() {
        // The field on the sign-in step (saved with the connection) wins over what the build
        // or the environment knows.
        let mut request = SignInRequest::new(Cloud::default());
        request.client_id = Some("00001111-aaaa-2222-bbbb-3333cccc4444".into());
        let link = identity_consent_link(request, ApplicationKind::ServiceProvider).unwrap();
        assert!(
            link.contains("client_id=00001111-aaaa-2222-bbbb-3333cccc4444"),
            "{link}"
        );
    }

    #[test]
    fn the_window_cannot_choose_the_proxy() {
        // The proxy comes from the saved settings (filled in by the commands), never from the
        // request the webview sends.
        let mut request = SignInRequest::new(Cloud::default());
        request.proxy = Some("http://proxy.attacker.example:3128".into());
        assert_eq!(from_window(request).unwrap().proxy, None);
    }
}
