import Foundation
import Testing

/// `kiln run` through the compilation cache, `--no-cache`, `kiln compile --cache` and the
/// `kiln cache` subcommands.
@Suite struct CacheCommandTests {
    @Test func runMissesThenHits() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        #expect(try ws.kiln("run", "--invoke", "add", "add.wat", "1", "2").output == "3\n")
        #expect(try ws.stat("misses") == 1)
        #expect(try ws.stat("hits") == 0)
        #expect(try ws.kiln("run", "--invoke", "add", "add.wat", "1", "2").output == "3\n")
        #expect(try ws.stat("misses") == 1)
        #expect(try ws.stat("hits") == 1)
        #expect(try ws.stat("entries") == 1)
    }

    @Test func noCacheNeitherReadsNorFills() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        #expect(try ws.kiln("run", "--no-cache", "--invoke", "add", "add.wat", "4", "5").output == "9\n")
        #expect(try ws.stat("entries") == 0)
        #expect(try ws.stat("misses") == 0)
        #expect(try ws.stat("hits") == 0)
    }

    @Test func compileWithCacheFillsItForRun() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        let compiled = try ws.kiln("compile", "add.wat", "--cache", "-o", "add.so")
        #expect(compiled.status == 0)
        #expect(compiled.output.hasPrefix("cached ") && compiled.output.contains("(compiled)"))
        #expect(FileManager.default.fileExists(atPath: ws.path + "/add.so"))
        #expect(try ws.kiln("run", "--invoke", "add", "add.wat", "1", "1").output == "2\n")
        #expect(try ws.stat("misses") == 1)
        #expect(try ws.stat("hits") == 1)
    }

    @Test func listClearAndPrune() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        try ws.write("hello.wat", Modules.helloExit3)
        _ = try ws.kiln("compile", "add.wat", "--cache")
        _ = try ws.kiln("compile", "hello.wat", "--cache")

        let list = try ws.kiln("cache", "list").output.split(separator: "\n")
        #expect(list.count == 2)
        // Each line starts with the 64-hex-digit key.
        #expect(list.allSatisfy { $0.prefix { $0 != " " }.count == 64 })

        // A generous cap keeps both; a cap of zero removes both.
        #expect(try ws.kiln("cache", "prune", "--max-size", "1G").output == "removed 0 entries (0 B)\n")
        #expect(try ws.stat("entries") == 2)
        #expect(try ws.kiln("cache", "prune", "--max-size", "0").output.hasPrefix("removed 2 entries"))
        #expect(try ws.stat("entries") == 0)

        _ = try ws.kiln("compile", "add.wat", "--cache")
        #expect(try ws.kiln("cache", "clear").output.hasPrefix("removed 1 entries"))
        #expect(try ws.kiln("cache", "list").output == "")
        #expect(try ws.stat("misses") == 0)
    }

    @Test func pruneRejectsABadSize() throws {
        let ws = try Workspace()
        let result = try ws.kiln("cache", "prune", "--max-size", "lots")
        #expect(result.status != 0)
        #expect(result.errors.contains("--max-size lots"))
    }
}
