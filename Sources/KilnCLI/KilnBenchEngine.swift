import Foundation
import Kiln

/// Kiln's side of `kiln bench`: the module compiled to native code, one fresh instance per run.
struct KilnBenchEngine {
    let module: Kiln.Module

    /// Reads `texts` as the arguments of export `name`, by its parameter types (the Kiln side
    /// parses, so both engines get identical bits).
    func parseArguments(_ texts: [String], for name: String, wasi: BenchWASI) throws -> [BenchValue] {
        let instance = try instantiate(wasi)
        defer { instance.close() }
        let types = try instance.function(name).parameters
        guard types.count == texts.count else {
            throw InputError("\(name) takes \(types.count) argument(s) (\(types.map(\.description).joined(separator: " "))), \(texts.count) given")
        }
        return try zip(texts, types).map { text, type in BenchValue(try ValueText.parse(text, as: type)) }
    }

    func run(_ workload: BenchWorkload, wasi: BenchWASI, capture: StdoutCapture) throws -> (BenchTiming, BenchOutcome) {
        capture.reset()
        let clock = ContinuousClock()
        let started = clock.now
        let instance = try instantiate(wasi)
        defer { instance.close() }
        let instantiated = clock.now
        var outcome = BenchOutcome()
        do throws(any Error) {
            switch workload {
            case .command:
                try instance.function("_start").call()
            case .invoke(let name, let arguments):
                if case .function(let initialize) = instance.export("_initialize") { try initialize.call() }
                outcome.results = try instance.function(name).call(arguments.map(\.kilnValue)).map(BenchValue.init)
            }
        } catch {
            // One untyped clause: the calls throw KilnError only, and `as` patterns with `where`
            // on a typed-throws do block crash Swift 6.3's SIL ownership verifier.
            guard let error = error as? KilnError else { throw error }
            if let status = error.exitStatus {
                outcome.exitCode = status
            } else if error.isTrap {
                throw BenchFailure(engine: "kiln", message: TrapReport.describe(error))
            } else {
                throw error
            }
        }
        let finished = clock.now
        outcome.stdout = capture.contents()
        return (BenchTiming(instantiate: instantiated - started, run: finished - instantiated), outcome)
    }

    private func instantiate(_ wasi: BenchWASI) throws -> Instance {
        let imports = Imports()
        try imports.bindWASI(arguments: wasi.arguments)
        for (host, guest) in wasi.preopens { try imports.preopenWASI(host: host, guest: guest) }
        try imports.replaceWASIEnvironment(wasi.environment.map { "\($0.key)=\($0.value)" })
        try imports.setWASIStdio(stdout: wasi.stdout)
        return try Instance(module: module, imports: imports)
    }
}

extension BenchValue {
    init(_ value: Value) {
        switch value {
        case .i32(let v): self = .i32(UInt32(bitPattern: v))
        case .i64(let v): self = .i64(UInt64(bitPattern: v))
        case .f32(let v): self = .f32(v.bitPattern)
        case .f64(let v): self = .f64(v.bitPattern)
        case .v128(let v): self = .v128((0..<16).map { v[$0] })
        case .funcRef(let f): self = .funcRef(isNull: f == nil)
        case .externRef(let p): self = .externRef(isNull: p == nil)
        // The interpreter it is compared with has no exceptions: an exnref result compares as null-ness.
        case .exnRef(let p): self = .externRef(isNull: p == nil)
        }
    }

    /// For arguments; a non-null reference cannot be written on the command line.
    var kilnValue: Value {
        switch self {
        case .i32(let v): .i32(Int32(bitPattern: v))
        case .i64(let v): .i64(Int64(bitPattern: v))
        case .f32(let v): .f32(bits: v)
        case .f64(let v): .f64(bits: v)
        case .v128(let bytes):
            .v128(SIMD16<UInt8>(bytes))
        case .funcRef: .funcRef(nil)
        case .externRef: .externRef(nil)
        }
    }

    /// As `kiln run` prints it.
    var text: String {
        switch self {
        case .funcRef(let isNull): isNull ? "null" : "funcref"
        case .externRef(let isNull): isNull ? "null" : "externref"
        default: ValueText.format(kilnValue)
        }
    }
}
