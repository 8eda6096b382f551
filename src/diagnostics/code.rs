//! Every code eosc reports, as one typed table: the code, whether checking
//! stops after it, and its title. docs/errors.md holds the prose of each
//! code under a `## CODE: title` heading; a test (`tests/it/codes.rs`) fails
//! when the two disagree, so a code cannot be raised without its page.
//!
//! Decisions are made on the type (`code.phase()`, `code.stops_checking()`),
//! never on the spelling of a code.

use serde::Serialize;
use std::fmt;

/// The phase a code belongs to, from its first two digits: E01 syntax,
/// E02 names, E03 types, E04 graph, E05 policy, E06 import (W likewise).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Syntax,
    Names,
    Types,
    Graph,
    Policy,
    Import,
}

macro_rules! codes {
    ($( $code:ident $($stops:ident)? $title:literal; )*) => {
        /// A diagnostic code. Declared in code order, so the derived `Ord`
        /// sorts like the codes' spelling.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( #[doc = $title] $code, )*
        }

        impl Code {
            /// Every code, in code order.
            pub const ALL: &'static [Code] = &[$( Code::$code, )*];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Code::$code => stringify!($code), )*
                }
            }

            /// The title of the code's section in docs/errors.md.
            pub const fn title(self) -> &'static str {
                match self {
                    $( Code::$code => $title, )*
                }
            }

            /// A file could not be read or parsed: the spec is incomplete,
            /// so the later phases would only report consequences.
            pub const fn stops_checking(self) -> bool {
                match self {
                    $( Code::$code => codes!(@flag $($stops)?), )*
                }
            }
        }
    };
    (@flag stops) => { true };
    (@flag) => { false };
}

codes! {
    E0101 stops "syntax error";
    E0102 stops "unknown string escape";
    E0103 stops "invalid number, size, duration or percent literal";
    E0104 stops "interpolation where a plain string is required";
    E0105 stops "nesting too deep";
    E0106 stops "NUL byte in the file";
    E0107 stops "attribute outside any block";
    E0201 "unknown block";
    E0202 "unknown attribute";
    E0203 "unknown or incomplete reference";
    E0204 "name defined twice";
    E0205 "attribute or key set twice";
    E0206 "missing required attribute";
    E0207 "wrong number of block labels";
    E0208 stops "import cannot be read";
    E0209 "import cycle";
    E0210 stops "unknown standard library module";
    E0211 "environment sets an unknown variable";
    E0213 "unknown port";
    E0214 "a second project block";
    E0215 "no project block";
    E0216 "no environment";
    E0217 stops "import outside the project";
    E0218 stops "import is not a spec file";
    E0219 stops "spec file too large";
    E0220 "variable default refers to a later variable";
    E0301 "wrong value type";
    E0302 "quoted literal";
    E0303 "value out of range or malformed";
    E0304 "percent outside 0%..100%";
    E0305 "memory_max below memory";
    E0306 "value not among the allowed choices";
    E0307 "reference to the wrong kind of entity";
    E0308 "variable missing or ill-typed in an environment";
    E0309 "invalid canary stages";
    E0310 "canary without a health check";
    E0311 "value cannot be interpolated";
    E0312 "unsafe or malformed string";
    E0313 "invalid host, zone or record name";
    E0314 "app-level setting on an app with tasks";
    E0315 "ambiguous or missing port";
    E0316 "feature needs a Caddy plugin";
    E0317 "invalid name";
    E0318 "conflicting or missing actions";
    E0319 "invalid schedule";
    E0320 "invalid regular expression";
    E0321 "canary traffic through a stream";
    E0322 "Nomad would reject the job";
    E0323 "setting eosc cannot carry out";
    E0324 "not an environment variable name";
    E0325 "contradictory settings";
    E0326 "invalid placement rule";
    E0327 "invalid node attribute";
    E0328 "invalid spread";
    E0329 "restart, reschedule or migrate policy Nomad rejects";
    E0330 "feature needs a newer Caddy";
    E0331 "unknown time zone";
    E0332 "Caddy plugins without caddy_image";
    E0333 "unknown volume";
    E0334 "port published by two tasks";
    E0335 "unknown Linux capability";
    E0336 "invalid task directory path";
    E0337 "malformed Go template";
    E0338 "template reads an undeclared secret";
    E0339 "template needs one text";
    E0340 "invalid template change signal";
    E0341 "reserved service tag or meta key";
    E0342 "invalid template permissions";
    E0343 "invalid template delimiters";
    E0344 "template destination written twice";
    E0345 "environment template line is not NAME=value";
    E0350 "placeholder not allowed in a header";
    E0352 "proxy options that do not fit together";
    E0353 "certificate storage outside the data volume";
    E0401 "cycle";
    E0402 "two routes for the same host and path";
    E0403 "static port used twice on a node class";
    E0404 "CNAME beside another record";
    E0405 "CNAME at the zone apex";
    E0406 "two apps register one service name";
    E0407 "environment twice in a pipeline";
    E0408 "pipeline promotes before its source";
    E0409 "two environments own the same external thing";
    E0410 "port clash on the proxy's nodes";
    E0411 "promoted environment deploys other images";
    E0501 "literal secret in env";
    E0502 "secret on the command line";
    E0503 "private key in the spec";
    E0504 "credential-looking literal";
    E0505 "password in a URL";
    E0601 "import source cannot be parsed";
    E0602 "construct cannot be imported faithfully";
    W0101 "allow without a reason";
    W0102 "allow that accepts nothing";
    W0501 "TLS verification skipped";
    W0502 "unpinned image";
    W0503 "route without security middleware";
    W0504 "app without health check";
    W0505 "Docker socket mounted";
    W0506 "Caddy admin API off loopback";
    W0507 "route host without DNS record";
    W0508 "setting has no effect";
    W0509 "firewall locks out SSH";
    W0510 "auth protects no route";
    W0511 "internal service open to the internet";
    W0512 "capability outside the Docker driver's default allow-list";
    W0513 "node class constraint no server matches";
    W0514 "template looks up an unknown Consul service";
    W0516 "active health check Caddy does not run";
    W0601 "construct left out of the import";
    W0602 "named matcher ANDs several conditions";
    W0603 "approximated in the import";
    W0604 "secret found in an import source";
    W0605 "edge service left to eosc's proxy";
    W0606 "risky setting in an import source";
}

impl Code {
    pub fn phase(self) -> Phase {
        match &self.as_str()[1..3] {
            "01" => Phase::Syntax,
            "02" => Phase::Names,
            "03" => Phase::Types,
            "04" => Phase::Graph,
            "05" => Phase::Policy,
            _ => Phase::Import,
        }
    }

    /// `E` codes are errors, `W` codes warnings.
    pub fn is_error(self) -> bool {
        self.as_str().starts_with('E')
    }

    /// The code spelled `s` (`E0202`, any case).
    pub fn parse(s: &str) -> Option<Code> {
        let s = s.trim();
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Tests and tools compare codes with their spelling.
impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_in_code_order() {
        let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
    }

    #[test]
    fn phases_and_parse() {
        assert_eq!(Code::E0101.phase(), Phase::Syntax);
        assert_eq!(Code::W0501.phase(), Phase::Policy);
        assert!(Code::E0101.stops_checking() && !Code::E0202.stops_checking());
        assert_eq!(Code::parse("e0202"), Some(Code::E0202));
        assert_eq!(Code::parse("E9999"), None);
    }
}
