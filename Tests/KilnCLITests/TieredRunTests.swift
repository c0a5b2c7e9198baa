import Foundation
import Testing

/// `kiln run` at the default level: on a miss it runs the fast tier at once and a detached
/// `kiln cache background-compile` fills the optimised entry; one optimising compile per key;
/// a killed background compile leaves the cache consistent; the option and the variable turn
/// it off; `kiln cache list` and `stats` show the tiers.
@Suite(.serialized) struct TieredRunTests {
    static let addOneTwo = ["run", "--invoke", "add", "add.wat", "1", "2"]

    @Test func aFirstRunRunsTheFastTierAndTheBackgroundFillsTheOptimisedEntry() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        let first = try ws.kilnTiered(Self.addOneTwo)
        #expect(first.status == 0, "\(first.errors)")
        #expect(first.output == "3\n")
        #expect(first.errors == "")
        // The run compiled (and counted a miss for) the fast tier only.
        #expect(try ws.entries().contains { $0.level == 1 })
        #expect(try ws.stat("misses") == 1)

        let optimised = try #require(try ws.waitForEntry(level: 2))
        #expect(try ws.stat("background compiles") == 1)
        #expect(try ws.stat("misses") == 1)
        let list = try ws.kiln("cache", "list").output.split(separator: "\n")
        #expect(list.count == 2)
        #expect(list.contains { $0.hasPrefix(optimised.key) && $0.contains("  -O2 optimised ") })
        #expect(list.contains { !$0.hasPrefix(optimised.key) && $0.contains("  -O1 fast ") })
        let stats = try ws.kiln("cache", "stats").output.split(separator: "\n")
        #expect(stats.contains { $0.hasPrefix("entries:") && $0.hasSuffix(" 2 (1 fast, 1 optimised)") }, "\(stats)")

