//! Nomad and Caddy features eosc deliberately does not express, one row
//! each: where the user would write it, why it is left out, and what to do
//! instead. Writing one (as an attribute or a block) is E0202 with the row's
//! help, so a user who knows Nomad or Caddy learns the decision instead of
//! reading "unknown attribute" and a did-you-mean. docs/language.md's
//! "Not supported" table is rendered from these rows (tests/it/schema_docs.rs).

use super::{all, app, rollout, route, upstream, Schema};

/// One feature left out on purpose.
#[derive(Debug)]
pub struct Unsupported {
    /// The block the user would write it in.
    pub block: &'static Schema,
    /// The attribute or block name, as Nomad or Caddy spell it.
    pub name: &'static str,
    /// Why eosc does not express it, read after "left out because it".
    pub why: &'static str,
    /// What to do instead, read after "instead,".
    pub instead: &'static str,
}

/// Every deliberately unsupported feature, grouped by area (the docs'
/// table keeps this order).
pub static UNSUPPORTED: &[Unsupported] = &[
    // Nomad job and group.
    Unsupported {
        block: &app::APP,
        name: "multiregion",
        why: "is Nomad Enterprise only, and eosc deploys one region per environment",
        instead: "declare one `environment` per region (`region = \"…\"`) and promote between them",
    },
    Unsupported {
        block: &app::APP,
        name: "parameterized",
        why: "makes a job that waits for a dispatch, with no deployment for the pipeline to run, verify or roll back",
        instead: "use `type = \"batch\"` with a `schedule`, or dispatch the job outside eosc",
    },
    Unsupported {
        block: &app::APP,
        name: "scaling",
        why: "needs the Nomad Autoscaler, which this deployment does not run, and a scaled count would fight the spec's `count`",
        instead: "set `count` (per environment through a variable)",
    },
    // Nomad placement, update and scheduling.
    Unsupported {
        block: &rollout::ROLLOUT,
        name: "auto_promote",
        why: "would let Nomad promote a deployment on its own, before the pipeline's verify step and traffic stages have run",
        instead: "leave promotion to the deployment (it promotes after the last stage), or use `strategy = \"rolling\"` for an app that needs no canary",
    },
    Unsupported {
        block: &app::RESOURCES,
        name: "disk",
        why: "is deprecated in Nomad in favour of the group's `ephemeral_disk`, which is what a task's disk use counts against",
        instead: "use `ephemeral_disk = 1GiB` on the app (with `ephemeral_disk_sticky` / `ephemeral_disk_migrate`)",
    },
    // Nomad services, checks, Connect and Vault.
    Unsupported {
        block: &app::APP,
        name: "connect",
        why: "needs Envoy sidecars and Consul intentions on every node, and the edge reaches apps by Consul DNS SRV answers, which a sidecar's mesh port would bypass (the seed's `sidecar_service {}`, 000:720, declares no upstreams, so nothing uses the mesh)",
        instead: "reach the app through a `route` (Caddy dials its Consul service) and limit who can reach its ports with `firewall` rules",
    },
    Unsupported {
        block: &app::VAULT,
        name: "policies",
        why: "asks Nomad for a token with named policies, the legacy token-based flow Nomad deprecated in 1.7 (and removes in 1.10) in favour of workload identities; eosc's jobs log in to Vault with the task's identity",
        instead: "attach the policies (the seed's `helen-read`, 000:797) to a Vault JWT role and name it: `vault { role = \"helen\" }`",
    },
    Unsupported {
        block: &app::VAULT,
        name: "change_signal",
        why: "would signal the task when its secrets change, but eosc hands `secrets` to the task as environment variables, which a running process cannot re-read (Nomad refuses signals with env templates)",
        instead: "keep `change_mode = \"restart\"`, or render the secret into a file with a `template` whose `change_mode = \"signal\"` names the signal",
    },
    // Nomad tasks and the Docker driver.
    Unsupported {
        block: &app::TASK,
        name: "artifact",
        why: "fetches files at run time, so what runs is not what the spec and its review say",
        instead: "bake the files into the image",
    },
    Unsupported {
        block: &app::TASK,
        name: "privileged",
        why: "gives the container every capability and the node's devices, which is root on the node (and Nomad's Docker plugin refuses it unless the client sets `allow_privileged`); no app of the seeds needs it",
        instead: "add only the capability the app needs with `cap_add` (W0512 says when the client must allow it)",
    },
    Unsupported {
        block: &app::TASK,
        name: "devices",
        why: "passes host devices into the container, which ties the job to one node's hardware outside the spec",
        instead: "run the app on the server that has the device (`runs_on`) and expose what it needs through a `volume`",
    },
    Unsupported {
        block: &app::TASK,
        name: "ipc_mode",
        why: "joins the host's (or another container's) IPC namespace, so the container reaches shared memory of processes outside its task",
        instead: "keep each task in its own namespace; share data between tasks of one app through a `mount` of `alloc/`",
    },
    Unsupported {
        block: &app::TASK,
        name: "pid_mode",
        why: "with `host` shows the container the node's process table and lets a root container signal any process",
        instead: "keep the task's own PID namespace; a task that must watch the node belongs on the node, not in a container",
    },
    Unsupported {
        block: &app::TASK,
        name: "security_opt",
        why: "turns off the container's seccomp or AppArmor confinement (`seccomp=unconfined`) or loads profiles from the client's disk, outside the spec",
        instead: "narrow the container with `cap_drop`, `readonly_rootfs` and `user`",
    },
    Unsupported {
        block: &app::TASK,
        name: "volumes",
        why: "binds arbitrary host paths through Docker, which needs `volumes.enabled` on every client and then lets any job mount any path of the node",
        instead: "declare a `volume` of the app (a Nomad host volume) and `volume_mount` it in the task, or bind a task directory with `mount`",
    },
    // Nomad templates.
    Unsupported {
        block: &app::TEMPLATE,
        name: "change_script",
        why: "runs a script in the task on every re-render (`change_mode = \"script\"`), code the spec does not hold and the checker cannot see",
        instead: "use `change_mode = \"signal\"` with the signal the program reloads on, or `restart`",
    },
    Unsupported {
        block: &app::TEMPLATE,
        name: "wait",
        why: "changes how long consul-template batches changes, a client-wide setting here",
        instead: "use `splay` to spread the restarts",
    },
    // Caddy routes, upstreams and the site.
    Unsupported {
        block: &route::ROUTE,
        name: "php_fastcgi",
        why: "needs PHP-FPM beside Caddy on the proxy nodes, and the proxy job runs Caddy alone",
        instead: "run the PHP application (PHP-FPM behind its own web server) as an `app` and route to it with `to`",
    },
    Unsupported {
        block: &route::ROUTE,
        name: "file_server",
        why: "serves (and with `browse`, lists) files from the proxy node's disk, which no deployment step writes",
        instead: "bake the files into an image (nginx, Caddy) run as an `app` and route to it with `to`",
    },
    Unsupported {
        block: &route::ROUTE,
        name: "templates",
        why: "runs Go templates inside the answers at the edge, code the checker cannot see",
        instead: "render the pages in the application",
    },
    Unsupported {
        block: &upstream::UPSTREAM,
        name: "lb_policy",
        why: "is a route's setting here: one upstream can back several routes, each balancing its own way",
        instead: "write `lb_policy` (and `fail_duration`, `health`, …) on the route that proxies to it",
    },
];

