//! `caddy validate` accepts every emitted config, and the forward-auth
//! handler is exactly what Caddy's own `forward_auth` directive becomes.

use crate::support;

use crate::support::caddy::{empty_model, fixture, run, spec, spec_cases, tool};
use eosc::sema::model::{Auth, Target, Upstream};
use serde_json::Value;

fn models() -> Vec<(String, eosc::sema::model::Model)> {
    let mut out: Vec<(String, _)> = (1..=4)
        .map(|s| (format!("fixture stage {s}"), fixture(s)))
        .collect();
    let mut no_email = fixture(1);
    no_email.project.acme_email = None;
    out.push(("fixture without acme_email".into(), no_email));
    out.push(("empty model".into(), empty_model()));
    for (case, path) in spec_cases() {
        for m in spec(&path) {
            out.push((format!("{case} ({})", m.env.name), m));
        }
    }
    out
}

/// Every config, with every supported Caddy: the pinned 2.11 and Debian
/// stable's 2.6. A model that maps one host to several logs is one the
/// check rejects for `caddy_version` below 2.8 (E0330), so 2.6 does not
/// see it.
#[test]
fn every_emitted_config_validates() {
    let caddies = support::caddy::supported_caddies();
    if caddies.is_empty() {
        return;
    }
    for (minor, caddy) in &caddies {
        let mut n = 0;
        for (name, m) in models() {
            if *minor < 8 && several_logs_for_a_host(&m) {
                continue;
            }
            let text = eosc::emit::caddy::emit(&m).contents;
            let text = crate::caddy_proxy_options::without_plugin_handlers(&m, &text);
            if let Err(e) = run::validate(caddy, &text) {
                panic!("caddy 2.{minor} validate rejected the config of {name}:\n{e}");
            }
            n += 1;
        }
        assert!(n > 10, "too few configs for 2.{minor}: {n}");
        eprintln!("caddy 2.{minor} validate accepted {n} configs");
    }
}

/// What the check rejects for a `caddy_version` of 2.6 (E0330).
fn several_logs_for_a_host(m: &eosc::sema::model::Model) -> bool {
    let mut seen = std::collections::HashSet::new();
    m.routes
        .iter()
        .filter(|r| r.log.is_some())
        .any(|r| !seen.insert(r.host.clone()))
        || m.routes
            .iter()
            .any(|r| eosc::sema::model::caddy_minimum_for_route(r, &m.apps, &m.rollouts).is_some())
}

/// Why the shape matters: a host with two logs is a `logger_names` list,
/// which 2.11 takes and Debian's 2.6 refuses; one log is a string, which
/// both take.
#[test]
fn logger_names_shapes_against_both_versions() {
    let (Some(new), Some(old)) = (
        support::caddy::caddy_of("caddy", "2.11."),
        support::caddy::caddy_of("caddy-debian", "2.6."),
    ) else {
        return;
    };
    let mut m = fixture(1);
    m.rollouts.clear();
    let with_log = m
        .routes
        .iter()
        .position(|r| r.log.is_some())
        .expect("a route with a log");
    let host = m.routes[with_log].host.clone();
    let mut second = m.routes[with_log].clone();
    second.path = Some("/second-log".into());
    m.routes.insert(with_log, second);
    let text = eosc::emit::caddy::emit(&m).contents;
    let config: Value = serde_json::from_str(&text).unwrap();
    let names = config
        .pointer("/apps/http/servers/srv0/logs/logger_names")
        .and_then(|n| n.get(&host))
        .cloned()
        .expect("logger_names of the host");
    assert!(names.is_array(), "{names}");
    run::validate(&new, &text).expect("2.11 takes a list");
    let err = run::validate(&old, &text).expect_err("2.6 refuses a list");
    assert!(err.contains("logger_names"), "{err}");
    let mut single = fixture(1);
    single.rollouts.clear();
    let one = eosc::emit::caddy::emit(&single).contents;
    run::validate(&new, &one).expect("2.11 takes a string");
    run::validate(&old, &one).expect("2.6 takes a string");
}

/// The check above can fail: Caddy rejects an unknown handler.
#[test]
fn validate_rejects_a_misspelled_handler() {
    let Some(caddy) = tool("caddy") else { return };
    let text = eosc::emit::caddy::emit(&fixture(2)).contents;
    let broken = text.replacen("\"reverse_proxy\"", "\"reverse_proxi\"", 1);
    assert!(run::validate(&caddy, &broken).is_err());
}

/// A wildcard host answers the ACME DNS-01 challenge through the Hetzner
/// DNS plugin. Stock Caddy lacks that one module and nothing else: it names
/// `dns.providers.hetzner` as unknown, and accepts the config once the
/// challenge is taken out.
#[test]
fn wildcard_policy_is_valid_but_for_the_dns_plugin() {
    let Some(caddy) = tool("caddy") else { return };
    let mut m = fixture(2);
    m.project.caddy_plugins.push("dns_hetzner".into());
    m.routes.push(support::caddy::route(
        "*.preview.cybermonkey.dev",
        None,
        support::caddy::to_upstream("nextcloud"),
    ));
    let config = eosc::emit::caddy::config(&m);
    let policies = &config["apps"]["tls"]["automation"]["policies"];
    assert_eq!(policies[0]["subjects"][0], "*.preview.cybermonkey.dev");
    let err = run::validate(&caddy, &config.to_string()).expect_err("needs the plugin");
    assert!(err.contains("dns.providers.hetzner"), "{err}");
    let mut stock = config.clone();
    if let Some(issuer) =
        stock["apps"]["tls"]["automation"]["policies"][0]["issuers"][0].as_object_mut()
    {
        issuer.remove("challenges");
    }
    run::validate(&caddy, &stock.to_string()).expect("valid without the DNS challenge");
}

