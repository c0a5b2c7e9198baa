import Foundation
import Kiln
import Testing

/// Host functions that call back into Wasm, read and write the caller's memory, and trap.
@Suite struct HostCallbackTests {
    static let wat = """
        (module
          (import "env" "reenter" (func $reenter (param i32) (result i32)))
          (import "env" "upcase" (func $upcase (param i32 i32)))
          (memory (export "memory") 1)
          (data (i32.const 64) "hello, host")
          (global $after (mut i32) (i32.const 0))
          (func (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
          (func (export "unreachable") unreachable)
          (func (export "via_host") (param i32) (result i32)
            (i32.add (call $reenter (local.get 0)) (i32.const 1)))
          (func (export "upcase") (param i32) (result i32)
            (call $upcase (i32.const 64) (local.get 0))
            (global.set $after (i32.add (global.get $after) (i32.const 1)))
            (i32.load8_u (i32.const 64)))
          (func (export "after") (result i32) (global.get $after)))
        """

    struct OutOfRange: Error {}

    @Test func callbacksMemoryAndTraps() throws {
        let dir = try Embedding.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/host.so"
        try Embedding.compile(Self.wat, to: path)

        let imports = Imports()
        nonisolated(unsafe) var innerTrap: KilnError?
        try imports.define("env", "reenter", parameters: [.i32], results: [.i32]) { caller, args in
            guard case .i32(let x) = args[0] else { return [] }
            if x < 0 {
                // The inner trap stops here, at the inner entry; rethrowing traps the outer caller.
                do { try caller.call("unreachable") } catch let error as KilnError { innerTrap = error; throw error }
            }
            return try caller.call("square", [.i32(x)])
        }
        try imports.define("env", "upcase", parameters: [.i32, .i32], results: []) { caller, args in
            guard case .i32(let ptr) = args[0], case .i32(let len) = args[1], let memory = caller.memory(),
                Int(ptr) + Int(len) <= memory.count
            else { throw OutOfRange() }
            for k in Int(ptr)..<Int(ptr) + Int(len) {
                memory[k] = UInt8(ascii: Character(UnicodeScalar(memory[k])).uppercased().unicodeScalars.first!)
            }
            return []
        }
        let module = try Module(path: path)
        let instance = try module.instantiate(imports: imports)
        let other = try module.instantiate(imports: imports)

        #expect(try instance.int("via_host", [.i32(7)]) == 50)
        #expect(try instance.int("upcase", [.i32(5)]) == Int32(UInt8(ascii: "H")))
        let memory = try #require(instance.memory())
        #expect(String(decoding: memory.bytes[64..<75], as: UTF8.self) == "HELLO, host")
        #expect(String(decoding: try #require(other.memory()).bytes[64..<75], as: UTF8.self) == "hello, host")

        // A throwing host function traps its Wasm caller before the caller's next instruction.
        #expect(throws: KilnError.self) { try instance.call("upcase", [.i32(70000)]) }
        #expect(try instance.int("after") == 1)

        // A trap in Wasm called back from the host reaches the host first, then the outer caller.
        #expect {
            try instance.call("via_host", [.i32(-1)])
        } throws: { error in
            (error as? KilnError)?.isTrap ?? false
        }
        #expect(innerTrap?.isTrap == true && innerTrap?.message == "unreachable")
        #expect(try instance.int("via_host", [.i32(3)]) == 10)
        #expect(try other.int("via_host", [.i32(4)]) == 17)
    }
}
