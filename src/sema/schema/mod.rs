//! Block schemas as data: one table per block kind saying which attributes
//! and nested blocks it takes, each attribute's type (with the lexical class
//! of every string), default, doc line and whether environments may differ.
//!
//! The tables drive the shape check (`eval::check_shape`), the typed reads
//! (`Cx::*_of` getters take a row, so range and default live here), the
//! attribute tables of docs/language.md (tests/it/schema_docs.rs) and the fuzz
//! dictionary. Adding an attribute is one row here plus the code using it.

pub mod app;
pub mod auth;
pub mod dns;
pub mod environment;
pub mod firewall;
pub mod middleware;
pub mod pipeline;
pub mod placement;
pub mod project;
pub mod proxy;
mod render;
pub mod rollout;
pub mod route;
pub mod secret;
pub mod server;
pub mod stream;
pub mod unsupported;
pub mod upstream;
pub mod variable;

pub use render::{duration, markdown_table, marker, update_docs};

/// The top-level block kinds, in declaration order (`TOP` lists their schemas).
pub const KINDS: &[&str] = &[
    "project",
    "variable",
    "environment",
    "secret",
    "server",
    "firewall",
    "app",
    "upstream",
    "middleware",
    "auth",
    "route",
    "stream",
    "dns",
    "rollout",
    "pipeline",
];

/// Every top-level block kind's schema, in the order of `KINDS`.
pub static TOP: &[&Schema] = &[
    &project::PROJECT,
    &variable::VARIABLE,
    &environment::ENVIRONMENT,
    &secret::SECRET,
    &server::SERVER,
    &firewall::FIREWALL,
    &app::APP,
    &upstream::UPSTREAM,
    &middleware::MIDDLEWARE,
    &auth::AUTH,
    &route::ROUTE,
    &stream::STREAM,
    &dns::DNS,
    &rollout::ROLLOUT,
    &pipeline::PIPELINE,
];

/// One block kind.
#[derive(Debug)]
pub struct Schema {
    /// The keyword: `app`, `port`, `record`.
    pub kind: &'static str,
    /// How diagnostics name it: "an app", "a firewall rule".
    pub what: &'static str,
    /// What its label is, if it takes one.
    pub label: Label,
    pub attrs: &'static [Attr],
    /// Attributes it takes from another block as well: an app without
    /// `task` blocks is its own task. Listed after `attrs` in the shape
    /// check, as one row "see *task*" in the docs.
    pub inherits: Option<&'static Schema>,
    pub blocks: &'static [&'static Schema],
}

/// A block's label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    None,
    /// One label of this lexical class.
    One(StrClass),
}

/// One attribute (one row of the table).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Attr {
    pub name: &'static str,
    pub ty: Ty,
    pub default: Dflt,
    /// The docs' "rules" column: what the value means, what it must be.
    pub doc: &'static str,
    pub env: Override,
}

impl Attr {
    /// The example a "missing" diagnostic suggests (`Dflt::Req`).
    pub fn example(&self) -> &'static str {
        match self.default {
            Dflt::Req(e) => e,
            _ => "…",
        }
    }
}

/// What an attribute's value must be.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ty {
    /// A string (quoted or heredoc) of this lexical class.
    Str(StrClass),
    /// A whole number in `min..=max`.
    Int {
        min: i64,
        max: i64,
        unit: &'static str,
    },
    Bool,
    /// A whole number 1..=65535.
    Port,
    Duration,
    /// A size literal; `nonzero` rejects `0`.
    Size {
        nonzero: bool,
    },
    /// A percent literal, 0%..=100%.
    Percent,
    /// A string that is one of these.
    Choice(&'static [&'static str]),
    List(&'static Ty),
    /// An object: keys of this class, values of that type.
    Map {
        key: StrClass,
        value: &'static Ty,
    },
    /// A string, number or bool, written as its text (`labels`, `env`).
    Scalar(StrClass),
    /// A reference to an entity of one of these kinds.
    Ref(&'static [&'static str]),
    /// `app.<name>`, `app.<name>.port.<port>` or `upstream.<name>`.
    Target,
    /// An object with exactly these fields.
    Fields(&'static [Attr]),
    /// A port number, or a `"FROM-TO"` range string.
    PortOrRange,
    /// A zone-file RDATA string, or `server.<name>.ipv4` / `.ipv6`.
    RecordValue,
    /// A type name, bare or quoted (a variable's `type`).
    TypeName,
    /// Any value.
    Any,
}

