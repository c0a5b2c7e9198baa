#!/usr/bin/env python3
"""Differential fuzzing of Kiln against Wasmtime.

  fuzz_diff.py --kiln KILN --host HOST [--kiln-flags=--interruptible] campaign --count N --seed S [--opt 0,1,2,3] [--shrink]
                 [--unbounded-loops | --loop-kernels]
  fuzz_diff.py --kiln KILN --host HOST replay FILE_OR_DIR... [--opt 0,1,2,3]
  fuzz_diff.py --kiln KILN --host HOST differs FILE --opt L     (exit 0 iff FILE still differs)

A campaign generates N modules with `wasm-tools smith` (seed S gives the same modules on every
machine), runs each in Wasmtime and, at each optimisation level, in Kiln (`kiln compile`, then
kiln_fuzz_host.c calls every export), and compares what they observe: each call's results bit
for bit (quiet NaNs as one class), trap or not and which trap, every exported global and the
SHA-256 of every exported memory afterwards. A mismatch is written to regressions/ after
`wasm-tools shrink` has reduced it (with `differs` as its predicate); `replay` runs those files
the same way, which is how they stay regression tests. Exit status 1 when anything differs.
"""
import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import loop_kernels  # noqa: E402
import module_exports  # noqa: E402
import wasmtime_side  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REGRESSIONS = os.path.join(HERE, "regressions")

# What Kiln implements: WebAssembly 2.0 (SIMD, bulk memory, reference types, multi-value,
# sign extension, saturating conversions), no imports, plus from 3.0 tail calls, exception
# handling (tags, throw, throw_ref, try_table, exnref), extended constants, and up to three
# memories, 32- or 64-bit, with 64-bit tables (multi-memory, memory64), shared or not, with
# atomic instructions (threads: wasm-smith generates no memory.atomic.wait, which could block
# both engines forever; one thread runs each module). An exception that no
# handler catches ends the call as its own outcome, "exception", compared like a trap (by class:
# Wasmtime's error names neither the tag nor the values). Everything is exported so that
# memories and globals can be compared; wasm-smith's fuel makes every module terminate (a module
# out of fuel traps "unreachable" at the same point in both engines). That fuel also gives every
# loop a way out, which hides what Kiln does with loops that have none (a lost trap there spun
# for ever until Kiln 0.5.18), so `campaign --unbounded-loops` leaves it out: Wasmtime then runs
# each module on fuel of its own (wasmtime_side.CALL_FUEL), and a module that exhausts it may
# never stop, so it is left out of the comparison and counted. NaN results are canonicalised by
# the module itself: Wasm lets an arithmetic NaN have any payload, which `reinterpret` or a store
# would otherwise show as a difference that is not one. Relaxed SIMD stays off: Wasmtime picks
# the host CPU's result among those the spec allows, Kiln always the same one, so the two may
# differ without either being wrong.
SMITH_FUEL = ["--ensure-termination", "--fuel", "300"]
SMITH_FLAGS = [
    "--canonicalize-nans", "true",
    "--export-everything", "true", "--max-imports", "0", "--allow-start-export", "false",
    "--max-memories", "3", "--max-memory32-bytes", "1048576", "--max-memory64-bytes", "1048576",
    "--memory-max-size-required", "true",
    "--max-tables", "2", "--max-table-elements", "1000", "--table-max-size-required", "true",
    "--max-funcs", "20", "--max-instructions", "400",
    "--threads-enabled", "true", "--exceptions-enabled", "true", "--tail-call-enabled", "true",
    "--memory64-enabled", "true", "--gc-enabled", "false", "--relaxed-simd-enabled", "false",
    "--wide-arithmetic-enabled", "false", "--extended-const-enabled", "true",
    "--custom-page-sizes-enabled", "false", "--shared-everything-threads-enabled", "false",
    "--custom-descriptors-enabled", "false", "--compact-imports-enabled", "false",
]


