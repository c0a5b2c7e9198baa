import Foundation
import WasmKit
import WasmKitWASI
// For WASIExitCode (proc_exit), which WasmKitWASI does not re-export.
import WASI

/// WasmKit's side of `kiln bench`: the same bytes in WasmKit's interpreter, the reference both
/// for speed and for behaviour. Imports only WasmKit (its `Value`, `Module`, `Instance` clash
/// with Kiln's); it meets the Kiln side through the types in BenchTypes.swift.
struct WasmKitBenchEngine {
    let module: Module
    let engine = Engine()

    /// Parses (and validates) the module; the time this takes is WasmKit's "compile".
    init(wasm: [UInt8]) throws {
        do {
            module = try parseWasm(bytes: wasm)
        } catch {
            throw BenchFailure(engine: "wasmkit", message: "cannot parse the module: \(error)")
        }
    }

    func run(_ workload: BenchWorkload, wasi config: BenchWASI, capture: StdoutCapture) throws -> (BenchTiming, BenchOutcome) {
        capture.reset()
        let clock = ContinuousClock()
        let started = clock.now
        let store = Store(engine: engine)
        var imports = Imports()
        let wasi = try WASIBridgeToHost(
            args: config.arguments, environment: config.environment,
            preopens: config.preopens.map { .init(guestPath: $0.guest ?? $0.host, hostPath: $0.host) },
            stdout: config.stdout)
        // The bridge owns the preopened directories' fds and insists on being closed.
        defer { try? wasi.close() }
        wasi.link(to: &imports, store: store)
        var outcome = BenchOutcome()
        var instantiated = started
        do {
            let instance = try module.instantiate(store: store, imports: imports)
            instantiated = clock.now
            switch workload {
            case .command:
                outcome.exitCode = Int32(bitPattern: try wasi.start(instance))
            case .invoke(let name, let arguments):
                try wasi.initialize(instance)
                guard let function = instance.exports[function: name] else {
                    throw BenchFailure(engine: "wasmkit", message: "unknown export \"\(name)\"")
                }
                outcome.results = try function.invoke(arguments.map(\.wasmKitValue)).map(BenchValue.init)
            }
        } catch let exit as WASIExitCode {
            // proc_exit from a reactor's export (a command's is handled by `start`).
            outcome.exitCode = Int32(bitPattern: exit.code)
        } catch let failure as BenchFailure {
            throw failure
        } catch {
            throw BenchFailure(engine: "wasmkit", message: "\(error)")
        }
        let finished = clock.now
        outcome.stdout = capture.contents()
        return (BenchTiming(instantiate: instantiated - started, run: finished - instantiated), outcome)
    }
}

extension BenchValue {
    init(_ value: Value) {
        switch value {
        case .i32(let v): self = .i32(v)
        case .i64(let v): self = .i64(v)
        case .f32(let v): self = .f32(v)
        case .f64(let v): self = .f64(v)
        case .v128(let v): self = .v128(v.bytes)
        case .ref(.function(let f)): self = .funcRef(isNull: f == nil)
        case .ref(.extern(let e)): self = .externRef(isNull: e == nil)
        case .ref: self = .externRef(isNull: false)
        }
    }

    var wasmKitValue: Value {
        switch self {
        case .i32(let v): .i32(v)
        case .i64(let v): .i64(v)
        case .f32(let v): .f32(v)
        case .f64(let v): .f64(v)
        case .v128(let bytes): .v128(V128(bytes: bytes))
        case .funcRef: .ref(.function(nil))
        case .externRef: .ref(.extern(nil))
        }
    }
}
