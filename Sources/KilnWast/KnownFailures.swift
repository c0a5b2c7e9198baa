import Foundation

/// The committed list of assertions known to fail, one `name.wast:LINE` per line; `#` starts a
/// comment. A run with a list fails only on failures not in it (regressions), and names listed
/// assertions that now pass so the list can shrink.
public struct KnownFailures: Sendable {
    public var keys: Set<String>

    public init(keys: Set<String> = []) { self.keys = keys }

    public init(parsing text: String) {
        keys = Set(text.split(whereSeparator: \.isNewline).compactMap { line in
            let entry = line.prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces)
            return entry.isEmpty ? nil : entry
        })
    }

    /// The list for a set of failures, sorted by file and line, with each failure's message as a
    /// comment (for `--update-known-failures`).
    /// `header` (comment lines) replaces the default one, so regenerating keeps a list's notes.
    public static func render(_ failures: [WastFailure], header: String? = nil) -> String {
        let sorted = failures.sorted { (baseName(of: $0.file), $0.line) < (baseName(of: $1.file), $1.line) }
        var seen = Set<String>()
        var text = header ?? """
            # Spec-test assertions known to fail: name.wast:LINE  # reason. Regenerate with
            # kiln wast --update-known-failures; delete lines as they are fixed.

            """
        for failure in sorted where seen.insert(failure.key).inserted {
            text += "\(failure.key)  # \(failure.message.prefix(160))\n"
        }
        return text
    }
}

/// The totals of a run, and how they compare with the known failures.
public struct WastSummary: Sendable {
    public var results: [WastFileResult]

    public init(results: [WastFileResult]) { self.results = results }

    public var passed: Int { results.reduce(0) { $0 + $1.passed } }
    public var failures: [WastFailure] { results.flatMap(\.failures) }

    /// Failures the list does not excuse.
    public func regressions(against known: KnownFailures) -> [WastFailure] {
        failures.filter { !known.keys.contains($0.key) }
    }

    /// Listed assertions, in the files that ran, that did not fail this time.
    public func fixed(against known: KnownFailures) -> [String] {
        let ran = Set(results.map { baseName(of: $0.file) })
        let failing = Set(failures.map(\.key))
        return known.keys.filter { key in
            guard let colon = key.lastIndex(of: ":") else { return false }
            return ran.contains(String(key[..<colon])) && !failing.contains(key)
        }.sorted()
    }

    /// The run's last line, as scripts and CI read it.
    public var countsLine: String { "\(passed) passed, \(failures.count) failed" }
}
