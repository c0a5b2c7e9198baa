import Kiln
import KilnRuntimeC
import KilnCompiler
import XCTest

/// One version for the compiler and the runtime: kiln.h's KILN_VERSION_* (what the installed
/// library and its SONAME carry) must follow `kilnVersion` (what every cache key holds).
final class RuntimeVersionTests: XCTestCase {
    func testTheRuntimeAndTheCompilerHaveOneVersion() {
        XCTAssertEqual(runtimeVersion, kilnVersion)
    }

    /// The header's numbers, which hosts compare at build time, say the same as its string.
    func testTheHeadersVersionNumbersMatchItsString() {
        XCTAssertEqual("\(KILN_VERSION_MAJOR).\(KILN_VERSION_MINOR).\(KILN_VERSION_PATCH)", KILN_VERSION_STRING)
    }
}
