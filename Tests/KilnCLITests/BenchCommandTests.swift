import Foundation
import Testing

/// `kiln bench`: both engines run the module and must agree.
@Suite struct BenchCommandTests {
    @Test func invokeAgreesAndPrintsTable() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        let result = try ws.kiln("bench", "--invoke", "add", "--runs", "2", "add.wat", "40", "2")
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("both engines agree: results 42"))
        for row in ["compile", "instantiate", "run", "speedup (run):"] {
            #expect(result.output.contains(row))
        }
    }

    @Test func wasiCommandAgreesOnStdoutAndExitCode() throws {
        let ws = try Workspace()
        try ws.write("hello.wat", Modules.helloExit3)
        let result = try ws.kiln("bench", "--runs", "1", "hello.wat")
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("both engines agree: exit code 3, 5 bytes of stdout"))
    }
}
