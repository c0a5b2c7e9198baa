"""The loop of scripts/bench-memory64: runs every (kernel, build, engine) once per repetition in a
seeded shuffled order, checks that the checksums agree, and prints the table."""
import argparse
import os
import random
import statistics
import subprocess
import sys
import time

KERNELS = {"sieve": 40, "matmul": 1200}  # the suite's default scales
BUILDS = ["wasm32", "wasm64"]
ENGINES = ["kiln", "wasmtime"]


def run(engine, kernel, build, scale, out):
    module = os.path.join(out, f"kernels-{build}")
    if engine == "kiln":
        start = time.perf_counter()
        result = subprocess.run([os.environ["KILN_BIN"], "run", "--invoke", kernel, module + ".so", str(scale)],
                                check=True, capture_output=True, text=True).stdout.split()[0]
        return int(result) & 0xFFFFFFFFFFFFFFFF, time.perf_counter() - start
    runner = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "runner")
    line = subprocess.run([sys.executable, os.path.join(runner, "wasmtime_invoke.py"), module + ".wasm", kernel, str(scale)],
                          check=True, capture_output=True, text=True).stdout.split()
    return int(line[0]), float(line[1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--scale-div", type=int, default=1)
    args = parser.parse_args()
    out = os.environ["OUT"]
    times, results = {}, {}
    cells = [(e, k, b) for k in KERNELS for b in BUILDS for e in ENGINES]
    for rep in range(args.reps):
        order = list(cells)
        random.Random(rep).shuffle(order)
        for engine, kernel, build in order:
            result, seconds = run(engine, kernel, build, max(1, KERNELS[kernel] // args.scale_div), out)
            results.setdefault(kernel, set()).add(result)
            times.setdefault((engine, kernel, build), []).append(seconds)
    for kernel, seen in results.items():
        if len(seen) != 1:
            sys.exit(f"{kernel}: the builds and engines disagree: {sorted(seen)}")
    print(f"{args.reps} interleaved repetitions, medians (spread: min-max)\n")
    print("| kernel | engine | wasm32 | wasm64 | wasm64 / wasm32 |")
    print("|---|---|---:|---:|---:|")
    for kernel in KERNELS:
        for engine in ENGINES:
            medians = [statistics.median(times[(engine, kernel, b)]) for b in BUILDS]
            spreads = [f"{min(times[(engine, kernel, b)]):.3f}-{max(times[(engine, kernel, b)]):.3f}" for b in BUILDS]
            print(f"| {kernel} | {engine} | {medians[0]:.3f} s ({spreads[0]}) | {medians[1]:.3f} s ({spreads[1]}) "
                  f"| {medians[1] / medians[0]:.2f}x |")


if __name__ == "__main__":
    main()
