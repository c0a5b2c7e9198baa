// kiln-cache-probe: one process using the compilation cache, for KilnCacheTests (which need the
// test hook below and machine-readable output that `kiln run` does not give). Not a user tool.
//
//   kiln-cache-probe [--cache-dir DIR] [--max-size BYTES] [-O N] MODULE.wasm EXPORT [I32 ...]
//       gets the module through the cache, calls EXPORT with i32 arguments and prints one line:
//       "result=<values> origin=hit|compiled cache-ms=<time in the cache call> run-ms=<load+call>"
//   --trace 1 also prints the time of the key and of a lookup to stderr (first, before the run).
//
// KILN_CACHE_TEST_PAUSE_BEFORE_RENAME=<seconds> makes a compiling probe print "paused" to stderr
// and sleep after writing the entry and before renaming it into place, so a test can kill it there.
import Foundation
import Kiln
import KilnCache
import KilnCompiler

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("kiln-cache-probe: \(message)\n".utf8))
    exit(2)
}

func milliseconds(since start: ContinuousClock.Instant) -> String {
    let elapsed = ContinuousClock.now - start
    let ms = Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15
    return String(format: "%.3f", ms)
}

/// A result as one word, so the output line splits on spaces.
func text(_ value: Value) -> String {
    switch value {
    case .i32(let v): "\(v)"
    case .i64(let v): "\(v)"
    default: "\(value)".replacingOccurrences(of: " ", with: "_")
    }
}

func call(_ module: Kiln.Module, _ export: String, _ arguments: [String]) -> String {
    let values = arguments.map { text -> Value in
        guard let value = Int32(text) else { fail("argument \(text) is not an i32") }
        return .i32(value)
    }
    do {
        return try module.instantiate().call(export, values).map(text).joined(separator: ",")
    } catch {
        fail("\(error)")
    }
}

var arguments = Array(CommandLine.arguments.dropFirst())
var options: [String: String] = [:]
while let first = arguments.first, first.hasPrefix("-") {
    guard arguments.count >= 2 else { fail("\(first) needs a value") }
    options[first] = arguments[1]
    arguments.removeFirst(2)
}
let compileOptions = CompileOptions(optimizationLevel: options["-O"].flatMap(Int.init) ?? 2)


guard arguments.count >= 2, let wasm = FileManager.default.contents(atPath: arguments[0]) else {
    fail("usage: kiln-cache-probe [--cache-dir DIR] [--max-size BYTES] [-O N] MODULE.wasm EXPORT [I32 ...]")
}
let pause = ProcessInfo.processInfo.environment["KILN_CACHE_TEST_PAUSE_BEFORE_RENAME"].flatMap(Double.init)
var hook: (@Sendable () -> Void)?
if let pause {
    hook = {
        FileHandle.standardError.write(Data("paused\n".utf8))
        Thread.sleep(forTimeInterval: pause)
    }
}
do {
    let cache = try CompilationCache.open(
        directory: options["--cache-dir"], maxSize: options["--max-size"].flatMap(UInt64.init), _beforePublish: hook)
    if options["--trace"] != nil {
        // Where a hit's time goes: the key (fingerprint + hashing) and the verified lookup.
        let keyStart = ContinuousClock.now
        let key = try cache.key(for: [UInt8](wasm), options: compileOptions)
        let keyTime = milliseconds(since: keyStart)
        let lookupStart = ContinuousClock.now
        let found = cache.lookup(key)
        FileHandle.standardError.write(Data("key-ms=\(keyTime) lookup-ms=\(milliseconds(since: lookupStart)) hit=\(found != nil)\n".utf8))
    }
    let start = ContinuousClock.now
    let loaded = try cache.loadModule(for: [UInt8](wasm), options: compileOptions)
    let cacheTime = milliseconds(since: start)
    let runStart = ContinuousClock.now
    let result = call(loaded.module, arguments[1], Array(arguments.dropFirst(2)))
    let origin = loaded.artifact.wasHit ? "hit" : "compiled"
    print("result=\(result) origin=\(origin) cache-ms=\(cacheTime) run-ms=\(milliseconds(since: runStart))")
} catch {
    fail("\(error)")
}
