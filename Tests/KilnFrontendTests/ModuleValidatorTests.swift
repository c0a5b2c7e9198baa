import KilnFrontend
import XCTest

final class ModuleValidatorTests: XCTestCase {
    func testModuleRules() throws {
        try XCTAssertRejects("(module (memory 65537))", .invalid, "memory size must be at most 65536 pages (4GiB)")
        try XCTAssertRejects("(module (memory 2 1))", .invalid, "size minimum must not be greater than maximum")
        try XCTAssertRejects("(module (table 2 1 funcref))", .invalid, "size minimum must not be greater than maximum")
        try XCTAssertRejects("(module (global i32 (i64.const 0)))", .invalid, "type mismatch")
        try XCTAssertRejects("(module (global i32 (i32.const 0) (i32.const 0)))", .invalid, "type mismatch")
        try XCTAssertRejects("(module (global i32 (i32.div_s (i32.const 0) (i32.const 1))))", .invalid, "constant expression required")
        try XCTAssertRejects("(module (global i32 (i32.const 0)) (global i32 (global.get 0)))", .invalid, "unknown global 0")
        try XCTAssertRejects("(module (import \"m\" \"g\" (global (mut i32))) (global i32 (global.get 0)))", .invalid, "constant expression required")
        try XCTAssertRejects("(module (func (param i32)) (start 0))", .invalid, "start function")
        try XCTAssertRejects("(module (func) (export \"a\" (func 0)) (export \"a\" (func 0)))", .invalid, "duplicate export name")
        try XCTAssertRejects("(module (table 1 externref) (func) (elem (i32.const 0) func 0))", .invalid, "type mismatch")
        XCTAssertNil(frontEndError(try assemble("(module (import \"m\" \"g\" (global i32)) (memory 1) (data (global.get 0) \"x\"))")))
    }
}
