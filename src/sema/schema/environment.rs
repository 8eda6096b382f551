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

pub const HOST_SUFFIX: Attr = own(attr(
    "host_suffix",
    Ty::Str(StrClass::LabelSuffix),
    Dflt::None,
    "appended to the first label of every route host and record name (`api.example.com` → `api-staging.example.com`; a zone's apex becomes `staging.example.com`): lower-case letters, digits and `-`, at most 30; see [§5 Isolation](#isolation-of-environments)",
));
pub const REGION: Attr = own(attr(
    "region",
    Ty::Str(StrClass::ProviderId),
    Dflt::Said("the project's"),
    "the Nomad region of this environment's cluster (its jobs, its servers' agents); two environments in one region must not run a job of the same name ([E0409](errors.md#e0409-two-environments-own-the-same-external-thing))",
));

pub const OWN_IMAGES: Attr = own(attr(
    "own_images",
    Ty::Bool,
    Dflt::Bool(false),
    "with `promote_from`: this environment deploys images of its own; otherwise its images must be its source's ([E0411](errors.md#e0411-promoted-environment-deploys-other-images)) and its deployment first checks the release its source recorded (docs/operating.md)",
));

pub static ENVIRONMENT: Schema = Schema {
    kind: "environment",
    what: "an environment",
    label: Label::One(StrClass::Name),
    attrs: &[
        VARS,
        APPROVAL,
        PROMOTE_FROM,
        CANARY_STAGE,
        HOST_SUFFIX,
        REGION,
        OWN_IMAGES,
    ],
    inherits: None,
    blocks: &[],
};
