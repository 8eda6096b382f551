//! Each phase of `eosc compile`, in memory, on the generated workloads
//! (benches/workload) of N = 100 and 1,000 apps: parse, the whole check,
//! the dependency graph alone, each emitter, the manifest, and the whole
//! compile. `cargo bench --bench phases`; figures in docs/performance.md.
//! Measured in process CPU time (`cpu_time`), not wall time.

mod cpu_time;
#[allow(dead_code)] // the pillar is for the comparison script
mod workload;

use cpu_time::ProcessCpuTime;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use eosc::sema::model::{Kind, Model};
use eosc::source::{FileId, SourceMap};
use indexmap::IndexMap;
use std::time::Duration;

const SIZES: [usize; 2] = [100, 1000];

struct Workload {
    n: usize,
    text: String,
    loader: eosc::MemLoader,
    models: Vec<Model>,
}

fn workloads() -> Vec<Workload> {
    SIZES
        .iter()
        .map(|&n| {
            let text = workload::spec(n);
            let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), text.clone())]);
            let checked = eosc::check("hecate.hcl", &loader).expect("in memory");
            assert!(checked.diagnostics.is_empty(), "the workload checks clean");
            Workload {
                n,
                text,
                loader,
                models: checked.models,
            }
        })
        .collect()
}

fn front_end(c: &mut Criterion<ProcessCpuTime>, ws: &[Workload]) {
    let mut g = c.benchmark_group("front end");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    for w in ws {
        g.bench_with_input(BenchmarkId::new("parse", w.n), w, |b, w| {
            b.iter(|| eosc::syntax::parse(FileId(0), &w.text).map(|m| m.blocks.len()))
        });
        g.bench_with_input(BenchmarkId::new("check", w.n), w, |b, w| {
            b.iter(|| eosc::check("hecate.hcl", &w.loader).map(|c| c.models.len()))
        });
        g.bench_with_input(BenchmarkId::new("graph", w.n), w, graph);
    }
    g.finish();
}

/// `sema::graph::build` alone, on the entities of the checked model and
/// the route blocks of the parsed spec (what the checker hands it).
fn graph(b: &mut criterion::Bencher<'_, ProcessCpuTime>, w: &Workload) {
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();
    let modules = eosc::sema::resolve::load_all("hecate.hcl", &w.loader, &mut sources, &mut diags)
        .expect("in memory");
    let syms = eosc::sema::resolve::symbols(&modules, &eosc::emit::project_trees(), &mut diags);
    let m = &w.models[0];
    let route_blocks: Vec<_> = syms.of("route").map(|(_, b)| *b).collect();
    let routes: Vec<_> = m.routes.iter().cloned().zip(route_blocks).collect();
    let mut uses: IndexMap<String, Vec<String>> = IndexMap::new();
    for (from, to) in &m.graph.edges {
        if from.kind == Kind::Middleware && to.kind == Kind::Middleware {
            uses.entry(from.name.clone())
                .or_default()
                .push(to.name.clone());
        }
    }
    for name in m.middlewares.keys() {
        uses.entry(name.clone()).or_default();
    }
    b.iter(|| {
        let mut cx = eosc::sema::eval::Cx::new(&syms, &m.env.name);
        let g = eosc::sema::graph::build(
            &mut cx,
            &m.apps,
            &m.servers,
            &uses,
            &m.auths,
            &routes,
            &m.zones,
            &m.secrets,
            &m.rollouts,
            &m.pipelines,
        );
        assert!(cx.diags.is_empty());
        g.edges.len()
    });
}

fn emitters(c: &mut Criterion<ProcessCpuTime>, ws: &[Workload]) {
    use eosc::emit::{caddy, dns, jenkins, nomad, salt, terraform};
    let mut g = c.benchmark_group("emit");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    for w in ws {
        let m = &w.models[0];
        g.bench_with_input(BenchmarkId::new("nomad", w.n), m, |b, m| {
            b.iter(|| nomad::emit(m).len())
        });
        g.bench_with_input(BenchmarkId::new("terraform", w.n), m, |b, m| {
            b.iter(|| terraform::emit(m).len())
        });
        g.bench_with_input(BenchmarkId::new("caddy", w.n), m, |b, m| {
            b.iter(|| caddy::emit(m).contents.len())
        });
        g.bench_with_input(BenchmarkId::new("dns", w.n), m, |b, m| {
            b.iter(|| dns::emit(m).len())
        });
        g.bench_with_input(BenchmarkId::new("salt", w.n), m, |b, m| {
            b.iter(|| salt::emit_but_files(m, &eosc::plan::plan(m)).len())
        });
        g.bench_with_input(BenchmarkId::new("plan", w.n), m, |b, m| {
            b.iter(|| eosc::plan::plan(m).deploy.steps.len())
        });
        g.bench_with_input(BenchmarkId::new("jenkins", w.n), &w.models, |b, ms| {
            b.iter(|| jenkins::emit_project(ms).len())
        });
        let arts = eosc::emit::emit_all(m);
        g.bench_with_input(BenchmarkId::new("manifest", w.n), m, |b, m| {
            b.iter(|| eosc::output_tree::manifest(m, &arts).contents.len())
        });
        g.bench_with_input(
            BenchmarkId::new("compile (all)", w.n),
            &w.models,
            |b, ms| b.iter(|| eosc::compile(ms).len()),
        );
    }
    g.finish();
}

fn bench(c: &mut Criterion<ProcessCpuTime>) {
    let ws = workloads();
    front_end(c, &ws);
    emitters(c, &ws);
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(ProcessCpuTime::new());
    targets = bench
}
criterion_main!(benches);
