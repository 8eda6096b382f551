//! `auth "name" { … }`: forward authentication through an Authentik outpost.

use super::*;

pub const PROVIDER: Attr = attr(
    "provider",
    Ty::Choice(&["authentik"]),
    Dflt::Req("\"authentik\""),
    "",
);
pub const OUTPOST: Attr = attr(
    "outpost",
    Ty::Target,
    Dflt::Req("app.authentik.port.http"),
    "the forward-auth endpoint; `app.<name>` needs an app with exactly one port ([E0315](errors.md#e0315-ambiguous-or-missing-port))",
);
pub const GROUPS: Attr = attr(
    "groups",
    Ty::List(&Ty::Str(StrClass::ProviderId)),
    Dflt::Empty,
    "Authentik groups allowed; non-empty, no control characters",
);

pub const TOKEN: Attr = attr(
    "token",
    Ty::Ref(&["secret"]),
    Dflt::Said("none: `TF_VAR_authentik_token` on the controller"),
    "the Authentik API token the auth root's `terraform apply` reads from Vault; give the Authentik app the same secret as `AUTHENTIK_BOOTSTRAP_TOKEN` so a first install creates it (docs/operating.md)",
);

pub static AUTH: Schema = Schema {
    kind: "auth",
    what: "an auth",
    label: Label::One(StrClass::Name),
    attrs: &[PROVIDER, OUTPOST, GROUPS, TOKEN],
    inherits: None,
    blocks: &[],
};
