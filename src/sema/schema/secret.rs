//! `secret "name" { … }`: a Vault reference, never a value.

use super::*;

pub const VAULT: Attr = attr(
    "vault",
    Ty::Str(StrClass::VaultPath),
    Dflt::Req("\"secret/<app>/<name>\""),
    "non-empty; no whitespace, `\"` or `{{` ([E0312](errors.md#e0312-unsafe-or-malformed-string))",
);
pub const KEY: Attr = attr(
    "key",
    Ty::Str(StrClass::VaultKey),
    Dflt::Str("value"),
    "ASCII letters, digits, `_`, `-` ([E0312](errors.md#e0312-unsafe-or-malformed-string))",
);

pub static SECRET: Schema = Schema {
    kind: "secret",
    what: "a secret",
    label: Label::One(StrClass::Name),
    attrs: &[VAULT, KEY],
    inherits: None,
    blocks: &[],
};