class Engines:
    def __init__(self, kiln, host, wasm_tools, kiln_flags=()):
        self.kiln, self.host, self.wasm_tools = kiln, host, wasm_tools
        self.left_out = 0  # Modules Wasmtime did not finish on its fuel.
        # Extra `kiln compile` options (`--interruptible`, say): code compiled with them must
        # observe exactly what code compiled without them does.
        self.kiln_flags = list(kiln_flags)

    def kiln_observe(self, wasm_path, level, scratch):
        """Kiln's observation lines, memories replaced by digests like Wasmtime's."""
        so = os.path.join(scratch, "m%d.so" % level)
        compiled = subprocess.run([self.kiln, "compile", wasm_path, "-o", so, "-O%d" % level] + self.kiln_flags,
                                  capture_output=True, text=True)
        if compiled.returncode != 0:
            return ["compile: error " + (compiled.stderr.strip().splitlines() or ["?"])[-1]], {}
        prefix = os.path.join(scratch, "mem")
        with open(wasm_path, "rb") as f:
            names = "".join(name.encode("utf-8").hex() + "\n"
                            for name, _, _ in module_exports.exports(f.read()))
        try:
            run = subprocess.run([self.host, so, prefix], input=names, capture_output=True, text=True,
                                 timeout=60)
        except subprocess.TimeoutExpired:
            # A lost trap can leave a loop spinning (an endless loop whose loads were deleted).
            return ["host: still running after 60 s"], {}
        if run.returncode != 0:
            return ["host: exit %d %s" % (run.returncode, run.stderr.strip()[-200:])], {}
        lines, digests = [], {}
        for line in run.stdout.splitlines():
            lines.append(line)
            if line.startswith("memory "):
                index = int(line.split()[1].rstrip(":"))
                with open("%s.%d" % (prefix, index), "rb") as dump:
                    digests[index] = hashlib.sha256(dump.read()).hexdigest()
        return lines, digests

    def compare(self, path, levels):
        """None when Kiln agrees with Wasmtime at every level, else a description of the first
        difference. `path` is a .wasm or .wat file."""
        with tempfile.TemporaryDirectory(prefix="kiln-fuzz-") as scratch:
            wasm_path = path
            if path.endswith(".wat"):
                wasm_path = os.path.join(scratch, "module.wasm")
                subprocess.run([self.wasm_tools, "parse", path, "-o", wasm_path], check=True)
            with open(wasm_path, "rb") as f:
                wasm = f.read()
            expected_digests = {}
            try:
                expected = wasmtime_side.observe(wasm, expected_digests)
            except wasmtime_side.OutOfFuel:
                self.left_out += 1
                return None
            except Exception:  # Wasmtime rejects it (a shrink step made it invalid): no test
                return None
            for level in levels:
                actual, digests = self.kiln_observe(wasm_path, level, scratch)
                comparable = comparable_lines(expected, actual)
                difference = first_difference(expected[:comparable], actual[:comparable])
                if difference is None and comparable == len(expected) and digests != expected_digests:
                    difference = "memory contents differ"
                if difference is not None:
                    return "-O%d: %s" % (level, difference)
        return None


# Wasmtime reports an out-of-range call_indirect index as a table access out of bounds; the spec
# (and Kiln) call it "undefined element". It says "null reference" for every null dereference,
# Kiln "null exception reference" for throw_ref's. Each pair is compared as one.
SAME_TRAPS = {"trap undefined element": "trap out of bounds table access",
              "trap null exception reference": "trap null reference"}


def as_wasmtime_reports(line):
    for kiln_words, wasmtime_words in SAME_TRAPS.items():
        line = line.replace(kiln_words, wasmtime_words)
    return line


STACK_EXHAUSTED = ": trap call stack exhausted"


def comparable_lines(expected, actual):
    """How many observation lines say what the spec fixes. How deep calls go before the stack is
    exhausted is the engine's own limit, and for Kiln even varies from run to run with where the
    process's stack starts; so from the first call that exhausts it in either engine on, neither
    that call's outcome nor anything it or later calls changed (globals, memory, results that
    read them) can be compared (seed 2302007873: a recursion that adds to a global on each
    level)."""
    for index in range(min(len(expected), len(actual))):
        if expected[index].endswith(STACK_EXHAUSTED) or actual[index].endswith(STACK_EXHAUSTED):
            return index
    return max(len(expected), len(actual))


def first_difference(expected, actual):
    for index in range(max(len(expected), len(actual))):
        want = expected[index] if index < len(expected) else "(nothing)"
        got = as_wasmtime_reports(actual[index]) if index < len(actual) else "(nothing)"
        if want != got:
            return "wasmtime `%s`, kiln `%s`" % (want, got)
    return None


def generate(engines, seed, path, unbounded_loops=False):
    """Module number `seed`: wasm-smith over 8 KiB of bytes from a PRNG seeded with it."""
    data = random.Random(seed).randbytes(8192)
    flags = SMITH_FLAGS if unbounded_loops else SMITH_FUEL + SMITH_FLAGS
    made = subprocess.run([engines.wasm_tools, "smith", *flags, "-o", path],
                          input=data, capture_output=True)
    return made.returncode == 0


def generate_kernel(seed, path):
    """Module number `seed` of loop_kernels.py: one memory loop and calls of it from the edges."""
    with open(path, "w") as f:
        f.write(loop_kernels.kernel_module(seed))


