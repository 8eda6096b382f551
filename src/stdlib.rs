//! The standard library: `import "std/<name>"` modules, embedded in the binary.

pub const MODULES: &[(&str, &str)] = &[
    ("std/rollouts", include_str!("../stdlib/rollouts.hcl")),
    ("std/security", include_str!("../stdlib/security.hcl")),
];

pub fn get(name: &str) -> Option<&'static str> {
    MODULES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}
