import Kiln
import KilnCompiler
import KilnFrontend
import XCTest

/// The threads proposal's instructions where the spec suite does not reach: a 64-bit shared
/// memory, whose atomics are bounds-checked in the code (alignment first), narrow
/// read-modify-writes that wrap their operands, and the validation of atomic alignment.
final class ThreadsTests: XCTestCase {
    static let module = """
        (module
          (memory i64 1 2 shared)
          (func (export "cmpxchg8") (param i64 i64 i64) (result i64)
            (i64.atomic.rmw8.cmpxchg_u (local.get 0) (local.get 1) (local.get 2)))
          (func (export "add16") (param i64 i32) (result i32)
            (i32.atomic.rmw16.add_u (local.get 0) (local.get 1)))
          (func (export "load64") (param i64) (result i64) (i64.atomic.load (local.get 0)))
          (func (export "load32_far") (param i64) (result i32) (i32.atomic.load offset=0xffff_ffff_ffff_fffc (local.get 0)))
          (func (export "wait64") (param i64 i64 i64) (result i32)
            (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2)))
          (func (export "notify") (param i64 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1))))
        """

    func testSixtyFourBitSharedMemoryAtomics() throws {
        for level in 0...2 {
            let instance = try compileAndLoad(Self.module, options: CompileOptions(optimizationLevel: level)).instantiate()
            func call(_ name: String, _ args: [Kiln.Value]) throws -> Kiln.Value? { try instance.call(name, args).first }
            func traps(_ name: String, _ args: [Kiln.Value], _ message: String, _ line: UInt = #line) {
                XCTAssertThrowsError(try call(name, args), "-O\(level)", line: line) { error in
                    XCTAssertEqual((error as? KilnError)?.message, message, "-O\(level)", line: line)
                }
            }
            // The expected value and the replacement wrap to the access's 8 bits.
            XCTAssertEqual(try call("cmpxchg8", [.i64(8), .i64(0x100), .i64(0x1FF)])?.asI64, 0, "-O\(level)")
            XCTAssertEqual(try call("load64", [.i64(8)])?.asI64, 0xFF)
            XCTAssertEqual(try call("cmpxchg8", [.i64(8), .i64(0xFE), .i64(1)])?.asI64, 0xFF, "no exchange")
            XCTAssertEqual(try call("add16", [.i64(16), .i32(0x1_FFFF)])?.asI32, 0)
            XCTAssertEqual(try call("add16", [.i64(16), .i32(2)])?.asI32, 0xFFFF)
            XCTAssertEqual(try call("load64", [.i64(16)])?.asI64, 1, "the sum wrapped at 16 bits")
            // Alignment is checked before bounds, with indices the 32-bit guard region never sees.
            traps("load64", [.i64(65_536)], "out of bounds memory access")
            traps("load64", [.i64(1 << 40)], "out of bounds memory access")
            traps("load64", [.i64(1 << 40 | 4)], "unaligned atomic")
            traps("load64", [.i64(-8)], "out of bounds memory access")
            traps("load32_far", [.i64(4)], "out of bounds memory access")
            traps("load32_far", [.i64(2)], "unaligned atomic")
            // Not equal, then timed out; nobody waits to be notified.
            XCTAssertEqual(try call("wait64", [.i64(8), .i64(0), .i64(0)])?.asI32, 1)
            XCTAssertEqual(try call("wait64", [.i64(8), .i64(0xFF), .i64(1_000)])?.asI32, 2)
            traps("wait64", [.i64(65_536), .i64(0), .i64(0)], "out of bounds memory access")
            XCTAssertEqual(try call("notify", [.i64(8), .i32(1)])?.asI32, 0)
            traps("notify", [.i64(65_536), .i32(1)], "out of bounds memory access")
        }
    }

    func testAtomicAccessesMustDeclareTheirNaturalAlignment() throws {
        func module(_ access: String) -> String { "(module (memory 1 1 shared) (func (drop (\(access) (i32.const 0)))))" }
        for access in ["i32.atomic.load align=2", "i64.atomic.load32_u align=2", "i32.atomic.load16_u align=1"] {
            XCTAssertThrowsError(try compileAndLoad(module(access)), access) { error in
                XCTAssertEqual((error as? WasmError)?.message, "atomic alignment must be natural", access)
            }
        }
        for access in ["i32.atomic.load align=4", "i32.atomic.load16_u align=2", "i32.atomic.load8_u"] {
            XCTAssertNoThrow(try compileAndLoad(module(access)), access)
        }
    }
}