/// The lexical class of a string: where it lands decides what it may hold.
/// Checking the classes is `trust`'s; here each string field is assigned one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StrClass {
    /// A DNS host name (`cloud.example.com`; `*.` wildcard where allowed).
    Hostname,
    /// One DNS label: letters, digits, `-` (Consul service names).
    DnsLabel,
    /// What may be appended to a DNS label (`-staging`): lower-case
    /// letters, digits and `-`, the result still a label.
    LabelSuffix,
    /// An eosc name: a letter, then letters, digits, `_`, `-` (≤ 63).
    Name,
    /// A record name relative to its zone: `@`, `*`, `www`, `_dmarc`.
    RecordName,
    /// An environment variable name: `[A-Za-z_][A-Za-z0-9_]*`.
    EnvVarName,
    /// Zone-file RDATA; its grammar depends on the record's `type`.
    ZoneRdata,
    /// An absolute URL path (`/health`).
    UrlPath,
    /// A Caddy path pattern (`/api/*`).
    PathPattern,
    /// An HTTP header field name (a token).
    HeaderName,
    /// An HTTP header field value (no control characters but tab).
    HeaderValue,
    /// A header value Caddy expands: the request placeholders of
    /// `sema::placeholders` (`{remote_host}`, `{header.X-Foo}`) only; any
    /// other brace is literal text.
    HeaderTemplate,
    /// A URL query parameter name.
    QueryParam,
    /// An absolute file path on a host or in a container.
    FilePath,
    /// An absolute URL or a path (redirect targets; may hold Caddy placeholders).
    Url,
    /// A container image reference (`registry:5000/app:1.2@sha256:…`).
    ImageRef,
    /// A Vault KV v2 path.
    VaultPath,
    /// A field of a KV entry, spliced into a Consul-template expression.
    VaultKey,
    /// `host:port` (IPv6 in brackets).
    HostPort,
    /// An address with a prefix length: `10.0.0.0/8`.
    Cidr,
    /// An e-mail address.
    Email,
    /// Five cron fields.
    Cron,
    /// A Go RE2 regular expression.
    Regexp,
    /// A Nomad node attribute as its scheduler interpolates it:
    /// `${attr.…}`, `${meta.…}` or one of `${node.…}`'s fields, and nothing
    /// else; written into the job as Nomad's own interpolation.
    NodeTarget,
    /// A Salt grain match: `roles:hecate-controller`.
    GrainTarget,
    /// A provider's identifier (Hetzner server type, location, OS image;
    /// Nomad datacenter, region, host volume; Jenkins agent, branch,
    /// credential id; Authentik group).
    ProviderId,
    /// A command path or argument, passed to exec as one argv item.
    Argv,
    /// Text Caddy must not expand: no `{placeholder}` may take effect.
    PlaceholderFree,
    /// Free text (descriptions, notification channels).
    FreeText,
}

