import Crypto
import Foundation
import Kiln
@testable import KilnCache
import KilnCompiler
import Testing

/// Entries that are truncated, altered, or refused by the loader are misses: removed and rebuilt.
@Suite struct IntegrityTests {
    let options = CompileOptions(optimizationLevel: 1)

    func run(_ loaded: LoadedModule, _ n: Int32) throws -> [Value] {
        try loaded.module.instantiate().call("sum", [.i32(n)])
    }

    @Test func aFlippedByteIsDetectedAndRebuilt() throws {
        let directory = makeCacheDirectory()
        defer { removeDirectory(directory) }
        let cache = try CompilationCache.open(directory: directory)
        let wasm = try sumModule()
        let first = try cache.compiledModule(for: wasm, options: options)
        var bytes = fileBytes(first.entryPath)
        bytes[bytes.count / 2] ^= 0x40
        try overwrite(first.entryPath, with: bytes)

        #expect(cache.lookup(first.key) == nil)
        #expect(!exists(first.entryPath))
        let rebuilt = try cache.loadModule(for: wasm, options: options)
        #expect(!rebuilt.artifact.wasHit && rebuilt.artifact.sha256 == first.sha256)
        #expect(try run(rebuilt, 4) == [.i32(10)])
        #expect(try cache.compiledModule(for: wasm, options: options).wasHit)
    }

    @Test func aTruncatedFileIsDetectedAndRebuilt() throws {
        let directory = makeCacheDirectory()
        defer { removeDirectory(directory) }
        let cache = try CompilationCache.open(directory: directory)
        let wasm = try sumModule()
        let first = try cache.compiledModule(for: wasm, options: options)
        try overwrite(first.entryPath, with: Array(fileBytes(first.entryPath).prefix(1000)))

        let again = try cache.loadModule(for: wasm, options: options)
        #expect(!again.artifact.wasHit)
        #expect(fileBytes(first.entryPath).count == Int(first.size))
        #expect(try run(again, 5) == [.i32(15)])
    }

    @Test func anAlteredRecordIsAMiss() throws {
        let directory = makeCacheDirectory()
        defer { removeDirectory(directory) }
        let cache = try CompilationCache.open(directory: directory)
        let wasm = try sumModule()
        let first = try cache.compiledModule(for: wasm, options: options)
        let record = cache.metadataPath(for: first.key)
        try overwrite(record, with: Array("{not json".utf8))
        #expect(try !cache.compiledModule(for: wasm, options: options).wasHit)
        // A record moved onto another key names its own key, so it is refused too.
        let other = try cache.key(for: try sumModule(seed: 1), options: options)
        try FileManager.default.copyItem(atPath: record, toPath: cache.metadataPath(for: other))
        try FileManager.default.copyItem(atPath: first.entryPath, toPath: cache.path(for: other))
        #expect(cache.lookup(other) == nil)
        #expect(!exists(cache.path(for: other)))
    }

    /// A file whose digest matches its record but that the loader refuses (not a shared object),
    /// or whose descriptor reports another fingerprint, is discarded and compiled again.
    @Test func anEntryFailingTheDescriptorCheckIsRebuilt() throws {
        let directory = makeCacheDirectory()
        defer { removeDirectory(directory) }
        let cache = try CompilationCache.open(directory: directory)
        let wasm = try sumModule()
        let first = try cache.compiledModule(for: wasm, options: options)
        let otherLevel = try cache.compiledModule(for: wasm, options: CompileOptions(optimizationLevel: 0))
        for replacement in [Array("not an ELF file".utf8), fileBytes(otherLevel.entryPath)] {
            try overwrite(first.entryPath, with: replacement)
            var record = try #require(EntryMetadata.read(cache.metadataPath(for: first.key)))
            record.size = UInt64(replacement.count)
            record.sha256 = SHA256.hash(data: replacement).hexString
            try record.write(to: cache.metadataPath(for: first.key), scratch: cache.scratch)
            #expect(cache.lookup(first.key)?.sha256 == record.sha256)

            let loaded = try cache.loadModule(for: wasm, options: options)
            #expect(!loaded.artifact.wasHit && loaded.artifact.sha256 == first.sha256)
            #expect(try run(loaded, 3) == [.i32(6)])
        }
    }

    /// What is loaded is the copy that was verified: changing the entry afterwards cannot reach it.
    @Test func theLoadPathHoldsTheVerifiedBytes() throws {
        let directory = makeCacheDirectory()
        defer { removeDirectory(directory) }
        let cache = try CompilationCache.open(directory: directory)
        let wasm = try sumModule()
        _ = try cache.compiledModule(for: wasm, options: options)
        let hit = try cache.compiledModule(for: wasm, options: options)
        #expect(hit.wasHit)
        try overwrite(hit.entryPath, with: Array("tampered".utf8))
        #expect(SHA256.hash(data: fileBytes(hit.loadPath)).hexString == hit.sha256)
        let module = try Module(path: hit.loadPath)
        #expect(try module.instantiate().call("sum", [.i32(2)]) == [.i32(3)])
    }
}
