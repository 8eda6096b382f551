//! `pipeline "name" { … }`: a Jenkinsfile.

use super::*;

pub const AGENT: Attr = attr(
    "agent",
    Ty::Str(StrClass::ProviderId),
    Dflt::Str("any"),
    "Jenkins agent",
);
pub const BRANCH: Attr = attr(
    "branch",
    Ty::Str(StrClass::ProviderId),
    Dflt::Str("main"),
    "",
);
pub const ENVIRONMENTS: Attr = attr(
    "environments",
    Ty::List(&Ty::Ref(&["environment"])),
    Dflt::Said("every environment, in order"),
    "deployed in this order",
);
pub const NOTIFY: Attr = attr(
    "notify",
    Ty::Str(StrClass::FreeText),
    Dflt::None,
    "notification channel",
);
pub const CREDENTIALS: Attr = attr(
    "credentials",
    Ty::Map {
        key: StrClass::EnvVarName,
        value: &Ty::Scalar(StrClass::ProviderId),
    },
    Dflt::Empty,
    "env var name (`[A-Za-z_][A-Za-z0-9_]*`) → Jenkins credential id ([E0312](errors.md#e0312-unsafe-or-malformed-string))",
);
pub const TIMEOUT: Attr = attr("timeout", Ty::Duration, Dflt::Dur(3_600_000), "");

pub static PIPELINE: Schema = Schema {
    kind: "pipeline",
    what: "a pipeline",
    label: Label::One(StrClass::Name),
    attrs: &[AGENT, BRANCH, ENVIRONMENTS, NOTIFY, CREDENTIALS, TIMEOUT],
    inherits: None,
    blocks: &[],
};
