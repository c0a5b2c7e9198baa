import Foundation
import Kiln
import Testing

/// close() and deinit really release: the shared object leaves /proc/self/maps and linear-memory
/// pages go back to the OS. (The rigorous RSS bounds are the C tests'; other suites run in
/// parallel here, so these bounds leave room for their noise.)
@Suite(.serialized) struct ReleaseTests {
    static let touchWAT = """
        (module
          (memory (export "memory") 256)
          (func (export "touch") (param i32)
            (memory.fill (i32.const 0) (local.get 0) (i32.const 16777216))))
        """
    static let instances = 16  // × 16 MiB
    static let mib = 1 << 20

    @Test func closeUnmapsCodeAndReturnsPages() throws {
        let dir = try Embedding.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/touch.so"
        try Embedding.compile(Self.touchWAT, to: path)
        let module = try Module(path: path)
        let instances = try (0..<Self.instances).map { _ in try module.instantiate() }
        for (k, instance) in instances.enumerated() { try instance.call("touch", [.i32(Int32(k + 1))]) }
        let peak = Embedding.residentBytes()
        #expect(Embedding.mapsContain(path))
        module.close()
        #expect(Embedding.mapsContain(path))  // the instances still hold the code
        for instance in instances { instance.close() }
        let after = Embedding.residentBytes()
        #expect(!Embedding.mapsContain(path))
        #expect(peak - after >= (Self.instances * 16 - 32) * Self.mib)
    }

    @Test func deinitReleasesToo() throws {
        let dir = try Embedding.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/touch.so"
        try Embedding.compile(Self.touchWAT, to: path)
        var peak = 0
        do {
            let module = try Module(path: path)
            let instances = try (0..<Self.instances).map { _ in try module.instantiate() }
            for instance in instances { try instance.call("touch", [.i32(7)]) }
            peak = Embedding.residentBytes()
            #expect(Embedding.mapsContain(path))
        }
        let after = Embedding.residentBytes()
        #expect(!Embedding.mapsContain(path))
        #expect(peak - after >= (Self.instances * 16 - 32) * Self.mib)
    }
}
