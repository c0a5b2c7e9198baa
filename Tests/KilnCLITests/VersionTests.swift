import Foundation
import Testing

/// `kiln --version` names what a compiled module must match: Kiln, the runtime ABI and LLVM.
@Suite struct VersionTests {
    @Test func versionNamesKilnTheABIAndLLVM() throws {
        let result = try Workspace().kiln("--version")
        #expect(result.status == 0, "\(result.errors)")
        let line = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line.wholeMatch(of: /kiln \d+\.\d+\.\d+ \(ABI \d+, LLVM 19\.\d+\.\d+\)/) != nil, "\(line)")
    }
}
