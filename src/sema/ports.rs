//! Ports and port ranges as the spec writes them (`443`, `"49160-49200"`),
//! shared by firewall rules, app ports and streams.

use super::eval::{Cx, Val, V};
use super::model::{PortRange, Protocol};
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::syntax::ast::Body;

/// A port number or a rising `"FROM-TO"` range in 1..=65535.
pub fn port_or_range(cx: &mut Cx<'_>, v: &Val, what: &str) -> Option<PortRange> {
    match &v.v {
        V::Num(_) => cx.as_int(v, what, 1, 65535).map(|p| PortRange {
            from: p as u16,
            to: p as u16,
        }),
        V::Str(s) => match s
            .split_once('-')
            .map(|(a, b)| (a.parse::<u16>(), b.parse::<u16>()))
        {
            Some((Ok(a), Ok(z))) if a >= 1 && a <= z => Some(PortRange { from: a, to: z }),
            _ => {
                cx.err(
                    Diagnostic::error(Code::E0303, v.span, format!("`{s}` is not a port range"))
                        .label("expected `FROM-TO`")
                        .help("write a port (`443`) or a rising range of ports in 1..=65535 (`\"49160-49200\"`)"),
                );
                None
            }
        },
        _ => {
            cx.type_error(v, "a port number or a range string");
            None
        }
    }
}

/// `protocol = "tcp" | "udp" | "both"`, tcp when absent.
pub fn protocol(cx: &mut Cx<'_>, body: &Body) -> Protocol {
    cx.choice(body, "protocol", &["tcp", "udp", "both"])
        .and_then(|(p, _)| Protocol::parse(&p))
        .unwrap_or_default()
}

/// The most ports one range may hold: Nomad gets one port block per port,
/// and a scheduler with thousands of static ports per allocation is slow
/// (hashicorp/nomad#9110).
pub const MAX_RANGE: u32 = 1000;
