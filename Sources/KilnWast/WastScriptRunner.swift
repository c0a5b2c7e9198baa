import Foundation
import Kiln
import KilnCompiler
// Only WasmError: KilnFrontend re-exports WasmTypes, whose `Value` would clash with Kiln's.
import struct KilnFrontend.WasmError
import WAT

/// Runs one .wast script against Kiln: every module is compiled to native code, loaded and
/// instantiated; every directive becomes exactly one passed or failed check, reported through
/// `report` as it happens. Nothing a script contains may crash the runner: compiler errors,
/// traps and unparsable directives are failures, not exceptions.
///
/// Besides the assertions, a plain `module`, `register` or `invoke` counts as a check too (it
/// must succeed), so a module that fails to compile is reported once where it is defined and
/// again by each assertion that needed it.
public final class WastScriptRunner {
    private let options: CompileOptions
    private let report: (WastEvent) -> Void

    // Script state, as the reference interpreter keeps it.
    private var loader: WastModuleLoader!
    private var spectest: SpectestHost?
    private var current: Instance?
    private var named: [String: Instance] = [:]
    private var registered: [String: Instance] = [:]
    private var definitions: [String: Kiln.Module] = [:]
    private var lastDefinition: Kiln.Module?
    /// Why the last module directive failed, for the assertions that then have no module.
    private var lastModuleFailure: String?

    public init(options: CompileOptions = CompileOptions(), report: @escaping (WastEvent) -> Void) {
        self.options = options
        self.report = report
    }

