import Kiln
import KilnCompiler
import XCTest

/// 64-bit memories: i64 addresses, sizes and page counts, every access checked in the code
/// against the memory's size (LinearMemory.BoundsStrategy.explicitCheck), a memory grown past
/// 4 GiB, and the 64-bit flag checked when a memory is imported; and 64-bit tables, whose i64
/// operands past 32 bits are out of bounds.
final class Memory64Tests: XCTestCase {
    static let module = """
        (module
          (memory (export "memory") i64 1 70000)
          (data (i64.const 65530) "\\01\\02\\03\\04\\05\\06")
          (func (export "load8") (param i64) (result i32) (i32.load8_u (local.get 0)))
          (func (export "load32") (param i64) (result i32) (i32.load (local.get 0)))
          (func (export "load32_far") (param i64) (result i32) (i32.load offset=0xffff_ffff_ffff_fffc (local.get 0)))
          (func (export "store64") (param i64) (param i64) (i64.store (local.get 0) (local.get 1)))
          (func (export "load64") (param i64) (result i64) (i64.load (local.get 0)))
          (func (export "size") (result i64) (memory.size))
          (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
          (func (export "fill") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
          (func (export "copy") (param i64 i64 i64) (memory.copy (local.get 0) (local.get 1) (local.get 2))))
        """

    func testAddressesAreSixtyFourBitsAndEveryAccessIsChecked() throws {
        for level in 0...2 {
            let instance = try compileAndLoad(Self.module, options: CompileOptions(optimizationLevel: level)).instantiate()
            func call(_ name: String, _ args: [Value]) throws -> Value? { try instance.call(name, args).first }
            func traps(_ name: String, _ args: [Value], _ line: UInt = #line) {
                XCTAssertThrowsError(try call(name, args), "-O\(level)", line: line) { error in
                    XCTAssertEqual((error as? KilnError)?.message, "out of bounds memory access", "-O\(level)", line: line)
                }
            }
            XCTAssertEqual(try call("load8", [.i64(65_535)])?.asI32, 6, "the data segment's i64 offset, -O\(level)")
            XCTAssertEqual(try call("load32", [.i64(65_532)])?.asI32, 0x0605_0403)
            // The last byte is inside, one further is not; indices and offsets that wrap are outside.
            traps("load32", [.i64(65_533)])
            traps("load8", [.i64(65_536)])
            traps("load8", [.i64(-1)])
            traps("load32", [.i64(-2)])
            traps("load32_far", [.i64(0)])
            traps("load32_far", [.i64(8)])
            XCTAssertEqual(try call("size", [])?.asI64, 1)
            XCTAssertEqual(try call("grow", [.i64(1)])?.asI64, 1)
            XCTAssertEqual(try call("load32", [.i64(65_533)])?.asI32, 0x0006_0504)
            XCTAssertEqual(try call("grow", [.i64(70_000)])?.asI64, -1, "past the declared maximum")
            XCTAssertEqual(try call("grow", [.i64(Int64.max)])?.asI64, -1)
            XCTAssertEqual(try call("size", [])?.asI64, 2)
            _ = try call("fill", [.i64(100), .i32(0xAB), .i64(4)])
            XCTAssertEqual(try call("load32", [.i64(100)])?.asI32, Int32(bitPattern: 0xABAB_ABAB))
            _ = try call("copy", [.i64(200), .i64(100), .i64(2)])
            XCTAssertEqual(try call("load32", [.i64(200)])?.asI32, 0xABAB)
            traps("fill", [.i64(131_070), .i32(0), .i64(3)])
            traps("copy", [.i64(0), .i64(-1), .i64(2)])
            traps("copy", [.i64(0), .i64(0), .i64(-1)])
        }
    }

    /// A memory grown past 4 GiB is read and written there, through the same code (only the page
    /// written is ever touched: the rest of the reservation stays untouched address space).
    func testAMemoryGrownPastFourGiBIsReadAndWrittenThere() throws {
        let instance = try compileAndLoad(Self.module).instantiate()
        XCTAssertEqual(try instance.call("grow", [.i64(65_600)]).first?.asI64, 1)
        XCTAssertEqual(try instance.call("size", []).first?.asI64, 65_601)
        let past4GiB: Int64 = (1 << 32) + 0x1234
        _ = try instance.call("store64", [.i64(past4GiB), .i64(0x0102_0304_0506_0708)])
        XCTAssertEqual(try instance.call("load64", [.i64(past4GiB)]).first?.asI64, 0x0102_0304_0506_0708)
        // The host sees the same bytes at the same offset, 4 GiB into the memory.
        let memory = try XCTUnwrap(instance.memory(0))
        XCTAssertEqual(memory.byteCount, 65_601 * 65_536)
        XCTAssertEqual(memory.bytes[Int(past4GiB)], 0x08)
        XCTAssertThrowsError(try instance.call("load64", [.i64(65_601 * 65_536 - 4)]))
    }

