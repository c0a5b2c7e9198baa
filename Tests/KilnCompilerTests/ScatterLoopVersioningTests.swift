import Kiln
import KilnCompiler
import XCTest

/// Memory-loop versioning of loops that walk an array downwards through 32-bit sums and also
/// access memory at data-dependent addresses: a radix sort's scatter, `sa[--cnt[rank[t]]] = t`
/// for each `t = tmp[j]`, j counting down and unrolled by two as clang emits it at -O3 (the
/// addresses `p - 4` and `p - 8` are 32-bit sums that may wrap). Since Kiln 0.5.35 such a loop
/// gets a copy whose `tmp` addresses are 64-bit (one induction variable instead of one per
/// sum), run when `tmp`'s range is inside the memory; its data-dependent accesses keep their
/// order and their traps. A descending loop with no data-dependent access is left alone (unless
/// it only copies, CopyLoopTests): such walks are mostly short (a permutation's flips), where the
/// check costs more than it saves.
final class ScatterLoopVersioningTests: XCTestCase {
    private let wat = """
        (module (memory (export "memory") 1)
          (func (export "store") (param $at i32) (param $value i32) (i32.store (local.get $at) (local.get $value)))
          (func (export "word") (param $at i32) (result i32) (i32.load (local.get $at)))
          (func (export "scatter") (param $tmp i32) (param $rank i32) (param $cnt i32) (param $sa i32) (param $j i32)
            (local $p i32) (local $t i32) (local $c i32) (local $at i32)
            (loop $pair
              (local.set $p (i32.add (local.get $tmp) (i32.shl (local.get $j) (i32.const 2))))
              (local.set $t (i32.load (i32.add (local.get $p) (i32.const -4))))
              (local.set $at (i32.add (local.get $cnt) (i32.shl (i32.load (i32.add (local.get $rank) (i32.shl (local.get $t) (i32.const 2)))) (i32.const 2))))
              (i32.store (local.get $at) (local.tee $c (i32.sub (i32.load (local.get $at)) (i32.const 1))))
              (i32.store (i32.add (local.get $sa) (i32.shl (local.get $c) (i32.const 2))) (local.get $t))
              (local.set $t (i32.load (i32.add (local.get $p) (i32.const -8))))
              (local.set $at (i32.add (local.get $cnt) (i32.shl (i32.load (i32.add (local.get $rank) (i32.shl (local.get $t) (i32.const 2)))) (i32.const 2))))
              (i32.store (local.get $at) (local.tee $c (i32.sub (i32.load (local.get $at)) (i32.const 1))))
              (i32.store (i32.add (local.get $sa) (i32.shl (local.get $c) (i32.const 2))) (local.get $t))
              (br_if $pair (local.tee $j (i32.sub (local.get $j) (i32.const 2))))))
          (func (export "reverse_increment") (param $dst i32) (param $src i32) (param $j i32) (local $from i32) (local $to i32)
            (loop $pair
              (local.set $from (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2))))
              (local.set $to (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2))))
              (i32.store (i32.add (local.get $to) (i32.const -4)) (i32.add (i32.load (i32.add (local.get $from) (i32.const -4))) (i32.const 1)))
              (i32.store (i32.add (local.get $to) (i32.const -8)) (i32.add (i32.load (i32.add (local.get $from) (i32.const -8))) (i32.const 1)))
              (br_if $pair (local.tee $j (i32.sub (local.get $j) (i32.const 2)))))))
        """

    private static let (tmp, rank, cnt, sa) = (4096, 8192, 12288, 16384)
    private static let n = 512, keys = 8

    /// Word `i` of the arrays: tmp holds a permutation of 0..<n, rank a key of each, cnt the end
    /// of each key's bucket.
    private static func arrays(badRankAt bad: Int?) -> [Int: Int32] {
        var words: [Int: Int32] = [:]
        var ends = [Int](repeating: 0, count: keys)
        for i in 0..<n {
            words[tmp + 4 * i] = Int32((i * 149) % n)
            let key = (i * 7 + i / 5) % keys
            words[rank + 4 * i] = Int32(key)
            ends[key] += 1
        }
        if let bad { words[rank + 4 * bad] = 20000 }   // cnt + 4 * 20000 is past the memory's end
        var sum = 0
        for key in 0..<keys {
            sum += ends[key]
            words[cnt + 4 * key] = Int32(sum)
        }
        return words
    }