    /// Runs the script in `path`; a file that cannot be read is one failure.
    public func run(path: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            report(.failed(line: 0, message: "cannot read \(path)"))
            return
        }
        run(source: String(decoding: data, as: UTF8.self))
    }

    public func run(source: String) {
        do {
            loader = try WastModuleLoader(options: options)
        } catch {
            report(.failed(line: 0, message: error.message))
            return
        }
        defer { loader.removeTemporaryFiles() }
        do {
            spectest = try SpectestHost()
        } catch {
            // Scripts that do not import spectest still run; those that do fail to link.
            report(.failed(line: 0, message: "cannot create the spectest module: \(error.message)"))
        }

        var script: WAST
        do {
            script = try parseWAST(source, features: options.features.parserFeatures)
        } catch {
            report(.failed(line: 0, message: "cannot parse script: \(error)"))
            return
        }
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        while let (result, location) = script.nextDirectiveResult() {
            let line = location.computeLineAndColumn().line
            report(.started(line: line))
            do {
                switch result {
                case .success(let directive): try execute(directive)
                case .failure(let error): try handleUnparsable(error, keyword: keyword(at: location, in: lines))
                }
                report(.passed(line: line))
                if case .success(.module) = result { lastModuleFailure = nil }
            } catch {
                let message = describeError(error)
                if case .success(.module) = result {
                    let reason = message.hasPrefix(compilerRejectionPrefix) ? message.dropFirst(compilerRejectionPrefix.count) : Substring(message)
                    lastModuleFailure = "line \(line): \(reason.prefix(150))"
                }
                report(.failed(line: line, message: message))
            }
        }
        // Free instances while the loader's directory still exists (not required, but tidy).
        current = nil
        named = [:]
        registered = [:]
        definitions = [:]
        lastDefinition = nil
    }

    // MARK: Directives

    private func execute(_ directive: WASTDirective) throws {
        switch directive {
        case .module(let module):
            try define(module)
        case .moduleInstance(let instanceName, let moduleName):
            let module = try moduleName.map { name throws(WastCheckFailure) in
                guard let m = definitions[name] else { throw WastCheckFailure("unknown module definition \(name)") }
                return m
            } ?? lastDefinition
            guard let module else { throw WastCheckFailure("no module definition to instantiate") }
            let instance = try instantiate(module)
            current = instance
            if let instanceName { named[instanceName] = instance }
        case .register(let name, let moduleName):
            registered[name] = try instance(named: moduleName)
        case .invoke(let invoke):
            _ = try perform(invoke)
        case .assertReturn(let execute, let expected):
            let actual = try perform(execute)
            guard WastValues.matches(actual, expected) else {
                throw WastCheckFailure(
                    "expected \(WastValues.describe(expected)), got \(WastValues.describe(actual))")
            }
        case .assertTrap(let execute, let message):
            try expectTrap(message) { _ = try perform(execute) }
        case .assertExhaustion(let invoke, let message):
            try expectTrap(message) { _ = try perform(invoke) }
        case .assertInvalid(let module, let message):
            try expectRejection(module.source, message: message)
        case .assertMalformed(let module, let message):
            try expectRejection(module.source, message: message)
        case .assertUnlinkable(let wat, let message):
            let module = try loader.load(try loader.binary(of: .text(wat)))
            do {
                _ = try instantiate(module)
            } catch {
                return  // any failure to link is what was asked for
            }
            throw WastCheckFailure("expected instantiation to fail (\"\(message)\"), but it succeeded")
        case .assertException(let execute):
            try expectException { _ = try perform(execute) }
        case .assertFuel, .assertOutOfFuel:
            throw WastCheckFailure("directive not supported by this runner: \(directive)")
        }
    }

    /// A directive the WAT parser could not read. An assert_malformed/assert_invalid whose
    /// module text is rejected has what it asked for; anything else is a failure, and a module
    /// that did not parse must not leave the previous one in place for the assertions after it.
    private func handleUnparsable(_ error: WASTDirectiveError, keyword: String) throws {
        if keyword == "assert_malformed" || keyword == "assert_invalid" { return }
        if let module = error.module {
            if module.isDefinition {
                lastDefinition = nil
                if let id = module.id { definitions[id] = nil }
            } else {
                current = nil
                if let id = module.id { named[id] = nil }
            }
        }
        throw error.error
    }

    private func define(_ directive: ModuleDirective) throws {
        // Until it succeeds, assertions must not silently run against the previous module.
        if directive.isDefinition {
            lastDefinition = nil
            if let id = directive.id { definitions[id] = nil }
        } else {
            current = nil
            if let id = directive.id { named[id] = nil }
        }
        let module = try loader.load(try loader.binary(of: directive.source))
        if directive.isDefinition {
            lastDefinition = module
            if let id = directive.id { definitions[id] = module }
            return
        }
        let instance = try instantiate(module)
        current = instance
        if let id = directive.id { named[id] = instance }
    }

    private func perform(_ execute: WASTExecute) throws -> [Value] {
        switch execute {
        case .invoke(let invoke):
            return try perform(invoke)
        case .get(let moduleName, let globalName):
            return [try instance(named: moduleName).global(globalName).value]
        case .wat(let wat):
            // A module as an action (assert_trap on instantiation): instantiated, then dropped.
            _ = try instantiate(try loader.load(try loader.binary(of: .text(wat))))
            return []
        }
    }

    private func perform(_ invoke: WASTInvoke) throws -> [Value] {
        let args = try invoke.args.map { constant throws(WastCheckFailure) in try WastValues.argument(constant) }
        return try instance(named: invoke.module).call(invoke.name, args)
    }

    private func instance(named name: String?) throws(WastCheckFailure) -> Instance {
        if let name {
            guard let instance = named[name] else { throw WastCheckFailure("unknown module \(name)") }
            return instance
        }
        guard let current else {
            throw WastCheckFailure("no module to act on (the last one failed\(lastModuleFailure.map { ", \($0)" } ?? ""))")
        }
        return current
    }

    /// Instantiates with everything a script module may import: `spectest` and every
    /// registered instance's exports. Binding more names than the module asks for is harmless.
    private func instantiate(_ module: Kiln.Module) throws -> Instance {
        let imports = Imports()
        if registered["spectest"] == nil { try spectest?.define(into: imports) }
        for (moduleName, instance) in registered {
            // Deduplicated and best effort: a name the C API cannot carry (one with a NUL inside
            // reads as a shorter name) must not stop modules that never import it.
            for name in Set(instance.exportNames) {
                if let extern = instance.export(name) { try? imports.define(moduleName, name, extern) }
            }
        }
        return try Instance(module: module, imports: imports)
    }

    // MARK: Expectations

    private func expectTrap(_ expected: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as KilnError where error.isTrap {
            guard Self.trapMessage(error.message, matches: expected) else {
                throw WastCheckFailure("expected trap \"\(expected)\", got trap \"\(error.message)\"")
            }
            return
        } catch {
            throw WastCheckFailure("expected trap \"\(expected)\", got \(describeError(error))")
        }
        throw WastCheckFailure("expected trap \"\(expected)\", but it returned normally")
    }

    /// assert_exception: the action must end with a Wasm exception that nothing caught (a trap
    /// is not one).
    private func expectException(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as KilnError where error.isException {
            return
        } catch {
            throw WastCheckFailure("expected an uncaught exception, got \(describeError(error))")
        }
        throw WastCheckFailure("expected an uncaught exception, but it returned normally")
    }

    /// The runtime uses the spec's wording, but the scripts sometimes add detail ("uninitialized
    /// element 2") or abbreviate; either containing the other counts as the same trap.
    static func trapMessage(_ actual: String, matches expected: String) -> Bool {
        guard !actual.isEmpty else { return false }
        return actual.contains(expected) || expected.contains(actual)
    }

    /// assert_malformed / assert_invalid: the module must be refused, by the text parser or by
    /// the compiler with a `WasmError` (not "unsupported", which would hide a missing check).
    private func expectRejection(_ source: ModuleSource, message: String) throws {
        let wasm: [UInt8]
        do {
            wasm = try loader.binary(of: source)
        } catch {
            return  // rejected by the text parser
        }
        do {
            _ = try loader.load(wasm)
        } catch let error as WasmError where error.kind != .unsupported {
            return
        } catch {
            throw WastCheckFailure("expected the module to be rejected (\"\(message)\"), got \(describeError(error))")
        }
        throw WastCheckFailure("expected the module to be rejected (\"\(message)\"), but it compiled")
    }

    /// The keyword of the directive starting at `location` ("assert_malformed", "module", ...):
    /// the parser's error does not say which kind of directive failed.
    private func keyword(at location: Location, in lines: [Substring]) -> String {
        let (line, column) = location.computeLineAndColumn()
        guard line >= 1, line <= lines.count else { return "" }
        let rest = String(String.UnicodeScalarView(lines[line - 1].unicodeScalars.dropFirst(column)))
        return String(rest.drop { $0 == "(" || $0 == " " || $0 == "\t" }.prefix { !$0.isWhitespace && $0 != "(" && $0 != ")" })
    }
}

extension WastScriptRunner {
    /// Runs a file in this process and collects the outcome (tests and `--worker` use this).
    public static func runFile(_ path: String, options: CompileOptions = CompileOptions()) -> WastFileResult {
        var result = WastFileResult(file: path)
        WastScriptRunner(options: options) { event in
            switch event {
            case .started: break
            case .passed: result.passed += 1
            case .failed(let line, let message): result.failures.append(WastFailure(file: path, line: line, message: message))
            }
        }.run(path: path)
        return result
    }
}
