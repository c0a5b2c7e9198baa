import WasmParser

/// The proposals a compilation accepts. Part of `CompileOptions`, and so of the compiler
/// fingerprint and every cache key: the same bytes may be valid under one set and not another.
public struct FeatureSet: Sendable, Hashable, CustomStringConvertible {
    private var members: Set<Feature>

    public init(_ features: some Sequence<Feature>) {
        members = Set(features)
    }

    /// Every proposal that is on by default: WebAssembly 2.0, and of 3.0 what Kiln compiles.
    public static let `default` = FeatureSet(Feature.allCases.filter(\.isOnByDefault))

    /// Every proposal Kiln compiles, including those off by default (legacy exceptions).
    public static let allSupported = FeatureSet(Feature.allCases.filter(\.isSupported))

    /// Exactly WebAssembly 2.0, for its test suite: some 2.0 binaries that must be malformed
    /// decode in 3.0 (an import of kind 0x04 is a tag there).
    public static let webAssembly20 = FeatureSet([
        .referenceTypes, .simd, .bulkMemory, .multiValue, .signExtension, .nonTrappingFloatToInt,
    ])

    public func contains(_ feature: Feature) -> Bool { members.contains(feature) }

    public mutating func insert(_ feature: Feature) { members.insert(feature) }

    public mutating func remove(_ feature: Feature) { members.remove(feature) }

    /// The members in `Feature.allCases` order.
    public var sorted: [Feature] { Feature.allCases.filter(members.contains) }

    /// The CLI names of the members, in a fixed order: the form recorded in fingerprints.
    public var description: String { sorted.map(\.cliName).joined(separator: ",") }

    /// What WasmParser decodes under this set; also what WasmKit's text format assembles with,
    /// which picks element segment encodings by it (a list of function indices has type
    /// `(ref func)` with typed function references, `funcref` without).
    public var parserFeatures: WasmFeatureSet {
        members.reduce(into: WasmFeatureSet()) { $0.formUnion($1.parserFeatures) }
    }

    /// A member this set needs but lacks (`relaxed-simd` without `simd`), if any.
    public var missingRequirement: (feature: Feature, requires: Feature)? {
        for feature in sorted {
            if let missing = feature.properties.requires.first(where: { !members.contains($0) }) {
                return (feature, missing)
            }
        }
        return nil
    }
}
