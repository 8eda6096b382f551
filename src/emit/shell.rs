//! POSIX shell, shared by every emitter that writes shell commands (Salt's
//! `cmd.run` states, the Jenkinsfile's `sh` steps): quoting, and the deploy
//! plan's typed commands rendered as scripts.

use crate::plan::{AwaitJob, Command, Expect};

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

/// A word list as one command line, each word quoted as needed.
pub fn words(argv: &[String]) -> String {
    argv.iter().map(|w| sh(w)).collect::<Vec<_>>().join(" ")
}

/// The commands of a step as one script, a command (or procedure) per
/// line; `set -e` is not needed: each procedure exits on failure and a
/// plain command is last or followed only by commands that need it.
pub fn script(commands: &[Command]) -> String {
    commands.iter().map(command).collect::<Vec<_>>().join("\n")
}

/// One command as shell.
pub fn command(c: &Command) -> String {
    match c {
        Command::Exec(argv) => words(argv),
        Command::Quiet(argv) => format!("{} >/dev/null", words(argv)),
        Command::ToFile { argv, file } => format!("{} > {}", words(argv), sh(file)),
        Command::RequireTools(tools) => match tools.as_slice() {
            [one] => format!(
                "command -v {t} >/dev/null || {{ echo {msg} >&2; exit 1; }}",
                t = sh(one),
                msg = sh(&format!("missing: {one}"))
            ),
            _ => format!(
                "for tool in {}; do\n\
                 \x20 command -v \"$tool\" >/dev/null || {{ echo \"missing: $tool\" >&2; exit 1; }}\n\
                 done",
                words(tools)
            ),
        },
        Command::Probe { url, expect } => probe(url, expect),
        Command::LoadLastGoodCaddy { file, load_url } => format!(
            "f={}\n\
             if [ ! -s \"$f\" ]; then echo 'no last good Caddy config: left as it is'; exit 0; fi\n\
             curl -fsS --max-time 60 -X POST -H 'Content-Type: application/json' --data-binary @\"$f\" {}",
            sh(file),
            sh(load_url)
        ),
        Command::RevertJob { job, name, file } => format!(
            "f={file}\n\
             if [ ! -s \"$f\" ]; then echo {none}; exit 0; fi\n\
             good=$(cat \"$f\")\n\
             now=$(nomad job inspect -t '{{{{.Version}}}}' {job})\n\
             if [ \"$now\" = \"$good\" ]; then echo {same}; exit 0; fi\n\
             nomad job revert {job} \"$good\"",
            file = sh(file),
            job = sh(job),
            none = sh(&format!("no last good version of {name}: left as it is")),
            same = sh(&format!("{name} runs its last good version")),
        ),
        Command::PromoteCanaries { job } => format!(
            "if nomad job promote {job}; then exit 0; fi\n\
             echo {msg}",
            job = sh(job),
            msg = sh(&format!("no canary deployment of {job} waits for promotion")),
        ),
        Command::AwaitDeployments {
            jobs,
            timeout,
            poll,
        } => await_deployments(jobs, timeout.as_secs(), poll.as_secs().max(1)),
        Command::FollowCanary {
            job,
            split,
            reset,
            timeout,
            poll,
        } => follow_canary(job, split, reset, timeout.as_secs(), poll.as_secs().max(1)),
        Command::FailRunningDeployment { job } => format!(
            "job={job}\n\
             line=$(nomad job deployments -latest -t '{{{{.ID}}}} {{{{.Status}}}}' \"$job\") || {{ echo \"no deployment of $job\"; exit 0; }}\n\
             case \"$line\" in\n\
             \x20 *' running') nomad deployment fail \"${{line%% *}}\" ;;\n\
             \x20 *) echo \"$job: no running deployment to fail ($line)\" ;;\n\
             esac",
            job = sh(job),
        ),
        Command::WriteAtomically { file, contents } => {
            let dir = file.rsplit_once('/').map_or(".", |(d, _)| d);
            format!(
                "mkdir -p {dir} && printf '%s' {contents} > {tmp} && mv -f {tmp} {file}",
                dir = sh(dir),
                contents = sh(contents),
                tmp = sh(&format!("{file}.tmp")),
                file = sh(file),
            )
        }
        Command::Say(text) => format!("echo {}", sh(text)),
        Command::RequireRelease {
            key,
            from,
            env,
            release,
        } => format!(
            "want={want}\n\
             got=$(consul kv get {key}) || {{ echo {missing} >&2; exit 1; }}\n\
             if [ \"$got\" != \"$want\" ]; then\n\
             \x20 echo {differs} >&2\n\
             \x20 echo \"{from} verified: $got\" >&2\n\
             \x20 echo \"{env} would deploy: $want\" >&2\n\
             \x20 exit 1\n\
             fi\n\
             echo {ok}",
            want = sh(release),
            key = sh(key),
            missing = sh(&format!("{env} deploys only what {from} verified, and {from} has recorded no release at {key}: deploy and verify {from} first")),
            differs = sh(&format!("{env} would deploy other images than {from} verified (recorded at {key}): deploy these images to {from} first, or set own_images = true in environment {env} if it deploys its own build")),
            ok = sh(&format!("ok: {env} deploys the release {from} verified")),
        ),
        Command::ExportFromVault { var, path, key } => format!(
            "{var}=$(vault kv get -field={k} {p}) || {{ echo {msg} >&2; exit 1; }}\nexport {var}",
            k = sh(key),
            p = sh(path),
            msg = sh(&format!("cannot read {key} of {path} from Vault"))
        ),
    }
}

