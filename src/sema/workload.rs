//! Servers, firewalls, secrets, rollouts and apps: the Nomad/Terraform side.

use super::eval::{check_shape, Cx};
use super::hetzner_rules as hetzner;
use super::model::*;
use super::schema;
use crate::diagnostics::Code;
use crate::diagnostics::{suggestion_help, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{Block, Body};
use indexmap::IndexMap;

pub fn secret(cx: &mut Cx<'_>, b: &Block, name: &str) -> Option<Secret> {
    check_shape(cx, b, &schema::secret::SECRET);
    let (path, span) = cx.req_string(b, "vault", "\"secret/<app>/<name>\"")?;
    if path.is_empty()
        || path.contains(char::is_whitespace)
        || path.contains('"')
        || path.contains("{{")
    {
        cx.err(
            Diagnostic::error(
                Code::E0312,
                span,
                format!("`{}` is not a usable Vault path", path.escape_debug()),
            )
            .label("invalid path")
            .help(
                "a KV v2 path has no spaces, quotes or `{{`: `secret/hecate/authentik/secret_key`",
            ),
        );
    }
    let key = cx
        .string(&b.body, "key")
        .map(|k| k.0)
        .unwrap_or_else(|| "value".into());
    if !key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        || key.is_empty()
    {
        if let Some(a) = b.body.attr("key") {
            cx.err(
                Diagnostic::error(
                    Code::E0312,
                    a.value.span,
                    "a secret key must be letters, digits, `_` or `-`",
                )
                .label("unsafe key")
                .help("it is spliced into a Consul-template expression (`.Data.data.<key>`)"),
            );
        }
    }
    Some(Secret {
        name: name.into(),
        vault_path: path,
        key,
    })
}

pub fn server(cx: &mut Cx<'_>, b: &Block, name: &str) -> Option<Server> {
    check_shape(cx, b, &schema::server::SERVER);
    let server_type = cx.req_string(b, "type", "\"cx22\"");
    let location = cx.req_string(b, "location", "\"nbg1\"");
    let image = cx.req_string(b, "image", "\"ubuntu-24.04\"");
    let count = cx.int_of(&b.body, &schema::server::COUNT).unwrap_or(1) as u32;
    let mut firewalls = Vec::new();
    for (r, span) in cx.references(&b.body, "firewall", &["firewall"]) {
        if cx.plain_ref(&r, span) {
            firewalls.push(r.name);
        }
    }
    let mut labels = IndexMap::new();
    for (k, (v, span, key_span)) in cx.keyed_string_map(&b.body, "labels") {
        if let Some((on_key, p)) = hetzner::label_problem(&k, &v) {
            hetzner::report(cx, if on_key { key_span } else { span }, p);
        }
        labels.insert(k, v);
    }
    // What the Hetzner API would refuse at apply time.
    if let Some(p) = hetzner::name_problem(name) {
        hetzner::report(cx, b.labels.first().map(|l| l.span).unwrap_or_default(), p);
    }
    let t = server_type
        .as_ref()
        .map(|(t, sp)| (hetzner::type_problem(t), *sp));
    let l = location
        .as_ref()
        .map(|(l, sp)| (hetzner::location_problem(l), *sp));
    let type_ok = matches!(t, Some((None, _)));
    let location_ok = matches!(l, Some((None, _)));
    for (p, sp) in [t, l].into_iter().flatten() {
        if let Some(p) = p {
            hetzner::report(cx, sp, p);
        }
    }
    if let (true, true, Some((t, sp)), Some((l, _))) =
        (type_ok, location_ok, &server_type, &location)
    {
        if let Some(p) = hetzner::type_location_problem(t, l) {
            hetzner::report(cx, *sp, p);
        }
    }
    if let Some((img, sp)) = &image {
        if let Some(p) = hetzner::image_problem(img) {
            hetzner::report(cx, *sp, p);
        }
    }
    Some(Server {
        name: name.into(),
        server_type: server_type?.0,
        location: location?.0,
        image: image?.0,
        count,
        firewalls,
        labels,
        node_class: name.into(),
    })
}

pub fn firewall(cx: &mut Cx<'_>, b: &Block, name: &str) -> Option<Firewall> {
    check_shape(cx, b, &schema::firewall::FIREWALL);
    let mut rules = Vec::new();
    for r in b.body.blocks_of("rule") {
        if r.labels.len() != 1 {
            cx.err(super::resolve::label_count_error(r, 1));
            continue;
        }
        check_shape(cx, r, &schema::firewall::RULE);
        let protocol = cx
            .choice(&r.body, "protocol", &["tcp", "udp", "icmp"])
            .map(|p| p.0);
        cx.absent(r, "protocol", "\"tcp\"");
        let port = match cx.get(&r.body, "port") {
            Some(v) => super::ports::port_or_range(cx, &v, "port"),
            None => None,
        };
        let protocol = protocol.unwrap_or_default();
        if port.is_none()
            && protocol != "icmp"
            && r.body.attr("port").is_none()
            && !protocol.is_empty()
        {
            cx.missing(r, "port", "443");
        }
        let mut from = Vec::new();
        for (cidr, span) in cx.strings(&r.body, "from") {
            if !valid_cidr(&cidr) {
                cx.err(
                    Diagnostic::error(Code::E0303, span, format!("`{cidr}` is not a CIDR block"))
                        .label("invalid CIDR")
                        .help("write an address with a prefix length: `10.0.0.0/8`, `0.0.0.0/0`, `::/0`"),
                );
                continue;
            }
            if let Some(network) = cidr_network(&cidr).filter(|n| *n != cidr) {
                cx.err(
                    Diagnostic::error(Code::E0303, span, format!("`{cidr}` has host bits set"))
                        .label("not a network address")
                        .help(format!("Hetzner takes the network address: write `{network}` (or `/32` for the one host)")),
                );
                continue;
            }
            from.push(cidr);
        }
        if from.is_empty() && r.body.attr("from").is_none() {
            cx.missing(r, "from", "[\"0.0.0.0/0\", \"::/0\"]");
        }
        rules.push(FirewallRule {
            name: r.labels[0].name.clone(),
            protocol,
            port,
            from,
        });
    }
    Some(Firewall {
        name: name.into(),
        rules,
    })
}

/// A static range maps each host port to the same container port, and
/// stays within [`super::ports::MAX_RANGE`] ports.
fn static_range_ok(cx: &mut Cx<'_>, r: &PortRange, v: &super::eval::Val, has_to: bool) -> bool {
    if r.from == r.to {
        return true;
    }
    if has_to {
        cx.err(
            Diagnostic::error(Code::E0303, v.span, "a static port range cannot have `to`")
                .label("range")
                .help(
                    "each port of a range is mapped to the same port in the container: remove `to`",
                ),
        );
        return false;
    }
    let n = u32::from(r.to - r.from) + 1;
    if n > super::ports::MAX_RANGE {
        cx.err(
            Diagnostic::error(
                Code::E0303,
                v.span,
                format!("a port range of {n} ports is too large"),
            )
            .label("too many ports")
            .help(format!(
                "Nomad reserves each port of a range separately: use at most {} ports",
                super::ports::MAX_RANGE
            )),
        );
        return false;
    }
    true
}

pub(crate) fn valid_cidr(s: &str) -> bool {
    let Some((addr, len)) = s.split_once('/') else {
        return false;
    };
    let Ok(len) = len.parse::<u8>() else {
        return false;
    };
    match addr.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => len <= 32,
        Ok(std::net::IpAddr::V6(_)) => len <= 128,
        Err(_) => false,
    }
}

