/// What an entry's code is for, by its optimisation level: -O1 is the fast tier (quick to
/// compile, for a first run), -O2 and -O3 the optimised code, -O0 no optimisation at all.
///
/// Kept here rather than in KilnCompiler because only the cache's listing and tiered lookups
/// need the names; the levels themselves are `OptimizationPipeline`'s.
public enum CompilationTier: String, Sendable, CaseIterable {
    case unoptimised
    case fast
    case optimised

    public init(optimizationLevel level: Int) {
        switch level {
        case ...0: self = .unoptimised
        case 1: self = .fast
        default: self = .optimised
        }
    }

    /// The level a tiered run compiles first, so that it can start at once.
    public static let fastLevel = 1
}
