//! `variable "name" { … }`: a value each environment may set.

use super::*;

pub const TYPE: Attr = Attr {
    env: Override::Fixed,
    ..attr(
        "type",
        Ty::TypeName,
        Dflt::Said("none (any value)"),
        "an unknown name is [E0306](errors.md#e0306-value-not-among-the-allowed-choices); list and object contents are not typed",
    )
};
pub const DEFAULT: Attr = attr(
    "default",
    Ty::Any,
    Dflt::None,
    "evaluated per environment; may use `env.name`, `project.<attr>` and variables declared *before* it (in load order: imported files first)",
);
pub const DESCRIPTION: Attr = Attr {
    env: Override::Fixed,
    ..attr("description", Ty::Any, Dflt::None, "documentation only")
};

pub static VARIABLE: Schema = Schema {
    kind: "variable",
    what: "a variable",
    label: Label::One(StrClass::Name),
    attrs: &[TYPE, DEFAULT, DESCRIPTION],
    inherits: None,
    blocks: &[],
};
