// kiln-reload-example — a Swift host that loads a precompiled module, calls it, reloads a new
// version and unloads both: the Swift example of docs/embedding.md, run by KilnTests.
//
//   kiln-reload-example MODULE.so REBUILD-COMMAND...
//
// The same flow as runtime-c/examples/reload.c: MODULE.so exports "version" and "bump"; after
// REBUILD-COMMAND has replaced the file (e.g. `kiln compile v2.wat -o MODULE.so`, which renames a
// new file into place), loading the path again gives the new code while the old instance keeps
// its own code and state until it is closed.
import Foundation
import Kiln

func counter(_ instance: Instance) throws -> String {
    let version = try instance.call("version")
    let count = try instance.call("bump")
    guard case .i32(let v)? = version.first, case .i32(let c)? = count.first else { return "?" }
    return "version \(v), counter \(c)"
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: kiln-reload-example MODULE.so REBUILD-COMMAND...\n".utf8))
    exit(2)
}
let path = arguments[1]

do {
    var oldModule: Module? = try Module(path: path)
    var old: Instance? = try oldModule!.instantiate()
    try old!.call("bump")
    print("old: \(try counter(old!))")

    let rebuild = Process()
    rebuild.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    rebuild.arguments = Array(arguments[2...])
    try rebuild.run()
    rebuild.waitUntilExit()
    guard rebuild.terminationStatus == 0 else { throw KilnError("rebuild failed") }

    // Loading the same path again gives the new code, with fresh state.
    let newModule = try Module(path: path)
    let fresh = try newModule.instantiate()
    print("new: \(try counter(fresh))")
    // The old instance still runs its own code, on its own state.
    print("old: \(try counter(old!))")

    // Unload the old version: close (or just drop) its instances and its module. Its code and
    // memory are unmapped here; the new version is untouched.
    old!.close()
    oldModule!.close()
    old = nil
    oldModule = nil
    print("new: \(try counter(fresh))")
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
