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

/// A module whose optimising compile never finishes (killed, out of memory, crashing) is tried a
/// few times, not once per run for ever.
@Suite struct BackgroundAttemptTests {
    let optimised = CompileOptions(optimizationLevel: 2)

    @Test func unfinishedAttemptsStopFurtherCompilesForAWhile() throws {
        let directory = makeCacheDirectory()
        defer { removeDirectory(directory) }
        let cache = try CompilationCache.open(directory: directory)
        let wasm = try sumModule(seed: 8)
        let key = try cache.key(for: wasm, options: optimised)

        // As the limit of compiles would leave it had each been killed before publishing.
        var attempts = BackgroundAttempts(path: cache.attemptsPath(for: key))
        for _ in 0..<BackgroundAttempts.limit { try attempts.recordAttempt(scratch: cache.scratch) }
        #expect(BackgroundAttempts(path: cache.attemptsPath(for: key)).count == BackgroundAttempts.limit)
        #expect(!cache.wantsBackgroundCompile(key))
        #expect(try cache.compileInBackground(wasm: wasm, options: optimised, key: key) == .gaveUp)
        #expect(cache.list().isEmpty)
        // Pruning keeps a recent record; clearing the cache forgets it.
        cache.prune()
        #expect(exists(cache.attemptsPath(for: key)))
        cache.clear()
        #expect(!exists(cache.attemptsPath(for: key)))
        #expect(cache.wantsBackgroundCompile(key))

        // One unfinished attempt does not stop the next, and a finished one leaves no record.
        var one = BackgroundAttempts(path: cache.attemptsPath(for: key))
        try one.recordAttempt(scratch: cache.scratch)
        #expect(one.count == 1)
        #expect(try cache.compileInBackground(wasm: wasm, options: optimised, key: key) == .compiled)
        #expect(!exists(cache.attemptsPath(for: key)))
    }

    @Test func attemptsOlderThanTheWindowNoLongerCount() throws {
        let directory = makeCacheDirectory()
        defer { removeDirectory(directory) }
        let cache = try CompilationCache.open(directory: directory)
        let wasm = try sumModule(seed: 9)
        let key = try cache.key(for: wasm, options: optimised)
        let dayAndAMinuteAgo = Date().timeIntervalSince1970 - BackgroundAttempts.window - 60
        try "\(BackgroundAttempts.limit) \(dayAndAMinuteAgo)\n".write(
            toFile: cache.attemptsPath(for: key), atomically: true, encoding: .utf8)
        #expect(!BackgroundAttempts(path: cache.attemptsPath(for: key)).exhausted)
        #expect(cache.wantsBackgroundCompile(key))
        cache.prune()
        #expect(!exists(cache.attemptsPath(for: key)))
    }
}