def shrink(engines, wasm_path, level, out_path):
    """Minimises a mismatching module with `wasm-tools shrink`; falls back to the original."""
    predicate = os.path.join(os.path.dirname(out_path), "predicate.sh")
    with open(predicate, "w") as script:
        script.write("#!/bin/sh\nexec %s %s --kiln %s --host %s --wasm-tools %s differs \"$1\" --opt %d\n"
                     % (sys.executable, os.path.abspath(__file__), engines.kiln, engines.host,
                        engines.wasm_tools, level))
    os.chmod(predicate, 0o755)
    shrunk = subprocess.run([engines.wasm_tools, "shrink", predicate, wasm_path, "-o", out_path,
                             "--attempts", "300"], capture_output=True, text=True)
    os.remove(predicate)
    if shrunk.returncode != 0 or not os.path.exists(out_path):
        shutil.copyfile(wasm_path, out_path)


def campaign(engines, args):
    levels = parse_levels(args.opt)
    started, ran, mismatches = time.time(), 0, 0
    os.makedirs(args.regressions, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kiln-fuzz-") as work:
        for number in range(args.count):
            seed = args.seed * 1_000_003 + number
            if args.loop_kernels:
                wasm_path = os.path.join(work, "module.wat")
                generate_kernel(seed, wasm_path)
            else:
                wasm_path = os.path.join(work, "module.wasm")
                if not generate(engines, seed, wasm_path, args.unbounded_loops):
                    continue
            ran += 1
            difference = engines.compare(wasm_path, levels)
            if difference is None:
                continue
            mismatches += 1
            level = int(difference[2])
            name = "%s-%d%s" % ("kernel" if args.loop_kernels else "seed", seed, os.path.splitext(wasm_path)[1])
            out_path = os.path.join(args.regressions, name)
            if args.shrink and not args.loop_kernels:
                shrink(engines, wasm_path, level, out_path)
            else:
                shutil.copyfile(wasm_path, out_path)
            print("mismatch, module %d (seed %d) %s -> %s" % (number, seed, difference, out_path),
                  flush=True)
    left_out = " (%d left out: Wasmtime ran out of fuel)" % engines.left_out if engines.left_out else ""
    print("fuzz: %d modules at -O%s, %d mismatches%s, %.0f s" % (
        ran, ",-O".join(map(str, levels)), mismatches, left_out, time.time() - started))
    return 1 if mismatches else 0


def replay(engines, args):
    levels = parse_levels(args.opt)
    files = []
    for item in args.paths:
        if os.path.isdir(item):
            files += sorted(os.path.join(item, f) for f in os.listdir(item)
                            if f.endswith((".wasm", ".wat")))
        else:
            files.append(item)
    failed = 0
    for path in files:
        difference = engines.compare(path, levels)
        if difference is not None:
            failed += 1
            print("regression %s: %s" % (path, difference))
    print("fuzz regressions: %d passed, %d failed" % (len(files) - failed, failed))
    return 1 if failed else 0


def differs(engines, args):
    return 0 if engines.compare(args.path, [args.opt]) is not None else 1


def parse_levels(text):
    return [int(level) for level in str(text).split(",")]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kiln", required=True)
    parser.add_argument("--host", required=True)
    parser.add_argument("--wasm-tools", default=shutil.which("wasm-tools") or "wasm-tools")
    parser.add_argument("--kiln-flags", default="", help="more `kiln compile` options, e.g. --interruptible")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("campaign")
    run.add_argument("--count", type=int, default=100)
    run.add_argument("--seed", type=int, default=1)
    run.add_argument("--opt", default="0,1,2,3")
    run.add_argument("--shrink", action="store_true")
    run.add_argument("--unbounded-loops", action="store_true",
                     help="modules without wasm-smith's fuel: loops run as written")
    run.add_argument("--loop-kernels", action="store_true",
                     help="memory loops of clang's shapes (loop_kernels.py) instead of wasm-smith's modules")
    run.add_argument("--regressions", default=REGRESSIONS)
    again = commands.add_parser("replay")
    again.add_argument("paths", nargs="+")
    again.add_argument("--opt", default="0,1,2,3")
    check = commands.add_parser("differs")
    check.add_argument("path")
    check.add_argument("--opt", type=int, required=True)
    args = parser.parse_args()
    for tool in (args.kiln, args.host):
        if not os.access(tool, os.X_OK):
            parser.error("%s is not an executable" % tool)
    engines = Engines(os.path.abspath(args.kiln), os.path.abspath(args.host), args.wasm_tools, args.kiln_flags.split())
    return {"campaign": campaign, "replay": replay, "differs": differs}[args.command](engines, args)


if __name__ == "__main__":
    sys.exit(main())
