//! Writes the generated workloads to disk, for the whole-process comparison
//! (`scripts/perf/compare.py`) and for profiling by hand:
//!
//!     cargo run --release --example workload -- DIR 10 100 1000 10000
//!
//! creates `DIR/<n>/hecate.hcl` (the spec) and `DIR/<n>/pillar.sls` (the
//! same apps as Salt pillar data) for each `n`.

#[path = "mod.rs"]
mod workload;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: workload DIR N...");
        return ExitCode::from(2);
    };
    for arg in args {
        let Ok(n) = arg.parse::<usize>() else {
            eprintln!("not a number of apps: {arg}");
            return ExitCode::from(2);
        };
        if n == 0 {
            eprintln!("a workload needs at least one app");
            return ExitCode::from(2);
        }
        let out = dir.join(n.to_string());
        let written = std::fs::create_dir_all(&out)
            .and_then(|()| std::fs::write(out.join("hecate.hcl"), workload::spec(n)))
            .and_then(|()| std::fs::write(out.join("pillar.sls"), workload::pillar(n)));
        if let Err(e) = written {
            eprintln!("{}: {e}", out.display());
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
