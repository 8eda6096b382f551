//! What a secret looks like, as pure functions on names and values: the
//! rules behind E0501–E0505, shared by the checks on evaluated values
//! (`secrets.rs`) and the scan of every string literal of the spec
//! (`secret_scan.rs`). Nothing here sees a span or a diagnostic.

/// Substrings that make a name a secret's name wherever they occur:
/// `PGPASSWORD`, `dbPassword`, `GPG_PASSPHRASE`, `GITHUBTOKEN`.
const SECRET_SUBSTRINGS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "TOKEN",
    "SECRET",
    "PRIVATEKEY",
    "APIKEY",
    "CREDENTIAL",
];

/// Whole words (after splitting on `_`, `-`, `.` and camelCase) that make
/// a name a secret's name: `AWS_ACCESS_KEY`, `db-pass`, `MYSQL_PWD`.
const SECRET_WORDS: &[&str] = &["PASS", "PWD", "KEY", "PRIVATE", "AUTH"];

/// A last word that says the value is where the secret is, not the
/// secret: `DB_PASSWORD_FILE = "/run/secrets/db"`, `TOKEN_URL`, `KEY_ID`.
const POINTER_WORDS: &[&str] = &[
    "FILE",
    "PATH",
    "DIR",
    "URL",
    "URI",
    "ENDPOINT",
    "NAME",
    "ID",
    "HEADER",
    "TTL",
    "LENGTH",
    "MIN",
    "MAX",
    "TYPE",
    "ALGORITHM",
    "SIZE",
];

/// The words of a name: `dbPassword` → DB PASSWORD, `X-Api-Key` → X API
/// KEY, `AWS_SECRET_ACCESS_KEY` → AWS SECRET ACCESS KEY.
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_uppercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Does this name (an env key, a variable, a header, an object key) say
/// that its value is a secret?
pub fn name_is_secret(name: &str) -> bool {
    let words = words(name);
    if words
        .last()
        .is_some_and(|w| POINTER_WORDS.contains(&w.as_str()))
    {
        return false;
    }
    let joined: String = words.concat();
    SECRET_SUBSTRINGS.iter().any(|s| joined.contains(s))
        || words.iter().any(|w| SECRET_WORDS.contains(&w.as_str()))
}

/// A name whose value is a hash, not a credential: `COMMIT`, `GIT_SHA`,
/// `IMAGE_DIGEST` (hex of 40 or 64 digits is then expected).
pub fn name_is_hash(name: &str) -> bool {
    words(name).iter().any(|w| {
        matches!(
            w.as_str(),
            "COMMIT"
                | "SHA"
                | "SHA1"
                | "SHA256"
                | "DIGEST"
                | "HASH"
                | "REV"
                | "REVISION"
                | "CHECKSUM"
        )
    })
}

/// What a value gives away by itself, whatever its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueFinding {
    /// `-----BEGIN … PRIVATE KEY-----` or any PEM block (E0503).
    Pem,
    /// `scheme://user:password@host` (E0505).
    UrlPassword,
    /// A token with a known prefix, long hex, or high-entropy base64 (E0504).
    Token,
}

pub const PEM_MARKER: &str = "-----BEGIN";

pub fn value_finding(value: &str, hash_ok: bool) -> Option<ValueFinding> {
    if value.contains(PEM_MARKER) {
        return Some(ValueFinding::Pem);
    }
    if url_password(value).is_some() {
        return Some(ValueFinding::UrlPassword);
    }
    // A digest (`sha256:…`, `image@sha256:…`) is a hash whatever its name.
    let digest = |w: &str| {
        let at = w.as_ptr() as usize - value.as_ptr() as usize;
        let before = &value[..at];
        before.ends_with("sha256:") || before.ends_with("sha512:") || before.ends_with("sha1:")
    };
    if token_words(value).any(|w| is_token(w, hash_ok || digest(w))) {
        return Some(ValueFinding::Token);
    }
    None
}

/// The password of the first URL in `value` that carries one:
/// `postgres://app:hunter2@db/app` → `hunter2`. A `$NAME` reference is
/// not a literal password.
pub fn url_password(value: &str) -> Option<&str> {
    let mut rest = value;
    while let Some(at) = rest.find("://") {
        let after = &rest[at + 3..];
        let end = after
            .find(|c: char| c == '/' || c == '?' || c == '#' || c.is_whitespace())
            .unwrap_or(after.len());
        let authority = &after[..end];
        if let Some((userinfo, _)) = authority.rsplit_once('@') {
            if let Some((_, pass)) = userinfo.split_once(':') {
                if !pass.is_empty() && !pass.starts_with('$') {
                    return Some(pass);
                }
            }
        }
        rest = after;
    }
    None
}

