import Foundation
import Kiln
import KilnCompiler
import XCTest

/// `CompileOptions.interruptible` and `Instance.interrupter`: a host stops a guest that never
/// returns, at every optimisation level, and the instance stays usable.
final class InterruptionTests: XCTestCase {
    static let spinner = """
        (module
          (global $turns (mut i32) (i32.const 0))
          ;; A loop with no call in it: only the check on each iteration can stop it.
          (func (export "spin") (loop $forever (global.set $turns (i32.add (global.get $turns) (i32.const 1))) (br $forever)))
          ;; Recursion without end: function entries check (and would exhaust the stack anyway).
          (func $deep (export "deep") (param i32) (call $deep (i32.add (local.get 0) (i32.const 1))))
          (func (export "turns") (result i32) (global.get $turns))
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
        """

    func testAnInfiniteLoopIsInterruptedAndTheInstanceStaysUsable() throws {
        for level in 0...3 {
            let instance = try compileAndLoad(Self.spinner, options: CompileOptions(optimizationLevel: level, interruptible: true))
                .instantiate()
            defer { instance.close() }
            for round in 1...2 {
                let interrupter = instance.interrupter
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { interrupter.interrupt() }
                XCTAssertThrowsError(try instance.call("spin"), "-O\(level) round \(round)") { error in
                    XCTAssertEqual((error as? KilnError)?.message, "interrupted", "-O\(level)")
                }
                // The loop ran, and stopped: its global counted the turns it made.
                XCTAssertGreaterThan(try instance.call("turns").first?.asI32 ?? 0, 0, "-O\(level)")
                XCTAssertEqual(try instance.call("add", [.i32(2), .i32(3)]).first?.asI32, 5, "-O\(level)")
            }
        }
    }

    /// An interrupt that finds no call running ends the next call at once, then is used up.
    func testAnInterruptBetweenCallsEndsTheNextCall() throws {
        let instance = try compileAndLoad(Self.spinner, options: CompileOptions(interruptible: true)).instantiate()
        defer { instance.close() }
        instance.interrupter.interrupt()
        XCTAssertThrowsError(try instance.call("add", [.i32(1), .i32(1)])) { error in
            XCTAssertEqual((error as? KilnError)?.message, "interrupted")
        }
        XCTAssertEqual(try instance.call("add", [.i32(1), .i32(1)]).first?.asI32, 2)
    }

    /// The raised stack limit is how an interrupt is delivered: a real exhaustion, with no
    /// interrupt, is still reported as one.
    func testRecursionWithoutAnInterruptStillExhaustsTheStack() throws {
        let instance = try compileAndLoad(Self.spinner, options: CompileOptions(interruptible: true)).instantiate()
        defer { instance.close() }
        XCTAssertThrowsError(try instance.call("deep", [.i32(0)])) { error in
            XCTAssertEqual((error as? KilnError)?.message, "call stack exhausted")
        }
    }

    /// The option is in the fingerprint, and so in every cache key.
    func testInterruptibleCodeHasItsOwnFingerprint() throws {
        let plain = try CompilerFingerprint.current(for: CompileOptions()).description
        let interruptible = try CompilerFingerprint.current(for: CompileOptions(interruptible: true)).description
        XCTAssertFalse(plain.contains("interruptible"))
        XCTAssertEqual(interruptible, plain + "; interruptible")
    }
}
