import Foundation
import Kiln
@testable import KilnCache
import KilnCompiler
import Testing

/// The cache's half of tiered runs: a tiered load takes the optimised entry when there is one and
/// the fast tier otherwise; a background compile never waits for a lock and compiles a key once;
/// entries record their tier, and older records and counter files still read.
@Suite struct TierTests {
    let optimised = CompileOptions(optimizationLevel: 2)

    @Test func aTieredLoadUsesTheFastTierUntilTheOptimisedEntryExists() throws {
        let directory = makeCacheDirectory()
        defer { removeDirectory(directory) }
        let cache = try CompilationCache.open(directory: directory)
        let wasm = try sumModule(seed: 3)
        let key = try cache.key(for: wasm, options: optimised)

        let first = try cache.loadModuleTiered(for: wasm, options: optimised)
        #expect(first.pendingKey == key)
        #expect(first.loaded.artifact.key == (try cache.key(for: wasm, options: CompileOptions(optimizationLevel: 1))))
        #expect(try first.loaded.module.instantiate().call("sum", [.i32(4)]) == [.i32(13)])
        #expect(cache.wantsBackgroundCompile(key))

        #expect(try cache.compileInBackground(wasm: wasm, options: optimised, key: key) == .compiled)
        #expect(!cache.wantsBackgroundCompile(key))
        let second = try cache.loadModuleTiered(for: wasm, options: optimised)
        #expect(second.pendingKey == nil)
        #expect(second.loaded.artifact.key == key && second.loaded.artifact.wasHit)
        #expect(try second.loaded.module.instantiate().call("sum", [.i32(4)]) == [.i32(13)])

        let stats = cache.stats()
        #expect(stats.entriesPerTier == [.fast: 1, .optimised: 1])
        #expect(stats.misses == 1 && stats.hits == 1 && stats.backgroundCompiles == 1)
        #expect(cache.list().map(\.tier).contains(.fast) && cache.list().map(\.tier).contains(.optimised))
    }

    @Test func aBackgroundCompileNeverWaitsAndCompilesAKeyOnce() throws {
        let directory = makeCacheDirectory()
        defer { removeDirectory(directory) }
        let cache = try CompilationCache.open(directory: directory)
        let wasm = try sumModule(seed: 4)
        let key = try cache.key(for: wasm, options: optimised)

        // Another process compiling the key holds its lock: the background compile returns at once.
        do {
            let held = try #require(try FileLock(path: cache.lockPath(for: key), wait: false))
            #expect(!cache.wantsBackgroundCompile(key))
            #expect(try cache.compileInBackground(wasm: wasm, options: optimised, key: key) == .busy)
            #expect(cache.list().isEmpty)
            withExtendedLifetime(held) {}
        }
        #expect(try cache.compileInBackground(wasm: wasm, options: optimised, key: key) == .compiled)
        #expect(try cache.compileInBackground(wasm: wasm, options: optimised, key: key) == .alreadyCached)
        #expect(cache.list().map(\.optimizationLevel) == [2])
        #expect(cache.stats().backgroundCompiles == 1 && cache.stats().misses == 0)
    }

    @Test func recordsAndCountersFromBeforeTiersStillRead() throws {
        let directory = makeCacheDirectory()
        defer { removeDirectory(directory) }
        let cache = try CompilationCache.open(directory: directory)
        let wasm = try sumModule(seed: 6)
        let artifact = try cache.compiledModule(for: wasm, options: CompileOptions(optimizationLevel: 1))

        // A record as format 1 was first written: no optimizationLevel field.
        let path = cache.metadataPath(for: artifact.key)
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        #expect(json.removeValue(forKey: "optimizationLevel") as? Int == 1)
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        #expect(cache.list().first?.tier == .fast)
        #expect(cache.lookup(artifact.key) != nil)

        // A counter file of two counters, as before the background-compile count.
        var old = [UInt8]()
        for value in [UInt64(5), 7] { withUnsafeBytes(of: value.littleEndian) { old += $0 } }
        try Data(old).write(to: URL(fileURLWithPath: directory + "/stats"))
        let stats = cache.stats()
        #expect(stats.hits == 5 && stats.misses == 7 && stats.backgroundCompiles == 0)
    }
}