/// Runs of characters that a token can be made of.
fn token_words(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(|c: char| !(c.is_ascii_alphanumeric() || "+/=_-".contains(c)))
        .filter(|w| w.len() >= 16)
}

/// Prefixes of tokens issued by well-known services, with the length of
/// random text that must follow.
const TOKEN_PREFIXES: &[(&str, usize)] = &[
    ("ghp_", 20),
    ("gho_", 20),
    ("ghu_", 20),
    ("ghs_", 20),
    ("ghr_", 20),
    ("github_pat_", 20),
    ("glpat-", 16),
    ("xoxb-", 10),
    ("xoxp-", 10),
    ("xoxa-", 10),
    ("xoxr-", 10),
    ("xoxs-", 10),
    ("sk-", 20),
    ("sk_live_", 16),
    ("AKIA", 16),
    ("ASIA", 16),
];

fn is_token(w: &str, hash_ok: bool) -> bool {
    let w = w.trim_start_matches(['/', '-']);
    for (p, n) in TOKEN_PREFIXES {
        if let Some(rest) = w.strip_prefix(p) {
            let random = rest
                .bytes()
                .filter(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
                .count();
            let aws = p.starts_with("AK") || p.starts_with("AS");
            let found = if aws {
                rest.len() == 16
                    && rest
                        .bytes()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            } else {
                random >= *n
            };
            if found {
                return true;
            }
        }
    }
    let hex = w.bytes().all(|c| c.is_ascii_hexdigit());
    if hex {
        let letters = w.bytes().any(|c| c.is_ascii_alphabetic());
        let digits = w.bytes().any(|c| c.is_ascii_digit());
        return !hash_ok && w.len() >= 32 && letters && digits;
    }
    // base64 / base62: at least 20, upper, lower and digits, and close to
    // the entropy of random text of that length.
    w.len() >= 20
        && w.bytes().any(|c| c.is_ascii_uppercase())
        && w.bytes().any(|c| c.is_ascii_lowercase())
        && w.bytes().any(|c| c.is_ascii_digit())
        && !w.contains("//")
        && entropy(w) >= (f64::log2(w.len() as f64) - 0.7).min(4.0)
}

/// A whole value that is a credential by itself: a token with a known
/// prefix, long hex, or high-entropy base64 (E0504). `value_finding` looks
/// for one among the words of a value; the importers ask of one value.
/// `hash_ok`: its name says it is a hash (`name_is_hash`), so long hex is
/// expected.
pub fn looks_like_token(v: &str, hash_ok: bool) -> bool {
    !v.contains(char::is_whitespace) && is_token(v, hash_ok)
}

/// Shannon entropy in bits per character.
pub fn entropy(s: &str) -> f64 {
    let mut counts = [0usize; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = *c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// Flags whose value is a secret: `--password`, `--requirepass`,
/// `--auth=`, `--token`, `--api-key`, and every flag whose name is a
/// secret's name.
pub fn flag_takes_secret(flag: &str) -> bool {
    if !flag.starts_with('-') {
        return false;
    }
    let name = flag.trim_start_matches('-').to_ascii_lowercase();
    matches!(
        name.as_str(),
        "pass"
            | "password"
            | "passwd"
            | "requirepass"
            | "masterauth"
            | "auth"
            | "token"
            | "secret"
            | "api-key"
            | "apikey"
            | "passphrase"
    ) || name_is_secret(&name)
}

/// `-phunter2` (mysql's form): a single-dash `-p` with its value glued.
/// `-p8080`, `-p 80:80` and `-p$PASS` are not literal passwords.
pub fn glued_password(arg: &str) -> bool {
    match arg.strip_prefix("-p") {
        Some(v) if !v.is_empty() && !arg.starts_with("--") => {
            !v.starts_with(['$', '=', '-'])
                && !v
                    .bytes()
                    .all(|c| c.is_ascii_digit() || c == b':' || c == b'.')
        }
        _ => false,
    }
}

/// A reference to a variable that the runtime fills (`$NAME`, `${NAME}`,
/// `$${NAME}`): not a literal.
pub fn is_reference(v: &str) -> bool {
    let Some(v) = v.strip_prefix('$') else {
        return false;
    };
    let v = v.trim_start_matches('$');
    let v = v.trim_start_matches('{').trim_end_matches('}');
    v.len() < 200
        && !v.is_empty()
        && v.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
        && !v.as_bytes()[0].is_ascii_digit()
}

/// How a diagnostic may describe a secret: its length and at most its
/// first two characters (none if it is short).
pub fn redacted(value: &str) -> String {
    let n = value.chars().count();
    if n < 8 {
        format!("a {n}-character value")
    } else {
        let head: String = value.chars().take(2).collect();
        format!("a {n}-character value starting `{}`", head.escape_debug())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for n in [
            "PGPASSWORD",
            "dbPassword",
            "GPG_PASSPHRASE",
            "db-password",
            "AWS_SECRET_ACCESS_KEY",
            "x-api-key",
            "privateKey",
            "MYSQL_PWD",
            "GITHUB_TOKEN",
            "redis_pass",
            "PRIVATEKEY",
            "SIGNING_KEY",
        ] {
            assert!(name_is_secret(n), "{n}");
        }
        for n in [
            "KEYCLOAK_URL",
            "DB_PASSWORD_FILE",
            "TOKEN_URL",
            "passenger",
            "COMMIT",
            "PORT",
            "keycloak",
            "monkey",
            "API_KEY_ID",
        ] {
            assert!(!name_is_secret(n), "{n}");
        }
    }

    #[test]
    fn values() {
        use ValueFinding::*;
        let t = |v: &str| value_finding(v, false);
        assert_eq!(t("postgres://app:hunter2@db/app"), Some(UrlPassword));
        assert_eq!(t("https://u:$PASS@x"), None);
        assert_eq!(t("https://user@x/a:b@c"), None);
        assert_eq!(t("-----BEGIN RSA PRIVATE KEY-----"), Some(Pem));
        assert_eq!(t("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"), Some(Token));
        assert_eq!(t("glpat-abcdefghij0123456789"), Some(Token));
        assert_eq!(t("xoxb-1234567890-abcdef"), Some(Token));
        assert_eq!(t("AKIAIOSFODNN7EXAMPLE"), Some(Token));
        assert_eq!(t("Bearer sk-abcdefghijklmnopqrstuvwx"), Some(Token));
        assert_eq!(t("4f9c2ab1e07d3c55a8b0e6f1d2c3b4a5"), Some(Token));
        assert_eq!(
            value_finding("4f9c2ab1e07d3c55a8b0e6f1d2c3b4a5", true),
            None
        );
        assert_eq!(t("Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA"), Some(Token));
        assert_eq!(t("aB3dE5gH7jK9mN1pQ2rS"), Some(Token));
        for ok in [
            "ghcr.io/cybermonkey/helen:1.4.2",
            "/var/lib/postgresql/data",
            "https://id.example.com/application/o/authorize/",
            "max-age=31536000; includeSubDomains; preload",
            "nginx:1.27-alpine",
            "registry.example.com/team/web",
            "sha256:4f9c2ab1e07d3c55a8b0e6f1d2c3b4a54f9c2ab1e07d3c55a8b0e6f1d2c3b4a5",
            "Mozilla/5.0 (compatible; Googlebot/2.1)",
            "redis-server --appendonly yes",
        ] {
            assert_eq!(t(ok), None, "{ok}");
        }
    }

    #[test]
    fn flags() {
        assert!(flag_takes_secret("--requirepass"));
        assert!(flag_takes_secret("--auth"));
        assert!(flag_takes_secret("--token"));
        assert!(flag_takes_secret("--db-password"));
        assert!(!flag_takes_secret("--port"));
        assert!(!flag_takes_secret("--verbose"));
        assert!(glued_password("-phunter2"));
        assert!(!glued_password("-p8080"));
        assert!(!glued_password("-p80:80"));
        assert!(!glued_password("-p$MYSQL_PWD"));
        assert!(!glued_password("--port"));
    }

    #[test]
    fn redaction_shows_two_characters_at_most() {
        assert_eq!(redacted("hunter2"), "a 7-character value");
        assert_eq!(
            redacted("supersecretvalue"),
            "a 16-character value starting `su`"
        );
    }
}
