# Exceptions raised and caught in Python: builtin and user classes, chaining, finally, context
# managers, generators, ExceptionGroup, RecursionError, and tracebacks formatted in the guest.
import sys
import traceback


class AppError(Exception):
    def __init__(self, code, detail):
        super().__init__(f"{code}: {detail}")
        self.code = code


def parse(value):
    try:
        return int(value)
    except ValueError as e:
        raise AppError(400, f"not a number: {value!r}") from e


results = []
for v in ["12", "x", "7", "", "-3"]:
    try:
        results.append(parse(v))
    except AppError as e:
        results.append(f"error {e.code} caused by {type(e.__cause__).__name__}")
print(results)

log = []
def guarded(n):
    try:
        log.append(f"try {n}")
        if n % 2:
            raise KeyError(n)
        return n * 10
    except KeyError as e:
        log.append(f"caught KeyError {e}")
        return -1
    finally:
        log.append(f"finally {n}")
print([guarded(n) for n in range(4)], log)

for expr in ["1/0", "[][1]", "{}['k']", "undefined_name", "int('z')", "None.attr", "'a' + 1"]:
    try:
        eval(expr)
    except Exception as e:
        print(f"{expr!r:20} -> {type(e).__name__}: {e}")

class Resource:
    def __enter__(self):
        print("enter")
        return self
    def __exit__(self, kind, value, tb):
        print("exit with", kind.__name__ if kind else None)
        return kind is ZeroDivisionError
with Resource():
    1 / 0
print("suppressed by __exit__")

def gen():
    try:
        yield 1
        yield 2
    finally:
        print("generator closed")
g = gen()
print(next(g))
g.close()

try:
    raise ExceptionGroup("many", [ValueError("v"), TypeError("t"), ValueError("w")])
except* ValueError as eg:
    print("except* ValueError:", [str(e) for e in eg.exceptions])
except* TypeError as eg:
    print("except* TypeError:", [str(e) for e in eg.exceptions])

sys.setrecursionlimit(300)
def down(n):
    return down(n + 1)
try:
    down(0)
except RecursionError as e:
    print("RecursionError:", e)

try:
    try:
        raise RuntimeError("inner")
    except RuntimeError:
        raise LookupError("outer")
except LookupError:
    lines = traceback.format_exc().splitlines()
    print("\n".join(line for line in lines if not line.strip().startswith("~") and "^" not in line))

def deep(n):
    if n == 0:
        raise OverflowError("bottom")
    try:
        return deep(n - 1)
    except OverflowError:
        if n % 50:
            raise
        return n
print("caught after unwinding:", deep(120))
