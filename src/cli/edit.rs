//! `eosc route|app|upstream|dns|secret|auth|middleware list|show|add|set|rm`:
//! Day-2 edits and queries of the spec (docs/operating.md, "Day 2").
//!
//! An edit runs under the lock `compile` uses (`out_dir::lock`), taken in
//! the root spec's directory (`.eosc.lock` beside `hecate.hcl`), so two
//! edits of one spec run one after the other and the second sees the first's
//! result. Under the lock: load and check the spec (it must have no errors),
//! compute the new text (`eosc::edit`), check the edited spec in memory,
//! and only if it has no errors write each changed file atomically
//! (temporary file + rename, `fmt::replace_file`). A refused edit (exit 1)
//! writes nothing. No flag takes a secret value: `secret add` writes a
//! Vault path and key only.

use super::{FsLoader, PROBLEMS, USAGE};
use clap::{Subcommand, ValueEnum};
use eosc::edit::query::{self, Kind};
use eosc::edit::{Edit, Locator, NewBlock, Refusal, Spec, Value};
use eosc::sema::resolve::{LoadError, Loader};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Table,
    Json,
}

#[derive(clap::Args)]
pub struct SpecArg {
    /// The root spec file.
    #[arg(short = 'f', long = "file", default_value = "hecate.hcl")]
    file: PathBuf,
}

#[derive(clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    spec: SpecArg,
    /// Only this environment (default: every one).
    #[arg(long)]
    env: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(clap::Args)]
pub struct RmArgs {
    #[command(flatten)]
    spec: SpecArg,
    /// Remove the references to it too (each is listed).
    #[arg(long)]
    force: bool,
}

/// The edit and query commands, one per kind.
#[derive(Subcommand)]
pub enum Noun {
    /// List, show, add, change or remove routes.
    #[command(subcommand)]
    Route(RouteCmd),
    /// List, show, add, change or remove apps.
    #[command(subcommand)]
    App(AppCmd),
    /// List, show, add, change or remove upstreams.
    #[command(subcommand)]
    Upstream(UpstreamCmd),
    /// List, show, add, change or remove DNS records.
    #[command(subcommand)]
    Dns(DnsCmd),
    /// List, show, add, change or remove secrets (Vault references only).
    #[command(subcommand)]
    Secret(SecretCmd),
    /// List, show, add, change or remove forward auths.
    #[command(subcommand)]
    Auth(AuthCmd),
    /// List, show, add, change or remove middleware.
    #[command(subcommand)]
    Middleware(MiddlewareCmd),
}

