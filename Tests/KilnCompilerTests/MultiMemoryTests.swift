import Kiln
import KilnCompiler
import XCTest

/// Several memories in one module: every access, size, grow, copy, fill and data segment reaches
/// the memory it names, at every level, and a store loop over a memory other than memory 0 is
/// versioned against that memory's own size.
final class MultiMemoryTests: XCTestCase {
    static let module = """
        (module
          (memory $a 1)
          (memory $b 2 3)
          (data (memory $b) (i32.const 100) "\\2a")
          (func (export "store") (param $inB i32) (param $address i32) (param $value i32)
            (if (local.get $inB)
              (then (i32.store $b (local.get $address) (local.get $value)))
              (else (i32.store $a (local.get $address) (local.get $value)))))
          (func (export "load_a") (param i32) (result i32) (i32.load $a (local.get 0)))
          (func (export "load_b") (param i32) (result i32) (i32.load $b (local.get 0)))
          (func (export "load_b_offset") (param i32) (result i32) (i32.load8_u $b offset=70000 (local.get 0)))
          (func (export "sizes") (result i32)
            (i32.add (i32.mul (memory.size $a) (i32.const 100)) (memory.size $b)))
          (func (export "grow_b") (param i32) (result i32) (memory.grow $b (local.get 0)))
          (func (export "copy_b_to_a") (param $to i32) (param $from i32) (param $length i32)
            (memory.copy $a $b (local.get $to) (local.get $from) (local.get $length)))
          (func (export "fill_b") (param $to i32) (param $value i32) (param $length i32)
            (memory.fill $b (local.get $to) (local.get $value) (local.get $length))))
        """

    func testEachInstructionReachesTheMemoryItNames() throws {
        for level in 0...2 {
            let instance = try compileAndLoad(Self.module, options: CompileOptions(optimizationLevel: level)).instantiate()
            func call(_ name: String, _ args: Int32...) throws -> Int32? {
                try instance.call(name, args.map { .i32($0) }).first?.asI32
            }
            XCTAssertEqual(try call("load_b", 100), 42, "the data segment fills memory $b, -O\(level)")
            XCTAssertEqual(try call("load_a", 100), 0)
            _ = try call("store", 0, 8, 7)
            XCTAssertEqual(try call("load_a", 8), 7)
            XCTAssertEqual(try call("load_b", 8), 0)
            // Past memory $a's one page, inside $b's two.
            _ = try call("store", 1, 70_000, 9)
            XCTAssertEqual(try call("load_b", 70_000), 9)
            XCTAssertEqual(try call("load_b_offset", 0), 9)
            XCTAssertThrowsError(try call("load_a", 70_000)) { error in
                XCTAssertEqual((error as? KilnError)?.message, "out of bounds memory access", "-O\(level)")
            }
            XCTAssertThrowsError(try call("store", 0, 70_000, 1))
            XCTAssertEqual(try call("sizes"), 102)
            XCTAssertEqual(try call("grow_b", 1), 2)
            XCTAssertEqual(try call("grow_b", 1), -1, "$b's maximum is 3 pages")
            XCTAssertEqual(try call("sizes"), 103)
            XCTAssertEqual(instance.memory(1)?.byteCount, 3 * 65_536)
            XCTAssertEqual(instance.memory(0)?.byteCount, 65_536)
            _ = try call("copy_b_to_a", 0, 100, 4)
            XCTAssertEqual(try call("load_a", 0), 42)
            _ = try call("fill_b", 200, 0xFF, 4)
            XCTAssertEqual(try call("load_b", 200), -1)
            XCTAssertEqual(try call("load_a", 200), 0)
            XCTAssertThrowsError(try call("copy_b_to_a", 65_535, 0, 2), "the copy ends past $a")
        }
    }

    /// A store loop over memory 1, whose pages are all memory 0 does not have: at -O2 it is
    /// versioned with memory 1's size, so it runs right inside the memory and traps after the
    /// last in-bounds store outside it. (Versioning once read memory 1's base as if it were
    /// memory 0's and checked the loop against a size read from the wrong place, and crashed.)
    func testALoopOverASecondMemoryIsCheckedAgainstThatMemory() throws {
        let module = """
            (module
              (memory 0 0)
              (memory $m 1 1)
              (func (export "halve") (param $end i32)
                (local $i i32)
                (loop $next
                  (f64.store $m (local.get $i) (f64.mul (f64.load $m (local.get $i)) (f64.const 0.5)))
                  (local.set $i (i32.add (local.get $i) (i32.const 8)))
                  (br_if $next (i32.lt_u (local.get $i) (local.get $end)))))
              (func (export "set") (param $i i32) (param $x f64) (f64.store $m (local.get $i) (local.get $x)))
              (func (export "get") (param $i i32) (result f64) (f64.load $m (local.get $i))))
            """
        for level in [0, 2, 3] {
            let instance = try compileAndLoad(module, options: CompileOptions(optimizationLevel: level)).instantiate()
            for i in stride(from: 0, to: 65_536, by: 8) { _ = try instance.call("set", [.i32(Int32(i)), .f64(4)]) }
            _ = try instance.call("halve", [.i32(256)])
            XCTAssertEqual(try instance.call("get", [.i32(248)]).first, .f64(2), "-O\(level)")
            XCTAssertEqual(try instance.call("get", [.i32(256)]).first, .f64(4), "-O\(level)")
            // Runs off the end: every store before the trap is made, in order.
            XCTAssertThrowsError(try instance.call("halve", [.i32(70_000)])) { error in
                XCTAssertEqual((error as? KilnError)?.message, "out of bounds memory access", "-O\(level)")
            }
            XCTAssertEqual(try instance.call("get", [.i32(65_528)]).first, .f64(2), "-O\(level)")
            XCTAssertEqual(try instance.call("get", [.i32(0)]).first, .f64(1), "-O\(level)")
        }
        let functions = try optimisedWasmFunctions(module, options: CompileOptions(optimizationLevel: 2))
        let halve = try XCTUnwrap(functions.first { $0.body.contains("fmul") && $0.body.contains("br i1") })
        XCTAssertTrue(halve.body.contains("kiln.fallback"), "the loop is versioned:\n\(halve.body)")
    }

    func testTwoImportedMemoriesAreEachTheExportersOwn() throws {
        let exporter = try instantiate("""
            (module
              (memory (export "first") 1)
              (memory (export "second") 1)
              (func (export "peek_second") (param i32) (result i32) (i32.load8_u 1 (local.get 0))))
            """)
        let imports = Imports()
        for name in ["first", "second"] { try imports.define("m", name, try XCTUnwrap(exporter.export(name))) }
        let importer = try instantiate("""
            (module
              (import "m" "first" (memory $x 1))
              (import "m" "second" (memory $y 1))
              (func (export "poke") (param i32) (param i32)
                (i32.store8 $y (local.get 0) (local.get 1))))
            """, imports: imports)
        _ = try importer.call("poke", [.i32(5), .i32(77)])
        XCTAssertEqual(try exporter.call("peek_second", [.i32(5)]).first?.asI32, 77)
        XCTAssertEqual(exporter.memory(0)?.bytes[5], 0)
    }
}
