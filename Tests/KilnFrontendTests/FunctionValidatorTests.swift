import KilnFrontend
import XCTest

final class FunctionValidatorTests: XCTestCase {
    func testValidBodies() throws {
        let bytes = try assemble(
            """
            (module
              (type $pair (func (param i32) (result i32 i32)))
              (memory 1)
              (table 4 funcref)
              (func $f (param i32) (result i32)
                (block $outer (result i32)
                  (loop $l (result i32)
                    local.get 0
                    local.get 0
                    (if (result i32) (then i32.const 1) (else i32.const 2))
                    br_if $outer
                    i32.const 3
                    (br_table $outer $outer (i32.const 0))))
              )
              (func $multi (type $pair) local.get 0 local.get 0)
              (func (result i32)
                i32.const 5
                (block (type $pair) call $multi) i32.add drop
                unreachable
                i32.add)
              (func (param v128) (result i32)
                local.get 0 local.get 0 i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31
                i32x4.extract_lane 3
                i32.const 0 i32.load8_u offset=4 align=1 i32.add
                i32.const 0 i32.const 0 i32.const 0 memory.fill
                (select (i32.const 1) (i32.const 2) (i32.const 0)) i32.add
                (ref.is_null (ref.null extern)) i32.add
                (call_indirect (type $pair) (i32.const 1) (i32.const 0)) i32.add i32.add)
              (func $g (result i32)
                (call_indirect (type $pair) (i32.const 1) (i32.const 0)) i32.add)
            )
            """)
        XCTAssertNil(frontEndError(bytes))
    }

    func testInstructionByInstructionAPI() throws {
        let bytes = try assemble("(module (func (param i64) (result i64) (local f32) local.get 0 i64.const 1 i64.add))")
        let module = try ModuleDecoder.decode(bytes)
        var validator = try FunctionValidator(module: module, definedFunctionIndex: 0)
        XCTAssertEqual(validator.locals, [.i64, .f32])
        var parser = ExpressionParser(code: module.codes[0])
        var offsets: [Int] = []
        while let visit = try parser.parse() {
            try visit(visitor: &validator)
            offsets.append(validator.binaryOffset)
        }
        try validator.finish()
        XCTAssertEqual(offsets.count, 4)
        XCTAssertEqual(offsets, offsets.sorted())
        XCTAssertTrue(offsets.allSatisfy { $0 > 0 && $0 < bytes.count })
        XCTAssertEqual(validator.operandType(fromTop: 0), .i64)
        XCTAssertThrowsError(try FunctionValidator(module: module, definedFunctionIndex: 1))
    }

    func testTypeErrors() throws {
        try XCTAssertRejects("(module (func (result i32) i64.const 0))", .invalid, "type mismatch")
        try XCTAssertRejects("(module (func i32.add))", .invalid, "type mismatch")
        try XCTAssertRejects("(module (func (result i32) (if (result i32) (i32.const 0) (then i32.const 1))))", .invalid, "type mismatch")
        try XCTAssertRejects("(module (func (select (ref.null func) (ref.null func) (i32.const 0)) drop))", .invalid, "type mismatch")
        try XCTAssertRejects("(module (func (block (result i32) (br_table 0 1 (i32.const 0) (i32.const 0))) drop))", .invalid, "type mismatch")
        try XCTAssertRejects("(module (func br 1))", .invalid, "unknown label")
        try XCTAssertRejects("(module (global i32 (i32.const 0)) (func i32.const 1 global.set 0))", .invalid, "global is immutable")
        try XCTAssertRejects("(module (func (drop (i32.load (i32.const 0)))))", .invalid, "unknown memory 0")
        try XCTAssertRejects("(module (memory 1) (func (drop (i32.load align=8 (i32.const 0)))))", .invalid, "alignment must not be larger than natural")
        try XCTAssertRejects("(module (func (drop (ref.func 0))))", .invalid, "undeclared function reference")
        try XCTAssertRejects("(module (func (param v128) (drop (i32x4.extract_lane 4 (local.get 0)))))", .invalid, "invalid lane index")
    }

    func testIndexErrorsFromBinary() {
        // (func (param i32) local.get 1 drop): the text assembler refuses the bad index.
        let local: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 5, 1, 0x60, 1, 0x7F, 0, 3, 2, 1, 0, 10, 7, 1, 5, 0, 0x20, 1, 0x1A, 0x0B]
        XCTAssertEqual(frontEndError(local)?.message, "unknown local 1")
        XCTAssertEqual(frontEndError(local)?.offset, 24)
        // call_indirect with no table.
        let indirect: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 0x41, 0, 0x11, 0, 0, 0x0B]
        XCTAssertEqual(frontEndError(indirect)?.message, "unknown table 0")
    }

    func testUnreachableCodeIsPolymorphic() throws {
        XCTAssertNil(frontEndError(try assemble("(module (func (result i32) unreachable i32.add))")))
        XCTAssertNil(frontEndError(try assemble("(module (func (result f64) (block (result f64) (br 1 (f64.const 1)))))")))
        XCTAssertNil(frontEndError(try assemble("(module (func unreachable select drop))")))
        try XCTAssertRejects("(module (func (result i32) unreachable i64.const 0 i32.add))", .invalid, "type mismatch")
    }

    func testProposalsBeyondTheDefaultAreRejected() {
        // atomic.fence (threads, on by default) under 2.0.
        let fence: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 7, 1, 5, 0, 0xFE, 0x03, 0, 0x0B]
        XCTAssertNil(frontEndError(fence))
        XCTAssertEqual(frontEndError(fence, features: .webAssembly20)?.kind, .malformed)
        // ref.as_non_null (typed function references, on by default) with the proposal off.
        let asNonNull: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 8, 1, 6, 0, 0xD0, 0x70, 0xD4, 0x1A, 0x0B]
        var withoutTypedReferences = FeatureSet.default
        withoutTypedReferences.remove(.typedFunctionReferences)
        XCTAssertEqual(frontEndError(asNonNull, features: withoutTypedReferences)?.kind, .malformed)
        XCTAssertNil(frontEndError(asNonNull))
    }
}
