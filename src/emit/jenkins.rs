//! Jenkins
