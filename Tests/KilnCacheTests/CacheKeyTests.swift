import Foundation
import Crypto
@testable import KilnCache
import KilnCompiler
import struct KilnFrontend.FeatureSet
import Testing

/// Every input the key documents changes it; nothing else does.
@Suite struct CacheKeyTests {
    @Test func eachFingerprintFieldChangesTheKey() throws {
        let fingerprint = try CompilerFingerprint.current(for: CompileOptions())
        let wasm = SHA256.hash(data: try sumModule())
        let base = CacheKey.Inputs(fingerprint)
        let reference = CacheKey(wasmDigest: wasm, inputs: base)
        #expect(reference == CacheKey(wasmDigest: wasm, inputs: base))
        #expect(reference.hex.count == 64)

        let fields: [WritableKeyPath<CacheKey.Inputs, String>] = [
            \.kiln, \.abi, \.llvm, \.triple, \.cpu, \.cpuFeatures, \.optimizationLevel, \.fingerprint,
        ]
        var keys: Set<String> = [reference.hex]
        for field in fields {
            var changed = base
            changed[keyPath: field] += "x"
            keys.insert(CacheKey(wasmDigest: wasm, inputs: changed).hex)
        }
        #expect(keys.count == fields.count + 1)
        // Lengths are part of the stream: moving a character between fields changes the key.
        var shifted = base
        shifted.kiln += String(shifted.abi.removeFirst())
        #expect(CacheKey(wasmDigest: wasm, inputs: shifted) != reference)
    }

    @Test func optionsAndBytesChangeTheKeyThroughThePublicAPI() throws {
        let directory = makeCacheDirectory()
        defer { removeDirectory(directory) }
        let cache = try CompilationCache.open(directory: directory)
        let wasm = try sumModule()
        let o2 = try cache.key(for: wasm, options: CompileOptions(optimizationLevel: 2))
        #expect(o2 == (try cache.key(for: wasm, options: CompileOptions(optimizationLevel: 2))))
        #expect(o2 != (try cache.key(for: wasm, options: CompileOptions(optimizationLevel: 3))))
        #expect(o2 != (try cache.key(for: wasm, options: CompileOptions(optimizationLevel: 2, cpu: "generic"))))
        #expect(o2 != (try cache.key(for: try sumModule(seed: 1), options: CompileOptions(optimizationLevel: 2))))
        var noSIMD = FeatureSet.default
        noSIMD.remove(.simd)
        #expect(o2 != (try cache.key(for: wasm, options: CompileOptions(optimizationLevel: 2, features: noSIMD))))
        #expect(o2.wasmSHA256 == SHA256.hash(data: wasm).hexString)
        #expect(cache.path(for: o2) == directory + "/\(o2.hex).so")
    }

    @Test func theFingerprintRecordsTheEnabledProposals() throws {
        var noSIMD = FeatureSet.default
        noSIMD.remove(.simd)
        noSIMD.remove(.relaxedSimd)
        let standard = try CompilerFingerprint.current(for: CompileOptions()).description
        let withoutSIMD = try CompilerFingerprint.current(for: CompileOptions(features: noSIMD)).description
        #expect(standard.hasSuffix("; wasm reference-types,simd,bulk-memory,multi-value,sign-extension,nontrapping-float-to-int,exception-handling,tail-call,function-references,extended-const,multi-memory,memory64,relaxed-simd,threads"))
        #expect(withoutSIMD.hasSuffix("; wasm reference-types,bulk-memory,multi-value,sign-extension,nontrapping-float-to-int,exception-handling,tail-call,function-references,extended-const,multi-memory,memory64,threads"))
    }

    @Test func locationAndSizeComeFromTheEnvironment() throws {
        #expect(try CacheLocation.directory(environment: ["KILN_CACHE_DIR": "/a", "XDG_CACHE_HOME": "/b", "HOME": "/c"]) == "/a")
        #expect(try CacheLocation.directory(environment: ["XDG_CACHE_HOME": "/b", "HOME": "/c"]) == "/b/kiln")
        #expect(try CacheLocation.directory(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/c"]) == "/c/.cache/kiln")
        #expect(try CacheLocation.maxSize(environment: [:]) == 1 << 30)
        #expect(try CacheLocation.maxSize(environment: ["KILN_CACHE_MAX_SIZE": "512M"]) == 512 << 20)
        #expect(CacheLocation.parseSize("2GiB") == 2 << 30 && CacheLocation.parseSize("1000") == 1000)
        #expect(CacheLocation.parseSize("lots") == nil)
    }

    @Test func theDirectoryIsCreatedPrivate() throws {
        let directory = makeCacheDirectory() + "/nested/kiln"
        defer { removeDirectory(directory) }
        _ = try CompilationCache.open(directory: directory)
        let mode = try FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int
        #expect(mode == 0o700)
    }
}
