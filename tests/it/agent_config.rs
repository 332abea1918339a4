//! Integration tests: agent_config
