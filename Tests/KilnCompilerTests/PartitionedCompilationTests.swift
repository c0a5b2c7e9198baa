import Foundation
import Kiln
import KilnCompiler
import KilnFrontend
import KilnLowering
import Synchronization
import WAT
import XCTest

/// A module large enough to be compiled as several partitions: the output must not depend on
/// the number of threads, calls across partitions must work, and errors must be the ones a
/// sequential compile reports.
final class PartitionedCompilationTests: XCTestCase {
    /// `run(x)` calls f0, and each f_i does some arithmetic, calls the tiny `$inc` (which every
    /// partition may copy for inlining) and calls f_{i+1}, so that every partition boundary is
    /// crossed by a call.
    static let chainLength = 600
    static let rounds = 30

    static func chainModule(invalidAt broken: [Int: String] = [:]) -> String {
        var wat = "(module\n  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))\n"
        wat += "  (func (export \"run\") (param i32) (result i32) (call $f0 (local.get 0)))\n"
        for i in 0..<chainLength {
            wat += "  (func $f\(i) (param i32) (result i32)\n"
            wat += arithmetic(i)
            wat += broken[i] ?? ""
            wat += "    (local.set 0 (call $inc (local.get 0)))\n"
            wat += i + 1 < chainLength ? "    (call $f\(i + 1) (local.get 0)))\n" : "    (local.get 0))\n"
        }
        return wat + ")"
    }

    /// f_i's `rounds` of `x = x * 3 + i`.
    static func arithmetic(_ i: Int) -> String {
        String(repeating: "    (local.set 0 (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.const \(i))))\n", count: rounds)
    }

