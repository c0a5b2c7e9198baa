"""The loop of scripts/bench-threads: runs every (engine, thread count) once per repetition in a
seeded shuffled order and prints a table of medians with each engine's speed-up over its own
single thread."""
import argparse
import os
import random
import statistics
import subprocess
import sys

ENGINES = ["kiln", "wasmtime"]


def run(engine, threads, passes, out):
    here = os.path.dirname(os.path.abspath(__file__))
    command = ([os.path.join(out, "parallel_sum"), os.path.join(out, "shared.so")] if engine == "kiln"
               else [sys.executable, os.path.join(here, "wasmtime_sum.py"), os.path.join(out, "shared.wasm")])
    return float(subprocess.run(command + [str(threads), str(passes)], check=True, capture_output=True, text=True).stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--passes", type=int, default=200)
    parser.add_argument("--threads", default=f"1,{os.cpu_count()}")
    args = parser.parse_args()
    counts = [int(t) for t in args.threads.split(",")]
    out = os.environ["OUT"]
    times = {}
    cells = [(engine, threads) for engine in ENGINES for threads in counts]
    for rep in range(args.reps):
        order = list(cells)
        random.Random(rep).shuffle(order)
        for engine, threads in order:
            times.setdefault((engine, threads), []).append(run(engine, threads, args.passes, out))
    print(f"Sum of 4 Mi words x {args.passes} passes split over the threads, one instance per thread on one shared "
          f"memory; {args.reps} interleaved repetitions, medians (spread: min-max), {os.cpu_count()} cores\n")
    print("| engine | threads | time | speed-up over 1 thread | Kiln / Wasmtime |")
    print("|---|---:|---:|---:|---:|")
    for engine in ENGINES:
        for threads in counts:
            ms = times[(engine, threads)]
            single = statistics.median(times[(engine, counts[0])])
            ratio = statistics.median(ms) / statistics.median(times[("wasmtime", threads)])
            print(f"| {engine} | {threads} | {statistics.median(ms):.1f} ms ({min(ms):.1f}-{max(ms):.1f}) "
                  f"| {single / statistics.median(ms):.2f}x | {ratio:.2f}x |")


if __name__ == "__main__":
    main()
