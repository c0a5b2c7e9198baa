import KilnFrontend
import XCTest

/// The typing of return_call and return_call_indirect: the callee's parameters come off the
/// stack, its results must be the enclosing function's, and what follows is unreachable.
final class TailCallValidationTests: XCTestCase {
    func testValidTailCalls() throws {
        let bytes = try assemble("""
            (module
              (type $pair (func (param i32) (result i32 i64)))
              (table 1 funcref)
              (func $pair (type $pair) (local.get 0) (i64.const 1))
              (func (param i32) (result i32 i64) (return_call $pair (local.get 0)))
              (func (param i32) (result i32 i64)
                (return_call_indirect (type $pair) (local.get 0) (i32.const 0)))
              ;; Values below the arguments are dropped, and the rest is polymorphic.
              (func (result i32 i64)
                (f32.const 1) (i32.const 2) (return_call $pair) (i32.add) (drop) (unreachable))
              (func (result i32 i64)
                (block (return_call $pair (i32.const 3)))
                (unreachable)))
            """)
        XCTAssertNil(frontEndError(bytes))
    }

    func testTheCalleesResultsMustBeTheFunctions() throws {
        try XCTAssertRejects("""
            (module (func (result i32) (return_call 1)) (func (result i64) (i64.const 1)))
            """, .invalid, "type mismatch")
        try XCTAssertRejects("""
            (module (func (result i32) (return_call 1)) (func))
            """, .invalid, "type mismatch")
        // A callee with results from a function without any, even though `call` would be fine.
        try XCTAssertRejects("""
            (module (func (return_call 1)) (func (result i32) (i32.const 1)))
            """, .invalid, "type mismatch")
        try XCTAssertRejects("""
            (module (type $t (func (result f32))) (table 1 funcref)
              (func (result f64) (return_call_indirect (type $t) (i32.const 0))))
            """, .invalid, "type mismatch")
        // The same count of results is not enough: their order counts.
        try XCTAssertRejects("""
            (module (func $f (result i64 i32) (i64.const 1) (i32.const 2))
              (func (result i32 i64) (return_call $f)))
            """, .invalid, "type mismatch")
    }

    func testOperandsAndIndices() throws {
        try XCTAssertRejects("(module (func (return_call 1)) (func (param i32)))", .invalid, "type mismatch")
        try XCTAssertRejects("""
            (module (func (return_call 1 (f64.const 1) (i32.const 1))) (func (param i32 f64)))
            """, .invalid, "type mismatch")
        // return_call 1 in the only function (the text assembler refuses the index itself).
        let unknown: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 6, 1, 4, 0, 0x12, 1, 0x0B]
        XCTAssertEqual(frontEndError(unknown)?.message, "unknown function 1")
        // The table index comes last and must be an i32.
        try XCTAssertRejects("""
            (module (type $t (func)) (table 1 funcref) (func (return_call_indirect (type $t) (i64.const 0))))
            """, .invalid, "type mismatch")
        try XCTAssertRejects("""
            (module (type $t (func)) (func (return_call_indirect (type $t) (i32.const 0))))
            """, .invalid, "unknown table")
        try XCTAssertRejects("""
            (module (type $t (func)) (table 1 externref) (func (return_call_indirect (type $t) (i32.const 0))))
            """, .invalid, "type mismatch")
    }
}
