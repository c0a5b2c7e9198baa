#!/usr/bin/env python3
"""The benchmark matrix of scripts/bench-suite: runs every program on every engine, interleaved,
checks the checksums against the native build, and writes the table, raw data and the chart.

    suite.py OUT_DIR RESULTS_DIR [--reps N] [--wasmkit-reps N] [--scale-div K] [--only a,b] [--musl]

OUT_DIR holds what scripts/bench-suite built: native/PROG, native-march/PROG, wasm/PROG.wasm,
kiln/PROG.so, wasmtime/PROG.cwasm, bin/kiln_run, bin/wasmkit-cli, and with --musl
native-musl/PROG for the C programs.

Method: every program measures its own workload with clock_gettime(CLOCK_MONOTONIC) (WASI
clock_time_get under the Wasm engines) and prints "kernel-seconds: S" on stderr; that number is
what is compared, for every engine alike. It excludes process start, compilation (all Wasm engines
run precompiled code, except the WasmKit interpreter which only parses), instantiation and libc
start-up. Each repetition runs every program on every engine in turn; the table shows medians.
"""
import argparse
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

def read_programs(directory):
    """The suite in DIRECTORY: its programs.tsv gives, per line, a program's name, its scale for the
    compiled engines, its scale for the WasmKit interpreter and its family (the file's comments
    say what each means)."""
    programs = {}
    with open(os.path.join(directory, "programs.tsv")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                name, scale, wasmkit_scale, family = line.split()
                programs[name] = (int(scale), int(wasmkit_scale), family)
    return programs


# The main suite; scripts/bench-suite runs another directory's with --programs.
PROGRAMS_DIR = os.path.join(HERE, "..", "programs")
PROGRAMS = read_programs(PROGRAMS_DIR)

# The main reference is native code for the instruction set Kiln and Wasmtime generate code for
# (clang -O2 -march=native); the SSE2 baseline build (plain -O2) stays beside it.
REFERENCE = "native-march"
FAST_ENGINES = ["native", "native-march", "kiln", "wasmtime"]
# Native code for the same instruction set against musl, the C library WASI's libc is made from
# (C programs only, scripts/bench-suite --musl): Kiln's time over it leaves out what glibc's
# routines do faster than musl's, which a Wasm program cannot have.
MUSL = "native-musl"
# Code from another kiln binary (scripts/bench-suite with KILN_BASELINE=path), run in the same
# interleaved repetitions, for before/after comparisons of a compiler change.
BASELINE = "kiln-baseline"


def command(engine, out, prog, scale):
    s = str(scale)
    if engine in ("native", "native@wasmkit-scale"):
        return [os.path.join(out, "native", prog), s]
    if engine in ("native-march", MUSL):
        return [os.path.join(out, engine, prog), s]
    if engine in ("kiln", BASELINE):
        runner = os.path.join(out, "bin", "kiln_run")
        # A baseline of another ABI version brings its own runtime (KILN_BASELINE_RUNTIME).
        if engine == BASELINE and os.path.exists(runner + "_baseline"):
            runner += "_baseline"
        return [runner, os.path.join(out, engine, prog + ".so"), s]
    if engine == "wasmtime":
        return [sys.executable, os.path.join(HERE, "wasmtime_run.py"), "run",
                os.path.join(out, "wasmtime", prog + ".cwasm"), s]
    if engine == "wasmkit":
        return [os.path.join(out, "bin", "wasmkit-cli"), "run", os.path.join(out, "wasm", prog + ".wasm"), s]
    raise ValueError(engine)


def run_once(engine, out, prog, scale, workdir):
    cmd = command(engine, out, prog, scale)
    start = time.perf_counter()
    p = subprocess.run(cmd, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    kernel = None
    for line in p.stderr.splitlines():
        if line.startswith("kernel-seconds:"):
            kernel = float(line.split(":", 1)[1])
    if p.returncode != 0 or kernel is None:
        sys.stderr.write(f"  {engine} {prog} {scale}: exit {p.returncode}\n{p.stderr[-2000:]}\n")
    return {"kernel": kernel, "wall": wall, "stdout": p.stdout, "status": p.returncode}


def geomean(values):
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("results")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--wasmkit-reps", type=int, default=3)
    ap.add_argument("--scale-div", type=int, default=1, help="divide every scale by K (quick runs)")
    ap.add_argument("--only", default="", help="comma-separated program names")
    ap.add_argument("--no-wasmkit", action="store_true")
    ap.add_argument("--baseline", action="store_true", help=f"also run OUT_DIR/{BASELINE}/PROG.so")
    ap.add_argument("--musl", action="store_true", help=f"also run OUT_DIR/{MUSL}/PROG where it was built (C programs)")
    ap.add_argument("--programs", default=PROGRAMS_DIR, help="the suite's directory (with its programs.tsv)")
    args = ap.parse_args()

    programs = read_programs(args.programs)
    progs = [p for p in programs if not args.only or p in args.only.split(",")]
    scales = {p: max(1, programs[p][0] // args.scale_div) for p in progs}
    wk_scales = {p: max(1, programs[p][1] // args.scale_div) for p in progs}
    families = {p: programs[p][2] for p in progs}
    use_wasmkit = not args.no_wasmkit and os.path.exists(os.path.join(args.out, "bin", "wasmkit-cli"))
    fast_engines = FAST_ENGINES + ([BASELINE] if args.baseline else [])
    with_musl = {p for p in progs if args.musl and os.path.exists(os.path.join(args.out, MUSL, p))}
    workdir = os.path.join(args.out, "run")
    os.makedirs(workdir, exist_ok=True)
    os.makedirs(args.results, exist_ok=True)

    samples = {}   # (engine, prog) -> list of kernel seconds
    outputs = {}   # (engine, prog) -> set of stdouts
    walls = {}     # (engine, prog) -> list of whole-process seconds (for reference only)
    load_before = os.getloadavg()
    t0 = time.time()
    for rep in range(args.reps):
        print(f"repetition {rep + 1}/{args.reps} (load {os.getloadavg()[0]:.2f})", flush=True)
        for prog in progs:
            # The engines in another order each repetition (fixed by the seed, so runs repeat):
            # whatever runs right after another engine (a cold cache, a clock still ramping after
            # Wasmtime's Python start-up) must not always fall on the same one.
            plan = [(e, scales[prog]) for e in fast_engines + ([MUSL] if prog in with_musl else [])]
            random.Random(f"{rep}/{prog}").shuffle(plan)
            if use_wasmkit and rep < args.wasmkit_reps:
                plan += [("native@wasmkit-scale", wk_scales[prog]), ("wasmkit", wk_scales[prog])]
            for engine, scale in plan:
                r = run_once(engine, args.out, prog, scale, workdir)
                samples.setdefault((engine, prog), []).append(r["kernel"])
                walls.setdefault((engine, prog), []).append(r["wall"])
                outputs.setdefault((engine, prog), set()).add(r["stdout"] if r["status"] == 0 else f"<exit {r['status']}>")
            line = "  ".join(f"{e}={samples[(e, prog)][-1] or float('nan'):.3f}"
                             for e, _ in plan if (e, prog) in samples)
            print(f"  {prog:12s} {line}", flush=True)
    elapsed = time.time() - t0
    load_after = os.getloadavg()

    def median(engine, prog):
        vals = [v for v in samples.get((engine, prog), []) if v is not None]
        return statistics.median(vals) if vals else None

    def spread(engine, prog):
        """Half the range of the repetitions, relative to their median."""
        vals = [v for v in samples.get((engine, prog), []) if v is not None]
        return (max(vals) - min(vals)) / 2 / statistics.median(vals) if len(vals) > 1 else None

    def checksum_ok(engine, prog):
        ref = "native@wasmkit-scale" if engine == "wasmkit" else "native"
        mine, theirs = outputs.get((engine, prog)), outputs.get((ref, prog))
        return mine is not None and theirs is not None and len(mine) == 1 and mine == theirs

    # Every engine's ratio is to the same-ISA native build; WasmKit's to native at its own scale.
    engines = [e for e in fast_engines if e != REFERENCE] + (["wasmkit"] if use_wasmkit else []) \
        + ([MUSL] if with_musl else [])
    rows, ratios, mismatches = [], {e: [] for e in engines}, []
    for prog in progs:
        base = median(REFERENCE, prog)
        row = {"program": prog, "family": families[prog], "scale": scales[prog], REFERENCE: base,
               REFERENCE + "_ok": checksum_ok(REFERENCE, prog)}
        if not row[REFERENCE + "_ok"]:
            mismatches.append(f"{REFERENCE}/{prog}")
        for e in engines:
            if e == MUSL and prog not in with_musl:
                continue
            m = median(e, prog)
            ref = median("native@wasmkit-scale", prog) if e == "wasmkit" else base
            ratio = m / ref if m and ref else None
            row[e] = m
            row[e + "_ratio"] = ratio
            row[e + "_spread"] = spread(e, prog)
            row[e + "_ok"] = e == "native" or checksum_ok(e, prog)
            if not row[e + "_ok"]:
                mismatches.append(f"{e}/{prog}")
            if ratio:
                ratios[e].append(ratio)
        if prog in with_musl and row["kiln"] and row[MUSL]:
            row["kiln_over_musl"] = row["kiln"] / row[MUSL]
        if use_wasmkit:
            row["wasmkit_scale"] = wk_scales[prog]
            row["native_at_wasmkit_scale"] = median("native@wasmkit-scale", prog)
        rows.append(row)
    geo = {e: geomean(ratios[e]) for e in engines}

    def cell(row, e):
        if e == MUSL and row["program"] not in with_musl:
            return "-"
        if row.get(e) is None:
            return "failed"
        flag = "" if row[e + "_ok"] else " **checksum differs**"
        spread = f" ±{row[e + '_spread'] * 100:.0f}%" if row.get(e + "_spread") is not None else ""
        return f"{row[e]:.3f} ({row[e + '_ratio']:.2f}x){spread}{flag}"

    head = ["program", "family", "scale", "native -march=native (s)", "kiln", "wasmtime", "native -O2 (SSE2)"]
    if args.baseline:
        head += ["kiln baseline"]
    if use_wasmkit:
        head += ["WasmKit scale", "native at that scale (s)", "WasmKit"]
    if with_musl:
        head += ["native -march=native, musl", "kiln / native musl"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        ref_cell = f"{row[REFERENCE]:.3f}" if row[REFERENCE] else "failed"
        if row[REFERENCE] and not row[REFERENCE + "_ok"]:
            ref_cell += " **checksum differs**"
        cells = [row["program"], row["family"], str(row["scale"]), ref_cell,
                 cell(row, "kiln"), cell(row, "wasmtime"), cell(row, "native")]
        if args.baseline:
            cells += [cell(row, BASELINE)]
        if use_wasmkit:
            n = row["native_at_wasmkit_scale"]
            cells += [str(row["wasmkit_scale"]), f"{n:.3f}" if n else "failed", cell(row, "wasmkit")]
        if with_musl:
            over = row.get("kiln_over_musl")
            cells += [cell(row, MUSL), f"{over:.2f}x" if over else "-"]
        lines.append("| " + " | ".join(cells) + " |")
    geo_cells = ["**geometric mean of ratios**", "", "", "", f"**{geo['kiln']:.3f}x**", f"**{geo['wasmtime']:.3f}x**",
                 f"{geo['native']:.3f}x"]
    if args.baseline:
        geo_cells += [f"**{geo[BASELINE]:.3f}x**"]
    if use_wasmkit:
        geo_cells += ["", "", f"{geo['wasmkit']:.2f}x"]
    if with_musl:
        geo["kiln_over_musl"] = geomean([r.get("kiln_over_musl") for r in rows])
        geo_cells += [f"{geo[MUSL]:.3f}x", f"**{geo['kiln_over_musl']:.3f}x**"]
    lines.append("| " + " | ".join(geo_cells) + " |")
    table = "\n".join(lines) + "\n\n" + family_table(rows, [e for e in ("kiln", "wasmtime", BASELINE) if e in engines])

    info = (f"{len(progs)} programs, {args.reps} repetitions (WasmKit {args.wasmkit_reps if use_wasmkit else 0}), "
            f"medians of in-program kernel time (± half the range of the repetitions); ratios are to native clang-19 -O2 -march=native "
            f"-ffp-contract=off (the instruction set Kiln and Wasmtime use) at the same scale. "
            + (f"The musl column ({len(with_musl)} C programs) is the same build against musl, statically linked; "
               f"over those programs Kiln is {geomean([r.get('kiln_ratio') for r in rows if r['program'] in with_musl]):.3f}x "
               f"of the glibc build. " if with_musl else "")
            + f"Took {elapsed / 60:.1f} min; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
            f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs.")
    print()
    print(table)
    print()
    print(info)
    with open(os.path.join(args.results, "results.md"), "w") as f:
        f.write(table + "\n\n" + info + "\n")
    with open(os.path.join(args.results, "results.json"), "w") as f:
        json.dump({"reference": REFERENCE, "rows": rows, "geomean": geo, "info": info, "mismatches": mismatches,
                   "samples": {f"{e}/{p}": v for (e, p), v in samples.items()},
                   "process_seconds": {f"{e}/{p}": v for (e, p), v in walls.items()}}, f, indent=1)
    chart(rows, [e for e in engines if e != MUSL], geo, os.path.join(args.results, "ratios"))
    if mismatches:
        print("CHECKSUM MISMATCH: " + ", ".join(mismatches))
        return 1
    print(f"{len(progs)} programs: every engine printed the native build's checksum")
    return 0


def family_table(rows, engines):
    """Per family: the engines' geometric means within it, and over all the other programs, so
    that one can see which kind of program moves the overall figure."""
    head = ["family", "programs"] + [f"{e} in it" for e in engines] + [f"{e} without it" for e in engines]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for fam in sorted({r["family"] for r in rows}):
        inside = [r for r in rows if r["family"] == fam]
        outside = [r for r in rows if r["family"] != fam]
        cells = [fam, ", ".join(r["program"] for r in inside)]
        cells += [f"{geomean([r.get(e + '_ratio') for r in inside]):.3f}x" for e in engines]
        cells += [f"{geomean([r.get(e + '_ratio') for r in outside]):.3f}x" for e in engines]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def chart(rows, engines, geo, stem):
    """ratios.png with matplotlib when it is available, and always ratios.svg (no dependencies)."""
    names = [r["program"] for r in rows] + ["geomean"]
    series = {e: [r.get(e + "_ratio") or 0 for r in rows] + [geo[e]] for e in engines}
    colors = {"kiln": "#d9480f", "wasmtime": "#1c7ed6", "native": "#868e96", "wasmkit": "#37b24d",
              BASELINE: "#f59f00"}
    labels = {"kiln": "Kiln", "wasmtime": "Wasmtime (Cranelift)", "native": "native -O2 (SSE2)",
              "wasmkit": "WasmKit (interpreter, smaller input)", BASELINE: "Kiln baseline"}
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(13, 5.5))
        width = 0.8 / len(engines)
        for k, e in enumerate(engines):
            xs = [i + (k - (len(engines) - 1) / 2) * width for i in range(len(names))]
            ax.bar(xs, series[e], width, label=labels[e], color=colors[e])
        ax.axhline(1.0, color="black", linewidth=0.8)
        ax.set_yscale("log")
        ax.set_xticks(range(len(names)))
        ax.set_xticklabels(names, rotation=30, ha="right")
        ax.set_ylabel("time / native clang -O2 -march=native (log scale, lower is better)")
        ax.set_title("Run time relative to native")
        top = max(max(v for v in s if v) for s in series.values())
        ax.set_ylim(top=top * 4)   # room for the legend above the bars
        ax.legend(loc="upper left", ncol=len(engines), fontsize=9)
        fig.tight_layout()
        fig.savefig(stem + ".png", dpi=110)
        plt.close(fig)
    except ImportError:
        print("matplotlib is not installed: wrote only " + stem + ".svg")
    # A dependency-free SVG with the same data (log scale).
    w, h, left, bottom, top = 1100, 480, 70, 110, 40
    lo, hi = 0.1, max(2.0, max(max(v for v in s if v) for s in series.values()) * 1.3)
    def y(v):
        v = max(lo, v)
        return top + (h - top - bottom) * (1 - (math.log(v) - math.log(lo)) / (math.log(hi) - math.log(lo)))
    group = (w - left - 20) / len(names)
    bw = group * 0.8 / len(engines)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
             f'<rect width="{w}" height="{h}" fill="white"/>',
             f'<text x="{w / 2}" y="22" text-anchor="middle" font-size="15">Run time relative to native clang -O2 -march=native (log scale, lower is better)</text>']
    for tick in [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200]:
        if tick <= hi:
            parts.append(f'<line x1="{left}" x2="{w - 20}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="{"black" if tick == 1 else "#ddd"}"/>')
            parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:g}x</text>')
    for i, name in enumerate(names):
        for k, e in enumerate(engines):
            v = series[e][i]
            if not v:
                continue
            x = left + i * group + group * 0.1 + k * bw
            parts.append(f'<rect x="{x:.1f}" y="{y(v):.1f}" width="{bw:.1f}" height="{y(lo) - y(v):.1f}" fill="{colors[e]}"><title>{e} {name}: {v:.2f}x</title></rect>')
        cx = left + i * group + group / 2
        parts.append(f'<text transform="translate({cx:.1f},{h - bottom + 14}) rotate(35)">{name}</text>')
    for k, e in enumerate(engines):
        parts.append(f'<rect x="{left + 10 + k * 230}" y="{h - 22}" width="12" height="12" fill="{colors[e]}"/>')
        parts.append(f'<text x="{left + 28 + k * 230}" y="{h - 12}">{labels[e]}</text>')
    parts.append("</svg>")
    with open(stem + ".svg", "w") as f:
        f.write("\n".join(parts) + "\n")


if __name__ == "__main__":
    sys.exit(main())
