import Foundation
import KilnCache
import WAT

/// A fresh cache directory under the system temporary directory, removed by `cleanUp`.
func makeCacheDirectory() -> String {
    let path = NSTemporaryDirectory() + "/kiln-cache-test-\(UUID().uuidString)"
    return path
}

func removeDirectory(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

/// A small module whose `sum` export adds 1..n in a loop; `seed` makes distinct modules (and so
/// distinct keys) that compute sum + seed.
func sumModule(seed: Int32 = 0) throws -> [UInt8] {
    try wat2wasm("""
        (module
          (func (export "sum") (param $n i32) (result i32) (local $acc i32)
            (local.set $acc (i32.const \(seed)))
            (block $done
              (loop $next
                (br_if $done (i32.eqz (local.get $n)))
                (local.set $acc (i32.add (local.get $acc) (local.get $n)))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $next)))
            (local.get $acc)))
        """)
}

/// Writes `bytes` over the file at `path`, which the cache made read-only.
func overwrite(_ path: String, with bytes: [UInt8]) throws {
    chmod(path, 0o644)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

func fileBytes(_ path: String) -> [UInt8] {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
}

func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
