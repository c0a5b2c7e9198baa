import Kiln
import KilnCompiler
import XCTest

/// `CompileOptions.metered` and fuel: metered code takes one unit at every function entry and
/// every loop iteration, the same at every optimisation level, and traps "all fuel consumed" at
/// the same point; the instance stays usable once it has fuel again.
final class FuelTests: XCTestCase {
    /// count(n) takes 1 + 2n units: its own entry, n loop iterations and n entries of $step
    /// (inlined at -O2 and -O3, which must not change the count).
    static let counter = """
        (module
          (global $turns (mut i32) (i32.const 0))
          (func $step (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
          (func (export "count") (param $n i32) (result i32)
            (local $i i32)
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $i (call $step (local.get $i)))
                (global.set $turns (i32.add (global.get $turns) (i32.const 1)))
                (br $next)))
            (local.get $i))
          (func (export "spin") (loop $forever (br $forever)))
          (func (export "turns") (result i32) (global.get $turns)))
        """

    private func meteredInstance(level: Int, fuel: UInt64?) throws -> Instance {
        let imports = Imports()
        if let fuel { imports.setFuel(fuel) }
        return try compileAndLoad(Self.counter, options: CompileOptions(optimizationLevel: level, metered: true))
            .instantiate(imports: imports)
    }

    func testEveryLevelTakesTheSameFuelAndTrapsAtTheSamePoint() throws {
        for level in 0...3 {
            let instance = try meteredInstance(level: level, fuel: 1000)
            defer { instance.close() }
            XCTAssertEqual(try instance.call("count", [.i32(100)]).first?.asI32, 100, "-O\(level)")
            XCTAssertEqual(instance.fuel, 1000 - 201, "-O\(level)")
            // 799 units: the entry, then 399 whole iterations of 2, then $step's entry finds none.
            XCTAssertThrowsError(try instance.call("count", [.i32(1000)]), "-O\(level)") { error in
                XCTAssertEqual((error as? KilnError)?.message, "all fuel consumed", "-O\(level)")
            }
            XCTAssertEqual(try? instance.call("turns").first?.asI32, nil, "-O\(level): an empty tank stops every call")
            XCTAssertEqual(instance.fuel, 0, "-O\(level)")
            instance.fuel = 10
            XCTAssertEqual(try instance.call("turns").first?.asI32, 100 + 399, "-O\(level)")
            XCTAssertEqual(try instance.call("count", [.i32(2)]).first?.asI32, 2, "-O\(level)")
            XCTAssertEqual(instance.fuel, 10 - 1 - 5, "-O\(level): turns took 1, count(2) 5")
        }
    }

    func testAnEndlessLoopRunsOutOfFuel() throws {
        let instance = try meteredInstance(level: 2, fuel: 100_000)
        defer { instance.close() }
        XCTAssertThrowsError(try instance.call("spin")) { error in
            XCTAssertEqual((error as? KilnError)?.message, "all fuel consumed")
        }
    }

    /// Without a setting the tank is as good as bottomless; code that is not metered never
    /// takes from it.
    func testFuelIsUnlimitedUnlessSetAndOnlyMeteredCodeTakesIt() throws {
        let unlimited = try meteredInstance(level: 2, fuel: nil)
        defer { unlimited.close() }
        XCTAssertEqual(try unlimited.call("count", [.i32(100)]).first?.asI32, 100)
        XCTAssertEqual(unlimited.fuel, UInt64(Int64.max) - 201)

        let imports = Imports()
        imports.setFuel(1)
        let plain = try compileAndLoad(Self.counter).instantiate(imports: imports)
        defer { plain.close() }
        XCTAssertEqual(try plain.call("count", [.i32(100)]).first?.asI32, 100)
        XCTAssertEqual(plain.fuel, 1)
    }

    /// The option is in the fingerprint, and so in every cache key.
    func testMeteredCodeHasItsOwnFingerprint() throws {
        let plain = try CompilerFingerprint.current(for: CompileOptions()).description
        let metered = try CompilerFingerprint.current(for: CompileOptions(metered: true)).description
        XCTAssertEqual(metered, plain + "; metered")
    }
}
