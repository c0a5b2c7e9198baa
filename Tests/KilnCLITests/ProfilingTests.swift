import Foundation
import Testing

/// `kiln run --profile perf` loads a cached module from a file that outlives the run, so that
/// `perf report` (which reads symbols after the process is gone) names its Wasm functions.
@Suite struct ProfilingTests {
    static let probe = """
        (module
          (func $kiln_perf_probe_spin (export "spin") (param i32) (result i32) (local i32)
            (loop $again
              (local.set 1 (i32.add (local.get 1) (i32.mul (local.get 0) (i32.const 7))))
              (br_if $again (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
            (local.get 1)))
        """

    @Test func theCodeIsLoadedFromAFileThatNamesTheFunctions() throws {
        let ws = try Workspace()
        try ws.write("probe.wat", Self.probe)
        let result = try ws.kiln("run", "--profile", "perf", "--invoke", "spin", "probe.wat", "10")
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output == "385\n")
        let path = try #require(result.errors.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(path.hasSuffix(".so"), "\(result.errors)")
        // The symbol perf will show: the function's name section name.
        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(bytes.range(of: Data("kiln_perf_probe_spin".utf8)) != nil)
        // Without the cache there is no verified copy to profile from: one clear error.
        let uncached = try ws.kiln("run", "--no-cache", "--profile", "perf", "--invoke", "spin", "probe.wat", "10")
        #expect(uncached.status == 1)
        #expect(uncached.errors.contains("--profile perf needs the compilation cache"), "\(uncached.errors)")
    }

    /// With perf on the machine (and allowed to sample), the report names the Wasm function. (At
    /// -O1, so that the loop is not folded into a formula and the samples land in it.)
    @Test func perfReportNamesTheWasmFunction() throws {
        guard let perf = ["/usr/bin/perf", "/usr/local/bin/perf"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return  // perf is not installed here: the test above checks what kiln itself does.
        }
        let ws = try Workspace()
        try ws.write("probe.wat", Self.probe)
        let data = ws.path + "/perf.data"
        let record = try Self.run(perf, ["record", "-q", "-e", "cpu-clock", "-o", data, KilnProcess.executable, "run",
                                         "-O1", "--profile", "perf", "--invoke", "spin", "probe.wat", "300000000"], in: ws)
        guard record.status == 0 else { return }  // sampling not permitted (perf_event_paranoid)
        let report = try Self.run(perf, ["report", "-i", data, "--stdio", "--no-children", "--sort", "sym"], in: ws)
        #expect(report.output.contains("kiln_perf_probe_spin"), "\(report.output.prefix(2000))")
    }

    private static func run(_ tool: String, _ arguments: [String], in ws: Workspace) throws -> KilnProcess.Result {
        try KilnProcess.run(
            arguments, environment: ["KILN_CACHE_DIR": ws.cacheDirectory, "KILN_BACKGROUND_COMPILE": "0"], in: ws.path, tool: tool)
    }
}
