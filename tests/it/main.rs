//! The one integration-test binary. One module per area.

mod common;
mod validate;
mod keys;
mod agent_config;
mod support_report;
mod ldap;
mod identity;
mod exchange;
