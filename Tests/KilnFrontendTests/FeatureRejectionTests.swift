import KilnFrontend
import XCTest

/// Constructs of proposals that are off or unsupported are refused by the proposal's name, at the
/// offset of the construct itself, with the 2.0 wording in front (what a 2.0 decoder calls them).
/// Each case is decoded under WebAssembly 2.0, where exception handling is off.
final class FeatureRejectionTests: XCTestCase {
    static let header: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]

    static func section(_ id: UInt8, _ content: [UInt8]) -> [UInt8] {
        [id, UInt8(content.count)] + content
    }

    /// A module with one function of type () -> () whose body is `body` then `end`. The body's
    /// first instruction is at offset 23.
    static func function(_ body: [UInt8], memory: Bool = false) -> [UInt8] {
        let code = [0x00] + body + [0x0B]
        return header + section(1, [1, 0x60, 0, 0]) + section(3, [1, 0])
            + (memory ? section(5, [1, 0, 1]) : []) + section(10, [1, UInt8(code.count)] + code)
    }

    struct Case {
        var bytes: [UInt8]
        var feature: Feature
        var construct: String
        var offset: Int
        var kind: WasmError.Kind = .malformed
        var line: UInt = #line
    }

    static let cases: [Case] = [
        // A function type (param exnref): the value type byte is at 13.
        Case(bytes: header + section(1, [1, 0x60, 1, 0x69, 0]), feature: .exceptionHandling, construct: "exnref", offset: 13),
        Case(bytes: header + section(1, [1, 0x60, 1, 0x6E, 0]), feature: .gc, construct: "anyref", offset: 13),
        Case(bytes: header + section(1, [1, 0x60, 1, 0x64, 0x70, 0]), feature: .typedFunctionReferences, construct: "a typed reference", offset: 13),
        // A GC struct type definition, at 11.
        Case(bytes: header + section(1, [1, 0x5F, 1, 0x7F, 0]), feature: .gc, construct: "a GC type definition", offset: 11),
        // A tag section (id 13) after the type section, at 14.
        Case(bytes: header + section(1, [1, 0x60, 0, 0]) + section(13, [1, 0, 0]), feature: .exceptionHandling, construct: "a tag section", offset: 14),
        // Import "a" "b" of kind tag (0x04), the kind at 21.
        Case(bytes: header + section(1, [1, 0x60, 0, 0]) + section(2, [1, 1, 0x61, 1, 0x62, 0x04, 0, 0]), feature: .exceptionHandling, construct: "a tag import", offset: 21),
        // Memory limits flags at 11: shared (0x03) and 64-bit (0x04).
        Case(bytes: header + section(5, [1, 0x03, 1, 1]), feature: .threads, construct: "shared limits", offset: 11),
        Case(bytes: header + section(5, [1, 0x04, 1]), feature: .memory64, construct: "64-bit limits", offset: 11),
        // Two memories, the second at 13: invalid in 2.0.
        Case(bytes: header + section(5, [2, 0, 1, 0, 1]), feature: .multiMemory, construct: "a second memory", offset: 13, kind: .invalid),
        Case(bytes: header + section(5, [2, 1, 1, 2, 0, 1]), feature: .multiMemory, construct: "a second memory", offset: 14, kind: .invalid),
        // Instructions, at 23.
        Case(bytes: function([0x14, 0]), feature: .typedFunctionReferences, construct: "call_ref", offset: 23),
        Case(bytes: function([0x08, 0]), feature: .exceptionHandling, construct: "throw", offset: 23),
        Case(bytes: function([0x06, 0x40, 0x0B]), feature: .legacyExceptionHandling, construct: "try", offset: 23),
        Case(bytes: function([0xD0, 0x70, 0xD4, 0x1A]), feature: .typedFunctionReferences, construct: "ref.as_non_null", offset: 25),
        Case(bytes: function([0xFE, 0x03, 0x00]), feature: .threads, construct: "atomic.fence", offset: 23),
        Case(bytes: function([0xFB, 0x1C, 0x1A], memory: false), feature: .gc, construct: "ref.i31", offset: 23),
        Case(bytes: function([0xFD, 0x0C] + [UInt8](repeating: 0, count: 16) + [0xFD, 0x80, 0x02] + [0x1A]),
             feature: .relaxedSimd, construct: "i8x16.relaxed_swizzle", offset: 41),
    ]

    func testEachProposalIsNamedAtItsConstruct() {
        for c in Self.cases {
            guard let error = frontEndError(c.bytes, features: .webAssembly20) else {
                XCTFail("accepted", line: c.line)
                continue
            }
            XCTAssertEqual(error.feature, c.feature, "\(error)", line: c.line)
            XCTAssertEqual(error.kind, c.kind, "\(error)", line: c.line)
            XCTAssertEqual(error.offset, c.offset, "\(error)", line: c.line)
            let why = c.feature.isSupported ? " (--feature \(c.feature.cliName) enables it)" : "; Kiln does not support it yet"
            XCTAssertTrue(
                error.message.contains("\(c.feature.displayName) (\(c.construct)) is not enabled\(why)"), "\(error)", line: c.line)
        }
    }

    func testTheTwoPointOhWordingComesFirst() {
        // The spec suite's messages for these constructs, which it checks as prefixes.
        func message(_ index: Int) -> String? { frontEndError(Self.cases[index].bytes, features: .webAssembly20)?.message }
        XCTAssertEqual(message(0)?.hasPrefix("malformed value type: "), true)
        XCTAssertEqual(message(4)?.hasPrefix("malformed section id: "), true)
        XCTAssertEqual(message(5)?.hasPrefix("malformed import kind: "), true)
        XCTAssertEqual(message(8)?.hasPrefix("multiple memories: "), true)
        XCTAssertEqual(message(10)?.hasPrefix("illegal opcode: "), true)
    }

    func testAnEnabledUnsupportedProposalIsUnsupported() {
        // Only a program can enable GC; Kiln then says it cannot compile it.
        var features = FeatureSet.default
        features.insert(.gc)
        XCTAssertThrowsError(try ModuleDecoder.decodeAndValidate(Self.function([0xFB, 0x1C, 0x1A], memory: false), features: features)) { error in
            let error = error as? WasmError
            XCTAssertEqual(error?.kind, .unsupported)
            XCTAssertEqual(error?.offset, 23)
            XCTAssertEqual(error?.message, "GC (ref.i31) is not supported by Kiln yet")
        }
    }

    func testADisabledSupportedProposalSaysHowToEnableIt() {
        var features = FeatureSet.default
        features.remove(.simd)
        let v128Const = Self.function([0xFD, 0x0C] + [UInt8](repeating: 0, count: 16) + [0x1A])
        XCTAssertNil(frontEndError(v128Const))
        XCTAssertThrowsError(try ModuleDecoder.decodeAndValidate(v128Const, features: features)) { error in
            let error = error as? WasmError
            XCTAssertEqual(error?.kind, .malformed)
            XCTAssertEqual(error?.offset, 23)
            XCTAssertEqual(error?.message, "illegal opcode: SIMD (v128.const) is not enabled (--feature simd enables it)")
        }
        // return_call, once tail calls are off.
        var withoutTailCalls = FeatureSet.default
        withoutTailCalls.remove(.tailCalls)
        XCTAssertNil(frontEndError(Self.function([0x12, 0])))
        XCTAssertThrowsError(try ModuleDecoder.decodeAndValidate(Self.function([0x12, 0]), features: withoutTailCalls)) { error in
            XCTAssertEqual(
                (error as? WasmError)?.message, "illegal opcode: tail calls (return_call) is not enabled (--feature tail-call enables it)")
        }
        // A v128 local, once SIMD is off.
        let v128Local = Self.header + Self.section(1, [1, 0x60, 0, 0]) + Self.section(3, [1, 0])
            + Self.section(10, [1, 4, 1, 1, 0x7B, 0x0B])
        XCTAssertThrowsError(try ModuleDecoder.decodeAndValidate(v128Local, features: features)) { error in
            XCTAssertEqual((error as? WasmError)?.feature, .simd, "\(error)")
        }
    }

    func testExtendedConstantExpressionsAreValidatedAndNamedWhenOff() throws {
        // Global section at 8: (global i32 (i32.add (i32.const 1) (i32.const 2))).
        let global = Self.header + Self.section(6, [1, 0x7F, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6A, 0x0B])
        XCTAssertNil(frontEndError(global))
        var withoutExtendedConstants = FeatureSet.default
        withoutExtendedConstants.remove(.extendedConstantExpressions)
        let error = frontEndError(global, features: withoutExtendedConstants)
        XCTAssertEqual(error?.kind, .invalid)
        XCTAssertEqual(error?.offset, 8)
        XCTAssertEqual(
            error?.message,
            "constant expression required: extended constant expressions (i32.add in a constant expression) is not enabled (--feature extended-const enables it)")
        // Operands are type-checked like any instruction's.
        try XCTAssertRejects("(module (global i32 (i32.add (i32.const 1))))", .invalid, "type mismatch")
        try XCTAssertRejects("(module (global i32 (i64.mul (i64.const 1) (i64.const 2))))", .invalid, "type mismatch")
        try XCTAssertRejects("(module (global i64 (i64.sub (i32.const 1) (i64.const 2))))", .invalid, "type mismatch")
        // Other instructions are simply not constant.
        try XCTAssertRejects("(module (global i32 (i32.clz (i32.const 1))))", .invalid, "constant expression required")
        try XCTAssertRejects("(module (global i32 (i32.div_u (i32.const 1) (i32.const 1))))", .invalid, "constant expression required")
    }

    func testWithoutReferenceTypesAModuleHasOneFuncrefTable() {
        var webAssembly10 = FeatureSet.default
        webAssembly10.remove(.referenceTypes)
        // Table section at 8: (table 1 funcref), then two of them.
        let oneTable = Self.header + Self.section(4, [1, 0x70, 0x00, 1])
        let twoTables = Self.header + Self.section(4, [2, 0x70, 0x00, 1, 0x70, 0x00, 1])
        XCTAssertNil(frontEndError(oneTable, features: webAssembly10))
        // An imported funcref table ("a" "b") too.
        XCTAssertNil(frontEndError(Self.header + Self.section(2, [1, 1, 0x61, 1, 0x62, 0x01, 0x70, 0x00, 1]), features: webAssembly10))
        XCTAssertNil(frontEndError(twoTables))
        let error = frontEndError(twoTables, features: webAssembly10)
        XCTAssertEqual(error?.kind, .invalid)
        XCTAssertEqual(error?.feature, .referenceTypes)
        XCTAssertEqual(error?.offset, 8)
        XCTAssertEqual(error?.message.hasPrefix("multiple tables: "), true, "\(String(describing: error))")
        // externref is still reference types'.
        let externTable = Self.header + Self.section(4, [1, 0x6F, 0x00, 1])
        XCTAssertEqual(frontEndError(externTable, features: webAssembly10)?.feature, .referenceTypes)
    }

    func testAComponentIsNotABadVersion() {
        let component: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00]
        let error = frontEndError(component)
        XCTAssertEqual(error?.kind, .unsupported)
        XCTAssertEqual(error?.offset, 4)
        XCTAssertTrue(error?.message.hasPrefix("a WebAssembly component, not a core module") ?? false, "\(String(describing: error))")
        // Another version is still just that.
        XCTAssertEqual(frontEndError([0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x00, 0x00])?.message, "unknown binary version")
    }

    func testTheFeatureTable() {
        XCTAssertEqual(Set(Feature.allCases.map(\.cliName)).count, Feature.allCases.count)
        XCTAssertEqual(
            FeatureSet.default.description,
            "reference-types,simd,bulk-memory,multi-value,sign-extension,nontrapping-float-to-int,exception-handling,tail-call,function-references,"
                + "extended-const,multi-memory,memory64,relaxed-simd,threads")
        for feature in Feature.allCases {
            XCTAssertEqual(Feature(cliName: feature.cliName), feature)
            // Nothing unsupported is on by default.
            XCTAssertTrue(!feature.isOnByDefault || feature.isSupported, "\(feature)")
        }
        XCTAssertNil(FeatureSet.default.missingRequirement)
        var relaxedOnly = FeatureSet.default
        relaxedOnly.remove(.simd)
        relaxedOnly.insert(.relaxedSimd)
        XCTAssertEqual(relaxedOnly.missingRequirement?.requires, .simd)
    }
}
