import Foundation
import Testing

/// Runs the Swift host example of docs/embedding.md (kiln-reload-example, built with these
/// tests) and checks it prints what the document shows.
@Suite struct ReloadExampleTests {
    /// Next to the test bundle: SwiftPM puts executables and the test bundle in one directory.
    static var executable: String {
        var candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for bundle in Bundle.allBundles { candidates.append(bundle.bundleURL.deletingLastPathComponent()) }
        return candidates.map { $0.appendingPathComponent("kiln-reload-example").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "kiln-reload-example"
    }

    @Test func exampleReloadsAndUnloads() throws {
        let dir = try Embedding.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/counter.so", next = dir + "/next.so"
        try Embedding.compile(Self.version(1, step: 1), to: path)
        try Embedding.compile(Self.version(2, step: 100), to: next)

        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        // The rebuild step renames the new version into place, as `kiln compile -o` does.
        process.arguments = [path, "mv", next, path]
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text == """
            old: version 1, counter 2
            new: version 2, counter 100
            old: version 1, counter 3
            new: version 2, counter 200

            """)
    }

    /// The module of runtime-c/examples/reload/v1.wat and v2.wat.
    static func version(_ v: Int32, step: Int32) -> String {
        """
        (module
          (global $counter (mut i32) (i32.const 0))
          (func (export "version") (result i32) (i32.const \(v)))
          (func (export "bump") (result i32)
            (global.set $counter (i32.add (global.get $counter) (i32.const \(step))))
            (global.get $counter)))
        """
    }
}