    func testAMemoryImportMustHaveTheExportersAddressType() throws {
        let exporter = try instantiate("(module (memory (export \"m32\") 1) (memory (export \"m64\") i64 1))")
        func importing(_ name: String, as type: String) throws -> Instance {
            let imports = Imports()
            try imports.define("host", "memory", try XCTUnwrap(exporter.export(name)))
            return try instantiate("(module (import \"host\" \"memory\" (memory \(type) 1)))", imports: imports)
        }
        XCTAssertNoThrow(try importing("m64", as: "i64"))
        XCTAssertNoThrow(try importing("m32", as: "i32"))
        XCTAssertThrowsError(try importing("m32", as: "i64")) { error in
            XCTAssertEqual((error as? KilnError)?.message, "incompatible import type: \"host\" \"memory\"")
        }
        XCTAssertThrowsError(try importing("m64", as: "i32"))
    }

    func testATableWithSixtyFourBitIndices() throws {
        let module = """
            (module
              (type $f (func (result i32)))
              (table $t i64 2 10 funcref)
              (elem (table $t) (i64.const 1) func $seven)
              (func $seven (result i32) (i32.const 7))
              (func (export "call") (param i64) (result i32) (call_indirect $t (type $f) (local.get 0)))
              (func (export "size") (result i64) (table.size $t))
              (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
              (func (export "is_null") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0))))
              (func (export "fill") (param i64 i64) (table.fill $t (local.get 0) (ref.func $seven) (local.get 1))))
            """
        for level in [0, 2] {
            let instance = try compileAndLoad(module, options: CompileOptions(optimizationLevel: level)).instantiate()
            func call(_ name: String, _ args: Int64...) throws -> Value? { try instance.call(name, args.map { .i64($0) }).first }
            XCTAssertEqual(try call("call", 1)?.asI32, 7, "-O\(level)")
            XCTAssertThrowsError(try call("call", 0)) { XCTAssertEqual(($0 as? KilnError)?.message, "uninitialized element") }
            // Indices that only their high 32 bits put out of bounds must not wrap into the table.
            XCTAssertThrowsError(try call("call", 1 << 32 | 1)) { XCTAssertEqual(($0 as? KilnError)?.message, "undefined element") }
            XCTAssertThrowsError(try call("is_null", 1 << 32)) { XCTAssertEqual(($0 as? KilnError)?.message, "out of bounds table access") }
            XCTAssertThrowsError(try call("fill", 0, 1 << 32 | 1)) { XCTAssertEqual(($0 as? KilnError)?.message, "out of bounds table access") }
            XCTAssertEqual(try call("size")?.asI64, 2)
            XCTAssertEqual(try call("grow", 1 << 32)?.asI64, -1)
            XCTAssertEqual(try call("grow", 3)?.asI64, 2)
            XCTAssertEqual(try call("size")?.asI64, 5)
            XCTAssertEqual(try call("is_null", 4)?.asI32, 1)
            _ = try call("fill", 3, 2)
            XCTAssertEqual(try call("call", 4)?.asI32, 7)
        }
    }

    /// A store to a 64-bit memory is tagged as linear memory, which never overlaps the runtime's
    /// data, so the memory's size, which every access of the loop compares with, is read once
    /// before the loop rather than again after each store (AliasTags.linearMemory64).
    func testTheSizeIsReadOnceForALoopOfStores() throws {
        let module = """
            (module (memory i64 1)
              (func (export "fill") (param $n i64)
                (loop $l
                  (i64.store (i64.shl (local.get $n) (i64.const 3)) (local.get $n))
                  (br_if $l (i64.ne (local.tee $n (i64.sub (local.get $n) (i64.const 1))) (i64.const 0))))))
            """
        let body = try XCTUnwrap(optimisedWasmFunctions(module).first?.body)
        let entry = body.components(separatedBy: "\n\n").first ?? ""
        XCTAssertTrue(entry.contains("load i64, ptr"), "the size is read in the entry block:\n\(body)")
        XCTAssertEqual(body.components(separatedBy: "load i64, ptr").count - 1, 1, body)
        let instance = try compileAndLoad(module).instantiate()
        _ = try instance.call("fill", [.i64(8191)])
        XCTAssertEqual(try XCTUnwrap(instance.memory(0)).bytes[8 * 8191], 0xFF)
        XCTAssertEqual(try XCTUnwrap(instance.memory(0)).bytes[8], 1)
        XCTAssertThrowsError(try instance.call("fill", [.i64(8192)])) {
            XCTAssertEqual(($0 as? KilnError)?.message, "out of bounds memory access")
        }
    }
}
