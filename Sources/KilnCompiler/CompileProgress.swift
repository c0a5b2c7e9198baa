/// How far a compile has come, reported through every phase so that a long compile never looks
/// hung: each function is lowered once, then each partition is optimised and then turned into
/// machine code, and last the objects are linked.
public struct CompileProgress: Sendable, Equatable {
    public var functionsLowered = 0
    public var functionCount: Int
    public var partitionsOptimized = 0
    public var partitionsEmitted = 0
    public var partitionCount: Int
    /// Wasm code bytes of the partitions optimised and emitted, which weigh the overall fraction.
    var optimizedCode = 0
    var emittedCode = 0
    var totalCode: Int
    public var isLinking = false

    init(functionCount: Int, partitionCount: Int, totalCode: Int) {
        self.functionCount = functionCount
        self.partitionCount = partitionCount
        self.totalCode = max(1, totalCode)
    }

    /// 0...1, weighing the phases by the share of the time they take at the default level:
    /// lowering about a tenth, optimisation and code generation the rest, about evenly.
    public var fraction: Double {
        let code = Double(totalCode)
        let lowered = Double(functionsLowered) / Double(max(1, functionCount))
        let done = 0.1 * lowered + 0.45 * Double(optimizedCode) / code + 0.45 * Double(emittedCode) / code
        return min(isLinking ? 1 : 0.99, done)
    }

    /// "lowered 1205/1205 functions, optimised 9/12, generated 7/12 partitions".
    public var summary: String {
        if isLinking { return "linking" }
        var parts = ["lowered \(functionsLowered)/\(functionCount) functions"]
        if partitionCount > 1 || partitionsOptimized > 0 {
            parts.append("optimised \(partitionsOptimized)/\(partitionCount)")
            parts.append("generated \(partitionsEmitted)/\(partitionCount) partitions")
        }
        return parts.joined(separator: ", ")
    }
}

/// Receives a compile's progress, from any thread but never twice at once.
public typealias CompileProgressHandler = @Sendable (CompileProgress) -> Void
