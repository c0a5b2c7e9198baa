/// One assertion that did not hold, located by script file and line.
public struct WastFailure: Sendable, Hashable {
    public var file: String
    public var line: Int
    /// What was expected and what happened instead.
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `name.wast:LINE`: how the known-failures list names an assertion. The directory is left out
    /// so the list does not depend on where the test suite is checked out.
    public var key: String { "\(baseName(of: file)):\(line)" }
}

/// The outcome of running one .wast file.
public struct WastFileResult: Sendable {
    public var file: String
    public var passed: Int
    public var failures: [WastFailure]

    public init(file: String, passed: Int = 0, failures: [WastFailure] = []) {
        self.file = file
        self.passed = passed
        self.failures = failures
    }
}

/// What the runner reports as it goes. `started` comes before each directive, so that whoever
/// watches a worker knows which directive was running if the process dies.
public enum WastEvent: Sendable {
    case started(line: Int)
    case passed(line: Int)
    case failed(line: Int, message: String)
}

func baseName(of path: String) -> String {
    path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
}
