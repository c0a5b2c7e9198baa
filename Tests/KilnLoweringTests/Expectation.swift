import KilnRuntimeC
import Testing

/// What a test expects one lowered instruction to produce, in the spec test suite's terms.
enum Expectation: CustomStringConvertible {
    case bits(Bits)
    case trap(UInt32)
    /// nan:canonical / nan:arithmetic for a scalar of `width` bits (32 or 64).
    case canonicalNaN(width: Int)
    case arithmeticNaN(width: Int)
    /// A v128 whose float lanes of `laneWidth` bits flagged in `nanLanes` may hold any quiet NaN
    /// (the text format's nan:canonical / nan:arithmetic lanes; both have the quiet bit); every
    /// other bit must match `bits`.
    case lanes(Bits, laneWidth: Int, nanLanes: [Bool])
    /// Relaxed SIMD: any one of several results.
    indirect case either([Expectation])

    static func value(_ low: UInt64) -> Expectation { .bits(Bits(low: low)) }
    static func trap(_ code: kiln_trap_code) -> Expectation { .trap(code.rawValue) }

    func matches(_ outcome: Outcome) -> Bool {
        switch (self, outcome) {
        case (.either(let choices), _): return choices.contains { $0.matches(outcome) }
        case (.trap(let expected), .trap(let actual)): return expected == actual
        case (.bits(let expected), .value(let actual)): return expected == actual
        case (.canonicalNaN(let width), .value(let actual)):
            return Self.isNaN(actual.low, width: width, canonical: true)
        case (.arithmeticNaN(let width), .value(let actual)):
            return Self.isNaN(actual.low, width: width, canonical: false)
        case (.lanes(let expected, let width, let nanLanes), .value(let actual)):
            let laneMask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
            for lane in 0..<(128 / width) {
                let word = lane * width / 64, shift = UInt64(lane * width % 64)
                let actualLane = ((word == 0 ? actual.low : actual.high) >> shift) & laneMask
                let expectedLane = ((word == 0 ? expected.low : expected.high) >> shift) & laneMask
                if nanLanes[lane] {
                    if !Self.isNaN(actualLane, width: width, canonical: false) { return false }
                } else if actualLane != expectedLane {
                    return false
                }
            }
            return true
        default: return false
        }
    }

    /// NaN classes of the spec: canonical = quiet bit only (either sign); arithmetic = quiet bit set.
    static func isNaN(_ bits: UInt64, width: Int, canonical: Bool) -> Bool {
        let (exponent, quiet, payload): (UInt64, UInt64, UInt64) = width == 32
            ? (0x7f80_0000, 0x0040_0000, 0x007f_ffff)
            : (0x7ff0_0000_0000_0000, 0x0008_0000_0000_0000, 0x000f_ffff_ffff_ffff)
        let bits = width == 32 ? bits & 0xffff_ffff : bits
        guard bits & exponent == exponent, bits & payload != 0 else { return false }
        if canonical { return bits & payload == quiet }
        return bits & quiet != 0
    }

    var description: String {
        switch self {
        case .bits(let bits): "\(bits)"
        case .trap(let code): "trap(\(code))"
        case .canonicalNaN(let width): "nan:canonical(f\(width))"
        case .arithmeticNaN(let width): "nan:arithmetic(f\(width))"
        case .lanes(let bits, let width, let nanLanes): "\(bits) with NaN lanes \(nanLanes) of \(width) bits"
        case .either(let choices): "either \(choices)"
        }
    }
}

/// One check: a lowering, its inputs and what each must produce.
struct LoweringCheck {
    var name: String
    var testCase: LoweringJIT.Case
    var expectations: [Expectation]

    init(_ name: String, _ params: [OperandType], _ result: OperandType,
         _ rows: [([UInt64], Expectation)], lower: @escaping LoweringJIT.Lower) {
        self.name = name
        self.testCase = LoweringJIT.Case(params: params, result: result,
                                         inputs: rows.map { $0.0.map { Bits(low: $0) } }, lower: lower)
        self.expectations = rows.map(\.1)
    }

    init(_ name: String, _ params: [OperandType], _ result: OperandType,
         inputs: [[Bits]], expectations: [Expectation], lower: @escaping LoweringJIT.Lower) {
        self.name = name
        self.testCase = LoweringJIT.Case(params: params, result: result, inputs: inputs, lower: lower)
        self.expectations = expectations
    }
}

/// Runs the checks in one JIT session and reports every mismatch (each variant separately).
/// Returns how many input rows were checked.
@discardableResult
func verify(_ checks: [LoweringCheck], sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
    let variantNames = ["memory", "constant", "memory+O2", "constant+O2"]
    let outcomes = try LoweringJIT.run(checks.map(\.testCase))
    var rows = 0
    for (check, perInput) in zip(checks, outcomes) {
        for (index, variants) in perInput.enumerated() {
            rows += 1
            let expected = check.expectations[index]
            for (variant, outcome) in variants.enumerated() where !expected.matches(outcome) {
                Issue.record("\(check.name)\(check.testCase.inputs[index]) [\(variantNames[variant])] gave \(outcome), expected \(expected)",
                             sourceLocation: sourceLocation)
            }
        }
    }
    return rows
}
