import Foundation
import Kiln
@testable import KilnCache
import KilnCompiler
import Testing

@Suite struct EvictionAndLifetimeTests {
    let options = CompileOptions(optimizationLevel: 1)

    /// With room for two entries, a third insert evicts the least recently used one, and a module
    /// loaded from the evicted entry keeps running.
    @Test func evictionUnderTheCapRemovesTheLeastRecentlyUsed() throws {
        let directory = makeCacheDirectory()
        defer { removeDirectory(directory) }
        let probe = try CompilationCache.open(directory: directory)
        let entrySize = try probe.compiledModule(for: try sumModule(seed: 100), options: options).size
        probe.clear()
        let cache = try CompilationCache.open(directory: directory, maxSize: entrySize * 5 / 2)

        let a = try cache.loadModule(for: try sumModule(seed: 1), options: options)
        Thread.sleep(forTimeInterval: 0.01)
        let b = try cache.loadModule(for: try sumModule(seed: 2), options: options)
        Thread.sleep(forTimeInterval: 0.01)
        #expect(try cache.compiledModule(for: try sumModule(seed: 1), options: options).wasHit)
        Thread.sleep(forTimeInterval: 0.01)
        let c = try cache.compiledModule(for: try sumModule(seed: 3), options: options)

        #expect(Set(cache.list().map(\.key)) == [a.artifact.key.hex, c.key.hex])
        #expect(!exists(b.artifact.entryPath))
        #expect(cache.stats().bytes <= cache.maxSize)
        #expect(try b.module.instantiate().call("sum", [.i32(1)]) == [.i32(3)])
        #expect(try !cache.compiledModule(for: try sumModule(seed: 2), options: options).wasHit)
    }

    @Test func pruneClearListAndStats() throws {
        let directory = makeCacheDirectory()
        defer { removeDirectory(directory) }
        let cache = try CompilationCache.open(directory: directory)
        for seed in 0..<3 { _ = try cache.compiledModule(for: try sumModule(seed: Int32(seed)), options: options) }
        _ = try cache.compiledModule(for: try sumModule(seed: 0), options: options)
        var stats = cache.stats()
        #expect(stats.entries == 3 && stats.hits == 1 && stats.misses == 3 && stats.maxSize == 1 << 30)
        #expect(stats.bytes == cache.list().reduce(0) { $0 + $1.size })
        // Least recently used first: seed 0 was used last.
        #expect(cache.list().last?.key == (try cache.key(for: try sumModule(seed: 0), options: options)).hex)

        let pruned = cache.prune(maxSize: stats.bytes - 1)
        #expect(pruned.removedEntries == 1 && cache.list().count == 2)
        cache.clear()
        stats = cache.stats()
        #expect(stats.entries == 0 && stats.hits == 0 && stats.misses == 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(!leftovers.contains { $0.hasSuffix(".so") || $0.hasSuffix(".meta") || $0.count > 64 })
    }

    /// The wazero fault: two handles to the same compiled bytes are independent.
    @Test func closingOneHandleLeavesTheOtherRunning() throws {
        let directory = makeCacheDirectory()
        defer { removeDirectory(directory) }
        let cache = try CompilationCache.open(directory: directory)
        let wasm = try sumModule(seed: 5)
        let first = try cache.loadModule(for: wasm, options: options)
        let second = try cache.loadModule(for: wasm, options: options)
        #expect(!first.artifact.wasHit && second.artifact.wasHit)
        let instance = try first.module.instantiate()
        first.module.close()
        #expect(try second.module.instantiate().call("sum", [.i32(3)]) == [.i32(11)])
        #expect(try instance.call("sum", [.i32(1)]) == [.i32(6)])
        instance.close()
        try cache.remove(first.artifact.key)
        #expect(try second.module.instantiate().call("sum", [.i32(2)]) == [.i32(8)])
    }
}