/// The network address of a valid CIDR block, with the host bits cleared.
fn cidr_network(s: &str) -> Option<String> {
    let (addr, len) = s.split_once('/')?;
    let len: u32 = len.parse().ok()?;
    match addr.parse::<std::net::IpAddr>().ok()? {
        std::net::IpAddr::V4(a) => {
            let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
            Some(format!(
                "{}/{len}",
                std::net::Ipv4Addr::from(u32::from(a) & mask)
            ))
        }
        std::net::IpAddr::V6(a) => {
            let mask = u128::MAX.checked_shl(128 - len).unwrap_or(0);
            Some(format!(
                "{}/{len}",
                std::net::Ipv6Addr::from(u128::from(a) & mask)
            ))
        }
    }
}

pub fn rollout(cx: &mut Cx<'_>, b: &Block, name: &str) -> Option<Rollout> {
    check_shape(cx, b, &schema::rollout::ROLLOUT);
    use schema::rollout as row;
    cx.absent_of(b, &row::STRATEGY);
    let strategy = match cx.choice_of(&b.body, &row::STRATEGY)?.0.as_str() {
        "canary" => Strategy::Canary,
        "blue_green" => Strategy::BlueGreen,
        _ => Strategy::Rolling,
    };
    let mut stages = Vec::new();
    let mut last: Option<(f64, crate::source::Span)> = None;
    // A stage already reported makes "needs stages" or "must end at 100%"
    // about the remaining ones a guess.
    let mut broken_stage = false;
    for s in b.body.blocks_of("stage") {
        if !s.labels.is_empty() {
            cx.err(super::resolve::label_count_error(s, 0));
        }
        check_shape(cx, s, &schema::rollout::STAGE);
        if cx.absent_of(s, &row::TRAFFIC) {
            broken_stage = true;
            continue;
        }
        let Some((traffic, span)) = cx.percent(&s.body, "traffic") else {
            broken_stage = true;
            continue;
        };
        if let Some((prev, pspan)) = last {
            if traffic <= prev {
                cx.err(
                    Diagnostic::error(Code::E0309, span, "canary stages must rise")
                        .label(format!("{traffic}% after {prev}%"))
                        .with_secondary(pspan, "previous stage")
                        .help("each stage sends more traffic to the canary than the one before"),
                );
            }
        }
        last = Some((traffic, span));
        stages.push(Stage {
            traffic,
            bake: cx.duration_of(&s.body, &row::BAKE),
        });
    }
    match (strategy, last) {
        _ if broken_stage => {}
        (Strategy::Canary, None) => cx.err(
            Diagnostic::error(Code::E0309, b.head_span(), "a canary rollout needs stages")
                .label("no `stage` blocks")
                .help("add stages that rise to 100%: `stage { traffic = 10%, bake = 15m }` … `stage { traffic = 100% }`"),
        ),
        (_, Some((t, span))) if t != 100.0 => cx.err(
            Diagnostic::error(Code::E0309, span, "the last stage must send 100% of traffic")
                .label(format!("ends at {t}%"))
                .help("add a final `stage { traffic = 100% }` so the canary is promoted"),
        ),
        (Strategy::Rolling | Strategy::BlueGreen, Some((_, span))) => cx.err(
            Diagnostic::error(Code::E0309, span, "only canary rollouts have traffic stages")
                .label("stage on a non-canary rollout")
                .help("remove the stages or set `strategy = \"canary\"`"),
        ),
        _ => {}
    }
    let healthy_deadline = cx
        .duration_of(&b.body, &row::HEALTHY_DEADLINE)
        .unwrap_or_default();
    // Nomad's UpdateStrategy rules (progress against healthy deadline
    // among them) are checked on the model: sema/nomad_rules.rs.
    let progress_deadline = cx.duration_of(&b.body, &row::PROGRESS_DEADLINE);
    let stagger = cx.duration_of(&b.body, &row::STAGGER);
    if stagger.is_some_and(|d| d.is_zero()) {
        let span = b.body.attr("stagger").map_or(b.kind.span, |a| a.value.span);
        cx.err(
            Diagnostic::error(Code::E0303, span, "`stagger` is 0")
                .label("must be above zero")
                .help("Nomad refuses an update stagger of zero (UpdateStrategy.Validate); leave it out for Nomad's 30s"),
        );
    }
    let canaries = cx
        .int_of(&b.body, &row::CANARY)
        .map(|n| u32::try_from(n).unwrap_or(1));
    if let (Some(a), false) = (b.body.attr("canary"), strategy == Strategy::Canary) {
        cx.err(
            Diagnostic::warning(Code::W0508, a.name.span, "`canary` has no effect here")
                .label("not a canary rollout")
                .help("a rolling rollout starts no canaries and a blue_green one starts the app's whole count; remove it, or set `strategy = \"canary\"`"),
        );
    }
    let health_check = cx.choice_of(&b.body, &row::HEALTH_CHECK).map(|c| c.0);
    Some(Rollout {
        name: name.into(),
        strategy,
        max_parallel: cx.int_of(&b.body, &row::MAX_PARALLEL).unwrap_or(1) as u32,
        min_healthy_time: cx
            .duration_of(&b.body, &row::MIN_HEALTHY_TIME)
            .unwrap_or_default(),
        healthy_deadline,
        progress_deadline,
        auto_revert: cx.bool_of(&b.body, &row::AUTO_REVERT),
        stages,
        stagger,
        canaries: canaries.filter(|_| strategy == Strategy::Canary),
        health_check,
    })
}

