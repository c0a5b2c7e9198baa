import WasmParser
import WasmTypes

/// An exported function whose body is just `local.get 0 ... local.get n-1; <one instruction>`,
/// the shape most of the spec suite's numeric tests use: running it is running the instruction.
struct SingleInstructionFunction {
    var params: [OperandType]
    var result: OperandType
    var instruction: Instruction
}

/// Finds the single-instruction functions of a binary module, by export name.
enum SpecFunctionScanner {
    static func scan(_ bytes: [UInt8]) throws -> [String: SingleInstructionFunction] {
        var types: [CompositeType] = []
        var functionTypes: [UInt32] = []
        var exports: [Export] = []
        var codes: [Code] = []
        var parser = Parser(bytes: bytes, features: .all)
        while let payload = try parser.parseNext() {
            switch payload {
            case .typeSection(let groups): types += groups.flatMap { $0.types.map(\.body) }
            case .importSection(let imports):
                for entry in imports { if case .function(let type) = entry.descriptor { functionTypes.append(type) } }
            case .functionSection(let indices): functionTypes += indices
            case .exportSection(let list): exports = list
            case .codeSection(let list): codes = list
            default: break
            }
        }
        let importedCount = functionTypes.count - codes.count
        var found: [String: SingleInstructionFunction] = [:]
        for export in exports {
            guard case .function(let index) = export.descriptor, Int(index) >= importedCount,
                  case .function(let type) = types[Int(functionTypes[Int(index)])],
                  type.results.count == 1,
                  let result = OperandType(type.results[0]) else { continue }
            let params = type.parameters.compactMap(OperandType.init)
            guard params.count == type.parameters.count,
                  let instruction = try singleInstruction(codes[Int(index) - importedCount], parameterCount: params.count)
            else { continue }
            found[export.name] = SingleInstructionFunction(params: params, result: result, instruction: instruction)
        }
        return found
    }

    private static func singleInstruction(_ code: Code, parameterCount: Int) throws -> Instruction? {
        guard code.locals.isEmpty else { return nil }
        var recorder = InstructionRecorder()
        var expression = ExpressionParser(code: code)
        while let visit = try expression.parse() { visit(visitor: &recorder) }
        let body = recorder.instructions
        guard body.count == parameterCount + 2, case .end = body.last! else { return nil }
        for (position, instruction) in body.prefix(parameterCount).enumerated() {
            guard case .localGet(let local) = instruction, local == position else { return nil }
        }
        return body[parameterCount]
    }
}

private struct InstructionRecorder: AnyInstructionVisitor {
    typealias VisitorError = Never
    var binaryOffset = 0
    var instructions: [Instruction] = []
    mutating func visit(_ instruction: Instruction) throws(Never) { instructions.append(instruction) }
}

extension OperandType {
    init?(_ type: ValueType) {
        switch type {
        case .i32: self = .i32
        case .i64: self = .i64
        case .f32: self = .f32
        case .f64: self = .f64
        case .v128: self = .v128
        default: return nil
        }
    }
}
