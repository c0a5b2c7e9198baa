import CKilnCache
import Foundation
import KilnCompiler

/// The warm index (`Sources/CKilnCache/include/kiln_warm_index.h`): `<cache>/warm/<NAME>` names
/// the optimised entry of some wasm bytes, so that the `kiln` launcher, which is plain C and
/// cannot compute a cache key (that needs LLVM's host CPU name and features), finds it.
///
/// The name and the record are made by the same C functions the launcher uses, so they are
/// defined once. A record is only a hint: the launcher checks the entry's bytes, record file and
/// fingerprint, and sends anything that does not match to kiln-full, which comes back here.
extension CompilationCache {
    /// Records `artifact` as the entry the launcher may run for its wasm bytes, if it is the one
    /// the launcher would ask for: default compile options (no level, interruptible, metered,
    /// CPU or feature choice), at that level (a fast-tier stand-in is not: then the launcher must
    /// hand over, so that the tiered logic runs and the optimised entry is picked up later).
    /// Best effort: without a record the launcher only hands over.
    public func recordWarmIndex(for artifact: CachedArtifact, options: CompileOptions) {
        guard options == CompileOptions(), let fingerprint = try? Self.fingerprint(for: options),
              artifact.fingerprint == fingerprint.description
        else { return }
        let name = Self.warmIndexName(wasmSHA256: artifact.key.wasmSHA256, fingerprint: fingerprint)
        _ = kiln_warm_record_write(directory, name, artifact.key.hex, artifact.size, artifact.sha256, artifact.fingerprint)
    }

    /// The record's file name for these wasm bytes on this machine (`kiln_warm_index_name`).
    static func warmIndexName(wasmSHA256: String, fingerprint: CompilerFingerprint) -> String {
        var name = [CChar](repeating: 0, count: 65)
        kiln_warm_index_name(fingerprint.kiln, UInt32(fingerprint.abiVersion), fingerprint.llvm, wasmSHA256, &name)
        return String(cString: name)
    }

    var warmDirectory: String { directory + "/warm" }

    /// Removes records whose entry is gone (all of them with `all`). A dangling record only costs
    /// the launcher a hand-over, but need not outlive its entry.
    func forgetWarmIndex(all: Bool) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: warmDirectory) else { return }
        for name in names {
            var key = [CChar](repeating: 0, count: 65)
            let path = warmDirectory + "/" + name
            let dangling = kiln_warm_record_key(directory, name, &key) != 0
                || access(directory + "/\(String(cString: key)).meta", F_OK) != 0
            if all || dangling { unlink(path) }
        }
    }
}