pub fn app(cx: &mut Cx<'_>, b: &Block, name: &str) -> Option<App> {
    check_shape(cx, b, &schema::app::APP);
    if name == PROXY_JOB {
        // Its job file, Nomad job and Terraform `nomad_job` would be the
        // edge's (`nomad/hecate-proxy.nomad.hcl`).
        cx.err(
            Diagnostic::error(
                Code::E0317,
                b.labels.first().map_or(b.kind.span, |l| l.span),
                format!("`{PROXY_JOB}` cannot name an app"),
            )
            .label("reserved for the proxy job")
            .help(format!(
                "eosc writes the edge (Caddy, nginx) as the Nomad job `{PROXY_JOB}`; name the app otherwise, e.g. `{PROXY_JOB}-app`"
            )),
        );
        return None;
    }
    let job_type = match cx
        .choice(&b.body, "type", &["service", "batch", "system"])
        .map(|t| t.0)
    {
        Some(t) if t == "batch" => JobType::Batch,
        Some(t) if t == "system" => JobType::System,
        _ => JobType::Service,
    };
    let schedule = cx.string(&b.body, "schedule");
    if let Some((s, span)) = &schedule {
        if job_type != JobType::Batch {
            cx.err(
                Diagnostic::error(Code::E0319, *span, "only batch apps have a schedule")
                    .label("schedule on a non-batch app")
                    .help("add `type = \"batch\"` or remove the schedule"),
            );
        } else if s.split_whitespace().count() != 5 || s.contains(['"', '\n', '{', '$']) {
            cx.err(
                Diagnostic::error(
                    Code::E0319,
                    *span,
                    format!("`{s}` is not a cron expression"),
                )
                .label("expected 5 fields")
                .help("write minute hour day-of-month month day-of-week: `\"0 3 * * *\"`"),
            );
        }
    }
    let mut ports: IndexMap<String, Port> = IndexMap::new();
    for p in b.body.blocks_of("port") {
        if p.labels.len() != 1 {
            cx.err(super::resolve::label_count_error(p, 1));
            continue;
        }
        let pname = &p.labels[0];
        if let Some(d) = super::resolve::check_name("port", pname.span, &pname.name) {
            cx.err(d);
            continue;
        }
        check_shape(cx, p, &schema::app::PORT);
        if ports.contains_key(&pname.name) {
            cx.err(
                Diagnostic::error(
                    Code::E0204,
                    pname.span,
                    format!("port `{}` is defined twice", pname.name),
                )
                .label("second definition")
                .help("give each port its own name"),
            );
            continue;
        }
        let to = cx.port(&p.body, "to");
        let range = match cx.get(&p.body, "static") {
            Some(v) => super::ports::port_or_range(cx, &v, "static")
                .filter(|r| static_range_ok(cx, r, &v, to.is_some())),
            None => None,
        };
        let protocol = super::ports::protocol(cx, &p.body);
        ports.insert(
            pname.name.clone(),
            Port {
                name: pname.name.clone(),
                to,
                static_port: range.map(|r| r.from),
                range_end: range.filter(|r| r.to > r.from).map(|r| r.to),
                protocol,
            },
        );
    }
    let tasks_blocks: Vec<&Block> = b.body.blocks_of("task").collect();
    let own_task_attrs: Vec<&str> = schema::app::TASK
        .attr_names()
        .into_iter()
        .filter(|a| b.body.attr(a).is_some())
        .collect();
    let mut tasks = Vec::new();
    if tasks_blocks.is_empty() {
        let res = b.body.blocks_of("resources").next();
        if let Some(t) = task(cx, b, &b.body, name, res) {
            tasks.push(t);
        }
    } else {
        if let Some(a) = own_task_attrs.first() {
            let attr = b.body.attr(a).map(|x| x.name.span).unwrap_or(b.kind.span);
            cx.err(
                Diagnostic::error(Code::E0314, attr, format!("`{a}` belongs to a task when the app has `task` blocks"))
                    .label("set on the app")
                    .help("move it into each `task` block, or drop the tasks and keep one container on the app"),
            );
        }
        for kind in ["resources", "mount", "logging", "template", "vault"] {
            if let Some(r) = b.body.blocks_of(kind).next() {
                cx.err(
                    Diagnostic::error(
                        Code::E0314,
                        r.kind.span,
                        format!("`{kind}` belongs to each task when the app has `task` blocks"),
                    )
                    .label("set on the app")
                    .help(format!("move `{kind} {{ … }}` into the task blocks")),
                );
            }
        }
        for t in &tasks_blocks {
            if t.labels.len() != 1 {
                cx.err(super::resolve::label_count_error(t, 1));
                continue;
            }
            let tname = &t.labels[0];
            if let Some(d) = super::resolve::check_name("task", tname.span, &tname.name) {
                cx.err(d);
                continue;
            }
            if tasks.iter().any(|x: &Task| x.name == tname.name) {
                cx.err(
                    Diagnostic::error(
                        Code::E0204,
                        tname.span,
                        format!("task `{}` is defined twice", tname.name),
                    )
                    .label("second definition")
                    .help("give each task its own name"),
                );
                continue;
            }
            check_shape(cx, t, &schema::app::TASK);
            let res = t.body.blocks_of("resources").next();
            if let Some(tk) = task(cx, t, &t.body, &tname.name, res) {
                tasks.push(tk);
            }
        }
    }
    let mut health = Vec::new();
    for h in b.body.blocks_of("health") {
        if h.labels.len() != 1 {
            cx.err(super::resolve::label_count_error(h, 1));
            continue;
        }
        check_shape(cx, h, &schema::app::HEALTH);
        let kind_label = &h.labels[0];
        let kind = match kind_label.name.as_str() {
            "http" => {
                let path = cx
                    .string(&h.body, "path")
                    .map(|p| p.0)
                    .unwrap_or_else(|| "/".into());
                if !path.starts_with('/') || path.contains(char::is_whitespace) {
                    let span = h
                        .body
                        .attr("path")
                        .map(|a| a.value.span)
                        .unwrap_or(h.kind.span);
                    cx.err(
                        Diagnostic::error(
                            Code::E0312,
                            span,
                            format!("`{}` is not an HTTP path", path.escape_debug()),
                        )
                        .label("invalid path")
                        .help("a health path starts with `/` and has no spaces: `/health`"),
                    );
                }
                HealthKind::Http { path }
            }
            "tcp" => {
                // A TCP check only connects: Nomad ignores a path on it.
                if let Some(a) = h.body.attr("path") {
                    cx.err(
                        Diagnostic::warning(Code::W0508, a.span, "`path` has no effect on a tcp check")
                            .label("ignored")
                            .help("a tcp check only opens a connection; use `health \"http\" { path = … }` to request the path"),
                    );
                }
                HealthKind::Tcp
            }
            "script" => {
                let command = cx
                    .req_string(h, "command", "\"/bin/check\"")
                    .map(|c| c.0)
                    .unwrap_or_default();
                let args = cx
                    .strings(&h.body, "args")
                    .into_iter()
                    .map(|a| a.0)
                    .collect();
                HealthKind::Script { command, args }
            }
            other => {
                cx.err(
                    Diagnostic::error(
                        Code::E0306,
                        kind_label.span,
                        format!("`{other}` is not a health check kind"),
                    )
                    .label("unknown kind")
                    .help(suggestion_help(
                        other,
                        &["http", "tcp", "script"],
                        "kind",
                    )),
                );
                continue;
            }
        };
        let port = match cx.string(&h.body, "port") {
            Some((p, span)) => {
                if !ports.contains_key(&p) {
                    let names: Vec<&str> = ports.keys().map(String::as_str).collect();
                    cx.err(
                        Diagnostic::error(
                            Code::E0213,
                            span,
                            format!("app `{name}` has no port `{p}`"),
                        )
                        .label("unknown port")
                        .help(suggestion_help(&p, &names, "port")),
                    );
                    continue;
                }
                // A range registers no Consul service, so a check on it is
                // attached to nothing and never runs.
                if ports.get(&p).is_some_and(|q| q.range_end.is_some()) {
                    cx.err(
                        Diagnostic::error(Code::E0315, span, format!("port `{p}` of app `{name}` is a port range; a health check probes one port"))
                            .label("a range")
                            .help("a range registers no Consul service, so the check would never run; check a single port of the app"),
                    );
                    continue;
                }
                p
            }
            None if ports.len() == 1 => ports.keys().next().cloned().unwrap_or_default(),
            None if ports.is_empty() && matches!(kind, HealthKind::Script { .. }) => String::new(),
            None => {
                let msg = if ports.is_empty() {
                    format!("app `{name}` has no port for this check")
                } else {
                    format!(
                        "app `{name}` has {} ports; which one does this check probe?",
                        ports.len()
                    )
                };
                cx.err(
                    Diagnostic::error(Code::E0315, h.head_span(), msg)
                        .label("ambiguous port")
                        .help(if ports.is_empty() {
                            "add a `port \"http\" { to = 80 }` block to the app".to_string()
                        } else {
                            format!(
                                "add `port = \"{}\"`",
                                ports.keys().next().map(String::as_str).unwrap_or("http")
                            )
                        }),
                );
                continue;
            }
        };
        let o = super::registration::check_options(cx, h, &kind);
        health.push(Health {
            kind,
            port,
            method: o.method,
            header: o.header,
            check_restart: o.check_restart,
            protocol: o.protocol,
            tls_skip_verify: o.tls_skip_verify,
            interval: cx
                .duration_of(&h.body, &schema::app::HEALTH_INTERVAL)
                .unwrap_or_default(),
            timeout: cx
                .duration_of(&h.body, &schema::app::HEALTH_TIMEOUT)
                .unwrap_or_default(),
        });
    }
    let mut volumes = Vec::new();
    let mut volume_names: IndexMap<String, Span> = IndexMap::new();
    for v in b.body.blocks_of("volume") {
        if v.labels.len() != 1 {
            cx.err(super::resolve::label_count_error(v, 1));
            continue;
        }
        if let Some(d) = super::resolve::check_name("volume", v.labels[0].span, &v.labels[0].name) {
            cx.err(d);
            continue;
        }
        // Nomad's group volumes are keyed by name: a second one replaces
        // the first.
        let label = &v.labels[0];
        if let Some(first) = volume_names.get(&label.name) {
            cx.err(
                Diagnostic::error(
                    Code::E0204,
                    label.span,
                    format!("volume `{}` is defined twice in app `{name}`", label.name),
                )
                .label("second definition")
                .with_secondary(*first, "first definition")
                .help("give each volume its own name"),
            );
            continue;
        }
        volume_names.insert(label.name.clone(), label.span);
        check_shape(cx, v, &schema::app::VOLUME);
        let host = cx.req_string(v, "host", "\"app-data\"");
        let path = cx.req_string(v, "path", "\"/data\"");
        if let (Some(host), Some(path)) = (host, path) {
            if !path.0.starts_with('/') {
                cx.err(
                    Diagnostic::error(Code::E0312, path.1, "a mount path must be absolute")
                        .label("relative path")
                        .help("write the path inside the container, starting with `/`"),
                );
            } else if path.0.split('/').any(|c| c == ".." || c == ".") {
                cx.err(
                    Diagnostic::error(Code::E0312, path.1, "a mount path with `.` or `..` components")
                        .label("not a plain absolute path")
                        .help("write the path the volume lands on as it is, without `.` or `..`: Docker resolves them, so the mount lands elsewhere than it reads"),
                );
            }
            if host.0.contains('/') {
                cx.err(
                    Diagnostic::error(Code::E0303, host.1, format!("`{}` is a path, not a host volume name", host.0.escape_debug()))
                        .label("a directory")
                        .help("`host` names a Nomad `host_volume` of the client configuration (`\"postgres-data\"`), whose `path` is the directory; eosc's cloud-init declares it"),
                );
            }
            if host.0.trim().is_empty() {
                cx.err(
                    Diagnostic::error(Code::E0303, host.1, "an empty host volume name")
                        .label("no host volume")
                        .help("name the Nomad `host_volume` of the clients' configuration (`\"app-data\"`)"),
                );
            }
            let host_path = cx.string(&v.body, "host_path").and_then(|(p, span)| {
                let plain = p.starts_with('/')
                    && !p.split('/').skip(1).any(|c| c.is_empty() || c == "." || c == "..");
                if plain {
                    return Some(p);
                }
                cx.err(
                    Diagnostic::error(Code::E0312, span, "a host path must be absolute and plain")
                        .label("not a plain absolute path")
                        .help("write the node's path as it is (`/var/run/docker.sock`): absolute, without `.`, `..` or empty components"),
                );
                None
            });
            volumes.push(Volume {
                name: v.labels[0].name.clone(),
                host: host.0,
                path: path.0,
                read_only: cx.bool_of(&v.body, &schema::app::VOLUME_READ_ONLY),
                host_path,
            });
        }
    }
    super::task_options::assign(cx, b, name, &mut tasks, &ports, &volumes);
    let count = cx.int_of(&b.body, &schema::app::COUNT).unwrap_or(1) as u32;
    let runs_on = cx
        .reference(&b.body, "runs_on", &["server"])
        .and_then(|(r, s)| cx.plain_ref(&r, s).then_some(r.name));
    let rollout = cx
        .reference(&b.body, "rollout", &["rollout"])
        .and_then(|(r, s)| cx.plain_ref(&r, s).then_some(r.name));
    let mut depends_on = Vec::new();
    for (r, span) in cx.references(&b.body, "depends_on", &["app"]) {
        if cx.plain_ref(&r, span) {
            depends_on.push(r.name);
        }
    }
    let service = match cx.string(&b.body, "service") {
        Some((s, span)) => {
            if super::resolve::check_name("service", span, &s).is_some() {
                cx.err(
                    Diagnostic::error(
                        Code::E0317,
                        span,
                        format!("`{}` is not a valid Consul service name", s.escape_debug()),
                    )
                    .label("invalid service name")
                    .help(if s.len() > 63 {
                        format!(
                            "a service name is a DNS label: at most 63 characters (this one has {})",
                            s.len()
                        )
                    } else {
                        "service names are DNS labels: letters, digits and `-`".to_string()
                    }),
                );
            }
            s
        }
        None => name.to_string(),
    };
    let ephemeral_disk_mb = cx
        .size(&b.body, "ephemeral_disk")
        .map(|(s, _)| s.div_ceil(1 << 20));
    let (tags, meta) = super::registration::tags_and_meta(cx, b);
    let scheduling = super::scheduling::read(cx, b, job_type, schedule.is_some());
    Some(App {
        name: name.into(),
        job_type,
        service,
        count,
        runs_on,
        rollout,
        ports,
        tasks,
        health,
        volumes,
        depends_on,
        schedule: schedule.map(|s| s.0),
        ephemeral_disk_mb,
        tags,
        meta,
        scheduling,
    })
}

