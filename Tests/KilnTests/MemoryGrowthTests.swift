import Foundation
import Kiln
import Testing

/// A memory buffer taken before growth stays valid, at the same address and with the same bytes,
/// however many times the module grows its memory.
@Suite struct MemoryGrowthTests {
    @Test func bufferSurvivesManyGrowths() throws {
        let dir = try Embedding.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/grow.so"
        try Embedding.compile("""
            (module
              (memory (export "memory") 1)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
              (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1))))
            """, to: path)
        let instance = try Module(path: path).instantiate()
        let memory = try #require(instance.memory())
        let buffer = memory.bytes  // taken once, before any growth
        buffer.storeBytes(of: 0x1234_5678 as Int32, toByteOffset: 8, as: Int32.self)
        var pages: Int32 = 1
        for step in Int32(1)...100 {
            #expect(try instance.int("grow", [.i32(step)]) == pages)
            pages += step
            let top = Int(pages) * 65536 - 4
            // Host writes beyond the old buffer's count, through its (unchanged) base address.
            buffer.baseAddress!.storeBytes(of: step, toByteOffset: top, as: Int32.self)
            #expect(try instance.int("load", [.i32(Int32(top))]) == step)
            try instance.call("store", [.i32(Int32(top - 4)), .i32(-step)])
            #expect(buffer.baseAddress!.load(fromByteOffset: top - 4, as: Int32.self) == -step)
        }
        #expect(memory.baseAddress == buffer.baseAddress)
        #expect(memory.byteCount == Int(pages) * 65536)
        #expect(buffer.load(fromByteOffset: 8, as: Int32.self) == 0x1234_5678)
        #expect(try instance.int("load", [.i32(8)]) == 0x1234_5678)
    }
}
