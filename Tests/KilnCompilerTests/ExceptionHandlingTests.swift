import Foundation
import Kiln
import KilnCompiler
import XCTest

/// Exception handling (WebAssembly 3.0) end to end, at every optimisation level: catching by tag,
/// the values a handler sees, exceptions that leave Wasm, tag identity across instances and from
/// the host, and traps that no handler may catch.
final class ExceptionHandlingTests: XCTestCase {
    private let levels = [0, 1, 2]

    private func load(_ wat: String, level: Int) throws -> Module {
        try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level))
    }

    func testHandlersSeeThePayloadAndLocalsChangedBeforeTheThrow() throws {
        let wat = """
            (module
              (tag $e (param i32 i64))
              (tag $other)
              (func $raise (param i32) (throw $e (local.get 0) (i64.const -5)))
              (func (export "catch") (param i32) (result i32 i64 i32)
                (local $progress i32)
                (block $none
                  (block $h (result i32 i64)
                    (try_table (catch $other $none) (catch $e $h)
                      (local.set $progress (i32.const 7))
                      (call $raise (local.get 0))
                      (local.set $progress (i32.const 99)))
                    (return (i32.const 0) (i64.const 0) (local.get $progress)))
                  (return (local.get $progress)))
                (unreachable)))
            """
        for level in levels {
            let results = try load(wat, level: level).instantiate().call("catch", [.i32(41)])
            XCTAssertEqual(results, [.i32(41), .i64(-5), .i32(7)], "-O\(level)")
        }
    }

    /// A covered call whose results come back through memory (more than two) is an invoke too.
    func testACoveredCallWithManyResults() throws {
        let wat = """
            (module
              (tag $e)
              (func $three (param i32) (result i32 i64 f64)
                (if (i32.eqz (local.get 0)) (then (throw $e)))
                (local.get 0) (i64.const 2) (f64.const 3.5))
              (func (export "call") (param i32) (result i32 i64 f64)
                (block $h
                  (try_table (result i32 i64 f64) (catch $e $h) (call $three (local.get 0)))
                  (return))
                (i32.const -1) (i64.const -1) (f64.const -1)))
            """
        for level in levels {
            let instance = try load(wat, level: level).instantiate()
            XCTAssertEqual(try instance.call("call", [.i32(7)]), [.i32(7), .i64(2), .f64(3.5)], "-O\(level)")
            XCTAssertEqual(try instance.call("call", [.i32(0)]), [.i32(-1), .i64(-1), .f64(-1)], "-O\(level)")
        }
    }

    func testAnExceptionLeavingAnExportIsAnErrorThatNamesTheTag() throws {
        let wat = """
            (module
              (tag $e (export "failure") (param i32 f64))
              (func (export "fail") (throw $e (i32.const 3) (f64.const 2.5))))
            """
        for level in levels {
            XCTAssertThrowsError(try load(wat, level: level).instantiate().call("fail")) { error in
                let error = error as! KilnError
                XCTAssertFalse(error.isTrap, "-O\(level)")
                XCTAssertEqual(error.message, "uncaught exception: tag \"failure\"", "-O\(level)")
                XCTAssertEqual(error.exception?.values, [.i32(3), .f64(2.5)], "-O\(level)")
            }
        }
    }

    func testTrapsAreNeverCaught() throws {
        let wat = """
            (module
              (func $divide (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
              (func (export "guarded") (param i32) (result i32)
                (block $h
                  (try_table (result i32) (catch_all $h) (call $divide (local.get 0)))
                  (return))
                (i32.const -1)))
            """
        for level in levels {
            let instance = try load(wat, level: level).instantiate()
            XCTAssertThrowsError(try instance.call("guarded", [.i32(0)])) { error in
                XCTAssertEqual((error as? KilnError)?.isTrap, true, "-O\(level)")
                XCTAssertEqual((error as? KilnError)?.message, "integer divide by zero", "-O\(level)")
            }
            XCTAssertEqual(try instance.call("guarded", [.i32(1)]), [.i32(1)], "-O\(level)")
        }
    }

    func testExnrefRethrowAndAnUnmatchedTagGoesToTheOuterHandler() throws {
        let wat = """
            (module
              (tag $inner (param i32))
              (tag $outer (param i32))
              (func $raise (param i32)
                (if (local.get 0) (then (throw $outer (i32.const 2))) (else (throw $inner (i32.const 1)))))
              (func (export "route") (param i32) (result i32)
                (block $caught_outer (result i32)
                  (try_table (catch $outer $caught_outer)
                    (block $caught_inner (result i32 exnref)
                      (try_table (catch_ref $inner $caught_inner)
                        (call $raise (local.get 0)))
                      (unreachable))
                    ;; rethrow what the inner handler caught: nothing here catches $inner
                    (throw_ref))
                  (unreachable))
                (i32.add (i32.const 100))))
            """
        for level in levels {
            let instance = try load(wat, level: level).instantiate()
            XCTAssertEqual(try instance.call("route", [.i32(1)]), [.i32(102)], "-O\(level)")
            XCTAssertThrowsError(try instance.call("route", [.i32(0)])) { error in
                XCTAssertEqual((error as? KilnError)?.exception?.values, [.i32(1)], "-O\(level)")
            }
        }
    }

    /// A million throws caught by a non-ref clause: each exception is freed when caught.
    func testManyThrowsAndCatches() throws {
        let wat = """
            (module
              (tag $e (param i32))
              (func $raise (param i32) (throw $e (local.get 0)))
              (func (export "loop") (param i32) (result i32)
                (local $sum i32)
                (loop $next
                  (block $h (result i32)
                    (try_table (catch $e $h) (call $raise (local.get 0)))
                    (unreachable))
                  (local.set $sum (i32.add (local.get $sum)))
                  (br_if $next (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
                (local.get $sum)))
            """
        let instance = try load(wat, level: 2).instantiate()
        XCTAssertEqual(try instance.call("loop", [.i32(1_000_000)]), [.i32(Int32(truncatingIfNeeded: 500_000_500_000))])
    }

    /// Exceptions keep their tag across instances, pass through the frames of a module that has
    /// no exception handling at all, and a tag of the same type but another identity does not
    /// catch them.
    func testTagIdentityAcrossInstances() throws {
        let thrower = """
            (module
              (tag $e (export "e") (param i32))
              (func (export "raise") (param i32) (throw $e (local.get 0))))
            """
        let passThrough = """
            (module
              (import "thrower" "raise" (func $raise (param i32)))
              (func (export "forward") (param i32) (call $raise (i32.add (local.get 0) (i32.const 1)))))
            """
        let catcher = """
            (module
              (import "thrower" "e" (tag $e (param i32)))
              (import "middle" "forward" (func $forward (param i32)))
              (tag $lookalike (param i32))
              (func (export "catch") (param i32) (result i32)
                (block $h (result i32)
                  (try_table (catch $lookalike $h) (catch $e $h) (call $forward (local.get 0)))
                  (i32.const -1))))
            """
        let lookalikeOnly = """
            (module
              (import "middle" "forward" (func $forward (param i32)))
              (tag $lookalike (param i32))
              (func (export "catch") (param i32) (result i32)
                (block $h (result i32)
                  (try_table (catch $lookalike $h) (call $forward (local.get 0)))
                  (i32.const -1))))
            """
        for level in levels {
            let first = try load(thrower, level: level).instantiate()
            let imports = Imports()
            try imports.define("thrower", "raise", first.export("raise")!)
            try imports.define("thrower", "e", first.export("e")!)
            let middle = try load(passThrough, level: level).instantiate(imports: imports)
            try imports.define("middle", "forward", middle.export("forward")!)
            let last = try load(catcher, level: level).instantiate(imports: imports)
            XCTAssertEqual(try last.call("catch", [.i32(9)]), [.i32(10)], "-O\(level)")

            let other = try load(lookalikeOnly, level: level).instantiate(imports: imports)
            XCTAssertThrowsError(try other.call("catch", [.i32(9)])) { error in
                guard case .tag(let tag) = first.export("e")! else { return XCTFail("not a tag") }
                XCTAssertEqual((error as? KilnError)?.exception?.tagIdentity, tag.identity, "-O\(level)")
                XCTAssertEqual((error as? KilnError)?.message, "uncaught exception: tag \"e\"", "-O\(level)")
            }
        }
    }

    func testTheHostThrowsAndCatchesByTag() throws {
        let wat = """
            (module
              (import "host" "tag" (tag $e (param i64)))
              (import "host" "fail" (func $fail (param i64)))
              (func (export "caught") (result i64)
                (block $h (result i64)
                  (try_table (catch $e $h) (call $fail (i64.const 12)))
                  (i64.const -1)))
              (func (export "uncaught") (call $fail (i64.const 5))))
            """
        let tag = try Tag.create(parameters: [.i64])
        XCTAssertEqual(tag.parameters, [.i64])
        let imports = Imports()
        try imports.define("host", "tag", .tag(tag))
        try imports.define("host", "fail", parameters: [.i64], results: []) { _, args in
            guard case .i64(let value) = args[0] else { return [] }
            throw WasmException(tag: tag, values: [.i64(value * 2)])
        }
        for level in levels {
            let instance = try load(wat, level: level).instantiate(imports: imports)
            XCTAssertEqual(try instance.call("caught"), [.i64(24)], "-O\(level)")
            XCTAssertThrowsError(try instance.call("uncaught")) { error in
                XCTAssertEqual((error as? KilnError)?.exception?.tagIdentity, tag.identity, "-O\(level)")
                XCTAssertEqual((error as? KilnError)?.exception?.values, [.i64(10)], "-O\(level)")
                XCTAssertEqual((error as? KilnError)?.message, "uncaught exception: a host tag", "-O\(level)")
            }
        }
    }

    func testATagImportOfAnotherTypeDoesNotLink() throws {
        let exporter = try load("(module (tag (export \"e\") (param i32)))", level: 0).instantiate()
        let imports = Imports()
        try imports.define("m", "e", exporter.export("e")!)
        XCTAssertThrowsError(try load("(module (import \"m\" \"e\" (tag (param i64))))", level: 0).instantiate(imports: imports)) { error in
            XCTAssertTrue((error as? KilnError)?.message.hasPrefix("incompatible import type") ?? false)
        }
    }

    /// "A Wasm function that does not throw pays nothing": without tags or exception instructions a
    /// module's functions stay `nounwind` with plain calls, as before exception handling existed;
    /// with them, only a call a try_table covers becomes an invoke with a landing pad.
    func testOnlyCoveredCallsGetLandingPads() throws {
        let plain = """
            (module
              (import "m" "f" (func $f (param i32) (result i32)))
              (func (export "g") (param i32) (result i32) (call $f (local.get 0))))
            """
        let partly = """
            (module
              (import "m" "f" (func $f (param i32) (result i32)))
              (tag $e)
              (func (export "uncovered") (param i32) (result i32) (call $f (local.get 0)))
              (func (export "covered") (param i32) (result i32)
                (block $h
                  (try_table (catch $e $h) (drop (call $f (local.get 0)))))
                (i32.const 0)))
            """
        let plainIR = try optimisedWasmFunctions(plain)
        XCTAssertFalse(plainIR.isEmpty)
        for (name, body) in plainIR {
            XCTAssertFalse(body.contains("invoke ") || body.contains("landingpad"), name)
            XCTAssertTrue(body.contains("nounwind"), "\(name) should be nounwind")
        }
        let partlyIR = try optimisedWasmFunctions(partly)
        // Function 0 is the import.
        let uncovered = try XCTUnwrap(partlyIR.first { $0.name.hasPrefix("@\"wasm[1]") })
        let covered = try XCTUnwrap(partlyIR.first { $0.name.hasPrefix("@\"wasm[2]") })
        XCTAssertTrue(covered.body.contains("landingpad"))
        XCTAssertFalse(uncovered.body.contains("invoke ") || uncovered.body.contains("landingpad"))
    }
}