fn task(
    cx: &mut Cx<'_>,
    owner: &Block,
    body: &Body,
    name: &str,
    res: Option<&Block>,
) -> Option<Task> {
    let image = cx.req_string(owner, "image", "\"registry/app:1.2.3\"");
    let command = cx.string(body, "command").map(|c| c.0);
    let args = cx.strings(body, "args").into_iter().map(|a| a.0).collect();
    let mut env = IndexMap::new();
    // `env` keys become the task's environment (Nomad hands Docker
    // `KEY=VALUE` strings, split at the first `=`: a key `A=B` would set
    // `A`), `secrets` keys env-file lines of the Vault template: both
    // must be names.
    for (k, (v, _, key_span)) in cx.keyed_string_map(body, "env") {
        if env_name_ok(cx, "env", &k, key_span) {
            env.insert(k, v);
        }
    }
    let mut secrets = IndexMap::new();
    for (k, v) in cx.object(body, "secrets") {
        if !env_name_ok(cx, "secrets", &k.name, k.span) {
            continue;
        }
        if let Some(r) = cx.as_ref(&v, &["secret"], &format!("secret `{}`", k.name)) {
            if cx.plain_ref(&r, v.span) {
                secrets.insert(k.name, r.name);
            }
        }
    }
    let resources = match res {
        Some(r) => resources(cx, r),
        None => Resources {
            cpu: 100,
            memory_mb: 300,
            memory_max_mb: None,
        },
    };
    let docker = super::task_options::docker(cx, body);
    let templates = super::templates::templates(cx, body, name, !secrets.is_empty());
    // A template's `secret` lookups name their secrets only after every
    // entity exists (`templates::resolve`); that it reads Vault is known now.
    let reads_vault = !secrets.is_empty()
        || templates.iter().any(|t| {
            t.lookups
                .iter()
                .any(|l| l.kind == super::model::LookupKind::Secret)
        });
    let vault = super::task_options::vault(cx, body, reads_vault, !secrets.is_empty());
    Some(Task {
        name: name.into(),
        image: image?.0,
        command,
        args,
        env,
        secrets,
        resources,
        ports: None,
        volume_mounts: None,
        dir_mounts: docker.dir_mounts,
        user: docker.user,
        cap_add: docker.cap_add,
        cap_drop: docker.cap_drop,
        readonly_rootfs: docker.readonly_rootfs,
        network_mode: docker.network_mode,
        logging: docker.logging,
        templates,
        vault,
    })
}

