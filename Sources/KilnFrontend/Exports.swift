// The public API of this module is written in WasmParser's and WasmTypes' vocabulary
// (`FunctionType`, `ValueType`, `Code`, `InstructionVisitor`, ...). Re-exporting them means a
// client (the lowering, the spec runner) needs only `import KilnFrontend` and cannot end up
// with a different spelling of the same types. WasmTypes is not a product of WasmKit; it is
// reachable as a transitive module of WasmParser.
@_exported import WasmParser
@_exported import WasmTypes
