"""The loop of scripts/bench-relaxed: runs every (kernel, engine) once per repetition in a seeded
shuffled order and prints a table of medians, with each kernel's checksum per engine (relaxed
instructions may give different results on different engines and modes, so they are shown, not
compared)."""
import argparse
import os
import random
import statistics
import subprocess
import sys
import time

KERNELS = ["madd", "swizzle", "dot", "select_min"]
ENGINES = ["kiln (host)", "kiln (deterministic)", "wasmtime"]
SO = {"kiln (host)": "kernels-host.so", "kiln (deterministic)": "kernels-deterministic.so"}


def kiln_run(engine, kernel, iterations, out):
    start = time.perf_counter()
    result = subprocess.run([os.environ["KILN_BIN"], "run", "--invoke", kernel, os.path.join(out, SO[engine]),
                             str(iterations)], check=True, capture_output=True, text=True).stdout.split()[0]
    return int(result), time.perf_counter() - start


def run(engine, kernel, iterations, out):
    """The checksum and the seconds the call took. For Kiln, the time of a one-iteration run (starting
    `kiln run`, loading the module) is taken off, so that both engines' times are the call's."""
    if engine in SO:
        checksum, seconds = kiln_run(engine, kernel, iterations, out)
        return checksum, seconds - kiln_run(engine, kernel, 1, out)[1]
    runner = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "runner")
    line = subprocess.run([sys.executable, os.path.join(runner, "wasmtime_invoke.py"), os.path.join(out, "kernels.wasm"),
                           kernel, str(iterations)], check=True, capture_output=True, text=True).stdout.split()
    return int(line[0]) & 0xFFFFFFFF, float(line[1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=200_000_000)
    args = parser.parse_args()
    out = os.environ["OUT"]
    times, checksums = {}, {}
    cells = [(engine, kernel) for kernel in KERNELS for engine in ENGINES]
    for rep in range(args.reps):
        order = list(cells)
        random.Random(rep).shuffle(order)
        for engine, kernel in order:
            checksum, seconds = run(engine, kernel, args.iterations, out)
            checksums[(engine, kernel)] = checksum & 0xFFFFFFFF
            times.setdefault((engine, kernel), []).append(seconds)
    print(f"{args.iterations:,} iterations of four chains per kernel; {args.reps} interleaved repetitions, "
          "medians (spread: min-max) of the call alone\n")
    print("| kernel | " + " | ".join(ENGINES) + " | host / deterministic | host / Wasmtime |")
    print("|---|" + "---:|" * (len(ENGINES) + 2))
    for kernel in KERNELS:
        medians = {engine: statistics.median(times[(engine, kernel)]) for engine in ENGINES}
        cells = [f"{medians[e]:.3f} s ({min(times[(e, kernel)]):.3f}-{max(times[(e, kernel)]):.3f}) "
                 f"[{checksums[(e, kernel)]:#x}]" for e in ENGINES]
        print(f"| {kernel} | " + " | ".join(cells) + f" | {medians['kiln (host)'] / medians['kiln (deterministic)']:.2f}x "
              f"| {medians['kiln (host)'] / medians['wasmtime']:.2f}x |")


if __name__ == "__main__":
    main()