    static func expectedChain(_ input: Int32) -> Int32 {
        var x = input
        for i in 0..<chainLength {
            for _ in 0..<rounds { x = x &* 3 &+ Int32(i) }
            x &+= 1
        }
        return x
    }

    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-partitions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }

    func testTheChainIsSplitIntoSeveralPartitions() throws {
        let module = try ModuleDecoder.decode(try wat2wasm(Self.chainModule()))
        let partitions = PartitionPlan.partitions(of: module)
        XCTAssertGreaterThan(partitions.count, 1)
        // Contiguous, in order, covering every function once.
        XCTAssertEqual(partitions.first?.functions.lowerBound, 0)
        XCTAssertEqual(partitions.last?.functions.upperBound, module.codes.count)
        for (earlier, later) in zip(partitions, partitions.dropFirst()) {
            XCTAssertEqual(earlier.functions.upperBound, later.functions.lowerBound)
        }
    }

    /// A module of `count` functions of the chain's shape, without the calls.
    private static func module(functions count: Int) throws -> WasmModule {
        var wat = "(module\n"
        for i in 0..<count {
            wat += "  (func (export \"f\(i)\") (param i32) (result i32)\n"
            wat += arithmetic(i)
            wat += "    (local.get 0))\n"
        }
        return try ModuleDecoder.decode(try wat2wasm(wat + ")"))
    }

    /// Between two thirds of a partition's code and one partition's, a module is cut into two
    /// halves (so that two cores share it); below, it stays whole; the -O1 plan, whose partitions
    /// are smaller, cuts it into more.
    func testAModuleOfAFewDozenKBIsCutInTwoHalves() throws {
        let small = try Self.module(functions: 100)
        let smallCode = small.codes.reduce(0) { $0 + $1.expression.count }
        XCTAssertFalse(PartitionPlan.isCutInHalves(totalCode: smallCode, targetCodeSize: PartitionPlan.targetCodeSize))
        XCTAssertEqual(PartitionPlan.partitions(of: small).count, 1)

        let middle = try Self.module(functions: 300)
        let code = middle.codes.map(\.expression.count)
        let total = code.reduce(0, +)
        XCTAssertTrue(PartitionPlan.isCutInHalves(totalCode: total, targetCodeSize: PartitionPlan.targetCodeSize))
        let halves = PartitionPlan.partitions(of: middle)
        XCTAssertEqual(halves.count, 2)
        XCTAssertEqual(halves.map(\.codeSize).reduce(0, +), total)
        XCTAssertEqual(halves[0].functions, 0..<halves[1].functions.lowerBound)
        XCTAssertEqual(halves[1].functions.upperBound, code.count)
        XCTAssertLessThanOrEqual(abs(halves[0].codeSize - halves[1].codeSize), code.max()!, "within one function of half")

        let withoutInlining = PartitionPlan.partitions(of: middle, targetCodeSize: PartitionPlan.targetCodeSizeWithoutInlining)
        XCTAssertGreaterThan(withoutInlining.count, 2)
    }

    func testEveryJobCountGivesTheSameBytes() throws {
        let wasm = try wat2wasm(Self.chainModule())
        let directory = try temporaryDirectory()
        for level in [1, 2] {
            var outputs: [Data] = []
            for jobs in [1, 2, 3] {
                let path = directory.appendingPathComponent("O\(level)-j\(jobs).so").path
                try Compiler(options: CompileOptions(optimizationLevel: level), jobs: jobs).compile(wasm: wasm, to: path)
                outputs.append(try Data(contentsOf: URL(fileURLWithPath: path)))
            }
            XCTAssertEqual(outputs[0], outputs[1], "-O\(level): -j1 and -j2 differ")
            XCTAssertEqual(outputs[0], outputs[2], "-O\(level): -j1 and -j3 differ")
        }
    }

    func testCallsAcrossPartitionsComputeTheSameAtEveryLevel() throws {
        let wasm = try wat2wasm(Self.chainModule())
        let directory = try temporaryDirectory()
        for level in 0...3 {
            let path = directory.appendingPathComponent("O\(level).so").path
            try Compiler(options: CompileOptions(optimizationLevel: level), jobs: 2).compile(wasm: wasm, to: path)
            let instance = try Module(path: path).instantiate()
            for input: Int32 in [0, 7, -12345] {
                XCTAssertEqual(try instance.call("run", [.i32(input)]).first?.asI32, Self.expectedChain(input), "-O\(level), run(\(input))")
            }
        }
    }

    func testTheFirstInvalidBodyIsReportedWhicheverPartitionFinishesFirst() throws {
        // f1 and f588 (in another partition) are both invalid, in different ways; a sequential
        // compile stops at f1, as it does when f1 is the only invalid body.
        let firstBroken = "    (drop (f32.add (local.get 0) (i32.const 1)))\n"
        let wasm = try wat2wasm(Self.chainModule(invalidAt: [1: firstBroken, 588: "    (drop (i64.add (local.get 0) (i64.const 1)))\n"]))
        let onlyFirst = try wat2wasm(Self.chainModule(invalidAt: [1: firstBroken]))
        let directory = try temporaryDirectory()
        let sequential = try XCTUnwrap(firstError {
            try Compiler(jobs: 1).compile(wasm: onlyFirst, to: directory.appendingPathComponent("never.so").path)
        })
        for jobs in [1, 2] {
            let error = firstError {
                try Compiler(jobs: jobs).compile(wasm: wasm, to: directory.appendingPathComponent("never.so").path)
            }
            XCTAssertEqual(error, sequential, "-j\(jobs)")
        }
    }

    func testProgressGoesThroughEveryPhase() throws {
        let wasm = try wat2wasm(Self.chainModule())
        let directory = try temporaryDirectory()
        let seen = Mutex<[CompileProgress]>([])
        try Compiler(jobs: 2).compile(wasm: wasm, to: directory.appendingPathComponent("m.so").path) { progress in
            seen.withLock { $0.append(progress) }
        }
        let reports = seen.withLock { $0 }
        let last = try XCTUnwrap(reports.last)
        XCTAssertTrue(last.isLinking)
        XCTAssertEqual(last.fraction, 1)
        XCTAssertEqual(last.functionsLowered, Self.chainLength + 2)
        XCTAssertTrue(reports.contains { $0.partitionsOptimized > 0 && !$0.isLinking })
        XCTAssertTrue(reports.contains { $0.partitionsEmitted > 0 && !$0.isLinking })
        // The fraction never goes back.
        for (earlier, later) in zip(reports, reports.dropFirst()) {
            XCTAssertLessThanOrEqual(earlier.fraction, later.fraction)
        }
    }

    private func firstError(_ body: () throws -> Void) -> WasmError? {
        do {
            try body()
            return nil
        } catch {
            return error as? WasmError
        }
    }
}
