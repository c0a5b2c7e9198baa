import Kiln
import KilnCompiler
import XCTest

/// Memory-loop versioning of a loop that works on fixed places: a state through a pointer `a` and
/// arrays in its function's frame in the shadow stack, as clang's wasm32 code keeps keccak's
/// b, c and d: each frame access is addressed `sp - 32 + k` as a 32-bit sum. Before Kiln 0.5.49
/// those sums were groups of their own, which scalar evolution could not tell from each other,
/// so the check always found the frame overlapping itself; now they are one group, as if the sums
/// never wrapped, and the copy runs where every range is inside the memory, no sum goes below
/// zero and the state misses the frame. Its loads and stores are then kept in registers
/// (scoped_copy_forwarding.cpp). Everywhere else the loop runs as written and traps where it
/// would have, with the stores before it done.
final class FrameLoopVersioningTests: XCTestCase {
    /// `rounds(sp, a, n)` runs `n` rounds (at least one) over the state a[0..7) of 8-byte words
    /// and a frame f = sp - 32 of three words.
    private let wat = """
        (module (memory (export "memory") 1)
          \(patternFillFunction)
          (func (export "byte") (param $at i32) (result i32) (i32.load8_u (local.get $at)))
          (func (export "rounds") (param $sp i32) (param $a i32) (param $n i32)
            (local $f i32) (local $r i32)
            (local.set $f (i32.sub (local.get $sp) (i32.const 32)))
            (loop $round
              (i64.store (local.get $f) (i64.xor (i64.load (local.get $a)) (i64.load offset=40 (local.get $a))))
              (i64.store (i32.add (local.get $f) (i32.const 8))
                (i64.xor (i64.load offset=8 (local.get $a)) (i64.load offset=48 (local.get $a))))
              (i64.store (i32.add (local.get $f) (i32.const 16)) (i64.rotl (i64.load offset=16 (local.get $a)) (i64.const 7)))
              (i64.store (local.get $a) (i64.add (i64.load (local.get $a)) (i64.load (i32.add (local.get $f) (i32.const 8)))))
              (i64.store offset=8 (local.get $a)
                (i64.xor (i64.load offset=8 (local.get $a)) (i64.rotl (i64.load (local.get $f)) (i64.const 1))))
              (i64.store offset=16 (local.get $a)
                (i64.xor (i64.load offset=16 (local.get $a))
                         (i64.add (i64.load (i32.add (local.get $f) (i32.const 16))) (i64.extend_i32_u (local.get $r)))))
              (i64.store offset=40 (local.get $a) (i64.xor (i64.load (local.get $f)) (i64.load (i32.add (local.get $f) (i32.const 16)))))
              (i64.store offset=48 (local.get $a) (i64.add (i64.load offset=48 (local.get $a)) (i64.const 1)))
              (br_if $round (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $n))))))
        """

