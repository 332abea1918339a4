//! The device code flow, for machines without a browser
//! (<https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-device-code>, RFC 8628).
//! oauth2 polls the token endpoint, waiting `interval` between polls and adding 5 s on
//! `slow_down`; `authorization_declined` and `expired_token` end it.

use super::errors::MsError;
use super::http;
use super::token::{map_request_error, MsClient, MsTokenResponse};
use super::{Cancel, IdentityError};
use oauth2::{
    AuthType, ClientId, DeviceAuthorizationResponse, DeviceAuthorizationUrl,
    ExtraDeviceAuthorizationFields, HttpRequest, Scope, TokenUrl,
};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Microsoft adds a ready-made `message` to the device authorization response.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct MsDeviceFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}
impl ExtraDeviceAuthorizationFields for MsDeviceFields {}

/// What the admin must do on another device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceCodePrompt {
    pub user_code: String,
    pub verification_uri: String,
    pub message: String,
    pub expires_in_secs: u64,
}

/// Ask for a device code, hand it to `on_prompt`, then poll until someone signs in, the code
/// expires, `timeout` passes, or `cancel` fires.
#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename the arguments
pub async fn run(
    http_client: &reqwest::Client,
    devicecode_url: &str,
    token_url: &str,
    client_id: &str,
    scopes: &[String],
    on_prompt: impl FnOnce(DeviceCodePrompt),
    timeout: Duration,
    cancel: &Cancel,
) -> Result<MsTokenResponse, IdentityError> {
    let bad_url = |e: oauth2::url::ParseError| {
        IdentityError::input(
            "authority_url",
            format!("The authority URL is not valid ({e})."),
            "Check the authority URL override.",
        )
    };
    let client: MsClient<oauth2::EndpointNotSet, oauth2::EndpointSet, oauth2::EndpointSet> =
        oauth2::Client::new(ClientId::new(client_id.into()))
            .set_auth_type(AuthType::RequestBody)
            .set_device_authorization_url(
                DeviceAuthorizationUrl::new(devicecode_url.into()).map_err(bad_url)?,
            )
            .set_token_uri(TokenUrl::new(token_url.into()).map_err(bad_url)?);
    let send = |req: HttpRequest| async move { http::send(http_client, req).await };

    let details: DeviceAuthorizationResponse<MsDeviceFields> = super::or_cancel(cancel, async {
        client
            .exchange_device_code()
            .add_scopes(scopes.iter().map(|s| Scope::new(s.clone())))
            .request_async(&send)
            .await
            .map_err(|e| map_request_error(e, Into::into))
    })
    .await?;

    let verification_uri = details.verification_uri().to_string();
    let user_code = details.user_code().secret().to_string();
    let message = details.extra_fields().message.clone().unwrap_or_else(|| {
        format!("To sign in, open {verification_uri} and enter the code {user_code}.")
    });
    on_prompt(DeviceCodePrompt {
        user_code,
        verification_uri,
        message,
        expires_in_secs: details.expires_in().as_secs(),
    });

    let poll = async {
        client
            .exchange_device_access_token(&details)
            .request_async(&send, tokio::time::sleep, None)
            .await
            .map_err(|e| {
                map_request_error(e, |r: oauth2::DeviceCodeErrorResponse| {
                    MsError::new(
                        r.error().as_ref(),
                        r.error_description().cloned().unwrap_or_default(),
                        &[],
                    )
                })
            })
    };
    super::or_cancel(cancel, async {
        tokio::time::timeout(timeout, poll)
            .await
            .map_err(|_| IdentityError::Timeout(timeout.as_secs()))?
    })
    .await
}
