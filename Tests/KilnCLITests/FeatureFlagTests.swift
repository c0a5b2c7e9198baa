import Foundation
import Testing

/// `--feature` / `--no-feature`, shared by compile, run, bench and wast.
@Suite struct FeatureFlagTests {
    static let simd = """
        (module (func (export "splat") (result i32) (i32x4.extract_lane 0 (i32x4.splat (i32.const 7)))))
        """

    @Test func noFeatureSimdRejectsASimdModuleByName() throws {
        let ws = try Workspace()
        try ws.write("simd.wat", Self.simd)
        #expect(try ws.kiln("run", "--invoke", "splat", "simd.wat").output.trimmingCharacters(in: .whitespacesAndNewlines) == "7")
        let result = try ws.kiln("compile", "simd.wat", "--no-feature", "simd")
        #expect(result.status != 0)
        #expect(result.errors.contains("SIMD (i32x4.splat) is not enabled (--feature simd enables it)"), "\(result.errors)")
        #expect(result.errors.contains("simd.wat: malformed module at byte offset"), "\(result.errors)")
    }

    /// Turning a proposal off takes the defaults that need it along (relaxed SIMD with SIMD,
    /// exception handling with reference types); asking for both by name is an error.
    @Test func disablingAProposalDisablesTheDefaultsBuiltOnIt() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        #expect(try ws.kiln("compile", "add.wat", "-o", "a.so", "--no-feature", "simd").status == 0)
        #expect(try ws.kiln("compile", "add.wat", "-o", "b.so", "--no-feature", "reference-types").status == 0)
        let conflict = try ws.kiln("compile", "add.wat", "-o", "c.so", "--feature", "relaxed-simd", "--no-feature", "simd")
        #expect(conflict.status != 0)
        #expect(conflict.errors.contains("relaxed-simd needs simd, which is disabled"), "\(conflict.errors)")
    }

    @Test func anUnsupportedProposalCannotBeEnabled() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        let result = try ws.kiln("compile", "add.wat", "--feature", "gc")
        #expect(result.status != 0)
        #expect(result.errors.contains("Kiln does not support GC yet"), "\(result.errors)")
        let unknown = try ws.kiln("compile", "add.wat", "--feature", "telepathy")
        #expect(unknown.status != 0)
        #expect(unknown.errors.contains("unknown feature 'telepathy'"), "\(unknown.errors)")
    }

    @Test func helpListsEveryProposalAndItsState() throws {
        let ws = try Workspace()
        for command in ["compile", "run", "bench", "wast"] {
            let help = try ws.kiln(command, "--help").output
            #expect(help.contains("--no-feature <name>"), "\(command)")
            let lines = help.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(lines.contains { $0.hasPrefix("simd") && $0.hasSuffix(" on") }, "\(command)")
            #expect(lines.contains { $0.hasPrefix("tail-call") && $0.hasSuffix(" on") }, "\(command)")
            #expect(lines.contains { $0.hasPrefix("threads") && $0.hasSuffix(" on") }, "\(command)")
            #expect(lines.contains { $0.hasPrefix("gc") && $0.hasSuffix(" not supported yet") }, "\(command)")
        }
    }

    @Test func theWastRunnerTakesTheSameFlags() throws {
        let ws = try Workspace()
        try ws.write("simd.wast", """
            \(Self.simd)
            (assert_return (invoke "splat") (i32.const 7))
            """)
        let enabled = try ws.kiln("wast", "simd.wast")
        // The module and the assertion.
        #expect(enabled.output.contains("2 passed, 0 failed"), "\(enabled.output) \(enabled.errors)")
        let disabled = try ws.kiln("wast", "simd.wast", "--no-feature", "simd")
        #expect(disabled.status != 0)
        #expect((disabled.output + disabled.errors).contains("SIMD (i32x4.splat) is not enabled"), "\(disabled.output) \(disabled.errors)")
    }
}