/// `env` and `secrets` keys become environment variables: in Nomad's
/// `env` block and in the env-file lines of the Vault template
/// (`KEY={{ … }}`), where a `=` or a line break in the key would set
/// another variable (`LD_PRELOAD`) or a literal value.
fn env_name_ok(cx: &mut Cx<'_>, field: &str, key: &str, span: Span) -> bool {
    if super::lexical::env_var_name(key) {
        return true;
    }
    cx.err(
        Diagnostic::error(
            Code::E0324,
            span,
            format!("a key of `{field}` is not an environment variable name ({} characters)", key.chars().count()),
        )
        .label("not `[A-Za-z_][A-Za-z0-9_]*`")
        .help(format!(
            "the keys of `{field}` are environment variable names: letters, digits and `_`, not starting with a digit, e.g. `DB_PASSWORD`"
        )),
    );
    false
}

fn resources(cx: &mut Cx<'_>, r: &Block) -> Resources {
    if !r.labels.is_empty() {
        cx.err(super::resolve::label_count_error(r, 0));
    }
    check_shape(cx, r, &schema::app::RESOURCES);
    let cpu = cx.int_of(&r.body, &schema::app::CPU).unwrap_or(100) as u32;
    let mb = |b: u64| b.div_ceil(1 << 20).max(1);
    let memory = cx.size(&r.body, "memory");
    let memory_max = cx.size(&r.body, "memory_max");
    for (v, what) in [(&memory, "memory"), (&memory_max, "memory_max")] {
        if let Some((0, span)) = v {
            cx.range_error(*span, what, "0".into(), "> 0");
        }
    }
    if let (Some((m, _)), Some((mm, span))) = (memory, memory_max) {
        if mm < m {
            let at = r.body.attr("memory").map(|a| a.value.span).unwrap_or(span);
            cx.err(
                Diagnostic::error(Code::E0305, span, "memory_max is below memory")
                    .label("smaller than the reservation")
                    .with_secondary(at, "memory")
                    .help("memory_max is the ceiling the task may burst to; it must be at least `memory`"),
            );
        }
    }
    // Nomad's "MB" are mebibytes: 256MiB → 256.
    Resources {
        cpu,
        memory_mb: memory.map(|m| mb(m.0)).unwrap_or(300),
        memory_max_mb: memory_max.map(|m| mb(m.0)),
    }
}
