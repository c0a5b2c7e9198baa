import Foundation
import Testing

/// Bad input to `kiln compile` is one clear error line and a non-zero exit, never a crash.
@Suite struct BadInputTests {
    @Test func anUnknownCPUIsAnErrorNotACrashInsideLLVM() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        let result = try ws.kiln("compile", "add.wat", "-o", "add.so", "--cpu", "bogus")
        #expect(result.status == 1, "\(result.errors)")
        #expect(result.errors.split(separator: "\n").count == 1, "\(result.errors)")
        #expect(result.errors.contains("unknown CPU \"bogus\""), "\(result.errors)")
        // Known names still compile.
        #expect(try ws.kiln("compile", "add.wat", "-o", "add.so", "--cpu", "x86-64-v2").status == 0)
    }

    @Test func aDirectoryAsInputIsNamedAsOne() throws {
        let ws = try Workspace()
        try FileManager.default.createDirectory(atPath: ws.path + "/adir", withIntermediateDirectories: true)
        let result = try ws.kiln("compile", "adir")
        #expect(result.status != 0)
        #expect(result.errors == "kiln: error: cannot read adir: it is a directory, not a module\n", "\(result.errors)")
    }

    @Test func aMissingOutputDirectoryIsNamedBeforeCompiling() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        let result = try ws.kiln("compile", "add.wat", "-o", "missing/dir/add.so")
        #expect(result.status != 0)
        #expect(result.errors.contains("cannot write missing/dir/add.so: no directory "), "\(result.errors)")
        #expect(result.errors.hasSuffix("/missing/dir\n"), "\(result.errors)")
        #expect(!result.errors.contains(".o:"), "a temporary file is named: \(result.errors)")
    }

    /// A directory that exists but takes no files (procfs): the error names the output the user
    /// gave, never the temporary object file the link writes first.
    @Test func anUnwritableOutputIsNamedAsGiven() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        let result = try ws.kiln("compile", "add.wat", "-o", "/proc/add.so")
        #expect(result.status != 0)
        #expect(result.errors.contains("cannot write /proc/add.so: "), "\(result.errors)")
        #expect(!result.errors.contains("/proc/."), "a temporary file is named: \(result.errors)")
    }

    /// A module can come from a pipe or a device, which cannot be mapped or seeked.
    @Test func aModuleIsReadFromAPipe() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        let result = try ws.kiln(["run", "--invoke", "add", "/dev/stdin", "2", "3"], standardInput: "add.wat")
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output == "5\n")
    }

    /// The system linker is spawned directly (not through Foundation's Process): when it fails,
    /// what it printed is the one error line; when there is none on PATH, the error says so.
    @Test func aFailingOrMissingLinkerIsOneErrorLine() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        let bin = ws.path + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try ws.write("bin/ld", "#!/bin/sh\necho 'ld: cannot find the moon' >&2\nexit 1\n")
        chmod(bin + "/ld", 0o755)
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let failing = try KilnProcess.run(
            ["compile", "add.wat", "-o", "add.so"], environment: ["PATH": path, "KILN_CACHE_DIR": ws.cacheDirectory], in: ws.path)
        #expect(failing.status == 1, "\(failing.errors)")
        #expect(failing.errors.hasSuffix("linking failed: ld: cannot find the moon\n"), "\(failing.errors)")
        #expect(failing.errors.split(separator: "\n").count == 1, "\(failing.errors)")
        #expect(!FileManager.default.fileExists(atPath: ws.path + "/add.so"))

        let missing = try KilnProcess.run(
            ["compile", "add.wat", "-o", "add.so"], environment: ["PATH": ws.path + "/empty", "KILN_CACHE_DIR": ws.cacheDirectory],
            in: ws.path)
        #expect(missing.status == 1, "\(missing.errors)")
        #expect(missing.errors.contains("cannot run the system linker (ld): No such file or directory"), "\(missing.errors)")
        #expect(missing.errors.split(separator: "\n").count == 1, "\(missing.errors)")
    }
}
