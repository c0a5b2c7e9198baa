import Crypto
import KilnCompiler

/// The name of a cache entry: a SHA-256 over the Wasm bytes and everything that changes the
/// machine code Kiln makes of them (DESIGN.md, decision 7).
///
/// What goes in, in this order, each field as its UTF-8 text preceded by its length in bytes, so
/// that no two different inputs can run together into the same byte stream:
///
/// 1. the key format tag `kiln-cache-key/1` (change it to orphan every existing entry at once);
/// 2. the Kiln version;
/// 3. the runtime ABI version;
/// 4. the LLVM version;
/// 5. the target triple;
/// 6. the CPU name the code is generated for (the host CPU, `x86-64` for `--cpu generic`, or the
///    CPU named);
/// 7. the CPU features the target machine was created with (LLVM's `+a,-b,...` list);
/// 8. the optimisation level;
/// 9. the whole `CompilerFingerprint.description` — today it repeats 2 to 8, but a codegen
///    option added to the fingerprint later changes the key even before it is listed here;
/// 10. the SHA-256 of the Wasm bytes (hashing the digest rather than the bytes again saves a pass
///     over a large module; the digest is also recorded in the entry's metadata).
///
/// `CompileOptions` has no field that is not reflected in the fingerprint (its documentation
/// requires that), so the options need no separate place here.
public struct CacheKey: Hashable, Sendable, CustomStringConvertible {
    /// 64 lowercase hex digits; also the entry's file name stem.
    public let hex: String
    /// The SHA-256 of the Wasm bytes, in hex.
    public let wasmSHA256: String

    public init(wasm: [UInt8], fingerprint: CompilerFingerprint) {
        self.init(wasmDigest: SHA256.hash(data: wasm), inputs: Inputs(fingerprint))
    }

    init(wasmDigest: SHA256.Digest, inputs: Inputs) {
        var hasher = SHA256()
        for field in inputs.fields {
            var length = UInt64(field.utf8.count).littleEndian
            withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
            hasher.update(data: Array(field.utf8))
        }
        hasher.update(data: Array(wasmDigest))
        hex = hasher.finalize().hexString
        wasmSHA256 = wasmDigest.hexString
    }

    public var description: String { hex }

    /// The fingerprint fields that go into the key (items 1 to 9 above), separate from
    /// `CompilerFingerprint` so tests can vary each one.
    struct Inputs {
        var kiln, abi, llvm, triple, cpu, cpuFeatures, optimizationLevel, fingerprint: String

        init(_ f: CompilerFingerprint) {
            kiln = f.kiln
            abi = String(f.abiVersion)
            llvm = f.llvm
            triple = f.triple
            cpu = f.cpu
            cpuFeatures = f.cpuFeatures
            optimizationLevel = String(f.optimizationLevel)
            fingerprint = f.description
        }

        var fields: [String] {
            ["kiln-cache-key/1", kiln, abi, llvm, triple, cpu, cpuFeatures, optimizationLevel, fingerprint]
        }
    }
}

extension Sequence<UInt8> {
    var hexString: String {
        var text = ""
        for byte in self {
            text += String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16)
        }
        return text
    }
}
