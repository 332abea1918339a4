//! The one integration-test binary. One module per area.

mod agent_config;
mod common;
mod exchange;
mod identity;
mod keys;
mod ldap;
mod proxy;
mod settings;
mod support_report;
mod validate;
