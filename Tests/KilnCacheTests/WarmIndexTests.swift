import CKilnCache
import Crypto
import Foundation
@testable import KilnCache
import KilnCompiler
import Testing

/// The cache's C side that the `kiln` launcher shares with the Swift cache: SHA-256, the warm
/// index, the last-use file and the hit counter.
@Suite struct WarmIndexTests {
    @Test func sha256AgreesWithSwiftCrypto() {
        var generator = SystemRandomNumberGenerator()
        for length in Array(0...200) + [1 << 20] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(cSHA256(bytes) == SHA256.hash(data: bytes).hexString, "length \(length)")
        }
        // Fed in uneven pieces, the same digest.
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var context = kiln_sha256()
        kiln_sha256_init(&context)
        var offset = 0
        for piece in [1, 63, 64, 65, 127, 1000, 3] where offset < bytes.count {
            let end = min(offset + piece, bytes.count)
            bytes[offset..<end].withUnsafeBytes { kiln_sha256_update(&context, $0.baseAddress, $0.count) }
            offset = end
        }
        bytes[offset...].withUnsafeBytes { kiln_sha256_update(&context, $0.baseAddress, $0.count) }
        var digest = [UInt8](repeating: 0, count: 32)
        kiln_sha256_final(&context, &digest)
        #expect(digest.hexString == SHA256.hash(data: bytes).hexString)
    }

    /// Each field of the index name changes it; the same fields give the same name.
    @Test func eachFieldChangesTheIndexName() {
        let wasm = String(repeating: "ab", count: 32)
        func name(_ kiln: String = "0.5.8", _ abi: UInt32 = 6, _ llvm: String = "19.1.7", _ digest: String = wasm) -> String {
            var out = [CChar](repeating: 0, count: 65)
            kiln_warm_index_name(kiln, abi, llvm, digest, &out)
            return String(cString: out)
        }
        let base = name()
        #expect(base == name())
        #expect(base.count == 64 && base.allSatisfy(\.isHexDigit))
        #expect(Set([base, name("0.5.9"), name("0.5.8", 7), name("0.5.8", 6, "19.1.8"),
                     name("0.5.8", 6, "19.1.7", String(repeating: "cd", count: 32))]).count == 5)
        var signature = [CChar](repeating: 0, count: 512)
        #expect(kiln_cpu_signature(&signature, 512) > 0)
        #expect(kiln_cpu_signature(&signature, 512) < 512)
    }

    /// The default options' optimised entry is recorded (once: a second record rewrites
    /// nothing); any other options' entry is not.
    @Test func onlyTheDefaultOptimisedEntryIsRecorded() throws {
        let directory = makeCacheDirectory()
        defer { removeDirectory(directory) }
        let cache = try CompilationCache.open(directory: directory)
        let fast = try cache.compiledModule(for: try sumModule(seed: 1), options: CompileOptions(optimizationLevel: 1))
        cache.recordWarmIndex(for: fast, options: CompileOptions(optimizationLevel: 1))
        // A fast-tier stand-in given with the default options (what a tiered run holds).
        cache.recordWarmIndex(for: fast, options: CompileOptions())
        #expect(warmRecords(directory).isEmpty)

        let optimised = try cache.compiledModule(for: try sumModule(seed: 1))
        cache.recordWarmIndex(for: optimised, options: CompileOptions())
        let records = warmRecords(directory)
        #expect(records.count == 1)
        let path = directory + "/warm/" + records[0]
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == """
            kiln-warm-record 1
            key \(optimised.key.hex)
            size \(optimised.size)
            sha256 \(optimised.sha256)
            fingerprint \(optimised.fingerprint)

            """)
        let fingerprint = try CompilationCache.fingerprint(for: CompileOptions())
        #expect(records[0] == CompilationCache.warmIndexName(wasmSHA256: optimised.key.wasmSHA256, fingerprint: fingerprint))
        let inode = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        cache.recordWarmIndex(for: optimised, options: CompileOptions())
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int == inode)

        // Its entry removed, the record is dangling: prune drops it.
        try cache.remove(optimised.key)
        cache.prune()
        #expect(warmRecords(directory).isEmpty)
    }

    /// `<key>.used` (the launcher's last use) counts for `list` and eviction, and goes with its
    /// entry.
    @Test func theLaunchersLastUseOrdersEviction() throws {
        let directory = makeCacheDirectory()
        defer { removeDirectory(directory) }
        let cache = try CompilationCache.open(directory: directory)
        let options = CompileOptions(optimizationLevel: 1)
        let a = try cache.compiledModule(for: try sumModule(seed: 1), options: options)
        Thread.sleep(forTimeInterval: 0.01)
        let b = try cache.compiledModule(for: try sumModule(seed: 2), options: options)
        #expect(cache.list().map(\.key) == [a.key.hex, b.key.hex])

        // The launcher ran a after b was last used by the Swift side.
        Thread.sleep(forTimeInterval: 0.01)
        #expect(FileManager.default.createFile(atPath: directory + "/\(a.key.hex).used", contents: nil))
        #expect(cache.list().map(\.key) == [b.key.hex, a.key.hex])
        let pruned = cache.prune(maxSize: a.size)
        #expect(pruned.removedEntries == 1)
        #expect(cache.list().map(\.key) == [a.key.hex])
        #expect(!FileManager.default.fileExists(atPath: directory + "/\(b.key.hex).used"))
        try cache.remove(a.key)
        #expect(!FileManager.default.fileExists(atPath: directory + "/\(a.key.hex).used"))
    }

    /// The launcher's hit counter is the one `kiln cache stats` reads.
    @Test func theCCounterIsWhatStatsRead() throws {
        let directory = makeCacheDirectory()
        defer { removeDirectory(directory) }
        let cache = try CompilationCache.open(directory: directory)
        #expect(kiln_cache_count(directory + "/stats", 0) == 0)
        #expect(kiln_cache_count(directory + "/stats", 0) == 0)
        #expect(kiln_cache_count(directory + "/stats", 2) == 0)
        #expect(kiln_cache_count(directory + "/stats", 3) == -1)
        let stats = cache.stats()
        #expect(stats.hits == 2 && stats.misses == 0 && stats.backgroundCompiles == 1)
    }
}

private func cSHA256(_ bytes: [UInt8]) -> String {
    var hex = [CChar](repeating: 0, count: 65)
    bytes.withUnsafeBytes { kiln_sha256_hex($0.baseAddress, $0.count, &hex) }
    return String(cString: hex)
}

private func warmRecords(_ directory: String) -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: directory + "/warm")) ?? []
}
