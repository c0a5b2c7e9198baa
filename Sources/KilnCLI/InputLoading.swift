import Foundation
import KilnFrontend
import WAT

/// Reads a module given on the command line: a binary .wasm, or WebAssembly text, which is
/// assembled with WasmKit's WAT. Text is recognised by a .wat extension, or by the absence of
/// the binary magic in a file not named .wasm (a .wasm without it goes to the decoder, which
/// reports it as malformed with an offset).
func readModule(at path: String) throws -> [UInt8] {
    let bytes = try readFile(at: path, expecting: "a module")
    let isBinary = bytes.starts(with: [0x00, 0x61, 0x73, 0x6D])
    let ext = (path as NSString).pathExtension.lowercased()
    if ext == "wat" || (!isBinary && ext != "wasm") {
        // With the name section, so trap backtraces show the text's $names. The text parser is
        // told of every proposal on by default (memory64's offsets past 4 GiB need it); what the
        // module may use is the decoder's to check, which names the proposal.
        return try wat2wasm(
            String(decoding: bytes, as: UTF8.self), features: FeatureSet.default.parserFeatures,
            options: EncodeOptions(nameSection: true))
    }
    return bytes
}

/// Whether `path` holds a shared object (ELF), as `kiln compile` writes, rather than Wasm or
/// WAT. Only the magic is read, so that running a large compiled module costs no extra pass.
func isSharedObject(at path: String) -> Bool {
    guard let handle = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? handle.close() }
    return (try? handle.read(upToCount: 4)) == Data([0x7F, 0x45, 0x4C, 0x46])
}

/// The bytes of a file named on the command line; an error names the path and why (a directory
/// is named as one, not read as `what` was expected to be).
func readFile(at path: String, expecting what: String) throws -> [UInt8] {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        throw InputError("cannot read \(path): it is a directory, not \(what)")
    }
    // A FileHandle reads pipes and devices too (FileManager.contents cannot seek them).
    guard let handle = FileHandle(forReadingAtPath: path) else {
        throw InputError("cannot read \(path): \(String(cString: strerror(errno)))")
    }
    defer { try? handle.close() }
    do {
        return [UInt8](try handle.readToEnd() ?? Data())
    } catch {
        throw InputError("cannot read \(path): \(error.localizedDescription)")
    }
}
