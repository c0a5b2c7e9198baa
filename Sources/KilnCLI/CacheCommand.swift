import ArgumentParser
import Foundation
import KilnCache

/// `kiln cache stats|list|clear|prune`: look after the on-disk compilation cache.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Inspect and trim the on-disk compilation cache.",
        discussion: """
            The cache lives in $KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln, else ~/.cache/kiln. \
            Its size cap is $KILN_CACHE_MAX_SIZE (default 1 GiB); least recently used entries \
            are evicted past it.
            """,
        subcommands: [Stats.self, List.self, Clear.self, Prune.self, BackgroundCompileCommand.self]
    )

    /// Opens the cache the way `kiln run` does, reporting a failure as a one-line error.
    static func open() throws -> CompilationCache {
        do {
            return try CompilationCache.open()
        } catch {
            printError("kiln: error: \(error)")
            throw ExitCode.failure
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Entries per tier, their total size, and hits, misses and background compiles since the last clear.")

        func run() throws {
            let cache = try CacheCommand.open()
            let stats = cache.stats()
            // "entries: 3 (2 fast, 1 optimised)": the tiers present, in the order of the levels.
            let tiers = CompilationTier.allCases.compactMap { tier in
                stats.entriesPerTier[tier].map { "\($0) \(tier.rawValue)" }
            }
            let perTier = tiers.isEmpty ? "" : " (\(tiers.joined(separator: ", ")))"
            print("""
                directory:           \(cache.directory)
                entries:             \(stats.entries)\(perTier)
                bytes:               \(stats.bytes) (\(SizeText.format(stats.bytes)))
                max size:            \(stats.maxSize) (\(SizeText.format(stats.maxSize)))
                hits:                \(stats.hits)
                misses:              \(stats.misses)
                background compiles: \(stats.backgroundCompiles)
                """)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per entry (key, size, level and tier, last use, module), least recently used first.")

        func run() throws {
            let entries = try CacheCommand.open().list()
            let dates = ISO8601DateFormatter()
            // Key, size, level and tier, last use, and what it was compiled from: enough to match
            // an entry to a module (sha256sum of the .wasm) without opening the metadata, and to
            // see whether a background compile has replaced a module's fast-tier code yet.
            for entry in entries {
                let size = SizeText.format(entry.size).padding(toLength: 10, withPad: " ", startingAt: 0)
                let tier = (entry.optimizationLevel.map { "-O\($0) " } ?? "") + (entry.tier?.rawValue ?? "unknown tier")
                let tierColumn = tier.padding(toLength: 15, withPad: " ", startingAt: 0)
                print("\(entry.key)  \(size)  \(tierColumn)  \(dates.string(from: entry.lastUsed))  wasm \(entry.wasmSHA256.prefix(16)) (\(entry.wasmSize) B)")
            }
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove every entry and reset the hit and miss counters.")

        func run() throws {
            CacheCommand.report(try CacheCommand.open().clear())
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Evict least recently used entries down to a size.")

        @Option(help: ArgumentHelp("Keep at most this much (e.g. 100M, 2G; default: the cache's cap).", valueName: "SIZE"))
        var maxSize: String?

        func validate() throws {
            if let maxSize, SizeText.parse(maxSize) == nil {
                throw ValidationError("--max-size \(maxSize): expected a size such as 1048576, 512K, 100M or 2G")
            }
        }

        func run() throws {
            CacheCommand.report(try CacheCommand.open().prune(maxSize: maxSize.flatMap(SizeText.parse)))
        }
    }

    /// "removed N entries (SIZE)".
    static func report(_ result: PruneResult) {
        var line = "removed \(result.removedEntries) entries (\(SizeText.format(result.removedBytes)))"
        if result.skippedBusy > 0 { line += ", \(result.skippedBusy) in use by another process kept" }
        print(line)
    }
}