impl StrClass {
    pub fn doc(self) -> &'static str {
        match self {
            StrClass::Hostname => "a DNS host name",
            StrClass::DnsLabel => "a DNS label",
            StrClass::LabelSuffix => "a suffix to a DNS label",
            StrClass::Name => "an eosc name",
            StrClass::RecordName => "a record name relative to its zone",
            StrClass::EnvVarName => "an environment variable name",
            StrClass::ZoneRdata => "zone-file RDATA for the record's type",
            StrClass::UrlPath => "an absolute URL path",
            StrClass::PathPattern => "a Caddy path pattern",
            StrClass::HeaderName => "an HTTP header name",
            StrClass::HeaderValue => "an HTTP header value",
            StrClass::HeaderTemplate => "an HTTP header value with request placeholders",
            StrClass::QueryParam => "a query parameter name",
            StrClass::FilePath => "an absolute file path",
            StrClass::Url => "a URL or path",
            StrClass::ImageRef => "a container image reference",
            StrClass::VaultPath => "a Vault KV v2 path",
            StrClass::VaultKey => "a Vault KV field name",
            StrClass::HostPort => "`host:port`",
            StrClass::Cidr => "a CIDR block",
            StrClass::Email => "an e-mail address",
            StrClass::Cron => "a cron expression",
            StrClass::Regexp => "an RE2 regular expression",
            StrClass::NodeTarget => {
                "a Nomad node attribute (`${attr.…}`, `${meta.…}`, `${node.…}`)"
            }
            StrClass::GrainTarget => "a Salt grain match",
            StrClass::ProviderId => "a provider identifier",
            StrClass::Argv => "one argv item",
            StrClass::PlaceholderFree => "text without Caddy placeholders",
            StrClass::FreeText => "free text",
        }
    }
}

/// An attribute's default.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dflt {
    /// Optional, no value when absent.
    None,
    /// Required; the example a diagnostic suggests.
    Req(&'static str),
    Bool(bool),
    Int(i64),
    /// Milliseconds.
    Dur(u64),
    /// Bytes.
    Size(u64),
    Str(&'static str),
    /// An empty list or object.
    Empty,
    /// Computed by the code; the docs say how.
    Said(&'static str),
}

/// Whether an attribute may have a different value in each environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Override {
    /// Evaluated for each environment: `var.*` and `env.name` give it
    /// that environment's value.
    PerEnv,
    /// An environment's own setting, written in its `environment` block
    /// (`var.*` has no value there yet).
    Own,
    /// Read as written, never evaluated: the same in every environment.
    Fixed,
}

impl Schema {
    /// Every attribute name the shape check accepts, in table order.
    pub fn attr_names(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self.attrs.iter().map(|a| a.name).collect();
        if let Some(i) = self.inherits {
            v.extend(i.attrs.iter().map(|a| a.name));
        }
        v
    }

    pub fn block_names(&self) -> Vec<&'static str> {
        self.blocks.iter().map(|b| b.kind).collect()
    }

    pub fn attr(&self, name: &str) -> Option<&'static Attr> {
        self.attrs
            .iter()
            .chain(self.inherits.into_iter().flat_map(|i| i.attrs.iter()))
            .find(|a| a.name == name)
    }

    /// The nested block schema named `kind`.
    pub fn block(&self, kind: &str) -> Option<&'static Schema> {
        self.blocks.iter().copied().find(|b| b.kind == kind)
    }
}

/// The top-level schema of a block kind.
pub fn top(kind: &str) -> Option<&'static Schema> {
    TOP.iter().copied().find(|s| s.kind == kind)
}

/// Every block schema with its path (`app`, `app.task`, `app.task.resources`),
/// depth first, top-level kinds in `resolve::KINDS` order.
pub fn all() -> Vec<(String, &'static Schema)> {
    fn walk(path: String, s: &'static Schema, out: &mut Vec<(String, &'static Schema)>) {
        out.push((path.clone(), s));
        for b in s.blocks {
            walk(format!("{path}.{}", b.kind), b, out);
        }
    }
    let mut out = Vec::new();
    for s in TOP {
        walk(s.kind.to_string(), s, &mut out);
    }
    out
}

/// Where in an attribute's value a string sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// The block's label.
    Label,
    /// The value itself.
    Value,
    /// Each item of a list.
    Item,
    /// Each key of an object.
    Key,
    /// Each value of an object (strings, or numbers and bools as text).
    MapValue,
    /// A field of an object with fixed fields (`rate_limit.window`).
    Field(&'static str),
}