        // The second run loads the optimised entry: its last use moves, the fast one's does not.
        let fast = try #require(try ws.entries().first { $0.level == 1 })
        let second = try ws.kilnTiered(Self.addOneTwo)
        #expect(second.output == "3\n")
        let after = try ws.entries()
        #expect(after.first { $0.key == optimised.key }.map { $0.lastUsed > optimised.lastUsed } == true)
        #expect(after.first { $0.key == fast.key }?.lastUsed == fast.lastUsed)
        #expect(try ws.stat("hits") == 1)
        #expect(try ws.stat("misses") == 1)
        #expect(try ws.stat("background compiles") == 1)
    }

    /// A shell waits for every writer of a pipe to close: a background compile holding the
    /// run's stdout or stderr would keep `kiln run ... | cat` waiting until it ends.
    @Test func nothingWaitsForTheBackgroundCompile() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: KilnProcess.executable)
        process.arguments = Self.addOneTwo
        process.currentDirectoryURL = URL(fileURLWithPath: ws.path)
        process.environment = ProcessInfo.processInfo.environment.merging(
            ws.tieredEnvironment(["KILN_TEST_PAUSE_BEFORE_PUBLISH": "60"])) { $1 }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        let started = Date()
        try process.run()
        // Both pipes reach end of file once the run has exited: no other process holds them.
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let complaints = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(String(decoding: printed, as: UTF8.self) == "3\n")
        #expect(complaints.isEmpty)

        // The compile, meanwhile, is still there, paused before publishing: stop it.
        let paused = try #require(ws.waitForPausedBackgroundCompile())
        #expect(isRunning(paused.pid))
        kill(paused.pid, SIGKILL)
        #expect(waitUntil(seconds: 10) { !isRunning(paused.pid) })
    }

    @Test func twoConcurrentFirstRunsStartOneOptimisingCompile() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        // The background compile holds its lock two seconds longer, so that a second one, had
        // it started, would overlap it.
        let pause = ["KILN_TEST_PAUSE_BEFORE_PUBLISH": "2"]
        let (directory, environment) = (ws.path, ws.tieredEnvironment(pause))
        let results = try inParallel(2) { _ in
            try KilnProcess.run(Self.addOneTwo, environment: environment, in: directory)
        }
        for result in results {
            #expect(result.status == 0, "\(result.errors)")
            #expect(result.output == "3\n")
        }
        #expect(try ws.waitForEntry(level: 2) != nil)
        // Let a second compile, had one started, finish too.
        Thread.sleep(forTimeInterval: 3)
        #expect(try ws.stat("background compiles") == 1)
        #expect(try ws.stat("misses") == 1)
        #expect(try ws.stat("hits") == 1)
        #expect(try ws.entries().map(\.level).sorted() == [1, 2])
    }

    @Test func aKilledBackgroundCompileLeavesTheCacheConsistent() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        let first = try ws.kilnTiered(Self.addOneTwo, environment: ["KILN_TEST_PAUSE_BEFORE_PUBLISH": "60"])
        #expect(first.output == "3\n")

        // Paused with the entry's .so and record written in its work directory, not yet renamed:
        // the moment at which a partial entry could become visible.
        let work = try #require(ws.waitForPausedBackgroundCompile())
        let optimisedKey = work.key
        kill(work.pid, SIGKILL)
        #expect(waitUntil(seconds: 10) { !isRunning(work.pid) })

        let names = try FileManager.default.contentsOfDirectory(atPath: ws.cacheDirectory)
        #expect(!names.contains(optimisedKey + ".so") && !names.contains(optimisedKey + ".meta"))
        #expect(try ws.entries().map(\.level) == [1])
        #expect(try ws.kiln("cache", "list").output.split(separator: "\n").count == 1)
        // The kernel released the dead compile's lock.
        #expect(lockIsFree(ws.cacheDirectory + "/\(optimisedKey).lock"))

        // The next run still works (on the fast entry) and starts a compile that completes.
        let second = try ws.kilnTiered(Self.addOneTwo)
        #expect(second.status == 0, "\(second.errors)")
        #expect(second.output == "3\n")
        let optimised = try #require(try ws.waitForEntry(level: 2))
        #expect(optimised.key == optimisedKey)
        #expect(try ws.stat("background compiles") == 1)
        // Its compile swept the dead one's work directory away.
        #expect(!FileManager.default.fileExists(atPath: work.directory))
        #expect(try ws.kilnTiered(Self.addOneTwo).output == "3\n")
    }

    /// Killed wherever it happens to be: starting up, reading its input, compiling, publishing
    /// or done. Whatever the moment, what `list` shows is whole, the lock is free, runs work, and
    /// a listed optimised entry is a real hit.
    @Test(arguments: [0.0, 0.1, 0.2, 0.3, 0.5])
    func aBackgroundCompileKilledAtAnyMomentLeavesTheCacheConsistent(delay: Double) throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        #expect(try ws.kilnTiered(Self.addOneTwo).output == "3\n")
        if let pid = ws.backgroundCompilePid() {
            Thread.sleep(forTimeInterval: delay)
            kill(pid, SIGKILL)
            #expect(waitUntil(seconds: 10) { !isRunning(pid) })
        }
        let entries = try ws.entries()
        #expect(try ws.kiln("cache", "list").output.split(separator: "\n").count == entries.count)
        #expect(entries.contains { $0.level == 1 })
        for entry in entries { #expect(lockIsFree(ws.cacheDirectory + "/\(entry.key).lock")) }

        let hitsBefore = try ws.stat("hits") ?? -1
        let explicit = try ws.kiln("run", "-O2", "--invoke", "add", "add.wat", "2", "3")
        #expect(explicit.output == "5\n", "\(explicit.errors)")
        // Compiled in the foreground if the kill left no optimised entry, a hit if it did.
        let optimisedWasListed = entries.contains { $0.level == 2 }
        #expect(try ws.stat("hits") == hitsBefore + (optimisedWasListed ? 1 : 0))
        #expect(try ws.entries().map(\.level).sorted() == [1, 2])
    }

    @Test func theOptionAndTheVariableTurnItOff() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        let option = try ws.kilnTiered(["run", "--no-background-compile"] + Self.addOneTwo.dropFirst())
        #expect(option.output == "3\n")
        // Compiled at -O2 before running: one entry, optimised, and nothing in the background.
        #expect(try ws.entries().map(\.level) == [2])

        _ = try ws.kiln("cache", "clear")
        let variable = try ws.kilnTiered(Self.addOneTwo, environment: ["KILN_BACKGROUND_COMPILE": "0"])
        #expect(variable.output == "3\n")
        #expect(try ws.entries().map(\.level) == [2])

        Thread.sleep(forTimeInterval: 1)
        #expect(try ws.entries().map(\.level) == [2])
        #expect(try ws.stat("background compiles") == 0)
    }

    @Test func anExplicitLevelIsCompiledExactly() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        #expect(try ws.kilnTiered(["run", "-O2"] + Self.addOneTwo.dropFirst()).output == "3\n")
        #expect(try ws.entries().map(\.level) == [2])
        _ = try ws.kiln("cache", "clear")
        #expect(try ws.kilnTiered(["run", "-O1"] + Self.addOneTwo.dropFirst()).output == "3\n")
        Thread.sleep(forTimeInterval: 1)
        #expect(try ws.entries().map(\.level) == [1])
        #expect(try ws.stat("background compiles") == 0)
    }

    @Test func aBadVariableIsOneClearError() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        let result = try ws.kilnTiered(Self.addOneTwo, environment: ["KILN_BACKGROUND_COMPILE": "maybe"])
        #expect(result.status != 0)
        #expect(result.output == "")
        #expect(result.errors == "kiln: error: KILN_BACKGROUND_COMPILE=maybe: expected 0 or 1 (or off/on, no/yes, false/true)\n")
        #expect(try ws.entries().isEmpty)
    }
}

