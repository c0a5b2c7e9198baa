import Foundation
@testable import KilnCompiler
import XCTest

/// Where the code generator puts hot code (NativeTarget.swift says why).
final class CodeLayoutTests: XCTestCase {
    /// An innermost loop starts on a 32-byte boundary, LLVM's default being 16: a loop of up to
    /// 32 bytes then never straddles a 64-byte line. The code generator aligns only loop tops
    /// inside a function (`.p2align` before a block label); functions themselves start on 16.
    func testAnInnermostLoopStartsOnA32ByteBoundary() throws {
        let wat = """
            (module (memory 1)
              (func (export "count_zero_bytes") (param $p i32) (param $n i32) (result i32) (local $count i32)
                (loop $next
                  (local.set $count (i32.add (local.get $count) (i32.eqz (i32.load8_u (local.get $p)))))
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                (local.get $count)))
            """
        for level in [2, 3] {
            let lines = try compiledAssembly(wat, options: CompileOptions(optimizationLevel: level))
                .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let blockAlignments = lines.indices.dropLast().filter { lines[$0 + 1].hasPrefix(".LBB") }
                .compactMap { lines[$0].hasPrefix(".p2align") ? lines[$0] : nil }
            XCTAssertFalse(blockAlignments.isEmpty, "-O\(level): no aligned loop")
            for alignment in blockAlignments {
                XCTAssertTrue(alignment.hasPrefix(".p2align\t5"), "-O\(level): \(alignment)")
            }
        }
    }
}
