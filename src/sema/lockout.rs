//! Firewalls that lock the operator out (W0509). Hetzner applies the union
//! of a server's firewalls and drops everything else inbound, so a server
//! whose firewalls have no rule for SSH (22/tcp) cannot be reached by
//! anyone once Terraform applies them. A firewall no
//! server uses is judged alone: the first server it is given to inherits it.

use super::eval::Cx;
use super::model::{Firewall, Server};
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use indexmap::IndexMap;

/// The port every server's sshd listens on: the spec has no setting for it.
const SSH_PORT: u16 = 22;

fn keeps_ssh(f: &Firewall) -> bool {
    f.rules.iter().any(|r| {
        r.protocol == "tcp"
            && !r.from.is_empty()
            && r.port
                .is_some_and(|p| p.from <= SSH_PORT && SSH_PORT <= p.to)
    })
}

pub fn check(
    cx: &mut Cx<'_>,
    servers: &IndexMap<String, Server>,
    firewalls: &IndexMap<String, Firewall>,
) {
    for (name, f) in firewalls {
        if keeps_ssh(f) {
            continue;
        }
        let users: Vec<&Server> = servers
            .values()
            .filter(|s| s.firewalls.contains(name))
            .collect();
        // The servers that get SSH from nowhere else.
        let locked: Vec<&Server> = users
            .iter()
            .copied()
            .filter(|s| {
                !s.firewalls
                    .iter()
                    .any(|o| firewalls.get(o).is_some_and(keeps_ssh))
            })
            .collect();
        if !users.is_empty() && locked.is_empty() {
            continue;
        }
        let Some(block) = cx.syms.get("firewall", name) else {
            continue;
        };
        let mut d = Diagnostic::warning(
            Code::W0509,
            block.labels[0].span,
            format!("firewall `{name}` has no rule for SSH ({SSH_PORT}/tcp)"),
        )
        .label("nothing reaches sshd through this firewall");
        for s in &locked {
            if let Some(attr) = cx
                .syms
                .get("server", &s.name)
                .and_then(|b| b.body.attr("firewall"))
            {
                d = d.with_secondary(
                    attr.value.span,
                    format!("server `{}` gets no SSH from its other firewalls", s.name),
                );
            }
        }
        cx.err(d.help(format!(
            "Hetzner drops inbound traffic no rule allows, so nobody can SSH in once Terraform applies this: add `rule \"ssh\" {{ protocol = \"tcp\", port = {SSH_PORT}, from = [\"100.64.0.0/10\"] }}` (your admin network), or accept it: `# eosc:allow W0509 -- <why>`"
        )));
    }
}
