//! `project "name" { … }`: settings every environment shares.

use super::*;

pub const DATACENTERS: Attr = attr(
    "datacenters",
    STRS_PROVIDER,
    Dflt::Said("`[\"dc1\"]`"),
    "Nomad datacenters of every job",
);
pub const REGION: Attr = attr(
    "region",
    Ty::Str(StrClass::ProviderId),
    Dflt::Str("global"),
    "Nomad region",
);
pub const REGISTRY: Attr = attr(
    "registry",
    Ty::Str(StrClass::ImageRef),
    Dflt::None,
    "for `${project.registry}` in images",
);
pub const VAULT: Attr = attr("vault", Ty::Str(StrClass::Url), Dflt::None, "Vault address");
pub const HCLOUD_TOKEN: Attr = attr(
    "hcloud_token",
    Ty::Ref(&["secret"]),
    Dflt::Said("none: `TF_VAR_hcloud_token` on the controller"),
    "the Hetzner Cloud API token the infra root's `terraform plan`/`apply` reads from Vault (docs/operating.md)",
);
pub const ACME_EMAIL: Attr = attr(
    "acme_email",
    Ty::Str(StrClass::Email),
    Dflt::None,
    "`user@domain.tld`, no spaces or quotes ([E0303](errors.md#e0303-value-out-of-range-or-malformed))",
);
pub const CADDY_ADMIN: Attr = attr(
    "caddy_admin",
    Ty::Str(StrClass::HostPort),
    Dflt::Str("localhost:2019"),
    "Caddy admin listen address; off loopback is [W0506](errors.md#w0506-caddy-admin-api-off-loopback) (`unix/…` counts as loopback)",
);
pub const CADDY_PLUGINS: Attr = attr(
    "caddy_plugins",
    Ty::List(&Ty::Choice(&["rate_limit", "dns_hetzner"])),
    Dflt::Empty,
    "plugins the operator's Caddy has; `\"rate_limit\"` enables `middleware.rate_limit`, `\"dns_hetzner\"` wildcard route hosts (DNS-01, [E0316](errors.md#e0316-feature-needs-a-caddy-plugin)); other names [E0306](errors.md#e0306-value-not-among-the-allowed-choices)",
);
pub const NAMESERVERS: Attr = attr(
    "nameservers",
    Ty::List(&Ty::Str(StrClass::Hostname)),
    Dflt::Said("Hetzner's three"),
    "NS for zone files; a final `.` is added",
);
pub const SALT_TARGETS: Attr = attr(
    "salt_targets",
    Ty::Map {
        key: StrClass::Name,
        value: &Ty::Scalar(StrClass::GrainTarget),
    },
    Dflt::Said("see below"),
    "grain targets by role: keys `controller`, `proxy`, `apps` only ([E0202](errors.md#e0202-unknown-attribute)); values `grain:value` without spaces ([E0303](errors.md#e0303-value-out-of-range-or-malformed))",
);

pub const CADDY_VERSION: Attr = attr(
    "caddy_version",
    Ty::Str(StrClass::FreeText),
    Dflt::Str("2.11"),
    "the Caddy the config targets, `\"2.6\"` (Debian stable) to `\"2.11\"` (a patch level such as `\"2.6.2\"` is allowed); others [E0306](errors.md#e0306-value-not-among-the-allowed-choices). What the target cannot do is an error naming the version ([E0330](errors.md#e0330-feature-needs-a-newer-caddy))",
);
pub const CADDY_IMAGE: Attr = attr(
    "caddy_image",
    Ty::Str(StrClass::ImageRef),
    Dflt::Said("`\"caddy:2.<minor>-alpine\"` of `caddy_version`"),
    "image of the proxy job's Caddy task; required with `caddy_plugins` ([E0332](errors.md#e0332-caddy-plugins-without-caddy_image))",
);
pub const NGINX_IMAGE: Attr = attr(
    "nginx_image",
    Ty::Str(StrClass::ImageRef),
    Dflt::Said("`\"nginx:1.28-alpine\"`"),
    "image of the proxy job's nginx stream task (runs only when the spec has `stream` blocks)",
);
pub const TERRAFORM_BACKEND: Attr = attr(
    "terraform_backend",
    Ty::Choice(&["consul", "local"]),
    Dflt::Str("consul"),
    "where Terraform keeps each environment's state: `\"consul\"`, Consul KV at `hecate/<project>/<environment>/terraform` with locking (through the controller's local Consul agent, or `CONSUL_HTTP_ADDR`); `\"local\"`, a `terraform.tfstate` beside the module",
);

pub const LOG_FILE: Attr = attr(
    "file",
    Ty::Str(StrClass::FilePath),
    Dflt::Req("\"/var/log/caddy/access.log\""),
    "an absolute path without `{`, `}` ([E0312](errors.md#e0312-unsafe-or-malformed-string))",
);
pub const LOG_LEVEL: Attr = attr(
    "level",
    Ty::Choice(&["DEBUG", "INFO", "WARN", "ERROR"]),
    Dflt::Str("INFO"),
    "",
);
pub const LOG_ROLL_SIZE: Attr = attr(
    "roll_size",
    Ty::Size { nonzero: true },
    Dflt::Said("100MiB (Caddy's)"),
    "rotate the file at this size; whole MiB, at most 100GiB",
);
pub const LOG_ROLL_KEEP: Attr = attr(
    "roll_keep",
    Ty::Int {
        min: 1,
        max: 10_000,
        unit: "",
    },
    Dflt::Said("10 (Caddy's)"),
    "rotated files kept",
);
pub const LOG_ROLL_KEEP_FOR: Attr = attr(
    "roll_keep_for",
    Ty::Duration,
    Dflt::Said("90 days (Caddy's)"),
    "how long a rotated file is kept; whole days (`720h`)",
);

/// `log { … }` in `project`: Caddy's default log (its own messages and
/// every access entry no route log takes) written to a file, as a
/// Caddyfile's global `log` option.
pub static LOG: Schema = Schema {
    kind: "log",
    what: "the global log",
    label: Label::None,
    attrs: &[
        LOG_FILE,
        LOG_LEVEL,
        LOG_ROLL_SIZE,
        LOG_ROLL_KEEP,
        LOG_ROLL_KEEP_FOR,
    ],
    inherits: None,
    blocks: &[],
};

pub const STORAGE_ROOT: Attr = attr(
    "root",
    Ty::Str(StrClass::FilePath),
    Dflt::Req("\"/data\""),
    "Caddy's `file_system` storage: certificates, ACME accounts, locks; under `/data`, the proxy job's persistent volume ([E0353](errors.md#e0353-certificate-storage-outside-the-data-volume))",
);

/// `storage { … }` in `project`: where Caddy keeps certificates.
pub static STORAGE: Schema = Schema {
    kind: "storage",
    what: "the certificate storage",
    label: Label::None,
    attrs: &[STORAGE_ROOT],
    inherits: None,
    blocks: &[],
};

pub static PROJECT: Schema = Schema {
    kind: "project",
    what: "the project",
    label: Label::One(StrClass::Name),
    attrs: &[
        DATACENTERS,
        REGION,
        REGISTRY,
        VAULT,
        HCLOUD_TOKEN,
        ACME_EMAIL,
        CADDY_ADMIN,
        CADDY_PLUGINS,
        NAMESERVERS,
        SALT_TARGETS,
        CADDY_VERSION,
        CADDY_IMAGE,
        NGINX_IMAGE,
        TERRAFORM_BACKEND,
    ],
    inherits: None,
    blocks: &[&LOG, &STORAGE],
};
