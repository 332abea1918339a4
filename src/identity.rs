//! Microsoft identity platform: national clouds, sign-in, consent (issue 5).
//!
//! - [`cloud`]: the national-cloud table (sign-in authority, Graph, Exchange Online), in one place.
//! - [`authorize`] + [`loopback`] + [`token`]: the Service Provider Application's delegated
//!   sign-in (authorization code + PKCE S256 in the system browser, loopback redirect).
//! - [`device`]: the device code flow for machines without a browser.
//! - [`consent`]: the `/adminconsent` URL and its return.
//! - [`certificate`] + [`assertion`]: the Customer Owned Application's certificate credential and
//!   the client credentials grant with a JWT client assertion (PS256, `x5t#S256`).
//! - [`graph`]: `GET /v1.0/organization`.
//! - [`proxy`]: the system proxy and the admin's explicit proxy for all Microsoft traffic.
//! - [`errors`]: every failure as a typed error with a stable code, including the AADSTS table.
//! - [`signin`]: the high-level calls the CLI and the desktop shell make.
//!
//! Tokens only serve to verify the connection: they are dropped as soon as the check is done
//! and never written anywhere.

pub mod assertion;
pub mod authorize;
pub mod certificate;
pub mod cloud;
pub mod consent;
pub mod device;
pub mod errors;
pub mod graph;
pub mod http;
pub mod jws;
pub mod loopback;
pub mod permissions;
pub mod proxy;
pub mod signin;
pub mod token;

pub use cloud::{CloudEndpoints, Endpoints};
pub use errors::IdentityError;
pub use signin::{SignInEvent, SignInMethod, SignInReport, SignInRequest, Tenant};

/// The crate's one cancel switch; the flow ends with [`IdentityError::Cancelled`].
pub use crate::cancel::Cancel;

/// Run `fut` unless `cancel` fires first.
pub(crate) async fn or_cancel<T>(
    cancel: &Cancel,
    fut: impl std::future::Future<Output = Result<T, IdentityError>>,
) -> Result<T, IdentityError> {
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(IdentityError::Cancelled),
        r = fut => r,
    }
}