    /// The scalar loop's stores over `arrays`, in order, up to the first access past the end.
    private static func scattered(_ initial: [Int: Int32], tmpAt tmp: Int, count: Int) -> (words: [Int: Int32], trapped: Bool) {
        var words = initial
        let word = { (at: Int) -> Int32? in at >= 0 && at + 4 <= 65536 ? (words[at] ?? 0) : nil }
        for j in stride(from: count, to: 0, by: -1) {
            guard let t = word(tmp + 4 * j - 4), let r = word(rank + 4 * Int(t)) else { return (words, true) }
            let at = cnt + 4 * Int(r)
            guard let c = word(at) else { return (words, true) }
            words[at] = c - 1
            let to = sa + 4 * Int(c - 1)
            guard word(to) != nil else { return (words, true) }
            words[to] = t
        }
        return (words, false)
    }

    func testTheScatterLoopIsVersionedAndTheDescendingLoopIsNot() throws {
        let functions = try optimisedWasmFunctions(wat)
        let scatter = try XCTUnwrap(functions.first { $0.name.hasPrefix("@\"wasm[2]") }).body
        XCTAssertTrue(scatter.contains(".kiln.fallback"), scatter)
        let descending = try XCTUnwrap(functions.first { $0.name.hasPrefix("@\"wasm[3]") }).body
        XCTAssertFalse(descending.contains(".kiln.fallback"), descending)
    }

    /// Inside the memory the copy runs; a rank that sends `cnt` past the end traps in it, after
    /// the same stores; a `tmp` whose range starts past the end (or below 0, where the sum
    /// wraps) leaves the scalar loop to trap at its first load.
    func testTheScatterComputesWhatTheScalarLoopDoesAndTrapsWhereItDoes() throws {
        let cases: [(tmp: Int, bad: Int?)] = [(Self.tmp, nil), (Self.tmp, 300), (65536 - 1024, nil), (-4096 + 8, nil)]
        for level in [0, 2, 3] {
            let module = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level))
            for (tmp, bad) in cases {
                let instance = try module.instantiate()
                let initial = Self.arrays(badRankAt: bad)
                for (at, value) in initial { _ = try instance.call("store", [.i32(Int32(at)), .i32(value)]) }
                let want = Self.scattered(initial, tmpAt: tmp, count: Self.n)
                let context = "-O\(level) tmp=\(tmp) bad=\(bad.map(String.init) ?? "none")"
                let arguments = [tmp, Self.rank, Self.cnt, Self.sa, Self.n].map { Value.i32(Int32(truncatingIfNeeded: $0)) }
                callAsModelled(instance, "scatter", arguments, trapped: want.trapped, context)
                for at in stride(from: Self.cnt, to: Self.sa + 4 * Self.n, by: 4) {
                    let word = try instance.call("word", [.i32(Int32(at))]).first?.asI32
                    XCTAssertEqual(word, want.words[at] ?? 0, "\(context): the word at \(at)")
                }
            }
        }
    }

    func testTheDescendingLoopStoresAndTrapsWhereTheScalarLoopDoes() throws {
        for level in [0, 2, 3] {
            let module = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level))
            for (dst, count) in [(8192, 256), (65536 - 512, 256)] {
                let instance = try module.instantiate()
                for i in 0..<count { _ = try instance.call("store", [.i32(Int32(4096 + 4 * i)), .i32(Int32(i * 31 + 7))]) }
                let context = "-O\(level) dst=\(dst)"
                // Highest address first: the scalar loop's first store past the end is its first.
                let fits = dst + 4 * count <= 65536
                callAsModelled(instance, "reverse_increment", [.i32(Int32(dst)), .i32(4096), .i32(Int32(count))], trapped: !fits, context)
                for i in 0..<count where dst + 4 * i + 4 <= 65536 {
                    let word = try instance.call("word", [.i32(Int32(dst + 4 * i))]).first?.asI32
                    XCTAssertEqual(word, fits ? Int32(i * 31 + 8) : 0, "\(context): word \(i)")
                }
            }
        }
    }
}