/// Ask the URL up to 10 times, 6 s apart, until the answer is expected:
/// the exact status and, for a route's verify, the body text and headers
/// (header names compared without case, values by substring).
fn probe(url: &str, expect: &Expect) -> String {
    let (status, body, headers) = match expect {
        Expect::Status(s) => (*s, None, &[][..]),
        Expect::Answer {
            status,
            body_contains,
            headers,
        } => (*status, body_contains.as_deref(), headers.as_slice()),
    };
    if body.is_none() && headers.is_empty() {
        return format!(
            "url={url}\n\
             i=0\n\
             while :; do\n\
             \x20 code=$(curl -sS -o /dev/null -w '%{{http_code}}' --max-time 10 \"$url\" || true)\n\
             \x20 if [ \"$code\" = {status} ]; then echo \"ok: $url answered $code\"; exit 0; fi\n\
             \x20 i=$((i + 1))\n\
             \x20 if [ \"$i\" -ge 10 ]; then echo \"FAILED: $url answered $code, not {status}\" >&2; exit 1; fi\n\
             \x20 sleep 6\n\
             done",
            url = sh(url)
        );
    }
    let mut checks = format!(
        "\x20 why=''\n\x20 [ \"$code\" = {status} ] || why=\"status $code, not {status}\"\n"
    );
    if let Some(text) = body {
        checks.push_str(&format!(
            "\x20 [ -n \"$why\" ] || grep -qF -e {t} \"$body\" || why={msg}\n",
            t = sh(text),
            msg = sh(&format!("a body without {text:?}"))
        ));
    }
    for (name, text) in headers {
        checks.push_str(&format!(
            "\x20 [ -n \"$why\" ] || n={n} t={t} awk 'BEGIN {{ n = tolower(ENVIRON[\"n\"]) \":\" }} {{ sub(/\\r$/, \"\") }} tolower(substr($0, 1, length(n))) == n && index(substr($0, length(n) + 1), ENVIRON[\"t\"]) {{ f = 1 }} END {{ exit !f }}' \"$head\" || why={msg}\n",
            n = sh(name),
            t = sh(text),
            msg = sh(&format!("no header {name} containing {text:?}"))
        ));
    }
    format!(
        "url={url}\n\
         body=$(mktemp) && head=$(mktemp) || exit 1\n\
         trap 'rm -f \"$body\" \"$head\"' EXIT\n\
         i=0\n\
         while :; do\n\
         \x20 code=$(curl -sS -o \"$body\" -D \"$head\" -w '%{{http_code}}' --max-time 10 \"$url\" || true)\n\
         {checks}\
         \x20 if [ -z \"$why\" ]; then echo \"ok: $url answered $code as expected\"; exit 0; fi\n\
         \x20 i=$((i + 1))\n\
         \x20 if [ \"$i\" -ge 10 ]; then echo \"FAILED: $url: $why\" >&2; exit 1; fi\n\
         \x20 sleep 6\n\
         done",
        url = sh(url)
    )
}

