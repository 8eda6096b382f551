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

#[test]
fn every_emitted_config_validates() {
    let Some(caddy) = tool("caddy") else { return };
    let mut n = 0;
    for (name, m) in models() {
        let text = eosc::emit::caddy::emit(&m).contents;
        if let Err(e) = run::validate(&caddy, &text) {
            panic!("caddy validate rejected the config of {name}:\n{e}");
        }
        n += 1;
    }
    eprintln!("caddy validate accepted {n} configs");
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
