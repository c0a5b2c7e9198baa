import WasmParser
import WasmTypes

extension FunctionValidator {
    /// Validates every function body of `module` (module-level rules are `ModuleValidator`'s).
    public static func validate(module: WasmModule) throws(WasmError) {
        for index in module.codes.indices {
            try validateBody(module: module, definedFunctionIndex: index)
        }
    }

    static func validateBody(module: WasmModule, definedFunctionIndex index: Int) throws(WasmError) {
        let code = module.codes[index]
        var validator = try FunctionValidator(module: module, definedFunctionIndex: index)
        var parser = ExpressionParser(code: code)
        while true {
            let next: ExpressionParser.Visit?
            do {
                next = try parser.parse()
            } catch {
                throw bodyParseError(error, module: module, code: code, parser: parser)
            }
            guard let visit = next else { break }
            try visit(visitor: &validator)
        }
        do {
            try validator.finish()
        } catch {
            throw bodyEndError(error, module: module, code: code)
        }
    }

    /// Maps a parse error inside a body. A body that runs out before its final `end` is
    /// worded as the reference decoder words it: it reads on into whatever follows, so it
    /// either hits the end of the module or a byte that is not `end`.
    private static func bodyParseError(_ error: WasmParserError, module: WasmModule, code: Code, parser: ExpressionParser) -> WasmError {
        // The body's parser counts from the start of the body; the mapping adds that back.
        var mapped = ParserErrorMapping(
            bytes: code.expression, sectionID: 10, baseOffset: code.expression.startIndex, fallbackOffset: parser.offset
        ).map(error)
        if mapped.message == "unexpected end of section or function" || mapped.message == "length out of bounds" {
            mapped = bodyEndError(WasmError(.malformed, "unexpected end of section or function", offset: mapped.offset), module: module, code: code)
        }
        return mapped
    }

    private static func bodyEndError(_ error: WasmError, module: WasmModule, code: Code) -> WasmError {
        guard error.message == "unexpected end of section or function" else { return error }
        // The reference decoder reads on past the body: a following 0x0B is taken as the
        // missing `end`, leaving the code section longer than declared.
        let next = code.expression.endIndex
        if next < module.binary.count {
            let followedByEnd = module.binary[next] == 0x0B
            return WasmError(.malformed, followedByEnd ? "section size mismatch" : "END opcode expected", offset: error.offset)
        }
        return error
    }
}

