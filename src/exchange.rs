//! Exchange Online (issue 9): the roles the service account needs, and the live check that it
//! holds them.
//!
//! - [`roles`]: the vendor's requirements table (per connection kind, per feature), where each
//!   role lives (Exchange management role in a role group, or Microsoft Entra directory role),
//!   what is "also needed in practice", and the admin's feature choice.
//! - [`script`]: the role-group PowerShell the admin copies, every value quoted.
//! - [`adminapi`]: the Exchange Online admin API client (`InvokeCommand`, read-only cmdlets).
//! - [`directory`]: the account's active Entra directory roles, from Microsoft Graph.
//! - [`check`]: the live check (sign in, read, compare, report per role with the fix).
//! - [`record`]: what the saved connection remembers of the latest check (never a token).
//! - [`errors`]: typed errors with stable codes.
//!
//! See `docs/exchange-online.md`.

pub mod adminapi;
pub mod check;
pub mod directory;
pub mod errors;
pub mod record;
pub mod roles;
pub mod script;

pub use check::{check, CheckReport, CheckRequest, RoleResult, Status};
pub use errors::ExchangeError;
pub use record::ExchangeCheckRecord;
pub use roles::{
    checks_for, parse_features, required_roles, ExtraRole, Feature, RequiredBy, RoleCheckItem,
    RoleInfo, RoleRequirement, RoleSource, USER_ADMINISTRATOR, USER_ADMINISTRATOR_TEMPLATE_ID,
};
pub use script::{ps_quote, role_group_command, role_group_script, DEFAULT_ROLE_GROUP};