/// The row for `name` in `block`, if that name is left out on purpose. An
/// app without `task` blocks is its own task, so a task's rows apply to it.
pub fn find(block: &Schema, name: &str) -> Option<&'static Unsupported> {
    let here =
        |s: &Schema| std::ptr::eq(s, block) || block.inherits.is_some_and(|i| std::ptr::eq(s, i));
    UNSUPPORTED.iter().find(|u| here(u.block) && u.name == name)
}

/// The docs' "Not supported" table, in the order of the rows.
pub fn markdown_table() -> String {
    let paths = all();
    let mut out =
        String::from("| where | name | left out because it | instead |\n|---|---|---|---|\n");
    for u in UNSUPPORTED {
        let path = paths
            .iter()
            .find(|(_, s)| std::ptr::eq(*s, u.block))
            .map_or(u.block.kind, |(p, _)| p.as_str());
        out.push_str(&format!(
            "| `{path}` | `{}` | {} | {} |\n",
            u.name, u.why, u.instead
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_unique_and_not_schema_names() {
        for (i, u) in UNSUPPORTED.iter().enumerate() {
            assert!(
                !u.block.attr_names().contains(&u.name) && !u.block.block_names().contains(&u.name),
                "`{}` is both supported and unsupported in {}",
                u.name,
                u.block.kind
            );
            assert!(
                UNSUPPORTED[..i]
                    .iter()
                    .all(|p| !(std::ptr::eq(p.block, u.block) && p.name == u.name)),
                "`{}` listed twice",
                u.name
            );
        }
    }
}
