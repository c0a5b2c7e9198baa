import KilnFrontend
import XCTest

final class ModuleDecoderTests: XCTestCase {
    func testDecodesAllSections() throws {
        let bytes = try assemble(
            """
            (module
              (type $binop (func (param i32 i32) (result i32)))
              (import "env" "log" (func $log (param i32)))
              (import "env" "g" (global $g i32))
              (import "env" "t" (table 1 funcref))
              (memory 1 2)
              (table $t2 2 externref)
              (global $counter (mut i64) (i64.const 7))
              (func $add (type $binop) local.get 0 local.get 1 i32.add)
              (func $main (export "main") (result i32)
                (local f64 f64 i32)
                i32.const 1 i32.const 2 call $add)
              (elem (i32.const 0) func $add)
              (elem declare func $main)
              (data (i32.const 16) "hello")
              (data "passive")
              (export "mem" (memory 0))
              (start $start)
              (func $start)
            )
            """, names: true)
        let module = try ModuleDecoder.decodeAndValidate(bytes)
        XCTAssertEqual(module.types.count, 4)
        XCTAssertEqual(module.types[0], FunctionType(parameters: [.i32, .i32], results: [.i32]))
        XCTAssertEqual(module.imports.count, 3)
        XCTAssertEqual(module.importedFunctionCount, 1)
        XCTAssertEqual(module.importedGlobalCount, 1)
        XCTAssertEqual(module.functionTypeIndices.count, 3)
        XCTAssertEqual(module.allFunctionTypeIndices.count, 4)
        XCTAssertEqual(module.codes.count, 3)
        XCTAssertEqual(module.codes[1].locals, [.f64, .f64, .i32])
        XCTAssertEqual(module.allTableTypes.map(\.elementType), [.funcRef, .externRef])
        XCTAssertEqual(module.memories.first?.type, Limits(min: 1, max: 2))
        XCTAssertEqual(module.globals.count, 1)
        XCTAssertEqual(module.allGlobalTypes.count, 2)
        XCTAssertEqual(module.exports.map(\.name), ["main", "mem"])
        XCTAssertEqual(module.start, 3)
        XCTAssertEqual(module.elements.count, 2)
        XCTAssertEqual(module.datas.count, 2)
        XCTAssertEqual(module.functionNames[0], "log")
        XCTAssertEqual(module.functionNames[1], "add")
        XCTAssertEqual(module.functionNames[2], "main")
        // $add from the active segment, $main from the declarative one and its export.
        XCTAssertEqual(module.declaredFunctionReferences, [1, 2])
    }

    func testBlockSignature() throws {
        let module = try ModuleDecoder.decode(try assemble("(module (type (func (param i32) (result i64 f32))))"))
        XCTAssertEqual(try module.blockSignature(.empty), FunctionType(parameters: [], results: []))
        XCTAssertEqual(try module.blockSignature(.type(.f64)), FunctionType(parameters: [], results: [.f64]))
        XCTAssertEqual(try module.blockSignature(.funcType(0)), FunctionType(parameters: [.i32], results: [.i64, .f32]))
        XCTAssertThrowsError(try module.blockSignature(.funcType(1)))
    }

    func testMalformedNameSectionIsIgnored() throws {
        var bytes = try assemble("(module (func))")
        // A custom section "name" whose function-names subsection claims more than it holds.
        let payload: [UInt8] = [4] + Array("name".utf8) + [1, 10, 5, 0]
        bytes += [0, UInt8(payload.count)] + payload
        let module = try ModuleDecoder.decodeAndValidate(bytes)
        XCTAssertEqual(module.codes.count, 1)
        XCTAssertTrue(module.functionNames.isEmpty)
    }

    func testHeaderErrors() {
        func message(_ bytes: [UInt8]) -> String? { frontEndError(bytes)?.message }
        XCTAssertEqual(message([]), "unexpected end")
        XCTAssertEqual(message([0, 0x61, 0x73]), "unexpected end")
        XCTAssertEqual(message([1, 2, 3, 4, 1, 0, 0, 0]), "magic header not detected")
        XCTAssertEqual(message([0, 0x61, 0x73, 0x6D, 2, 0, 0, 0]), "unknown binary version")
        XCTAssertEqual(message([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 14, 0]), "malformed section id")
        XCTAssertEqual(message([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 9, 0]), "length out of bounds")
        XCTAssertEqual(message([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0]), nil)
    }

    func testBeyond20IsRejected() throws {
        // Function section count mismatch with code.
        XCTAssertEqual(
            frontEndError([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0])?.message,
            "function and code section have inconsistent lengths")
        // A tag section (id 13, exception handling), under 2.0.
        let tags = frontEndError([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 13, 1, 0], features: .webAssembly20)
        XCTAssertEqual(tags?.message, "malformed section id: exception handling (a tag section) is not enabled (--feature exception-handling enables it)")
        XCTAssertEqual(tags?.offset, 8)
        // An empty one is fine in 3.0.
        XCTAssertNil(frontEndError([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 13, 1, 0]))
        // A rec group of a struct type (GC) in the type section; one of a function type is fine.
        let rec = frontEndError([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 5, 1, 0x4E, 1, 0x5F, 0])
        XCTAssertEqual(rec?.kind, .malformed)
        XCTAssertTrue(rec?.message.contains("GC") ?? false, "\(String(describing: rec))")
        XCTAssertNil(frontEndError([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 6, 1, 0x4E, 1, 0x60, 0, 0]))
        // Shared memory (threads) limits flags and memory64's, which Kiln accepts by default and
        // 2.0 does not; a shared memory needs a maximum.
        XCTAssertNil(frontEndError([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 5, 4, 1, 3, 1, 1]))
        XCTAssertEqual(frontEndError([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 5, 4, 1, 3, 1, 1], features: .webAssembly20)?.kind, .malformed)
        XCTAssertEqual(frontEndError([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 5, 3, 1, 2, 1])?.message, "shared memory must have maximum")
        XCTAssertNil(frontEndError([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 5, 3, 1, 4, 1]))
        XCTAssertEqual(frontEndError([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 5, 3, 1, 4, 1], features: .webAssembly20)?.kind, .malformed)
        // A 64-bit table (table64, which came with memory64), the same way.
        XCTAssertNil(frontEndError([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 4, 4, 1, 0x70, 4, 1]))
        XCTAssertEqual(frontEndError([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 4, 4, 1, 0x70, 4, 1], features: .webAssembly20)?.kind, .malformed)
    }
}
