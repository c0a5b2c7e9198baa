import ArgumentParser
import Foundation

/// `--no-background-compile` and `KILN_BACKGROUND_COMPILE`: whether `kiln run` at the default
/// level may run fast-tier code at once and leave the optimised compile to a background process.
struct BackgroundCompileFlags: ParsableArguments {
    @Flag(name: .customLong("no-background-compile"), help: ArgumentHelp(
        "On a cache miss, compile at the full level now instead of running the fast tier and optimising in the background (also KILN_BACKGROUND_COMPILE=0)."))
    var off = false

    static let variable = "KILN_BACKGROUND_COMPILE"

    /// The environment variable, read the way people write booleans; anything else is refused
    /// (one error line, not a usage message: the command line is fine), so that a CI job's typo
    /// does not silently leave background compiles on.
    static func enabled(byEnvironment environment: [String: String]) throws(InputError) -> Bool {
        guard let text = environment[variable] else { return true }
        switch text.lowercased() {
        case "", "1", "on", "yes", "true": return true
        case "0", "off", "no", "false": return false
        default: throw InputError("\(variable)=\(text): expected 0 or 1 (or off/on, no/yes, false/true)")
        }
    }

    /// Whether this run may tier: neither the option nor the variable turns it off. The
    /// variable is checked even with the option, so that a bad value is always reported.
    func allowed() throws(InputError) -> Bool {
        let byEnvironment = try Self.enabled(byEnvironment: ProcessInfo.processInfo.environment)
        return !off && byEnvironment
    }
}
