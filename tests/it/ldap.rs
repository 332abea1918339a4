//! Integration tests: ldap
