//! `eosc fmt` of the cybermonkey example (in memory): the formatter parses
//! first (for diagnostics), so compare with `parse cybermonkey` in check.rs.
use criterion::{criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let text = std::fs::read_to_string("examples/cybermonkey/hecate.hcl").expect("example");
    c.bench_function("fmt cybermonkey", |b| {
        b.iter(|| eosc::syntax::format_source(eosc::source::FileId(0), &text).map(|s| s.len()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
