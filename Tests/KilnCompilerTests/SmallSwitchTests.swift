import Kiln
import KilnCompiler
import XCTest

/// `br_table`s small enough that the fast code generator gets them as compare chains
/// (small_switch_lowering.cpp): every selector, in range and out of it, must reach the same
/// target with the same block results at every level, including tables that name one target
/// twice (two edges into one block, so its phis have two entries for the same predecessor).
final class SmallSwitchTests: XCTestCase {
    /// `pick(selector, x)` leaves a different value per target: the innermost block adds 1 to x,
    /// the next 10, and so on; the default is the last label in the table's text.
    private func module(table labels: [Int], default defaultLabel: Int) -> String {
        let depth = (labels + [defaultLabel]).max()! + 1
        var body = "(local.get $x) (local.get $s) (br_table \(labels.map(String.init).joined(separator: " ")) \(defaultLabel))"
        for level in 0..<depth {
            body = "(block (result i32) \(body)) (i32.add (i32.const \(Self.bonus(level))))"
            if level + 1 < depth { body += " (return)" }
        }
        return """
            (module (func (export "pick") (param $s i32) (param $x i32) (result i32)
              \(body)))
            """
    }

    private static func bonus(_ level: Int) -> Int32 { [1, 10, 100, 1000, 10000][level] }

    func testSmallTablesReachTheirTargetsAtEveryLevel() throws {
        let tables: [([Int], Int)] = [
            ([0], 1), ([1, 0], 2), ([2, 0, 1], 3), ([0, 0, 1], 0), ([1, 1], 1), ([3, 2, 1, 0], 4),
        ]
        for (labels, defaultLabel) in tables {
            let wat = module(table: labels, default: defaultLabel)
            for level in 0...2 {
                let instance = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate()
                defer { instance.close() }
                let pick = try instance.function("pick")
                for selector: Int32 in [0, 1, 2, 3, 4, 5, -1, Int32.max] {
                    let target = selector >= 0 && Int(selector) < labels.count ? labels[Int(selector)] : defaultLabel
                    let got = try pick.call([.i32(selector), .i32(7)]).first?.asI32
                    XCTAssertEqual(got, 7 + Self.bonus(target), "table \(labels) default \(defaultLabel), -O\(level), selector \(selector)")
                }
            }
        }
    }
}
