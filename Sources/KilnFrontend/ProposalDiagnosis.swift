import WasmTypes

/// Explains a binary-format error by the proposal that would make the bytes well-formed, so that
/// `python.wasm` built with exceptions is reported as using exception handling rather than as
/// corrupt.
///
/// WasmParser rejects a disabled proposal's encodings (an `exnref` value type, a 64-bit limits
/// flag, a GC type definition) as malformed, without saying why. So, on the error path only, the
/// module is decoded again with each proposal that is off added in turn: the first one with which
/// decoding gets past the error's offset is the one the bytes belong to. The error keeps its
/// kind, offset and spec wording (the 2.0 test suite checks those) and gains the proposal's name.
enum ProposalDiagnosis {
    static func explain(_ error: WasmError, in bytes: [UInt8], features: FeatureSet) -> WasmError {
        guard error.kind == .malformed, error.feature == nil, let offset = error.offset, offset >= 8 else { return error }
        for feature in Feature.allCases where !features.contains(feature) && !feature.parserFeatures.isEmpty {
            var extended = features
            extended.insert(feature)
            for requirement in feature.properties.requires { extended.insert(requirement) }
            if decodesPast(offset, bytes, extended) {
                let (construct, at) = locate(feature, near: offset, in: bytes, error: error)
                return WasmError.unavailable(feature, construct, under: features, rejectedAs: error.message, offset: at)
            }
        }
        return error
    }

    /// Whether decoding under `features` gets further than `offset`: it succeeds, fails later,
    /// or fails on the feature set itself (which means it parsed).
    private static func decodesPast(_ offset: Int, _ bytes: [UInt8], _ features: FeatureSet) -> Bool {
        do {
            _ = try ModuleDecoder.decodeStructure(bytes, features: features)
            return true
        } catch {
            return error.feature != nil || (error.offset ?? 0) > offset
        }
    }

    /// The construct of `feature` the error is about, in a few words, and its offset. WasmParser
    /// reports some errors at the offending byte and others just past it, so both are looked at.
    private static func locate(_ feature: Feature, near offset: Int, in bytes: [UInt8], error: WasmError) -> (String, Int) {
        for position in [offset, offset - 1] where bytes.indices.contains(position) {
            if let construct = construct(feature, encodedBy: bytes[position], error: error) { return (construct, position) }
        }
        return (genericConstruct(feature), offset)
    }

    /// The construct of `feature` that starts with `byte` in the context `error` was raised in.
    private static func construct(_ feature: Feature, encodedBy byte: UInt8, error: WasmError) -> String? {
        let message = error.message
        if message.hasPrefix("malformed value type") || message.hasPrefix("malformed reference type") {
            if let type = valueTypeName(byte), type.feature == feature { return type.text }
        }
        let isLimitsFlag = (0x02...0x07).contains(byte)
        switch feature {
        case .exceptionHandling where byte == 0x04 && message == "malformed import kind": return "a tag import"
        case .exceptionHandling where byte == 0x04 && message == "malformed export kind": return "a tag export"
        case .threads where isLimitsFlag && byte & 0x02 != 0: return "shared limits"
        case .memory64 where isLimitsFlag && byte & 0x04 != 0: return "64-bit limits"
        case .gc where [0x4E, 0x4F, 0x50, 0x5E, 0x5F].contains(byte): return "a GC type definition"
        default: return nil
        }
    }

    private static func genericConstruct(_ feature: Feature) -> String {
        switch feature {
        case .multiMemory: "a memory index"
        case .gc: "a GC type"
        case .typedFunctionReferences: "a typed reference"
        case .exceptionHandling: "an exception construct"
        case .simd: "v128"
        case .referenceTypes: "a reference type"
        default: "its encoding"
        }
    }

    /// The value types of later proposals, by their one-byte encoding, named as the module check
    /// names them.
    private static func valueTypeName(_ byte: UInt8) -> (feature: Feature, text: String)? {
        let heapTypes: [UInt8: AbstractHeapType] = [
            0x70: .funcRef, 0x6F: .externRef, 0x69: .exnRef, 0x74: .noExn, 0x6E: .any, 0x6D: .eq, 0x6C: .i31,
            0x6B: .structRef, 0x6A: .arrayRef, 0x71: .noneRef, 0x72: .noExtern, 0x73: .noFunc,
        ]
        let type: ValueType
        switch byte {
        case 0x7B: type = .v128
        // (ref null ht) and (ref ht): the heap type follows.
        case 0x63, 0x64: type = .ref(ReferenceType(isNullable: false, heapType: .abstract(.funcRef)))
        default:
            guard let heapType = heapTypes[byte] else { return nil }
            type = .ref(ReferenceType(isNullable: true, heapType: .abstract(heapType)))
        }
        return ModuleFeatureCheck.introducing(type).map { (feature: $0.0, text: $0.1) }
    }
}
