import Foundation
import KilnCache
import KilnCompiler
import Testing

/// The safety properties that need real processes: concurrent compiles, a writer killed mid-write,
/// and entries outliving the process that made them.
@Suite(.serialized) struct ProcessSafetyTests {
    func writeModule(_ directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/sum.wasm"
        try Data(try sumModule(seed: 7)).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func eightProcessesOnOneUncachedModuleCompileItOnce() throws {
        let work = makeCacheDirectory()
        defer { removeDirectory(work) }
        let wasm = try writeModule(work + "-input")
        defer { removeDirectory(work + "-input") }
        let probes = (0..<8).map { _ in ProbeProcess(cacheDirectory: work, wasmPath: wasm, export: "sum", arguments: ["100"]) }
        for probe in probes { try probe.start() }
        let results = probes.map { $0.finish() }
        for result in results {
            #expect(result.status == 0, "\(result.errors)")
            #expect(result.output.field("result") == "5057")
        }
        let origins = results.compactMap { $0.output.field("origin") }
        #expect(origins.filter { $0 == "compiled" }.count == 1)
        #expect(origins.filter { $0 == "hit" }.count == 7)
        let stats = try CompilationCache.open(directory: work).stats()
        #expect(stats.entries == 1 && stats.misses == 1 && stats.hits == 7)
    }

    @Test func aWriterKilledMidWriteLeavesNoEntryAndTheNextRunSucceeds() throws {
        let work = makeCacheDirectory()
        defer { removeDirectory(work) }
        let wasm = try writeModule(work + "-input")
        defer { removeDirectory(work + "-input") }
        let probe = ProbeProcess(
            cacheDirectory: work, wasmPath: wasm, export: "sum", arguments: ["10"],
            environment: ["KILN_CACHE_TEST_PAUSE_BEFORE_RENAME": "60"])
        try probe.start()
        #expect(probe.waitForError("paused"))
        kill(probe.process.processIdentifier, SIGKILL)
        let killed = probe.finish()
        #expect(killed.status == SIGKILL && killed.output.isEmpty)

        // The compiled module and its record were complete in the work directory, but nothing
        // was published and the key's lock died with the process.
        let names = try FileManager.default.contentsOfDirectory(atPath: work)
        #expect(!names.contains { $0.hasSuffix(".so") || $0.hasSuffix(".meta") })
        #expect(try !FileManager.default.contentsOfDirectory(atPath: work + "/tmp").isEmpty)
        let cache = try CompilationCache.open(directory: work)
        #expect(cache.stats().entries == 0)

        let next = try ProbeProcess.run(cacheDirectory: work, wasmPath: wasm, export: "sum", arguments: ["10"])
        #expect(next.status == 0, "\(next.errors)")
        #expect(next.output.field("result") == "62" && next.output.field("origin") == "compiled")
        // The dead writer's work files were swept away.
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/tmp").isEmpty)
        let again = try ProbeProcess.run(cacheDirectory: work, wasmPath: wasm, export: "sum", arguments: ["10"])
        #expect(again.output.field("origin") == "hit")
    }

    @Test func aCachedModuleSurvivesProcessRestarts() throws {
        let work = makeCacheDirectory()
        defer { removeDirectory(work) }
        let wasm = try writeModule(work + "-input")
        defer { removeDirectory(work + "-input") }
        let first = try ProbeProcess.run(cacheDirectory: work, wasmPath: wasm, export: "sum", arguments: ["3"])
        let second = try ProbeProcess.run(cacheDirectory: work, wasmPath: wasm, export: "sum", arguments: ["4"])
        #expect(first.output.field("origin") == "compiled" && first.output.field("result") == "13")
        #expect(second.output.field("origin") == "hit" && second.output.field("result") == "17")
    }
}