#[derive(Subcommand)]
pub enum RouteCmd {
    /// Every route, resolved per environment.
    List(ListArgs),
    /// The routes of one host.
    Show {
        host: String,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Add a route.
    Add {
        host: String,
        /// `app.NAME`, `app.NAME.port.PORT` or `upstream.NAME`.
        #[arg(long, required_unless_present = "redirect")]
        to: Option<String>,
        /// Redirect to this URL instead of proxying.
        #[arg(long, conflicts_with = "to")]
        redirect: Option<String>,
        /// A path pattern (`/api/*`); default the whole host.
        #[arg(long)]
        path: Option<String>,
        /// Forward auth (an `auth` name).
        #[arg(long)]
        auth: Option<String>,
        /// Middleware names, in order (repeat the flag).
        #[arg(long)]
        middleware: Vec<String>,
        /// The host's DNS lives outside this spec's zones (`dns = "external"`).
        #[arg(long)]
        dns_external: bool,
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Change a route (the one without a path, or the one of `--path`).
    Set {
        host: String,
        /// Which route of the host.
        #[arg(long)]
        path: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long, conflicts_with = "no_auth")]
        auth: Option<String>,
        /// Remove the route's forward auth.
        #[arg(long)]
        no_auth: bool,
        /// Replace the middleware list (repeat the flag).
        #[arg(long)]
        middleware: Vec<String>,
        /// Append to the middleware list (repeat the flag; on its own).
        #[arg(long, conflicts_with_all = ["to", "auth", "no_auth", "middleware"])]
        add_middleware: Vec<String>,
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Remove a route.
    Rm {
        host: String,
        #[arg(long)]
        path: Option<String>,
        #[command(flatten)]
        spec: SpecArg,
    },
}

#[derive(Subcommand)]
pub enum AppCmd {
    /// Every app, resolved per environment.
    List(ListArgs),
    /// One app, resolved per environment.
    Show {
        name: String,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Add an app.
    Add {
        name: String,
        #[arg(long)]
        image: String,
        /// A server name.
        #[arg(long)]
        runs_on: Option<String>,
        #[arg(long)]
        count: Option<i64>,
        /// `NAME=CONTAINER_PORT` (repeat the flag).
        #[arg(long)]
        port: Vec<String>,
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Change an app (or with `--task` one of its tasks).
    Set {
        name: String,
        #[arg(long)]
        task: Option<String>,
        #[arg(long)]
        image: Option<String>,
        #[arg(long)]
        count: Option<i64>,
        #[arg(long)]
        runs_on: Option<String>,
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Remove an app (refused while referenced, unless --force).
    Rm {
        name: String,
        #[command(flatten)]
        rm: RmArgs,
    },
}

#[derive(Subcommand)]
pub enum UpstreamCmd {
    /// Every upstream, resolved per environment.
    List(ListArgs),
    /// One upstream, resolved per environment.
    Show {
        name: String,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Add an upstream.
    Add {
        name: String,
        /// `HOST:PORT` (repeat the flag).
        #[arg(long, required = true)]
        target: Vec<String>,
        #[arg(long)]
        tls: bool,
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Change an upstream.
    Set {
        name: String,
        /// Replace the targets (repeat the flag).
        #[arg(long)]
        target: Vec<String>,
        /// Append a target (repeat the flag; on its own).
        #[arg(long, conflicts_with_all = ["target", "tls"])]
        add_target: Vec<String>,
        #[arg(long)]
        tls: Option<bool>,
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Remove an upstream (refused while referenced, unless --force).
    Rm {
        name: String,
        #[command(flatten)]
        rm: RmArgs,
    },
}

#[derive(Subcommand)]
pub enum DnsCmd {
    /// Every record, resolved per environment.
    List(ListArgs),
    /// The records of one zone.
    Show {
        zone: String,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Add a record to a zone.
    Add {
        zone: String,
        name: String,
        #[arg(long = "type")]
        rtype: String,
        /// The record data; `server.NAME.ipv4` / `.ipv6` is written as a reference.
        #[arg(long)]
        value: String,
        #[arg(long)]
        ttl: Option<i64>,
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Change a record (`--type` picks one of several with the name).
    Set {
        zone: String,
        name: String,
        #[arg(long = "type")]
        rtype: Option<String>,
        #[arg(long)]
        value: Option<String>,
        #[arg(long)]
        ttl: Option<i64>,
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Remove a record.
    Rm {
        zone: String,
        name: String,
        #[arg(long = "type")]
        rtype: Option<String>,
        #[command(flatten)]
        spec: SpecArg,
    },
}

#[derive(Subcommand)]
pub enum SecretCmd {
    /// Every secret, resolved per environment.
    List(ListArgs),
    /// One secret, resolved per environment.
    Show {
        name: String,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Add a secret: where it lives in Vault. Its value is never given to eosc.
    Add {
        name: String,
        /// The Vault KV v2 path.
        #[arg(long)]
        vault: String,
        /// The field of that secret (default `value`).
        #[arg(long)]
        key: Option<String>,
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Change a secret.
    Set {
        name: String,
        #[arg(long)]
        vault: Option<String>,
        #[arg(long)]
        key: Option<String>,
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Remove a secret (refused while referenced, unless --force).
    Rm {
        name: String,
        #[command(flatten)]
        rm: RmArgs,
    },
}

#[derive(Subcommand)]
pub enum AuthCmd {
    /// Every auth, resolved per environment.
    List(ListArgs),
    /// One auth, resolved per environment.
    Show {
        name: String,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Add an auth.
    Add {
        name: String,
        /// `app.NAME.port.PORT` of the outpost.
        #[arg(long)]
        outpost: String,
        /// A group allowed through (repeat the flag).
        #[arg(long = "group", required = true)]
        groups: Vec<String>,
        #[arg(long, default_value = "authentik")]
        provider: String,
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Change an auth.
    Set {
        name: String,
        #[arg(long)]
        outpost: Option<String>,
        /// Replace the groups (repeat the flag).
        #[arg(long = "group")]
        groups: Vec<String>,
        /// Append a group (repeat the flag; on its own).
        #[arg(long, conflicts_with_all = ["outpost", "groups"])]
        add_group: Vec<String>,
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Remove an auth (refused while referenced, unless --force).
    Rm {
        name: String,
        #[command(flatten)]
        rm: RmArgs,
    },
}

#[derive(Subcommand)]
pub enum MiddlewareCmd {
    /// Every middleware, resolved per environment.
    List(ListArgs),
    /// One middleware, resolved per environment.
    Show {
        name: String,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Add a middleware.
    Add {
        name: String,
        /// Middleware this one includes (repeat the flag).
        #[arg(long = "use")]
        uses: Vec<String>,
        /// `gzip`, `zstd` (repeat the flag).
        #[arg(long)]
        encode: Vec<String>,
        /// `NAME=VALUE` response header (repeat the flag).
        #[arg(long)]
        header: Vec<String>,
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Change a middleware.
    Set {
        name: String,
        #[arg(long = "use")]
        uses: Vec<String>,
        #[arg(long)]
        encode: Vec<String>,
        #[arg(long)]
        header: Vec<String>,
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Remove a middleware (refused while referenced, unless --force).
    Rm {
        name: String,
        #[command(flatten)]
        rm: RmArgs,
    },
}

/// What a command asks for, whatever its noun.
enum Op {
    Query {
        name: Option<String>,
        list: ListArgs,
    },
    Add(NewBlock),
    AddNested(Locator, NewBlock),
    Set(Locator, Vec<(String, Option<Value>)>),
    Append(Locator, &'static str, Vec<Value>),
    Rm(Locator, bool),
}

/// `auth.staff` or `staff` → `auth.staff`.
fn named(kind: &str, name: &str) -> Value {
    let prefix = format!("{kind}.");
    Value::Ref(if name.starts_with(&prefix) {
        name.to_string()
    } else {
        format!("{prefix}{name}")
    })
}

fn named_list(kind: &str, names: &[String]) -> Value {
    Value::List(names.iter().map(|n| named(kind, n)).collect())
}

fn strings(v: &[String]) -> Value {
    Value::List(v.iter().cloned().map(Value::Str).collect())
}

/// `NAME=VALUE` pairs; `Err` names the malformed one.
fn pairs(v: &[String], flag: &str) -> Result<Vec<(String, String)>, String> {
    v.iter()
        .map(|p| match p.split_once('=') {
            Some((k, val)) if !k.is_empty() => Ok((k.to_string(), val.to_string())),
            _ => Err(format!("--{flag} `{p}` is not NAME=VALUE")),
        })
        .collect()
}

/// A route's `--to`: a reference to an app (or one of its ports) or an upstream.
fn target(to: &str) -> Result<Value, String> {
    if (to.starts_with("app.") || to.starts_with("upstream."))
        && eosc::edit::value::is_reference(to)
    {
        Ok(Value::Ref(to.to_string()))
    } else {
        Err(format!(
            "--to `{}` is not `app.NAME`, `app.NAME.port.PORT` or `upstream.NAME`",
            to.escape_debug()
        ))
    }
}

/// A record's `--value`: `server.NAME.ipv4|ipv6` is a reference, anything
/// else the record data as a string.
fn record_value(v: &str) -> Value {
    let parts: Vec<&str> = v.split('.').collect();
    if parts.len() == 3
        && parts[0] == "server"
        && matches!(parts[2], "ipv4" | "ipv6")
        && eosc::edit::value::is_reference(v)
    {
        Value::Ref(v.to_string())
    } else {
        Value::Str(v.to_string())
    }
}

fn set_some(out: &mut Vec<(String, Option<Value>)>, name: &str, v: Option<Value>) {
    if let Some(v) = v {
        out.push((name.to_string(), Some(v)));
    }
}

/// The kind, spec file and operation of a command line.
fn op_of(noun: Noun) -> Result<(Kind, PathBuf, Op), String> {
    let query = |name: Option<String>, list: ListArgs| {
        let file = list.spec.file.clone();
        (file, Op::Query { name, list })
    };
    Ok(match noun {
        Noun::Route(c) => {
            let (file, op) = match c {
                RouteCmd::List(l) => query(None, l),
                RouteCmd::Show { host, list } => query(Some(host), list),
                RouteCmd::Add {
                    host,
                    to,
                    redirect,
                    path,
                    auth,
                    middleware,
                    dns_external,
                    spec,
                } => {
                    let mut b = NewBlock::new("route", &[&host]);
                    if let Some(p) = path {
                        b.attrs.push(("path".into(), Value::Str(p)));
                    }
                    if let Some(t) = to {
                        b.attrs.push(("to".into(), target(&t)?));
                    }
                    if let Some(r) = redirect {
                        b.attrs.push(("redirect".into(), Value::Str(r)));
                    }
                    if !middleware.is_empty() {
                        b.attrs
                            .push(("middleware".into(), named_list("middleware", &middleware)));
                    }
                    if let Some(a) = auth {
                        b.attrs.push(("auth".into(), named("auth", &a)));
                    }
                    if dns_external {
                        b.attrs.push(("dns".into(), Value::Str("external".into())));
                    }
                    (spec.file, Op::Add(b))
                }
                RouteCmd::Set {
                    host,
                    path,
                    to,
                    auth,
                    no_auth,
                    middleware,
                    add_middleware,
                    spec,
                } => {
                    if !add_middleware.is_empty() {
                        let items = add_middleware
                            .iter()
                            .map(|n| named("middleware", n))
                            .collect();
                        let loc = Locator::Route { host, path };
                        return Ok((Kind::Route, spec.file, Op::Append(loc, "middleware", items)));
                    }
                    let mut attrs = Vec::new();
                    set_some(&mut attrs, "to", to.as_deref().map(target).transpose()?);
                    if !middleware.is_empty() {
                        attrs.push((
                            "middleware".into(),
                            Some(named_list("middleware", &middleware)),
                        ));
                    }
                    set_some(&mut attrs, "auth", auth.map(|a| named("auth", &a)));
                    if no_auth {
                        attrs.push(("auth".into(), None));
                    }
                    (spec.file, Op::Set(Locator::Route { host, path }, attrs))
                }
                RouteCmd::Rm { host, path, spec } => {
                    (spec.file, Op::Rm(Locator::Route { host, path }, false))
                }
            };
            (Kind::Route, file, op)
        }
        Noun::App(c) => {
            let (file, op) = match c {
                AppCmd::List(l) => query(None, l),
                AppCmd::Show { name, list } => query(Some(name), list),
                AppCmd::Add {
                    name,
                    image,
                    runs_on,
                    count,
                    port,
                    spec,
                } => {
                    let mut b = NewBlock::new("app", &[&name]);
                    b.attrs.push(("image".into(), Value::Str(image)));
                    if let Some(s) = runs_on {
                        b.attrs.push(("runs_on".into(), named("server", &s)));
                    }
                    if let Some(n) = count {
                        b.attrs.push(("count".into(), Value::Int(n)));
                    }
                    for (p, to) in pairs(&port, "port")? {
                        let to: i64 = to
                            .parse()
                            .map_err(|_| format!("--port {p}={to}: the port is not a number"))?;
                        let mut pb = NewBlock::new("port", &[&p]);
                        pb.attrs.push(("to".into(), Value::Int(to)));
                        b.blocks.push(pb);
                    }
                    (spec.file, Op::Add(b))
                }
                AppCmd::Set {
                    name,
                    task,
                    image,
                    count,
                    runs_on,
                    spec,
                } => {
                    let mut attrs = Vec::new();
                    set_some(&mut attrs, "image", image.map(Value::Str));
                    set_some(&mut attrs, "count", count.map(Value::Int));
                    set_some(&mut attrs, "runs_on", runs_on.map(|s| named("server", &s)));
                    let app = Locator::entity("app", &name);
                    let loc = match task {
                        Some(t) => Locator::Nested {
                            parent: Box::new(app),
                            kind: "task".into(),
                            label: t,
                        },
                        None => app,
                    };
                    (spec.file, Op::Set(loc, attrs))
                }
                AppCmd::Rm { name, rm } => (
                    rm.spec.file,
                    Op::Rm(Locator::entity("app", &name), rm.force),
                ),
            };
            (Kind::App, file, op)
        }
        Noun::Upstream(c) => {
            let (file, op) = match c {
                UpstreamCmd::List(l) => query(None, l),
                UpstreamCmd::Show { name, list } => query(Some(name), list),
                UpstreamCmd::Add {
                    name,
                    target,
                    tls,
                    spec,
                } => {
                    let mut b = NewBlock::new("upstream", &[&name]);
                    b.attrs.push(("targets".into(), strings(&target)));
                    if tls {
                        b.attrs.push(("tls".into(), Value::Bool(true)));
                    }
                    (spec.file, Op::Add(b))
                }
                UpstreamCmd::Set {
                    name,
                    target,
                    add_target,
                    tls,
                    spec,
                } => {
                    if !add_target.is_empty() {
                        let items = add_target.into_iter().map(Value::Str).collect();
                        let loc = Locator::entity("upstream", &name);
                        return Ok((Kind::Upstream, spec.file, Op::Append(loc, "targets", items)));
                    }
                    let mut attrs = Vec::new();
                    if !target.is_empty() {
                        attrs.push(("targets".into(), Some(strings(&target))));
                    }
                    set_some(&mut attrs, "tls", tls.map(Value::Bool));
                    (
                        spec.file,
                        Op::Set(Locator::entity("upstream", &name), attrs),
                    )
                }
                UpstreamCmd::Rm { name, rm } => (
                    rm.spec.file,
                    Op::Rm(Locator::entity("upstream", &name), rm.force),
                ),
            };
            (Kind::Upstream, file, op)
        }
        Noun::Dns(c) => {
            let (file, op) = match c {
                DnsCmd::List(l) => query(None, l),
                DnsCmd::Show { zone, list } => query(Some(zone), list),
                DnsCmd::Add {
                    zone,
                    name,
                    rtype,
                    value,
                    ttl,
                    spec,
                } => {
                    let mut b = NewBlock::new("record", &[&name]);
                    b.attrs.push(("type".into(), Value::Str(rtype)));
                    b.attrs.push(("value".into(), record_value(&value)));
                    if let Some(t) = ttl {
                        b.attrs.push(("ttl".into(), Value::Int(t)));
                    }
                    (spec.file, Op::AddNested(Locator::entity("dns", &zone), b))
                }
                DnsCmd::Set {
                    zone,
                    name,
                    rtype,
                    value,
                    ttl,
                    spec,
                } => {
                    let mut attrs = Vec::new();
                    set_some(&mut attrs, "value", value.as_deref().map(record_value));
                    set_some(&mut attrs, "ttl", ttl.map(Value::Int));
                    let loc = Locator::Record { zone, name, rtype };
                    (spec.file, Op::Set(loc, attrs))
                }
                DnsCmd::Rm {
                    zone,
                    name,
                    rtype,
                    spec,
                } => (
                    spec.file,
                    Op::Rm(Locator::Record { zone, name, rtype }, false),
                ),
            };
            (Kind::Dns, file, op)
        }
        Noun::Secret(c) => {
            let (file, op) = match c {
                SecretCmd::List(l) => query(None, l),
                SecretCmd::Show { name, list } => query(Some(name), list),
                SecretCmd::Add {
                    name,
                    vault,
                    key,
                    spec,
                } => {
                    let mut b = NewBlock::new("secret", &[&name]);
                    b.attrs.push(("vault".into(), Value::Str(vault)));
                    if let Some(k) = key {
                        b.attrs.push(("key".into(), Value::Str(k)));
                    }
                    (spec.file, Op::Add(b))
                }
                SecretCmd::Set {
                    name,
                    vault,
                    key,
                    spec,
                } => {
                    let mut attrs = Vec::new();
                    set_some(&mut attrs, "vault", vault.map(Value::Str));
                    set_some(&mut attrs, "key", key.map(Value::Str));
                    (spec.file, Op::Set(Locator::entity("secret", &name), attrs))
                }
                SecretCmd::Rm { name, rm } => (
                    rm.spec.file,
                    Op::Rm(Locator::entity("secret", &name), rm.force),
                ),
            };
            (Kind::Secret, file, op)
        }
        Noun::Auth(c) => {
            let (file, op) = match c {
                AuthCmd::List(l) => query(None, l),
                AuthCmd::Show { name, list } => query(Some(name), list),
                AuthCmd::Add {
                    name,
                    outpost,
                    groups,
                    provider,
                    spec,
                } => {
                    let mut b = NewBlock::new("auth", &[&name]);
                    b.attrs.push(("provider".into(), Value::Str(provider)));
                    b.attrs.push(("outpost".into(), target(&outpost)?));
                    b.attrs.push(("groups".into(), strings(&groups)));
                    (spec.file, Op::Add(b))
                }
                AuthCmd::Set {
                    name,
                    outpost,
                    groups,
                    add_group,
                    spec,
                } => {
                    if !add_group.is_empty() {
                        let items = add_group.into_iter().map(Value::Str).collect();
                        let loc = Locator::entity("auth", &name);
                        return Ok((Kind::Auth, spec.file, Op::Append(loc, "groups", items)));
                    }
                    let mut attrs = Vec::new();
                    set_some(
                        &mut attrs,
                        "outpost",
                        outpost.as_deref().map(target).transpose()?,
                    );
                    if !groups.is_empty() {
                        attrs.push(("groups".into(), Some(strings(&groups))));
                    }
                    (spec.file, Op::Set(Locator::entity("auth", &name), attrs))
                }
                AuthCmd::Rm { name, rm } => (
                    rm.spec.file,
                    Op::Rm(Locator::entity("auth", &name), rm.force),
                ),
            };
            (Kind::Auth, file, op)
        }
        Noun::Middleware(c) => {
            let mw_attrs = |uses: &[String], encode: &[String], header: &[String]| {
                let mut attrs = Vec::new();
                if !uses.is_empty() {
                    attrs.push(("use".to_string(), named_list("middleware", uses)));
                }
                if !encode.is_empty() {
                    attrs.push(("encode".to_string(), strings(encode)));
                }
                if !header.is_empty() {
                    let h = pairs(header, "header")?
                        .into_iter()
                        .map(|(k, v)| (k, Value::Str(v)))
                        .collect();
                    attrs.push(("headers".to_string(), Value::Object(h)));
                }
                Ok::<_, String>(attrs)
            };
            let (file, op) = match c {
                MiddlewareCmd::List(l) => query(None, l),
                MiddlewareCmd::Show { name, list } => query(Some(name), list),
                MiddlewareCmd::Add {
                    name,
                    uses,
                    encode,
                    header,
                    spec,
                } => {
                    let mut b = NewBlock::new("middleware", &[&name]);
                    b.attrs = mw_attrs(&uses, &encode, &header)?;
                    (spec.file, Op::Add(b))
                }
                MiddlewareCmd::Set {
                    name,
                    uses,
                    encode,
                    header,
                    spec,
                } => {
                    let attrs = mw_attrs(&uses, &encode, &header)?
                        .into_iter()
                        .map(|(k, v)| (k, Some(v)))
                        .collect();
                    (
                        spec.file,
                        Op::Set(Locator::entity("middleware", &name), attrs),
                    )
                }
                MiddlewareCmd::Rm { name, rm } => (
                    rm.spec.file,
                    Op::Rm(Locator::entity("middleware", &name), rm.force),
                ),
            };
            (Kind::Middleware, file, op)
        }
    })
}

pub fn run(noun: Noun) -> u8 {
    let (kind, file, op) = match op_of(noun) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {e}");
            return USAGE;
        }
    };
    match op {
        Op::Query { name, list } => query_cmd(kind, &file, name.as_deref(), &list),
        op => edit_cmd(&file, op),
    }
}

fn query_cmd(kind: Kind, file: &Path, name: Option<&str>, a: &ListArgs) -> u8 {
    let checked = match super::load_clean(file) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Some(e) = &a.env {
        if let Err(code) = super::require_env(&checked, e, file) {
            return code;
        }
    }
    let selected = query::select(kind, &checked.models, a.env.as_deref(), name);
    if let Some(n) = name {
        if selected.iter().all(|(_, rows)| rows.is_empty()) {
            let mut all: Vec<String> = query::select(kind, &checked.models, None, None)
                .into_iter()
                .flat_map(|(_, rows)| rows.into_iter().map(|r| r.name))
                .collect();
            all.sort();
            all.dedup();
            let refusal = match eosc::diagnostics::did_you_mean(n, all.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the spec has: {}", all.join(", ")),
            };
            eprintln!("error: no {} `{n}` in {}", kind.name(), file.display());
            eprintln!("help: {refusal}");
            return PROBLEMS;
        }
    }
    let text = match (a.format, name.is_some()) {
        (Format::Json, _) => query::json(kind, &selected),
        (Format::Table, false) => query::table(kind, &selected),
        (Format::Table, true) => query::details(kind, &selected),
    };
    super::print(&text)
}

/// The spec's files as on disk, except the edited ones: how the edited
/// spec is checked before anything is written.
struct Overlay<'a> {
    fs: &'a FsLoader,
    files: HashMap<String, String>,
}

impl Loader for Overlay<'_> {
    fn load(&self, path: &str) -> Result<String, String> {
        self.load_spec(path).map_err(|e| e.to_string())
    }
    fn load_spec(&self, path: &str) -> Result<String, LoadError> {
        match self.files.get(path) {
            Some(t) => Ok(t.clone()),
            None => self.fs.load_spec(path),
        }
    }
    fn load_data(&self, path: &str) -> Result<String, LoadError> {
        match self.files.get(path) {
            Some(t) => Ok(t.clone()),
            None => self.fs.load_data(path),
        }
    }
}

/// Prints a refusal: the message, each reference as `path:line:col`, help.
fn print_refusal(r: &Refusal, checked: &eosc::Checked, base: &str) {
    eprintln!("error: {}", r.message);
    for (span, what) in &r.sites {
        let f = checked.sources.get(span.file);
        let (line, col) = f.line_col(span.start);
        eprintln!("  {base}{}:{line}:{col}: {what}", f.name);
    }
    if let Some(h) = &r.help {
        eprintln!("help: {h}");
    }
}

fn edit_cmd(file: &Path, op: Op) -> u8 {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let _lock = match super::out_dir::lock(&dir) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let base = super::spec_base(file);
    let loader = FsLoader::new(file);
    let root = FsLoader::root_name(file);
    let checked = match eosc::check(&root, &loader) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", file.display());
            return USAGE;
        }
    };
    let prefixed = |c: &eosc::Checked| {
        let mut sources = c.sources.clone();
        sources.prefix_names(&base, |name| eosc::stdlib::get(name).is_some());
        sources
    };
    let report = |c: &eosc::Checked| {
        let text =
            eosc::diagnostics::render_human(&c.diagnostics, &prefixed(c), super::stderr_color());
        eprint!("{text}");
    };
    if checked.has_errors() {
        report(&checked);
        eprintln!(
            "error: {} has errors already; fix them (`eosc check`) before editing it",
            file.display()
        );
        return PROBLEMS;
    }
    let spec = match Spec::parse(&checked.sources) {
        Ok(s) => s,
        Err(_) => return PROBLEMS,
    };
    let (what, result): (String, Result<Vec<Edit>, Refusal>) = match &op {
        Op::Add(b) => (
            format!("added {} \"{}\"", b.kind, b.labels.join("\" \"")),
            spec.add(b).map(|e| vec![e]),
        ),
        Op::AddNested(parent, b) => (
            format!(
                "added {} \"{}\" to {}",
                b.kind,
                b.labels.join("\" \""),
                parent.describe()
            ),
            spec.add_nested(parent, b).map(|e| vec![e]),
        ),
        Op::Set(_, attrs) if attrs.is_empty() => {
            eprintln!("error: nothing to change: give at least one flag (see --help)");
            return USAGE;
        }
        Op::Set(loc, attrs) => (
            format!("changed {}", loc.describe()),
            spec.set(loc, attrs).map(|e| vec![e]),
        ),
        Op::Append(loc, attr, items) => (
            format!("changed {}", loc.describe()),
            spec.append(loc, attr, items).map(|e| vec![e]),
        ),
        Op::Rm(loc, force) => {
            let result = spec.remove(loc, *force);
            if let (Ok(_), Locator::Entity { kind, name }) = (&result, loc) {
                for r in spec.references(kind, name) {
                    let f = checked.sources.get(r.span.file);
                    let (line, col) = f.line_col(r.span.start);
                    eprintln!(
                        "removing the reference at {base}{}:{line}:{col}: {} `{}`",
                        f.name, r.holder, r.attr
                    );
                }
            }
            (format!("removed {}", loc.describe()), result)
        }
        Op::Query { .. } => return USAGE,
    };
    let edits = match result {
        Ok(e) => e,
        Err(r) => {
            print_refusal(&r, &checked, &base);
            return PROBLEMS;
        }
    };
    let overlay = Overlay {
        fs: &loader,
        files: edits
            .iter()
            .map(|e| (checked.sources.get(e.file).name.clone(), e.text.clone()))
            .collect(),
    };
    let after = match eosc::check(&root, &overlay) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", file.display());
            return USAGE;
        }
    };
    if after.has_errors() {
        report(&after);
        eprintln!(
            "error: refused: the edit would make the spec fail `eosc check`; nothing was written"
        );
        return PROBLEMS;
    }
    // Warnings the edit brings (a host no zone covers): shown, not refused.
    let known: Vec<(eosc::diagnostics::Code, &str)> = checked
        .diagnostics
        .iter()
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    let new_warnings: Vec<eosc::diagnostics::Diagnostic> = after
        .diagnostics
        .iter()
        .filter(|d| !known.contains(&(d.code, d.message.as_str())))
        .cloned()
        .collect();
    if !new_warnings.is_empty() {
        let text = eosc::diagnostics::render_human(
            &new_warnings,
            &prefixed(&after),
            super::stderr_color(),
        );
        eprint!("{text}");
    }
    if edits
        .iter()
        .all(|e| checked.sources.get(e.file).text == e.text)
    {
        if !super::quiet() {
            eprintln!("nothing changed: the spec already says that");
        }
        return 0;
    }
    for e in &edits {
        let name = &checked.sources.get(e.file).name;
        if checked.sources.get(e.file).text == e.text {
            continue;
        }
        let path = dir.join(name);
        if let Err(err) = super::fmt::replace_file(&path, &e.text) {
            eprintln!("error: cannot write {}: {err}", path.display());
            return USAGE;
        }
        if !super::quiet() {
            eprintln!("{what} in {base}{name}");
        }
    }
    0
}
