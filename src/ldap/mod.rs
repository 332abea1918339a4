//! Live LDAPS checks of domain controllers (issue 4).
