//! `eosc check` of the cybermonkey example, per phase and whole (in
//! memory), in process CPU time (`cpu_time`).

mod cpu_time;

use cpu_time::ProcessCpuTime;
use criterion::{criterion_group, criterion_main, Criterion};

fn load() -> eosc::MemLoader {
    let text = std::fs::read_to_string("examples/cybermonkey/hecate.hcl").expect("example");
    eosc::MemLoader::new([("hecate.hcl".to_string(), text)])
}

fn bench(c: &mut Criterion<ProcessCpuTime>) {
    let loader = load();
    let text = loader.files["hecate.hcl"].clone();
    c.bench_function("parse cybermonkey", |b| {
        b.iter(|| eosc::syntax::parse(eosc::source::FileId(0), &text).map(|m| m.blocks.len()))
    });
    c.bench_function("check cybermonkey", |b| {
        b.iter(|| eosc::check("hecate.hcl", &loader).map(|c| c.models.len()))
    });
    let checked = eosc::check("hecate.hcl", &loader).expect("example checks");
    c.bench_function("emit cybermonkey", |b| {
        b.iter(|| eosc::compile(&checked.models).len())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(ProcessCpuTime::new());
    targets = bench
}
criterion_main!(benches);