/// One entry's record, as the tests read it from `<key>.meta`.
struct EntryRecord: Decodable {
    var key: String
    var optimizationLevel: Int?
    var lastUsed: Double
    var level: Int { optimizationLevel ?? -1 }
}

/// A background compile caught in its test pause: its pid, work directory and the key it is
/// compiling (from the record it has written there).
struct PausedCompile {
    var pid: Int32
    var directory: String
    var key: String
}

extension Workspace {
    /// The published entries (a record and its shared object both present).
    func entries() throws -> [EntryRecord] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: cacheDirectory)) ?? []
        return names.filter { $0.hasSuffix(".meta") }.compactMap { name in
            let stem = String(name.dropLast(".meta".count))
            guard names.contains(stem + ".so"), let data = FileManager.default.contents(atPath: cacheDirectory + "/" + name)
            else { return nil }
            return try? JSONDecoder().decode(EntryRecord.self, from: data)
        }
    }

    /// Waits (at most two minutes: the machine is shared) for an entry at `level` to appear.
    func waitForEntry(level: Int) throws -> EntryRecord? {
        var found: EntryRecord?
        _ = waitUntil(seconds: 120) {
            found = (try? entries())?.first { $0.level == level }
            return found != nil
        }
        return found
    }

    /// The pid of the background compile working on this workspace's cache (found by its
    /// command line and KILN_CACHE_DIR), waiting up to ten seconds for it to appear; nil if it
    /// has come and gone.
    func backgroundCompilePid() -> Int32? {
        var found: Int32?
        _ = waitUntil(seconds: 10) {
            found = processes().first { pid in
                guard let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                      String(decoding: command, as: UTF8.self).contains("background-compile"),
                      let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ")
                else { return false }
                return String(decoding: environment, as: UTF8.self).split(separator: "\0")
                    .contains { $0 == "KILN_CACHE_DIR=\(cacheDirectory)" }
            }
            return found != nil || (try? entries())?.contains { $0.level == 2 } == true
        }
        return found
    }

    /// Waits for a work directory in `tmp/` holding a finished record: a compile paused just
    /// before publishing (the run's own fast compile has published and removed its directory).
    func waitForPausedBackgroundCompile() -> PausedCompile? {
        var paused: PausedCompile?
        _ = waitUntil(seconds: 120) {
            let scratch = cacheDirectory + "/tmp"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: scratch)) ?? [] {
                let directory = scratch + "/" + name
                guard let pid = Int32(name.prefix { $0 != "-" }),
                      let data = FileManager.default.contents(atPath: directory + "/module.meta"),
                      let record = try? JSONDecoder().decode(EntryRecord.self, from: data)
                else { continue }
                paused = PausedCompile(pid: pid, directory: directory, key: record.key)
                return true
            }
            return false
        }
        return paused
    }
}

/// The pids in /proc.
func processes() -> [Int32] {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
}

/// Polls `condition` every 50 ms until it holds or `seconds` have passed.
func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return condition()
}

/// Whether `pid` is a live process (a zombie that nobody has reaped yet counts as dead).
func isRunning(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
    // "pid (comm) S ...": the state follows the last ')'.
    guard let close = stat.lastIndex(of: ")") else { return false }
    return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
}

/// Whether nobody holds the flock on `path` (a missing file holds no lock).
func lockIsFree(_ path: String) -> Bool {
    let fd = open(path, O_RDWR | O_CLOEXEC)
    guard fd >= 0 else { return errno == ENOENT }
    defer { close(fd) }
    return flock(fd, LOCK_EX | LOCK_NB) == 0
}

/// Runs `body` for 0..<count on as many threads at once, returning the results in order.
func inParallel<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) throws -> [T] {
    let results = ResultSlots<T>(count)
    DispatchQueue.concurrentPerform(iterations: count) { index in
        results.set(index, Result { try body(index) })
    }
    return try results.values.map { try #require($0).get() }
}

/// Results written by concurrent threads, each into its own slot.
final class ResultSlots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<T, any Error>?]
    init(_ count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<T, any Error>) { lock.withLock { slots[index] = value } }
    var values: [Result<T, any Error>?] { lock.withLock { slots } }
}
