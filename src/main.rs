//! The `eosc` binary: the command line (`cli`), the only code that touches
//! the filesystem. The library (`eosc::…`) is pure and knows no command line.

mod cli;

fn main() -> std::process::ExitCode {
    tune_malloc();
    cli::main()
}

/// glibc consolidates its fast bins whenever a large block is requested;
/// with the hundreds of thousands of small allocations of a large spec,
/// that took about a third of a compile's CPU time at 10,000 apps
/// (docs/performance.md). Without fast bins, small blocks still go through
/// the per-thread cache.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    const M_MXFAST: i32 = 1;
    // SAFETY: glibc's mallopt, called before any other thread exists, with
    // a value it documents (0 disables fast bins).
    unsafe {
        mallopt(M_MXFAST, 0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}
