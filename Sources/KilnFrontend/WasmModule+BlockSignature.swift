import WasmParser
import WasmTypes

extension WasmModule {
    /// The parameter and result types of a block, loop or if with this block type.
    ///
    /// A type-index block type (multi-value) must name a type of the module ("unknown type").
    public func blockSignature(_ blockType: BlockType) throws(WasmError) -> FunctionType {
        switch blockType {
        case .empty:
            return FunctionType(parameters: [], results: [])
        case .type(let valueType):
            return FunctionType(parameters: [], results: [valueType])
        case .funcType(let index):
            guard Int(index) < types.count else {
                throw WasmError(.invalid, "unknown type \(index)")
            }
            return types[Int(index)]
        }
    }
}
