import WasmParser

/// The text-format name of an instruction ("return_call", "i32.atomic.rmw8.add_u"), for errors.
///
/// WasmParser names its enum cases after the text format in camel case, so the name is read back
/// from the case (by reflection: only error paths ask) and respelled: the leading type or object
/// ("i32", "v128", "memory", ...) ends with a dot, "atomic" and "rmwN" too, and the other words
/// are joined with underscores.
public enum InstructionName {
    public static func of(_ instruction: Instruction) -> String {
        if case .typedSelect = instruction { return "select" }
        return textName(camelCase: caseName(instruction))
    }

    /// The name of the case; for the families WasmParser groups (`load`, `simd`, `refTest`, ...),
    /// the name of the nested case that says which member it is.
    static func caseName(_ instruction: Instruction) -> String {
        guard let payload = Mirror(reflecting: instruction).children.first else { return "\(instruction)" }
        let families: Set<String> = [
            "load", "store", "cmp", "unary", "binary", "conversion", "simd", "simdLane", "simdMemLane", "refTest", "refCast",
        ]
        guard let label = payload.label, families.contains(label) else { return payload.label ?? "\(instruction)" }
        let member = Mirror(reflecting: payload.value).children.first?.value ?? payload.value
        return "\(member)"
    }

    private static let objects = [
        "i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2", "v128", "i32", "i64", "f32", "f64", "i31",
        "ref", "memory", "table", "elem", "data", "local", "global", "struct", "array", "any", "extern",
    ]

    static func textName(camelCase name: String) -> String {
        var rest = Substring(name)
        var text = ""
        if let object = objects.first(where: { name.hasPrefix($0) && name.count > $0.count }),
            name.dropFirst(object.count).first?.isUppercase == true
        {
            text = object + "."
            rest = rest.dropFirst(object.count)
        }
        let words = self.words(rest)
        for (index, word) in words.enumerated() {
            text += word
            guard index < words.count - 1 else { break }
            let dotted = word == "atomic" || (word.hasPrefix("rmw") && text.contains("atomic"))
            text += dotted ? "." : "_"
        }
        return text
    }

    /// Lower-case words, split before each capital, except that a capital X between digits
    /// stays inside its word ("Load8X8S" is "load8x8", "s"), as does the M of "Q15Mulr".
    private static func words(_ camel: Substring) -> [String] {
        var words: [String] = []
        var current = ""
        let characters = Array(camel)
        for (index, character) in characters.enumerated() {
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            let joinsShape = character == "X" && current.last?.isNumber == true && next?.isNumber == true
            let joinsQ15 = current == "q15" && character == "M"
            if character.isUppercase, !current.isEmpty, !joinsShape, !joinsQ15 {
                words.append(current)
                current = ""
            }
            current.append(Character(character.lowercased()))
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
