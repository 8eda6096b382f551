//! `environment "name" { … }`: one compiled output tree.

use super::*;

const fn own(a: Attr) -> Attr {
    Attr {
        env: Override::Own,
        ..a
    }
}

pub const VARS: Attr = own(attr(
    "vars",
    Ty::Map {
        key: StrClass::Name,
        value: &Ty::Any,
    },
    Dflt::Empty,
    "variable values for this environment",
));
pub const APPROVAL: Attr = own(attr(
    "approval",
    Ty::Bool,
    Dflt::Bool(false),
    "a Jenkins `input` gate before this environment is applied",
));
pub const PROMOTE_FROM: Attr = own(attr(
    "promote_from",
    Ty::Ref(&["environment"]),
    Dflt::None,
    "the environment whose build is promoted here; itself is [E0401](errors.md#e0401-cycle)",
));
pub const CANARY_STAGE: Attr = own(attr(
    "canary_stage",
    Ty::Int {
        min: 1,
        max: 100,
        unit: "",
    },
    Dflt::Int(1),
    "the first stage (1-based) of each canary rollout the pipeline runs in this environment (Caddy starts with no split either way); past the last stage means the last",
));

pub static ENVIRONMENT: Schema = Schema {
    kind: "environment",
    what: "an environment",
    label: Label::One(StrClass::Name),
    attrs: &[VARS, APPROVAL, PROMOTE_FROM, CANARY_STAGE],
    inherits: None,
    blocks: &[],
};