/// Commands as lines of a shell block, each indented by `indent`; the
/// first that fails ends the script with status 1.
fn block(commands: &[Command], indent: &str) -> String {
    commands
        .iter()
        .map(|c| {
            let text = command(c);
            let text = if text.contains('\n') {
                format!("{{\n{text}\n}} || exit 1")
            } else {
                format!("{text} || exit 1")
            };
            text.lines()
                .map(|l| format!("{indent}{l}"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Poll the latest deployment of `job`: split while its canaries wait for
/// promotion, reset and succeed when it has no canary, reset and fail when
/// it failed or after `timeout` seconds.
fn follow_canary(
    job: &str,
    split: &[Command],
    reset: &[Command],
    timeout: u64,
    poll: u64,
) -> String {
    let (split, reset) = (block(split, "      "), block(reset, "      "));
    format!(
        "job={job}\n\
         deadline=$(( $(date +%s) + {timeout} ))\n\
         while :; do\n\
         \x20 status=$(nomad job deployments -latest -t '{{{{.Status}}}}: {{{{.StatusDescription}}}}' \"$job\") || status=\"none: no deployment\"\n\
         \x20 case \"$status\" in\n\
         \x20   'running: Deployment is running but requires manual promotion')\n\
         {split}\n\
         \x20     echo \"ok: $job: canary healthy, traffic shifted\"; exit 0 ;;\n\
         \x20   successful:*|none:*)\n\
         {reset}\n\
         \x20     echo \"ok: $job has no canary ($status): all traffic stays on stable\"; exit 0 ;;\n\
         \x20   failed:*|cancelled:*)\n\
         {reset}\n\
         \x20     echo \"FAILED: $job: $status: all traffic back on stable\" >&2; exit 1 ;;\n\
         \x20 esac\n\
         \x20 if [ \"$(date +%s)\" -ge \"$deadline\" ]; then\n\
         {reset}\n\
         \x20   echo \"FAILED: $job: still $status after {timeout} s: all traffic on stable\" >&2; exit 1\n\
         \x20 fi\n\
         \x20 sleep {poll}\n\
         done",
        job = sh(job),
    )
}

/// Poll `nomad job deployments -latest` of every job until each latest
/// deployment is `successful` (or, for canaries, healthy and waiting for
/// promotion); fail at a `failed` or `cancelled` one, at a job Nomad does
/// not know, or after `timeout` seconds.
fn await_deployments(jobs: &[AwaitJob], timeout: u64, poll: u64) -> String {
    let mut out = format!("deadline=$(( $(date +%s) + {timeout} ))\n");
    for j in jobs {
        let job = sh(&j.job);
        let waiting = if j.accept_promotion_wait {
            "\n\x20   'running: Deployment is running but requires manual promotion') echo \"ok: $job: canaries healthy, waiting for promotion\"; break ;;"
        } else {
            ""
        };
        out.push_str(&format!(
            "job={job}\n\
             while :; do\n\
             \x20 status=$(nomad job deployments -latest -t '{{{{.Status}}}}: {{{{.StatusDescription}}}}' \"$job\") || {{ echo \"FAILED: no deployment of $job\" >&2; exit 1; }}\n\
             \x20 case \"$status\" in\n\
             \x20   successful:*) echo \"ok: $job: $status\"; break ;;{waiting}\n\
             \x20   failed:*|cancelled:*) echo \"FAILED: $job: $status\" >&2; exit 1 ;;\n\
             \x20 esac\n\
             \x20 if [ \"$(date +%s)\" -ge \"$deadline\" ]; then echo \"FAILED: $job: still $status after {timeout} s\" >&2; exit 1; fi\n\
             \x20 sleep {poll}\n\
             done\n"
        ));
    }
    out.pop();
    out
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
