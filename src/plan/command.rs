//! The commands a step runs, as data: argv vectors for plain commands and
//! a variant for each small procedure (a probe, a revert) whose control
//! flow is part of what the step means. `emit::shell` renders them as POSIX
//! shell; a renderer for another runner renders the same values.

use serde::Serialize;
use std::time::Duration;

/// What a probe expects back.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Expect {
    /// Exactly this status.
    Status(u16),
    /// A route's verify (as the seeds' checks do): exactly `status`, and
    /// where given a body containing `body_contains` and each header of
    /// `headers` present with a value containing the text.
    Answer {
        status: u16,
        body_contains: Option<String>,
        headers: Vec<(String, String)>,
    },
}

/// One command of a step. Commands of a step run in order; the first that
/// fails fails the step.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Command {
    /// A program and its arguments.
    Exec(Vec<String>),
    /// A program whose standard output is not wanted.
    Quiet(Vec<String>),
    /// A program whose standard output is written to `file`.
    ToFile { argv: Vec<String>, file: String },
    /// Fail, naming the first missing one, unless every tool is on `PATH`.
    RequireTools(Vec<String>),
    /// GET `url` up to 10 times, 6 s apart, until the status is `expect`.
    Probe { url: String, expect: Expect },
    /// POST the Caddy config in `file` to `load_url` if `file` is not empty;
    /// otherwise leave Caddy as it is.
    LoadLastGoodCaddy { file: String, load_url: String },
    /// Revert Nomad job `job` to the version recorded in `file`, unless no
    /// version is recorded or it already runs that version.
    RevertJob {
        job: String,
        name: String,
        file: String,
    },
    /// `nomad job promote`; no deployment waiting for promotion is not an
    /// error.
    PromoteCanaries { job: String },
    /// Poll the latest deployment of each job until all are successful;
    /// fail at the first failed or cancelled one, or after `timeout`.
    /// With `accept_promotion_wait`, a deployment whose canaries are healthy
    /// and wait for promotion counts as done (the canary stages follow).
    AwaitDeployments {
        jobs: Vec<AwaitJob>,
        timeout: Duration,
        poll: Duration,
    },
    /// Shift traffic to the canary of `job` only while one exists: poll
    /// its latest deployment; while its canaries are placed, healthy and
    /// wait for promotion (Consul then answers `canary.<service>`), run
    /// `split`; when it is successful (no canary: a first deployment, or
    /// one promoted already) run `reset` and succeed; at a failed or
    /// cancelled deployment, or after `timeout`, run `reset` and fail.
    FollowCanary {
        job: String,
        split: Vec<Command>,
        reset: Vec<Command>,
        timeout: Duration,
        poll: Duration,
    },
    /// `nomad deployment fail` of the latest deployment of `job` while it
    /// runs: Nomad places nothing more for it and, with `auto_revert` (a
    /// rollout's default), reverts the job to its last stable version,
    /// which replaces the canaries; a deployment that is not running is
    /// left as it is.
    FailRunningDeployment { job: String },
    /// Write `contents` to `file` in one step (a temporary file renamed
    /// over it, so a reader never sees half of it), its directory made.
    WriteAtomically { file: String, contents: String },
    /// Read field `key` of the Vault KV v2 secret at `path` into the
    /// environment variable `var` for the step's later commands; fail,
    /// naming the path (never the value), if Vault does not give it.
    ExportFromVault {
        var: String,
        path: String,
        key: String,
    },
    /// Fail unless the Consul value at `key` (what environment `from`
    /// recorded as verified) is exactly `release` (what `env` is about to
    /// deploy); the message shows both.
    RequireRelease {
        key: String,
        from: String,
        env: String,
        release: String,
    },
    /// Say `text` and succeed.
    Say(String),
}

/// One job a wave waits for.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AwaitJob {
    pub job: String,
    /// Canaries that wait for `nomad job promote` count as done.
    pub accept_promotion_wait: bool,
}

/// `argv` from string slices.
pub fn argv(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}
