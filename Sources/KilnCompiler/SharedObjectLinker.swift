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

    /// Runs `tool`, found on PATH, and waits for it; what it wrote to stderr is the error when it
    /// fails. posix_spawnp and waitpid rather than Foundation's Process, whose `waitUntilExit`
    /// polls a run loop every 50 ms: that was most of the fixed cost of a compile (a one-function
    /// module took 80 ms, 30 ms without it).
    private func run(_ tool: String, _ arguments: [String]) throws {
        var errorPipe: [Int32] = [-1, -1]
        guard pipe(&errorPipe) == 0 else {
            throw CompileError("cannot run the system linker (\(tool)): \(String(cString: strerror(errno)))")
        }
        // Neither end may leak into a process another thread spawns (a tiered run's background compile).
        for end in errorPipe { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the copy, so the tool's stderr is the pipe.
        posix_spawn_file_actions_adddup2(&actions, errorPipe[1], STDERR_FILENO)
        let argv = ([tool] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawnError = posix_spawnp(&pid, tool, &actions, nil, argv, environ)
        close(errorPipe[1])
        defer { close(errorPipe[0]) }
        guard spawnError == 0 else {
            throw CompileError("cannot run the system linker (\(tool)): \(String(cString: strerror(spawnError)))")
        }
        let message = FileHandle(fileDescriptor: errorPipe[0], closeOnDealloc: false).readDataToEndOfFile()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Exited (low seven bits clear) with status 0.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw CompileError("linking failed: \(String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}