    /// The loop in Swift, access by access in the program's order, over the memory `fill` leaves:
    /// the memory after it, and whether it trapped (at the first access outside the 64 KiB).
    private func expected(sp: UInt32, a: UInt32, rounds: Int) -> (memory: [UInt8], trapped: Bool) {
        var memory = patternFilledMemory()
        struct Trap: Error {}
        // A Wasm address: the 32-bit operand, then the memarg offset added without wrapping.
        func place(_ address: UInt32, _ offset: Int) throws -> Int {
            let at = Int(address) + offset
            guard at + 8 <= memory.count else { throw Trap() }
            return at
        }
        func load(_ address: UInt32, _ offset: Int = 0) throws -> UInt64 {
            let at = try place(address, offset)
            return (0..<8).reduce(0) { $0 | UInt64(memory[at + $1]) << (8 * $1) }
        }
        func store(_ address: UInt32, _ offset: Int = 0, _ value: UInt64) throws {
            let at = try place(address, offset)
            for k in 0..<8 { memory[at + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
        }
        func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { x << k | x >> (64 - k) }
        let f = sp &- 32
        do {
            for r in 0..<max(rounds, 1) {
                try store(f, 0, try load(a) ^ (try load(a, 40)))
                try store(f &+ 8, 0, try load(a, 8) ^ (try load(a, 48)))
                try store(f &+ 16, 0, rotl(try load(a, 16), 7))
                try store(a, 0, try load(a) &+ (try load(f &+ 8)))
                try store(a, 8, try load(a, 8) ^ rotl(try load(f), 1))
                try store(a, 16, try load(a, 16) ^ (try load(f &+ 16) &+ UInt64(r)))
                try store(a, 40, try load(f) ^ (try load(f &+ 16)))
                try store(a, 48, try load(a, 48) &+ 1)
            }
        } catch {
            return (memory, true)
        }
        return (memory, false)
    }

    /// Runs the rounds at each level in a fresh instance and compares the whole memory with the
    /// model's.
    private func check(sp: UInt32, a: UInt32, rounds: Int) throws {
        let arguments = [sp, a, UInt32(rounds)].map { Value.i32(Int32(bitPattern: $0)) }
        try checkAgainstModel(wat, "rounds", arguments, model: expected(sp: sp, a: a, rounds: rounds),
                              "sp=\(sp) a=\(a) rounds=\(rounds)")
    }

    /// The frame's three sums are one group: the loop is versioned, and its scoped copy keeps the
    /// state and the frame in registers, with no load or store left in its body.
    func testTheScopedCopyKeepsTheFixedPlacesInRegisters() throws {
        let rounds = try XCTUnwrap(optimisedWasmFunctions(wat).first { $0.name.hasPrefix("@\"wasm[2]") }).body
        let blocks = rounds.components(separatedBy: "\n\n").map { block in
            (label: String(block.prefix { $0 != ":" }.drop { $0 == "\n" }), text: block)
        }
        // A loop of one block: its branch names its own label.
        let loops = blocks.filter { block in
            let branch = block.text.split(separator: "\n").last ?? ""
            return branch.components(separatedBy: "label %").dropFirst().contains { $0.prefix { $0 != "," && $0 != " " } == block.label }
        }
        let fallbacks = loops.filter { $0.label.contains("kiln.fallback") }
        let scoped = loops.filter { !$0.label.contains("kiln.fallback") }
        XCTAssertFalse(fallbacks.isEmpty, rounds)
        XCTAssertFalse(scoped.isEmpty, rounds)
        XCTAssertTrue(fallbacks.allSatisfy { $0.text.contains(" load ") }, rounds)
        for loop in scoped {
            XCTAssertFalse(loop.text.contains(" load ") || loop.text.contains(" store "), loop.text)
        }
    }

    func testTheRoundsComputeWhatTheLoopDoes() throws {
        try check(sp: 4096, a: 8192, rounds: 50)
        // The state below the frame, and the state overlapping it: the check fails, and the
        // loop runs with its stores to one place read back through the other.
        try check(sp: 4096, a: 4096 - 32 - 56, rounds: 20)
        try check(sp: 4096, a: 4096 - 32 - 40, rounds: 20)
        try check(sp: 4096, a: 4096 - 32 + 8, rounds: 20)
    }

    /// A frame or a state that leaves the memory: the loop traps at the first access past the
    /// end, with every store before it done.
    func testPlacesOutsideTheMemoryTrapAfterTheSameStores() throws {
        // The state's last word past the end: the first frame store is done, then a+48 traps.
        try check(sp: 4096, a: 65536 - 52, rounds: 10)
        // A frame that wraps below zero (sp - 32 is 0xFFFFFFF0 as a 32-bit sum): the first frame
        // store traps, while `zext(sp) - 32 + k`, what the group takes the sums for, would not.
        try check(sp: 16, a: 8192, rounds: 10)
        // A frame whose third word is past the end: two frame stores, then the trap.
        try check(sp: 65536 + 16, a: 8192, rounds: 10)
    }
}
