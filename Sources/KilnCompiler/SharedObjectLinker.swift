import Foundation

/// Links an object file into a shared object with the system linker and puts it at its final path
/// atomically: everything is written under temporary names in the output directory and renamed
/// into place, so no process ever maps a half-written file.
struct SharedObjectLinker {
    /// Refuses an output path whose directory is missing or not writable, naming the path the
    /// user gave, before any time is spent compiling (the link writes temporary files there).
    static func checkOutputPath(_ outputPath: String) throws {
        let directory = URL(fileURLWithPath: outputPath).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CompileError("cannot write \(outputPath): no directory \(directory)")
        }
        guard access(directory, W_OK) == 0 else {
            throw CompileError("cannot write \(outputPath): \(String(cString: strerror(errno)))")
        }
    }

    /// - Parameter objects: in link order; the first one's code comes first in the shared object.
    func link(objects: [[UInt8]], to outputPath: String) throws {
        let output = URL(fileURLWithPath: outputPath)
        let directory = output.deletingLastPathComponent()
        let unique = "\(getpid()).\(UInt64.random(in: 0...UInt64.max))"
        let objectFiles = objects.indices.map { directory.appendingPathComponent(".\(output.lastPathComponent).\(unique).\($0).o") }
        let linkedFile = directory.appendingPathComponent(".\(output.lastPathComponent).\(unique).so")
        defer {
            for file in objectFiles { try? FileManager.default.removeItem(at: file) }
            try? FileManager.default.removeItem(at: linkedFile)
        }
        for (object, file) in zip(objects, objectFiles) {
            // A failure is named by the path the user gave: the temporary file is ours, not theirs.
            if let failure = Self.write(object, to: file.path) {
                throw CompileError("cannot write \(outputPath): \(failure)")
            }
        }
        // --eh-frame-hdr lets the unwinder find the unwind tables (trap backtraces walk them).
        // The .so needs no libraries of its own: its only external references are libc's
        // memcpy/memset family, which every host process already has loaded.
        try run("ld", ["-shared", "--eh-frame-hdr", "-z", "noexecstack", "-z", "now", "--build-id=none", "-o", linkedFile.path] + objectFiles.map(\.path))
        guard rename(linkedFile.path, output.path) == 0 else {
            throw CompileError("cannot write \(output.path): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes `bytes` to a new file at `path`; the reason when that fails (a full disk, a
    /// read-only or special file system).
    private static func write(_ bytes: [UInt8], to path: String) -> String? {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return n < 0 ? String(cString: strerror(errno)) : "nothing written" }
            done += n
        }
        return nil
    }

    private func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw CompileError("cannot run the system linker (\(tool)): \(error.localizedDescription)")
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CompileError("linking failed: \(String(decoding: message, as: UTF8.self))")
        }
    }
}
