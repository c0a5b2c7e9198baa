import Foundation
import Kiln
import KilnCompiler
import WAT

/// Helpers of the embedding tests: compiling WAT to a chosen path (reload needs the same path
/// twice), and probes of this process (mappings, RSS).
enum Embedding {
    /// A fresh private directory for one test's files, spelled as /proc/self/maps will show it.
    static func scratchDirectory() throws -> String {
        let path = URL(fileURLWithPath: NSTemporaryDirectory()).resolvingSymlinksInPath()
            .appendingPathComponent("kiln-embedding-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Compiles WAT to `path`; the compiler renames a new file into place, as `kiln compile` does.
    static func compile(_ wat: String, to path: String) throws {
        try Compiler(options: CompileOptions(optimizationLevel: 1)).compile(wasm: try wat2wasm(wat), to: path)
    }

    /// True if a line of /proc/self/maps mentions `needle`. Read line by line with stdio:
    /// String(contentsOfFile:) trusts the file's size, which procfs reports as 0, and stops early.
    static func mapsContain(_ needle: String) -> Bool {
        guard let file = fopen("/proc/self/maps", "r") else { return false }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 4096)
        while fgets(&line, Int32(line.count), file) != nil {
            if String(cString: line).contains(needle) { return true }
        }
        return false
    }

    /// Resident set size in bytes.
    static func residentBytes() -> Int {
        let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// A counter module: `version` returns `version`, `bump` adds `step` to a global and stores it
    /// at address 0, `stored` reads it back.
    static func counterWAT(version: Int32, step: Int32) -> String {
        """
        (module
          (memory (export "memory") 1)
          (global $count (mut i32) (i32.const 0))
          (func (export "version") (result i32) (i32.const \(version)))
          (func (export "bump") (result i32)
            (global.set $count (i32.add (global.get $count) (i32.const \(step))))
            (i32.store (i32.const 0) (global.get $count))
            (global.get $count))
          (func (export "stored") (result i32) (i32.load (i32.const 0))))
        """
    }
}

extension Instance {
    /// Calls a () -> i32 export.
    func int(_ name: String, _ args: [Value] = []) throws -> Int32 {
        guard case .i32(let v)? = try call(name, args).first else { throw KilnError("\(name) returned no i32") }
        return v
    }
}
