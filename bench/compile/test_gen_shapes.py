#!/usr/bin/env python3
"""Tests of the shape generator: deterministic, the requested size, valid, and runnable.

    .venv-bench/bin/python bench/compile/test_gen_shapes.py     (after one scripts/bench-compile)

Validation needs `wasm-tools` (next to the Python running the tests, or on PATH) and running
needs the `wasmtime` package; the tests that need a missing one are skipped.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_shapes  # noqa: E402

SIZES = [20_000, 150_000]


def wasm_tools():
    beside = os.path.join(os.path.dirname(sys.executable), "wasm-tools")
    return beside if os.access(beside, os.X_OK) else shutil.which("wasm-tools")


class GeneratedShapes(unittest.TestCase):
    def test_same_inputs_give_the_same_bytes_and_another_seed_other_bytes(self):
        for shape in gen_shapes.SHAPES:
            with self.subTest(shape=shape):
                first = gen_shapes.generate(shape, 30_000, seed=1)
                self.assertEqual(first, gen_shapes.generate(shape, 30_000, seed=1))
                self.assertNotEqual(first, gen_shapes.generate(shape, 30_000, seed=2))

    def test_size_is_met_within_five_percent(self):
        for shape in gen_shapes.SHAPES:
            for size in SIZES:
                with self.subTest(shape=shape, size=size):
                    actual = len(gen_shapes.generate(shape, size))
                    self.assertLess(abs(actual - size) / size, 0.05, actual)

    @unittest.skipUnless(wasm_tools(), "wasm-tools not found")
    def test_every_shape_validates(self):
        with tempfile.TemporaryDirectory() as work:
            for shape in gen_shapes.SHAPES:
                for size in SIZES:
                    with self.subTest(shape=shape, size=size):
                        path = os.path.join(work, f"{shape}-{size}.wasm")
                        with open(path, "wb") as f:
                            f.write(gen_shapes.generate(shape, size))
                        done = subprocess.run([wasm_tools(), "validate", path], capture_output=True, text=True)
                        self.assertEqual(done.returncode, 0, done.stderr)

    def test_every_shape_runs_without_trapping(self):
        try:
            import wasmtime
        except ImportError:
            self.skipTest("the wasmtime package is not installed")
        engine = wasmtime.Engine()
        for shape in gen_shapes.SHAPES:
            with self.subTest(shape=shape):
                module = wasmtime.Module(engine, gen_shapes.generate(shape, 40_000))
                store = wasmtime.Store(engine)
                run = wasmtime.Instance(store, module, []).exports(store)["run"]
                self.assertIsInstance(run(store, 1000), int)

    def test_sizes_parse_in_decimal_units(self):
        self.assertEqual(gen_shapes.parse_size("2MB"), 2_000_000)
        self.assertEqual(gen_shapes.parse_size("0.1MB"), 100_000)
        self.assertEqual(gen_shapes.parse_size("150kB"), 150_000)
        self.assertEqual(gen_shapes.parse_size("12345"), 12345)


if __name__ == "__main__":
    unittest.main()
