# CPU-bound pure Python, long enough (about a second) that the interpreter's own speed, not process
# start, decides the run time: bytecode dispatch, attribute access on instances, method calls,
# float and integer arithmetic, closures, list and dict work. Printed results are exact (integers,
# or floats rounded), so every engine must print the same bytes.


class Body:
    __slots__ = ("x", "y", "z", "vx", "vy", "vz", "mass")

    def __init__(self, x, y, z, vx, vy, vz, mass):
        self.x, self.y, self.z, self.vx, self.vy, self.vz, self.mass = x, y, z, vx, vy, vz, mass


def nbody(steps):
    bodies = [Body(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 39.47),
              Body(4.84, -1.16, -0.10, 0.61, 2.81, -0.02, 0.037),
              Body(8.34, 4.12, -0.40, -1.01, 1.82, 0.008, 0.011),
              Body(12.89, -15.11, -0.22, 1.08, 0.87, -0.01, 0.0017),
              Body(15.37, -25.91, 0.17, 0.97, 0.59, -0.03, 0.002)]
    dt = 0.01
    pairs = [(a, b) for i, a in enumerate(bodies) for b in bodies[i + 1:]]
    for _ in range(steps):
        for a, b in pairs:
            dx, dy, dz = a.x - b.x, a.y - b.y, a.z - b.z
            d2 = dx * dx + dy * dy + dz * dz
            mag = dt / (d2 * d2 ** 0.5)
            bm, am = b.mass * mag, a.mass * mag
            a.vx -= dx * bm
            a.vy -= dy * bm
            a.vz -= dz * bm
            b.vx += dx * am
            b.vy += dy * am
            b.vz += dz * am
        for body in bodies:
            body.x += dt * body.vx
            body.y += dt * body.vy
            body.z += dt * body.vz
    energy = 0.0
    for i, a in enumerate(bodies):
        energy += 0.5 * a.mass * (a.vx * a.vx + a.vy * a.vy + a.vz * a.vz)
        for b in bodies[i + 1:]:
            energy -= a.mass * b.mass / ((a.x - b.x) ** 2 + (a.y - b.y) ** 2 + (a.z - b.z) ** 2) ** 0.5
    return round(energy, 9)


class Task:
    """A cooperative task of a small scheduler: a counter that hands work to the next task."""

    def __init__(self, ident, work, successor):
        self.ident, self.work, self.successor, self.done = ident, work, successor, 0

    def run(self, packet):
        self.done += 1
        packet = (packet * 31 + self.ident) % 1_000_003
        if self.done % self.work == 0:
            return self.successor, packet ^ self.done
        return self, packet


def scheduler(rounds):
    tasks = []
    successor = None
    for ident in range(12, 0, -1):
        successor = Task(ident, 3 + ident % 5, successor)
        tasks.append(successor)
    tasks[0].successor = successor  # a ring
    current, packet, switches = successor, 7, 0
    for _ in range(rounds):
        following, packet = current.run(packet)
        switches += following is not current
        current = following
    return packet, switches, sum(task.done for task in tasks)


def spectral_norm(n):
    def a(i, j):
        return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)

    def times(v):
        return [sum(a(i, j) * vj for j, vj in enumerate(v)) for i in range(n)]

    def times_transposed(v):
        return [sum(a(j, i) * vj for j, vj in enumerate(v)) for i in range(n)]

    u = [1.0] * n
    for _ in range(5):
        v = times_transposed(times(u))
        u = times_transposed(times(v))
    vbv = sum(ui * vi for ui, vi in zip(u, v))
    vv = sum(vi * vi for vi in v)
    return round((vbv / vv) ** 0.5, 9)


def tokens(text):
    """Splits text into words and numbers by hand, character by character."""
    out, word = [], []
    for ch in text:
        if ch.isalnum():
            word.append(ch)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


def word_table(repeats):
    text = " ".join(f"item{i % 97} costs {i * 7 % 113}, qty={i % 13};" for i in range(repeats))
    counts = {}
    for token in tokens(text):
        counts[token] = counts.get(token, 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    return len(counts), top


print("nbody energy:", nbody(40_000))
print("scheduler:", scheduler(800_000))
print("spectral norm:", spectral_norm(120))
print("word table:", word_table(20_000))
