//! The `eosc` binary: the command line (`cli`), the only code that touches
//! the filesystem. The library (`eosc::…`) is pure and knows no command line.

mod cli;

/// A compile allocates and frees hundreds of thousands of small blocks
/// (AST nodes, model strings, every emitter's text); with glibc's malloc
/// that was a fifth of all CPU time at 10,000 apps, and its fast-bin
/// consolidation had to be turned off by hand. mimalloc's per-thread free
/// lists cost less per block (docs/performance.md, session 7).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
