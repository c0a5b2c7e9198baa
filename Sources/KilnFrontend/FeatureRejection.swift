import WasmParser

/// The errors for constructs of proposals a compilation does not accept. They name the proposal
/// and the construct, so that a module built for a later proposal is not mistaken for a corrupt
/// file.
extension WasmError {
    /// - Parameters:
    ///   - wording: what the WebAssembly specification calls the construct when its proposal is
    ///     off ("malformed value type", "illegal opcode", "multiple memories"), and `kind` the
    ///     verdict: to a decoder without the proposal its encodings do not exist. The message
    ///     starts with the wording, as the spec test suite expects, and goes on to say why.
    public static func unavailable(
        _ feature: Feature, _ construct: String, under features: FeatureSet,
        rejectedAs wording: String, kind: Kind = .malformed, offset: Int?
    ) -> WasmError {
        let subject = "\(feature.displayName) (\(construct))"
        var error: WasmError
        if features.contains(feature) {
            // Enabled, yet Kiln cannot compile it: the proposal is unsupported (only a program can
            // enable those), or it has been marked supported before all its methods exist.
            error = WasmError(.unsupported, "\(subject) is not supported by Kiln yet", offset: offset)
        } else {
            let hint = feature.isSupported ? " (--feature \(feature.cliName) enables it)" : "; Kiln does not support it yet"
            error = WasmError(kind, "\(wording): \(subject) is not enabled\(hint)", offset: offset)
        }
        error.feature = feature
        return error
    }
}

extension FeatureSet {
    /// Whether an instruction of `feature` (nil: WebAssembly 1.0) may be compiled.
    public func allows(_ feature: Feature?) -> Bool {
        guard let feature else { return true }
        return contains(feature) && feature.isSupported
    }

    /// The error for `instruction` when it cannot be compiled under this set: its proposal is
    /// off or unsupported, or the validator or lowering has no method for it.
    public func rejection(of instruction: Instruction, at offset: Int) -> WasmError {
        let name = InstructionName.of(instruction)
        guard let feature = Feature.introducing(instruction) else {
            return WasmError(.unsupported, "\(name) is not supported by Kiln yet", offset: offset)
        }
        return .unavailable(feature, name, under: self, rejectedAs: "illegal opcode", offset: offset)
    }
}
