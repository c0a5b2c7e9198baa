#!/usr/bin/env python3
"""Native cpp_shapes_vm with virtual calls made the way they are in Wasm, to measure that alone.

C++ compiled to wasm32 keeps a table index in each vtable slot, and a virtual call loads the
object's vtable, the slot's index, then the code address from the function table: one dependent
load more than native code's vtable call. This writes a copy of bench/programs/cpp_shapes_vm.cpp
in which every `x->eval(env)` goes through `EVAL(x, env)`: an ordinary virtual call, or, built
with -DINDEXED, a load of the object's per-class index pointer, the index, and the function from
a table of thunks. Both builds print the same checksum; their times differ only by that load.

    bench/experiments/indexed_virtual_calls.py /tmp/vx        # writes /tmp/vx/vx.cpp, builds direct and indexed
    for i in 1 2 3 4 5 6 7; do /tmp/vx/direct; /tmp/vx/indexed; done   # kernel-seconds on stderr
"""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CLASSES = ["Const", "Var", "Add", "Sub", "Mul", "Mul32", "Div", "Mod32", "Xor", "Shr", "Seq", "IfLess", "Assign"]


def rewrite(source: str) -> str:
    source = source.replace("class Expr {\npublic:\n", "class Expr {\npublic:\n    const uint32_t *vt_ = nullptr;\n", 1)
    source = re.sub(r"(\w+)->eval\(env\)", r"EVAL(\1, env)", source)
    source = source.replace("std::make_unique<", "mk<")
    dispatch = """using ExprPtr = std::unique_ptr<Expr>;
#ifdef INDEXED
typedef uint64_t (*EvalFn)(const Expr *, Env &);
extern EvalFn g_eval[];
#define EVAL(p, env) (g_eval[*(p)->vt_](&*(p), (env)))
#else
#define EVAL(p, env) ((p)->eval(env))
#endif
template <class T> struct Slot { static const uint32_t value; };"""
    source = source.replace("using ExprPtr = std::unique_ptr<Expr>;", dispatch, 1)
    slots = "\n".join(f"template <> const uint32_t Slot<{c}>::value = {i};" for i, c in enumerate(CLASSES))
    helpers = f"""{slots}
template <class T> uint64_t thunk(const Expr *e, Env &env) {{ return static_cast<const T *>(e)->T::eval(env); }}
#ifdef INDEXED
EvalFn g_eval[] = {{{", ".join(f"thunk<{c}>" for c in CLASSES)}}};
#endif
template <class T, class... A> ExprPtr mk(A &&...a)
{{
    auto p = std::make_unique<T>(std::forward<A>(a)...);
    p->vt_ = &Slot<T>::value;
    return p;
}}

class Generator {{"""
    return source.replace("class Generator {", helpers, 1)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/vx")
    out.mkdir(parents=True, exist_ok=True)
    (out / "vx.cpp").write_text(rewrite((ROOT / "bench/programs/cpp_shapes_vm.cpp").read_text()))
    flags = ["-O2", "-march=native", "-ffp-contract=off", f"-I{ROOT / 'bench/programs'}"]
    for name, extra in (("direct", []), ("indexed", ["-DINDEXED"])):
        subprocess.run(["clang++-19", *flags, *extra, str(out / "vx.cpp"), "-o", str(out / name)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