const COPY_HEADERS: &str = "X-Authentik-Username X-Authentik-Groups X-Authentik-Entitlements \
    X-Authentik-Email X-Authentik-Name X-Authentik-Uid X-Authentik-Jwt X-Authentik-Meta-Jwks \
    X-Authentik-Meta-Outpost X-Authentik-Meta-Provider X-Authentik-Meta-App X-Authentik-Meta-Version";

/// The forward_auth handler `caddy adapt` makes of a site with only it.
fn adapted_forward_auth(caddy: &std::path::Path, upstream_lines: &str, arg: &str) -> Value {
    let caddyfile = format!(
        "{{\n  admin off\n}}\n:8080 {{\n  forward_auth {arg} {{\n{upstream_lines}\n    uri /outpost.goauthentik.io/auth/caddy\n    copy_headers {COPY_HEADERS}\n    trusted_proxies private_ranges\n  }}\n}}\n"
    );
    let json = run::adapt(caddy, &caddyfile);
    json.pointer("/apps/http/servers/srv0/routes/0/handle/0")
        .cloned()
        .unwrap_or_else(|| panic!("no handler in {json}"))
}

/// Our forward_auth handler for the first route using `auth`.
fn emitted_forward_auth(model: &eosc::sema::model::Model, auth: &str) -> Value {
    let config = eosc::emit::caddy::config(model);
    let routes = config
        .pointer("/apps/http/servers/srv0/routes")
        .and_then(Value::as_array)
        .expect("routes");
    let host = &model
        .routes
        .iter()
        .find(|r| r.auth.as_deref() == Some(auth))
        .expect("a route with that auth")
        .host;
    for r in routes {
        let m = &r["match"][0];
        if m["host"][0] == Value::String(host.clone()) && m.get("path").is_none() {
            let sub = r["handle"][0]["routes"].as_array().expect("subroute");
            let last = sub.last().expect("final route")["handle"]
                .as_array()
                .expect("handlers");
            return last
                .iter()
                .find(|h| h.get("handle_response").is_some())
                .cloned()
                .expect("a forward_auth handler");
        }
    }
    panic!("no route for {host}");
}

#[test]
fn forward_auth_to_an_app_is_what_caddy_adapt_produces() {
    let Some(caddy) = tool("caddy") else { return };
    let want = adapted_forward_auth(
        &caddy,
        "    dynamic srv authentik-server.service.consul",
        "",
    );
    let got = emitted_forward_auth(&fixture(1), "staff");
    assert_eq!(got, want, "\nemitted: {got:#}\nadapted: {want:#}");
}

#[test]
fn forward_auth_to_an_upstream_is_what_caddy_adapt_produces() {
    let Some(caddy) = tool("caddy") else { return };
    let mut m = fixture(1);
    m.upstreams.insert(
        "outpost".into(),
        Upstream {
            name: "outpost".into(),
            targets: vec!["10.0.0.5:9443".into()],
            tls: true,
            tls_skip_verify: true,
            health: None,
        },
    );
    m.auths.insert(
        "staff".into(),
        Auth {
            name: "staff".into(),
            provider: "authentik".into(),
            outpost: Target::Upstream("outpost".into()),
            groups: vec![],
            token: None,
        },
    );
    let want = adapted_forward_auth(
        &caddy,
        "    transport http {\n      tls\n      tls_insecure_skip_verify\n    }",
        "10.0.0.5:9443",
    );
    let got = emitted_forward_auth(&m, "staff");
    assert_eq!(got, want, "\nemitted: {got:#}\nadapted: {want:#}");
}

#[test]
fn output_is_deterministic() {
    let a = eosc::emit::emit_all(&fixture(2));
    let b = eosc::emit::emit_all(&fixture(2));
    assert_eq!(a, b);
}

/// Redirect shorthands become the placeholders Caddy's own adapter makes
/// of them (`redir https://example.com{uri}`).
#[test]
fn redirect_shorthands_are_what_caddy_adapt_produces() {
    let Some(caddy) = tool("caddy") else {
        return;
    };
    for (short, _) in eosc::emit::caddy::escape::REDIRECT_SHORTHANDS {
        let target = format!("https://example.com/a{short}");
        let json = run::adapt(&caddy, &format!(":8080 {{\n  redir {target} 301\n}}\n"));
        let want = json
            .pointer("/apps/http/servers/srv0/routes/0/handle/0/headers/Location/0")
            .cloned()
            .unwrap_or_else(|| panic!("no Location in {json}"));
        assert_eq!(
            Value::String(eosc::emit::caddy::escape::redirect_target(&target)),
            want,
            "{short}"
        );
    }
}
