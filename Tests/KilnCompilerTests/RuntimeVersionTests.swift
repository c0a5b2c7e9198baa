import Kiln
import KilnCompiler
import XCTest

/// One version for the compiler and the runtime: kiln.h's KILN_VERSION_* (what the installed
/// library and its SONAME carry) must follow `kilnVersion` (what every cache key holds).
final class RuntimeVersionTests: XCTestCase {
    func testTheRuntimeAndTheCompilerHaveOneVersion() {
        XCTAssertEqual(runtimeVersion, kilnVersion)
    }
}