/// One string field of one block: what `trust` checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrField {
    /// `app.task`, `dns.record`.
    pub block: String,
    /// The attribute; `""` for the label.
    pub attr: &'static str,
    pub place: Place,
    pub class: StrClass,
}

/// Every string field of every block schema, with its lexical class.
pub fn classes() -> Vec<StrField> {
    fn of_ty(block: &str, attr: &'static str, ty: &Ty, place: Place, out: &mut Vec<StrField>) {
        let mut push = |place, class| {
            out.push(StrField {
                block: block.to_string(),
                attr,
                place,
                class,
            })
        };
        match ty {
            Ty::Str(c) | Ty::Scalar(c) => push(place, *c),
            Ty::RecordValue => push(place, StrClass::ZoneRdata),
            Ty::List(inner) => of_ty(block, attr, inner, Place::Item, out),
            Ty::Map { key, value } => {
                out.push(StrField {
                    block: block.to_string(),
                    attr,
                    place: Place::Key,
                    class: *key,
                });
                of_ty(block, attr, value, Place::MapValue, out);
            }
            Ty::Fields(fields) => {
                for f in *fields {
                    of_ty(block, attr, &f.ty, Place::Field(f.name), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (path, s) in all() {
        if let Label::One(c) = s.label {
            out.push(StrField {
                block: path.clone(),
                attr: "",
                place: Place::Label,
                class: c,
            });
        }
        for a in s.attrs {
            of_ty(&path, a.name, &a.ty, Place::Value, &mut out);
        }
    }
    out
}

/// Every block keyword and attribute name, sorted and deduplicated: what
/// the fuzz dictionary must list.
pub fn words() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = Vec::new();
    for (_, s) in all() {
        v.push(s.kind);
        v.extend(s.attrs.iter().map(|a| a.name));
        for a in s.attrs {
            if let Ty::Fields(f) = a.ty {
                v.extend(f.iter().map(|f| f.name));
            }
        }
    }
    v.sort_unstable();
    v.dedup();
    v
}

/// Shorthand for table rows.
pub(crate) const fn attr(name: &'static str, ty: Ty, default: Dflt, doc: &'static str) -> Attr {
    Attr {
        name,
        ty,
        default,
        doc,
        env: Override::PerEnv,
    }
}

pub(crate) const STRS_PROVIDER: Ty = Ty::List(&Ty::Str(StrClass::ProviderId));
pub(crate) const ARGV: Ty = Ty::List(&Ty::Str(StrClass::Argv));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_the_top_schemas() {
        let top: Vec<&str> = TOP.iter().map(|s| s.kind).collect();
        assert_eq!(top, KINDS);
    }

    #[test]
    fn no_attribute_twice_in_a_block() {
        for (path, s) in all() {
            let mut names = s.attr_names();
            let n = names.len();
            names.sort_unstable();
            names.dedup();
            assert_eq!(n, names.len(), "{path} lists an attribute twice");
        }
    }

    #[test]
    fn every_string_field_has_a_class() {
        let c = classes();
        assert!(c.iter().any(|f| f.block == "dns.record"
            && f.attr == "value"
            && f.class == StrClass::ZoneRdata));
        assert!(c.iter().any(|f| f.block == "app"
            && f.attr.is_empty()
            && f.place == Place::Label
            && f.class == StrClass::Name));
        assert!(c.iter().any(|f| f.block == "app.task"
            && f.attr == "env"
            && f.place == Place::Key
            && f.class == StrClass::EnvVarName));
    }

    #[test]
    fn durations_render_in_their_largest_unit() {
        assert_eq!(duration(300_000), "5m");
        assert_eq!(duration(3_600_000), "1h");
        assert_eq!(duration(2_500), "2500ms");
    }
}
