import Foundation
import Kiln
import Testing

/// Reloading through the Swift API: a new version compiled to the same path gives new code and
/// fresh state while old instances keep running; the same file loaded twice gives independent
/// instances; closing one handle never breaks another.
@Suite struct ReloadTests {
    @Test func newVersionAtTheSamePathRunsBesideTheOld() throws {
        let dir = try Embedding.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/counter.so"
        try Embedding.compile(Embedding.counterWAT(version: 1, step: 1), to: path)
        let v1 = try Module(path: path)
        let old = try v1.instantiate()
        #expect(try old.int("bump") == 1)
        #expect(try old.int("bump") == 2)

        try Embedding.compile(Embedding.counterWAT(version: 2, step: 10), to: path)
        let v2 = try Module(path: path)
        let fresh = try v2.instantiate()
        #expect(try fresh.int("version") == 2)
        #expect(try fresh.int("stored") == 0)
        #expect(try fresh.int("bump") == 10)

        v1.close()
        #expect(try old.int("version") == 1)
        #expect(try old.int("bump") == 3)
        old.close()
        #expect(try fresh.int("bump") == 20)
        fresh.close()
        v2.close()
        #expect(!Embedding.mapsContain(path))
    }

    @Test func sameFileTwiceGivesIndependentInstances() throws {
        let dir = try Embedding.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/counter.so"
        try Embedding.compile(Embedding.counterWAT(version: 1, step: 1), to: path)
        let a = try Module(path: path), b = try Module(path: path)
        let ia = try a.instantiate(), ib = try b.instantiate()
        #expect(try ia.int("bump") == 1)
        #expect(try ia.int("bump") == 2)
        #expect(try ib.int("bump") == 1)
        #expect(ia.memory()?.baseAddress != ib.memory()?.baseAddress)

        // Closing one handle and its instance leaves the other working, and able to instantiate.
        a.close()
        ia.close()
        #expect(try ib.int("bump") == 2)
        let ib2 = try b.instantiate()
        #expect(try ib2.int("bump") == 1)
        #expect(throws: KilnError.self) { try ia.call("bump") }
    }
}
