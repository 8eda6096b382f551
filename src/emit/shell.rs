//! POSIX shell quoting, shared by every emitter that writes shell commands
//! (Salt's `cmd.run` states, the Jenkinsfile's `sh` steps).

/// Quotes a word for a POSIX shell; plain when nothing in it is special.
pub fn sh(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '_' | '.' | '/' | ':' | '@' | '%' | '+' | '=' | '-' | ',')
        });
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quoting() {
        assert_eq!(sh("helen"), "helen");
        assert_eq!(sh("a b"), "'a b'");
        assert_eq!(sh("it's $x"), "'it'\\''s $x'");
        assert_eq!(sh(""), "''");
    }
}
