# numpy: import it and compute something small with exact, printable results.
import numpy as np

print("numpy", np.__version__)
a = np.arange(12, dtype=np.int64).reshape(3, 4)
print(a)
print("sum:", a.sum(), "axis0:", a.sum(axis=0), "axis1:", a.sum(axis=1))
m = np.array([[4.0, -2.0, 1.0], [-2.0, 4.0, -2.0], [1.0, -2.0, 4.0]])
print("matmul:", (m @ m).tolist())
print("det:", round(float(np.linalg.det(m)), 9))
x = np.linalg.solve(m, np.array([11.0, -16.0, 17.0]))
print("solve:", np.round(x, 9).tolist())
v = np.linspace(0.0, 1.0, 11)
print("linspace:", v.tolist())
print("sin/cos:", np.round(np.sin(v * np.pi), 6).tolist(), round(float(np.cos(v).sum()), 12))
rng = np.random.default_rng(12345)
s = rng.integers(0, 1000, size=20)
print("rng:", s.tolist(), "sorted:", np.sort(s)[:5].tolist(), "mean:", float(s.mean()))
b = np.where(a % 3 == 0, a, -a)
print("where:", b.tolist(), "cumsum:", np.cumsum(a.ravel())[-3:].tolist())
print("dtype promotion:", (np.int32(7) + np.float32(0.5)).dtype, (np.array([250], dtype=np.uint8) + np.uint8(10)).tolist())
print("fft:", np.round(np.abs(np.fft.fft(np.array([1.0, 2.0, 3.0, 4.0]))), 9).tolist())
try:
    np.zeros(3) + np.zeros(4)
except ValueError as e:
    print("ValueError:", e)
