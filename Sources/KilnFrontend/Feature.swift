import WasmParser

/// A WebAssembly proposal that Kiln knows about: the unit in which the accepted language is
/// switched on and off (DESIGN.md, decision 9).
///
/// Everything Kiln says about a proposal is in `properties`, one row per proposal, so that
/// supporting a new one means flipping its `isSupported` and writing its validation and
/// lowering; the CLI, the README table and the errors all read the same row.
public enum Feature: String, CaseIterable, Sendable, Hashable, Comparable {
    case referenceTypes
    case simd
    case bulkMemory
    case multiValue
    case signExtension
    case nonTrappingFloatToInt
    case exceptionHandling
    case legacyExceptionHandling
    case tailCalls
    case typedFunctionReferences
    case extendedConstantExpressions
    case multiMemory
    case memory64
    case relaxedSimd
    case threads
    case gc

    public struct Properties: Sendable {
        /// How errors and help name the proposal: "exception handling".
        public let displayName: String
        /// The name `--feature` and `--no-feature` take: "exception-handling".
        public let cliName: String
        /// Whether Kiln validates and compiles everything the proposal adds.
        public let isSupported: Bool
        /// Whether the proposal is enabled unless switched off (WebAssembly 2.0 and tail calls are
        /// the default).
        public let isOnByDefault: Bool
        /// Proposals whose constructs this one builds on; enabling it needs them too.
        public let requires: [Feature]
    }

    public var properties: Properties {
        func row(_ name: String, _ cli: String, supported: Bool, onByDefault: Bool, requires: [Feature] = []) -> Properties {
            Properties(displayName: name, cliName: cli, isSupported: supported, isOnByDefault: onByDefault, requires: requires)
        }
        switch self {
        // WebAssembly 2.0.
        case .referenceTypes: return row("reference types", "reference-types", supported: true, onByDefault: true)
        case .simd: return row("SIMD", "simd", supported: true, onByDefault: true)
        case .bulkMemory: return row("bulk memory", "bulk-memory", supported: true, onByDefault: true)
        case .multiValue: return row("multi-value", "multi-value", supported: true, onByDefault: true)
        case .signExtension: return row("sign extension", "sign-extension", supported: true, onByDefault: true)
        case .nonTrappingFloatToInt:
            return row("non-trapping float-to-int", "nontrapping-float-to-int", supported: true, onByDefault: true)
        // WebAssembly 3.0, on by default as in Wasmtime (typed function references below too).
        case .tailCalls: return row("tail calls", "tail-call", supported: true, onByDefault: true)
        case .exceptionHandling:
            return row("exception handling", "exception-handling", supported: true, onByDefault: true, requires: [.referenceTypes])
        case .legacyExceptionHandling:
            return row("legacy exception handling", "legacy-exceptions", supported: true, onByDefault: false, requires: [.exceptionHandling])
        case .typedFunctionReferences:
            return row("typed function references", "function-references", supported: true, onByDefault: true, requires: [.referenceTypes])
        case .extendedConstantExpressions:
            return row("extended constant expressions", "extended-const", supported: true, onByDefault: true)
        case .relaxedSimd: return row("relaxed SIMD", "relaxed-simd", supported: true, onByDefault: true, requires: [.simd])
        case .multiMemory: return row("multi-memory", "multi-memory", supported: true, onByDefault: true)
        // 64-bit memories and tables (table64).
        case .memory64: return row("memory64", "memory64", supported: true, onByDefault: true)
        // Shared memories and atomics, on by default as in Wasmtime.
        case .threads: return row("threads", "threads", supported: true, onByDefault: true)
        // Not compiled yet.
        case .gc: return row("GC", "gc", supported: false, onByDefault: false, requires: [.typedFunctionReferences])
        }
    }

    public var displayName: String { properties.displayName }
    public var cliName: String { properties.cliName }
    public var isSupported: Bool { properties.isSupported }
    public var isOnByDefault: Bool { properties.isOnByDefault }

    /// The proposal whose CLI name is `cliName`.
    public init?(cliName: String) {
        guard let feature = Feature.allCases.first(where: { $0.cliName == cliName }) else { return nil }
        self = feature
    }

    /// The order of `allCases`, so that sets list their members the same way everywhere.
    public static func < (lhs: Feature, rhs: Feature) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// What WasmParser must be told to decode the proposal's encodings. The proposals missing
    /// here are always decoded by WasmParser (the 2.0 ones but reference types and SIMD) or never
    /// (legacy exceptions, relaxed SIMD and extended constants need no decoder switch: their
    /// instructions are checked by `Feature.introducing`).
    var parserFeatures: WasmFeatureSet {
        switch self {
        case .referenceTypes: .referenceTypes
        case .simd: .simd
        case .exceptionHandling: .exceptionHandling
        case .tailCalls: .tailCall
        case .typedFunctionReferences: .functionReferences
        case .multiMemory: .multiMemory
        case .memory64: .memory64
        case .threads: .threads
        case .gc: .gc
        case .bulkMemory, .multiValue, .signExtension, .nonTrappingFloatToInt, .legacyExceptionHandling,
            .extendedConstantExpressions, .relaxedSimd:
            []
        }
    }
}
